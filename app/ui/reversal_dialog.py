"""Reversing a mistaken payment: a supervisor picks one of the session's payments, gives the reason and approves.

Nothing is edited or deleted: the store writes a reversal entry to the journal and the payment's lines become payable
again. The window is told only after COMMIT (``reversalCommitted``) so it refreshes exactly that person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.clock import ProvinceTime
from app.domain.model import PayoutSession, RecipientKind, Staff
from app.domain.money import amount_in_words, format_vnd
from app.store.changes import DeskChange
from app.store.store import Store
from app.ui.errors import error_text
from app.ui.form_message import FormMessage
from app.ui.supervisor import SIGN_IN_REFUSALS, NotSupervisorError, SupervisorBox, TaskDialog
from app.ui.tasks import DbRunner

if TYPE_CHECKING:  # app.documents pulls in reportlab: not needed to open the window
    from app.documents.data import PaymentMark

Index = QModelIndex | QPersistentModelIndex
EntryRole = Qt.ItemDataRole.UserRole + 11
PaidItem = tuple["PaymentMark", str, str]  # (payment, record code, full name)


class PaymentsModel(QAbstractTableModel):
    """The session's standing payments, newest first: time, receipt number, person, amount, who took the cash."""

    COL_TIME, COL_SEQ, COL_NAME, COL_TOTAL, COL_RECIPIENT = range(5)

    def __init__(self, clock: ProvinceTime, parent: QWidget | None = None) -> None:
        """``clock``: the province's, which every payment time is shown in."""
        super().__init__(parent)
        self._clock = clock
        self._items: list[PaidItem] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 5:
            return [self.tr("Giờ chi"), self.tr("Biên nhận"), self.tr("Họ và tên"), self.tr("Số tiền"),
                    self.tr("Người nhận tiền")][section]
        return None

    def recipient_text(self, mark: PaymentMark) -> str:
        recipient = mark.recipient
        if recipient.kind is RecipientKind.PROXY:
            return self.tr("Ủy quyền: {name}").format(name=recipient.name)
        if recipient.kind is RecipientKind.REPRESENTATIVE:
            return self.tr("Đại diện: {name}").format(name=recipient.name)
        return self.tr("Chính chủ")

    def time_text(self, mark: PaymentMark) -> str:
        text = self._clock.format_time_date(mark.recorded_at)
        if mark.back_entry is not None:
            text += " " + self.tr("(nhập bù, chi ngày {day})").format(day=mark.back_entry.paid_on.strftime("%d/%m/%Y"))
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        mark, code, name = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.time_text(mark), self.tr("số {number}").format(number=mark.receipt_no), name,
                    format_vnd(mark.total),
                    self.recipient_text(mark))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return code
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EntryRole:
            return mark.entry_id
        return None

    def set_items(self, items: Sequence[PaidItem]) -> None:
        self.beginResetModel()
        self._items = sorted(items, key=lambda item: item[0].seq, reverse=True)
        self.endResetModel()

    def item_at(self, row: int) -> PaidItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def last_row_of(self, record_code: str) -> int:
        """The newest payment of a person (rows are newest first), or -1."""
        for row, (_mark, code, _name) in enumerate(self._items):
            if code == record_code:
                return row
        return -1


class ReversalDialog(TaskDialog):
    """``reversalCommitted`` carries the ``DeskChange`` once the reversal is committed."""

    reversalCommitted = Signal(object)

    def __init__(self, runner: DbRunner, store: Store, session: PayoutSession, staff: Staff, lang: str,
                 *, record_code: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self._store = store
        self._session = session
        self._lang = lang
        self._record_code = record_code
        self.setObjectName("reversalDialog")
        self.setWindowTitle(self.tr("Hủy một khoản chi đã ghi"))
        self.resize(820, 560)

        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Chọn khoản chi cần hủy. Khoản chi không bị xóa: một bút toán hủy được ghi vào sổ và "
                               "các khoản của người này lại được chi."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = PaymentsModel(store.province_time, self)
        self.payments = QTableView(self)
        self.payments.setObjectName("paymentsTable")
        self.payments.setModel(self.model)
        self.payments.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.payments.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.payments.verticalHeader().setVisible(False)
        self.payments.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.payments.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.payments, 1)
        self.chosen = QLabel("", self)
        self.chosen.setObjectName("chosenPayment")
        self.chosen.setWordWrap(True)
        layout.addWidget(self.chosen)

        form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reversalReason")
        self.reason.setPlaceholderText(self.tr("Ví dụ: chi nhầm người, chi sai số tiền"))
        form.addRow(self.tr("Lý do hủy"), self.reason)
        layout.addLayout(form)
        self.supervisor = SupervisorBox(staff, self)
        layout.addWidget(self.supervisor)
        self.message = QLabel(self.tr("Đang tải các khoản chi…"), self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b71c1c;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.confirm = buttons.addButton(self.tr("Hủy khoản chi này"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("confirmReversal")
        self.confirm.setEnabled(False)
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.payments.selectionModel().currentRowChanged.connect(lambda *_: self._show_chosen())
        # what the message shown is about: reason, supervisor (the sign-in was refused), store (the rules refused)
        self.said = FormMessage(self.message, self._missing, retyped=frozenset({"supervisor", "store"}))
        self.reason.textEdited.connect(lambda _text: self.said.recheck("reason"))
        self.supervisor.edited.connect(lambda: self.said.recheck("supervisor"))

        session_id = session.session_id
        self.submit(lambda: store.reports.minutes(session_id).paid, self._loaded, self._failed_loading)

    def _loaded(self, items: tuple[PaidItem, ...]) -> None:
        self.model.set_items(items)
        self.payments.resizeColumnsToContents()
        if not items:
            self.message.setText(self.tr("Phiên này chưa có khoản chi nào để hủy"))
            return
        self.message.clear()
        row = self.model.last_row_of(self._record_code) if self._record_code else -1
        self.payments.selectRow(max(row, 0))
        self.payments.setFocus()
        self._show_chosen()

    def _failed_loading(self, error: BaseException) -> None:
        self.message.setText(error_text(error, self._lang))

    def selected(self) -> PaidItem | None:
        index = self.payments.currentIndex()
        return self.model.item_at(index.row()) if index.isValid() else None

    def select_entry(self, entry_id: str) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(EntryRole) == entry_id:
                self.payments.selectRow(row)
                return True
        return False

    def _show_chosen(self) -> None:
        item = self.selected()
        self.confirm.setEnabled(item is not None and not self.writing)
        if item is None:
            self.chosen.clear()
            return
        mark, code, name = item
        self.chosen.setText(self.tr("Hủy biên nhận số {number} của {name} ({code}): {amount} — {words}").format(
            number=mark.receipt_no, name=name, code=code, amount=format_vnd(mark.total),
            words=amount_in_words(mark.total)))

    def _missing(self) -> tuple[str, str] | None:
        if not self.reason.text().strip():
            return self.tr("Phải ghi lý do hủy khoản chi"), "reason"
        missing = self.supervisor.missing()
        return (missing, "supervisor") if missing else None

    def _confirm(self) -> None:
        item = self.selected()
        if item is None or self.writing:
            return
        reason = self.reason.text().strip()
        missing = self._missing()
        if missing is not None:
            self.said.say(*missing)
            (self.reason if missing[1] == "reason" else self.supervisor.username).setFocus()
            return
        mark, _code, _name = item
        approve = self.supervisor.approver(self._store)
        store, session_id = self._store, self._session.session_id

        def work() -> DeskChange:
            supervisor = approve()
            return store.desk.reverse(mark.entry_id, reason=reason, supervisor=supervisor.username,
                                      session_id=session_id, approved_by=supervisor.full_name)

        self.confirm.setEnabled(False)
        self.said.say(self.tr("Đang ghi…"), "", "")
        self.submit(work, self._committed, self._refused, writes=True)

    def _committed(self, change: DeskChange) -> None:
        self.reversalCommitted.emit(change)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        sign_in = isinstance(error, NotSupervisorError) or getattr(error, "code", "") in SIGN_IN_REFUSALS
        self.said.say(self.supervisor.refused_text(error, self._lang), "supervisor" if sign_in else "store")
        self.confirm.setEnabled(self.selected() is not None)
