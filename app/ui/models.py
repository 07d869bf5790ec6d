"""Table models for the desk: the people found by a search, and one person's entitlement lines.

Models hold frozen values from the services, never ORM objects; a payment updates only the rows it changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.money import format_vnd
from app.domain.period import display_period
from app.domain.policy import PolicyReference
from app.domain.policy_notices import ProvinceExplanation
from app.domain.rules import LineState
from app.store.changes import DeskChange
from app.store.desk import PersonRow, PersonState

RecordRole = Qt.ItemDataRole.UserRole + 1
StateRole = Qt.ItemDataRole.UserRole + 2
LineKeyRole = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

_STATE_COLOURS = {
    PersonState.UNPAID: QColor("#1b5e20"),
    PersonState.PAID: QColor("#546e7a"),
    PersonState.BLOCKED: QColor("#b71c1c"),
}


def agency_words(policy: PolicyReference, code: str, lang: str = "vi") -> str:
    """An agency as a teller says it, short ("BHXH", "Sở Nội vụ"); an agency the desk has no short word for, by the
    policy's name for it."""
    short = {
        "so_noi_vu": QCoreApplication.translate("Agency", "Sở Nội vụ"),
        "bhxh": QCoreApplication.translate("Agency", "BHXH"),
        "ubnd_xa": QCoreApplication.translate("Agency", "UBND xã"),
    }
    return short.get(code) or (policy.agency_name(code, lang) if code else "")


def records_words(policy: PolicyReference, records: Sequence[tuple[str, str]], lang: str = "vi") -> str:
    """Every record code of a person with its agency: "QNH/AQ-00001-TCM (Sở Nội vụ) · 2201000123 (BHXH)"."""
    return " · ".join(f"{code} ({agency_words(policy, agency, lang)})" if agency else code for code, agency in records)


class PeopleModel(QAbstractTableModel):
    """People matching the search box, with whether each is unpaid, paid or blocked in the session."""

    COL_NAME, COL_BIRTH, COL_CODE, COL_ID, COL_VILLAGE, COL_CATEGORY, COL_STATE, COL_DUE = range(8)

    def __init__(self, policy: PolicyReference, lang: str = "vi") -> None:
        super().__init__()
        self._rows: list[PersonRow] = []
        self._policy = policy
        self._lang = lang

    def headers(self) -> list[str]:
        return [
            self.tr("Họ và tên"), self.tr("Năm sinh"), self.tr("Mã hồ sơ"), self.tr("Số CCCD"), self.tr("Thôn/Tổ"),
            self.tr("Loại đối tượng"), self.tr("Trạng thái"), self.tr("Còn được nhận"),
        ]

    def state_text(self, state: PersonState) -> str:
        return {
            PersonState.UNPAID: self.tr("Chưa nhận"),
            PersonState.PAID: self.tr("Đã nhận"),
            PersonState.BLOCKED: self.tr("Không được chi"),
        }[state]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 8

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 8:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.full_name,
                str(row.birth_year or ""),
                " + ".join(code for code, _agency in row.records) if len(row.records) > 1 else row.record_code,
                row.id_number or "",
                row.village or "",
                self._policy.category_name(row.category, self._lang),
                self.state_text(row.state),
                format_vnd(row.due) if row.due else "",
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:  # what the list's narrow view leaves out at 1366 px
            due = self.tr("còn được nhận {amount}").format(amount=format_vnd(row.due)) if row.due else ""
            codes = records_words(self._policy, row.records, self._lang) if row.records else row.record_code
            return " · ".join(part for part in (codes, self._policy.category_name(row.category, self._lang),
                                                self.state_text(row.state), due) if part)
        if role == RecordRole:
            return row.record_code
        if role == StateRole:
            return row.state.value
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_STATE:
            return QBrush(_STATE_COLOURS[row.state])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_DUE, self.COL_BIRTH):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def set_rows(self, rows: Sequence[PersonRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_row(self, row: PersonRow) -> None:
        """Refresh one person after a payment or reversal, without resetting the view."""
        codes = {row.record_code, *(code for code, _agency in row.records)}
        for position, current in enumerate(self._rows):
            if current.record_code in codes:  # the person, whichever of their records the list shows
                if current.record_code != row.record_code:  # keep the record the list showed first
                    ordered = tuple(sorted(row.records, key=lambda item: item[0] != current.record_code))
                    row = replace(row, record_code=current.record_code, records=ordered)
                self._rows[position] = row
                self.dataChanged.emit(self.index(position, 0), self.index(position, 7))
                return

    def apply_change(self, change: DeskChange) -> None:
        """The rows a change rewrote (a payment, a reversal, a back-entry); a person not listed stays unlisted."""
        for row in change.rows:
            self.update_row(row)

    def row_at(self, position: int) -> PersonRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def position_of(self, record_code: str) -> int:
        """The row of the person with ``record_code`` among their records."""
        for position, row in enumerate(self._rows):
            if row.record_code == record_code or any(code == record_code for code, _agency in row.records):
                return position
        return -1


class LinesModel(QAbstractTableModel):
    """One person's lines: tick to pay, with amount, period, the regime in words and why a line is blocked."""

    COL_PAY, COL_AGENCY, COL_REGIME, COL_PERIOD, COL_AMOUNT, COL_EXPLANATION = range(6)

    def __init__(self, policy: PolicyReference, lang: str = "vi") -> None:
        super().__init__()
        self._states: list[LineState] = []
        self._agencies: dict[str, str] = {}
        self._selected: set[str] = set()
        self._policy = policy
        self._lang = lang
        self._block_text: dict[str, str] = {}
        self._category = ""
        self._province_texts: dict[str, ProvinceExplanation] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._states)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 6:
            headers = [self.tr("Chi"), self.tr("Cơ quan"), self.tr("Chế độ"), self.tr("Kỳ"), self.tr("Số tiền"),
                       self.tr("Giải thích")]
            return headers[section]
        return None

    def agency_name(self, state: LineState) -> str:
        """The line's agency in words ("BHXH", "Sở Nội vụ"): whose money and list it is."""
        code = self._agencies.get(state.line.key) or self._policy.agency_of(state.line.programme)
        return agency_words(self._policy, code, self._lang)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        state = self._states[index.row()]
        if index.column() == self.COL_PAY and state.payable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def regime_name(self, state: LineState) -> str:
        info = self._policy.regime(state.line.regime)
        if info is None:
            return state.line.regime
        return info.name_en if self._lang == "en" else info.name

    def explanation(self, state: LineState) -> str:
        if state.block is not None:
            return self._block_text.get(state.line.key, "")
        corrected = self._province_texts.get(state.line.regime)
        if corrected is not None:  # the province's explanation replaces the built-in one, marked as the province's
            return self.tr("{text} (giải thích của tỉnh)").format(text=corrected.text_in(self._lang))
        info = self._policy.regime(state.line.regime)
        if info is None:
            return ""
        return info.explain(self._category, self._lang)

    def set_province_texts(self, texts: Mapping[str, ProvinceExplanation]) -> None:
        """The province's explanations of the regimes it corrected (regime → explanation), from the change feed."""
        self.beginResetModel()
        self._province_texts = dict(texts)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._states):
            return None
        state = self._states[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_PAY:
                return "" if state.payable else self.tr("Không chi")
            return (None, self.agency_name(state), self.regime_name(state), display_period(state.line.period),
                    format_vnd(state.line.amount), self.explanation(state))[column]
        if role == Qt.ItemDataRole.CheckStateRole and column == self.COL_PAY and state.payable:
            return Qt.CheckState.Checked if state.line.key in self._selected else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            info = self._policy.regime(state.line.regime)
            basis = info.legal_basis if info else ""
            return "\n".join(part for part in (self.explanation(state), basis, state.line.note) if part)
        if role == Qt.ItemDataRole.ForegroundRole and not state.payable:
            return QBrush(QColor("#b71c1c"))
        if role == Qt.ItemDataRole.FontRole and column == self.COL_AMOUNT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == LineKeyRole:
            return state.line.key
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != self.COL_PAY:
            return False
        state = self._states[index.row()]
        if not state.payable:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if checked:
            self._selected.add(state.line.key)
        else:
            self._selected.discard(state.line.key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_lines(self, states: Sequence[LineState], selected: frozenset[str], block_text: dict[str, str],
                  category: str = "", agencies: dict[str, str] | None = None) -> None:
        """The person's lines; ``category`` (theirs) picks the explanation written for it where the policy has one;
        ``agencies`` gives each line's agency (line key → code; else its programme's)."""
        self.beginResetModel()
        self._category = category
        self._agencies = dict(agencies or {})
        self._states = list(states)
        self._selected = set(selected)
        self._block_text = dict(block_text)
        self.endResetModel()

    def selected_keys(self) -> tuple[str, ...]:
        return tuple(state.line.key for state in self._states if state.line.key in self._selected)

    def selected_amounts(self) -> tuple[tuple[str, int], ...]:
        """(line key, amount) of the ticked lines as shown: the store refuses a line whose amount changed since."""
        return tuple((state.line.key, state.line.amount) for state in self._states if state.line.key in self._selected)

    def selected_total(self) -> int:
        return sum(state.line.amount for state in self._states if state.line.key in self._selected)

    def states(self) -> tuple[LineState, ...]:
        return tuple(self._states)
