"""Telling a USB QR scanner from a person at the keyboard, wherever the keyboard focus is.

A scanner reading a chip ID card types the QR text (`id|old id|name|ddmmyyyy|gender|address|ddmmyyyy`) as
keystrokes a few milliseconds apart, usually followed by Enter. Left alone, those keys land in whatever has focus —
a search box, a dialog's line edit, a button — and the Enter may even accept a dialog. ScannerListener watches
every key event of the application: a burst that starts with a digit (or the "]" of an AIM prefix) and goes on with
keys less than `gap_ms` apart is held back. When the burst ends (Enter or Tab, a pause, or a later slow key) and its
text looks like an ID-card QR, `scanned(text)` is emitted and the keys are dropped; otherwise the held keys are
re-delivered, in order, to the widgets that received them, so no keystroke is ever lost — a person's digits merely
appear about a tenth of a second late.
"""

from __future__ import annotations

import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.idcard import looks_like_id_card_qr

__all__ = ["DEFAULT_GAP_MS", "ScannerListener", "is_qr_paste"]

DEFAULT_GAP_MS = 50
# A QR text is under 200 characters; a longer "burst" is someone holding keys down or a macro, not a card.
_MAX_BURST_CHARS = 512
# After a scan is swallowed, the releases of its last keys (Enter) still arrive; drop them if they come this soon.
_RELEASE_GRACE_MS = 500.0
_TERMINATORS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab})
_BURST_STARTERS = frozenset("0123456789]")
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)
_KEY_PRESS = QEvent.Type.KeyPress
_KEY_RELEASE = QEvent.Type.KeyRelease
_SHORTCUT_OVERRIDE = QEvent.Type.ShortcutOverride
_INPUT_METHOD = QEvent.Type.InputMethod
_WATCHED = frozenset({_KEY_PRESS, _KEY_RELEASE, _SHORTCUT_OVERRIDE, _INPUT_METHOD})


def _strip_line_end(text: str) -> str:
    return text.rstrip("\r\n")


def is_qr_paste(text: str) -> bool:
    """True when pasted text is an ID-card QR (copied from a phone app or a file); a trailing line break is ignored."""
    return looks_like_id_card_qr(_strip_line_end(text))


def _printable(text: str) -> str:
    """The characters a key adds to the scanned text: Enter's "\\r", Tab and other controls are not part of it."""
    return "".join(ch for ch in text if ch.isprintable())


def _pointer(event: QEvent) -> int:
    return int(shiboken6.getCppPointer(event)[0])


@dataclass(slots=True)
class _Held:
    """A held-back key (or input-method commit): our own copy, and the widget it was on its way to."""

    receiver: weakref.ReferenceType[QWidget]
    event: QKeyEvent | QInputMethodEvent


class ScannerListener(QObject):
    """Application-wide event filter that turns a scanner's keystroke burst into one `scanned(text)` signal.

    `clock` (milliseconds, monotonic) is injectable so tests control the gaps instead of sleeping; without it the
    listener prefers the events' own timestamps, which stay true even when the GUI thread was briefly busy.
    """

    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        gap_ms: float = DEFAULT_GAP_MS,
        timeout_ms: float | None = None,
        clock: Callable[[], float] | None = None,
        install: bool = True,
    ) -> None:
        super().__init__(parent)
        if gap_ms <= 0:
            raise ValueError("gap_ms must be positive")
        self._gap_ms = float(gap_ms)
        self._clock = clock
        self._active = True
        self._installed_on: QCoreApplication | None = None
        self._held: list[_Held] = []
        self._text = ""
        self._last_mono = 0.0
        self._last_stamp = 0
        self._target: weakref.ReferenceType[QWidget] | None = None
        self._scan_target: weakref.ReferenceType[QWidget] | None = None
        self._orphans: Counter[int] = Counter()
        self._orphans_until = 0.0
        self._own_events: set[int] = set()
        self._redelivering = 0
        self._last_seen: tuple[int, QEvent.Type, int, str, weakref.ReferenceType[QWidget]] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # The give-up timer is longer than the gap: on a busy old laptop the next scanner key may be queued behind it.
        self._timer.setInterval(round(timeout_ms if timeout_ms is not None else max(2 * self._gap_ms, 100.0)))
        self._timer.timeout.connect(self.flush)
        if install:
            self.install()

    # ----- public API -------------------------------------------------------------------------------------------

    @property
    def gap_ms(self) -> float:
        return self._gap_ms

    def install(self) -> None:
        """Start watching every key event of the running application."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("ScannerListener needs a running QApplication")
        if self._installed_on is None:
            app.installEventFilter(self)
            self._installed_on = app

    def uninstall(self) -> None:
        """Stop watching; held keys are delivered first so nothing is lost."""
        self.flush()
        if self._installed_on is not None and shiboken6.isValid(self._installed_on):
            self._installed_on.removeEventFilter(self)
        self._installed_on = None

    def set_active(self, active: bool) -> None:
        """Pause detection (e.g. on a screen where codes are typed on purpose) without removing the filter."""
        if not active:
            self.flush()
        self._active = active

    def is_active(self) -> bool:
        return self._active

    def is_holding(self) -> bool:
        """True while keys of a possible scan are held back."""
        return bool(self._held)

    def scan_target(self) -> QWidget | None:
        """The widget that had focus when the last scan arrived, so a dialog can tell whether the scan is for it."""
        widget = self._scan_target() if self._scan_target is not None else None
        return widget if widget is not None and shiboken6.isValid(widget) else None

    def feed(self, text: str) -> bool:
        """Offer text that arrived in one piece (a paste, a drop, a test); emits `scanned` and returns True if it is
        an ID-card QR."""
        candidate = _strip_line_end(text)
        if not looks_like_id_card_qr(candidate):
            return False
        self.scanned.emit(candidate)
        return True

    def pasted(self, text: str, target: QWidget | None = None) -> bool:
        """Entry point for paste paths the filter cannot see (context-menu Paste, drag and drop)."""
        if not is_qr_paste(text):
            return False
        self._scan_target = weakref.ref(target) if target is not None else None
        return self.feed(text)

    def flush(self) -> None:
        """End the current burst now: emit it if it is a scan, else hand the held keys back to their widgets."""
        self._timer.stop()
        if not self._held:
            return
        held, text, target = self._held, self._text, self._target
        self._held, self._text, self._target = [], "", None
        if looks_like_id_card_qr(text):
            self._swallow_releases_of(held)
            self._scan_target = target
            self.scanned.emit(text)
        else:
            self._redeliver(held)

    # ----- the filter ----------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in _WATCHED or not self._active or not isinstance(watched, QWidget):
            return False
        if self._own_events and _pointer(event) in self._own_events:
            return False
        if kind == _SHORTCUT_OVERRIDE:
            assert isinstance(event, QKeyEvent)
            if self._claims_shortcut(event):
                event.accept()  # "a widget wants this key": no shortcut fires on a scanner's keystroke
                return True
            return False
        if kind == _INPUT_METHOD:
            assert isinstance(event, QInputMethodEvent)
            return self._on_input_method(watched, event)
        assert isinstance(event, QKeyEvent)
        if self._is_propagation(watched, event):
            return False
        self._last_seen = (_pointer(event), kind, event.key(), event.text(), weakref.ref(watched))
        if kind == _KEY_PRESS:
            return self._on_press(watched, event)
        return self._on_release(watched, event)

    def _is_propagation(self, watched: QWidget, event: QKeyEvent) -> bool:
        """True when Qt passes an ignored key on to a parent: the same event, already judged at the child."""
        last = self._last_seen
        if last is None:
            return False
        pointer, kind, key, text, receiver_ref = last
        receiver = receiver_ref()
        return (
            receiver is not None
            and pointer == _pointer(event)
            and kind == event.type()
            and key == event.key()
            and text == event.text()
            and shiboken6.isValid(receiver)
            and watched.isAncestorOf(receiver)
        )

    def _gap_exceeded(self, event: QEvent) -> bool:
        return self._gap_since_last(event) > self._gap_ms

    def _gap_since_last(self, event: QEvent) -> float:
        stamp = event.timestamp() if isinstance(event, QKeyEvent) else 0
        if self._clock is None and stamp and self._last_stamp and stamp >= self._last_stamp:
            return float(stamp - self._last_stamp)
        return self._now() - self._last_mono

    def _now(self) -> float:
        return self._clock() if self._clock is not None else time.monotonic() * 1000.0

    def _starts_burst(self, event: QKeyEvent) -> bool:
        return (
            not event.isAutoRepeat()
            and not event.modifiers() & _COMMAND_MODIFIERS
            and len(event.text()) == 1
            and event.text() in _BURST_STARTERS
        )

    def _claims_shortcut(self, event: QKeyEvent) -> bool:
        if self._redelivering:
            return False  # a key handed back behaves exactly like a typed one, shortcuts included
        if self._held:
            return not self._gap_exceeded(event)
        return self._starts_burst(event)

    def _hold(self, receiver: QWidget, event: QKeyEvent | QInputMethodEvent, text: str) -> None:
        if isinstance(event, QKeyEvent):
            copy: QKeyEvent | QInputMethodEvent = QKeyEvent(event)
            self._last_stamp = event.timestamp()
        else:
            copy = QInputMethodEvent(event)
        if not self._held:
            self._target = weakref.ref(receiver)
        self._held.append(_Held(weakref.ref(receiver), copy))
        self._text += _printable(text)
        self._last_mono = self._now()
        event.accept()
        self._timer.start()

    def _on_press(self, receiver: QWidget, event: QKeyEvent) -> bool:
        if self._held:
            if self._gap_exceeded(event):
                self.flush()
            else:
                self._hold(receiver, event, event.text())
                if event.key() in _TERMINATORS:
                    self.flush()
                elif len(self._text) > _MAX_BURST_CHARS:
                    self._give_back()
                return True
        if self._starts_burst(event):
            self._orphans.clear()
            self._hold(receiver, event, event.text())
            return True
        if event.matches(QKeySequence.StandardKey.Paste):
            clipboard = QGuiApplication.clipboard()
            if clipboard is not None and self.pasted(clipboard.text(), receiver):
                event.accept()
                return True
        return False

    def _on_release(self, receiver: QWidget, event: QKeyEvent) -> bool:
        if self._held:
            if not self._gap_exceeded(event):
                self._hold(receiver, event, "")
                return True
            self.flush()
        key = event.key()
        if self._orphans[key] > 0 and self._now() <= self._orphans_until:
            self._orphans[key] -= 1
            event.accept()
            return True
        return False

    def _on_input_method(self, receiver: QWidget, event: QInputMethodEvent) -> bool:
        """An input method may deliver characters of a burst as commits; keep them in order with the held keys."""
        if not self._held:
            return False
        if event.preeditString() or not event.commitString() or self._gap_exceeded(event):
            self.flush()
            return False
        self._hold(receiver, event, event.commitString())
        return True

    def _give_back(self) -> None:
        """Re-deliver without considering a scan (the burst is too long to be one)."""
        self._timer.stop()
        held = self._held
        self._held, self._text, self._target = [], "", None
        self._redeliver(held)

    def _swallow_releases_of(self, held: list[_Held]) -> None:
        """Remember which pressed keys of a swallowed scan still owe a release, so it does not reach a widget."""
        balance: Counter[int] = Counter()
        for item in held:
            if isinstance(item.event, QKeyEvent):
                balance[item.event.key()] += 1 if item.event.type() == _KEY_PRESS else -1
        self._orphans = Counter({key: count for key, count in balance.items() if count > 0})
        self._orphans_until = self._now() + _RELEASE_GRACE_MS

    def _redeliver(self, held: list[_Held]) -> None:
        """Send the held copies on, in order, to their widgets (or the focus widget if theirs is gone)."""
        self._redelivering += 1
        try:
            for item in held:
                receiver = item.receiver()
                if receiver is None or not shiboken6.isValid(receiver):
                    receiver = QApplication.focusWidget()
                if receiver is None:
                    continue
                pointer = _pointer(item.event)
                self._own_events.add(pointer)
                try:
                    QCoreApplication.sendEvent(receiver, item.event)
                finally:
                    self._own_events.discard(pointer)
        finally:
            self._redelivering -= 1
