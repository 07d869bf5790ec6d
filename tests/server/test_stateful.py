"""A hypothesis state machine over two devices and the server: pay, sync, drop, duplicate, reorder, crash, death
notice, revoke — the server's entries are always a subset of the devices' journals, with no duplicates and every flag
explained, and equal to them after a clean sync.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.domain.errors import PaymentRefused
from app.store.store import Store
from app.sync.client import SyncError
from app.sync.outbox import wire_batch
from app.wire import constants
from tests.builders.province import DUC_MONTHLY, DUC_SUPPLEMENT, HUE_MONTHLY, Device, Province, key
from tests.builders.store import DUC, HUE

LINES = [(DUC, DUC_MONTHLY), (DUC, DUC_SUPPLEMENT), (DUC, key(DUC, "pension", programme="luong_huu")),
         (DUC, key(DUC, "convalescence")), (HUE, HUE_MONTHLY)]


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="payout-stateful-"))
        self.province = Province(f"sqlite:///{self.folder}/server.db", self.folder)
        self.devices = [self.province.device("a"), self.province.device("b")]
        self.revoked: set[int] = set()
        self.dead: set[str] = set()

    def teardown(self) -> None:
        try:
            for index in range(len(self.devices)):
                self._clean_sync(index)
            stored = set(self.province.entries())
            local = {entry for device in self.devices for entry in device.journal()}
            assert stored == local, "after a clean sync the server holds exactly the devices' journals"
            for device in self.devices:
                assert device.store.sync.pending_count() == 0
        finally:
            self.province.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _clean_sync(self, index: int) -> None:
        report = self.devices[index].sync()
        assert report.upload_ok, report.error
        assert report.ok or index in self.revoked, report.error

    @rule(device=st.integers(0, 1), line=st.sampled_from(LINES))
    def pay(self, device: int, line: tuple[str, str]) -> None:
        record, line_key = line
        try:
            self.devices[device].pay(record, [line_key])
        except PaymentRefused:
            pass  # already paid on this device, or the person died and the device knows it

    @rule(device=st.integers(0, 1))
    def sync(self, device: int) -> None:
        self._clean_sync(device)

    @rule(device=st.integers(0, 1))
    def drop_answer(self, device: int) -> None:
        """The server applies a batch but the answer never reaches the device."""
        batch = wire_batch(self.devices[device].store)
        if batch:
            try:
                self.devices[device].client().upload(batch)
            except SyncError:
                pass  # a gap after a reorder: the server has nothing of it yet

    @rule(device=st.integers(0, 1))
    def duplicate(self, device: int) -> None:
        batch = wire_batch(self.devices[device].store)
        for _ in range(2):
            if batch:
                try:
                    self.devices[device].client().upload(batch)
                except SyncError:
                    pass

    @rule(device=st.integers(0, 1))
    def reorder(self, device: int) -> None:
        """The second half of the pending entries arrives first."""
        batch = wire_batch(self.devices[device].store)
        if len(batch) >= 2:
            client = self.devices[device].client()
            for part in (batch[len(batch) // 2:], batch[: len(batch) // 2]):
                try:
                    client.upload(part)
                except SyncError as error:
                    assert error.kind == "gap"

    @rule(device=st.integers(0, 1))
    def crash(self, device: int) -> None:
        """The laptop restarts: the store is closed and opened again."""
        old = self.devices[device]
        folder = old.store.folder
        old.store.close()
        self.devices[device] = Device(old.name, Store.open(folder, clock=self.province.clock), old.url, old.session_id)

    @rule(record=st.sampled_from([DUC, HUE]))
    def death_notice(self, record: str) -> None:
        if record not in self.dead:
            self.dead.add(record)
            self.province.amend(record, death=self.province.clock().date(), representative=("Người Đại Diện", None))

    @precondition(lambda self: not self.revoked)
    @rule()
    def revoke(self) -> None:
        from server import accounts, db

        with db.transaction(self.province.engine) as conn:
            accounts.revoke(conn, self.devices[1].store.device_id, "mất máy", self.province.clock())
        self.revoked.add(1)

    @invariant()
    def server_entries_are_a_subset_without_duplicates(self) -> None:
        stored = self.province.entries()
        ids = [entry_id for _, entry_id, _ in stored]
        assert len(ids) == len(set(ids))
        local = {entry for device in self.devices for entry in device.journal()}
        assert set(stored) <= local

    @invariant()
    def every_flag_is_explained(self) -> None:
        stored = {entry_id for _, entry_id, _ in self.province.entries()}
        for flag in self.province.flags():
            assert flag["kind"] in constants.FLAG_KINDS and flag["entry_id"] in stored
            if flag["kind"] == constants.FLAG_DOUBLE_PAYMENT:
                assert flag["other_entry_id"] in stored and flag["line_key"]
            elif flag["kind"] == constants.FLAG_AFTER_DEATH:
                assert flag["record_code"] in self.dead
            elif flag["kind"] == constants.FLAG_REVOKED_DEVICE:
                assert flag["device_id"] == self.devices[1].store.device_id and self.revoked
            else:
                raise AssertionError(f"unexpected flag {flag}")


SyncMachine.TestCase.settings = settings(max_examples=12, stateful_step_count=12, deadline=None, derandomize=True,
                                         database=None, suppress_health_check=list(HealthCheck))
test_sync_state_machine = SyncMachine.TestCase
