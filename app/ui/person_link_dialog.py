"""Trùng số định danh: the records that share a personal number but not the name or birth year, and a supervisor's
decision about two records — one person (ghép), two people (tách), or undo an earlier decision (hủy quyết định).

Nothing is merged silently: until a supervisor decides, each record stays payable on its own. A decision is kept in the
store's log with who, when and why (``app.store.persons``); the window is told after COMMIT (``decided``) so it shows
the people afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.identity import LinkAction
from app.domain.model import Staff
from app.domain.policy import PolicyReference
from app.store.persons import ConflictRow
from app.store.store import Store
from app.ui.errors import error_text
from app.ui.form_message import FormMessage
from app.ui.models import agency_words
from app.ui.supervisor import SIGN_IN_REFUSALS, NotSupervisorError, SupervisorBox, TaskDialog
from app.ui.tasks import DbRunner

Index = QModelIndex | QPersistentModelIndex


class ConflictsModel(QAbstractTableModel):
    """The standing conflicts: the number, both records (name, birth year, code, agency) and what differs."""

    COL_NUMBER, COL_FIRST, COL_SECOND, COL_DIFFERS = range(4)

    def __init__(self, policy: PolicyReference, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._lang = lang
        self._rows: list[ConflictRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 4:
            return [self.tr("Số định danh"), self.tr("Hồ sơ thứ nhất"), self.tr("Hồ sơ thứ hai"),
                    self.tr("Khác nhau ở")][section]
        return None

    def _record(self, name: str, year: int | None, code: str, agency: str) -> str:
        return self.tr("{name} ({year}) — {code}, {agency}").format(
            name=name, year=year or "—", code=code, agency=agency_words(self._policy, agency, self._lang))

    def differs_text(self, row: ConflictRow) -> str:
        words = {"full_name": self.tr("họ tên"), "birth_year": self.tr("năm sinh")}
        return ", ".join(words.get(name, name) for name in row.differs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.id_number,
                    self._record(row.first_name, row.first_birth_year, row.first_code, row.first_agency),
                    self._record(row.second_name, row.second_birth_year, row.second_code, row.second_agency),
                    self.differs_text(row))[index.column()]
        return None

    def set_rows(self, rows: Sequence[ConflictRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, position: int) -> ConflictRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None


class PersonLinkDialog(TaskDialog):
    """``decided`` carries the records of the person the first record now belongs to, after COMMIT."""

    decided = Signal(object)

    def __init__(self, runner: DbRunner, store: Store, staff: Staff, lang: str, policy: PolicyReference,
                 *, record_code: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self._store = store
        self._lang = lang
        self.setObjectName("personLinkDialog")
        self.setWindowTitle(self.tr("Trùng số định danh — ghép hoặc tách hồ sơ"))
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Hai hồ sơ cùng số định danh nhưng khác họ tên hoặc năm sinh không được tự ghép: mỗi hồ sơ vẫn được chi "
            "riêng cho đến khi giám sát viên quyết định. Chọn một dòng, hoặc nhập hai mã hồ sơ (cả người chưa có số "
            "định danh), rồi ghi lý do."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = ConflictsModel(policy, lang, self)
        self.table = QTableView(self)
        self.table.setObjectName("conflictsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.first = QLineEdit(record_code or "", self)
        self.first.setObjectName("firstRecord")
        self.second = QLineEdit(self)
        self.second.setObjectName("secondRecord")
        self.action = QComboBox(self)
        self.action.setObjectName("linkAction")
        self.action.addItem(self.tr("Ghép: là một người"), LinkAction.LINK.value)
        self.action.addItem(self.tr("Tách: là hai người khác nhau"), LinkAction.SEPARATE.value)
        self.action.addItem(self.tr("Hủy quyết định trước (theo số định danh như ban đầu)"), LinkAction.CLEAR.value)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("linkReason")
        self.reason.setPlaceholderText(self.tr("Ví dụ: đã xem CCCD, tên trên danh sách BHXH viết khác"))
        form.addRow(self.tr("Mã hồ sơ thứ nhất"), self.first)
        form.addRow(self.tr("Mã hồ sơ thứ hai"), self.second)
        form.addRow(self.tr("Quyết định"), self.action)
        form.addRow(self.tr("Lý do"), self.reason)
        layout.addLayout(form)
        self.supervisor = SupervisorBox(staff, self)
        layout.addWidget(self.supervisor)
        self.message = QLabel(self.tr("Đang tải…"), self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b71c1c;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.confirm = buttons.addButton(self.tr("Ghi quyết định"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("confirmLink")
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._take_selected())
        self.said = FormMessage(self.message, self._missing, retyped=frozenset({"supervisor", "store"}))
        for field, cause in ((self.first, "codes"), (self.second, "codes"), (self.reason, "reason")):
            field.textEdited.connect(lambda _text, cause=cause: self.said.recheck(cause))
        self.supervisor.edited.connect(lambda: self.said.recheck("supervisor"))
        self.submit(store.persons.conflicts, self._loaded, self._failed_loading)

    def _loaded(self, rows: Sequence[ConflictRow]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.message.setText("" if rows else self.tr("Không có trường hợp trùng số định danh nào chờ quyết định"))

    def _failed_loading(self, error: BaseException) -> None:
        self.message.setText(error_text(error, self._lang))

    def _take_selected(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        if row is not None:
            self.first.setText(row.first_code)
            self.second.setText(row.second_code)
            self.said.recheck("codes")

    def _missing(self) -> tuple[str, str] | None:
        if not self.first.text().strip() or not self.second.text().strip():
            return self.tr("Nhập hai mã hồ sơ, hoặc chọn một dòng"), "codes"
        if not self.reason.text().strip():
            return self.tr("Phải ghi lý do quyết định"), "reason"
        missing = self.supervisor.missing()
        return (missing, "supervisor") if missing else None

    def _confirm(self) -> None:
        if self.writing:
            return
        missing = self._missing()
        if missing is not None:
            self.said.say(*missing)
            return
        first, second, reason = self.first.text().strip(), self.second.text().strip(), self.reason.text().strip()
        action = LinkAction(self.action.currentData())
        approve = self.supervisor.approver(self._store)
        store = self._store

        def work() -> tuple[str, ...]:
            supervisor = approve()
            return store.persons.decide(first, second, action, supervisor=supervisor.username, reason=reason)

        self.confirm.setEnabled(False)
        self.said.say(self.tr("Đang ghi…"), "", "")
        self.submit(work, self._committed, self._refused, writes=True)

    def _committed(self, records: tuple[str, ...]) -> None:
        self.decided.emit(records)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        sign_in = isinstance(error, NotSupervisorError) or getattr(error, "code", "") in SIGN_IN_REFUSALS
        self.said.say(self.supervisor.refused_text(error, self._lang), "supervisor" if sign_in else "store")
        self.confirm.setEnabled(True)
