"""Review findings, each shown by a test that fails on the code as reviewed (630a14a; re-run on 4484232).

Every test states the behaviour the design asks for; a failure here is the bug, not the test.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.domain import journal as canon
from app.domain.errors import BadInputError
from app.domain.model import Beneficiary, Commune, PayoutPoint
from app.sync.outbox import wire_batch
from app.wire import codec, constants, signing
from server import accounts, db, ingest
from server import province as province_module
from tests.builders.postgres import PostgresCluster
from tests.builders.province import DUC_MONTHLY, DUC_SUPPLEMENT, HUE_MONTHLY, OTHER_COMMUNE, Province, key
from tests.builders.store import DUC, HUE, NOW, parsed_list

DUC_PENSION = key(DUC, "pension", programme="luong_huu")


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    yield running
    running.close()


def import_other_commune(running: Province, people: list[Beneficiary], lines: list[Any] | None = None,
                         period: str = "2026-12") -> None:
    other = parsed_list(the_people=people, the_lines=lines or [], period=period)
    other = dataclasses.replace(
        other, communes=(Commune(OTHER_COMMUNE, "Xã Khác", "QNH"),), villages=(), authorisations=(),
        points=(PayoutPoint("QNH-0002/ubnd", OTHER_COMMUNE, "UBND xã Khác"),),
    )
    with db.transaction(running.engine) as conn:
        province_module.import_list(conn, other, NOW)


def signed(running: Province, method: str, path: str, body: Any, *, device_id: str,
           private_key: bytes) -> requests.Response:
    data = json.dumps(body).encode() if body is not None else b""
    full = constants.API + path
    headers = signing.signed_headers(device_id, private_key, method, full, data, running.clock(),
                                     {"Content-Type": "application/json"} if body is not None else {})
    return requests.request(method, running.url + full, data=data or None, headers=headers, timeout=10)


# --- 1. PostgreSQL: two devices' concurrent uploads are checked against each other by nobody -----------------------


@pytest.fixture
def pg_province(postgres_cluster: PostgresCluster, tmp_path: Path) -> Iterator[Province]:
    name = f"review_{uuid.uuid4().hex[:12]}"
    running = Province(postgres_cluster.create_database(name), tmp_path)
    yield running
    running.close()
    postgres_cluster.drop_database(name)


def upload_concurrently(running: Province, batches: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """Two uvicorn worker threads: both batch transactions run their reads before either commits (different device
    rows, so the per-device FOR UPDATE does not order them). If the second one has to wait for a lock, the server does
    serialise them: it is then retried after the first commits, as ``apply_journal`` would."""
    from sqlalchemy.exc import OperationalError

    from server.journal import apply_journal

    with running.engine.connect() as one, running.engine.connect() as two:
        tx_one, tx_two = one.begin(), two.begin()
        ingest.apply_batch(one, device_id=batches[0][0], raw_entries=batches[0][1], now=running.clock(),
                           skew_seconds=0, proxy_limit=running.settings.proxy_limit)
        two.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
        try:
            ingest.apply_batch(two, device_id=batches[1][0], raw_entries=batches[1][1], now=running.clock(),
                               skew_seconds=0, proxy_limit=running.settings.proxy_limit)
        except OperationalError:  # serialised by a lock: fine, apply it after the first commits
            tx_two.rollback()
            tx_one.commit()
            apply_journal(running.engine, running.settings, batches[1][0], batches[1][1], 0)
            return
        tx_one.commit()
        tx_two.commit()


def test_postgres_concurrent_uploads_paying_the_same_line_are_flagged(pg_province: Province) -> None:
    first, second = pg_province.device("a"), pg_province.device("b")
    first.pay(DUC, [DUC_MONTHLY])
    second.pay(DUC, [DUC_MONTHLY])
    upload_concurrently(pg_province, [(d.store.device_id, wire_batch(d.store)) for d in (first, second)])
    assert pg_province.count("paid_lines") == 2  # both payments stored, as they must be
    assert [f["kind"] for f in pg_province.flags()] == ["double_payment"], "a double payment went unflagged"


def test_postgres_concurrent_uploads_by_one_proxy_for_two_people_are_flagged(pg_province: Province) -> None:
    import datetime as dt

    from app.domain.model import Recipient, RecipientKind

    pg_province.settings.proxy_limit = 1
    first, second = pg_province.device("a"), pg_province.device("b")
    proxy = Recipient(RecipientKind.PROXY, "Đặng Văn Bình", "022170000333", "UQ-2026/0007", dt.date(2027, 2, 28))
    first.pay(HUE, [HUE_MONTHLY], recipient=proxy)
    second.pay(DUC, [DUC_MONTHLY], recipient=Recipient(RecipientKind.PROXY, "Đặng Văn Bình", "022170000333",
                                                       "UQ-2026/0099", dt.date(2027, 1, 31)))
    upload_concurrently(pg_province, [(d.store.device_id, wire_batch(d.store)) for d in (first, second)])
    assert [f["kind"] for f in pg_province.flags()] == ["proxy_overuse"], "one proxy collected for two people"


# --- 2. A restored device whose first batch is only already-applied entries never uploads its new branch --------------


def test_restored_device_with_many_pending_old_entries_still_uploads_its_new_payments(province: Province,
                                                                                      tmp_path: Path) -> None:
    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])  # seq 1 (session) and 2, still pending in the backup
    backup = tmp_path / "before.bak"
    device.store.maintenance.backup(backup)
    device.pay(DUC, [DUC_SUPPLEMENT])
    device.pay(HUE, [HUE_MONTHLY])
    assert device.sync().ok  # the server holds seq 1..4
    device.store.maintenance.restore(backup, force=True)
    fork = device.pay(DUC, [DUC_PENSION])  # seq 3 on the new branch: cash has left
    # batch_size=2 stands for "more pending old entries than one batch" (500 in production): the first batch is all
    # already-applied, the server's head (seq 4, old branch) is not local, acknowledge raises HeadMismatch, the run
    # stops, and the next run sends the very same batch again.
    for _ in range(3):
        report = device.sync(batch_size=2)
    assert fork.entry_id in {e[1] for e in province.entries(device)}, (
        f"the new branch never reaches the server: {report.error_code}")


# --- 3. A payment for a person the province has since moved to another commune blocks the whole queue ---------------


def test_payment_for_a_person_moved_to_another_commune_is_stored_and_flagged_not_refused(province: Province) -> None:
    device = province.device("laptop")
    paid = device.pay(DUC, [DUC_MONTHLY])  # paid offline, on the device's list of its own commune
    later = device.pay(HUE, [HUE_MONTHLY])
    # Meanwhile the province's new list places Đức in the neighbouring commune (a move, or a commune merger).
    import_other_commune(province, [Beneficiary(DUC, "Nguyễn Văn Đức", OTHER_COMMUNE, "AQ")])
    report = device.sync()
    stored = {e[1] for e in province.entries(device)}
    assert report.upload_ok, report.details
    assert {paid.entry_id, later.entry_id} <= stored


# --- 4. A revoked (stolen) device can still replace its sealed database key on the server -----------------------------


def test_a_revoked_device_cannot_replace_its_sealed_key(province: Province) -> None:
    device = province.device("stolen")
    with db.transaction(province.engine) as conn:
        accounts.revoke(conn, device.store.device_id, "mất máy", province.clock())
    answer = signed(province, "POST", "/device/sealed-key", {"sealed_key": "AAAA"},
                    device_id=device.store.device_id, private_key=device.signing_key)
    with province.engine.connect() as conn:
        row = accounts.device_row(conn, device.store.device_id)
    assert row is not None
    kept = row["sealed_key"]
    assert answer.status_code == 403 and kept != "AAAA", "the province can no longer open this laptop's backups"


# --- 5. Moving a teller to another commune leaves them able to sign in on the old commune's devices -------------------


def test_a_teller_moved_to_another_commune_can_no_longer_sign_in_on_the_old_communes_devices(
        province: Province) -> None:
    import_other_commune(province, [Beneficiary("QNH/AQ-09999-TCM", "Vũ Văn Khác", OTHER_COMMUNE, "AQ")])
    device = province.device("laptop")
    assert device.store.staff.sign_in("giaodich", "pw-teller")
    with db.transaction(province.engine) as conn:
        accounts.add_user(conn, "giaodich", "Nguyễn Thị Giao Dịch", "teller", "pw-teller", [OTHER_COMMUNE],
                          province.clock())
    assert device.sync().ok
    with pytest.raises(BadInputError):
        device.store.staff.sign_in("giaodich", "pw-teller")


# --- 6. An authentic entry with a malformed date is a 500 (retried forever), not a 422 --------------------------------


def test_a_payment_with_a_malformed_back_entry_date_is_stored_and_flagged_not_a_500(province: Province) -> None:
    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])
    session, payment = wire_batch(device.store)
    body = json.loads(payment["payload"])
    body["body"]["back_entry"] = {"paid_on": "05/12/2026", "sheet_reference": "S-1"}
    encoded = canon.canonical_json(body)
    strokes = codec.decode_signature(payment["signature"])
    broken = codec.entry_to_wire(payment["seq"], payment["entry_id"], payment["kind"], payment["prev_hash"],
                                 canon.chain_hash(payment["prev_hash"], encoded), encoded, strokes)
    answer = signed(province, "POST", "/journal", {"entries": [session, broken]},
                    device_id=device.store.device_id, private_key=device.signing_key)
    assert answer.status_code == 200, (answer.status_code, answer.text)
    assert answer.json()["results"][1]["flags"] == ["bad_content"]  # signed and chained: kept, for a person to review
    assert {f["kind"] for f in province.flags()} == {"bad_content"}


# --- 7. A carried-over line of a person who moved commune makes the next list import fail -----------------------------


def test_next_months_list_can_carry_over_a_line_of_a_person_who_moved_commune(province: Province) -> None:
    from tests.builders.store import line

    carried = line(DUC, "monthly", 4_389_000, period="2026-12", list_period="2027-01")  # same key as DUC_MONTHLY
    assert carried.key == DUC_MONTHLY
    import_other_commune(province, [Beneficiary(DUC, "Nguyễn Văn Đức", OTHER_COMMUNE, "AQ")], [carried],
                         period="2027-01")


# --- 8. An enrolment whose answer was lost can never be completed -----------------------------------------------------


def test_enrolment_whose_answer_was_lost_can_be_completed_with_a_new_code(province: Province, tmp_path: Path) -> None:
    from app.store.store import Store
    from app.sync.enrolment import enrol, ensure_device_key

    store = Store.open(tmp_path / "laptop", clock=province.clock)
    try:
        private = ensure_device_key(store)
        # The server committed the enrolment, but the answer never reached the laptop (timeout, reset).
        lost = requests.post(province.url + constants.API + "/enrol", timeout=10, json={
            "code": province.enrol_code(), "device_id": store.device_id,
            "public_key": signing.device_public_key(private), "label": "laptop"})
        assert lost.status_code == 200
        assert store.sync.enrolment() is None
        # The teller asks for a new code and tries again, with the same device and the same key.
        assert enrol(store, province.url, province.enrol_code(), label="laptop") == ("QNH-0001",)
    finally:
        store.close()


# --- 9. A payment made before a suspension is flagged "paid while suspended" when it is uploaded after it ------------


def test_a_payment_made_before_the_suspension_is_not_flagged_paid_while_suspended(province: Province) -> None:
    from tests.builders.province import later

    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])  # Dec 5, 08:30: Đức is active, on the device and on the server
    later(province.clock, 60 * 24 * 2)
    province.amend(DUC, suspend="Vắng mặt tại địa phương")  # Dec 7: the province suspends him
    device.clock.now = province.clock.now
    report = device.sync()  # Dec 7: the laptop comes back in range
    assert report.upload_ok
    assert [f["kind"] for f in province.flags()] == [], "a lawful payment is flagged for review"


def test_a_teller_promoted_to_province_officer_can_no_longer_sign_in_on_devices(province: Province) -> None:
    device = province.device("laptop")
    assert device.store.staff.sign_in("giaodich", "pw-teller")
    with db.transaction(province.engine) as conn:
        accounts.add_user(conn, "giaodich", "Nguyễn Thị Giao Dịch", "officer", "new-secret", ["QNH-0001"],
                          province.clock())
    assert device.sync().ok
    with pytest.raises(BadInputError):
        device.store.staff.sign_in("giaodich", "pw-teller")  # the old password, on a device, as a teller


# --- 10. `serve` without recovery.key on the web host (as docs/SYNC.md advises) mints a new recovery key ----------


def test_serving_without_the_private_recovery_key_keeps_the_provinces_recovery_key(province: Province) -> None:
    from server.setup import init_server

    with province.engine.connect() as conn:
        before = db.get_meta(conn, "recovery_public_key")
    assert not list(province.settings.data_dir.glob("recovery*"))  # the private key never was on the server
    init_server(province.settings)  # what `payout-server init` runs on an existing server, with no key at hand
    with province.engine.connect() as conn:
        after = db.get_meta(conn, "recovery_public_key")
    assert after == before, "devices enrolled from now on seal their keys to a key the province does not keep"
