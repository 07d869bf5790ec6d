"""``payout-desk sessions`` and ``payout-desk payments`` list what can be printed — in words, in the province's time,
points in Vietnamese order — and ``print receipt`` / ``print minutes`` take the receipt number (or the short id) and
the session's short id that the lists and the screen show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.cli import main
from app.domain.money import format_vnd
from tests.builders.document_world import DAY, OTHER_POINT, World
from tests.builders.documents import page_texts
from tests.builders.store import request as pay_request


def _run(world: World, *args: str) -> int:
    return main([*args, "--data-dir", str(world.folder)])


def test_receipt_numbers_run_without_gaps_per_payout_day(fresh_world: World):
    store = fresh_world.store
    assert fresh_world.reversed is not None
    numbers = [payment.receipt_no for payment in [*fresh_world.payments.values(), fresh_world.reversed]]
    # the reversed one keeps its number (a payment without one would leave the sorted numbers short)
    assert sorted(number for number in numbers if number is not None) == list(range(1, len(numbers) + 1))
    # another point the same day continues the day's numbering; the next day starts again at 1
    other = store.payouts.open_session(commune_code="QNH-0001", point_id=OTHER_POINT, day=DAY, cash_advance=0,
                                       staff="giaodich")
    person = next(row.record_code for row in store.desk.people(other.session_id) if row.due)
    paid = store.payouts.pay(pay_request(other.session_id, person, store.payouts.person(person).selected))
    assert paid.receipt_no == len(numbers) + 1
    tomorrow = store.payouts.open_session(commune_code="QNH-0001", point_id=OTHER_POINT,
                                          day=DAY + dt.timedelta(days=1), cash_advance=0, staff="giaodich")
    again = next(row.record_code for row in store.desk.people(tomorrow.session_id) if row.due)
    assert store.payouts.pay(pay_request(tomorrow.session_id, again, store.payouts.person(again).selected)
                             ).receipt_no == 1
    assert store.payouts.person(person).payments[-1].receipt_no == len(numbers) + 1  # read back the same


def test_sessions_and_payments_list_what_can_be_printed(fresh_world: World, capsys: pytest.CaptureFixture[str]):
    monkey = pytest.MonkeyPatch()
    monkey.setenv("PAYOUT_DESK_KEY_DIR", str(fresh_world.key_dir))
    monkey.setenv("PAYOUT_DESK_TEST_KEYRING", str(fresh_world.key_dir))
    try:
        store = fresh_world.store
        second = store.payouts.open_session(commune_code="QNH-0001", point_id=OTHER_POINT, day=DAY,
                                            cash_advance=1_000_000, staff="giaodich")
        assert _run(fresh_world, "sessions") == 0
        said = capsys.readouterr().out
        lines = said.splitlines()
        short = fresh_world.session_id[:8]
        # the same day: points by name in Vietnamese order ("khu 3" before "khu 6"), then what can be printed
        first_line = next(i for i, line in enumerate(lines) if short in line)
        other_line = next(i for i, line in enumerate(lines) if second.session_id[:8] in line)
        assert first_line < other_line
        assert "07/12/2026" in lines[first_line] and "Nhà văn hóa khu 3" in lines[first_line]
        assert "đang mở" in lines[first_line]
        count = len(fresh_world.payments) + 1
        assert f"biên nhận số 1–{count}" in lines[first_line + 1]
        assert "chưa có biên nhận" in lines[other_line + 1]
        assert "payout-desk print minutes" in said

        assert _run(fresh_world, "payments", "--session", short) == 0
        listed = capsys.readouterr().out
        assert listed.splitlines()[0].startswith(f"Phiên {short} · 07/12/2026 · Nhà văn hóa khu 3")
        huong = fresh_world.payments["QNH/LS-00002-TCM"]
        time = store.province_time.format_time(huong.recorded_at)
        assert f"Số {huong.receipt_no:>3}  {time}  Đặng Thị Huệ (QNH/LS-00002-TCM)  {format_vnd(huong.total)}" \
            in listed
        assert time.startswith("07:")  # the province's morning, not UTC's midnight
        assert fresh_world.reversed is not None
        assert f"Số {fresh_world.reversed.receipt_no:>3}" in listed and "— đã hủy" in listed
        assert "— nhập bù" in listed and "print receipt SỐ --date 07/12/2026" in listed

        assert _run(fresh_world, "payments", "--lang", "en") == 0  # the latest session: the second, nothing paid
        assert "This session has paid nothing yet" in capsys.readouterr().out
    finally:
        monkey.undo()


def test_print_takes_the_receipt_number_the_short_id_and_the_session(fresh_world: World, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str],
                                                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAYOUT_DESK_KEY_DIR", str(fresh_world.key_dir))
    monkeypatch.setenv("PAYOUT_DESK_TEST_KEYRING", str(fresh_world.key_dir))
    huong = fresh_world.payments["QNH/LS-00002-TCM"]
    out = tmp_path / "bn.pdf"
    assert _run(fresh_world, "print", "receipt", str(huong.receipt_no), "--out", str(out)) == 0, \
        capsys.readouterr().err
    said = capsys.readouterr().out
    assert f"Biên nhận số {huong.receipt_no} ngày 07/12/2026 — Đặng Thị Huệ" in said
    assert f"Số {huong.receipt_no} ngày 07/12/2026" in page_texts(out.read_bytes())[0]
    for ref in (f"số {huong.receipt_no}", huong.entry_id[:8], huong.entry_id):
        assert _run(fresh_world, "print", "receipt", "--payment", ref, "--date", "07/12/2026",
                    "--out", str(tmp_path / "again.pdf")) == 0, capsys.readouterr().err
        assert "Đặng Thị Huệ" in capsys.readouterr().out
    assert _run(fresh_world, "print", "minutes", fresh_world.session_id[:8], "--out", str(tmp_path / "bb.pdf")) == 0
    assert "Biên bản đối chiếu cuối ngày" in capsys.readouterr().out

    assert _run(fresh_world, "print", "receipt", "999", "--out", str(tmp_path / "x.pdf")) == 2
    error = capsys.readouterr().err
    assert "Ngày 07/12/2026 không có biên nhận số 999" in error and "1–" in error
    assert _run(fresh_world, "print", "receipt", "7", "--date", "08/12/2026", "--out", str(tmp_path / "x.pdf")) == 2
    assert "Ngày 08/12/2026 không có biên nhận số 7 (ngày đó có biên nhận số 1–0)" in capsys.readouterr().err
    assert _run(fresh_world, "print", "receipt", "abc", "--out", str(tmp_path / "x.pdf")) == 2
    assert "Không tìm thấy khoản chi «abc»" in capsys.readouterr().err
    assert _run(fresh_world, "print", "minutes", "ffffffff", "--out", str(tmp_path / "x.pdf"), "--lang", "en") == 2
    assert "No payout session “ffffffff”" in capsys.readouterr().err
    assert _run(fresh_world, "print", "notice", "7", "--out", str(tmp_path / "x.pdf")) == 2
    assert "Chỉ biên nhận" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
