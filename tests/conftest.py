"""Test-wide setup: no real keyring or user folders are touched, Qt runs offscreen.

Each test has its own stand-in for the OS keyring (``tests/builders/os_keyring.py``), which the store counts as a real
one: a test opens its stores without a password, as a laptop with Credential Manager or Keychain does. Password key
slots are made at a test's cost (a few milliseconds), not the program's half second; tests of a laptop without a
keyring set ``PAYOUT_DESK_KEYRING=off``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("PAYOUT_DESK_KEYRING", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.builders.os_keyring.TestKeyring"

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import uuid  # noqa: E402

import pytest  # noqa: E402 - imported after the environment above is set (offscreen Qt, the test keyring)

from app.store import keyslots  # noqa: E402
from app.store.keyslots import KdfParams  # noqa: E402
from tests.builders.postgres import PostgresCluster  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys and default data folders go to a temporary place, never the developer's own."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("PAYOUT_DESK_KEY_DIR", str(base / "keys"))
    monkeypatch.setenv("PAYOUT_DESK_TEST_KEYRING", str(base / "keyring"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))


TEST_SLOT_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
"""Password slots in tests: Argon2id at a few milliseconds (the program's cost is measured in bench/)."""


@pytest.fixture(autouse=True)
def _cheap_key_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyslots, "SLOT_KDF", TEST_SLOT_KDF)


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


# --- databases for the server tests (tests/server, tests/cycle) -----------------------------------------------------


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """Started on first use; missing PostgreSQL binaries are an error, never a skip (CI installs them)."""
    cluster = PostgresCluster.start(tmp_path_factory.mktemp("postgres"))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database's SQLAlchemy URL: a SQLite file, or a new database in the session's cluster."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/server.db"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield cluster.create_database(name)
    cluster.drop_database(name)  # WITH (FORCE): sessions a test left open do not block it
