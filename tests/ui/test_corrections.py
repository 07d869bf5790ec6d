"""Corrections through the real widgets: a supervisor reverses a payment and back-enters a paper payment; a teller's
or a wrong password is refused, and nothing is written until a supervisor approves."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from app.domain.model import BackEntry, EvidenceKind, Role, Staff
from app.store.desk import PersonState
from app.ui.back_entry_dialog import BackEntryDialog
from app.ui.reversal_dialog import ReversalDialog
from app.ui.supervisor import SupervisorBox
from tests.builders.desk import find_person, type_into
from tests.builders.store import DUC, request


@pytest.fixture
def desk_with_supervisor(window):
    main, store = window
    store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    return main, store


def approve_as(qtbot, dialog, username: str, password: str) -> None:
    type_into(qtbot, dialog.supervisor.username, username)
    type_into(qtbot, dialog.supervisor.password, password)
    dialog.confirm.click()
    qtbot.waitUntil(lambda: "Đang ghi" not in dialog.message.text(), timeout=5000)


def row_state(main, record: str) -> PersonState:
    return main.people_model.row_at(main.people_model.position_of(record)).state


def test_a_supervisor_reverses_a_payment_and_the_person_is_unpaid_again(desk_with_supervisor, qtbot, qtmodeltester):
    main, store = desk_with_supervisor
    session_id = main.session.session_id
    payment = store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC, session_id).selected))
    main.refresh()
    find_person(qtbot, main, "nguyen van duc", DUC)
    qtbot.waitUntil(lambda: row_state(main, DUC) is PersonState.PAID and "Đã chi 1 người" in main.status_people.text())
    assert not main.panel.confirm.isEnabled()

    assert main.reversal_action.shortcut().toString() == "F7"
    main.reversal_action.trigger()
    dialog = main.findChild(ReversalDialog)
    qtbot.waitUntil(lambda: dialog.confirm.isEnabled(), timeout=5000)
    qtmodeltester.check(dialog.model)
    assert dialog.selected()[0].entry_id == payment.entry_id  # the person on screen is preselected
    assert "Nguyễn Văn Đức" in dialog.chosen.text() and "13.418.100 ₫" in dialog.chosen.text()
    assert dialog.model.index(0, dialog.model.COL_RECIPIENT).data() == "Chính chủ"

    dialog.confirm.click()
    assert "lý do" in dialog.message.text()
    type_into(qtbot, dialog.reason, "Chi nhầm người")
    dialog.confirm.click()
    assert "mật khẩu" in dialog.message.text()

    approve_as(qtbot, dialog, "giaodich", "pw-teller")  # a teller cannot approve
    assert "không phải giám sát viên" in dialog.message.text()
    assert dialog.supervisor.password.text() == ""
    approve_as(qtbot, dialog, "giamsat", "sai")  # nor a wrong password
    assert "Sai tên đăng nhập hoặc mật khẩu" in dialog.message.text()
    assert store.payouts.person(DUC, session_id).selected == frozenset()  # still paid

    with qtbot.waitSignal(dialog.reversalCommitted, timeout=5000) as committed:
        type_into(qtbot, dialog.supervisor.password, "pw-supervisor")
        dialog.confirm.click()
    reversal = committed.args[0].fact
    assert reversal.payment_entry_id == payment.entry_id and reversal.supervisor == "giamsat"
    assert reversal.reason == "Chi nhầm người"

    view = store.payouts.person(DUC, session_id)
    assert len(view.selected) == 4  # every line payable again
    assert row_state(main, DUC) is PersonState.UNPAID
    assert main.panel.confirm.isEnabled()
    assert main.panel.result.text().startswith(  # the supervisor's action confirmed in words
        f"Đã hủy biên nhận số {payment.receipt_no} của Nguyễn Văn Đức: 13.418.100 ₫ — lý do: Chi nhầm người "
        "(giám sát viên Trần Văn Giám Sát duyệt)."), main.panel.result.text()
    qtbot.waitUntil(lambda: "Đã chi 0 người" in main.status_people.text())
    assert "50.000.000" in main.status_cash.text()


def test_a_supervisor_back_enters_a_paper_payment(desk_with_supervisor, qtbot):
    main, store = desk_with_supervisor
    session_id = main.session.session_id
    find_person(qtbot, main, "nguyen van duc", DUC)

    assert main.back_entry_action.shortcut().toString() == "F8"
    main.back_entry_action.trigger()
    dialog = main.findChild(BackEntryDialog)
    qtbot.waitUntil(lambda: dialog.confirm.isEnabled(), timeout=5000)
    assert dialog.person.currentData() == DUC and dialog.lines_model.rowCount() == 4
    assert "13.418.100 ₫" in dialog.total.text() and dialog.paper_radio.isChecked()
    assert dialog.paid_on.date() == QDate(2026, 12, 5) and dialog.paid_on.maximumDate() == QDate(2026, 12, 5)

    dialog.confirm.click()
    assert "số hiệu tờ danh sách" in dialog.message.text()
    dialog.paid_on.setDate(QDate(2026, 12, 4))
    type_into(qtbot, dialog.sheet_reference, "DS giấy tờ 3, dòng 12")
    dialog.confirm.click()
    assert "danh tính" in dialog.message.text()
    dialog.identity.setCurrentIndex(dialog.identity.findData("card_inspected"))
    dialog.confirm.click()
    assert "người làm chứng" in dialog.message.text()
    type_into(qtbot, dialog.evidence_reason, "Máy hết pin, chi theo danh sách giấy")
    type_into(qtbot, dialog.witness, "Hoàng Văn Lợi")

    approve_as(qtbot, dialog, "giaodich", "pw-teller")  # a teller cannot back-enter
    assert "không phải giám sát viên" in dialog.message.text()
    assert store.payouts.person(DUC, session_id).payments == ()

    type_into(qtbot, dialog.supervisor.username, "giamsat")
    type_into(qtbot, dialog.supervisor.password, "pw-supervisor")
    with qtbot.waitSignal(dialog.backEntryCommitted, timeout=5000):
        dialog.confirm.click()
    (payment,) = store.payouts.person(DUC, session_id).payments
    assert payment.back_entry == BackEntry(dt.date(2026, 12, 4), "DS giấy tờ 3, dòng 12")
    assert payment.staff == "giamsat" and payment.evidence_kind is EvidenceKind.PAPER
    assert payment.witness == "Hoàng Văn Lợi" and payment.total == 13_418_100
    assert row_state(main, DUC) is PersonState.PAID
    assert payment.receipt_no == 1  # the day's first receipt: the number the teller says aloud
    assert (f"Đã nhập bù biên nhận số {payment.receipt_no} cho Nguyễn Văn Đức: 13.418.100 ₫, chi ngày 04/12/2026 "
            "theo danh sách "
            "giấy «DS giấy tờ 3, dòng 12» (giám sát viên Trần Văn Giám Sát duyệt).") == main.panel.result.text()
    qtbot.waitUntil(lambda: "Đã chi 1 người" in main.status_people.text())


def test_a_signed_in_supervisor_approves_without_typing_a_password(qtbot):
    box = SupervisorBox(Staff("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR))
    qtbot.addWidget(box)
    assert box.missing() == "" and box.approver(None)().username == "giamsat"
    teller = SupervisorBox(Staff("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER))
    qtbot.addWidget(teller)
    assert "mật khẩu" in teller.missing()
