"""Starting the client: a store that cannot be opened ends a self-test with a message, never a hung dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTranslator

from app.store.store import Store
from app.ui.app import run


@pytest.fixture(autouse=True)
def _remove_installed_translators(qapp):
    """run() installs its translator on the shared QApplication; take it away for the next tests."""
    before = set(qapp.findChildren(QTranslator))
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
        translator.setParent(None)


def test_self_test_reports_an_unopenable_store_and_exits_1(tmp_path, qapp, capsys, monkeypatch):
    with Store.open(tmp_path / "data"):
        pass
    monkeypatch.setenv("PAYOUT_DESK_KEY_DIR", str(tmp_path / "no-keys-here"))
    assert run(tmp_path / "data", lang="vi", self_test=True) == 1
    assert "khóa mã hóa" in capsys.readouterr().err
