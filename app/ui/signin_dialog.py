"""Offline sign-in: username and password against the locally cached Argon2id verifiers, with lockout."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import Staff
from app.store.store import Store
from app.ui.errors import error_text
from app.ui.tasks import DbRunner


class SignInDialog(QDialog):
    """Asks for a username and password; ``signedIn`` carries the staff member once the store accepts them.

    With ``locked_user`` set it is the idle-lock screen: only that user's password unlocks it.
    """

    signedIn = Signal(object)

    def __init__(self, runner: DbRunner, store: Store, lang: str, *, demo: bool = False,
                 locked_user: Staff | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = store
        self._lang = lang
        self.staff: Staff | None = None
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Đăng nhập — Payout Desk") if locked_user is None else self.tr("Màn hình đã khóa"))
        self.setModal(True)

        layout = QVBoxLayout(self)
        if demo:
            banner = QLabel(self.tr("DỮ LIỆU THỬ"))
            banner.setObjectName("demoBanner")
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setStyleSheet("background:#c62828;color:white;font-weight:bold;padding:4px;")
            layout.addWidget(banner)
        if locked_user is not None:
            layout.addWidget(QLabel(self.tr("Máy đã tự khóa vì không dùng. Nhập mật khẩu của {name} để tiếp tục.")
                                    .format(name=locked_user.full_name)))
        form = QFormLayout()
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Tên đăng nhập"), self.username)
        form.addRow(self.tr("Mật khẩu"), self.password)
        layout.addLayout(form)
        if locked_user is not None:
            self.username.setText(locked_user.username)
            self.username.setReadOnly(True)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b71c1c;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.sign_in_button = buttons.addButton(self.tr("Đăng nhập"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setObjectName("signInButton")
        if locked_user is None:
            buttons.addButton(self.tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if locked_user is not None else self.username).setFocus()

    def _try(self) -> None:
        username, password = self.username.text(), self.password.text()
        if not username.strip() or not password:
            self.message.setText(self.tr("Nhập tên đăng nhập và mật khẩu"))
            return
        self.sign_in_button.setEnabled(False)
        self.message.setText(self.tr("Đang kiểm tra…"))
        self._runner.submit(lambda: self._store.staff.sign_in(username, password), self._accepted, self._refused)

    def _accepted(self, staff: Staff) -> None:
        self.staff = staff
        self.signedIn.emit(staff)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.sign_in_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.message.setText(error_text(error, self._lang))

    def reject(self) -> None:
        if self.username.isReadOnly():  # the idle lock cannot be dismissed without the password
            return
        super().reject()
