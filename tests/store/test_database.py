"""The encrypted store: key handling, safety pragmas, migrations that keep data, refusing what it cannot trust."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.errors import StoreError
from app.domain.model import Role
from app.store import database
from app.store.keys import new_key
from app.store.store import DB_NAME, Store
from tests.builders.store import DUC, legacy_key_folder, parsed_list


def test_plain_sqlite_cannot_read_the_database(store):
    plain = sqlite3.connect(store.db_path)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    plain.close()
    assert b"Nguy" not in store.db_path.read_bytes()


def test_safety_pragmas_read_back(store):
    with database.read(store.engine) as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_the_data_folder_and_its_files_are_private_and_hold_no_key_file(tmp_path):
    with Store.open(tmp_path / "data") as opened:
        opened.lists.import_parsed(parsed_list())  # writes: the WAL exists
        folder = opened.folder
        assert not list(folder.glob("*.key")) and not (folder / "store-id").exists()
        if os.name == "posix":
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
            for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", "keyslots.json"):
                assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
        device = opened.device_id
    with Store.open(tmp_path / "data") as reopened:
        assert reopened.device_id == device


def test_a_folder_an_older_version_left_open_to_others_is_closed_at_its_next_use(tmp_path):
    with Store.open(tmp_path / "data") as opened:
        folder = opened.folder
    if os.name != "posix":
        return
    os.chmod(folder, 0o755)
    os.chmod(folder / DB_NAME, 0o644)
    with Store.open(folder):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / DB_NAME).stat().st_mode) == 0o600


def test_the_os_keyring_opens_the_laptop_without_a_password(tmp_path):
    with Store.open(tmp_path / "data") as opened:
        assert opened.keyring is not None and opened.vault.holders() == ()
    slots = json.loads((tmp_path / "data" / "keyslots.json").read_text())
    assert [slot["kind"] for slot in slots["slots"]] == ["keyring"]
    with Store.open(tmp_path / "data") as reopened:
        assert reopened.meta("store_id")


def test_a_vault_from_another_folder_is_a_clear_error(tmp_path):
    with Store.open(tmp_path / "data"), Store.open(tmp_path / "other"):
        pass
    (tmp_path / "data" / "keyslots.json").write_bytes((tmp_path / "other" / "keyslots.json").read_bytes())
    with pytest.raises(StoreError) as error:
        Store.open(tmp_path / "data")
    assert error.value.code == "store_wrong_key"
    assert "khóa mã hóa không đúng" in error.value.message("vi")


def test_without_the_keyring_and_a_password_nothing_opens(tmp_path, monkeypatch):
    with Store.open(tmp_path / "data") as opened:
        opened.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mật-khẩu-Lan")
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    with pytest.raises(StoreError) as error:
        Store.open(tmp_path / "data")
    assert error.value.code == "store_sign_in_needed"
    assert "Trần Thị Lan (lan)" in error.value.message("vi")


def test_a_corrupt_database_file_is_refused(tmp_path):
    with Store.open(tmp_path / "data"):
        pass
    db = tmp_path / "data" / DB_NAME
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(os.urandom(8192))
    with pytest.raises(StoreError) as error:
        Store.open(tmp_path / "data")
    assert error.value.code == "store_wrong_key"


def test_each_data_folder_has_its_own_device_identity(tmp_path):
    with Store.open(tmp_path / "a") as first, Store.open(tmp_path / "b") as second:
        assert first.device_id != second.device_id
        assert len(first.device_id) == 36


def test_upgrade_from_the_first_schema_keeps_the_data(tmp_path):
    folder = tmp_path / "data"
    # A data folder as the first release left it: schema 0001 (no search index, no lockout), with a person, its key
    # in a key file named by the store id.
    key = new_key()
    legacy_key_folder(folder, key)
    engine = database.make_engine(folder / DB_NAME, key)
    database.migrate(engine, "0001")
    with database.write(engine) as conn:
        conn.execute(text("INSERT INTO meta VALUES ('device_id', 'dev-1'), ('store_id', 'old-store')"))
        conn.execute(text("INSERT INTO provinces VALUES ('QNH', 'Quảng Ninh')"))
        conn.execute(text("INSERT INTO communes (code, name, province_code) VALUES ('QNH-0001', 'Xã Yên Đức', 'QNH')"))
        conn.execute(text(
            "INSERT INTO beneficiaries (record_code, full_name, commune_code, category, status, village) "
            "VALUES ('QNH/AQ-00001-TCM', 'Nguyễn Văn Đức', 'QNH-0001', 'AQ', 'active', 'Thôn Đông')"))
        conn.execute(text("INSERT INTO staff (username, full_name, role, password_hash) "
                          "VALUES ('a', 'A', 'teller', 'x')"))
    engine.dispose()

    with Store.open(folder) as upgraded:
        assert database.current_revision(upgraded.engine) == database.HEAD_REVISION
        assert upgraded.device_id == "dev-1"
        hits = upgraded.search.search("duc nguyen").hits
        assert [hit.record_code for hit in hits] == [DUC]
        with database.read(upgraded.engine) as conn:
            assert conn.execute(text("SELECT username, failed_attempts FROM staff")).all() == [("a", 0)]


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    with Store.open(tmp_path / "data") as opened:
        with database.write(opened.engine) as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError) as error:
        Store.open(tmp_path / "data")
    assert error.value.code == "store_newer_schema"


def test_journal_and_evidence_refuse_update_and_delete(store, session_id):
    from tests.builders.store import request

    store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    for sql in (
        "UPDATE journal SET staff = 'someone else'",
        "DELETE FROM journal",
        "UPDATE payment_lines SET amount = 1",
        "DELETE FROM payment_lines",
        "UPDATE signatures SET digest = 'x'",
        "DELETE FROM signatures",
        "DELETE FROM outbox",
    ):
        with pytest.raises(Exception, match=r"append-only|never deleted"):
            with database.write(store.engine) as conn:
                conn.execute(text(sql))
    assert store.maintenance.verify().ok


def test_import_with_real_person_is_searchable_after_reopen(tmp_path):
    with Store.open(tmp_path / "data") as opened:
        opened.lists.import_parsed(parsed_list())
    with Store.open(tmp_path / "data") as reopened:
        assert reopened.search.search("dang thi hue").hits[0].full_name == "Đặng Thị Huệ"
