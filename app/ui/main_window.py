"""The desk's main window: session bar, search and people list on the left, the person being paid on the right,
and a status bar with the session, cash on hand, people paid and remaining, and the sync control.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.documents.api import DocumentRequest
from app.documents.data import DocumentKind
from app.domain.errors import BadInputError
from app.domain.model import PaymentRequest, PayoutSession, SessionStatus, Staff
from app.domain.money import format_vnd
from app.domain.period import display_period
from app.domain.policy import PolicyReference
from app.domain.policy_notices import PolicyNotice, ProvinceExplanation
from app.domain.survey import offered
from app.store.changes import ChangeKind, DeskChange
from app.store.desk import PersonRow, PersonState, Place, SessionProgress
from app.store.feed import SyncFlag
from app.store.payouts import PersonView
from app.store.policy_notices import PolicyNoticeService
from app.store.search import SearchResult
from app.store.store import Store
from app.store.sync import SyncStatus
from app.ui.back_entry_dialog import BackEntryDialog
from app.ui.close_day_dialog import CloseDayDialog
from app.ui.document_viewer import DocumentMenu
from app.ui.enrol_dialog import EnrolDialog, EnrolFunction
from app.ui.errors import show_error
from app.ui.file_dialogs import open_file
from app.ui.fonts import condensed
from app.ui.idle import IdleWatcher
from app.ui.import_report_dialog import ImportReportDialog
from app.ui.lock_screen import LockScreen
from app.ui.models import PeopleModel, RecordRole
from app.ui.pending_export import PendingExport
from app.ui.person_link_dialog import PersonLinkDialog
from app.ui.person_panel import PersonPanel
from app.ui.policy_panel import PolicyNoticesButton
from app.ui.posting_dialog import PostingDialog
from app.ui.qr_scanner import ScannerListener, is_qr_paste
from app.ui.reversal_dialog import ReversalDialog
from app.ui.session_dialog import SessionDialog, SessionRequest
from app.ui.settings import SURVEY_EVERY, qsettings
from app.ui.settings_dialog import SettingsDialog
from app.ui.signin_dialog import AddPersonDialog
from app.ui.survey_dialog import SurveyDialog
from app.ui.sync_status import SyncControl
from app.ui.sync_worker import EngineFactory, SyncWorker
from app.ui.tasks import DbRunner

if TYPE_CHECKING:
    from pathlib import Path

    from app.domain.amendments import Contradiction
    from app.domain.reconciliation import ListReconciliation
    from app.store.lists import ImportReport
    from app.sync.engine import SyncReport

SEARCH_DELAY_MS = 30  # coalesce a burst of keys; older queued searches are dropped anyway
BUSY_AFTER_MS = 500  # show "working" for anything that takes longer than half a second
CLOSED_DAYS_SHOWN = 62  # the session dialog knows the point-days closed this long ago (older ones: the store says)
LEFT_WIDTH = 515  # the people list: name, birth year, CCCD, village and state without a horizontal scroll bar
PEOPLE_COLUMNS_SHOWN = (PeopleModel.COL_NAME, PeopleModel.COL_BIRTH, PeopleModel.COL_ID, PeopleModel.COL_VILLAGE,
                        PeopleModel.COL_STATE)
"""The record code, category and amount due are in each row's tooltip and on the person's panel."""


class MainWindow(QMainWindow):
    """The desk. Every change made here (a payment, a correction, a session opened or closed, the province's feed)
    comes back from the DB worker as one ``DeskChange`` and is emitted once on ``changed``: the people list, the
    person panel, the status bar and the session line each update themselves from it."""

    sessionChanged = Signal(object)
    changed = Signal(object)  # DeskChange

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
        self._quit_confirmed = False
        self.survey_every = SURVEY_EVERY.get(qsettings())
        """Offer the satisfaction survey to every Nth person paid in the session (0: never); a desk setting."""
        self._point_name = ""
        self.setWindowTitle(self.tr("Payout Desk — Chi trả trợ cấp người có công"))

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(4)
        top = QHBoxLayout()
        if demo:
            banner = QLabel(self.tr("DỮ LIỆU THỬ — không dùng để chi trả thật"), central)
            banner.setObjectName("demoBanner")
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setStyleSheet("background:#c62828;color:white;font-weight:bold;padding:3px 8px;")
            top.addWidget(banner)
        self.session_label = QLabel(self.tr("Chưa mở phiên chi trả (F2)"), central)
        self.session_label.setObjectName("sessionLabel")
        self.session_label.setWordWrap(True)
        self.session_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.session_label, 1)
        layout.addLayout(top)
        self.day_note = QLabel("", central)
        self.day_note.setObjectName("dayNote")
        self.day_note.setWordWrap(True)
        self.day_note.setStyleSheet("color:#8a4b00;background:#fff8e1;border:1px solid #f9a825;padding:3px;")
        self.day_note.hide()
        layout.addWidget(self.day_note)

        splitter = QSplitter(Qt.Orientation.Horizontal, central)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(left)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(self.tr("Tên không dấu, mã hồ sơ, CCCD, thôn… hoặc quét QR"))
        self.search.setToolTip(self.tr("Tìm theo tên (gõ không dấu, theo thứ tự bất kỳ), mã hồ sơ, số CCCD hoặc "
                                       "thôn; hoặc quét mã QR trên thẻ CCCD (F3)"))
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
        self.people.setFont(condensed(self.people.font()))
        self.people.setModel(self.people_model)
        self.people.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.people.verticalHeader().setVisible(False)
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PeopleModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(20)  # size columns from the first rows, not every row on each keystroke
        for column in range(self.people_model.columnCount()):
            self.people.setColumnHidden(column, column not in PEOPLE_COLUMNS_SHOWN)
        self.people.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        left_layout.addWidget(self.people)
        left.setMinimumWidth(LEFT_WIDTH)  # the panel never squeezes the list's columns (the panel fits the rest)
        self.search_info = QLabel("", left)
        self.search_info.setObjectName("searchInfo")
        left_layout.addWidget(self.search_info)

        self.panel = PersonPanel(policy, lang, splitter)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter
        self._split = False  # the list's width is set once the window has its size (setSizes needs it)
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
        # One change, one emission; the window's own bookkeeping first (the session, the person on screen), then
        # each view takes what concerns it.
        self.changed.connect(self._take_change)
        self.changed.connect(self.people_model.apply_change)
        self.changed.connect(self.panel.apply_change)
        self.changed.connect(self._change_shown)
        self.search.textEdited.connect(self._maybe_pasted_qr)
        self.scanner = ScannerListener(self)
        self.scanner.scanned.connect(self.scanned)
        self._idle: IdleWatcher | None = None
        self._lock_screen: LockScreen | None = None
        self._actions()
        self.documents = DocumentMenu(self)
        self.sync.refresh_status()
        self.load_policy_word()

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
        self.import_list_action = QAction(self.tr("Nhập danh sách chi trả từ tệp…"), self)
        self.import_list_action.triggered.connect(lambda: self.import_list())
        menu.addAction(self.import_list_action)
        self.contradictions_action = QAction(self.tr("Mâu thuẫn danh sách chờ quyết định…"), self)
        self.contradictions_action.triggered.connect(self.show_contradictions)
        menu.addAction(self.contradictions_action)
        for action in (self.enrol_action, self.export_action, self.import_list_action, self.contradictions_action):
            action.setEnabled(False)  # until the sync status says whether this device is enrolled
        menu.addSeparator()
        settings = QAction(self.tr("Cài đặt…"), self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        menu.addAction(settings)
        lock = QAction(self.tr("Khóa màn hình"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(lambda: self.lock())
        menu.addAction(lock)
        self.add_person_action = QAction(self.tr("Thêm người đăng nhập trên máy này…"), self)
        self.add_person_action.triggered.connect(self.add_person)
        menu.addAction(self.add_person_action)
        self.quit_action = QAction(self.tr("Thoát"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.request_quit)
        menu.addAction(self.quit_action)

        corrections = self.menuBar().addMenu(self.tr("&Sửa sai"))
        self.reversal_action = QAction(self.tr("Hủy một khoản chi (giám sát viên)…"), self)
        self.reversal_action.setShortcut(QKeySequence("F7"))
        self.reversal_action.triggered.connect(self.reverse_payment)
        corrections.addAction(self.reversal_action)
        self.back_entry_action = QAction(self.tr("Nhập bù khoản đã chi trên giấy (giám sát viên)…"), self)
        self.back_entry_action.setShortcut(QKeySequence("F8"))
        self.back_entry_action.triggered.connect(self.back_enter_payment)
        corrections.addAction(self.back_entry_action)
        self.person_link_action = QAction(self.tr("Trùng số định danh: ghép hoặc tách hồ sơ (giám sát viên)…"), self)
        self.person_link_action.triggered.connect(self.link_records)
        corrections.addAction(self.person_link_action)
        self.status_closed = QLabel(self.tr("Phiên đã đóng"), self)
        self.status_closed.setObjectName("sessionClosed")
        self.status_closed.setStyleSheet("color:#b71c1c;font-weight:bold;")
        self.status_closed.hide()
        self.statusBar().insertWidget(0, self.status_closed)
        self.policy_button = PolicyNoticesButton(self._policy, self._lang, self)  # issue 13: the province's notices
        self.statusBar().addPermanentWidget(self.policy_button)

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
            self.survey_every = dialog.survey_every()

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
        # Lists come from files only on a desk without a province server (an enrolled one gets them by sync).
        self.import_list_action.setEnabled(not status.enrolled)
        self.contradictions_action.setEnabled(not status.enrolled)
        self.export_action.setEnabled(status.enrolled)
        if status.enrolled and self._sync_when_enrolled:
            self._sync_when_enrolled = False
            self.sync.start_sync()

    # --- lists from files (a desk without a province server) ------------------------------------------------------

    def import_list(self, path: Path | None = None) -> None:
        """Import a list file; its report, with any contradiction of the standing facts, opens for a supervisor."""
        if path is None:
            path = open_file(self, self.tr("Chọn danh sách chi trả"), self.tr("Danh sách chi trả (*.xlsx *.csv)"))
            if path is None:
                return
        chosen = path
        self._runner.submit(lambda: self._store.lists.import_file(chosen), self._show_import, self._fail,
                            tag="import")

    def _show_import(self, report: ImportReport) -> None:
        summary = self.tr(
            "Đã nhập danh sách kỳ {period} ({source}): thêm {people_added} người, cập nhật {people_updated} người; "
            "thêm {added} khoản, đổi {changed} khoản, rút {removed} khoản.").format(
            period=display_period(report.payout_period), source=report.source, people_added=report.people_added,
            people_updated=report.people_updated, added=report.lines_added, changed=report.lines_changed,
            removed=len(report.removed))
        from app.lists.parsed import describe_warnings

        self._open_report(summary, report.contradictions, report.reconciliation,
                          tuple(describe_warnings(report.warnings, report.warnings_total, self._lang)),
                          (*(item.message(self._lang) for item in report.refused),
                           *(item.message(self._lang) for item in report.conflicts)))
        self.refresh()

    def show_contradictions(self) -> None:
        self._runner.submit(lambda: self._store.amendments.contradictions(),
                            lambda rows: self._open_report(self.tr("Các mâu thuẫn danh sách chờ quyết định."),
                                                           tuple(row.contradiction for row in rows)),
                            self._fail, tag="contradictions")

    def _open_report(self, summary: str, contradictions: tuple[Contradiction, ...],
                     reconciliation: ListReconciliation | None = None,
                     warnings: tuple[str, ...] = (), identities: tuple[str, ...] = ()) -> ImportReportDialog:
        dialog = ImportReportDialog(self._runner, self._store, self._staff, self._lang, summary, contradictions,
                                    parent=self, reconciliation=reconciliation, warnings=warnings,
                                    policy=self._policy, identities=identities)
        dialog.decided.connect(lambda _decided: self._after_decision())
        dialog.open()
        return dialog

    def _after_decision(self) -> None:
        """A decision may change a person (alive again, a line released): show the lists and the person afresh."""
        self.refresh()
        if self._current:
            record, self._current = self._current, None
            self.open_person(record)

    def export_pending(self) -> None:
        """Write the entries the province has not received to a file for a USB stick (no network for days)."""
        if not self.sync.enrolled:
            show_error(self, BadInputError("not_enrolled"), self._lang)
            return
        self.pending_export.run()

    def load_policy_word(self) -> None:
        """The province's current policy notices and corrected explanations, read on the worker (after a sync too)."""
        service = PolicyNoticeService(self._store)
        self._runner.submit(lambda: (service.current_notices(), service.explanations()), self._show_policy_word,
                            self._fail, tag="policy")

    def _show_policy_word(self, word: tuple[list[PolicyNotice], dict[str, ProvinceExplanation]]) -> None:
        notices, texts = word
        self.policy_button.show_notices(notices)
        self.panel.lines_model.set_province_texts(texts)
        self.panel.lines.fit_rows()

    def _synced(self, report: SyncReport) -> None:
        """After a sync: what it brought (a death notice, a suspension, a flag) is shown at once, as one change."""
        if report.downloaded:
            self.load_policy_word()
        if self._session is None:
            return
        downloaded = bool(report.downloaded or report.new_flags)
        session_id, record_code = self._session.session_id, self._current
        self._runner.submit(lambda: self._store.desk.synced(session_id, record_code, downloaded=downloaded),
                            self.changed.emit, self._fail, tag="synced")

    def _load_flags(self, record_code: str) -> None:
        self._runner.submit(lambda: self._store.sync.flags(record_code),
                            lambda flags: self._show_flags(record_code, flags), self._fail, tag="flags")

    def _show_flags(self, record_code: str, flags: list[SyncFlag]) -> None:
        if record_code == self._current:
            self.panel.show_flags(record_code, flags)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split:
            self._split = True
            total = sum(self.splitter.sizes()) or self.width()
            self.splitter.setSizes([min(LEFT_WIDTH, total // 2), max(total - LEFT_WIDTH, total // 2)])

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed by the user (the window's close button) with a session open: ask first (``request_quit``). A close
        from the program itself (shutting down, tests) goes through."""
        if event.spontaneous() and not self._quit_confirmed and self.open_day_summary():
            event.ignore()
            self.request_quit()
            return
        self.sync.shutdown()  # a running sync stops between batches; the journal is safe either way
        super().closeEvent(event)

    def open_day_summary(self) -> str:
        """What is still open, in words ("" when no session is open): the point and day, the cash that should be in
        hand, the entries the province has not received."""
        session = self._session
        if session is None or session.status is not SessionStatus.OPEN:
            return ""
        cash = self._progress.cash_on_hand if self._progress else session.cash_expected
        pending = self._progress.pending_sync if self._progress else None
        lines = [
            self.tr("Phiên chi trả ngày {day} vẫn đang mở (chưa kết thúc ngày, F9).").format(
                day=session.day.strftime("%d/%m/%Y")),
            self.tr("Tiền mặt phải còn trong tay: {cash}.").format(cash=format_vnd(cash)),
        ]
        if pending:
            lines.append(self.tr("{count} bút toán chưa gửi về tỉnh (chưa đồng bộ).").format(count=pending))
        elif pending == 0:
            lines.append(self.tr("Mọi bút toán đã gửi về tỉnh."))
        return "\n".join(lines)

    def request_quit(self) -> None:
        """Quit (Ctrl+Q, the close button): with a session open, say what is still open and let the teller stay,
        close the day first (F9), or quit anyway."""
        summary = self.open_day_summary()
        if not summary or self._quit_confirmed:
            self._quit_confirmed = True
            self.close()
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Thoát khi phiên còn mở?"), summary,
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("quitWarning")
        box.setInformativeText(self.tr("Nên đếm tiền và kết thúc ngày trước khi thoát. Dữ liệu đã ghi vẫn an toàn; "
                                       "phiên sẽ mở lại khi khởi động."))
        stay = box.addButton(self.tr("Ở lại"), QMessageBox.ButtonRole.RejectRole)
        close_day = box.addButton(self.tr("Kết thúc ngày (F9)…"), QMessageBox.ButtonRole.ActionRole)
        leave = box.addButton(self.tr("Vẫn thoát"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: object) -> None:
            if button is leave:
                self._quit_confirmed = True
                self.close()
            elif button is close_day:
                self.close_day()

        box.buttonClicked.connect(answered)
        box.open()

    # --- idle lock ------------------------------------------------------------------------------------------------

    def enable_idle_lock(self, minutes: int) -> None:
        """Lock after ``minutes`` without input (0 disables); the screen keeps its state behind the lock."""
        self.set_idle_timeout_ms(minutes * 60_000)

    def set_idle_timeout_ms(self, timeout_ms: int) -> None:
        """``enable_idle_lock`` in milliseconds (0 disables), for idle times shorter than a minute (tests)."""
        if self._idle is not None:
            self._idle.stop()
        self._idle = IdleWatcher(timeout_ms, self)
        self._idle.idle.connect(lambda: self.lock(idle=True))

    def lock(self, *, idle: bool = False) -> None:
        """Cover the whole window (Ctrl+L, or ``idle`` after the idle time) until the signed-in person's password."""
        if self._lock_screen is not None:
            return
        if self._idle is not None:
            self._idle.pause()
        self.scanner.set_active(False)
        screen = LockScreen(self, self._runner, self._store, self._staff, self._lang, idle=idle,
                            at=self._store.clock())
        screen.unlocked.connect(self._unlocked)
        self._lock_screen = screen
        screen.cover()

    def _unlocked(self, _staff: Staff) -> None:
        screen, self._lock_screen = self._lock_screen, None
        if screen is not None:
            screen.deleteLater()
        self.scanner.set_active(True)
        if self._idle is not None:
            self._idle.resume()

    @property
    def locked(self) -> bool:
        return self._lock_screen is not None

    @property
    def lock_screen(self) -> LockScreen | None:
        """The layer that covers the window while it is locked (None when unlocked)."""
        return self._lock_screen

    def add_person(self) -> None:
        """A colleague signs in on the open laptop, so their password opens it from now on (their key slot)."""
        dialog = AddPersonDialog(self._runner, self._store, self._lang, self)
        dialog.open()

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
        store = self._store
        since = store.province_time.day_of(store.clock()) - dt.timedelta(days=CLOSED_DAYS_SHOWN)
        self._runner.submit(lambda: (store.desk.places(), store.desk.closed_sessions(since)),
                            lambda found: self._show_session_dialog(*found), self._fail)

    def _show_session_dialog(self, places: tuple[Place, ...], closed: tuple[PayoutSession, ...]) -> None:
        """The session dialog, proposing today's scheduled point (today by the province's clock, not the laptop's);
        a point-day closed before needs a supervisor there."""
        today = self._store.province_time.day_of(self._store.clock())
        dialog = SessionDialog(places, today, self, closed=closed, staff=self._staff)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openRequested.connect(lambda request: self._open_session(dialog, request))
        dialog.open()

    def _open_session(self, dialog: SessionDialog, request: SessionRequest) -> None:
        """Open on the DB worker; a reopening is approved by the supervisor in the same task (sign-in, lockout)."""
        store, staff = self._store, self._staff.username
        approve = dialog.supervisor.approver(store) if request.reopens else None

        def work() -> DeskChange:
            supervisor = approve() if approve is not None else None
            return store.desk.open_session(
                commune_code=request.commune_code, point_id=request.point_id, day=request.day,
                cash_advance=request.cash_advance, staff=staff,
                supervisor=supervisor.username if supervisor else None, reopen_reason=request.reopen_reason,
                approved_by=supervisor.full_name if supervisor else "")

        def done(change: DeskChange) -> None:
            dialog.opened()
            self.changed.emit(change)

        self._runner.submit(work, done, lambda error: dialog.refused(error, self._lang))

    def set_session(self, session: PayoutSession, progress: SessionProgress | None = None) -> None:
        """Work in ``session`` (resumed, or just opened with its ``progress`` counted in the same task)."""
        self._session = session
        self._progress = None  # counted afresh for this session
        self.panel.set_session(session, self._staff.username, self._store.province_time, self._today)
        self._show_session_label(session, session.point_id, session.commune_code)
        commune = session.commune_code
        self._runner.submit(lambda: self._store.desk.villages(commune), self._fill_villages, self._fail)
        self._runner.submit(self._store.desk.places, lambda places: self._name_places(session, places), self._fail)
        self.sessionChanged.emit(session)
        self._show_closed(session)
        if progress is not None:
            self._show_progress(progress)
            self.run_search()
            self.sync.refresh_status()
        else:
            self.refresh()
        self.focus_search()

    def _today(self) -> dt.date:
        """The province's today by the store's clock (never the laptop's own date or zone)."""
        return self._store.province_time.day_of(self._store.clock())

    def _name_places(self, session: PayoutSession, places: tuple) -> None:
        for place in places:
            if place.commune.code != session.commune_code:
                continue
            points = {point.point_id: point.name for point in place.points}
            self._show_session_label(session, points.get(session.point_id, session.point_id), place.commune.name)

    def _show_session_label(self, session: PayoutSession, point: str, commune: str) -> None:
        self._point_name = point
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
        if self._session is not None and progress.session.session_id != self._session.session_id:
            return  # counted for a session no longer shown
        self._progress = progress
        self.status_session.setText(self.tr("Tạm ứng {advance}").format(
            advance=format_vnd(progress.session.cash_advance)))
        self.status_cash.setText(self.tr("Tiền mặt còn: {cash}").format(cash=format_vnd(progress.cash_on_hand)))
        self.status_people.setText(self.tr("Đã chi {paid} người · còn {left} người").format(
            paid=progress.people_paid, left=progress.people_remaining))
        self.sync.set_pending(progress.pending_sync)
        self._show_day_note(progress)

    def _show_day_note(self, progress: SessionProgress) -> None:
        """A reopened day says so above everything, with what the closed session(s) counted, for as long as it is
        open: the teller and the supervisor see two advances for one day at a glance."""
        if not progress.earlier:
            self.day_note.hide()
            return
        parts = []
        for earlier in progress.earlier:
            counted = format_vnd(earlier.counted.total) if earlier.counted else "—"
            parts.append(self.tr("phiên đã đóng: tạm ứng {advance}, đã chi {paid}, kiểm đếm {counted}").format(
                advance=format_vnd(earlier.cash_advance), paid=format_vnd(earlier.paid_total), counted=counted))
        reopening = progress.reopening
        why = self.tr(" — mở lại do giám sát viên {who} duyệt, lý do: {reason}").format(
            who=progress.reopened_by, reason=reopening.reason) if reopening else ""
        paid = progress.session.paid_total + sum(earlier.paid_total for earlier in progress.earlier)
        self.day_note.setText(self.tr("Ngày đã kết thúc rồi mở lại: {earlier}{why}. Cả ngày đã chi {paid}.").format(
            earlier="; ".join(parts), why=why, paid=format_vnd(paid)))
        self.day_note.show()

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
            self.panel.focus_lines()

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
        self._runner.submit(lambda: self._store.desk.pay(request), self.changed.emit, self.panel.payment_failed)

    # --- one change, shown everywhere ----------------------------------------------------------------------------

    def _take_change(self, change: DeskChange) -> None:
        """The window's part of a change: the session worked in, the person on screen (a correction shows the person
        it concerns), the status bar's figures (adjusted, or counted afresh when a delta cannot apply)."""
        if change.kind is ChangeKind.SESSION_OPENED and change.session is not None:
            self.set_session(change.session, change.progress)
            return
        session = change.session
        if session is not None and self._session is not None and session.session_id == self._session.session_id:
            self._session = session
            self._show_closed(session)
        if (change.kind in (ChangeKind.REVERSAL, ChangeKind.BACK_ENTRY) and change.record_code is not None
                and change.record_code != self._current):
                self._current = change.record_code
                self._load_flags(change.record_code)
        if self._session is None:
            return
        progress = change.progress_after(self._progress)
        if progress is not None:
            self._show_progress(progress)
        else:
            self.refresh_progress()
        if change.relist:
            self.run_search()
            if self._current is not None:
                self._load_flags(self._current)

    def _change_shown(self, change: DeskChange) -> None:
        """After every view took a change: a payment hands the keyboard back to the search box for the next person;
        a correction selects its person's row when listed."""
        if change.kind is ChangeKind.PAYMENT:
            self.focus_search()
            self.offer_survey()
        elif change.kind in (ChangeKind.REVERSAL, ChangeKind.BACK_ENTRY) and change.record_code is not None:
            position = self.people_model.position_of(change.record_code)
            if position >= 0:
                self.people.selectRow(position)
            else:  # not in the list the search shows: no other row looks chosen
                self.people.clearSelection()

    def _fail(self, error: BaseException) -> None:
        show_error(self, error, self._lang)

    # --- the pilot's survey and the public notice's posting (issue 13) ---------------------------------------------

    def offer_survey(self) -> SurveyDialog | None:
        """After a payment, on the sample (every Nth person paid this session): the survey, turned to the person."""
        session, progress = self._session, self._progress
        if session is None or progress is None or not offered(progress.people_paid, self.survey_every):
            return None
        dialog = SurveyDialog(self._runner, self._store, day=session.day, commune_code=session.commune_code,
                              point_id=session.point_id, teller=self._staff.username, lang=self._lang, parent=self)
        dialog.finished.connect(lambda _result: self.focus_search())
        dialog.open()
        return dialog

    def ask_posting(self) -> PostingDialog | None:
        """Record where, when and by whom the session's public notice was posted (after printing it, or later)."""
        session = self._need_session()
        if session is None:
            return None
        dialog = PostingDialog(self._runner, self._store, commune_code=session.commune_code,
                               point_id=session.point_id, point_name=self._point_name or session.point_id,
                               period=session.period, staff=self._staff.username, today=self._today(),
                               lang=self._lang, parent=self)
        dialog.open()
        return dialog

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
        dialog.sessionClosed.connect(self.changed.emit)
        dialog.printRequested.connect(self._print_day)
        dialog.open()

    def _print_day(self, session: PayoutSession) -> None:
        """From the end-of-day view: the minutes and the signed sheet, each in its own preview."""
        self.documents.open(DocumentRequest(DocumentKind.MINUTES, session_id=session.session_id))
        self.documents.open(DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=session.point_id, day=session.day,
                                            period=session.period))

    def _show_closed(self, session: PayoutSession) -> None:
        """A closed session pays no more (the store refuses; the panel offers no confirm): the status bar says so."""
        self.status_closed.setVisible(session.status is SessionStatus.CLOSED)

    def reverse_payment(self) -> None:
        """F7: a supervisor reverses one of the session's payments (preselecting the person on screen)."""
        session = self._need_session()
        if session is None:
            return
        dialog = ReversalDialog(self._runner, self._store, session, self._staff, self._lang,
                                record_code=self._current, parent=self)
        dialog.reversalCommitted.connect(self.changed.emit)
        dialog.open()

    def link_records(self) -> None:
        """A supervisor decides whether two records (two agencies' lists) are one person, from the conflicts found or
        two codes typed (the person on screen first)."""
        dialog = PersonLinkDialog(self._runner, self._store, self._staff, self._lang, self._policy,
                                  record_code=self._current, parent=self)
        dialog.decided.connect(lambda _records: self._after_decision())
        dialog.open()

    def back_enter_payment(self) -> None:
        """F8: a supervisor back-enters a payment made on the paper sheet (for the person on screen, or picked)."""
        session = self._need_session()
        if session is None:
            return
        dialog = BackEntryDialog(self._runner, self._store, session, self._staff, self._policy, self._lang,
                                 record_code=self._current,
                                 today=self._today(),
                                 parent=self)
        dialog.backEntryCommitted.connect(self.changed.emit)
        dialog.open()

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
