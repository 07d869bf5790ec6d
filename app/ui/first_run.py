"""The first-run screen: what a new laptop shows instead of a sign-in box with no account behind it.

On a fresh data folder ``payout-desk`` offers two ways on: enrol the laptop with the province (server address,
one-time code, the province's CA file — ``app.ui.enrol_dialog.EnrolForm``), download the list and the staff accounts
with a first sync, then sign in with one of the accounts that arrived; or, for a laptop that will work without a
province server, create the first supervisor account. The first sign-in gives that person's password a key slot, so
it opens the laptop's encrypted data from then on.

Leaving before anyone signed in: a folder nobody can open again is cleaned up (nothing was recorded yet), or, once
enrolled, the screen warns that the laptop would have to be enrolled again. A folder left like that by an earlier
run (``unfinished``) is set aside (``set_aside_unfinished``) when the laptop is set up again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import Role, Staff
from app.store.store import Store, remove_unused, set_aside_unfinished
from app.ui.enrol_dialog import EnrolForm, EnrolFunction
from app.ui.errors import error_text
from app.ui.signin_dialog import SignInForm
from app.ui.tasks import DbRunner, ThreadTask

if TYPE_CHECKING:
    from app.sync.engine import SyncReport

EngineFactory = Callable[[Store], object]
"""Makes the first sync's engine (``app.sync.engine.SyncEngine`` by default; anything with ``run()``)."""

MIN_PASSWORD = 8
GREEN, RED, GREY = "#1b5e20", "#b71c1c", "#37474f"


def default_engine(store: Store) -> object:
    from app.sync.engine import SyncEngine

    return SyncEngine(store, max_attempts=3)


class FirstRunDialog(QDialog):
    """Set up a new laptop; once accepted, ``store`` is open and ``staff`` is signed in."""

    def __init__(self, runner: DbRunner, folder: Path, lang: str, *, store: Store | None = None,
                 unfinished: bool = False, demo: bool = False, enrol: EnrolFunction | None = None,
                 engine_factory: EngineFactory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Cài đặt máy — Payout Desk"))
        self.setMinimumWidth(620)
        self._runner = runner
        self._folder = Path(folder)
        self._lang = lang
        self._demo = demo
        self._unfinished = unfinished
        self._enrol = enrol
        self._engine_factory = engine_factory or default_engine
        self.store: Store | None = store
        self.staff: Staff | None = None
        self._sync = ThreadTask("payout-desk-first-sync", self)
        self._sync.finished.connect(self._synced)
        self._sync.failed.connect(self._sync_failed)

        layout = QVBoxLayout(self)
        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages)
        self.pages.addWidget(self._choose_page())
        self.enrol_page = QWidget(self)
        self.enrol_page.setObjectName("enrolPage")
        self.enrol_layout = QVBoxLayout(self.enrol_page)
        self.pages.addWidget(self.enrol_page)
        self.enrol_form: EnrolForm | None = None
        self.pages.addWidget(self._sync_page())
        self.pages.addWidget(self._sign_in_page())
        self.pages.addWidget(self._local_page())

    # --- pages ------------------------------------------------------------------------------------------------------

    def _page(self, name: str, title: str) -> tuple[QWidget, QVBoxLayout]:
        """A page with its object name and its large title."""
        page = QWidget(self)
        page.setObjectName(name)
        layout = QVBoxLayout(page)
        heading = QLabel(title, page)
        heading.setStyleSheet("font-size:16pt;font-weight:bold;")
        layout.addWidget(heading)
        return page, layout

    def _choose_page(self) -> QWidget:
        page, layout = self._page("choosePage", self.tr("Cài đặt máy mới"))
        if self._unfinished:
            note = QLabel(self.tr("Lần cài đặt trước chưa xong: chưa ai đăng nhập nên không mở được dữ liệu đã tải "
                                  "về. Dữ liệu đó sẽ được cất sang một thư mục riêng trong thư mục dữ liệu, rồi "
                                  "cài đặt lại từ đầu (đăng ký lại cần mã mới do tỉnh cấp)."), page)
            note.setObjectName("unfinishedNote")
            note.setWordWrap(True)
            note.setStyleSheet(f"color:{RED};")
            layout.addWidget(note)
        intro = QLabel(self.tr("Máy này chưa có dữ liệu chi trả. Chọn một cách bắt đầu:"), page)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.enrol_choice = QPushButton(self.tr("Đăng ký máy với máy chủ tỉnh (nên chọn)"), page)
        self.enrol_choice.setObjectName("enrolChoice")
        self.enrol_choice.clicked.connect(lambda: self._with_store(self._show_enrol))
        layout.addWidget(self.enrol_choice)
        enrol_help = QLabel(self.tr("Cần địa chỉ máy chủ tỉnh và mã đăng ký do cán bộ tỉnh cấp. Danh sách chi trả và "
                                    "tài khoản nhân viên sẽ được tải về từ tỉnh."), page)
        enrol_help.setWordWrap(True)
        enrol_help.setStyleSheet(f"color:{GREY};")
        layout.addWidget(enrol_help)
        self.local_choice = QPushButton(self.tr("Dùng máy này không có máy chủ tỉnh: tạo tài khoản giám sát viên "
                                                "đầu tiên"), page)
        self.local_choice.setObjectName("localChoice")
        self.local_choice.clicked.connect(lambda: self._with_store(self._show_local))
        layout.addWidget(self.local_choice)
        self.choose_message = QLabel("", page)
        self.choose_message.setObjectName("chooseMessage")
        self.choose_message.setWordWrap(True)
        self.choose_message.setStyleSheet(f"color:{RED};")
        layout.addWidget(self.choose_message)
        layout.addStretch(1)
        quit_row = QHBoxLayout()
        quit_row.addStretch(1)
        quit_button = QPushButton(self.tr("Thoát"), page)
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        quit_row.addWidget(quit_button)
        layout.addLayout(quit_row)
        return page

    def _sync_page(self) -> QWidget:
        page, layout = self._page("syncPage", self.tr("Nhận dữ liệu từ tỉnh"))
        self.sync_status = QLabel("", page)
        self.sync_status.setObjectName("syncStatus")
        self.sync_status.setWordWrap(True)
        layout.addWidget(self.sync_status)
        self.sync_busy = QProgressBar(page)
        self.sync_busy.setRange(0, 0)
        self.sync_busy.setTextVisible(False)
        layout.addWidget(self.sync_busy)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.retry_sync = QPushButton(self.tr("Đồng bộ lại"), page)
        self.retry_sync.setObjectName("retrySync")
        self.retry_sync.clicked.connect(self.start_sync)
        self.retry_sync.hide()
        row.addWidget(self.retry_sync)
        layout.addLayout(row)
        return page

    def _sign_in_page(self) -> QWidget:
        page, layout = self._page("signInPage", self.tr("Đăng nhập lần đầu trên máy này"))
        self.accounts = QLabel("", page)
        self.accounts.setObjectName("accounts")
        self.accounts.setWordWrap(True)
        layout.addWidget(self.accounts)
        self.sign_in_form = SignInForm(self._runner, self._lang, self._sign_in_attempt, parent=page)
        self.sign_in_form.signedIn.connect(self._signed_in)
        layout.addWidget(self.sign_in_form)
        layout.addStretch(1)
        return page

    def _local_page(self) -> QWidget:
        page, layout = self._page("localPage", self.tr("Tài khoản giám sát viên đầu tiên"))
        intro = QLabel(self.tr("Máy làm việc không có máy chủ tỉnh: danh sách chi trả được nhập từ tệp, tài khoản "
                               "nhân viên do giám sát viên tạo. Mật khẩu này mở được dữ liệu trên máy: hãy nhớ kỹ."),
                       page)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.full_name = QLineEdit(page)
        self.full_name.setObjectName("fullName")
        self.full_name.setMaxLength(100)
        self.new_username = QLineEdit(page)
        self.new_username.setObjectName("newUsername")
        self.new_username.setMaxLength(50)
        self.new_password = QLineEdit(page)
        self.new_password.setObjectName("newPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.setMaxLength(200)
        self.repeat_password = QLineEdit(page)
        self.repeat_password.setObjectName("repeatPassword")
        self.repeat_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_password.setMaxLength(200)
        form.addRow(self.tr("Họ và tên"), self.full_name)
        form.addRow(self.tr("Tên đăng nhập"), self.new_username)
        form.addRow(self.tr("Mật khẩu"), self.new_password)
        form.addRow(self.tr("Nhập lại mật khẩu"), self.repeat_password)
        layout.addLayout(form)
        self.local_message = QLabel("", page)
        self.local_message.setObjectName("localMessage")
        self.local_message.setWordWrap(True)
        self.local_message.setStyleSheet(f"color:{RED};")
        self.local_message.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        layout.addWidget(self.local_message)
        layout.addStretch(1)
        row = QHBoxLayout()
        back = QPushButton(self.tr("Quay lại"), page)
        back.setAutoDefault(False)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        row.addWidget(back)
        row.addStretch(1)
        self.create_account = QPushButton(self.tr("Tạo tài khoản và đăng nhập"), page)
        self.create_account.setObjectName("createAccount")
        self.create_account.setDefault(True)
        self.create_account.clicked.connect(self._create_first_supervisor)
        row.addWidget(self.create_account)
        layout.addLayout(row)
        return page

    # --- the store ----------------------------------------------------------------------------------------------

    def _with_store(self, then: Callable[[], None]) -> None:
        """Create the data folder's store (first time only), then go on."""
        if self.store is not None:
            then()
            return
        folder, demo, unfinished = self._folder, self._demo, self._unfinished
        for button in (self.enrol_choice, self.local_choice):
            button.setEnabled(False)

        def create() -> Store:
            if unfinished:
                set_aside_unfinished(folder)
            return Store.open(folder, create=True, demo=demo)

        def created(store: Store) -> None:
            self._unfinished = False
            self.store = store
            for button in (self.enrol_choice, self.local_choice):
                button.setEnabled(True)
            then()

        def failed(error: BaseException) -> None:
            for button in (self.enrol_choice, self.local_choice):
                button.setEnabled(True)
            self.choose_message.setText(error_text(error, self._lang))

        self._runner.submit(create, created, failed)

    # --- enrolling, then the first sync -------------------------------------------------------------------------

    def _show_enrol(self) -> None:
        assert self.store is not None
        if self.enrol_form is None:
            layout = self.enrol_layout
            title = QLabel(self.tr("Đăng ký máy với máy chủ tỉnh"), self.enrol_page)
            title.setStyleSheet("font-size:16pt;font-weight:bold;")
            layout.addWidget(title)
            self.enrol_form = EnrolForm(self.store, self._lang, enrol=self._enrol, parent=self.enrol_page)
            layout.addWidget(self.enrol_form)
            layout.addStretch(1)
            row = QHBoxLayout()
            back = QPushButton(self.tr("Quay lại"), self.enrol_page)
            back.setAutoDefault(False)
            back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
            row.addWidget(back)
            row.addStretch(1)
            row.addWidget(self.enrol_form.confirm)
            self.enrol_form.confirm.setDefault(True)
            layout.addLayout(row)
            self.enrol_form.hold_while_busy(back)
            self.enrol_form.enrolled.connect(lambda _communes: self.start_sync())
        self.pages.setCurrentWidget(self.enrol_page)
        self.enrol_form.server.setFocus()

    def start_sync(self) -> None:
        """The first sync: the list of this laptop's communes and its staff accounts come down from the province."""
        if self.store is None or self._sync.running:
            return
        self.pages.setCurrentIndex(2)
        self.retry_sync.hide()
        self.sync_busy.show()
        self.sync_status.setStyleSheet("")
        self.sync_status.setText(self.tr("Đang nhận danh sách chi trả và tài khoản nhân viên từ tỉnh… Lần đầu có thể "
                                         "mất vài phút."))
        store, factory = self.store, self._engine_factory
        self._sync.start(lambda: factory(store).run())  # type: ignore[attr-defined]

    def _synced(self, report: SyncReport) -> None:
        if self.store is None:
            return
        store = self.store
        self._runner.submit(store.staff.active, lambda staff: self._staff_arrived(report, staff), self._sync_failed)

    def _staff_arrived(self, report: SyncReport, staff: list[Staff]) -> None:
        self.sync_busy.hide()
        if staff:
            self.accounts.setText(self.tr("Tài khoản nhân viên nhận từ tỉnh: {names}. Đăng nhập bằng tài khoản của "
                                          "mình: lần đăng nhập đầu tiên này cho mật khẩu của bạn mở được dữ liệu trên "
                                          "máy này.").format(
                names=", ".join(f"{person.full_name} ({person.username})" for person in staff)))
            self.pages.setCurrentIndex(3)
            self.sign_in_form.username.setFocus()
            return
        self.sync_status.setStyleSheet(f"color:{RED};")
        if not report.ok:
            problem = report.error_en if self._lang == "en" else report.error
            self.sync_status.setText(self.tr("Chưa nhận được dữ liệu từ tỉnh: {problem}").format(problem=problem))
        else:
            self.sync_status.setText(self.tr("Tỉnh chưa gửi tài khoản nhân viên nào cho các xã của máy này. Báo cán bộ "
                                             "tỉnh thêm tài khoản giao dịch viên hoặc giám sát viên của xã, rồi bấm "
                                             "«Đồng bộ lại»."))
        self.retry_sync.show()

    def _sync_failed(self, error: BaseException) -> None:
        self.sync_busy.hide()
        self.sync_status.setStyleSheet(f"color:{RED};")
        self.sync_status.setText(error_text(error, self._lang))
        self.retry_sync.show()

    def _sign_in_attempt(self, username: str, password: str) -> Staff:
        assert self.store is not None
        return self.store.staff.sign_in(username, password)

    def _signed_in(self, staff: Staff) -> None:
        self.staff = staff
        self.accept()

    # --- a laptop without a province server ---------------------------------------------------------------------

    def _show_local(self) -> None:
        self.pages.setCurrentIndex(4)
        self.full_name.setFocus()

    def _create_first_supervisor(self) -> None:
        name, username = self.full_name.text().strip(), self.new_username.text().strip()
        password, again = self.new_password.text(), self.repeat_password.text()
        problem, focus = "", None
        if not name:
            problem, focus = self.tr("Nhập họ và tên giám sát viên"), self.full_name
        elif not username or any(ch.isspace() for ch in username):
            problem, focus = self.tr("Tên đăng nhập không được trống hay có dấu cách"), self.new_username
        elif len(password) < MIN_PASSWORD:
            problem, focus = self.tr("Mật khẩu cần ít nhất {count} ký tự").format(count=MIN_PASSWORD), \
                self.new_password
        elif password != again:
            problem, focus = self.tr("Hai lần nhập mật khẩu không khớp"), self.repeat_password
        if problem and focus is not None:
            self.local_message.setText(problem)
            focus.setFocus()
            return
        assert self.store is not None
        store = self.store
        self.create_account.setEnabled(False)
        self.local_message.setText("")

        def work() -> Staff:
            store.staff.add(username, name, Role.SUPERVISOR, password)
            return store.staff.sign_in(username, password)

        def failed(error: BaseException) -> None:
            self.create_account.setEnabled(True)
            self.local_message.setText(error_text(error, self._lang))

        self._runner.submit(work, self._signed_in, failed)

    # --- leaving --------------------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._sync.running or (self.enrol_form is not None and self.enrol_form.busy)

    def reject(self) -> None:
        """Leaving before anyone signed in: nothing half-made is left that nobody could open."""
        if self.busy:
            return
        store = self.store
        if store is not None and not store.vault.holders() and store.keyring is None:
            enrolled = self._runner.run_sync(store.sync.enrolment) is not None
            if enrolled:
                answer = QMessageBox.question(
                    self, self.tr("Chưa ai đăng nhập"),
                    self.tr("Máy đã đăng ký với tỉnh nhưng chưa ai đăng nhập trên máy này. Nếu thoát bây giờ, dữ liệu "
                            "vừa nhận sẽ không mở lại được và phải đăng ký lại với mã mới. Vẫn thoát?"))
                if answer != QMessageBox.StandardButton.Yes:
                    return
                self._runner.run_sync(store.close)
            else:
                self._runner.run_sync(store.close)
                remove_unused(self._folder)
            self.store = None
        super().reject()

    def done(self, result: int) -> None:
        self.sign_in_form.forget()
        super().done(result)
