"""The person being paid: identity, every line from every programme with its explanation, who collects, how they
acknowledged receipt, and the confirm button. "Paid" appears only after the store has committed.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.clock import VIETNAM, ProvinceTime
from app.domain.model import (
    BeneficiaryStatus,
    Evidence,
    EvidenceKind,
    IdentityCheck,
    Payment,
    PaymentRequest,
    RecipientKind,
)
from app.domain.money import amount_in_words, format_vnd
from app.domain.policy import PolicyReference
from app.store.payouts import PersonView
from app.store.sync import SyncFlag
from app.ui.models import LinesModel
from app.ui.recipient_box import RecipientBox
from app.ui.signature_pad import SignatureField

LINES_MIN_HEIGHT = 150
LINES_MIN_HEIGHT_FLAGGED = 80  # the header and one row: the strip takes its place, the window keeps fitting 768 px
FLAG_LINES_SHOWN = 3  # more flags collapse into "… and N more", listed in full in the tooltip


class PersonPanel(QWidget):
    """Shows one ``PersonView`` and builds the ``PaymentRequest`` the teller confirms."""

    confirmRequested = Signal(object)  # PaymentRequest

    def __init__(self, policy: PolicyReference, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personPanel")
        self._policy = policy
        self._lang = lang
        self._view: PersonView | None = None
        self._session_id: str | None = None
        self._staff = ""
        self._clock = VIETNAM  # the province's, from set_context
        self._qr_matched_for: str | None = None
        self._flags_for: str | None = None

        layout = QVBoxLayout(self)
        self.name = QLabel(self.tr("Tìm một người để bắt đầu (F3)"), self)
        self.name.setObjectName("personName")
        big = QFont(self.name.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.name.setFont(big)
        self.details = QLabel("", self)
        self.details.setObjectName("personDetails")
        self.details.setWordWrap(True)
        self.status = QLabel("", self)
        self.status.setObjectName("personStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.name)
        layout.addWidget(self.details)
        layout.addWidget(self.status)
        self.flags_strip = QLabel("", self)
        self.flags_strip.setObjectName("syncFlagsStrip")
        self.flags_strip.setWordWrap(True)
        self.flags_strip.setStyleSheet("background:#fff3e0;color:#8d3c00;border:1px solid #ef6c00;padding:4px;"
                                       "font-weight:bold;")
        self.flags_strip.hide()
        layout.addWidget(self.flags_strip)

        self.lines_model = LinesModel(policy, lang)
        self.lines = QTableView(self)
        self.lines.setObjectName("linesTable")
        self.lines.setModel(self.lines_model)
        self.lines.verticalHeader().setVisible(False)
        self.lines.setWordWrap(True)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LinesModel.COL_EXPLANATION, QHeaderView.ResizeMode.Stretch)
        self.lines_model.dataChanged.connect(self._update_total)
        self.lines_model.modelReset.connect(self._update_total)
        self.lines.setMinimumHeight(LINES_MIN_HEIGHT)
        layout.addWidget(self.lines, 3)

        self.total = QLabel("", self)
        self.total.setObjectName("total")
        total_font = QFont(self.total.font())
        total_font.setPointSizeF(total_font.pointSizeF() * 1.4)
        total_font.setBold(True)
        self.total.setFont(total_font)
        self.total_words = QLabel("", self)
        self.total_words.setObjectName("totalWords")
        self.total_words.setWordWrap(True)
        totals = QHBoxLayout()
        totals.addWidget(self.total)
        totals.addWidget(self.total_words, 1)
        layout.addLayout(totals)

        bottom = QHBoxLayout()
        who = QVBoxLayout()
        who.addWidget(self._identity_box())
        who.addWidget(self._recipient_box())
        who.addStretch(1)
        bottom.addLayout(who, 2)
        bottom.addWidget(self._evidence_box(), 3)
        layout.addLayout(bottom)

        self.confirm = QPushButton(self.tr("Xác nhận chi (Ctrl+Enter)"), self)
        self.confirm.setObjectName("confirmButton")
        self.confirm.setMinimumHeight(44)
        self.confirm.clicked.connect(self.confirm_payment)
        layout.addWidget(self.confirm)
        self.result = QLabel("", self)
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.confirm_payment)
        self.show_person(None)

    # --- building blocks ----------------------------------------------------------------------------------------

    def _identity_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Kiểm tra danh tính"), self)
        layout = QVBoxLayout(box)
        self.identity = QComboBox(box)
        self.identity.setObjectName("identityCheck")
        self.identity.addItem(self.tr("— chọn —"), None)
        self.identity.addItem(self.tr("Quét mã QR CCCD, khớp danh sách"), IdentityCheck.QR_MATCHED.value)
        self.identity.addItem(self.tr("Đã xem thẻ CCCD"), IdentityCheck.CARD_INSPECTED.value)
        self.identity.addItem(self.tr("Cán bộ xã xác nhận"), IdentityCheck.VOUCHED.value)
        layout.addWidget(self.identity)
        return box

    def _recipient_box(self) -> RecipientBox:
        self.recipient_box = RecipientBox(self)
        box = self.recipient_box
        self.recipient_group = box.group
        self.self_radio, self.proxy_radio, self.rep_radio = box.self_radio, box.proxy_radio, box.rep_radio
        self.recipient_name, self.recipient_id = box.name, box.id_number
        self.authorisation_number, self.authorisation_until = box.authorisation_number, box.authorisation_until
        return box

    def _evidence_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Ký nhận"), self)
        layout = QVBoxLayout(box)
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
        self.sign_radio.setChecked(True)
        layout.addLayout(choice)
        self.evidence_stack = QStackedWidget(box)
        self.signature = SignatureField(box)
        self.signature.setObjectName("signatureField")
        self.evidence_stack.addWidget(self.signature)
        other = QWidget(box)
        form = QFormLayout(other)
        self.evidence_reason = QLineEdit(other)
        self.evidence_reason.setObjectName("evidenceReason")
        self.evidence_reason.setPlaceholderText(self.tr("Ví dụ: tay run, không ký được"))
        self.witness = QLineEdit(other)
        self.witness.setObjectName("witness")
        self.witness.setPlaceholderText(self.tr("Tên cán bộ xã hoặc người làm chứng"))
        form.addRow(self.tr("Lý do"), self.evidence_reason)
        form.addRow(self.tr("Người làm chứng"), self.witness)
        self.evidence_stack.addWidget(other)
        layout.addWidget(self.evidence_stack)
        self.evidence_group.buttonToggled.connect(lambda *_: self.evidence_stack.setCurrentIndex(
            0 if self.sign_radio.isChecked() else 1))
        return box

    # --- showing a person -----------------------------------------------------------------------------------------

    def current_view(self) -> PersonView | None:
        """The person shown, as last read from the store."""
        return self._view

    def set_context(self, session_id: str | None, staff: str, clock: ProvinceTime | None = None) -> None:
        """The session paid from, the teller, and the province clock every time on the panel is shown with."""
        self._session_id = session_id
        self._staff = staff
        self._clock = clock or VIETNAM

    def show_person(self, view: PersonView | None, *, qr_matched: bool = False) -> None:
        """Show a person (pre-selecting every payable line) or the empty state."""
        self._view = view
        if view is None or view.beneficiary.record_code != self._flags_for:
            self.show_flags(None, ())
        self.result.clear()
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
            self.confirm.setEnabled(False)
            return
        person = view.beneficiary
        self._qr_matched_for = person.record_code if qr_matched else None
        if qr_matched:
            self.identity.setCurrentIndex(self.identity.findData(IdentityCheck.QR_MATCHED.value))
        self.name.setText(person.full_name)
        parts = [
            self.tr("Mã hồ sơ: {code}").format(code=person.record_code),
            self.tr("Năm sinh: {year}").format(year=person.birth_year or "—"),
            self.tr("CCCD: {id}").format(id=person.id_number or "—"),
            self.tr("Thôn/Tổ: {village}").format(village=person.village or "—"),
            self._policy.category_name(person.category, self._lang),
        ]
        self.details.setText(" · ".join(parts))
        self.status.setText(self._status_text(view))
        self.status.setVisible(bool(self.status.text()))  # an empty line would cost the lines table its height
        self.status.setStyleSheet("color:#b71c1c;font-weight:bold;" if person.status is not BeneficiaryStatus.ACTIVE
                                  else "")
        block_text = {state.line.key: state.block.as_error().message(self._lang)
                      for state in view.lines if state.block is not None}
        self.lines_model.set_lines(view.lines, view.selected, block_text)
        self.lines.resizeRowsToContents()
        self.recipient_box.show_person(view, self._clock.day_of(dt.datetime.now(dt.timezone.utc)))
        self.confirm.setEnabled(bool(view.selected))

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
        # The strip's height comes out of the lines table's minimum, so a flagged person never grows the window.
        strip = self.flags_strip.fontMetrics().lineSpacing() * len(shown) + 16 if shown else 0
        self.lines.setMinimumHeight(max(LINES_MIN_HEIGHT_FLAGGED, LINES_MIN_HEIGHT - strip))

    def _status_text(self, view: PersonView) -> str:
        person = view.beneficiary
        if person.status is BeneficiaryStatus.SUSPENDED:
            return self.tr("ĐANG TẠM DỪNG CHI TRẢ: {reason}").format(reason=person.status_reason or "—")
        if person.status is BeneficiaryStatus.DECEASED:
            death = person.date_of_death.strftime("%d/%m/%Y") if person.date_of_death else "—"
            rep = person.representative.name if person.representative else self.tr("chưa ghi nhận")
            return self.tr("ĐÃ MẤT ngày {date}. Người đại diện: {rep}").format(date=death, rep=rep)
        if view.payments and not view.selected:
            return self.tr("Đã nhận đủ trong kỳ này")
        return ""

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
        self.confirm.setEnabled(bool(self._view) and total > 0)

    # --- confirming -------------------------------------------------------------------------------------------

    def build_request(self) -> PaymentRequest | None:
        if self._view is None or self._session_id is None:
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
            session_id=self._session_id,
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
        self.confirm.setEnabled(False)  # one click pays once; the store refuses a second payment anyway
        self.result.setText(self.tr("Đang ghi…"))
        self.confirmRequested.emit(request)

    def payment_failed(self, message: str) -> None:
        self.result.setText(message)
        self.result.setStyleSheet("color:#b71c1c;")
        self.confirm.setEnabled(self.lines_model.selected_total() > 0)

    def payment_committed(self, payment: Payment, view: PersonView) -> None:
        """Called only after COMMIT: show the person as paid."""
        self.show_person(view)
        self.result.setStyleSheet("color:#1b5e20;font-weight:bold;")
        self.result.setText(self.tr("ĐÃ CHI {amount} cho {name} lúc {time} (phiếu #{seq})").format(
            amount=format_vnd(payment.total), name=view.beneficiary.full_name,
            time=self._clock.format_time_date(payment.recorded_at), seq=payment.seq))


def _day(clock: ProvinceTime, moment: str) -> str:
    """A flag's time (ISO 8601 from the server) as the province's date, dd/MM/yyyy; the raw text if it does not
    parse (a time without a zone is UTC, as the server records every time)."""
    try:
        instant = dt.datetime.fromisoformat(moment)
    except ValueError:
        return moment
    return clock.format_date(instant if instant.tzinfo else instant.replace(tzinfo=dt.timezone.utc))
