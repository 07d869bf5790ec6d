"""Key slots: what the slot file holds (nothing that opens the store by itself), how each slot opens the vault, the
sign-in count kept outside the database, the move of an older data folder to slots, and backups (no slot travels
with them; the province's sealed key does)."""

from __future__ import annotations

import base64
import json
import os
import stat

import pytest

from app.domain.errors import BadInputError, StoreError
from app.domain.model import Role
from app.store import keyslots
from app.store.keys import new_key
from app.store.keyslots import Credentials, KdfParams
from app.store.store import Store
from app.wire import sealing
from tests.builders.desk import mark_enrolled
from tests.builders.store import legacy_key_folder


def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")


def _forms(secret: bytes) -> list[bytes]:
    """Every way a key could be written down: raw, hex (both cases), base64."""
    return [secret, secret.hex().encode(), secret.hex().upper().encode(), base64.b64encode(secret)]


def test_the_slot_file_names_who_can_open_the_laptop_and_holds_no_key(tmp_path):
    with Store.open(tmp_path / "data") as store:
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
        mark_enrolled(store)
        from app.sync.enrolment import ensure_device_key

        device = ensure_device_key(store)
        database = store.key
    raw = (tmp_path / "data" / "keyslots.json").read_bytes()
    for secret in (database, device):
        assert not any(form in raw for form in _forms(secret))
    slots = json.loads(raw)["slots"]
    assert sorted(slot["kind"] for slot in slots) == ["keyring", "password", "recovery"]
    password = next(slot for slot in slots if slot["kind"] == "password")
    assert (password["username"], password["full_name"]) == ("lan", "Trần Thị Lan")
    assert {"t", "m", "p", "salt"} <= set(password["kdf"])
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "data" / "keyslots.json").stat().st_mode) == 0o600


def test_each_slot_opens_the_same_keys_and_a_wrong_password_none(tmp_path, monkeypatch):
    with Store.open(tmp_path / "data") as store:
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
        store.sync.save_device_key(b"d" * 32)
        expected = (store.key, store.sync.device_key())
    by_keyring = keyslots.open_with_keyring(tmp_path / "data", Store.open(tmp_path / "data").keyring)
    by_password = keyslots.open_with_password(tmp_path / "data", Credentials("lan", "mk-lan-123"))
    assert (by_keyring.database_key, by_keyring.device_key) == expected
    assert (by_password.database_key, by_password.device_key) == expected
    with pytest.raises(keyslots.WrongPassword):
        keyslots.open_with_password(tmp_path / "data", Credentials("lan", "mk-lan-124"))
    with pytest.raises(keyslots.NoSlot) as nobody:
        keyslots.open_with_password(tmp_path / "data", Credentials("hoa", "mk-lan-123"))
    assert [holder.username for holder in nobody.value.holders] == ["lan"]


def test_a_slot_moved_to_another_name_does_not_open(tmp_path):
    with Store.open(tmp_path / "data") as store:
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    path = tmp_path / "data" / "keyslots.json"
    data = json.loads(path.read_text())
    next(slot for slot in data["slots"] if slot["kind"] == "password")["username"] = "hoa"
    path.write_text(json.dumps(data))
    with pytest.raises(keyslots.WrongPassword):
        keyslots.open_with_password(tmp_path / "data", Credentials("hoa", "mk-lan-123"))


def test_each_slot_keeps_its_own_cost(tmp_path, monkeypatch):
    with Store.open(tmp_path / "data") as store:
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    monkeypatch.setattr(keyslots, "SLOT_KDF", KdfParams(2, 16 * 1024, 2))  # a later version raises the cost
    assert keyslots.open_with_password(tmp_path / "data", Credentials("lan", "mk-lan-123")).database_key
    assert keyslots.SLOT_KDF.memory_kib == 16 * 1024


def test_the_programs_slot_cost_is_memory_hard(monkeypatch):
    """The real cost (the test suite lowers it for speed): Argon2id with hundreds of MiB; docs/PERFORMANCE.md has the
    measured time (bench/bench_keyslots.py)."""
    monkeypatch.undo()  # the program's own value, not the suite's cheap one
    assert keyslots.SLOT_KDF.memory_kib >= 256 * 1024 and keyslots.SLOT_KDF.time_cost >= 2


def test_five_wrong_passwords_at_the_closed_laptop_lock_the_name_and_the_count_lives_beside_the_store(
        tmp_path, monkeypatch):
    from tests.builders.store import Clock

    with Store.open(tmp_path / "data") as store:
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    _no_keyring(monkeypatch)
    clock = Clock()
    for left in (4, 3, 2, 1):
        with pytest.raises(BadInputError) as wrong:
            Store.open(tmp_path / "data", credentials=Credentials("lan", "sai"), clock=clock)
        assert wrong.value.code == "sign_in_failed" and wrong.value.params["left"] == left
    with pytest.raises(BadInputError) as fifth:
        Store.open(tmp_path / "data", credentials=Credentials("lan", "sai"), clock=clock)
    assert fifth.value.code == "account_locked"
    with pytest.raises(BadInputError) as locked:  # the right password too, until the lock ends
        Store.open(tmp_path / "data", credentials=Credentials("lan", "mk-lan-123"), clock=clock)
    assert locked.value.code == "account_locked"
    counts = json.loads((tmp_path / "data" / "sign-in-attempts.json").read_text())
    assert set(counts) == {"lan"}
    with pytest.raises(BadInputError) as unknown:  # a name that opens nothing is not written down
        Store.open(tmp_path / "data", credentials=Credentials("mk-lan-123", "x"), clock=clock)
    assert unknown.value.code == "store_open_first"
    assert b"mk-lan-123" not in (tmp_path / "data" / "sign-in-attempts.json").read_bytes()

    import datetime as dt

    clock.now += dt.timedelta(minutes=5, seconds=1)
    store, _staff = Store.open_as(tmp_path / "data", Credentials("lan", "mk-lan-123"), clock=clock)
    store.close()
    assert "lan" not in json.loads((tmp_path / "data" / "sign-in-attempts.json").read_text())


def test_the_same_count_holds_on_the_open_laptop(store, clock):
    """The lock screen and a supervisor's approval count in the same place as the closed laptop's sign-in."""
    for _ in range(3):
        with pytest.raises(BadInputError):
            store.staff.sign_in("giaodich", "sai")
    counts = json.loads((store.folder / "sign-in-attempts.json").read_text())
    assert counts["giaodich"]["failed"] == 3
    with pytest.raises(BadInputError) as unknown:
        store.staff.sign_in("không-có-ai", "sai")
    assert unknown.value.params["left"] == 4  # the same words as a real name's first mistake
    assert "không-có-ai" not in json.loads((store.folder / "sign-in-attempts.json").read_text())


def test_an_older_data_folder_moves_to_slots_at_its_first_sign_in(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    key = new_key()
    key_file = legacy_key_folder(folder, key)
    from app.store import database

    engine = database.make_engine(folder / "payout.db", key)
    database.migrate(engine)
    from sqlalchemy import text

    with database.write(engine) as conn:
        conn.execute(text("INSERT INTO meta VALUES ('device_id', 'dev-1'), ('store_id', 'old-store')"))
    engine.dispose()
    device_file = key_file.with_name("old-store.device.key")
    device_file.write_text("ab" * 32)

    with Store.open(folder) as store:  # opens the old way: the key file named by the plain store id
        assert store.key == key and store.sync.device_key() == bytes.fromhex("ab" * 32)
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")  # the first sign-in after the upgrade
    assert not key_file.exists() and not device_file.exists() and not (folder / "store-id").exists()
    _no_keyring(monkeypatch)
    with pytest.raises(StoreError):
        Store.open(folder)
    store, _staff = Store.open_as(folder, Credentials("lan", "mk-lan-123"))
    with store:
        assert store.key == key and store.sync.device_key() == bytes.fromhex("ab" * 32) and store.device_id == "dev-1"


def test_enrolment_seals_the_database_key_to_the_province_and_a_backup_carries_only_that(tmp_path):
    recovery = sealing.new_recovery_key()
    with Store.open(tmp_path / "data") as store:
        from app.sync.enrolment import record_enrolment

        record_enrolment(store, "https://tinh.example.vn", ["QNH-0001"], sealing.recovery_public_key(recovery), None)
        backup = store.maintenance.backup(tmp_path / "usb" / "sao-luu.db").path
        key = store.key
    slots = json.loads((tmp_path / "data" / "keyslots.json").read_text())["slots"]
    sealed = next(slot for slot in slots if slot["kind"] == "recovery")["sealed_database_key"]
    assert sealing.unseal(recovery, sealed, sealing.SEAL_DATABASE_KEY) == key
    beside = sorted(path.name for path in (tmp_path / "usb").iterdir())
    assert beside == ["sao-luu.db", "sao-luu.db.sealed-key"]  # no key slot travels with a backup
    sidecar = json.loads((tmp_path / "usb" / "sao-luu.db.sealed-key").read_text())
    assert sealing.unseal(recovery, sidecar["sealed_key"], sealing.SEAL_DATABASE_KEY) == key
    if os.name == "posix":
        for name in beside:
            assert stat.S_IMODE((tmp_path / "usb" / name).stat().st_mode) == 0o600
    with Store.open(tmp_path / "data") as store:  # the restored folder still opens with its own slots
        store.maintenance.restore(backup)
        assert store.maintenance.verify().ok


def test_a_laptop_is_never_left_without_a_way_in(tmp_path, monkeypatch):
    """A laptop that worked alone enrols: its local supervisor's account stops working when the province's staff
    arrive, but their slot stays until a province account's sign-in gives the laptop another way in."""
    from argon2 import PasswordHasher

    from app.store.feed import StaffChange

    _no_keyring(monkeypatch)
    store = Store.open(tmp_path / "data")
    store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    store.sync.apply_changes([StaffChange("giaodich", "Nguyễn Thị Giao Dịch", "teller",
                                          PasswordHasher().hash("pw-teller"))], next_cursor=1)
    assert [holder.username for holder in store.vault.holders()] == ["lan"]  # the only way in: kept
    store.staff.sign_in("giaodich", "pw-teller")
    assert [holder.username for holder in store.vault.holders()] == ["giaodich"]  # replaced: dropped
    store.close()
    with pytest.raises(BadInputError) as gone:
        Store.open(tmp_path / "data", credentials=Credentials("lan", "mk-lan-123"))
    assert gone.value.code == "store_open_first"
    Store.open_as(tmp_path / "data", Credentials("giaodich", "pw-teller"))[0].close()
