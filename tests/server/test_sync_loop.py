"""The whole loop over real HTTP, on SQLite and on PostgreSQL: enrol, download, pay, upload, flags, amendments."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.errors import BadInputError, PaymentRefused
from app.domain.model import Recipient, RecipientKind, Role
from app.wire import constants
from server.cli import main as server_main
from tests.builders.province import DUC_MONTHLY, DUC_SUPPLEMENT, HUE_MONTHLY, RECOVERY_PASSPHRASE, Province, later
from tests.builders.store import DUC, HUE, Clock


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    yield running
    running.close()


def test_enrolled_device_downloads_the_list_and_staff_then_uploads_every_entry_once(province: Province) -> None:
    device = province.device("laptop")
    enrolment = device.store.sync.enrolment()
    assert enrolment is not None and enrolment.communes == ("QNH-0001",)
    assert device.store.payouts.person(DUC).beneficiary.full_name == "Nguyễn Văn Đức"  # the list arrived
    assert device.store.staff.sign_in("giaodich", "pw-teller").role is Role.TELLER  # offline sign-in, server's verifier
    device.pay(DUC, [DUC_MONTHLY])
    device.pay(HUE, [HUE_MONTHLY])
    report = device.sync()
    assert report.ok and report.uploaded == 3 and report.pending == 0
    assert province.entries(device) == device.journal()
    assert device.outbox_states() == {"accepted": 3}
    assert province.count("signatures") == 2
    again = device.sync()
    assert again.ok and again.uploaded == 0 and province.entries(device) == device.journal()


def test_once_enrolled_lists_and_staff_come_from_the_server_only(province: Province, tmp_path: Path) -> None:
    device = province.device("laptop")
    csv = tmp_path / "list.csv"
    csv.write_text("x", encoding="utf-8")
    with pytest.raises(BadInputError) as refused:
        device.store.lists.import_file(csv)
    assert refused.value.code == "enrolled_lists_from_server"
    with pytest.raises(BadInputError) as refused:
        device.store.staff.add("someone", "Ai Đó", Role.TELLER, "secret-1")
    assert refused.value.code == "enrolled_staff_from_server"


def test_two_devices_pay_the_same_line_offline_both_stored_one_flag_both_see_it(province: Province) -> None:
    first, second = province.device("a"), province.device("b")
    paid_by_first = first.pay(DUC, [DUC_MONTHLY])
    paid_by_second = second.pay(DUC, [DUC_MONTHLY])
    assert first.sync().ok
    report = second.sync()
    assert report.ok and report.flagged == 1
    assert {e[1] for e in province.entries()} >= {paid_by_first.entry_id, paid_by_second.entry_id}
    flags = province.flags()
    assert [(f["kind"], f["entry_id"], f["other_entry_id"]) for f in flags] == [
        ("double_payment", paid_by_second.entry_id, paid_by_first.entry_id)
    ]
    assert first.sync().ok
    for device in (first, second):
        seen = device.store.sync.flags(DUC)
        assert [(f.kind, f.line_key) for f in seen] == [("double_payment", DUC_MONTHLY)]
        assert "máy khác" in seen[0].message("vi")


def test_a_death_recorded_by_the_province_blocks_payment_and_an_earlier_payment_is_flagged(province: Province) -> None:
    clock = province.clock
    early, late = province.device("early"), province.device("late")
    paid_before_notice = early.pay(DUC, [DUC_SUPPLEMENT])  # offline, the same day the person died
    later(clock, 60)
    province.amend(DUC, death=clock().date(), representative=("Nguyễn Thị Hoa", "022180000999"))
    assert late.sync().ok
    with pytest.raises(PaymentRefused) as refused:
        late.pay(DUC, [DUC_MONTHLY])
    assert refused.value.code == "deceased_needs_representative"
    report = early.sync()
    assert report.ok and report.flagged == 1
    assert [(f["kind"], f["entry_id"]) for f in province.flags()] == [("paid_after_death", paid_before_notice.entry_id)]
    assert [f.kind for f in early.store.sync.flags(DUC)] == ["paid_after_death"]


def test_suspension_and_new_line_and_amount_change_reach_the_device(province: Province) -> None:
    device = province.device("laptop")
    province.amend(HUE, suspend="Xác minh lại hồ sơ")
    province.amend(DUC, amount=(DUC_MONTHLY, 4_500_000))
    province.amend(DUC, new_line={"period": "2026-12", "programme": "uu_dai", "regime": "arrears_2026",
                                  "kind": "arrears", "amount": 1_200_000})
    assert device.sync().ok
    with pytest.raises(PaymentRefused) as refused:
        device.pay(HUE, [HUE_MONTHLY])
    assert "Xác minh" in refused.value.message("vi")
    payment = device.pay(DUC, [DUC_MONTHLY, "QNH/AQ-00001-TCM|2026-12|uu_dai|arrears_2026"])
    assert payment.total == 4_500_000 + 1_200_000
    assert device.sync().ok and not province.flags()


def test_a_revoked_device_may_upload_flagged_but_not_download(province: Province) -> None:
    device = province.device("lost")
    payment = device.pay(DUC, [DUC_MONTHLY])
    assert server_main(["--data", str(province.settings.data_dir), "--db", province.settings.database_url,
                        "revoke-device", device.store.device_id, "--reason", "mất máy"]) == 0
    report = device.sync()
    assert not report.ok and report.error_code == "sync_revoked" and report.upload_ok
    assert "thu hồi" in report.error
    assert payment.entry_id in {e[1] for e in province.entries(device)}
    assert {f["kind"] for f in province.flags()} == {"revoked_device"}
    assert device.store.sync.pending_count() == 0


def test_a_device_clock_off_by_more_than_five_minutes_uploads_flagged_and_cannot_download(province: Province) -> None:
    skewed = Clock(province.clock())
    device = province.device("skewed", clock=skewed)
    skewed.now += dt.timedelta(minutes=12)
    device.pay(DUC, [DUC_MONTHLY])
    report = device.sync()
    assert not report.ok and report.error_code == "sync_clock" and "12 phút" in report.error
    assert len(province.entries(device)) == 2 and device.store.sync.pending_count() == 0
    assert {f["kind"] for f in province.flags()} == {"clock_skew"}
    skewed.now = province.clock()  # the teller fixes the clock
    assert device.sync().ok


def test_day_closure_is_cross_checked(province: Province) -> None:
    from app.domain.model import CashCount

    device = province.device("laptop")
    payment = device.pay(DUC, [DUC_MONTHLY])
    device.store.payouts.reverse(payment.entry_id, reason="Nhầm người", supervisor="giamsat")
    device.pay(HUE, [HUE_MONTHLY])
    paid = 5_578_000
    notes = CashCount(((500_000, (50_000_000 - paid) // 500_000), (1_000, ((50_000_000 - paid) % 500_000) // 1_000)))
    device.store.payouts.close_session(device.paying_session, counted=notes, witness="Phạm Văn Thôn", staff="giaodich",
                                       witness_role="Trưởng thôn, tổ trưởng dân phố")
    assert device.sync().ok
    assert province.flags() == []
    assert province.count("reversals") == 1
    assert province.entries(device) == device.journal()  # the closure's additive witness_role stored as sent


def test_offline_file_imported_at_the_province_then_the_device_learns_at_its_next_sync(
        province: Province, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.cli import main as desk_main

    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])
    device.pay(HUE, [HUE_MONTHLY])
    usb = tmp_path / "usb" / "nhat-ky.json"
    assert desk_main(["export-journal", str(usb), "--data-dir", str(device.store.folder)]) == 0
    assert b"entries" not in usb.read_bytes()  # encrypted to the province
    args = ["--data", str(province.settings.data_dir), "--db", province.settings.database_url]
    key = ["--key", str(province.recovery_key_file), "--passphrase-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{RECOVERY_PASSPHRASE}\n" * 3))
    assert server_main(args + ["import-batch", str(usb)] + key) == 0
    assert server_main(args + ["import-batch", str(usb)] + key) == 0  # again: nothing new
    assert province.entries(device) == device.journal()
    report = device.sync()
    assert report.ok and report.already == 3 and report.uploaded == 0 and report.pending == 0
    tampered = usb.read_text(encoding="utf-8").replace('"signature": "', '"signature": "00')
    usb.write_text(tampered, encoding="utf-8")
    assert server_main(args + ["import-batch", str(usb)] + key) == 2


def test_the_province_opens_a_dead_laptops_backup_with_the_recovery_key(province: Province, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    device = province.device("laptop")
    payment = device.pay(DUC, [DUC_MONTHLY])
    backup = tmp_path / "backup" / "payout.bak"
    device.store.maintenance.backup(backup)
    out = tmp_path / "recovered.sqlite"
    args = ["--data", str(province.settings.data_dir), "--db", province.settings.database_url]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{RECOVERY_PASSPHRASE}\n"))
    assert server_main(args + ["recover-backup", str(backup), "--out", str(out), "--device", device.store.device_id,
                               "--key", str(province.recovery_key_file), "--passphrase-stdin"]) == 0
    with sqlite3.connect(out) as plain:
        assert plain.execute("SELECT count(*) FROM journal WHERE entry_id = ?", (payment.entry_id,)).fetchone() == (1,)


def test_verify_checks_the_chain_extends_the_acknowledged_head(province: Province) -> None:
    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])
    assert device.sync().ok
    assert device.store.sync.check_acked_head() is None
    acked = device.store.sync.acked_head()
    assert acked is not None and acked[0] == 2


def test_staff_token_for_interactive_calls(province: Province) -> None:
    device = province.device("laptop")
    client = device.client()
    with pytest.raises(Exception) as no_token:
        client.me()
    assert getattr(no_token.value, "status", None) == 401
    answer = client.sign_in("giaodich", "pw-teller")
    assert answer["role"] == "teller"
    assert client.me()["username"] == "giaodich"
    later(province.clock, 61)
    device.clock.now = province.clock.now
    with pytest.raises(Exception) as expired:
        client.me()
    assert getattr(expired.value, "code", None) == "token_expired"


def test_proxy_collecting_for_too_many_people_and_expired_authorisation_are_flagged(province: Province) -> None:
    device = province.device("laptop")
    proxy = Recipient(RecipientKind.PROXY, "Đặng Văn Bình", "022170000333", "UQ-2026/0007", dt.date(2027, 2, 28))
    device.pay(HUE, [HUE_MONTHLY], recipient=proxy)
    assert device.sync().ok and province.flags() == []
    province.settings.proxy_limit = 1
    device.pay(DUC, [DUC_MONTHLY], recipient=Recipient(RecipientKind.PROXY, "Đặng Văn Bình", "022170000333",
                                                        "UQ-2026/0099", dt.date(2027, 1, 31)))
    assert device.sync().ok
    assert {f["kind"] for f in province.flags()} == {"proxy_overuse"}
    assert constants.FLAG_PROXY_OVERUSE in {f.kind for f in device.store.sync.flags(DUC)}


def test_a_reopened_day_uploads_as_plain_entries_the_server_stores_without_a_flag(province: Province) -> None:
    """The reopening's fields are additive in the session-opened entry: the server's ingest stores them as they are
    (the chain checks out) and judges the second session like any other."""
    from app.domain.model import CashCount

    device = province.device("laptop")
    first = device.pay(DUC, [DUC_MONTHLY])
    count = CashCount(((500_000, (50_000_000 - first.total) // 500_000),))
    device.store.payouts.close_session(device.paying_session, counted=count, witness="Hoàng Văn Lợi", staff="giaodich",
                                       reason="" if count.total == 50_000_000 - first.total else "Tiền lẻ")
    reopened = device.store.payouts.open_session(
        commune_code="QNH-0001", point_id=device.store.payouts.session(device.paying_session).point_id,
        day=device.store.payouts.session(device.paying_session).day, cash_advance=10_000_000, staff="giaodich",
        supervisor="giamsat", reopen_reason="Người hưởng đến muộn")
    device.session_id = reopened.session_id
    device.pay(HUE, [HUE_MONTHLY])
    report = device.sync()
    assert report.ok and report.uploaded == 5 and report.flagged == 0 and report.pending == 0
    assert province.entries(device) == device.journal()
