"""Signing in: the form every "who are you?" screen uses, and the sign-in dialog the program starts with.

The same ``SignInForm`` serves the dialog at start (which may also be what opens the laptop's encrypted data: the
password opens the staff member's key slot), the lock screen (``app.ui.lock_screen``), the first-run screen
(``app.ui.first_run``) and "add a person who signs in on this laptop". The form keeps room for two lines of message
below the fields, so an error never squeezes or moves the fields, and the sentence comes whole from the store's
error (attempts left, until when, whom to ask), never with a placeholder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import Staff
from app.store.store import Store
from app.ui.errors import error_text
from app.ui.tasks import DbRunner

Attempt = Callable[[str, str], Any]
"""``(username, password) -> result``, run on the store's worker thread; raises the store's refusal."""

FORM_WIDTH = 440
MESSAGE_LINES = 3


class SignInForm(QWidget):
    """Username (or a fixed one), password, the message, and the button; ``signedIn`` carries ``attempt``'s result."""

    signedIn = Signal(object)

    def __init__(self, runner: DbRunner, lang: str, attempt: Attempt, *, fixed_username: str | None = None,
                 button_text: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInForm")
        self._runner = runner
        self._lang = lang
        self._attempt = attempt
        self._gone = False
        self.setMinimumWidth(FORM_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.username.setMaxLength(100)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(200)
        form.addRow(self.tr("Tên đăng nhập"), self.username)
        form.addRow(self.tr("Mật khẩu"), self.password)
        layout.addLayout(form)
        if fixed_username is not None:
            self.username.setText(fixed_username)
            self.username.setReadOnly(True)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message.setStyleSheet("color:#b71c1c;")
        # room for the longest message, kept whether or not one is shown: the form never jumps or squeezes
        self._reserved = self.fontMetrics().lineSpacing() * MESSAGE_LINES + 4
        self.message.setMinimumHeight(self._reserved)
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.message)
        self.sign_in_button = QPushButton(button_text or self.tr("Đăng nhập"), self)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.sign_in_button.clicked.connect(self.submit)
        self.buttons = QHBoxLayout()
        """The button row: the owner may add its own (Thoát) beside the sign-in button."""
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.sign_in_button)
        layout.addLayout(self.buttons)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        (self.password if fixed_username is not None else self.username).setFocus()

    @property
    def busy(self) -> bool:
        return not self.sign_in_button.isEnabled()

    def say(self, text: str, color: str = "#b71c1c") -> None:
        """Show a message below the fields; a long one makes the form taller, never narrower."""
        self.message.setStyleSheet(f"color:{color};")
        self.message.setText(text)
        width = max(self.message.width(), FORM_WIDTH)
        needed = max(self._reserved, self.message.heightForWidth(width))
        if needed != self.message.minimumHeight():
            self.message.setMinimumHeight(needed)
            self.message.updateGeometry()

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if self.busy:
            return
        if not username or not password:
            self.say(self.tr("Nhập tên đăng nhập và mật khẩu"))
            (self.password if username else self.username).setFocus()
            return
        self.sign_in_button.setEnabled(False)
        self.say(self.tr("Đang kiểm tra…"), "#37474f")
        attempt = self._attempt
        self._runner.submit(lambda: attempt(username, password), self._accepted, self._refused)

    def _accepted(self, result: Any) -> None:
        if self._gone:
            return
        self.sign_in_button.setEnabled(True)
        self.password.clear()
        self.say("")
        self.signedIn.emit(result)

    def _refused(self, error: BaseException) -> None:
        if self._gone:
            return
        self.sign_in_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.say(error_text(error, self._lang))

    def forget(self) -> None:
        """Drop answers that arrive after the form's screen went away."""
        self._gone = True


class SignInDialog(QDialog):
    """The sign-in the program starts with; ``signedIn`` carries the staff member once the store accepts them.

    On an open store the password is checked against the staff member's verifier. Where the laptop's data is still
    closed (no OS keyring opened it) pass ``opener`` instead: it opens the data with the password (their key slot)
    and signs them in, returning ``(store, staff)``; ``holders`` names who can open this laptop.
    """

    signedIn = Signal(object)

    def __init__(self, runner: DbRunner, store: Store | None, lang: str, *, demo: bool = False,
                 opener: Callable[[str, str], tuple[Store, Staff]] | None = None, holders: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.staff: Staff | None = None
        self.store: Store | None = store
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Đăng nhập — Payout Desk"))
        self.setModal(True)

        layout = QVBoxLayout(self)
        if demo:
            banner = QLabel(self.tr("DỮ LIỆU THỬ"))
            banner.setObjectName("demoBanner")
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setStyleSheet("background:#c62828;color:white;font-weight:bold;padding:4px;")
            layout.addWidget(banner)
        attempt: Callable[[str, str], tuple[Store, Staff]]
        if store is not None:
            def sign_in(username: str, password: str) -> tuple[Store, Staff]:
                return store, store.staff.sign_in(username, password)
            attempt = sign_in
        elif opener is not None:
            attempt = opener
            note = QLabel(self.tr("Dữ liệu trên máy này được mã hóa. Mật khẩu của người đã từng đăng nhập trên máy "
                                  "này mở được dữ liệu: {holders}.").format(holders=holders), self)
            note.setObjectName("holders")
            note.setWordWrap(True)
            layout.addWidget(note)
        else:
            raise ValueError("a store or an opener")
        self.form = SignInForm(runner, lang, attempt, parent=self)
        self.form.signedIn.connect(self._accepted)
        layout.addWidget(self.form)
        quit_button = QPushButton(self.tr("Thoát"), self)
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        self.form.buttons.addWidget(quit_button)
        # The dialog takes the height its message needs (never narrower: the form keeps its width).
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)
        self.username, self.password = self.form.username, self.form.password
        self.message, self.sign_in_button = self.form.message, self.form.sign_in_button
        self.username.setFocus()

    def _accepted(self, result: tuple[Store, Staff]) -> None:
        self.store, self.staff = result
        self.signedIn.emit(self.staff)
        self.accept()

    def done(self, result: int) -> None:
        self.form.forget()
        super().done(result)


class AddPersonDialog(QDialog):
    """"Add a person who signs in on this laptop": a colleague signs in on the open laptop, so their password opens
    it from now on (their key slot is made against the verifier the province sent)."""

    def __init__(self, runner: DbRunner, store: Store, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addPersonDialog")
        self.setWindowTitle(self.tr("Thêm người đăng nhập trên máy này"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Người mới nhập tên đăng nhập và mật khẩu của mình (tài khoản do tỉnh cấp). Từ đó, "
                               "mật khẩu của họ mở được dữ liệu trên máy này."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = SignInForm(runner, lang, lambda username, password: store.staff.sign_in(username, password),
                               button_text=self.tr("Thêm"), parent=self)
        self.form.signedIn.connect(self._added)
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.added: list[Staff] = []

    def _added(self, staff: Staff) -> None:
        self.added.append(staff)
        self.form.username.clear()
        self.form.username.setFocus()
        self.form.say(self.tr("Từ nay {name} đăng nhập được trên máy này bằng mật khẩu của mình.").format(
            name=staff.full_name), "#1b5e20")

    def done(self, result: int) -> None:
        self.form.forget()
        super().done(result)
