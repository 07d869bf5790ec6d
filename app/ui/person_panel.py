"""The person being paid: identity, every line from every programme with its explanation, who collects, how they
acknowledged receipt, and the confirm button. "Paid" appears only after the store has committed.

Laid out for a 1366×768 laptop: the lines table is exactly as tall as its rows (each explanation wrapped in full,
up to eight lines and more), the recipient's fields show only when someone else collects, and the confirm button
sits beside the total — so identity, recipient and signature stay on screen under every line. After a payment a
large banner takes the place of the form and stays until another person is shown.

The panel is a passive view: it emits a ``PaymentRequest`` and takes changes through ``apply_change`` (the window's
one ``DeskChange`` per mutation); nobody reaches into its widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.clock import VIETNAM, ProvinceTime
from app.domain.errors import PaymentRefused
from app.domain.model import (
    BeneficiaryStatus,
    Evidence,
    EvidenceKind,
    IdentityCheck,
    Payment,
    PaymentRequest,
    PayoutSession,
    RecipientKind,
    Reversal,
    SessionStatus,
)
from app.domain.money import amount_in_words, format_vnd
from app.domain.policy import PolicyReference
from app.domain.rules import check_evidence, check_recipient
from app.store.changes import ChangeKind, DeskChange
from app.store.feed import SyncFlag
from app.store.payouts import PersonView
from app.ui.errors import error_text
from app.ui.fonts import condensed
from app.ui.models import LinesModel, agency_words, records_words
from app.ui.recipient_box import RecipientBox
from app.ui.signature_pad import SignatureField

FLAG_LINES_SHOWN = 3  # more flags collapse into "… and N more", listed in full in the tooltip
REGIME_COLUMN_MAX = 170  # a long regime name wraps onto a second line rather than narrow the explanations
LINES_MIN_ROWS = 2  # on a screen too small for every line, the table shrinks to this many rows and scrolls

# Which input fixes which refusal: when that input changes, the rule is asked again and the message goes (or says
# what is still missing) — an old message never stays after its cause is fixed.
_CAUSES = {
    "identity_check_missing": "identity",
    "signature_missing": "evidence",
    "evidence_needs_reason_witness": "evidence",
    "no_lines_selected": "lines",
    **dict.fromkeys(("proxy_missing_fields", "proxy_bad_id", "authorisation_expired", "authorisation_not_yet_valid",
                     "representative_missing_fields", "representative_bad_id", "representative_mismatch",
                     "representative_only_deceased", "deceased_needs_representative", "no_representative"),
                    "recipient"),
}

_STYLES = {
    "working": "",
    "error": "color:#b71c1c;",
    "notice": "color:#0d47a1;font-weight:bold;background:#e3f2fd;border:1px solid #1565c0;padding:4px;",
    "paid": "color:#1b5e20;background:#e8f5e9;border:3px solid #2e7d32;padding:10px;",
}


class LinesTable(QTableView):
    """A person's lines, as tall as its rows: the panel's layout gives it exactly that height, so no line and no
    explanation is ever behind a scroll bar while the screen has room."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.content_height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        rows = [self.rowHeight(row) for row in range(min(LINES_MIN_ROWS, self.model().rowCount()))]
        return QSize(hint.width(), self._chrome() + (sum(rows) if rows else self.verticalHeader().defaultSectionSize()))

    def content_height(self) -> int:
        """Header, every row and the frame: the height at which nothing scrolls."""
        rows = sum(self.rowHeight(row) for row in range(self.model().rowCount()))
        return self._chrome() + (rows or self.verticalHeader().defaultSectionSize())

    def _chrome(self) -> int:
        return self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()

    def fit_rows(self) -> None:
        """Wrap every explanation at the current column widths and ask the layout for the new height."""
        self.resizeRowsToContents()
        self.updateGeometry()


class PersonPanel(QWidget):
    """Shows one ``PersonView`` and builds the ``PaymentRequest`` the teller confirms."""

    confirmRequested = Signal(object)  # PaymentRequest

    def __init__(self, policy: PolicyReference, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personPanel")
        self._policy = policy
        self._lang = lang
        self._view: PersonView | None = None
        self._session: PayoutSession | None = None
        self._staff = ""
        self._clock = VIETNAM  # the province's, from set_session
        self._today: Callable[[], dt.date] = lambda: self._clock.day_of(dt.datetime.now(dt.UTC))
        self._qr_matched_for: str | None = None
        self._flags_for: str | None = None
        self._writing = False
        self._refusal: PaymentRefused | None = None  # the refusal shown, while its cause is not fixed
        self._paid_banner: tuple[str, str] | None = None  # (record code, banner) until another person is shown

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.setSpacing(4)
        heading = QHBoxLayout()
        heading.setSpacing(12)
        self.name = QLabel(self.tr("Tìm một người để bắt đầu (F3)"), self)
        self.name.setObjectName("personName")
        big = QFont(self.name.font())
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.name.setFont(big)
        self.details = QLabel("", self)
        self.details.setObjectName("personDetails")
        self.details.setWordWrap(True)
        self.details.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        heading.addWidget(self.name, 0, Qt.AlignmentFlag.AlignVCenter)
        heading.addWidget(self.details, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(heading)
        self.status = QLabel("", self)
        self.status.setObjectName("personStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.flags_strip = QLabel("", self)
        self.flags_strip.setObjectName("syncFlagsStrip")
        self.flags_strip.setWordWrap(True)
        self.flags_strip.setStyleSheet("background:#fff3e0;color:#8d3c00;border:1px solid #ef6c00;padding:3px;"
                                       "font-weight:bold;")
        self.flags_strip.hide()
        layout.addWidget(self.flags_strip)

        self.lines_model = LinesModel(policy, lang)
        self.lines = LinesTable(self)
        self.lines.setObjectName("linesTable")
        self.lines.setFont(condensed(self.font()))
        self.lines.setModel(self.lines_model)
        self.lines.verticalHeader().setVisible(False)
        self.lines.setWordWrap(True)
        self.lines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lines.setVerticalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
        self.lines.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LinesModel.COL_REGIME, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(LinesModel.COL_AGENCY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LinesModel.COL_EXPLANATION, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._column_resized)
        self.lines_model.dataChanged.connect(self._update_total)
        self.lines_model.modelReset.connect(self._update_total)
        layout.addWidget(self.lines)

        totals = QHBoxLayout()
        self.total = QLabel("", self)
        self.total.setObjectName("total")
        total_font = QFont(self.total.font())
        total_font.setPointSizeF(total_font.pointSizeF() * 1.4)
        total_font.setBold(True)
        self.total.setFont(total_font)
        self.total_words = QLabel("", self)
        self.total_words.setObjectName("totalWords")
        self.total_words.setWordWrap(True)
        self.total_words.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.confirm = QPushButton(self.tr("Xác nhận chi (Ctrl+Enter)"), self)
        self.confirm.setObjectName("confirmButton")
        self.confirm.setMinimumHeight(40)
        confirm_font = QFont(self.confirm.font())
        confirm_font.setBold(True)
        self.confirm.setFont(confirm_font)
        self.confirm.clicked.connect(self.confirm_payment)
        totals.addWidget(self.total)
        totals.addWidget(self.total_words, 1)
        totals.addWidget(self.confirm)
        layout.addLayout(totals)

        self.result = QLabel("", self)
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.hide()
        layout.addWidget(self.result)
        self.pay_rest = QPushButton(self.tr("Chi tiếp các khoản còn lại"), self)
        self.pay_rest.setObjectName("payRestButton")
        self.pay_rest.clicked.connect(self._back_to_form)
        self.pay_rest.hide()
        layout.addWidget(self.pay_rest, 0, Qt.AlignmentFlag.AlignHCenter)

        self.form = QWidget(self)
        self.form.setObjectName("paymentForm")
        bottom = QHBoxLayout(self.form)
        bottom.setContentsMargins(0, 0, 0, 0)
        who = QVBoxLayout()
        who.setSpacing(4)
        who.addLayout(self._identity_row())
        who.addWidget(self._recipient_box())
        who.addStretch(1)
        bottom.addLayout(who, 5)
        bottom.addWidget(self._evidence_box(), 4)
        layout.addWidget(self.form, 1)
        layout.addStretch(0)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.confirm_payment)
        self.identity.currentIndexChanged.connect(lambda _i: self._recheck("identity"))
        self.recipient_box.changed.connect(lambda: self._recheck("recipient"))
        self.signature.pad.changed.connect(lambda: self._recheck("evidence"))
        self.evidence_group.buttonToggled.connect(lambda *_: self._recheck("evidence"))
        for edit in (self.evidence_reason, self.witness):
            edit.textEdited.connect(lambda _text: self._recheck("evidence"))
        self.lines_model.dataChanged.connect(lambda *_: self._recheck("lines"))
        self.show_person(None)

    # --- building blocks ----------------------------------------------------------------------------------------

    def _identity_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(self.tr("Kiểm tra danh tính"), self)
        label.setStyleSheet("font-weight:bold;")
        self.identity = QComboBox(self)
        self.identity.setObjectName("identityCheck")
        self.identity.addItem(self.tr("— chọn —"), None)
        self.identity.addItem(self.tr("Quét mã QR CCCD, khớp danh sách"), IdentityCheck.QR_MATCHED.value)
        self.identity.addItem(self.tr("Đã xem thẻ CCCD"), IdentityCheck.CARD_INSPECTED.value)
        self.identity.addItem(self.tr("Cán bộ xã xác nhận"), IdentityCheck.VOUCHED.value)
        self.identity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.identity.setMinimumContentsLength(14)  # the list drops down at full width; the box fits the column
        label.setBuddy(self.identity)
        row.addWidget(label)
        row.addWidget(self.identity, 1)
        return row

    def _recipient_box(self) -> RecipientBox:
        self.recipient_box = RecipientBox(self)
        box = self.recipient_box
        self.recipient_group = box.group
        self.self_radio, self.proxy_radio, self.rep_radio = box.self_radio, box.proxy_radio, box.rep_radio
        self.recipient_name, self.recipient_id = box.name, box.id_number
        self.authorisation_number, self.authorisation_until = box.authorisation_number, box.authorisation_until
        return box

    def _evidence_box(self) -> QWidget:
        box = QWidget(self)
        box.setObjectName("evidenceBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        choice = QHBoxLayout()
        self.evidence_group = QButtonGroup(box)
        self.sign_radio = QRadioButton(self.tr("Ký trên màn hình"), box)
        self.sign_radio.setObjectName("evidenceSignature")
        self.thumb_radio = QRadioButton(self.tr("Điểm chỉ"), box)
        self.thumb_radio.setObjectName("evidenceThumbprint")
        self.paper_radio = QRadioButton(self.tr("Ký trên giấy"), box)
        self.paper_radio.setToolTip(self.tr("Người nhận ký trên danh sách chi trả in sẵn"))
        self.paper_radio.setObjectName("evidencePaper")
        for kind, radio in ((EvidenceKind.SIGNATURE, self.sign_radio), (EvidenceKind.THUMBPRINT, self.thumb_radio),
                            (EvidenceKind.PAPER, self.paper_radio)):
            self.evidence_group.addButton(radio)
            radio.setProperty("kind", kind.value)
            choice.addWidget(radio)
        choice.addStretch(1)
        self.sign_radio.setChecked(True)
        layout.addLayout(choice)
        self.evidence_stack = QStackedWidget(box)
        self.signature = SignatureField(box)
        self.signature.setObjectName("signatureField")
        self.evidence_stack.addWidget(self.signature)
        other = QWidget(box)
        form = QFormLayout(other)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above: the hints show whole
        self.evidence_reason = QLineEdit(other)
        self.evidence_reason.setObjectName("evidenceReason")
        self.evidence_reason.setMaxLength(200)
        self.evidence_reason.setPlaceholderText(self.tr("Ví dụ: tay run, không ký được"))
        self.witness = QLineEdit(other)
        self.witness.setObjectName("witness")
        self.witness.setMaxLength(120)
        self.witness.setPlaceholderText(self.tr("Cán bộ xã hoặc người làm chứng"))
        form.addRow(self.tr("Lý do"), self.evidence_reason)
        form.addRow(self.tr("Người làm chứng"), self.witness)
        self.evidence_stack.addWidget(other)
        layout.addWidget(self.evidence_stack)
        layout.addStretch(1)
        self.evidence_group.buttonToggled.connect(lambda *_: self.evidence_stack.setCurrentIndex(
            0 if self.sign_radio.isChecked() else 1))
        return box

    # --- the session and the person -----------------------------------------------------------------------------

    def current_view(self) -> PersonView | None:
        """The person shown, as last read from the store."""
        return self._view

    def set_session(self, session: PayoutSession | None, staff: str, clock: ProvinceTime | None = None,
                    today: Callable[[], dt.date] | None = None) -> None:
        """The session paid from (a closed one pays nothing), the teller, the province clock every time on the
        panel is shown with, and the province's today (from the store's clock: a letter's default date)."""
        self._session = session
        self._staff = staff
        self._clock = clock or VIETNAM
        if today is not None:
            self._today = today
        self._fit_period_column()
        self._sync_confirm()

    @property
    def session_open(self) -> bool:
        return self._session is not None and self._session.status is SessionStatus.OPEN

    def show_person(self, view: PersonView | None, *, qr_matched: bool = False) -> None:
        """Show a person (pre-selecting every payable line) or the empty state; the form is ready again."""
        self._view = view
        if view is None or view.beneficiary.record_code != self._flags_for:
            self.show_flags(None, ())
        if view is None or self._paid_banner is None or self._paid_banner[0] != view.beneficiary.record_code:
            self._paid_banner = None
        self._set_message("", "working")
        self.pay_rest.hide()
        self.form.show()
        self.signature.clear()
        self.evidence_reason.clear()
        self.witness.clear()
        self.sign_radio.setChecked(True)
        self.identity.setCurrentIndex(0)
        if view is None:
            self.recipient_box.show_person(None)
            self.name.setText(self.tr("Tìm một người để bắt đầu (F3)"))
            self.details.clear()
            self.status.clear()
            self.status.hide()
            self.lines_model.set_lines((), frozenset(), {})
            self.lines.fit_rows()
            self._sync_confirm()
            return
        person = view.beneficiary
        self._qr_matched_for = person.record_code if qr_matched else None
        if qr_matched:
            self.identity.setCurrentIndex(self.identity.findData(IdentityCheck.QR_MATCHED.value))
        self.name.setText(person.full_name)
        records = [(record.record_code, record.agency or _one_agency(view, record.record_code))
                   for record in view.all_records]
        parts = [
            self.tr("Mã hồ sơ: {code}").format(code=records_words(self._policy, records, self._lang)),
            self.tr("Năm sinh: {year}").format(year=person.birth_year or "—"),
            self.tr("CCCD: {id}").format(id=person.id_number or "—"),
            self.tr("Thôn/Tổ: {village}").format(village=person.village or "—"),
            self._policy.category_name(person.category, self._lang),
        ]
        self.details.setText(" · ".join(parts))
        self.status.setText(self._status_text(view))
        self.status.setVisible(bool(self.status.text()))  # an empty line would cost the lines table its height
        self.status.setStyleSheet("color:#b71c1c;font-weight:bold;" if any(
            record.status is not BeneficiaryStatus.ACTIVE for record in view.all_records) else "")
        block_text = {state.line.key: state.block.as_error().message(self._lang)
                      for state in view.lines if state.block is not None}
        self.lines_model.set_lines(view.lines, view.selected, block_text, view.beneficiary.category,
                                   dict(view.line_agencies))
        self._fit_regime_column()
        self._fit_period_column()
        # each line's agency where the person is on several agencies' lists; one list's agency is in the details
        self.lines.setColumnHidden(LinesModel.COL_AGENCY, len(view.all_records) < 2)
        self.lines.fit_rows()
        self.recipient_box.show_person(view, self._today())
        self._sync_confirm()
        if self._paid_banner is not None:  # the same person read again (a sync): the banner stays
            self._show_banner(self._paid_banner[1])

    def show_flags(self, record_code: str | None, flags: Sequence[SyncFlag]) -> None:
        """The province's flags about this person's payments (double payment, paid after death, …), one per line.

        The teller must see them before paying again: the strip stays while the same person is shown and goes when
        another person is shown (their flags arrive separately, through the DbRunner).
        """
        self._flags_for = record_code
        lines = []
        for flag in flags:
            created = _day(self._clock, flag.created_at)
            if flag.resolution:
                lines.append(self.tr("✓ {message} ({date}) — đã xử lý").format(message=flag.message(self._lang),
                                                                             date=created))
            else:
                lines.append(self.tr("⚠ {message} ({date})").format(message=flag.message(self._lang), date=created))
        shown = lines
        if len(lines) > FLAG_LINES_SHOWN:
            shown = lines[:FLAG_LINES_SHOWN - 1] + [
                self.tr("… và {count} cảnh báo khác (trỏ chuột vào đây để xem)").format(
                    count=len(lines) - FLAG_LINES_SHOWN + 1)]
        self.flags_strip.setText("\n".join(shown))
        self.flags_strip.setToolTip("\n".join(lines))
        self.flags_strip.setVisible(bool(lines))

    def _status_text(self, view: PersonView) -> str:
        person = view.beneficiary
        suspended = [record for record in view.all_records if record.status is BeneficiaryStatus.SUSPENDED]
        if suspended and len(view.all_records) > 1:  # a suspension belongs to the agency that recorded it
            return "; ".join(self.tr("{agency} ĐANG TẠM DỪNG CHI TRẢ: {reason}").format(
                agency=agency_words(self._policy, record.agency, self._lang) or record.record_code,
                reason=record.status_reason or "—") for record in suspended)
        if person.status is BeneficiaryStatus.SUSPENDED:
            return self.tr("ĐANG TẠM DỪNG CHI TRẢ: {reason}").format(reason=person.status_reason or "—")
        if person.status is BeneficiaryStatus.DECEASED:
            death = person.date_of_death.strftime("%d/%m/%Y") if person.date_of_death else "—"
            rep = person.representative.name if person.representative else self.tr("chưa ghi nhận")
            return self.tr("ĐÃ MẤT ngày {date}. Người đại diện: {rep}").format(date=death, rep=rep)
        if view.payments and not view.selected:
            return self.tr("Đã nhận đủ trong kỳ này")
        return ""

    def focus_lines(self) -> None:
        """The keyboard to the lines (Enter in the search box): Space ticks a line, Ctrl+Enter confirms."""
        self.lines.setFocus()

    def _fit_period_column(self) -> None:
        """The session's payout month is in the session line: the "Kỳ" column shows only when a line is of another
        month (arrears, a line carried over), so the explanations keep its width otherwise."""
        period = self._session.period if self._session is not None else None
        same = period is not None and all(state.line.period == period for state in self.lines_model.states())
        self.lines.setColumnHidden(LinesModel.COL_PERIOD, same)

    def _fit_regime_column(self) -> None:
        """The regime column as wide as its longest name, at most ``REGIME_COLUMN_MAX`` (longer names wrap)."""
        metrics = self.lines.fontMetrics()
        names = [self.lines_model.regime_name(state) for state in self.lines_model.states()]
        title = self.lines_model.headerData(LinesModel.COL_REGIME, Qt.Orientation.Horizontal)
        widest = max((metrics.horizontalAdvance(text) for text in [*names, str(title)]), default=0)
        self.lines.setColumnWidth(LinesModel.COL_REGIME, min(widest + 14, REGIME_COLUMN_MAX))

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        if column == LinesModel.COL_EXPLANATION:  # the explanations wrap anew at the new width
            self.lines.fit_rows()

    # --- what the teller chose ----------------------------------------------------------------------------------

    def identity_check(self) -> IdentityCheck | None:
        data = self.identity.currentData()
        return IdentityCheck(data) if data else None

    def recipient_kind(self) -> RecipientKind:
        return self.recipient_box.kind()

    def evidence_kind(self) -> EvidenceKind:
        checked = self.evidence_group.checkedButton()
        return EvidenceKind(checked.property("kind")) if checked else EvidenceKind.SIGNATURE

    def _update_total(self, *_: object) -> None:
        total = self.lines_model.selected_total()
        self.total.setText(self.tr("Tổng chi: {amount}").format(amount=format_vnd(total)))
        self.total_words.setText(amount_in_words(total) if total else "")
        self._sync_confirm()

    def _sync_confirm(self) -> None:
        """Confirm is offered only with someone shown, something ticked, the form on screen, the session open and
        no payment being written; a closed session says why."""
        ready = (self._view is not None and self.lines_model.selected_total() > 0 and self.form.isVisibleTo(self)
                 and not self._writing)
        self.confirm.setEnabled(ready and self.session_open)
        closed = self._session is not None and not self.session_open
        self.confirm.setToolTip(self.tr("Phiên đã đóng: không chi thêm được") if closed else "")

    # --- confirming -------------------------------------------------------------------------------------------

    def build_request(self) -> PaymentRequest | None:
        if self._view is None or self._session is None:
            return None
        recipient = self.recipient_box.recipient()
        evidence_kind = self.evidence_kind()
        if evidence_kind is EvidenceKind.SIGNATURE:
            pad = self.signature.pad
            evidence = Evidence(EvidenceKind.SIGNATURE, strokes=pad.encoded() if not pad.is_blank() else b"",
                                png=pad.png() if not pad.is_blank() else b"")
        else:
            evidence = Evidence(evidence_kind, reason=self.evidence_reason.text().strip(),
                                witness=self.witness.text().strip())
        return PaymentRequest(
            session_id=self._session.session_id,
            record_code=self._view.beneficiary.record_code,
            line_keys=self.lines_model.selected_keys(),
            expected_amounts=self.lines_model.selected_amounts(),
            recipient=recipient,
            identity_check=self.identity_check(),
            evidence=evidence,
            staff=self._staff,
        )

    def confirm_payment(self) -> None:
        """Ask to pay the ticked lines, as the confirm button and Ctrl+Enter do: emits ``confirmRequested`` once, and
        nothing while the button is disabled (no person, nothing ticked, a closed session, a payment being written)."""
        if not self.confirm.isEnabled():
            return
        request = self.build_request()
        if request is None:
            return
        self._writing = True
        self._sync_confirm()  # one click pays once; the store refuses a second payment anyway
        self._refusal = None
        self._set_message(self.tr("Đang ghi…"), "working")
        self.confirmRequested.emit(request)

    def payment_failed(self, error: BaseException) -> None:
        """The store refused the payment (nothing was written): say why; the message goes once its cause is fixed."""
        self._writing = False
        self._refusal = error if isinstance(error, PaymentRefused) and error.code in _CAUSES else None
        self._set_message(error_text(error, self._lang), "error")
        self._sync_confirm()

    def apply_change(self, change: DeskChange) -> None:
        """Take one change from the window: a payment of the person shown becomes the "ĐÃ CHI" banner; a correction
        shows the person it concerns with words saying what the supervisor did; the province's feed redraws the person
        only if the store's view changed (a drawn signature survives a sync that changed nothing here)."""
        session = change.session
        if session is not None and self._session is not None and session.session_id == self._session.session_id:
            self._session = session
        if change.kind is ChangeKind.PAYMENT:
            self._writing = False
        view = change.person
        shown = self._view.beneficiary.record_code if self._view is not None else None
        if view is None:
            self._sync_confirm()
            return
        record = view.beneficiary.record_code
        if change.kind is ChangeKind.PAYMENT and isinstance(change.fact, Payment):
            if record == shown:
                self.show_person(view)
                self._paid_banner = (record, self.paid_text(change.fact, view, change.visit))
                self._show_banner(self._paid_banner[1])
        elif change.kind in (ChangeKind.REVERSAL, ChangeKind.BACK_ENTRY):
            self.show_person(view)
            self._set_message(self.correction_text(change), "notice")
        elif change.kind is ChangeKind.FEED and record == shown and view != self._view:
            self.show_person(view)
        self._sync_confirm()

    # --- words ----------------------------------------------------------------------------------------------------

    def paid_text(self, payment: Payment, view: PersonView, visit: Sequence[Payment] = ()) -> str:
        """The banner: the amount, who took the cash and for whom, when, and the receipt number (a visit paying two
        agencies' records: their total and both receipt numbers)."""
        visit = tuple(visit) or (payment,)
        amount = format_vnd(sum(item.total for item in visit))
        person = view.beneficiary.full_name
        recipient = payment.recipient
        if recipient.kind is RecipientKind.REPRESENTATIVE:
            head = self.tr("ĐÃ CHI {amount} — {recipient} nhận thay {name} (đã mất)").format(
                amount=amount, recipient=recipient.name, name=person)
        elif recipient.kind is RecipientKind.PROXY:
            head = self.tr("ĐÃ CHI {amount} — {recipient} (người được ủy quyền) nhận thay {name}").format(
                amount=amount, recipient=recipient.name, name=person)
        else:
            head = self.tr("ĐÃ CHI {amount} cho {name}").format(amount=amount, name=person)
        when = self.tr("lúc {time} — biên nhận số {number}").format(
            time=self._clock.format_time_date(payment.recorded_at),
            number=", ".join(str(item.receipt_no or "?") for item in visit))
        return f"{head}\n{when}"

    def correction_text(self, change: DeskChange) -> str:
        """What a supervisor's correction did, in words ("Đã hủy biên nhận số 3 của Nguyễn Văn Đức: … — lý do: …")."""
        view = change.person
        name = view.beneficiary.full_name if view is not None else "—"
        approved = (" " + self.tr("(giám sát viên {name} duyệt)").format(name=change.approved_by)
                    if change.approved_by else "")
        fact = change.fact
        if isinstance(fact, Reversal):
            reversed_payment = change.reversed_payment
            number = (reversed_payment.receipt_no if reversed_payment is not None else None) or "?"
            return self.tr("Đã hủy biên nhận số {number} của {name}: {amount} — lý do: {reason}{approved}. "
                           "Các khoản này lại được chi.").format(
                number=number, name=name, amount=format_vnd(fact.total), reason=fact.reason, approved=approved)
        if isinstance(fact, Payment) and fact.back_entry is not None:
            return self.tr("Đã nhập bù biên nhận số {number} cho {name}: {amount}, chi ngày {day} theo danh sách giấy "
                           "«{sheet}»{approved}.").format(
                number=fact.receipt_no or "?", name=name, amount=format_vnd(fact.total),
                day=fact.back_entry.paid_on.strftime("%d/%m/%Y"), sheet=fact.back_entry.sheet_reference,
                approved=approved)
        return ""

    # --- messages ---------------------------------------------------------------------------------------------------

    def _set_message(self, text: str, tone: str) -> None:
        font = QFont(self.font())
        if tone == "paid":
            font.setPointSizeF(font.pointSizeF() * 2.0)
            font.setBold(True)
        self.result.setFont(font)
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter if tone == "paid" else
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.result.setStyleSheet(_STYLES[tone])
        self.result.setText(text)
        self.result.setVisible(bool(text))
        if tone != "error":
            self._refusal = None

    def _show_banner(self, text: str) -> None:
        """"ĐÃ CHI" in large letters where the form was, until another person is shown; lines still payable (the
        teller ticked only some) can be paid with another confirm."""
        self._set_message(text, "paid")
        self.form.hide()
        self.pay_rest.setVisible(self._view is not None and bool(self._view.selected))
        self._sync_confirm()

    def _back_to_form(self) -> None:
        self._paid_banner = None
        self._set_message("", "working")
        self.pay_rest.hide()
        self.form.show()
        self._sync_confirm()

    def _recheck(self, cause: str) -> None:
        """An input changed: if the refusal shown was about it, ask the rule again — the message goes when the cause
        is fixed, or says what is still missing."""
        refusal = self._refusal
        if refusal is None or _CAUSES.get(refusal.code) != cause:
            return
        problem = self._problem(cause)
        if problem is None:
            self._set_message("", "working")
        elif problem.code != refusal.code or problem.params != refusal.params:
            self._set_message(problem.message(self._lang), "error")
            self._refusal = problem if problem.code in _CAUSES else None

    def _problem(self, cause: str) -> PaymentRefused | None:
        """The rule's answer now for one kind of input (the store checks everything again when paying)."""
        try:
            if cause == "identity" and self.identity_check() is None:
                raise PaymentRefused("identity_check_missing")
            if cause == "lines" and not self.lines_model.selected_keys():
                raise PaymentRefused("no_lines_selected")
            if cause == "evidence":
                kind = self.evidence_kind()
                blank = self.signature.is_blank()
                check_evidence(Evidence(kind, strokes=b"" if blank else b"ink", reason=self.evidence_reason.text(),
                                        witness=self.witness.text()), blank)
            if cause == "recipient" and self._view is not None:
                check_recipient(self._view.beneficiary, self.recipient_box.recipient(), self._today())
        except PaymentRefused as problem:
            return problem
        return None


def _one_agency(view: PersonView, record_code: str) -> str:
    """The agency of a record from before lists named theirs, when its lines are all one agency's ("" otherwise)."""
    found = {view.agency_of(state.line.key) for state in view.lines if state.line.record_code == record_code}
    return found.pop() if len(found) == 1 else ""


def _day(clock: ProvinceTime, moment: str) -> str:
    """A flag's time (ISO 8601 from the server) as the province's date, dd/MM/yyyy; the raw text if it does not
    parse (a time without a zone is UTC, as the server records every time)."""
    try:
        instant = dt.datetime.fromisoformat(moment)
    except ValueError:
        return moment
    return clock.format_date(instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC))
