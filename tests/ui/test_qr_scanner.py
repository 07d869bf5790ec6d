"""The scanner listener, fed per-character key events (never keyClicks: it aborts on non-ASCII) with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.ui.qr_scanner import ScannerListener, is_qr_paste

QR = "022052000123|123456789|Nguyễn Văn Đức|15031952|Nam|Thôn Đông, Xã Yên Đức|10082021"
GARBLED_QR = "022052000123|123456789|Nguy?n V?n ??c|15031952|Nam|Th?n ??ng, X? Y?n ??c|10082021"
SCANNER_GAP = 8.0  # ms between a scanner's keys
HUMAN_GAP = 140.0  # ms between a person's keys

KeyLog = list[tuple[str, int, str]]


class FakeClock:
    """Milliseconds that move only when the test says so: gaps are exact and the tests never sleep."""

    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms


class RecordingLineEdit(QLineEdit):
    """A line edit that logs every key that reaches it, to prove nothing is lost, duplicated or reordered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys: KeyLog = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.keys.append(("press", event.key(), event.text()))
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        self.keys.append(("release", event.key(), event.text()))
        super().keyReleaseEvent(event)


def key_code(ch: str) -> int:
    if ch == "\r":
        return int(Qt.Key.Key_Return.value)
    if ch.isascii() and ch.isprintable():
        return ord(ch.upper())  # Qt's key codes for printable ASCII are the upper-case code points
    return int(Qt.Key.Key_unknown.value)


def type_keys(target: QObject, text: str, clock: FakeClock, gap_ms: float) -> KeyLog:
    """Press and release each character, `gap_ms` apart; returns what a widget should see if nothing intervened."""
    sent: KeyLog = []
    for ch in text:
        for kind, name in ((QEvent.Type.KeyPress, "press"), (QEvent.Type.KeyRelease, "release")):
            QApplication.sendEvent(target, QKeyEvent(kind, key_code(ch), Qt.KeyboardModifier.NoModifier, ch))
            sent.append((name, key_code(ch), ch))
        clock.advance(gap_ms)
    return sent


def show_active(qtbot: QtBot, window: QWidget) -> None:
    """Show and activate, as a real window is: shortcuts and the focus widget need an active window."""
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def listener(qapp: QApplication, clock: FakeClock) -> Iterator[ScannerListener]:
    scanner = ScannerListener(clock=clock)
    yield scanner
    scanner.uninstall()


@pytest.fixture
def scans(listener: ScannerListener) -> list[str]:
    received: list[str] = []
    listener.scanned.connect(received.append)
    return received


@pytest.fixture
def edit(qtbot: QtBot) -> Iterator[RecordingLineEdit]:
    window = QWidget()
    qtbot.addWidget(window)
    line = RecordingLineEdit(window)
    QVBoxLayout(window).addWidget(line)
    show_active(qtbot, window)
    line.setFocus()
    yield line  # the fixture's frame keeps the window alive (qtbot holds only a weak reference)


@pytest.mark.parametrize("text", [QR, GARBLED_QR], ids=["vietnamese", "garbled"])
def test_a_scanner_burst_is_emitted_once_and_never_reaches_the_widget(
    edit: RecordingLineEdit, listener: ScannerListener, scans: list[str], clock: FakeClock, text: str
) -> None:
    returns: list[None] = []
    edit.returnPressed.connect(lambda: returns.append(None))

    type_keys(edit, text + "\r", clock, SCANNER_GAP)

    assert scans == [text]
    assert edit.text() == "" and edit.keys == [] and returns == []
    assert listener.scan_target() is edit
    assert not listener.is_holding()


def test_a_scan_without_enter_ends_on_the_pause(
    qtbot: QtBot, edit: RecordingLineEdit, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    type_keys(edit, QR, clock, SCANNER_GAP)
    assert scans == [] and listener.is_holding()
    with qtbot.waitSignal(listener.scanned, timeout=2000) as blocker:
        pass  # the real give-up timer ends the burst
    assert blocker.args == [QR]
    assert scans == [QR] and edit.keys == []


def test_a_person_typing_slowly_is_untouched(
    edit: RecordingLineEdit, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    typed = ""
    for ch in "nguyen van duc":
        type_keys(edit, ch, clock, HUMAN_GAP)
        typed += ch
        assert edit.text() == typed  # delivered at once: words never wait
    assert scans == [] and not listener.is_holding()


def test_slow_digits_arrive_in_order(
    qtbot: QtBot, edit: RecordingLineEdit, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    sent = type_keys(edit, "2024", clock, HUMAN_GAP)
    assert edit.text() == "202"  # the last digit waits for the pause that shows it was not a scan
    qtbot.waitUntil(lambda: edit.text() == "2024", timeout=2000)
    assert edit.keys == sent and scans == []


def test_a_fast_bare_id_number_is_redelivered_intact(
    edit: RecordingLineEdit, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    returns: list[str] = []
    edit.returnPressed.connect(lambda: returns.append(edit.text()))

    sent = type_keys(edit, "022052000123\r", clock, SCANNER_GAP)

    assert scans == []
    assert edit.text() == "022052000123"
    assert returns == ["022052000123"]  # Enter still arrives, after the digits
    assert edit.keys == sent  # every press and release, once, in order
    assert not listener.is_holding()


def test_a_fast_typist_loses_nothing(
    edit: RecordingLineEdit, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    sent = type_keys(edit, "12 ab", clock, 30.0)
    listener.flush()
    assert edit.text() == "12 ab" and edit.keys == sent and scans == []


def test_a_slow_key_after_a_burst_is_delivered_after_it(
    edit: RecordingLineEdit, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    type_keys(edit, "123", clock, SCANNER_GAP)
    clock.advance(HUMAN_GAP)
    type_keys(edit, "x", clock, HUMAN_GAP)
    assert edit.text() == "123x" and scans == []


def test_a_scan_in_a_dialog_neither_types_nor_accepts_it(
    qtbot: QtBot, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    line = RecordingLineEdit(dialog)
    ok = QPushButton("OK", dialog)
    ok.setDefault(True)
    ok.clicked.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(line)
    layout.addWidget(ok)
    show_active(qtbot, dialog)
    line.setFocus()

    type_keys(line, GARBLED_QR + "\r", clock, SCANNER_GAP)
    assert scans == [GARBLED_QR]
    assert line.text() == "" and line.keys == []
    assert dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert listener.scan_target() is line

    clock.advance(HUMAN_GAP)
    type_keys(line, "001089012345\r", clock, SCANNER_GAP)  # not a QR: typed, and Enter accepts as usual
    assert line.text() == "001089012345"
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert scans == [GARBLED_QR]


def test_shortcuts_do_not_fire_on_a_scanners_keys(
    qtbot: QtBot, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("Chi trả", window)
    QVBoxLayout(window).addWidget(button)
    fired: list[None] = []
    clicked: list[None] = []
    shortcut = QShortcut(QKeySequence("N"), window)
    shortcut.activated.connect(lambda: fired.append(None))
    button.clicked.connect(lambda: clicked.append(None))
    show_active(qtbot, window)
    button.setFocus()

    type_keys(button, QR + "\r", clock, SCANNER_GAP)  # contains N, spaces and Enter
    assert scans == [QR]
    assert fired == [] and clicked == []

    clock.advance(HUMAN_GAP)
    type_keys(button, "n", clock, HUMAN_GAP)  # a person's N still triggers the shortcut
    assert fired == [None]


def test_pasting_a_qr_is_a_scan_and_other_pastes_are_untouched(
    edit: RecordingLineEdit, listener: ScannerListener, scans: list[str]
) -> None:
    clipboard = QGuiApplication.clipboard()
    paste = QKeyEvent(QEvent.Type.KeyPress, int(Qt.Key.Key_V.value), Qt.KeyboardModifier.ControlModifier, "\x16")

    clipboard.setText(QR + "\n")
    QApplication.sendEvent(edit, paste)
    assert scans == [QR] and edit.text() == ""

    clipboard.setText("Nguyễn Văn Đức")
    QApplication.sendEvent(edit, QKeyEvent(paste))
    assert edit.text() == "Nguyễn Văn Đức" and scans == [QR]


def test_feed_and_is_qr_paste(listener: ScannerListener, scans: list[str]) -> None:
    assert is_qr_paste(QR) and is_qr_paste(QR + "\r\n") and is_qr_paste(GARBLED_QR)
    assert not is_qr_paste("022052000123") and not is_qr_paste("Nguyễn Văn Đức")
    assert listener.feed(QR + "\r\n") is True
    assert listener.feed("022052000123") is False
    assert scans == [QR]
    target = QLineEdit()
    assert listener.pasted(GARBLED_QR, target) is True
    assert listener.scan_target() is target and scans == [QR, GARBLED_QR]


def test_paused_listener_lets_everything_through(
    edit: RecordingLineEdit, listener: ScannerListener, scans: list[str], clock: FakeClock
) -> None:
    listener.set_active(False)
    type_keys(edit, "022052000123|1|x|01011950|Nam", clock, SCANNER_GAP)
    assert edit.text() == "022052000123|1|x|01011950|Nam" and scans == []
    listener.set_active(True)
    edit.clear()
    type_keys(edit, QR + "\r", clock, SCANNER_GAP)
    assert scans == [QR] and edit.text() == ""


def test_uninstall_hands_back_held_keys(
    edit: RecordingLineEdit, listener: ScannerListener, clock: FakeClock
) -> None:
    type_keys(edit, "12", clock, SCANNER_GAP)
    assert edit.text() == ""
    listener.uninstall()
    assert edit.text() == "12"
    type_keys(edit, "34", clock, SCANNER_GAP)
    assert edit.text() == "1234"
