"""The teller's day through the real widgets: sign in, open a session, find, pay, refuse what must be refused."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QApplication

from app.store.desk import PersonState
from app.ui.signin_dialog import SignInDialog
from tests.builders.desk import draw_signature, find_person
from tests.builders.store import DUC, HUE


def test_sign_in_right_wrong_and_lockout(desk, qtbot):
    runner, store = desk
    dialog = SignInDialog(runner, store, "vi", demo=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("giaodich")
    for _attempt in range(5):
        dialog.password.setText("sai")
        dialog.sign_in_button.click()
        qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled())
    assert "tạm khóa" in dialog.message.text()
    dialog.password.setText("pw-teller")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled())
    assert "tạm khóa" in dialog.message.text() and dialog.staff is None

    store.clock.now += dt.timedelta(minutes=6)
    with qtbot.waitSignal(dialog.signedIn, timeout=5000):
        dialog.password.setText("pw-teller")
        dialog.sign_in_button.click()
    assert dialog.staff.username == "giaodich"


def test_search_by_folded_name_and_pay_several_lines_with_a_drawn_signature(window, qtbot):
    main, store = window
    find_person(qtbot, main, "duc nguyen", DUC)
    panel = main.panel
    assert panel.lines_model.rowCount() == 4 and len(panel.lines_model.selected_keys()) == 4
    assert "16.1" not in panel.total.text() and "₫" in panel.total.text()
    assert panel.total_words.text().endswith("đồng")
    panel.identity.setCurrentIndex(2)
    draw_signature(panel.signature.pad)
    assert not panel.signature.pad.is_blank()

    panel.confirm.click()
    panel.confirm.click()  # a double click must not pay twice
    qtbot.waitUntil(lambda: "Đang ghi" not in panel.result.text(), timeout=5000)
    assert "ĐÃ CHI" in panel.result.text(), panel.result.text()

    assert len(store.payouts.person(DUC).payments) == 1
    row = main.people_model.row_at(main.people_model.position_of(DUC))
    assert row.state is PersonState.PAID
    qtbot.waitUntil(lambda: "Đã chi 1 người" in main.status_people.text())
    assert main.search.hasFocus() or QApplication.focusWidget() is main.search


def test_an_expired_proxy_is_refused_with_the_reason(window, qtbot):
    main, store = window
    find_person(qtbot, main, "dang thi hue", HUE)
    panel = main.panel
    panel.proxy_radio.setChecked(True)
    assert panel.recipient_name.text() == "Đặng Văn Bình"  # pre-filled from the registered letter
    panel.authorisation_until.setDate(panel.authorisation_until.date().addYears(-1))
    panel.identity.setCurrentIndex(2)
    draw_signature(panel.signature.pad)
    panel.confirm.click()
    qtbot.waitUntil(lambda: "hết hạn" in panel.result.text(), timeout=5000)
    assert store.payouts.person(HUE).payments == ()


def test_a_thumbprint_without_a_witness_is_refused(window, qtbot):
    main, store = window
    find_person(qtbot, main, "nguyen van duc", DUC)
    panel = main.panel
    panel.identity.setCurrentIndex(2)
    panel.thumb_radio.setChecked(True)
    panel.evidence_reason.setText("Tay run")
    panel.confirm.click()
    qtbot.waitUntil(lambda: "người làm chứng" in panel.result.text(), timeout=5000)
    assert store.payouts.person(DUC).payments == ()
    panel.witness.setText("Cán bộ xã Hoàng Văn Lợi")
    panel.confirm.click()
    qtbot.waitUntil(lambda: "ĐÃ CHI" in panel.result.text(), timeout=5000)


def test_a_qr_scan_opens_the_person_with_identity_recorded(window, qtbot):
    main, _store = window
    main.scanned("022052000123|123456789|Nguy?n V?n ??c|15031952|Nam|Th?n ??ng|10082021")
    qtbot.waitUntil(lambda: main.panel.current_view() is not None
                    and main.panel.current_view().beneficiary.record_code == DUC)
    assert main.panel.identity_check().value == "qr_matched"


def test_a_qr_pasted_into_the_search_box_finds_the_person(window, qtbot):
    main, _store = window
    main.search.setFocus()
    text = "022052000123|123456789|Nguyễn Văn Đức|15031952|Nam|Thôn Đông|10082021"
    main.search.setText(text)
    main.search.textEdited.emit(text)
    qtbot.waitUntil(lambda: main.panel.current_view() is not None
                    and main.panel.current_view().beneficiary.record_code == DUC)
    assert main.panel.identity_check().value == "qr_matched"
