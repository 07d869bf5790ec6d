"""End of day through the real widgets: count by banknote, a difference needs a reason, closing needs a witness, a
closed session pays no more, and the encrypted backup lands on the chosen drive."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.documents.minutes import render_minutes
from app.domain.model import (
    Evidence,
    EvidenceKind,
    Recipient,
    RecipientKind,
    Role,
    SessionStatus,
)
from app.ui import file_dialogs
from app.ui.close_day_dialog import RED, CloseDayDialog, backup_file_name
from tests.builders.desk import find_person, type_into
from tests.builders.store import COMMUNE, DAY, DUC, HUE, NOW, POINT, line, lines, parsed_list, request


@pytest.fixture
def day(window):
    """A day with a proxy thumbprint payment to Huệ and a payment to Đức that a supervisor reversed."""
    main, store = window
    store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    session_id = main.session.session_id
    proxy = Recipient(RecipientKind.PROXY, "Đặng Văn Bình", "022170000333", "UQ-2026/0007", dt.date(2027, 2, 28))
    thumb = Evidence(EvidenceKind.THUMBPRINT, reason="Tay run", witness="Hoàng Văn Lợi")
    store.payouts.pay(request(session_id, HUE, store.payouts.person(HUE, session_id).selected, recipient=proxy,
                              evidence=thumb))
    duc = store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC, session_id).selected))
    store.payouts.reverse(duc.entry_id, reason="Chi nhầm kỳ", supervisor="giamsat")
    main.refresh()
    return main, store


def open_close_dialog(qtbot, main) -> CloseDayDialog:
    assert main.close_day_action.shortcut().toString() == "F9"
    main.close_day_action.trigger()
    dialog = main.findChild(CloseDayDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.confirm.isEnabled(), timeout=5000)
    return dialog


def count(dialog: CloseDayDialog, notes: dict[int, int]) -> None:
    for value in dialog.counts:
        dialog.set_count(value, notes.get(value, 0))


def test_closing_with_a_difference_needs_a_reason_and_a_witness_then_refuses_payments(day, qtbot, tmp_path,
                                                                                       monkeypatch):
    main, store = day
    dialog = open_close_dialog(qtbot, main)
    expected = 50_000_000 - 5_578_000
    assert dialog.expected.text() == "44.422.000 ₫" and "đã chi 5.578.000 ₫" in dialog.expected_detail.text()
    summary = dialog.summary_text()
    assert "Số người đã nhận: 1" in summary and "Tổng đã chi: 5.578.000 ₫" in summary
    assert "Trợ cấp ưu đãi người có công" in summary and "Trợ cấp hằng tháng" in summary
    assert "Điểm chỉ: 1" in summary and "Người được ủy quyền nhận: 1" in summary
    assert "Chưa nhận: 2 người" in summary and "Nguyễn Văn Đức" in summary and "Lê Văn Tâm" in summary
    assert "Khoản chi đã hủy: 1" in summary and "Chi nhầm kỳ" in summary

    count(dialog, {500_000: 88, 200_000: 1, 100_000: 1, 50_000: 1, 20_000: 1, 2_000: 1})  # one 50.000 note short
    assert dialog.counted.text() == "44.372.000 ₫"
    assert dialog.cash_count().total == expected - 50_000
    assert dialog.difference.text() == "-50.000 ₫ (thiếu)" and RED in dialog.difference.styleSheet()

    dialog.confirm.click()
    assert "phải ghi lý do" in dialog.message.text()
    type_into(qtbot, dialog.reason, "Thiếu một tờ 50.000 khi đếm lại")
    dialog.confirm.click()
    assert "người chứng kiến" in dialog.message.text()
    assert store.payouts.session(main.session.session_id).status is SessionStatus.OPEN

    type_into(qtbot, dialog.witness, "Hoàng Văn Lợi, cán bộ xã")
    with qtbot.waitSignal(dialog.sessionClosed, timeout=5000):
        dialog.confirm.click()
    closed = store.payouts.session(main.session.session_id)
    assert closed.status is SessionStatus.CLOSED and closed.difference == -50_000
    assert closed.difference_reason == "Thiếu một tờ 50.000 khi đếm lại"
    assert closed.witness == "Hoàng Văn Lợi, cán bộ xã"
    assert dialog.backup_button.isVisible() and not dialog.confirm.isVisible()
    assert "Phiên đã đóng" in dialog.message.text()

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(file_dialogs.QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(usb))
    with qtbot.waitSignal(dialog.backupWritten, timeout=10000) as written:
        dialog.backup_button.click()
    target = usb / backup_file_name(store.province_time.to_local(store.clock()))
    assert written.args[0].path == target and target.exists()
    assert target.name.startswith("payout-desk-20261205-") and target.suffix == ".db"
    assert not target.read_bytes().startswith(b"SQLite format 3")  # encrypted
    assert str(target) in dialog.message.text()
    dialog.close_button.click()

    # the window says the session is closed and offers no way to pay
    assert main.status_closed.isVisible() and main.status_closed.text() == "Phiên đã đóng"
    find_person(qtbot, main, "nguyen van duc", DUC)
    panel = main.panel
    assert panel.lines_model.selected_keys() and not panel.confirm.isEnabled()
    index = panel.lines_model.index(0, 0)
    panel.lines_model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    panel.lines_model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert not panel.confirm.isEnabled()
    with qtbot.assertNotEmitted(panel.confirmRequested):
        panel.confirm_payment()  # what Ctrl+Enter does
    assert len(store.payouts.person(DUC).payments) == 1  # only the reversed one


def test_closing_with_no_difference_needs_only_the_witness(window, qtbot):
    main, store = window
    dialog = open_close_dialog(qtbot, main)
    assert "Chưa chi khoản nào" in dialog.summary_text() and "Chưa nhận: 3 người" in dialog.summary_text()
    count(dialog, {500_000: 100})
    assert dialog.difference.text() == "0 ₫" and "#1b5e20" in dialog.difference.styleSheet()
    assert dialog.counted_words.text() == "Năm mươi triệu đồng"
    type_into(qtbot, dialog.witness, "Trần Văn Giám Sát")
    with qtbot.waitSignal(dialog.sessionClosed, timeout=5000):
        dialog.confirm.click()
    closed = store.payouts.session(main.session.session_id)
    assert closed.status is SessionStatus.CLOSED and closed.difference == 0 and closed.difference_reason == ""
    assert dict(closed.counted.notes) == {500_000: 100}
    qtbot.waitUntil(lambda: main.status_closed.isVisible())
    assert not main.panel.confirm.isEnabled()
    assert dialog.minutes_button.isVisible()
    dialog.minutes_button.click()  # the end-of-day view prints the minutes and the signed sheet
    qtbot.waitUntil(lambda: len(main.documents.viewers) == 2, timeout=10000)
    assert {viewer.document.kind.value for viewer in main.documents.viewers} == {"minutes", "sheet-signed"}
    for viewer in list(main.documents.viewers):
        viewer.reject()
    dialog.close_button.click()


@pytest.fixture
def pension_day(desk_at):
    """A day whose only payment is a pension of 4.865.300 ₫: the cash left ends in hundreds."""
    listed = parsed_list(the_lines=[item for item in lines() if item.regime != "pension"]
                         + [line(DUC, "pension", 4_865_300, programme="luong_huu")])
    main, store = desk_at(listed, NOW)
    session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=50_000_000,
                                         staff="giaodich")
    main.set_session(session)
    pension = [state.line.key for state in store.payouts.person(DUC, session.session_id).lines
               if state.line.regime == "pension"]
    store.payouts.pay(request(session.session_id, DUC, pension))
    return main, store


def test_a_day_ending_in_hundreds_balances_exactly_with_200_and_100_notes(pension_day, qtbot):
    main, store = pension_day
    dialog = open_close_dialog(qtbot, main)
    assert list(dialog.counts) == [500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500,
                                   200, 100]  # every legal-tender note, from app/resources/policy/cash.json
    assert dialog.expected.text() == "45.134.700 ₫"  # 50.000.000 − 4.865.300
    count(dialog, {500_000: 90, 100_000: 1, 20_000: 1, 10_000: 1, 2_000: 2, 500: 1, 100: 2})
    assert dialog.counted.text() == "45.134.700 ₫" and dialog.difference.text() == "0 ₫"
    assert dialog.counted_words.text() == "Bốn mươi lăm triệu một trăm ba mươi tư nghìn bảy trăm đồng"
    type_into(qtbot, dialog.witness, "Trần Văn Giám Sát")
    with qtbot.waitSignal(dialog.sessionClosed, timeout=5000):
        dialog.confirm.click()  # no difference: no reason asked
    closed = store.payouts.session(main.session.session_id)
    assert closed.difference == 0 and dict(closed.counted.notes)[100] == 2

    minutes = render_minutes(store.reports.minutes(closed.session_id))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(minutes)).pages)
    assert "200 0 0" in text and "100 2 200" in text and "45.134.700" in text


def test_the_witness_signs_in_the_role_chosen_and_the_minutes_say_so(window, qtbot):
    main, store = window
    dialog = open_close_dialog(qtbot, main)
    assert dialog.witness_role.currentText() == "Cán bộ UBND xã"  # proposed: the commune's supervising officer
    count(dialog, {500_000: 100})
    type_into(qtbot, dialog.witness, "Phạm Văn Thôn")
    dialog.witness_role.setEditText("")
    dialog.confirm.click()
    assert "với tư cách gì" in dialog.message.text()
    assert store.payouts.session(main.session.session_id).status is SessionStatus.OPEN
    dialog.witness_role.setCurrentIndex(1)
    assert dialog.chosen_witness_role() == "Trưởng thôn, tổ trưởng dân phố"
    with qtbot.waitSignal(dialog.sessionClosed, timeout=5000):
        dialog.confirm.click()
    closed = store.payouts.session(main.session.session_id)
    assert (closed.witness, closed.witness_role) == ("Phạm Văn Thôn", "Trưởng thôn, tổ trưởng dân phố")
    assert not dialog.witness_role.isEnabled()
    dialog.minutes_button.click()
    qtbot.waitUntil(lambda: any(v.document.kind.value == "minutes" for v in main.documents.viewers), timeout=10000)
    minutes = next(v.document for v in main.documents.viewers if v.document.kind.value == "minutes")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(minutes.pdf)).pages)
    assert "trưởng thôn, tổ trưởng dân phố Phạm Văn Thôn (người chứng kiến)" in text
    assert "TRƯỞNG THÔN, TỔ TRƯỞNG DÂN PHỐ" in text and "CÁN BỘ UBND XÃ" not in text
    assert "Không đến nhận" in text  # the day is closed: who did not come, did not come
