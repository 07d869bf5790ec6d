"""Back-entering a payment that was made on the paper sheet while the laptop was unusable.

A supervisor records, for one person, the lines paid, the real date the cash changed hands, the paper sheet's
reference, how receipt was acknowledged on paper (thumbprint or signature on the sheet, with reason and witness) and
who took the cash. The store checks it by the same rules as a payment (an authorisation is checked against the real
date) and marks the journal entry as back-entered; nothing already recorded is changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import (
    BackEntry,
    BeneficiaryStatus,
    Evidence,
    EvidenceKind,
    IdentityCheck,
    PaymentRequest,
    PayoutSession,
    RecipientKind,
    Staff,
)
from app.domain.money import amount_in_words, format_vnd
from app.domain.policy import PolicyReference
from app.store.changes import DeskChange
from app.store.desk import PersonRow
from app.store.payouts import PersonView
from app.store.store import Store
from app.ui.dates import picked_date
from app.ui.errors import error_text
from app.ui.form_message import FormMessage
from app.ui.models import LinesModel
from app.ui.recipient_box import RecipientBox
from app.ui.supervisor import SIGN_IN_REFUSALS, NotSupervisorError, SupervisorBox, TaskDialog
from app.ui.tasks import DbRunner


class BackEntryDialog(TaskDialog):
    """``backEntryCommitted`` carries the ``DeskChange`` once the back-entry is committed."""

    backEntryCommitted = Signal(object)

    def __init__(self, runner: DbRunner, store: Store, session: PayoutSession, staff: Staff, policy: PolicyReference,
                 lang: str, *, record_code: str | None = None, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self._store = store
        self._session = session
        self._lang = lang
        self._view: PersonView | None = None
        self.setObjectName("backEntryDialog")
        self.setWindowTitle(self.tr("Nhập bù khoản đã chi trên danh sách giấy"))
        self.resize(960, 720)

        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Dùng khi máy không dùng được và tiền đã chi, ký nhận trên danh sách giấy. Giám sát "
                               "viên nhập lại đúng ngày chi thực tế và số hiệu tờ danh sách; bút toán được đánh dấu "
                               "là nhập bù."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        pick = QFormLayout()
        self.person = QComboBox(self)
        self.person.setObjectName("backEntryPerson")
        pick.addRow(self.tr("Người hưởng"), self.person)
        layout.addLayout(pick)
        self.details = QLabel("", self)
        self.details.setObjectName("backEntryDetails")
        self.details.setWordWrap(True)
        layout.addWidget(self.details)

        self.lines_model = LinesModel(policy, lang)
        self.lines = QTableView(self)
        self.lines.setObjectName("backEntryLines")
        self.lines.setModel(self.lines_model)
        self.lines.verticalHeader().setVisible(False)
        self.lines.setWordWrap(True)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LinesModel.COL_EXPLANATION, QHeaderView.ResizeMode.Stretch)
        self.lines.setMinimumHeight(120)
        layout.addWidget(self.lines, 1)
        self.total = QLabel("", self)
        self.total.setObjectName("backEntryTotal")
        self.total.setWordWrap(True)
        self.total.setStyleSheet("font-weight:bold;")
        layout.addWidget(self.total)
        self.lines_model.dataChanged.connect(lambda *_: self._update_total())
        self.lines_model.modelReset.connect(self._update_total)

        paper = QFormLayout()
        today = today or session.day  # the province's today, from the window (never the laptop's own date)
        self.paid_on = QDateEdit(self)
        self.paid_on.setObjectName("paidOn")
        self.paid_on.setDisplayFormat("dd/MM/yyyy")
        self.paid_on.setCalendarPopup(True)
        self.paid_on.setMaximumDate(QDate(today.year, today.month, today.day))
        day = min(session.day, today)
        self.paid_on.setDate(QDate(day.year, day.month, day.day))
        self.sheet_reference = QLineEdit(self)
        self.sheet_reference.setObjectName("sheetReference")
        self.sheet_reference.setPlaceholderText(self.tr("Ví dụ: DS giấy tờ 3, dòng 12"))
        self.identity = QComboBox(self)
        self.identity.setObjectName("backEntryIdentity")
        self.identity.addItem(self.tr("— chọn —"), None)
        self.identity.addItem(self.tr("Đã xem thẻ CCCD"), IdentityCheck.CARD_INSPECTED.value)
        self.identity.addItem(self.tr("Cán bộ xã xác nhận"), IdentityCheck.VOUCHED.value)
        paper.addRow(self.tr("Ngày chi thực tế"), self.paid_on)
        paper.addRow(self.tr("Số hiệu tờ danh sách giấy"), self.sheet_reference)
        paper.addRow(self.tr("Kiểm tra danh tính"), self.identity)
        layout.addLayout(paper)

        middle = QHBoxLayout()
        middle.addWidget(self._recipient_box(), 1)
        middle.addWidget(self._evidence_box(), 1)
        layout.addLayout(middle)
        self.supervisor = SupervisorBox(staff, self)
        layout.addWidget(self.supervisor)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b71c1c;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.confirm = buttons.addButton(self.tr("Ghi nhập bù"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("confirmBackEntry")
        self.confirm.setEnabled(False)
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._wanted = record_code
        # "form": a field the message names; "supervisor": the approval was refused; "store": the rules refused
        self.said = FormMessage(self.message, self._problem, retyped=frozenset({"supervisor", "store"}))
        self.person.currentIndexChanged.connect(lambda _i: self._load_person())
        for edit in (self.sheet_reference, self.evidence_reason, self.witness):
            edit.textEdited.connect(lambda _text: self.said.recheck("form"))
        self.identity.currentIndexChanged.connect(lambda _i: self.said.recheck("form"))
        self.supervisor.edited.connect(lambda: self.said.recheck("supervisor"))
        self.recipient_box.changed.connect(lambda: self.said.recheck("store"))
        self.evidence_group.buttonToggled.connect(lambda *_: self.said.recheck("store"))
        self.paid_on.dateChanged.connect(lambda _date: self.said.recheck("store"))
        session_id = session.session_id
        self.submit(lambda: store.desk.people(session_id), self._fill_people, self._show_failure)

    # --- building blocks ----------------------------------------------------------------------------------------

    def _recipient_box(self) -> RecipientBox:
        self.recipient_box = RecipientBox(self)
        box = self.recipient_box
        self.recipient_group = box.group
        self.self_radio, self.proxy_radio, self.rep_radio = box.self_radio, box.proxy_radio, box.rep_radio
        self.recipient_name, self.recipient_id = box.name, box.id_number
        self.authorisation_number, self.authorisation_until = box.authorisation_number, box.authorisation_until
        return box

    def _evidence_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Ký nhận trên giấy"), self)
        layout = QVBoxLayout(box)
        choice = QHBoxLayout()
        self.evidence_group = QButtonGroup(box)
        self.paper_radio = QRadioButton(self.tr("Ký trên danh sách giấy"), box)
        self.paper_radio.setObjectName("backEntryPaper")
        self.thumb_radio = QRadioButton(self.tr("Điểm chỉ"), box)
        self.thumb_radio.setObjectName("backEntryThumbprint")
        for kind, radio in ((EvidenceKind.PAPER, self.paper_radio), (EvidenceKind.THUMBPRINT, self.thumb_radio)):
            self.evidence_group.addButton(radio)
            radio.setProperty("kind", kind.value)
            choice.addWidget(radio)
        self.paper_radio.setChecked(True)
        layout.addLayout(choice)
        form = QFormLayout()
        self.evidence_reason = QLineEdit(box)
        self.evidence_reason.setObjectName("backEntryReason")
        self.evidence_reason.setPlaceholderText(self.tr("Ví dụ: máy hết pin"))
        self.witness = QLineEdit(box)
        self.witness.setObjectName("backEntryWitness")
        self.witness.setPlaceholderText(self.tr("Cán bộ xã hoặc người làm chứng"))
        form.addRow(self.tr("Lý do"), self.evidence_reason)
        form.addRow(self.tr("Người làm chứng"), self.witness)
        layout.addLayout(form)
        return box

    # --- choosing the person ------------------------------------------------------------------------------------

    def _fill_people(self, rows: tuple[PersonRow, ...]) -> None:
        self.person.blockSignals(True)
        self.person.clear()
        for row in rows:
            self.person.addItem(self.tr("{name} — {code}").format(name=row.full_name, code=row.record_code),
                                row.record_code)
        wanted = self._wanted
        if wanted and self.person.findData(wanted) < 0:
            self.person.insertItem(0, wanted, wanted)  # someone from another point, found by search
        self.person.setCurrentIndex(max(self.person.findData(wanted), 0) if wanted else 0)
        self.person.blockSignals(False)
        self._load_person()

    def _load_person(self) -> None:
        record = self.person.currentData()
        self._view = None
        self.confirm.setEnabled(False)
        if not record:
            self.lines_model.set_lines((), frozenset(), {})
            self.details.clear()
            return
        store, session_id = self._store, self._session.session_id
        self.submit(lambda: store.payouts.person(record, session_id), self._show_person, self._show_failure,
                    tag="back-entry-person")

    def _show_person(self, view: PersonView) -> None:
        if view.beneficiary.record_code != self.person.currentData():
            return
        self._view = view
        person = view.beneficiary
        index = self.person.currentIndex()
        if self.person.itemText(index) == person.record_code:
            self.person.setItemText(index, self.tr("{name} — {code}").format(name=person.full_name,
                                                                            code=person.record_code))
        parts = [
            self.tr("Năm sinh: {year}").format(year=person.birth_year or "—"),
            self.tr("CCCD: {id}").format(id=person.id_number or "—"),
            self.tr("Thôn/Tổ: {village}").format(village=person.village or "—"),
        ]
        if person.status is BeneficiaryStatus.DECEASED:
            death = person.date_of_death.strftime("%d/%m/%Y") if person.date_of_death else "—"
            parts.append(self.tr("Đã mất ngày {date}").format(date=death))
        self.details.setText(" · ".join(parts))
        block_text = {state.line.key: state.block.as_error().message(self._lang)
                      for state in view.lines if state.block is not None}
        self.lines_model.set_lines(view.lines, view.selected, block_text, view.beneficiary.category)
        self.lines.resizeRowsToContents()
        self.recipient_box.show_person(view, picked_date(self.paid_on))
        self._update_total()

    def _show_failure(self, error: BaseException) -> None:
        self.message.setText(error_text(error, self._lang))

    def recipient_kind(self) -> RecipientKind:
        return self.recipient_box.kind()

    def evidence_kind(self) -> EvidenceKind:
        checked = self.evidence_group.checkedButton()
        return EvidenceKind(checked.property("kind")) if checked else EvidenceKind.PAPER

    def _update_total(self) -> None:
        total = self.lines_model.selected_total()
        self.total.setText(self.tr("Tổng nhập bù: {amount} — {words}").format(
            amount=format_vnd(total), words=amount_in_words(total)) if total else "")
        self.confirm.setEnabled(self._view is not None and total > 0 and not self.writing)

    # --- confirming ---------------------------------------------------------------------------------------------

    def build_request(self, staff: str) -> PaymentRequest | None:
        view = self._view
        if view is None:
            return None
        recipient = self.recipient_box.recipient()
        identity = self.identity.currentData()
        return PaymentRequest(
            session_id=self._session.session_id,
            record_code=view.beneficiary.record_code,
            line_keys=self.lines_model.selected_keys(),
            expected_amounts=self.lines_model.selected_amounts(),
            recipient=recipient,
            identity_check=IdentityCheck(identity) if identity else None,
            evidence=Evidence(self.evidence_kind(), reason=self.evidence_reason.text().strip(),
                              witness=self.witness.text().strip()),
            staff=staff,
            back_entry=BackEntry(picked_date(self.paid_on), self.sheet_reference.text().strip()),
        )

    def _missing(self) -> tuple[str, str, QWidget | None] | None:
        """What the form lacks first: (sentence, cause, the field to fill), or None."""
        if not self.sheet_reference.text().strip():
            return self.tr("Nhập số hiệu tờ danh sách giấy đã ký nhận"), "form", self.sheet_reference
        if self.identity.currentData() is None:
            return self.tr("Chọn cách đã kiểm tra danh tính"), "form", self.identity
        if not self.evidence_reason.text().strip() or not self.witness.text().strip():
            return (self.tr("Ghi lý do và tên người làm chứng"), "form",
                    self.evidence_reason if not self.evidence_reason.text().strip() else self.witness)
        missing = self.supervisor.missing()
        return (missing, "supervisor", self.supervisor.username) if missing else None

    def _problem(self) -> tuple[str, str] | None:
        missing = self._missing()
        return (missing[0], missing[1]) if missing is not None else None

    def _confirm(self) -> None:
        if self._view is None or self.writing or not self.lines_model.selected_keys():
            return
        missing = self._missing()
        if missing is not None:
            text, cause, field = missing
            self.said.say(text, cause)
            if field is not None:
                field.setFocus()
            return
        draft = self.build_request("")
        assert draft is not None
        approve = self.supervisor.approver(self._store)
        store = self._store

        def work() -> DeskChange:
            supervisor = approve()
            request = replace(draft, staff=supervisor.username)  # a back-entry is the supervisor's entry
            return store.desk.pay(request, approved_by=supervisor.full_name)

        self.confirm.setEnabled(False)
        self.said.say(self.tr("Đang ghi…"), "", "")
        self.submit(work, self._committed, self._refused, writes=True)

    def _committed(self, change: DeskChange) -> None:
        self.backEntryCommitted.emit(change)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        sign_in = isinstance(error, NotSupervisorError) or getattr(error, "code", "") in SIGN_IN_REFUSALS
        self.said.say(self.supervisor.refused_text(error, self._lang), "supervisor" if sign_in else "store")
        self._update_total()
