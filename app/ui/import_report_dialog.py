"""What a list imported from a file did, and the contradictions a supervisor decides from it.

On a desk without a province server, a later list is held against the standing facts (earlier lists' deaths and
suspensions, a supervisor's decisions): what it contradicts keeps its standing value until a supervisor chooses —
keep what stands, or accept the list's value with a reason (recorded as a new fact). Each contradiction is said in
words, by person: what the list says, what stands, since when, who recorded it. The supervisor's sign-in is checked
on the worker thread in the same task as the decision (``SupervisorBox``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.amendments import Choice, Contradiction, describe
from app.domain.model import Staff
from app.domain.policy import PolicyReference
from app.domain.reconciliation import ListReconciliation
from app.lists.policy import load_policy
from app.store.amendments import RecordedContradiction
from app.store.store import Store
from app.ui.form_message import FormMessage
from app.ui.supervisor import SIGN_IN_REFUSALS, NotSupervisorError, SupervisorBox, TaskDialog
from app.ui.tasks import DbRunner

Index = QModelIndex | QPersistentModelIndex


def _regime_names(reconciliation: ListReconciliation) -> dict[str, str]:
    """The regimes of the lines not payable, by name (people read names, not codes)."""
    policy = load_policy()
    return {item.regime: info.name for item in reconciliation.not_payable
            if (info := policy.regime(item.regime)) is not None}


class ContradictionsModel(QAbstractTableModel):
    """One row per contradiction: its number, the person, what it says in words, and whether it is decided."""

    COL_NUMBER, COL_NAME, COL_TEXT, COL_STATE = range(4)

    def __init__(self, lang: str, parent: QWidget | None = None, policy: PolicyReference | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._policy = policy
        self._items: list[Contradiction] = []
        self._decided: dict[int, Choice] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 4:
            return [self.tr("Số"), self.tr("Họ và tên"), self.tr("Mâu thuẫn"), self.tr("Quyết định")][section]
        return None

    def state_text(self, item: Contradiction) -> str:
        choice = self._decided.get(item.contradiction_id or 0)
        if choice is Choice.KEEP:
            return self.tr("Đã giữ giá trị đang giữ")
        if choice is Choice.ACCEPT:
            return self.tr("Đã theo danh sách")
        return self.tr("Chờ quyết định")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (str(item.contradiction_id), item.full_name or item.record_code,
                    describe(item, self._lang, policy=self._policy),
                    self.state_text(item))[index.column()]
        return None

    def set_items(self, items: Sequence[Contradiction], decided: dict[int, Choice] | None = None) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._decided = dict(decided or {})
        self.endResetModel()

    def item_at(self, row: int) -> Contradiction | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def decided(self, number: int) -> Choice | None:
        return self._decided.get(number)

    def mark(self, number: int, choice: Choice) -> None:
        self._decided[number] = choice
        for row, item in enumerate(self._items):
            if item.contradiction_id == number:
                self.dataChanged.emit(self.index(row, 0), self.index(row, 3))


class ImportReportDialog(TaskDialog):
    """The import's summary and its contradictions; ``decided`` carries each ``RecordedContradiction`` once its
    decision is committed (the window then refreshes the people it shows)."""

    decided = Signal(object)

    def __init__(self, runner: DbRunner, store: Store, staff: Staff, lang: str, summary: str,
                 contradictions: Sequence[Contradiction], parent: QWidget | None = None,
                 reconciliation: ListReconciliation | None = None, warnings: Sequence[str] = (),
                 policy: PolicyReference | None = None, identities: Sequence[str] = ()) -> None:
        super().__init__(runner, parent)
        self._store = store
        self._lang = lang
        self._policy = policy or load_policy()  # names the lines' regimes
        self.setObjectName("importReportDialog")
        self.setWindowTitle(self.tr("Kết quả nhập danh sách"))
        self.resize(980, 600)
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary, self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        # the list reconciled with itself: its total = cash per point + accounts + lines not payable, by person
        self.reconciliation = QLabel(self)
        self.reconciliation.setObjectName("reconciliationText")
        self.reconciliation.setWordWrap(True)
        self.reconciliation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        said = reconciliation.describe(lang, _regime_names(reconciliation)) if reconciliation is not None else []
        said += list(warnings)
        self.reconciliation.setText("\n".join(said))
        self.reconciliation.setVisible(bool(said))
        layout.addWidget(self.reconciliation)
        # one person across agencies' lists: rows refused (a record code of another agency's record) and records
        # with another record's personal number but another name or birth year (reported, never merged)
        self.identities = QLabel(self)
        self.identities.setObjectName("identityConflicts")
        self.identities.setWordWrap(True)
        self.identities.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if identities:
            self.identities.setText("\n".join([self.tr(
                "Trùng số định danh hoặc mã hồ sơ ({count}) — giám sát viên xem và quyết định trong "
                "«Trùng số định danh»:").format(count=len(identities)), *identities]))
        self.identities.setVisible(bool(identities))
        layout.addWidget(self.identities)
        self.intro = QLabel(self)
        self.intro.setObjectName("contradictionsIntro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.model = ContradictionsModel(lang, self, self._policy)
        self.table = QTableView(self)
        self.table.setObjectName("contradictionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ContradictionsModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        self.chosen = QLabel("", self)
        self.chosen.setObjectName("chosenContradiction")
        self.chosen.setWordWrap(True)
        layout.addWidget(self.chosen)
        choices = QHBoxLayout()
        self.keep = QRadioButton(self.tr("Giữ giá trị đang giữ (bỏ qua giá trị của danh sách)"), self)
        self.keep.setObjectName("choiceKeep")
        self.accept_list = QRadioButton(self.tr("Theo danh sách (ghi thành điều chỉnh mới, cần lý do)"), self)
        self.accept_list.setObjectName("choiceAccept")
        self.keep.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.keep)
        group.addButton(self.accept_list)
        choices.addWidget(self.keep)
        choices.addWidget(self.accept_list)
        choices.addStretch(1)
        layout.addLayout(choices)
        form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason.setObjectName("decisionReason")
        self.reason.setPlaceholderText(self.tr("Ví dụ: số quyết định, giấy tờ đã xem"))
        form.addRow(self.tr("Lý do"), self.reason)
        layout.addLayout(form)
        self.supervisor = SupervisorBox(staff, self)
        layout.addWidget(self.supervisor)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.confirm = buttons.addButton(self.tr("Ghi quyết định"), QDialogButtonBox.ButtonRole.ActionRole)
        self.confirm.setObjectName("confirmDecision")
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        self.confirm.clicked.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.said = FormMessage(self.message, self._missing, retyped=frozenset({"supervisor", "store"}))
        self.reason.textEdited.connect(lambda _text: self.said.recheck("reason"))
        self.accept_list.toggled.connect(lambda _on: self.said.recheck("reason"))
        self.supervisor.edited.connect(lambda: self.said.recheck("supervisor"))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_chosen())

        self.model.set_items(contradictions)
        if contradictions:
            self.intro.setText(self.tr(
                "Danh sách mâu thuẫn với {count} giá trị đang giữ. Giá trị đang giữ vẫn giữ nguyên (người đã mất vẫn "
                "là đã mất, khoản bị mâu thuẫn tạm giữ) cho đến khi giám sát viên quyết định.").format(
                count=len(contradictions)))
            self.table.selectRow(0)
        else:
            self.intro.setText(self.tr("Danh sách không mâu thuẫn với giá trị nào đang giữ."))
        self._show_chosen()

    def selected(self) -> Contradiction | None:
        index = self.table.currentIndex()
        return self.model.item_at(index.row()) if index.isValid() else None

    def _show_chosen(self) -> None:
        item = self.selected()
        open_ = item is not None and self.model.decided(item.contradiction_id or 0) is None
        self.confirm.setEnabled(open_ and not self.writing)
        self.chosen.setText(describe(item, self._lang, policy=self._policy) if item is not None else "")

    def _missing(self) -> tuple[str, str] | None:
        if self.accept_list.isChecked() and not self.reason.text().strip():
            return self.tr("Theo danh sách cần ghi lý do"), "reason"
        missing = self.supervisor.missing()
        return (missing, "supervisor") if missing else None

    def _confirm(self) -> None:
        item = self.selected()
        if item is None or item.contradiction_id is None or self.writing:
            return
        missing = self._missing()
        if missing is not None:
            self.said.say(*missing)
            (self.reason if missing[1] == "reason" else self.supervisor.username).setFocus()
            return
        choice = Choice.ACCEPT if self.accept_list.isChecked() else Choice.KEEP
        number, reason = item.contradiction_id, self.reason.text().strip()
        approve = self.supervisor.approver(self._store)
        store = self._store

        def work() -> RecordedContradiction:
            supervisor = approve()
            return store.amendments.decide(number, choice, reason, supervisor.username)

        self.confirm.setEnabled(False)
        self.said.say(self.tr("Đang ghi…"), "", "")
        self.submit(work, self._committed, self._refused, writes=True)

    def _committed(self, decided: RecordedContradiction) -> None:
        number = decided.contradiction.contradiction_id or 0
        self.model.mark(number, decided.choice or Choice.KEEP)
        self.said.say(self.tr("Đã ghi quyết định cho mâu thuẫn số {number}").format(number=number), "",
                      "color:#1b5e20;")
        self.reason.clear()
        self.keep.setChecked(True)
        self.decided.emit(decided)
        self._show_chosen()

    def _refused(self, error: BaseException) -> None:
        sign_in = isinstance(error, NotSupervisorError) or getattr(error, "code", "") in SIGN_IN_REFUSALS
        self.said.say(self.supervisor.refused_text(error, self._lang), "supervisor" if sign_in else "store")
        self._show_chosen()

