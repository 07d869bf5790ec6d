"""The lock screen covers the whole window and every dialog of it: while locked, nothing about the people being paid
is painted (no name, ID number, amount or cash on hand), no shortcut reaches the desk, the sync goes on, and the screen
says who locked it and whether by hand or because nobody used the laptop."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from app.sync.engine import SyncReport
from app.ui.session_dialog import SessionDialog
from tests.builders.desk import Factory, find_person, open_window
from tests.builders.store import DUC, HUE


def _grab(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


def _covered(main, widget: QWidget) -> bool:  # the MainWindow
    """True when what is on top at the widget's centre, in the window, belongs to the lock screen."""
    centre = widget.mapTo(main, QPoint(widget.width() // 2, widget.height() // 2))
    top = main.childAt(centre)
    return top is not None and (top is main.lock_screen or main.lock_screen.isAncestorOf(top))


def test_ctrl_l_covers_the_whole_window_and_nothing_of_the_person_shows(window, qtbot):
    main, store = window
    find_person(qtbot, main, "duc", DUC)
    qtbot.waitUntil(lambda: "Tiền mặt còn" in main.status_cash.text())
    unlocked = _grab(main)
    lock_action = next(a for a in main.findChildren(type(main.enrol_action)) if a.shortcut().toString() == "Ctrl+L")
    lock_action.trigger()

    screen = main.lock_screen
    assert main.locked and screen.isVisible() and screen.geometry() == main.rect()
    assert "Nguyễn Thị Giao Dịch đã khóa màn hình lúc" in screen.reason.text()
    assert "tự khóa" not in screen.reason.text()  # locked by hand, not by the idle timer
    person = main.panel
    for widget in (main.people, person, main.search, main.session_label, main.status_cash, main.status_people,
                   main.menuBar()):
        assert _covered(main, widget), widget.objectName()
    assert not main.centralWidget().isEnabled() and not main.menuBar().isEnabled()

    locked = _grab(main)
    assert locked != unlocked
    # What is underneath changes (another person, another cash figure): the picture does not — nothing shows through.
    person.show_person(store.payouts.person(HUE, main.session.session_id))
    main.status_cash.setText("Tiền mặt còn: 1.234.567 ₫")
    assert _grab(main) == locked

    screen.password.setText("sai")
    screen.sign_in_button.click()
    qtbot.waitUntil(lambda: screen.sign_in_button.isEnabled())
    assert main.locked and "còn 4 lần thử" in screen.message.text() and "?" not in screen.message.text()
    screen.password.setText("pw-teller")
    screen.sign_in_button.click()
    qtbot.waitUntil(lambda: not main.locked, timeout=5000)
    assert main.centralWidget().isEnabled() and main.menuBar().isEnabled()
    assert person.current_view().beneficiary.record_code == HUE  # nothing lost behind the lock


def test_the_idle_lock_says_the_laptop_locked_itself(window, qtbot):
    main, _store = window
    find_person(qtbot, main, "duc", DUC)
    main.set_idle_timeout_ms(50)  # a short idle time for the test
    qtbot.waitUntil(lambda: main.locked, timeout=3000)
    screen = main.lock_screen
    assert screen.idle and "Máy đã tự khóa vì không dùng" in screen.reason.text()
    assert "Nguyễn Thị Giao Dịch" in screen.reason.text()
    assert screen.username.isReadOnly() and screen.username.text() == "giaodich"
    screen.password.setText("pw-teller")
    screen.sign_in_button.click()
    qtbot.waitUntil(lambda: not main.locked, timeout=5000)
    assert main.panel.current_view().beneficiary.record_code == DUC


def test_no_shortcut_reaches_the_desk_behind_the_lock(window, qtbot):
    main, _store = window
    main.activateWindow()
    main.lock()
    screen = main.lock_screen
    screen.password.setFocus()
    for key in (Qt.Key.Key_F2, Qt.Key.Key_F9, Qt.Key.Key_F7):
        qtbot.keyClick(screen.password, key)
    QApplication.processEvents()
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not main]
    assert shown == [], [type(w).__name__ for w in shown]
    assert main.locked


def test_a_dialog_open_at_the_lock_is_covered_and_comes_back(window, qtbot):
    main, _store = window
    main.ask_session()  # F2: the session dialog, with commune and point names
    qtbot.waitUntil(lambda: any(isinstance(w, SessionDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SessionDialog) and w.isVisible())
    before = _grab(dialog)
    main.lock()
    assert main.lock_screen.covered_dialogs() == [dialog] and not dialog.isEnabled()
    cover = dialog.findChild(QWidget, "lockCover")
    assert cover.isVisible() and cover.geometry() == dialog.rect()
    assert _grab(dialog) != before
    main.lock_screen.password.setText("pw-teller")
    main.lock_screen.sign_in_button.click()
    qtbot.waitUntil(lambda: not main.locked, timeout=5000)
    qtbot.waitUntil(lambda: dialog.findChild(QWidget, "lockCover") is None)
    assert dialog.isEnabled() and dialog.isVisible()
    dialog.reject()


def test_the_sync_runs_while_the_screen_is_locked(desk, qtbot):
    factory = Factory(report=SyncReport())
    main, _store = open_window(qtbot, desk, factory)
    main.lock()
    with qtbot.waitSignal(main.sync.synced, timeout=5000):
        assert main.sync.start_sync()
    assert main.locked and len(factory.engines) == 1
