"""The lock screen: it covers the whole main window, and every dialog the window has open, until the person who locked
it types their password.

Nothing about the people being paid may show while the teller is away from the desk: no name, ID number, amount or
cash on hand. So the lock is an opaque layer over the whole window (menus, status bar and all), the window's own
widgets are disabled underneath (no key, mnemonic or shortcut reaches them), and any dialog of the window — open at
the moment of locking, or opened behind the lock by a background task — gets an opaque cover of its own. It says who
locked the screen and when, and whether by hand (Ctrl+L) or because nobody used the laptop ("Máy đã tự khóa vì không
dùng" only then). The store stays open behind it (the keys stay in memory), so the automatic sync goes on.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QMainWindow, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.domain.model import Staff
from app.store.store import Store
from app.ui.signin_dialog import SignInForm
from app.ui.tasks import DbRunner

BACKGROUND = "#263238"


class _Cover(QWidget):
    """An opaque cover over a dialog of the locked window."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"#lockCover {{ background:{BACKGROUND}; }}")
        label = QLabel(self.tr("Màn hình đã khóa"), self)
        label.setStyleSheet("color:white;font-weight:bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)
        self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class LockScreen(QWidget):
    """The layer over a locked main window; ``unlocked`` carries the staff member once their password is right."""

    unlocked = Signal(object)

    def __init__(self, window: QMainWindow, runner: DbRunner, store: Store, staff: Staff, lang: str, *,
                 idle: bool, at: dt.datetime) -> None:
        super().__init__(window)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"#lockScreen {{ background:{BACKGROUND}; }} "
                           "#lockPanel { background:white; border-radius:6px; }")
        self._window = window
        self._staff = staff
        self.idle = idle
        self._disabled: list[QWidget] = []
        self._covers: dict[QWidget, _Cover] = {}

        panel = QFrame(self)
        panel.setObjectName("lockPanel")
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(28, 24, 28, 20)
        title = QLabel(self.tr("Màn hình đã khóa"), panel)
        title.setObjectName("lockTitle")
        title.setStyleSheet("font-size:18pt;font-weight:bold;")
        inner.addWidget(title)
        when = store.province_time.format_time_date(at)
        if idle:
            reason = self.tr("Máy đã tự khóa vì không dùng (lúc {time}). Người đang làm việc: {name}.").format(
                time=when, name=staff.full_name)
        else:
            reason = self.tr("{name} đã khóa màn hình lúc {time}.").format(name=staff.full_name, time=when)
        self.reason = QLabel(reason, panel)
        self.reason.setObjectName("lockReason")
        self.reason.setWordWrap(True)
        inner.addWidget(self.reason)
        ask = QLabel(self.tr("Nhập mật khẩu của {name} để mở khóa. Dữ liệu vẫn được đồng bộ với tỉnh trong khi "
                             "khóa.").format(name=staff.full_name), panel)
        ask.setWordWrap(True)
        inner.addWidget(ask)

        def attempt(username: str, password: str) -> Staff:
            return store.staff.sign_in(username, password)

        self.form = SignInForm(runner, lang, attempt, fixed_username=staff.username,
                               button_text=self.tr("Mở khóa"), parent=panel)
        self.form.signedIn.connect(self._signed_in)
        inner.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(panel, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.username, self.password = self.form.username, self.form.password
        self.message, self.sign_in_button = self.form.message, self.form.sign_in_button

    # --- covering -------------------------------------------------------------------------------------------------

    def cover(self) -> None:
        """Cover the window and its dialogs, disable what is underneath, and take the keyboard."""
        window = self._window
        for widget in (window.centralWidget(), window.menuBar(), window.statusBar()):
            if widget is not None and widget.isEnabled():
                widget.setEnabled(False)
                self._disabled.append(widget)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()
        for top in QApplication.topLevelWidgets():
            self._cover_if_ours(top)
        window.installEventFilter(self)
        if (app := QApplication.instance()) is not None:
            app.installEventFilter(self)
        self.password.setFocus()

    def uncover(self) -> None:
        if (app := QApplication.instance()) is not None:
            app.removeEventFilter(self)
        self._window.removeEventFilter(self)
        for dialog, cover in self._covers.items():
            if isValid(dialog):  # a dialog closed behind the lock is gone with its cover
                cover.deleteLater()
                dialog.setEnabled(True)
        self._covers.clear()
        for widget in self._disabled:
            widget.setEnabled(True)
        self._disabled.clear()
        self.form.forget()
        self.hide()

    def _cover_if_ours(self, top: QWidget) -> None:
        """A visible window of the locked main window (a dialog, a message box) gets its own cover."""
        if top is self._window or top in self._covers or not top.isWindow() or not top.isVisible():
            return
        owner = top.parentWidget()
        while owner is not None and owner is not self._window:
            owner = owner.parentWidget()
        if owner is None:
            return
        top.setEnabled(False)
        self._covers[top] = _Cover(top)

    def covered_dialogs(self) -> list[QWidget]:
        return list(self._covers)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
        elif kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self._cover_if_ours(watched)
        elif kind == QEvent.Type.Resize and watched in self._covers:
            self._covers[watched].setGeometry(watched.rect())
        elif kind == QEvent.Type.Shortcut:
            # F2, Ctrl+Enter, F7… never reach the window behind the lock; only the lock's own keys work
            inside = isinstance(watched, QWidget) and (watched is self or self.isAncestorOf(watched))
            if isinstance(watched, QAction) or not inside:
                return True
        return False

    def _signed_in(self, staff: Staff) -> None:
        if staff.username != self._staff.username:  # only the person who locked it (the form fixes the name)
            return
        self.uncover()
        self.unlocked.emit(staff)
