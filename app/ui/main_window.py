"""The desk's main window: session bar, search and people list on the left, the person being paid on the right,
and a status bar with the session, cash on hand, people paid and remaining, and the sync control.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import BadInputError
from app.domain.model import Payment, PaymentRequest, PayoutSession, Reversal, SessionStatus, Staff
from app.domain.money import format_vnd
from app.domain.policy import PolicyReference
from app.store.desk import PersonRow, PersonState, SessionProgress
from app.store.payouts import PersonView
from app.store.search import SearchResult
from app.store.store import Store
from app.store.sync import SyncFlag, SyncStatus
from app.ui.back_entry_dialog import BackEntryDialog
from app.ui.close_day_dialog import CloseDayDialog
from app.documents.api import DocumentRequest
from app.documents.data import DocumentKind
from app.ui.document_viewer import DocumentMenu
from app.ui.enrol_dialog import EnrolDialog, EnrolFunction
from app.ui.errors import error_text, show_error
from app.ui.idle import IdleWatcher
from app.ui.qr_scanner import ScannerListener, is_qr_paste
from app.ui.settings import qsettings
from app.ui.settings_dialog import SettingsDialog
from app.ui.signin_dialog import SignInDialog
from app.ui.models import PeopleModel, RecordRole
from app.ui.pending_export import PendingExport
from app.ui.person_panel import PersonPanel
from app.ui.reversal_dialog import ReversalDialog
from app.ui.session_dialog import SessionDialog
from app.ui.sync_status import SyncControl
from app.ui.sync_worker import EngineFactory, SyncWorker
from app.ui.tasks import DbRunner

if TYPE_CHECKING:
    from app.sync.engine import SyncReport

SEARCH_DELAY_MS = 30  # coalesce a burst of keys; older queued searches are dropped anyway
BUSY_AFTER_MS = 500  # show "working" for anything that takes longer than half a second


class MainWindow(QMainWindow):
    sessionChanged = Signal(object)

    def __init__(self, runner: DbRunner, store: Store, staff: Staff, policy: PolicyReference, lang: str,
                 *, demo: bool = False, sync_engine_factory: EngineFactory | None = None,
                 enrol: EnrolFunction | None = None) -> None:
        """``sync_engine_factory`` makes the sync engine for each run and ``enrol`` enrols the device (tests inject
        fakes; default: the real ones)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self._runner = runner
        self._store = store
        self._staff = staff
        self._policy = policy
        self._lang = lang
        self._session: PayoutSession | None = None
        self._progress: SessionProgress | None = None
        self._current: str | None = None
        self._enrol = enrol
        self._sync_when_enrolled = False  # set by a fresh enrolment: the first sync starts once the status says so
        self.setWindowTitle(self.tr("Payout Desk — Chi trả trợ cấp người có công"))

        central = QWidget(self)
        layout = QVBoxLayout(central)
        if demo:
            banner = QLabel(self.tr("DỮ LIỆU THỬ — không dùng để chi trả thật"), central)
            banner.setObjectName("demoBanner")
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setStyleSheet("background:#c62828;color:white;font-weight:bold;padding:4px;")
            layout.addWidget(banner)
        self.session_label = QLabel(self.tr("Chưa mở phiên chi trả (F2)"), central)
        self.session_label.setObjectName("sessionLabel")
        self.session_label.setStyleSheet("font-weight:bold;")
        layout.addWidget(self.session_label)

        splitter = QSplitter(Qt.Orientation.Horizontal, central)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        self.search = QLineEdit(left)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(self.tr("Tìm: tên (không dấu), mã hồ sơ, số CCCD, thôn… hoặc quét mã QR"))
        self.search.setClearButtonEnabled(True)
        left_layout.addWidget(self.search)
        filters = QHBoxLayout()
        self.state_filter = QComboBox(left)
        self.state_filter.setObjectName("stateFilter")
        self.state_filter.addItem(self.tr("Tất cả"), None)
        self.state_filter.addItem(self.tr("Chưa nhận"), PersonState.UNPAID.value)
        self.state_filter.addItem(self.tr("Đã nhận"), PersonState.PAID.value)
        self.state_filter.addItem(self.tr("Không được chi"), PersonState.BLOCKED.value)
        self.village_filter = QComboBox(left)
        self.village_filter.setObjectName("villageFilter")
        self.village_filter.addItem(self.tr("Mọi thôn/tổ"), None)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.village_filter)
        left_layout.addLayout(filters)
        self.people_model = PeopleModel(policy, lang)
        self.people = QTableView(left)
        self.people.setObjectName("peopleTable")
        self.people.setModel(self.people_model)
        self.people.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.people.verticalHeader().setVisible(False)
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(20)  # size columns from the first rows, not every row on each keystroke
        left_layout.addWidget(self.people)
        self.search_info = QLabel("", left)
        self.search_info.setObjectName("searchInfo")
        left_layout.addWidget(self.search_info)

        self.panel = PersonPanel(policy, lang, splitter)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([470, 890])
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.status_session = QLabel("", self)
        self.status_cash = QLabel("", self)
        self.status_cash.setObjectName("cashOnHand")
        self.status_people = QLabel("", self)
        self.status_people.setObjectName("peopleProgress")
        self.sync = SyncControl(runner, store, SyncWorker(store, sync_engine_factory, self), lang, self)
        self.sync.synced.connect(self._synced)
        self.sync.statusShown.connect(self._sync_status_shown)
        self.pending_export = PendingExport(runner, store, lang, self)
        for widget in (self.status_session, self.status_cash, self.status_people):
            self.statusBar().addWidget(widget)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("busyIndicator")
        self.busy.setRange(0, 0)  # "working", no percentage
        self.busy.setMaximumWidth(120)
        self.busy.setFormat(self.tr("Đang xử lý…"))
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.sync)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self.busy.show)
        runner.busyChanged.connect(self._busy_changed)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search.textEdited.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._enter_in_search)
        self.state_filter.currentIndexChanged.connect(lambda _i: self.run_search())
        self.village_filter.currentIndexChanged.connect(lambda _i: self.run_search())
        self.people.selectionModel().currentRowChanged.connect(self._row_changed)
        self.people.activated.connect(lambda index: self._focus_panel())
        self.panel.confirmRequested.connect(self._pay)
        self.search.textEdited.connect(self._maybe_pasted_qr)
        self.scanner = ScannerListener(self)
        self.scanner.scanned.connect(self.scanned)
        self._idle: IdleWatcher | None = None
        self._lock_dialog: SignInDialog | None = None
        self._actions()
        self.documents = DocumentMenu(self)
        self.sync.refresh_status()

    # --- menus and shortcuts ------------------------------------------------------------------------------------

    def _actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Phiên chi trả"))
        self.open_session_action = QAction(self.tr("Mở phiên chi trả…"), self)
        self.open_session_action.setShortcut(QKeySequence("F2"))
        self.open_session_action.triggered.connect(self.ask_session)
        menu.addAction(self.open_session_action)
        find = QAction(self.tr("Tìm người"), self)
        find.setShortcuts([QKeySequence("F3"), QKeySequence("Ctrl+F")])
        find.triggered.connect(self.focus_search)
        menu.addAction(find)
        refresh = QAction(self.tr("Làm mới"), self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(self.refresh)
        menu.addAction(refresh)
        self.close_day_action = QAction(self.tr("Kết thúc ngày: đếm tiền, đóng phiên…"), self)
        self.close_day_action.setShortcut(QKeySequence("F9"))
        self.close_day_action.triggered.connect(self.close_day)
        menu.addAction(self.close_day_action)
        menu.addSeparator()
        self.enrol_action = QAction(self.tr("Đăng ký máy với máy chủ tỉnh…"), self)
        self.enrol_action.triggered.connect(self.enrol_device)
        menu.addAction(self.enrol_action)
        self.export_action = QAction(self.tr("Xuất nhật ký chờ gửi ra USB…"), self)
        self.export_action.triggered.connect(self.export_pending)
        menu.addAction(self.export_action)
        for action in (self.enrol_action, self.export_action):
            action.setEnabled(False)  # until the sync status says whether this device is enrolled
        menu.addSeparator()
        settings = QAction(self.tr("Cài đặt…"), self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        menu.addAction(settings)
        lock = QAction(self.tr("Khóa màn hình"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        menu.addAction(lock)
        quit_action = QAction(self.tr("Thoát"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

        corrections = self.menuBar().addMenu(self.tr("&Sửa sai"))
        self.reversal_action = QAction(self.tr("Hủy một khoản chi (giám sát viên)…"), self)
        self.reversal_action.setShortcut(QKeySequence("F7"))
        self.reversal_action.triggered.connect(self.reverse_payment)
        corrections.addAction(self.reversal_action)
        self.back_entry_action = QAction(self.tr("Nhập bù khoản đã chi trên giấy (giám sát viên)…"), self)
        self.back_entry_action.setShortcut(QKeySequence("F8"))
        self.back_entry_action.triggered.connect(self.back_enter_payment)
        corrections.addAction(self.back_entry_action)
        # a closed session pays no more: keep confirm off whenever the panel re-enables it (ticking a line)
        self.panel.lines_model.dataChanged.connect(lambda *_: self._keep_payments_closed())
        self.status_closed = QLabel(self.tr("Phiên đã đóng"), self)
        self.status_closed.setObjectName("sessionClosed")
        self.status_closed.setStyleSheet("color:#b71c1c;font-weight:bold;")
        self.status_closed.hide()
        self.statusBar().insertWidget(0, self.status_closed)

    # --- busy indicator and settings -----------------------------------------------------------------------------

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.hide()

    def open_settings(self) -> None:
        dialog = SettingsDialog(qsettings(), self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.enable_idle_lock(dialog.idle_minutes())
            self.enable_auto_sync(dialog.sync_seconds())

    # --- sync with the province -----------------------------------------------------------------------------------

    def enable_auto_sync(self, seconds: int) -> None:
        """Try a sync every ``seconds`` while enrolled (0: only when the teller clicks Đồng bộ)."""
        self.sync.set_auto_interval(seconds)

    def enrol_device(self) -> None:
        """Enrol with the province server using a one-time code; the first sync follows at once."""
        if self.sync.enrolled:
            return
        dialog = EnrolDialog(self._store, self._lang, enrol=self._enrol, parent=self)
        dialog.enrolled.connect(self._device_enrolled)
        dialog.open()

    def _device_enrolled(self, _communes: tuple[str, ...]) -> None:
        self.enrol_action.setEnabled(False)
        self._sync_when_enrolled = True
        self.sync.refresh_status()  # → _sync_status_shown: menus, the sync button, then the first sync

    def _sync_status_shown(self, status: SyncStatus) -> None:
        self.enrol_action.setEnabled(not status.enrolled)
        self.export_action.setEnabled(status.enrolled)
        if status.enrolled and self._sync_when_enrolled:
            self._sync_when_enrolled = False
            self.sync.start_sync()

    def export_pending(self) -> None:
        """Write the entries the province has not received to a file for a USB stick (no network for days)."""
        if not self.sync.enrolled:
            show_error(self, BadInputError("not_enrolled"), self._lang)
            return
        self.pending_export.run()

    def _synced(self, report: "SyncReport") -> None:
        """After a sync that brought changes (a death notice, a suspension, a flag), show them at once."""
        if report.downloaded or report.new_flags:
            self.run_search()
            self.refresh_progress()
            self._reload_person()
        else:
            self.refresh_progress()

    def _reload_person(self) -> None:
        """Re-read the person on screen; redraw only if the store's view changed (a drawn signature survives)."""
        if self._session is None or self._current is None:
            return
        record_code, session_id = self._current, self._session.session_id
        self._runner.submit(lambda: self._store.payouts.person(record_code, session_id), self._person_reloaded,
                            self._fail, tag="person-reload")
        self._load_flags(record_code)

    def _person_reloaded(self, view: PersonView) -> None:
        if view.beneficiary.record_code == self._current and view != self.panel.current_view():
            self.panel.show_person(view)
            self._keep_payments_closed()

    def _load_flags(self, record_code: str) -> None:
        self._runner.submit(lambda: self._store.sync.flags(record_code),
                            lambda flags: self._show_flags(record_code, flags), self._fail, tag="flags")

    def _show_flags(self, record_code: str, flags: list[SyncFlag]) -> None:
        if record_code == self._current:
            self.panel.show_flags(record_code, flags)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync.shutdown()  # a running sync stops between batches; the journal is safe either way
        super().closeEvent(event)

    # --- idle lock ------------------------------------------------------------------------------------------------

    def enable_idle_lock(self, minutes: int) -> None:
        """Lock after ``minutes`` without input (0 disables); the screen keeps its state behind the lock."""
        self.set_idle_timeout_ms(minutes * 60_000)

    def set_idle_timeout_ms(self, timeout_ms: int) -> None:
        """``enable_idle_lock`` in milliseconds (0 disables), for idle times shorter than a minute (tests)."""
        if self._idle is not None:
            self._idle.stop()
        self._idle = IdleWatcher(timeout_ms, self)
        self._idle.idle.connect(self.lock)

    def lock(self) -> None:
        if self._lock_dialog is not None:
            return
        if self._idle is not None:
            self._idle.pause()
        self.scanner.set_active(False)
        dialog = SignInDialog(self._runner, self._store, self._lang, locked_user=self._staff, parent=self)
        dialog.signedIn.connect(self._unlocked)
        self._lock_dialog = dialog
        dialog.open()

    def _unlocked(self, _staff: Staff) -> None:
        self._lock_dialog = None
        self.scanner.set_active(True)
        if self._idle is not None:
            self._idle.resume()

    @property
    def locked(self) -> bool:
        return self._lock_dialog is not None

    @property
    def lock_dialog(self) -> SignInDialog | None:
        """The sign-in dialog that holds the screen while it is locked (None when unlocked)."""
        return self._lock_dialog

    # --- session --------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Resume this device's open session, or ask for one."""
        self._runner.submit(self._store.desk.open_sessions, self._resume, self._fail)

    def _resume(self, sessions: tuple[PayoutSession, ...]) -> None:
        if sessions:
            self.set_session(sessions[0])
        else:
            self.ask_session()

    def ask_session(self) -> None:
        self._runner.submit(self._store.desk.places, self._show_session_dialog, self._fail)

    def _show_session_dialog(self, places: tuple) -> None:
        """The session dialog, proposing today's scheduled point (today by the province's clock, not the laptop's)."""
        today = self._store.province_time.day_of(self._store.clock())
        dialog = SessionDialog(places, today, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._open_session(dialog.values()))
        dialog.open()

    def _open_session(self, values: tuple[str, str, dt.date, int]) -> None:
        commune, point, day, advance = values
        self._runner.submit(
            lambda: self._store.payouts.open_session(commune_code=commune, point_id=point, day=day,
                                                     cash_advance=advance, staff=self._staff.username),
            self.set_session, self._fail,
        )

    def set_session(self, session: PayoutSession) -> None:
        self._session = session
        self._progress = None  # counted afresh for this session
        self.panel.set_context(session.session_id, self._staff.username, self._store.province_time)
        self._show_session_label(session, session.point_id, session.commune_code)
        commune = session.commune_code
        self._runner.submit(lambda: self._store.desk.villages(commune), self._fill_villages, self._fail)
        self._runner.submit(self._store.desk.places, lambda places: self._name_places(session, places), self._fail)
        self.sessionChanged.emit(session)
        self._keep_payments_closed()
        self.refresh()
        self.focus_search()

    def _name_places(self, session: PayoutSession, places: tuple) -> None:
        for place in places:
            if place.commune.code != session.commune_code:
                continue
            points = {point.point_id: point.name for point in place.points}
            self._show_session_label(session, points.get(session.point_id, session.point_id), place.commune.name)

    def _show_session_label(self, session: PayoutSession, point: str, commune: str) -> None:
        self.session_label.setText(
            self.tr("Phiên chi trả: {point}, {commune} · ngày {day} · kỳ {period} · giao dịch viên {staff}").format(
                point=point, commune=commune, day=session.day.strftime("%d/%m/%Y"),
                period=f"{session.period[5:]}/{session.period[:4]}", staff=self._staff.full_name))

    def _fill_villages(self, villages: tuple[str, ...]) -> None:
        self.village_filter.blockSignals(True)
        self.village_filter.clear()
        self.village_filter.addItem(self.tr("Mọi thôn/tổ"), None)
        for village in villages:
            self.village_filter.addItem(village, village)
        self.village_filter.blockSignals(False)

    def refresh(self) -> None:
        self.run_search()
        self.refresh_progress()
        self.sync.refresh_status()

    def refresh_progress(self) -> None:
        if self._session is None:
            return
        session_id = self._session.session_id
        self._runner.submit(lambda: self._store.desk.progress(session_id), self._show_progress, self._fail,
                            tag="progress")

    def _show_progress(self, progress: SessionProgress) -> None:
        self._progress = progress
        self.status_session.setText(self.tr("Tạm ứng {advance}").format(
            advance=format_vnd(progress.session.cash_advance)))
        self.status_cash.setText(self.tr("Tiền mặt còn: {cash}").format(cash=format_vnd(progress.cash_on_hand)))
        self.status_people.setText(self.tr("Đã chi {paid} người · còn {left} người").format(
            paid=progress.people_paid, left=progress.people_remaining))
        self.sync.set_pending(progress.pending_sync)

    # --- search ---------------------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self) -> None:
        if self._session is None:
            return
        session_id, query = self._session.session_id, self.search.text()
        state_value, village = self.state_filter.currentData(), self.village_filter.currentData()
        state = PersonState(state_value) if state_value else None
        self._runner.submit(
            lambda: self._store.desk.people(session_id, query, state=state, village=village),
            self._show_people, self._fail, tag="search",
        )

    def _show_people(self, rows: tuple[PersonRow, ...]) -> None:
        current = self._current
        self.people_model.set_rows(rows)
        self.search_info.setText(self.tr("{count} người").format(count=len(rows)))
        position = self.people_model.position_of(current) if current else -1
        if position < 0 and rows and self.search.text().strip():
            position = 0
        if position >= 0:
            self.people.selectRow(position)

    def _enter_in_search(self) -> None:
        self._search_timer.stop()
        self.run_search()
        self._focus_panel()

    def _focus_panel(self) -> None:
        if self._current:
            self.panel.lines.setFocus()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = current.data(RecordRole) if current.isValid() else None
        if record and record != self._current:
            self.open_person(record)

    def open_person(self, record_code: str, *, qr_matched: bool = False) -> None:
        if self._session is None:
            return
        self._current = record_code
        session_id = self._session.session_id
        self._runner.submit(lambda: self._store.payouts.person(record_code, session_id),
                            lambda view: self._show_person(view, qr_matched), self._fail, tag="person")
        self._load_flags(record_code)

    def _show_person(self, view: PersonView, qr_matched: bool) -> None:
        if view.beneficiary.record_code == self._current:
            self.panel.show_person(view, qr_matched=qr_matched)
            self._keep_payments_closed()

    def _maybe_pasted_qr(self, text: str) -> None:
        if is_qr_paste(text):
            self.search.clear()
            self.scanner.feed(text)

    def scanned(self, text: str) -> None:
        """A chip ID card QR was scanned anywhere: jump to that person, identity recorded as QR matched."""
        if self._session is None or self.locked:
            return
        commune = self._session.commune_code
        self._runner.submit(lambda: self._store.search.search(text, commune_code=commune), self._scan_result,
                            self._fail, tag="scan")

    def _scan_result(self, result: SearchResult) -> None:
        if not result.hits:
            id_number = result.qr.id_number if result.qr else "?"
            QMessageBox.information(self, self.tr("Không có trong danh sách"),
                                    self.tr("Số CCCD {id} không có trong danh sách chi trả của xã này.").format(
                                        id=id_number))
            return
        hit = result.hits[0]
        self.search.setText(hit.id_number or hit.record_code)
        self.open_person(hit.record_code, qr_matched=True)
        self.run_search()

    # --- paying ---------------------------------------------------------------------------------------------------

    def _pay(self, request: PaymentRequest) -> None:
        def work() -> tuple[Payment, PersonView, list[PersonRow]]:
            payment = self._store.payouts.pay(request)
            view = self._store.payouts.person(request.record_code, request.session_id)
            rows = self._store.desk.rows_of(request.session_id, request.record_code)
            return payment, view, rows

        self._runner.submit(work, self._paid, self._pay_failed)

    def _paid(self, outcome: tuple[Payment, PersonView, list[PersonRow]]) -> None:
        payment, view, rows = outcome
        self.panel.payment_committed(payment, view)
        before = self.people_model.row_at(self.people_model.position_of(payment.record_code))
        for row in rows:
            self.people_model.update_row(row)
        self.focus_search()
        if self._progress is None or before is None or not rows:
            self.refresh_progress()
            return
        # Counting everyone at the point again after each payment would hold up the next search: adjust instead.
        after = rows[0]
        progress = self._progress
        self._show_progress(replace(
            progress,
            session=replace(progress.session, paid_total=progress.session.paid_total + payment.total),
            people_paid=progress.people_paid + (after.state is PersonState.PAID and before.state is not PersonState.PAID),
            people_remaining=progress.people_remaining - (before.state is PersonState.UNPAID
                                                          and after.state is not PersonState.UNPAID),
            payments=progress.payments + 1,
            pending_sync=progress.pending_sync + 1,
        ))

    def _pay_failed(self, error: BaseException) -> None:
        self.panel.payment_failed(error_text(error, self._lang))

    def _fail(self, error: BaseException) -> None:
        show_error(self, error, self._lang)

    # --- end of day and corrections -------------------------------------------------------------------------------

    def _need_session(self) -> PayoutSession | None:
        if self._session is None:
            show_error(self, BadInputError("session_required"), self._lang)
        return self._session

    def close_day(self) -> None:
        """F9: count the cash, close the session with a witness, then offer an encrypted backup."""
        session = self._need_session()
        if session is None:
            return
        dialog = CloseDayDialog(self._runner, self._store, session, self._staff, self._lang, self,
                                denominations=self._policy.denominations)
        dialog.sessionClosed.connect(self._day_closed)
        dialog.printRequested.connect(self._print_day)
        dialog.open()

    def _print_day(self, session: PayoutSession) -> None:
        """From the end-of-day view: the minutes and the signed sheet, each in its own preview."""
        self.documents.open(DocumentRequest(DocumentKind.MINUTES, session_id=session.session_id))
        self.documents.open(DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=session.point_id, day=session.day,
                                            period=session.period))

    def _day_closed(self, session: PayoutSession) -> None:
        if self._session is None or session.session_id != self._session.session_id:
            return
        self._session = session
        self._keep_payments_closed()
        self.refresh_progress()

    def _keep_payments_closed(self) -> None:
        """Once the session is closed the store refuses payments; the screen says so and offers no confirm."""
        closed = self._session is not None and self._session.status is SessionStatus.CLOSED
        if closed:
            self.panel.confirm.setEnabled(False)
        self.panel.confirm.setToolTip(self.tr("Phiên đã đóng: không chi thêm được") if closed else "")
        self.status_closed.setVisible(closed)

    def reverse_payment(self) -> None:
        """F7: a supervisor reverses one of the session's payments (preselecting the person on screen)."""
        session = self._need_session()
        if session is None:
            return
        dialog = ReversalDialog(self._runner, self._store, session, self._staff, self._lang,
                                record_code=self._current, parent=self)
        dialog.reversalCommitted.connect(self._correction_committed)
        dialog.open()

    def back_enter_payment(self) -> None:
        """F8: a supervisor back-enters a payment made on the paper sheet (for the person on screen, or picked)."""
        session = self._need_session()
        if session is None:
            return
        dialog = BackEntryDialog(self._runner, self._store, session, self._staff, self._policy, self._lang,
                                 record_code=self._current,
                                 today=self._store.province_time.day_of(self._store.clock()),
                                 parent=self)
        dialog.backEntryCommitted.connect(self._correction_committed)
        dialog.open()

    def _correction_committed(self, outcome: tuple[Payment | Reversal, PersonView, list[PersonRow]]) -> None:
        fact, view, rows = outcome
        for row in rows:
            self.people_model.update_row(row)
        if view.beneficiary.record_code == self._current:
            self.panel.show_person(view)
            self._keep_payments_closed()
            self.panel.result.setStyleSheet("color:#1b5e20;font-weight:bold;")
            if isinstance(fact, Reversal):
                self.panel.result.setText(self.tr("Đã hủy khoản chi {amount} (bút toán #{seq}); các khoản lại được chi")
                                          .format(amount=format_vnd(fact.total), seq=fact.seq))
            else:
                self.panel.result.setText(self.tr("Đã nhập bù {amount}, chi ngày {day} (phiếu #{seq})").format(
                    amount=format_vnd(fact.total), day=fact.back_entry.paid_on.strftime("%d/%m/%Y")
                    if fact.back_entry else "—", seq=fact.seq))
        self.refresh_progress()

    @property
    def session(self) -> PayoutSession | None:
        return self._session

    @property
    def staff(self) -> Staff:
        """The signed-in staff member."""
        return self._staff

    @property
    def store(self) -> Store:
        return self._store

    @property
    def runner(self) -> DbRunner:
        return self._runner

    @property
    def lang(self) -> str:
        return self._lang

    def fail(self, error: BaseException) -> None:
        """Show an error from a background task in the user's words."""
        self._fail(error)
