"""Test-wide setup: no real keyring or user folders are touched, Qt runs offscreen."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PAYOUT_DESK_KEYRING"] = "file"

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys and default data folders go to a temporary place, never the developer's own."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("PAYOUT_DESK_KEY_DIR", str(base / "keys"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))


@pytest.fixture
def laptop_in_new_york() -> Iterator[str]:
    """The machine's own time zone set to New York (UTC−5 in December), as on a laptop set up abroad: nothing a
    person reads may follow it (times are shown in the province's zone)."""
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield "America/New_York"
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
