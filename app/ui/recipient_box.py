"""Who collects the money: the person, an authorised proxy (with the letter), or the family representative of a
deceased person — one widget for the payout panel and the back-entry dialog, filled from the person shown.

It is compact so the payout panel fits a 1366×768 screen: the recipient's fields show only when someone other than
the person collects. What is on file (the proxy's letter, the recorded representative) is said as soon as the person
is shown, so the teller knows before anyone speaks who may collect.

A representative's personal ID number (CCCD) is never pre-filled: it is typed (or read) from the card of whoever
stands at the desk and checked against the number on file, which the screen shows only by its last digits.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import Authorisation, BeneficiaryStatus, Recipient, RecipientKind
from app.store.payouts import PersonView
from app.ui.dates import picked_date

SHOWN_ID_DIGITS = 3
"""How many last digits of a representative's number on file the screen shows: enough to tell the teller they
have the right card in hand, not enough to copy the number into the field."""


class RecipientBox(QGroupBox):
    """Self / proxy / representative, with the proxy's letter or the representative pre-filled from the list.

    ``changed`` is emitted whenever the choice or a field changes (the panel clears a message whose cause is fixed).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Người nhận"), parent)
        self.setObjectName("recipientBox")
        self._view: PersonView | None = None
        self._default_day: dt.date | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        choice = QGridLayout()  # two rows: the panel's column is narrow at 1366 px
        choice.setHorizontalSpacing(10)
        choice.setVerticalSpacing(2)
        self.group = QButtonGroup(self)
        self.self_radio = QRadioButton(self.tr("Chính chủ"), self)
        self.proxy_radio = QRadioButton(self.tr("Người được ủy quyền"), self)
        self.rep_radio = QRadioButton(self.tr("Đại diện gia đình"), self)
        self.rep_radio.setToolTip(self.tr("Chỉ khi đối tượng đã mất: người đại diện gia đình đã được ghi nhận"))
        for kind, radio in ((RecipientKind.SELF, self.self_radio), (RecipientKind.PROXY, self.proxy_radio),
                            (RecipientKind.REPRESENTATIVE, self.rep_radio)):
            self.group.addButton(radio)
            radio.setProperty("kind", kind.value)
            radio.setObjectName(f"recipient{kind.value.capitalize()}")
        choice.addWidget(self.self_radio, 0, 0)
        choice.addWidget(self.proxy_radio, 0, 1)
        choice.addWidget(self.rep_radio, 1, 0, 1, 2)
        choice.setColumnStretch(2, 1)
        self.self_radio.setChecked(True)
        layout.addLayout(choice)

        self.on_file = QLabel("", self)
        self.on_file.setObjectName("recipientOnFile")
        self.on_file.setWordWrap(True)
        self.on_file.hide()
        layout.addWidget(self.on_file)

        self.fields = QWidget(self)
        self.fields.setObjectName("recipientFields")
        grid = QGridLayout(self.fields)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        self.name = QLineEdit(self.fields)
        self.name.setObjectName("recipientName")
        self.name.setMaxLength(120)
        self.id_number = QLineEdit(self.fields)
        self.id_number.setObjectName("recipientId")
        self.id_number.setMaxLength(15)  # 12 digits, and the spaces people type between groups
        self.authorisation_number = QLineEdit(self.fields)
        self.authorisation_number.setObjectName("authorisationNumber")
        self.authorisation_number.setMaxLength(60)
        self.authorisation_until = QDateEdit(self.fields)
        self.authorisation_until.setObjectName("authorisationUntil")
        self.authorisation_until.setDisplayFormat("dd/MM/yyyy")
        self.authorisation_until.setCalendarPopup(True)
        self.name_label = QLabel(self.tr("Họ tên"), self.fields)
        self.id_label = QLabel(self.tr("Số CCCD"), self.fields)
        self.number_label = QLabel(self.tr("Giấy ủy quyền"), self.fields)
        self.until_label = QLabel(self.tr("đến"), self.fields)
        self.number_label.setToolTip(self.tr("Số giấy ủy quyền và ngày hết hạn ghi trên giấy"))
        grid.addWidget(self.name_label, 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 3)
        grid.addWidget(self.id_label, 1, 0)
        grid.addWidget(self.id_number, 1, 1, 1, 3)
        grid.addWidget(self.number_label, 2, 0)
        grid.addWidget(self.authorisation_number, 2, 1)
        grid.addWidget(self.until_label, 2, 2)
        grid.addWidget(self.authorisation_until, 2, 3)
        grid.setColumnStretch(1, 1)
        self.authorisation_number.setMinimumWidth(self.fontMetrics().horizontalAdvance("UQ-2026/0000") + 10)
        layout.addWidget(self.fields)
        self.group.buttonToggled.connect(self._choice_toggled)
        for edit in (self.name, self.id_number, self.authorisation_number):
            edit.textEdited.connect(lambda _text: self.changed.emit())
        self.authorisation_until.dateChanged.connect(lambda _date: self.changed.emit())
        self._show_fields()

    def show_person(self, view: PersonView | None, default_day: dt.date | None = None) -> None:
        """A deceased person can only be collected for by the representative; others by themselves or a proxy.

        ``default_day``: the province's today (or a back-entry's day), the date a letter not on file starts from.
        """
        self._view = view
        self._default_day = default_day
        deceased = view is not None and view.beneficiary.status is BeneficiaryStatus.DECEASED
        self.self_radio.setEnabled(not deceased)
        self.proxy_radio.setEnabled(not deceased)
        self.rep_radio.setEnabled(deceased)
        self.group.blockSignals(True)
        (self.rep_radio if deceased else self.self_radio).setChecked(True)
        self.group.blockSignals(False)
        self._show_on_file()
        self.refill()

    def kind(self) -> RecipientKind:
        checked = self.group.checkedButton()
        return RecipientKind(checked.property("kind")) if checked else RecipientKind.SELF

    def _choice_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self.refill()
            self.changed.emit()

    def _show_fields(self) -> None:
        kind = self.kind()
        proxy = kind is RecipientKind.PROXY
        self.fields.setVisible(kind is not RecipientKind.SELF)
        for widget in (self.number_label, self.authorisation_number, self.until_label, self.authorisation_until):
            widget.setVisible(proxy)
            widget.setEnabled(proxy)
        for widget in (self.name, self.id_number):
            widget.setEnabled(kind is not RecipientKind.SELF)
        self.id_number.setPlaceholderText(
            self.tr("12 số trên thẻ CCCD của người nhận") if kind is RecipientKind.REPRESENTATIVE else "")

    def refill(self) -> None:
        """Show the fields the choice needs and pre-fill them from the registered letter or representative."""
        self._show_fields()
        kind = self.kind()
        self.name.clear()
        self.id_number.clear()
        self.authorisation_number.clear()
        day = self._default_day
        if day is not None:
            self.authorisation_until.setDate(QDate(day.year, day.month, day.day))
        view = self._view
        if view is None:
            return
        person = view.beneficiary
        if kind is RecipientKind.REPRESENTATIVE and person.representative:
            self.name.setText(person.representative.name)  # the number comes from the card in hand
        if kind is RecipientKind.PROXY and view.authorisations:
            letter = view.authorisations[0]  # the latest registered authorisation
            self.name.setText(letter.proxy_name)
            self.id_number.setText(letter.proxy_id_number)
            self.authorisation_number.setText(letter.number)
            until = letter.valid_until
            self.authorisation_until.setDate(QDate(until.year, until.month, until.day))

    def _show_on_file(self) -> None:
        """Say who may collect according to the list, before anyone is chosen."""
        view = self._view
        text = ""
        expired = False
        if view is not None:
            person = view.beneficiary
            if person.status is BeneficiaryStatus.DECEASED:
                rep = person.representative
                if rep is None:
                    text = self.tr("Chưa có người đại diện gia đình được ghi nhận: không chi được")
                    expired = True
                else:
                    digits = "".join((rep.id_number or "").split())
                    text = self.tr("Người đại diện đã ghi nhận: {name}").format(name=rep.name)
                    if digits:
                        text += " " + self.tr("(số CCCD kết thúc bằng {last})").format(last=digits[-SHOWN_ID_DIGITS:])
            elif view.authorisations:
                letter = view.authorisations[0]
                expired = self._default_day is not None and letter.valid_until < self._default_day
                text = self._letter_text(letter, expired)
        self.on_file.setText(text)
        self.on_file.setStyleSheet("color:#b71c1c;" if expired else "color:#0d47a1;")
        self.on_file.setVisible(bool(text))

    def _letter_text(self, letter: Authorisation, expired: bool) -> str:
        until = letter.valid_until.strftime("%d/%m/%Y")
        if expired:
            said = self.tr("Ủy quyền trên hồ sơ: {name} (CCCD {id}), giấy số {number} — đã hết hạn ngày {until}")
            return said.format(
                name=letter.proxy_name, id=letter.proxy_id_number, number=letter.number, until=until)
        return self.tr("Ủy quyền trên hồ sơ: {name} (CCCD {id}), giấy số {number}, đến ngày {until}").format(
            name=letter.proxy_name, id=letter.proxy_id_number, number=letter.number, until=until)

    def recipient(self) -> Recipient:
        """The recipient as typed; the rules check it again when the payment is written."""
        kind = self.kind()
        if kind is RecipientKind.SELF:
            return Recipient(kind=kind)
        proxy = kind is RecipientKind.PROXY
        return Recipient(
            kind=kind,
            name=self.name.text().strip(),
            id_number=self.id_number.text().strip(),
            authorisation_number=self.authorisation_number.text().strip() if proxy else "",
            authorisation_valid_until=picked_date(self.authorisation_until) if proxy else None,
        )
