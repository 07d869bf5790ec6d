"""Backups through SQLite's backup API (encrypted), and restores that never silently drop payments."""

from __future__ import annotations

import sqlite3

import pytest

from app.domain.errors import BadInputError
from app.store.store import Store
from tests.builders.store import DUC, HUE, request


def test_backup_is_an_encrypted_copy_that_restores(store, session_id, tmp_path):
    paid = store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    info = store.maintenance.backup(tmp_path / "usb" / "backup.db")
    assert info.entries == 2 and info.head_seq == 2
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(info.path).execute("SELECT * FROM journal").fetchall()
    with pytest.raises(BadInputError) as exists:
        store.maintenance.backup(info.path)
    assert exists.value.code == "backup_target_exists"

    store.maintenance.restore(info.path)  # nothing newer locally: allowed
    assert store.payouts.person(DUC).payments[0].entry_id == paid.entry_id
    assert store.maintenance.verify().ok
    assert len(store.maintenance.restores()) == 1


def test_restore_refuses_to_drop_newer_entries_unless_forced(store, session_id, tmp_path):
    backup = store.maintenance.backup(tmp_path / "backup.db").path
    store.payouts.pay(request(session_id, HUE, store.payouts.person(HUE).selected))
    with pytest.raises(BadInputError) as refused:
        store.maintenance.restore(backup)
    assert refused.value.code == "restore_would_lose" and refused.value.params["count"] == 1
    assert store.payouts.person(HUE).payments  # nothing was touched

    report = store.maintenance.restore(backup, force=True)

    assert report.dropped_entries == 1 and report.safety_copy and report.safety_copy.exists()
    assert store.payouts.person(HUE).payments == ()
    restores = store.maintenance.restores()
    assert restores[-1]["forced"] == 1 and restores[-1]["head_seq"] == 1
    assert store.meta("restored_at")
    # The store keeps working after a restore, and the chain continues from the backup's head.
    payment = store.payouts.pay(request(session_id, HUE, store.payouts.person(HUE).selected))
    assert payment.seq == 2 and store.maintenance.verify().ok


def test_restore_of_a_missing_or_foreign_file_is_a_clear_error(store, tmp_path):
    with pytest.raises(BadInputError) as missing:
        store.maintenance.restore(tmp_path / "nope.db")
    assert missing.value.code == "backup_not_found"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 500)
    with pytest.raises(BadInputError) as unreadable:
        store.maintenance.restore(junk)
    assert unreadable.value.code == "backup_unreadable"
    with Store.open(tmp_path / "other") as other:
        foreign = other.maintenance.backup(tmp_path / "other.db").path
    with pytest.raises(BadInputError) as wrong_key:
        store.maintenance.restore(foreign)
    assert wrong_key.value.code == "backup_unreadable"
    assert store.maintenance.verify().ok


def test_two_forced_restores_in_the_same_second_each_keep_their_safety_copy(store, session_id, tmp_path):
    backup = store.maintenance.backup(tmp_path / "backup.db").path
    store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    first = store.maintenance.restore(backup, force=True)  # the clock does not move between the two restores
    store.payouts.pay(request(session_id, HUE, store.payouts.person(HUE).selected))
    second = store.maintenance.restore(backup, force=True)
    assert first.safety_copy != second.safety_copy and second.safety_copy.exists()
    # the second safety copy holds Huệ's payment, which the restore dropped
    from app.store.database import raw_connect

    copy = raw_connect(second.safety_copy, store.key)
    try:
        kinds = [row[0] for row in copy.execute("SELECT kind FROM journal ORDER BY seq")]
    finally:
        copy.close()
    assert kinds == ["session_opened", "payment"] and second.dropped_entries == 1
