"""A supervisor approving a correction on the spot, and the base of the dialogs that write through the DbRunner.

Reversals and back-entries need a supervisor. At a village payout point the supervisor is often standing beside the
teller, so instead of switching users the correction dialog asks for the supervisor's username and password right
there (checked by ``store.staff.sign_in``, with its lockout) — or, when the signed-in staff member is a supervisor,
simply names them. The check runs on the worker thread in the same task as the correction it authorises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.domain.model import Role, Staff
from app.store.store import Store
from app.ui.errors import error_text
from app.ui.tasks import DbRunner

SIGN_IN_REFUSALS = frozenset({"sign_in_failed", "sign_in_unknown", "account_locked"})
"""The codes ``store.staff.sign_in`` refuses a password with: a refusal about the supervisor's sign-in."""


class NotSupervisorError(Exception):
    """The account signed in correctly but is not a supervisor."""

    def __init__(self, staff: Staff) -> None:
        super().__init__("not a supervisor")
        self.staff = staff


def verify_supervisor(store: Store, username: str, password: str) -> Staff:
    """Sign the supervisor in (lockout applies); runs on the worker thread."""
    staff = store.staff.sign_in(username, password)
    if staff.role is not Role.SUPERVISOR:
        raise NotSupervisorError(staff)
    return staff


class SupervisorBox(QGroupBox):
    """Username and password of the approving supervisor, or the signed-in supervisor's name.

    ``edited`` is emitted when either field is typed in: a dialog clears its refusal ("wrong password", "not a
    supervisor") once the supervisor types again, instead of leaving the old message up.
    """

    edited = Signal()

    def __init__(self, current: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorBox")
        self.setTitle(self.tr("Giám sát viên duyệt"))
        self._current = current
        form = QFormLayout(self)
        self.username = QLineEdit(self)
        self.username.setObjectName("supervisorUsername")
        self.password = QLineEdit(self)
        self.password.setObjectName("supervisorPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if self.signed_in_supervisor:
            note = QLabel(self.tr("{name} (giám sát viên đang đăng nhập)").format(name=current.full_name), self)
            note.setObjectName("supervisorSignedIn")
            form.addRow(self.tr("Người duyệt"), note)
            self.username.hide()
            self.password.hide()
        else:
            hint = QLabel(self.tr("Giám sát viên nhập tên đăng nhập và mật khẩu của mình tại chỗ."), self)
            hint.setWordWrap(True)
            form.addRow(hint)
            form.addRow(self.tr("Tên đăng nhập"), self.username)
            form.addRow(self.tr("Mật khẩu"), self.password)
        for field in (self.username, self.password):
            field.textEdited.connect(lambda _text: self.edited.emit())

    @property
    def signed_in_supervisor(self) -> bool:
        return self._current.role is Role.SUPERVISOR

    def missing(self) -> str:
        """What the form still lacks (empty when it can be checked)."""
        if self.signed_in_supervisor:
            return ""
        if not self.username.text().strip() or not self.password.text():
            return self.tr("Giám sát viên cần nhập tên đăng nhập và mật khẩu")
        return ""

    def approver(self, store: Store) -> Callable[[], Staff]:
        """A worker-thread callable returning the approving supervisor (or raising why not)."""
        if self.signed_in_supervisor:
            current = self._current
            return lambda: current
        username, password = self.username.text().strip(), self.password.text()
        return lambda: verify_supervisor(store, username, password)

    def refused_text(self, error: BaseException, lang: str) -> str:
        """The sentence for a failed approval; the password is cleared for another try."""
        self.password.clear()
        if isinstance(error, NotSupervisorError):
            self.password.setFocus()
            return self.tr("{name} không phải giám sát viên: cần giám sát viên duyệt").format(
                name=error.staff.full_name)
        return error_text(error, lang)


class TaskDialog(QDialog):
    """A dialog whose store work runs on the window's ``DbRunner``.

    It cannot be dismissed while a change is being written (so the window always hears about a commit), and results
    that arrive after it has been closed are dropped instead of touching deleted widgets.
    """

    def __init__(self, runner: DbRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._gone = False
        self._writing = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    @property
    def writing(self) -> bool:
        return self._writing

    def submit(self, work: Callable[[], Any], done: Callable[[Any], None],
               failed: Callable[[BaseException], None], *, writes: bool = False, tag: str | None = None) -> None:
        if writes:
            self._writing = True

        def on_done(result: Any) -> None:
            if writes:
                self._writing = False
            if not self._gone:
                done(result)

        def on_failed(error: BaseException) -> None:
            if writes:
                self._writing = False
            if not self._gone:
                failed(error)

        self._runner.submit(work, on_done, on_failed, tag=tag)

    def reject(self) -> None:
        if self._writing:
            return
        super().reject()

    def done(self, result: int) -> None:
        self._gone = True
        super().done(result)
