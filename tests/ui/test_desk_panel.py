"""The payout panel at 1366×768 as a teller meets it: every line of a person with its whole explanation and the form
still on screen; the proxy on file at once; a representative's CCCD required and matched, and the banner naming who
took the cash; one change per mutation updating every view; messages that go when their cause is fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QPoint, QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from app.store.changes import ChangeKind, DeskChange
from app.store.desk import PersonState
from app.ui.app import install_fonts
from app.ui.models import LinesModel, PeopleModel
from tests.builders.desk import draw_signature, find_person, type_into
from tests.builders.store import COMMUNE, DAY, DUC, HUE, POINT, TAM, eight_lines, eight_lines_list

WIDTH, HEIGHT = 1366, 768


@pytest.fixture
def app_font(qapp) -> Iterator[QFont]:  # pytest-qt's qapp
    """The desk's own type (the bundled DejaVu Sans at 11 pt, as ``run()`` installs it); restored afterwards."""
    before = QFont(qapp.font())
    install_fonts(qapp)
    yield qapp.font()
    qapp.setFont(before)


@pytest.fixture
def eight(desk_at, app_font):  # fixtures
    """The teller's window at 1366×768 (demo banner and all) over the small commune where Nguyễn Văn Đức has eight
    lines, a session open."""
    main, store = desk_at(eight_lines_list(), dt.datetime.combine(DAY, dt.time(3, 0), tzinfo=dt.UTC))
    session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=50_000_000,
                                         staff="giaodich")
    main.set_session(session)
    return main, store


def settle(qtbot, main) -> None:  # qtbot, the MainWindow
    """Wait until what the window queued on the DB worker so far has come back."""
    done: list[bool] = []
    main.runner.submit(lambda: None, lambda _result: done.append(True))
    qtbot.waitUntil(lambda: bool(done))


def on_screen(widget: QWidget, window: QWidget) -> bool:
    """Shown, and wholly inside the window (not cut off at its bottom or right edge)."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return widget.isVisible() and window.rect().contains(QRect(top_left, widget.size()))


def assert_every_line_whole(qtbot, main) -> None:  # qtbot, the MainWindow
    """Once the layout has run: every line's row inside the table's view, and each explanation, wrapped at its cell's
    width, within its row — measured with the font, not with the table's own idea of its rows."""
    table = main.panel.lines
    qtbot.waitUntil(lambda: table.height() >= table.content_height() and not table.verticalScrollBar().isVisible(),
                    timeout=2000)
    model = table.model()
    viewport = table.viewport().rect()
    metrics = table.fontMetrics()
    for row in range(model.rowCount()):
        explanation = model.index(row, LinesModel.COL_EXPLANATION)
        cell = table.visualRect(explanation)
        assert viewport.contains(cell), f"line {row} is outside the table's view"
        text = explanation.data()
        assert text and len(text) > 40  # the regime's whole explanation is the cell's text
        wrapped = metrics.boundingRect(QRect(0, 0, cell.width() - 8, 10_000), Qt.TextFlag.TextWordWrap, text)
        assert wrapped.height() <= cell.height(), f"line {row}'s explanation is cut: {text!r}"


def test_eight_lines_and_every_explanation_fit_with_identity_recipient_and_signature(eight, qtbot):
    main, _store = eight
    find_person(qtbot, main, "duc", DUC)
    panel = main.panel
    assert panel.lines_model.rowCount() == 8 == len(eight_lines())
    assert (main.width(), main.height()) == (WIDTH, HEIGHT)
    assert_every_line_whole(qtbot, main)
    form = (panel.name, panel.lines, panel.total, panel.confirm, panel.identity, panel.self_radio, panel.proxy_radio,
            panel.signature.pad, panel.signature.clear_button)
    assert all(on_screen(widget, main) for widget in form), [w.objectName() for w in form if not on_screen(w, main)]
    # someone else collects: the recipient's fields appear, and still nothing is pushed off the screen
    panel.proxy_radio.setChecked(True)
    qtbot.waitUntil(lambda: panel.authorisation_until.isVisible())
    fields = (panel.recipient_name, panel.recipient_id, panel.authorisation_number, panel.authorisation_until)
    assert all(on_screen(widget, main) for widget in (*form, *fields))
    assert_every_line_whole(qtbot, main)
    assert main.height() == HEIGHT


def test_the_people_list_shows_cccd_and_village_without_scrolling_and_hints_are_whole(eight, qtbot):
    main, _store = eight
    find_person(qtbot, main, "duc", DUC)
    table = main.people
    assert not table.horizontalScrollBar().isVisible()
    viewport = table.viewport().rect()
    for column in (PeopleModel.COL_NAME, PeopleModel.COL_BIRTH, PeopleModel.COL_ID, PeopleModel.COL_VILLAGE,
                   PeopleModel.COL_STATE):
        cell = table.visualRect(main.people_model.index(0, column))
        assert not table.isColumnHidden(column) and viewport.contains(cell), column
        text = main.people_model.index(0, column).data()
        assert table.fontMetrics().horizontalAdvance(text) <= cell.width(), text  # not elided
    tip = main.people_model.index(0, PeopleModel.COL_NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert DUC in tip and "Thương binh" in tip  # the hidden columns, said in the row's tooltip
    main.panel.thumb_radio.setChecked(True)  # the reason and witness fields show
    for edit in (main.search, main.panel.evidence_reason, main.panel.witness):
        hint = edit.placeholderText()
        assert edit.fontMetrics().horizontalAdvance(hint) <= edit.contentsRect().width() - 8, hint


def test_the_proxy_on_file_shows_with_the_person_and_the_letters_date_is_the_provinces_day(desk_at, qtbot,
                                                                                         laptop_in_new_york):
    early = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)  # 06:30 on 1/12 in Vietnam, 30/11 in New York
    main, store = desk_at(eight_lines_list(), early)
    session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=dt.date(2026, 12, 1),
                                         cash_advance=10_000_000, staff="giaodich")
    main.set_session(session)
    find_person(qtbot, main, "hue", HUE)
    box = main.panel.recipient_box
    assert main.panel.self_radio.isChecked() and not box.fields.isVisible()  # nobody chosen yet…
    assert box.on_file.isVisible()  # …and the letter on file is said at once
    assert box.on_file.text() == ("Ủy quyền trên hồ sơ: Đặng Văn Bình (CCCD 022170000333), giấy số UQ-2026/0007, "
                                  "đến ngày 28/02/2027")
    # a martyr's relative hears what a relative is paid, not a war invalid's words (injury, illness)
    said = main.panel.lines_model.index(0, LinesModel.COL_EXPLANATION).data()
    assert said.startswith("Trợ cấp hằng tháng của thân nhân liệt sĩ") and "thương tật" not in said
    find_person(qtbot, main, "duc", DUC)  # no letter on file: a letter shown at the desk starts from today
    assert "tổn thương cơ thể" in main.panel.lines_model.index(0, LinesModel.COL_EXPLANATION).data()  # a war invalid
    assert not box.on_file.isVisible()
    main.panel.proxy_radio.setChecked(True)
    assert main.panel.authorisation_until.date() == QDate(2026, 12, 1)  # the province's day, not New York's 30/11


def test_a_representative_gives_a_matching_cccd_and_the_banner_says_who_took_the_cash_for_whom(window, qtbot):
    main, store = window
    find_person(qtbot, main, "tam", TAM)
    panel = main.panel
    assert panel.rep_radio.isChecked() and not panel.self_radio.isEnabled()
    assert panel.recipient_name.text() == "Lê Thị Hoa" and panel.recipient_id.text() == ""  # from the card in hand
    on_file = panel.recipient_box.on_file.text()
    assert "Lê Thị Hoa" in on_file and "111" in on_file and "022175000111" not in on_file
    panel.identity.setCurrentIndex(panel.identity.findData("card_inspected"))
    draw_signature(panel.signature.pad)

    panel.confirm.click()
    qtbot.waitUntil(lambda: "Thiếu thông tin người đại diện" in panel.result.text(), timeout=5000)
    assert "số CCCD" in panel.result.text() and store.payouts.person(TAM).payments == ()
    type_into(qtbot, panel.recipient_id, "022175000999")  # another person's card
    assert "không khớp" in panel.result.text()  # the message follows what is still wrong
    panel.confirm.click()
    qtbot.waitUntil(lambda: "Đang ghi" not in panel.result.text(), timeout=5000)
    assert "không khớp với người đại diện đã ghi nhận (Lê Thị Hoa)" in panel.result.text()
    type_into(qtbot, panel.recipient_id, "022 175 000 111")  # the card read aloud, in groups
    assert not panel.result.isVisible()  # fixed: the old refusal is gone

    panel.confirm.click()
    qtbot.waitUntil(lambda: "ĐÃ CHI" in panel.result.text(), timeout=5000)
    lines = panel.result.text().split("\n")
    assert lines[0] == "ĐÃ CHI 36.276.000 ₫ — Lê Thị Hoa nhận thay Lê Văn Tâm (đã mất)", lines
    assert lines[1].startswith("lúc ") and lines[1].endswith(" — biên nhận số 1"), lines
    assert panel.result.font().pointSizeF() >= 1.8 * QApplication.font().pointSizeF()  # a large banner
    assert not panel.form.isVisible() and not panel.confirm.isEnabled()
    [payment] = store.payouts.person(TAM).payments
    assert payment.recipient.id_number == "022 175 000 111" and payment.recipient.name == "Lê Thị Hoa"

    # the banner stays while the same person is on screen — even when a sync reads them again —
    main.changed.emit(store.desk.synced(main.session.session_id, TAM, downloaded=True))
    settle(qtbot, main)
    assert "ĐÃ CHI 36.276.000 ₫" in panel.result.text() and panel.result.isVisible()
    # — and goes when the next person is opened
    find_person(qtbot, main, "duc", DUC)
    assert not panel.result.isVisible() and panel.form.isVisible() and panel.confirm.isEnabled()


def test_one_payment_is_one_change_that_every_view_takes(window, qtbot):
    main, _store = window
    seen: list[DeskChange] = []
    main.changed.connect(seen.append)
    qtbot.waitUntil(lambda: "Đã chi 0 người" in main.status_people.text())
    find_person(qtbot, main, "duc", DUC)
    panel = main.panel
    panel.identity.setCurrentIndex(2)
    draw_signature(panel.signature.pad)
    with qtbot.waitSignal(main.changed, timeout=5000):
        panel.confirm.click()
    [change] = seen
    assert change.kind is ChangeKind.PAYMENT and change.person.beneficiary.record_code == DUC
    row = main.people_model.row_at(main.people_model.position_of(DUC))
    assert row.state is PersonState.PAID and row == change.rows[0]  # the list
    assert panel.result.text().startswith("ĐÃ CHI 13.418.100 ₫ cho Nguyễn Văn Đức")  # the panel
    assert "Đã chi 1 người · còn 2 người" in main.status_people.text()  # the status bar, adjusted not recounted
    assert "36.581.900" in main.status_cash.text() and main.session.paid_total == 13_418_100
    assert main.search.hasFocus() or QApplication.focusWidget() is main.search  # ready for the next person


def test_a_refusal_goes_when_its_cause_is_fixed(window, qtbot):
    main, _store = window
    find_person(qtbot, main, "duc", DUC)
    panel = main.panel
    draw_signature(panel.signature.pad)
    panel.confirm.click()
    qtbot.waitUntil(lambda: "kiểm tra danh tính" in panel.result.text(), timeout=5000)
    panel.signature.clear()  # another input: the message about identity stays
    assert "kiểm tra danh tính" in panel.result.text()
    panel.identity.setCurrentIndex(2)
    assert not panel.result.isVisible()
    panel.confirm.click()
    qtbot.waitUntil(lambda: "chữ ký" in panel.result.text(), timeout=5000)
    draw_signature(panel.signature.pad)
    assert not panel.result.isVisible()
    panel.thumb_radio.setChecked(True)  # a thumbprint needs a reason and a witness
    panel.confirm.click()
    qtbot.waitUntil(lambda: "người làm chứng" in panel.result.text(), timeout=5000)
    type_into(qtbot, panel.evidence_reason, "Tay run")
    assert "người làm chứng" in panel.result.text()  # still no witness
    type_into(qtbot, panel.witness, "Hoàng Văn Lợi")
    assert not panel.result.isVisible()


def test_quitting_with_the_session_open_warns_with_the_cash_and_what_is_not_synced(window, qtbot):
    main, _store = window
    qtbot.waitUntil(lambda: "Tiền mặt còn" in main.status_cash.text())
    main.quit_action.trigger()
    box = main.findChild(QWidget, "quitWarning")
    qtbot.waitUntil(lambda: box is not None and box.isVisible())
    text = box.text()
    assert "Phiên chi trả ngày 05/12/2026 vẫn đang mở" in text
    assert "Tiền mặt phải còn trong tay: 50.000.000 ₫" in text and "1 bút toán chưa gửi về tỉnh" in text
    buttons = {button.text(): button for button in box.findChildren(QPushButton)}
    buttons["Ở lại"].click()
    assert main.isVisible()
    main.quit_action.trigger()
    box = next(w for w in main.findChildren(QWidget, "quitWarning") if w.isVisible())
    {button.text(): button for button in box.findChildren(QPushButton)}["Vẫn thoát"].click()
    qtbot.waitUntil(lambda: not main.isVisible())


def test_with_the_day_closed_quitting_asks_nothing(window, qtbot):
    from app.domain.model import CashCount

    main, store = window
    change = store.desk.close_session(main.session.session_id, counted=CashCount(((500_000, 100),)),
                                      witness="Hoàng Văn Lợi", staff="giaodich")
    main.changed.emit(change)
    assert main.status_closed.isVisible() and main.open_day_summary() == ""
    main.quit_action.trigger()
    qtbot.waitUntil(lambda: not main.isVisible())
    assert main.findChild(QWidget, "quitWarning") is None
