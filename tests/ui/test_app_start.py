"""Starting the client: the first screen fits the data folder (never a sign-in box with no account behind it), and a
store that cannot be opened ends a self-test with a message, never a hung dialog."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QTranslator

from app.domain.model import Role
from app.store.store import Store
from app.ui.app import opening, run


@pytest.fixture(autouse=True)
def _remove_installed_translators(qapp):
    """run() installs its translator on the shared QApplication; take it away for the next tests."""
    before = set(qapp.findChildren(QTranslator))
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
        translator.setParent(None)


def test_self_test_reports_a_store_it_cannot_open_and_exits_1(tmp_path, qapp, capsys, monkeypatch):
    with Store.open(tmp_path / "data") as store:
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")  # another laptop: no keyring, and nobody typed a password
    assert run(tmp_path / "data", lang="vi", self_test=True) == 1
    assert "đăng nhập để mở" in capsys.readouterr().err


def test_the_first_screen_fits_the_data_folder(tmp_path, monkeypatch):
    fresh = opening(tmp_path / "new")
    assert fresh.first_run and fresh.store is None and not fresh.unfinished

    with Store.open(tmp_path / "data"):
        pass
    nobody = opening(tmp_path / "data")  # opened by the keyring, but no account to sign in with
    assert nobody.first_run and nobody.store is not None
    nobody.store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    nobody.store.close()

    ready = opening(tmp_path / "data")
    assert not ready.first_run and ready.store is not None
    ready.store.close()

    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    closed = opening(tmp_path / "data")  # the password opens it: the sign-in names who can
    assert not closed.first_run and closed.store is None and closed.holders == "Trần Thị Lan (lan)"

    with Store.open(tmp_path / "unfinished"):  # set up on a laptop without a keyring, left before any sign-in
        pass
    left = opening(tmp_path / "unfinished")
    assert left.first_run and left.unfinished and left.store is None


def test_a_self_test_opens_a_laptop_without_keyring_as_a_staff_member(tmp_path, qapp, capsys, monkeypatch):
    from app.cli import main

    with Store.open(tmp_path / "data") as store:
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    monkeypatch.setattr("sys.stdin", io.StringIO("mk-lan-123\n"))
    assert main(["--self-test", "--data-dir", str(tmp_path / "data"), "--as", "lan", "--password-stdin"]) == 0
    assert "self-test: ok" in capsys.readouterr().out
