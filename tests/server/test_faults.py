"""Faults between a device and the server: whatever happens, nothing is lost and nothing is stored twice.

Each test ends with ``assert_exactly_once``: the server holds every entry of the device exactly once, in order, with
the same hashes, and the device's outbox is all accepted after a clean sync.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.store.store import Store
from app.sync.client import GAP, SyncError
from app.sync.outbox import wire_batch
from tests.builders.loopback import Fault, FaultProxy, ProxiedRequest
from tests.builders.province import DUC_MONTHLY, DUC_SUPPLEMENT, HUE_MONTHLY, Device, Province, key
from tests.builders.store import DUC, HUE

ROOT = Path(__file__).resolve().parents[2]
DUC_PENSION = key(DUC, "pension", programme="luong_huu")
DUC_CONVALESCENCE = key(DUC, "convalescence")


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    yield running
    running.close()


@pytest.fixture
def proxy(province: Province) -> Iterator[FaultProxy]:
    with FaultProxy.to_url(province.url, timeout_seconds=1.5) as running:
        yield running


def pay_a_day(device: Device) -> None:
    """A session and four payments: five entries."""
    device.pay(DUC, [DUC_MONTHLY])
    device.pay(HUE, [HUE_MONTHLY])
    device.pay(DUC, [DUC_SUPPLEMENT])
    device.pay(DUC, [DUC_PENSION])


def assert_exactly_once(province: Province, device: Device) -> None:
    stored = province.entries(device)
    ids = [entry_id for _, entry_id, _ in stored]
    assert len(ids) == len(set(ids)), "an entry is stored twice"
    assert stored == device.journal(), "the server does not hold exactly the device's journal"
    report = device.sync()
    assert report.ok and report.pending == 0
    assert device.outbox_states() == {"accepted": len(stored)}
    assert province.entries(device) == stored


def test_answer_lost_after_the_server_committed_retried_100_times(province: Province, proxy: FaultProxy) -> None:
    device = province.device("laptop")
    pay_a_day(device)
    faults: list[Fault] = ["drop_response"] * 100
    proxy.push(*faults)
    report = device.sync(proxy.url, max_attempts=101)
    assert report.ok, report.error
    assert proxy.counts["drop_response"] == 100
    assert report.uploaded == 0 and report.already == 5  # applied by the first attempt, whose answer was lost
    assert len(device.delays) == 100 and max(device.delays) <= 30 * 1.5
    assert_exactly_once(province, device)


def test_the_same_batch_sent_five_times_at_once(province: Province) -> None:
    device = province.device("laptop")
    pay_a_day(device)
    batch = wire_batch(device.store)
    barrier = threading.Barrier(5)

    def send() -> list[str]:
        client = device.client()
        barrier.wait()
        try:
            return [result["status"] for result in client.upload(batch)["results"]]
        finally:
            client.close()

    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: send(), range(5)))
    statuses = sorted(status for answer in answers for status in answer)
    assert statuses.count("applied") == 5 and statuses.count("already_applied") == 20
    assert_exactly_once(province, device)


def test_batches_out_of_order_get_a_gap_then_complete(province: Province) -> None:
    device = province.device("laptop")
    pay_a_day(device)
    second_half = wire_batch(device.store, after_seq=2)
    with pytest.raises(SyncError) as gap:
        device.client().upload(second_half)
    assert gap.value.kind == GAP and gap.value.extra["expected_seq"] == 1
    assert province.entries(device) == []
    report = device.sync(batch_size=2)
    assert report.ok and report.uploaded == 5
    assert_exactly_once(province, device)


def test_every_third_request_fails_with_500_or_times_out(province: Province, proxy: FaultProxy) -> None:
    device = province.device("laptop")
    pay_a_day(device)
    device.pay(DUC, [DUC_CONVALESCENCE])

    def every_third(request: ProxiedRequest) -> Fault:
        if request.number % 3:
            return "pass"
        return "error500" if request.number % 2 else "timeout"

    proxy.plan = every_third
    report = device.sync(proxy.url, batch_size=1, max_attempts=4, timeout=(1.0, 0.8))
    assert report.ok, report.error
    assert proxy.counts["error500"] >= 1 and proxy.counts["timeout"] >= 1
    assert_exactly_once(province, device)


def test_connection_reset_mid_upload(province: Province, proxy: FaultProxy) -> None:
    device = province.device("laptop")
    pay_a_day(device)
    proxy.push("reset", "reset")
    report = device.sync(proxy.url)
    assert report.ok and proxy.counts["reset"] == 2
    assert_exactly_once(province, device)


def test_client_killed_between_the_acknowledgement_and_marking_the_outbox(province: Province) -> None:
    device = province.device("laptop")
    pay_a_day(device)
    folder = device.store.folder
    device.store.close()
    child = (
        "import datetime as dt, os\n"
        "from app.store.store import Store\n"
        "from app.store import sync\n"
        "from app.sync.engine import SyncEngine\n"
        "sync.SyncService.accept = lambda self, *a: os._exit(9)\n"
        f"now = dt.datetime.fromisoformat({province.clock().isoformat()!r})\n"
        f"SyncEngine(Store.open({str(folder)!r}, clock=lambda: now)).run()\n"
    )
    result = subprocess.run([sys.executable, "-c", child], cwd=ROOT, env=dict(os.environ), timeout=60)
    assert result.returncode == 9
    device.store = Store.open(folder, clock=province.clock)
    assert province.entries(device) == device.journal()  # the server committed before the answer...
    assert device.outbox_states() == {"sent": 5}  # ...and the device never marked it
    report = device.sync()
    assert report.ok and report.already == 5 and report.uploaded == 0
    assert_exactly_once(province, device)


def test_server_restarted_mid_sync(province: Province, proxy: FaultProxy) -> None:
    device = province.device("laptop")
    pay_a_day(device)
    device.pay(DUC, [DUC_CONVALESCENCE])
    restarted = threading.Event()
    restarts: list[threading.Thread] = []

    def restart_on_third(request: ProxiedRequest) -> Fault:
        if request.number == 3 and not restarted.is_set():
            restarted.set()
            restarts.append(threading.Thread(target=province.live.restart))
            restarts[0].start()
        return "pass"

    proxy.plan = restart_on_third
    report = device.sync(proxy.url, batch_size=1, max_attempts=40, sleep=lambda delay: time.sleep(min(delay, 0.2)))
    assert restarted.is_set()
    restarts[0].join(30)
    assert report.ok, report.error
    assert_exactly_once(province, device)


def test_a_restored_device_forks_its_chain_flagged_and_nothing_overwritten(province: Province, tmp_path: Path) -> None:
    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])
    backup = tmp_path / "before.bak"
    device.store.maintenance.backup(backup)
    device.pay(HUE, [HUE_MONTHLY])
    device.pay(DUC, [DUC_SUPPLEMENT])
    assert device.sync().ok
    old_branch = province.entries(device)
    assert len(old_branch) == 4

    device.store.maintenance.restore(backup, force=True)  # the laptop died; the teller restored last week's backup
    fork = device.pay(DUC, [DUC_PENSION])
    assert fork.seq == 3
    assert device.store.sync.check_acked_head() == 4  # `verify`: no longer extends what the server acknowledged
    report = device.sync()
    assert report.ok and report.flagged == 1
    stored = province.entries(device)
    assert set(old_branch) < set(stored) and len(stored) == 5  # the old seq 3 and 4 are kept
    assert [(f["kind"], f["entry_id"]) for f in province.flags()] == [("fork", fork.entry_id)]
    assert device.outbox_states() == {"accepted": 3}
    assert [f.kind for f in device.store.sync.flags()] == ["fork"]
    assert device.store.sync.check_acked_head() is None  # the server acknowledged the new branch
