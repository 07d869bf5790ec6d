"""End of the payout day: count the cash by banknote, explain any difference, name the witness, close the session,
then take an encrypted backup to a removable drive.

The expected cash is the advance less what was paid (``desk.progress``); the day summary (people paid, totals per
programme and regime, who did not come, thumbprint/paper/proxy counts, reversals) is the end-of-day minutes' data from
``store.reports`` so the screen and the printed minutes can never disagree. Closing is a journal entry; afterwards
the store refuses payments in this session.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import CashCount, PayoutSession, SessionStatus, Staff
from app.domain.money import amount_in_words, format_vnd
from app.store.changes import DeskChange
from app.store.desk import SessionProgress
from app.store.store import Store
from app.ui.errors import error_text
from app.ui.file_dialogs import Place, choose_folder
from app.ui.file_dialogs import removable_drive_folder as removable_drive_folder  # where the other dialogs import it
from app.ui.supervisor import TaskDialog
from app.ui.tasks import DbRunner

if TYPE_CHECKING:  # app.documents pulls in reportlab: loaded on the worker when the summary is built
    from app.documents.data import AgencyFigure, EvidenceCounts, PaymentMark, ReversalItem, UnpaidItem
    from app.store.maintenance import BackupInfo

MAX_NOTES = 99_999
GREEN, RED = "#1b5e20", "#b71c1c"
WITNESS_ROLES = ("Cán bộ UBND xã", "Trưởng thôn, tổ trưởng dân phố", "Giám sát viên bưu điện", "Kiểm soát viên",
                 "Cán bộ Hội Cựu chiến binh")
"""Who usually witnesses the count, as the journal and the minutes record it (in Vietnamese, whatever the screen's
language); the first is proposed (Thông tư 44/2022: the commune sends an officer to supervise), any other can be
typed."""
MAX_ROLE = 80


@dataclass(frozen=True, slots=True)
class RegimeTotal:
    programme: str
    programme_name: str
    regime: str
    regime_name: str
    lines: int
    amount: int


@dataclass(frozen=True, slots=True)
class DaySummary:
    """What the day-end screen shows, from the session's progress and its end-of-day minutes."""

    progress: SessionProgress
    paid: tuple[tuple[PaymentMark, str, str], ...]  # standing payments: (payment, record code, full name)
    regimes: tuple[RegimeTotal, ...]
    unpaid: tuple[UnpaidItem, ...]
    counts: EvidenceCounts
    reversals: tuple[ReversalItem, ...]
    agencies: tuple[AgencyFigure, ...] = ()
    """What the session paid per agency from the one advance (issue 12): advance − Σ agencies = cash expected."""
    agency_names_en: tuple[str, ...] = ()
    """The agencies' English names, in the order of ``agencies`` (the screen speaks the teller's language)."""

    @property
    def session(self) -> PayoutSession:
        return self.progress.session

    @property
    def people_paid(self) -> int:
        return len({code for _mark, code, _name in self.paid})

    @property
    def paid_total(self) -> int:
        return sum(mark.total for mark, _code, _name in self.paid)

    @property
    def expected_cash(self) -> int:
        return self.progress.cash_on_hand

    def programme_totals(self) -> tuple[tuple[str, int], ...]:
        totals: dict[str, int] = {}
        for item in self.regimes:
            totals[item.programme_name] = totals.get(item.programme_name, 0) + item.amount
        return tuple(totals.items())


def load_day_summary(store: Store, session_id: str) -> DaySummary:
    """Build the summary on the worker thread from ``desk.progress`` and ``reports.minutes``/``payout_sheet``."""
    progress = store.desk.progress(session_id)
    session = progress.session
    reports = store.reports
    minutes = reports.minutes(session_id)
    here = {mark.entry_id for mark, _code, _name in minutes.paid}
    sheet = reports.payout_sheet(session.point_id, session.day, session.period)
    figures: dict[tuple[str, str], list[int]] = {}
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for person in sheet.people:
        for line in person.lines:
            if line.paid_by not in here:
                continue
            key = (line.programme, line.regime)
            figure = figures.setdefault(key, [0, 0])
            figure[0] += 1
            figure[1] += line.amount
            programme = reports.policy.programmes.get(line.programme)
            names[key] = (programme.name if programme else line.programme, line.regime_name)
    regimes = tuple(
        RegimeTotal(programme, names[(programme, regime)][0], regime, names[(programme, regime)][1], count, amount)
        for (programme, regime), (count, amount) in figures.items()
    )
    agencies = minutes.paid_by_agency
    english = tuple(reports.policy.agency_name(item.agency, "en") if item.agency in reports.policy.agencies
                    else item.name for item in agencies)
    return DaySummary(progress, minutes.paid, regimes, minutes.unpaid, minutes.counts, minutes.reversals, agencies,
                      english)


def backup_file_name(moment: dt.datetime) -> str:
    return f"payout-desk-{moment:%Y%m%d-%H%M}.db"


class CloseDayDialog(TaskDialog):
    """``sessionClosed`` carries the ``DeskChange`` (with the closed session) once the closing entry is committed."""

    sessionClosed = Signal(object)
    printRequested = Signal(object)  # the closed session: show its minutes and signed sheet
    backupWritten = Signal(object)  # BackupInfo

    def __init__(self, runner: DbRunner, store: Store, session: PayoutSession, staff: Staff, lang: str,
                 parent: QWidget | None = None, *, denominations: tuple[int, ...] | None = None) -> None:
        """``denominations``: the banknotes to count, largest first (default: the policy data's, ``cash.json``)."""
        super().__init__(runner, parent)
        if denominations is None:
            from app.lists.policy import load_policy

            denominations = load_policy().denominations
        self._denominations = denominations
        self._store = store
        self._session = session
        self._staff = staff
        self._lang = lang
        self._summary: DaySummary | None = None
        self.setObjectName("closeDayDialog")
        self.setWindowTitle(self.tr("Kết thúc ngày chi trả — đếm tiền và đóng phiên"))
        self.resize(1080, 700)

        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)
        left = QVBoxLayout()
        columns.addLayout(left, 5)
        left.addWidget(self._count_box())
        totals = QFormLayout()
        self.counted = QLabel("", self)
        self.counted.setObjectName("countedTotal")
        self.counted.setStyleSheet("font-weight:bold;")
        self.counted_words = QLabel("", self)
        self.counted_words.setObjectName("countedWords")
        self.counted_words.setWordWrap(True)
        self.expected = QLabel(self.tr("Đang tính…"), self)
        self.expected.setObjectName("expectedCash")
        self.expected.setStyleSheet("font-weight:bold;")
        self.expected_detail = QLabel("", self)
        self.expected_detail.setObjectName("expectedDetail")
        self.expected_detail.setWordWrap(True)
        self.difference = QLabel("", self)
        self.difference.setObjectName("difference")
        totals.addRow(self.tr("Tiền đếm được"), self.counted)
        totals.addRow(self.counted_words)
        totals.addRow(self.tr("Tiền phải còn"), self.expected)
        totals.addRow(self.expected_detail)
        totals.addRow(self.tr("Chênh lệch"), self.difference)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("differenceReason")
        self.reason.setPlaceholderText(self.tr("Bắt buộc khi có chênh lệch"))
        self.witness = QLineEdit(self)
        self.witness.setObjectName("witness")
        self.witness.setPlaceholderText(self.tr("Họ tên người chứng kiến"))
        self.witness_role = QComboBox(self)
        self.witness_role.setObjectName("witnessRole")
        self.witness_role.setEditable(True)
        self.witness_role_edit = cast(QLineEdit, self.witness_role.lineEdit())  # an editable combo box has one
        self.witness_role_edit.setMaxLength(MAX_ROLE)
        role_names = (self.tr("Cán bộ UBND xã"), self.tr("Trưởng thôn, tổ trưởng dân phố"),
                      self.tr("Giám sát viên bưu điện"), self.tr("Kiểm soát viên"),
                      self.tr("Cán bộ Hội Cựu chiến binh"))
        for shown, role in zip(role_names, WITNESS_ROLES):
            self.witness_role.addItem(shown, role)
        self.witness_role.setCurrentIndex(0)
        totals.addRow(self.tr("Lý do chênh lệch"), self.reason)
        totals.addRow(self.tr("Người chứng kiến"), self.witness)
        totals.addRow(self.tr("Chứng kiến với tư cách"), self.witness_role)
        self._refused_for: QWidget | None = None
        for field in (self.reason, self.witness, self.witness_role_edit):
            field.textEdited.connect(lambda _text: self._recheck())
        left.addLayout(totals)

        right = QVBoxLayout()
        columns.addLayout(right, 6)
        right.addWidget(QLabel(self.tr("Tổng hợp trong ngày"), self))
        self.summary = QTextBrowser(self)
        self.summary.setObjectName("daySummary")
        self.summary.setOpenLinks(False)
        self.summary.setPlainText(self.tr("Đang tải…"))
        right.addWidget(self.summary, 1)

        self.message = QLabel(self.tr("Sau khi đóng phiên sẽ không chi thêm được trong phiên này."), self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.confirm = buttons.addButton(self.tr("Đóng phiên chi trả"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("confirmClose")
        self.confirm.setEnabled(False)
        self.backup_button = QPushButton(self.tr("Sao lưu mã hóa ra ổ USB…"), self)
        self.backup_button.setObjectName("backupButton")
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.backup_button.hide()  # offered once the session is closed
        self.minutes_button = QPushButton(self.tr("Xem / in biên bản và danh sách đã ký…"), self)
        self.minutes_button.setObjectName("minutesButton")
        buttons.addButton(self.minutes_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.minutes_button.hide()
        self.close_button = buttons.addButton(self.tr("Để sau"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("closeButton")
        for button in buttons.buttons():  # Enter while counting must never close the day
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        self.confirm.clicked.connect(self._confirm)
        self.backup_button.clicked.connect(self.choose_backup)
        self.minutes_button.clicked.connect(lambda: self.printRequested.emit(self._session))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._update_totals()
        session_id = session.session_id
        self.submit(lambda: load_day_summary(store, session_id), self._loaded, self._failed_loading)

    # --- the count ------------------------------------------------------------------------------------------------

    def _count_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Đếm tiền theo mệnh giá"), self)
        grid = QGridLayout(box)
        grid.setVerticalSpacing(2)  # twelve notes down to 100 ₫: the dialog must still fit a 768-pixel screen
        for column, title in enumerate((self.tr("Mệnh giá"), self.tr("Số tờ"), self.tr("Thành tiền"))):
            header = QLabel(f"<b>{html.escape(title)}</b>", box)
            grid.addWidget(header, 0, column)
        self.counts: dict[int, QSpinBox] = {}
        self.line_totals: dict[int, QLabel] = {}
        for row, value in enumerate(self._denominations, start=1):
            grid.addWidget(QLabel(format_vnd(value), box), row, 0)
            spin = QSpinBox(box)
            spin.setObjectName(f"count{value}")
            spin.setRange(0, MAX_NOTES)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.valueChanged.connect(lambda _v: self._update_totals())
            grid.addWidget(spin, row, 1)
            total = QLabel("", box)
            total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(total, row, 2)
            self.counts[value] = spin
            self.line_totals[value] = total
        if self._denominations:
            self.counts[self._denominations[0]].setFocus()
        return box

    def set_count(self, value: int, notes: int) -> None:
        self.counts[value].setValue(notes)

    def cash_count(self) -> CashCount:
        return CashCount(tuple((value, spin.value()) for value, spin in self.counts.items() if spin.value()))

    def difference_amount(self) -> int | None:
        if self._summary is None:
            return None
        return self.cash_count().total - self._summary.expected_cash

    def _update_totals(self) -> None:
        for value, spin in self.counts.items():
            self.line_totals[value].setText(format_vnd(value * spin.value()))
        total = self.cash_count().total
        self.counted.setText(format_vnd(total))
        self.counted_words.setText(amount_in_words(total))
        difference = self.difference_amount()
        if difference is None:
            self.difference.setText("")
            return
        if difference == 0:
            text = format_vnd(0)
        elif difference > 0:
            text = self.tr("+{amount} (thừa)").format(amount=format_vnd(difference))
        else:
            text = self.tr("{amount} (thiếu)").format(amount=format_vnd(difference))
        self.difference.setText(text)
        self.difference.setStyleSheet(f"font-weight:bold;color:{GREEN if difference == 0 else RED};")

    # --- the summary ----------------------------------------------------------------------------------------------

    def _loaded(self, summary: DaySummary) -> None:
        self._summary = summary
        self.expected.setText(format_vnd(summary.expected_cash))
        detail = self.tr("= tạm ứng {advance} − đã chi {paid}").format(
            advance=format_vnd(summary.session.cash_advance), paid=format_vnd(summary.session.paid_total))
        if len(summary.agencies) > 1:  # the one advance, paid out for several agencies: each one's part
            detail += " (" + " + ".join(self.tr("{agency} {amount}").format(
                agency=name, amount=format_vnd(item.amount))
                for item, name in zip(summary.agencies, self._agency_names(summary), strict=True)) + ")"
        self.expected_detail.setText(detail)
        self.summary.setHtml(self.summary_html(summary))
        self._update_totals()
        if summary.session.status is SessionStatus.CLOSED:
            self._show_closed(summary.session)
        else:
            self.confirm.setEnabled(True)

    def _failed_loading(self, error: BaseException) -> None:
        self.summary.setPlainText(error_text(error, self._lang))

    def _agency_names(self, summary: DaySummary) -> tuple[str, ...]:
        """The agencies' names in the screen's language (Vietnamese unless the teller chose English)."""
        if self._lang == "en" and len(summary.agency_names_en) == len(summary.agencies):
            return summary.agency_names_en
        return tuple(item.name for item in summary.agencies)

    def _agencies_html(self, summary: DaySummary) -> str:
        """What each agency was paid from the one advance, and the count's reconciliation across agencies."""
        e = html.escape
        rows = []
        for item, name in zip(summary.agencies, self._agency_names(summary), strict=True):
            counted = self.tr("{people} người, {lines} khoản").format(people=item.people, lines=item.lines)
            rows.append(f"<tr><td><b>{e(name)}</b></td><td align='right'>{e(counted)}</td>"
                        f"<td align='right'><b>{e(format_vnd(item.amount))}</b></td></tr>")
        session = summary.session
        check = self.tr("Tạm ứng {advance} − cộng các cơ quan {paid} = tiền phải còn {expected}").format(
            advance=format_vnd(session.cash_advance), paid=format_vnd(sum(item.amount for item in summary.agencies)),
            expected=format_vnd(session.cash_advance - sum(item.amount for item in summary.agencies)))
        return ("<h4>" + e(self.tr("Theo cơ quan chi trả")) + "</h4>"
                + "<table cellspacing='0' cellpadding='2' width='100%'>" + "".join(rows) + "</table>"
                + "<p>" + e(check) + "</p>")

    def summary_html(self, summary: DaySummary) -> str:
        e = html.escape
        counts = summary.counts
        parts = [
            "<p>" + e(self.tr("Số người đã nhận: {people} · Số khoản chi: {payments}").format(
                people=summary.people_paid, payments=len(summary.paid))) + "<br><b>"
            + e(self.tr("Tổng đã chi: {amount}").format(amount=format_vnd(summary.paid_total))) + "</b><br><i>"
            + e(amount_in_words(summary.paid_total)) + "</i></p>",
            *([self._agencies_html(summary)] if summary.agencies else []),
            "<h4>" + e(self.tr("Theo chương trình và chế độ")) + "</h4>",
        ]
        if summary.progress.earlier:  # a reopened day: the count now is this session's; say what came before
            earlier = summary.progress.earlier
            parts.insert(1, "<p style='color:#8a4b00'><b>" + e(self.tr(
                "Ngày đã kết thúc rồi mở lại: phiên trước đã chi {paid}, tạm ứng {advance}. Đếm tiền dưới đây là "
                "của phiên này; biên bản ghi cả hai phiên.").format(
                paid=format_vnd(sum(s.paid_total for s in earlier)),
                advance=format_vnd(sum(s.cash_advance for s in earlier)))) + "</b></p>")
        if summary.regimes:
            rows = []
            for programme, amount in summary.programme_totals():
                rows.append(f"<tr><td colspan='2'><b>{e(programme)}</b></td>"
                            f"<td align='right'><b>{e(format_vnd(amount))}</b></td></tr>")
                for item in summary.regimes:
                    if item.programme_name == programme:
                        lines = self.tr("{count} khoản").format(count=item.lines)
                        rows.append(f"<tr><td>&nbsp;&nbsp;{e(item.regime_name)}</td>"
                                    f"<td align='right'>{e(lines)}</td>"
                                    f"<td align='right'>{e(format_vnd(item.amount))}</td></tr>")
            parts.append("<table cellspacing='0' cellpadding='2' width='100%'>" + "".join(rows) + "</table>")
        else:
            parts.append("<p>" + e(self.tr("Chưa chi khoản nào.")) + "</p>")
        parts.append("<h4>" + e(self.tr("Cách ký nhận")) + "</h4><p>" + e(self.tr(
            "Ký trên màn hình: {signature} · Điểm chỉ: {thumbprint} · Ký trên giấy: {paper} · "
            "Người được ủy quyền nhận: {proxy} · Đại diện gia đình nhận: {representative} · Nhập bù: {back}").format(
            signature=counts.signature, thumbprint=counts.thumbprint, paper=counts.paper, proxy=counts.proxy,
            representative=counts.representative, back=counts.back_entries)) + "</p>")
        unpaid_total = sum(item.amount for item in summary.unpaid)
        parts.append("<h4>" + e(self.tr("Chưa nhận: {count} người, {amount}").format(
            count=len(summary.unpaid), amount=format_vnd(unpaid_total))) + "</h4>")
        if summary.unpaid:
            parts.append("<ul>" + "".join(
                f"<li>{e(item.full_name)} ({e(item.village or '—')}): {e(format_vnd(item.amount))}</li>"
                for item in summary.unpaid) + "</ul>")
        parts.append("<h4>" + e(self.tr("Khoản chi đã hủy: {count}").format(count=len(summary.reversals))) + "</h4>")
        if summary.reversals:
            parts.append("<ul>" + "".join(
                "<li>" + e(self.tr("Biên nhận số {number} {name}: {amount} — lý do: {reason} — giám sát: "
                                   "{supervisor}").format(
                    number=item.payment_receipt, name=item.full_name, amount=format_vnd(item.amount),
                    reason=item.reason,
                    supervisor=item.supervisor)) + "</li>"
                for item in summary.reversals) + "</ul>")
        return "".join(parts)

    def summary_text(self) -> str:
        return self.summary.toPlainText()

    # --- closing --------------------------------------------------------------------------------------------------

    def _refuse(self, text: str, focus: QWidget) -> None:
        self.message.setStyleSheet(f"color:{RED};")
        self.message.setText(text)
        self._refused_for = focus
        focus.setFocus()

    def _recheck(self) -> None:
        """A refusal about the reason or the witness goes once that field is filled (the count may change the
        difference, so a missing reason is asked again at the next try)."""
        field = self._refused_for
        if field is not None and isinstance(field, QLineEdit) and field.text().strip():
            self._refused_for = None
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Sau khi đóng phiên sẽ không chi thêm được trong phiên này."))

    def _confirm(self) -> None:
        difference = self.difference_amount()
        if difference is None or self.writing or self._session.status is SessionStatus.CLOSED:
            return
        reason, witness = self.reason.text().strip(), self.witness.text().strip()
        if difference != 0 and not reason:
            self._refuse(self.tr("Tiền đếm được chênh lệch {amount} so với sổ sách: phải ghi lý do").format(
                amount=format_vnd(difference)), self.reason)
            return
        if not witness:
            self._refuse(self.tr("Cần tên người chứng kiến (cán bộ xã hoặc giám sát viên)"), self.witness)
            return
        role = self.chosen_witness_role()
        if not role:
            self._refuse(self.tr("Cần ghi người chứng kiến với tư cách gì (ví dụ: Cán bộ UBND xã)"),
                         self.witness_role_edit)
            return
        counted = self.cash_count()
        store, session_id, staff = self._store, self._session.session_id, self._staff.username
        self.confirm.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Đang ghi…"))
        self._refused_for = None
        self.submit(
            lambda: store.desk.close_session(session_id, counted=counted, witness=witness, staff=staff,
                                             reason=reason, witness_role=role),
            self._closed, self._close_refused, writes=True,
        )

    def chosen_witness_role(self) -> str:
        """The role as the journal records it: the Vietnamese of a listed role (whatever the screen's language), else
        what was typed."""
        typed = " ".join(self.witness_role.currentText().split())
        index = self.witness_role.findText(typed)
        if index >= 0:
            return str(self.witness_role.itemData(index))
        return typed

    def _closed(self, change: DeskChange) -> None:
        assert isinstance(change.fact, PayoutSession)
        self._session = change.fact
        self._show_closed(change.fact)
        self.sessionClosed.emit(change)

    def _close_refused(self, error: BaseException) -> None:
        self.message.setStyleSheet(f"color:{RED};")
        self.message.setText(error_text(error, self._lang))
        self.confirm.setEnabled(True)

    def _show_closed(self, session: PayoutSession) -> None:
        self._session = session
        if session.counted is not None:
            counted = dict(session.counted.notes)
            for value, spin in self.counts.items():
                spin.setValue(counted.get(value, 0))
        for spin in self.counts.values():
            spin.setReadOnly(True)
        self.reason.setText(session.difference_reason)
        self.witness.setText(session.witness)
        if session.witness_role:
            self.witness_role.setEditText(session.witness_role)
        self.reason.setReadOnly(True)
        self.witness.setReadOnly(True)
        self.witness_role.setEnabled(False)
        self.confirm.hide()
        self.close_button.setText(self.tr("Xong"))
        self.backup_button.show()
        self.minutes_button.show()
        self.backup_button.setFocus()
        difference = session.difference or 0
        self.message.setStyleSheet(f"color:{GREEN};font-weight:bold;")
        self.message.setText(self.tr("Phiên đã đóng. Chênh lệch {amount}; người chứng kiến: {witness}. "
                                     "Nên sao lưu mã hóa ra ổ USB ngay.").format(
            amount=format_vnd(difference), witness=session.witness))

    # --- backup ---------------------------------------------------------------------------------------------------

    def default_backup_name(self) -> str:
        return backup_file_name(self._store.province_time.to_local(self._store.clock()))

    def choose_backup(self) -> None:
        if self.writing:
            return
        folder = choose_folder(self, self.tr("Chọn ổ USB (thư mục) để sao lưu"), Place.DRIVE)
        if folder is None:
            return
        target = folder / self.default_backup_name()
        store = self._store
        self.backup_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Đang sao lưu vào {path}…").format(path=str(target)))
        self.submit(lambda: store.maintenance.backup(target), self._backed_up, self._backup_failed, writes=True)

    def _backed_up(self, info: BackupInfo) -> None:
        self.backup_button.setEnabled(True)
        self.message.setStyleSheet(f"color:{GREEN};font-weight:bold;")
        self.message.setText(self.tr("Đã sao lưu mã hóa vào {path} ({entries} bút toán). Cất ổ USB ở nơi an toàn.")
                             .format(path=str(info.path), entries=info.entries))
        self.backupWritten.emit(info)

    def _backup_failed(self, error: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.message.setStyleSheet(f"color:{RED};")
        self.message.setText(error_text(error, self._lang))
