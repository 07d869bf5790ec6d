"""Locking the screen after a period without input, keeping everything on screen as it was."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Emits ``idle`` once when no key, mouse, touch or pen input reached the application for ``timeout_ms``."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle.emit)
        self._paused = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if timeout_ms > 0:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._paused and event.type() in _ACTIVITY and self._timer.interval() > 0:
            self._timer.start()
        return False

    def pause(self) -> None:
        """Stop counting while the lock screen is up."""
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        if self._timer.interval() > 0:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
