"""A closed point-day through the real session dialog: refused without a supervisor and a reason, opened with them,
the closed session's totals on screen; and the dialogs' messages going once their cause is fixed."""

from __future__ import annotations

import pytest

from app.domain.errors import BadInputError
from app.domain.model import CashCount, Role
from app.ui.reversal_dialog import ReversalDialog
from app.ui.session_dialog import SessionDialog
from tests.builders.desk import type_into
from tests.builders.store import DAY, DUC, POINT, request

# The offscreen platform cannot raise a drop-down or grab the keyboard for it (a real display can).
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")


@pytest.fixture
def closed_day(window):
    """The window's session with Đức paid, then the day closed (F9) — as the window heard it."""
    main, store = window
    store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    session_id = main.session.session_id
    paid = store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC, session_id).selected))
    notes = (50_000_000 - paid.total) // 100
    change = store.desk.close_session(session_id, counted=CashCount(((100, notes),)), witness="Hoàng Văn Lợi",
                                      staff="giaodich")
    main.changed.emit(change)
    return main, store, paid


def open_dialog(qtbot, main) -> SessionDialog:
    main.ask_session()
    qtbot.waitUntil(lambda: main.findChild(SessionDialog) is not None and main.findChild(SessionDialog).isVisible())
    return main.findChild(SessionDialog)


def test_a_closed_day_reopens_only_with_a_supervisor_and_a_reason_and_shows_the_closed_totals(closed_day, qtbot):
    main, store, _paid = closed_day
    closed_id = main.session.session_id
    assert main.status_closed.isVisible() and not main.panel.confirm.isEnabled()
    dialog = open_dialog(qtbot, main)
    assert (dialog.point.currentData(), dialog.day.date().toPython()) == (POINT, DAY)
    assert dialog.reopening and dialog.reopen_box.isVisible()
    assert "Ngày 05/12/2026 tại điểm này đã kết thúc" in dialog.closed_note.text()
    assert "đã chi 13.418.100 ₫" in dialog.closed_note.text()

    type_into(qtbot, dialog.advance, "10.000.000")
    dialog.open_button.click()
    assert dialog.message.text() == "Phải ghi lý do mở lại ngày đã kết thúc"
    type_into(qtbot, dialog.reopen_reason, "Người hưởng đến muộn sau khi đã chốt")
    assert dialog.message.text() == ""  # fixed: gone
    dialog.open_button.click()
    assert "mật khẩu" in dialog.message.text()

    type_into(qtbot, dialog.supervisor.username, "giaodich")  # a teller cannot approve
    type_into(qtbot, dialog.supervisor.password, "pw-teller")
    dialog.open_button.click()
    qtbot.waitUntil(lambda: "không phải giám sát viên" in dialog.message.text(), timeout=5000)
    assert dialog.isVisible() and [s.session_id for s in store.desk.open_sessions()] == []
    type_into(qtbot, dialog.supervisor.username, "giamsat")
    assert dialog.message.text() == ""  # the supervisor types again: the old refusal goes
    type_into(qtbot, dialog.supervisor.password, "sai")
    dialog.open_button.click()
    qtbot.waitUntil(lambda: "Sai tên đăng nhập hoặc mật khẩu" in dialog.message.text(), timeout=5000)
    type_into(qtbot, dialog.supervisor.password, "pw-supervisor")
    assert dialog.message.text() == ""
    with qtbot.waitSignal(main.sessionChanged, timeout=5000) as opened:
        dialog.open_button.click()
    reopened = opened.args[0]
    assert reopened.session_id != closed_id and reopened.cash_advance == 10_000_000
    qtbot.waitUntil(lambda: not dialog.isVisible())
    progress = store.desk.progress(reopened.session_id)
    assert progress.reopening.supervisor == "giamsat" and [s.session_id for s in progress.earlier] == [closed_id]
    # the new session shows the closed one's totals, and the day's
    qtbot.waitUntil(lambda: main.day_note.isVisible())
    note = main.day_note.text()
    assert "Ngày đã kết thúc rồi mở lại" in note and "đã chi 13.418.100 ₫" in note
    assert "tạm ứng 50.000.000 ₫" in note and "lý do: Người hưởng đến muộn sau khi đã chốt" in note
    assert "mở lại do giám sát viên Trần Văn Giám Sát duyệt" in note  # the supervisor's action, said in words
    assert "Cả ngày đã chi 13.418.100 ₫" in note
    assert not main.status_closed.isVisible() and "Tạm ứng 10.000.000 ₫" in main.status_session.text()


def test_a_closed_day_the_dialog_did_not_know_is_named_by_the_store(qtbot):
    dialog = SessionDialog((), DAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.reopening
    dialog.refused(BadInputError("session_day_closed", date="05/12/2026"), "vi")
    assert dialog.message.text().startswith("Ngày 05/12/2026 tại điểm này đã kết thúc (đã đóng phiên)")
    assert dialog.reopening and dialog.open_button.isEnabled()  # the supervisor's fields show; nothing lost


def test_the_advance_message_goes_once_the_amount_reads(window, qtbot):
    main, _store = window
    dialog = open_dialog(qtbot, main)
    type_into(qtbot, dialog.advance, "năm triệu")
    dialog.open_button.click()
    assert dialog.message.text() == "Nhập số tiền tạm ứng, ví dụ 50.000.000"
    type_into(qtbot, dialog.advance, "5.000.")
    assert dialog.message.text() == ""  # an amount that reads: the message goes while typing
    dialog.reject()


def test_a_refused_supervisor_sign_in_goes_when_the_supervisor_types_again(window, qtbot):
    main, store = window
    store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    session_id = main.session.session_id
    store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC, session_id).selected))
    main.reversal_action.trigger()
    dialog = main.findChild(ReversalDialog)
    qtbot.waitUntil(lambda: dialog.confirm.isEnabled(), timeout=5000)
    dialog.confirm.click()
    assert "lý do" in dialog.message.text()
    type_into(qtbot, dialog.reason, "Chi nhầm")
    assert dialog.message.text() == ""
    type_into(qtbot, dialog.supervisor.username, "giamsat")
    type_into(qtbot, dialog.supervisor.password, "sai")
    dialog.confirm.click()
    qtbot.waitUntil(lambda: "Sai tên đăng nhập" in dialog.message.text(), timeout=5000)
    type_into(qtbot, dialog.supervisor.password, "pw-supervisor")
    assert dialog.message.text() == ""
    dialog.reject()
    assert store.payouts.person(DUC, session_id).selected == frozenset()  # nothing was reversed
