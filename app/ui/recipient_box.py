"""Who collects the money: the person, an authorised proxy (with the letter), or the family representative of a
deceased person — one widget for the payout panel and the back-entry dialog, filled from the person shown.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import BeneficiaryStatus, Recipient, RecipientKind
from app.store.payouts import PersonView


class RecipientBox(QGroupBox):
    """Self / proxy / representative, with the proxy's letter or the representative pre-filled from the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Người nhận"), parent)
        self._view: PersonView | None = None
        self._default_day = dt.date.today()
        layout = QVBoxLayout(self)
        choice = QHBoxLayout()
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
            choice.addWidget(radio)
        self.self_radio.setChecked(True)
        layout.addLayout(choice)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("recipientName")
        self.id_number = QLineEdit(self)
        self.id_number.setObjectName("recipientId")
        self.id_number.setMaxLength(12)
        self.authorisation_number = QLineEdit(self)
        self.authorisation_number.setObjectName("authorisationNumber")
        self.authorisation_until = QDateEdit(self)
        self.authorisation_until.setObjectName("authorisationUntil")
        self.authorisation_until.setDisplayFormat("dd/MM/yyyy")
        self.authorisation_until.setCalendarPopup(True)
        form.addRow(self.tr("Họ tên"), self.name)
        form.addRow(self.tr("Số CCCD"), self.id_number)
        form.addRow(self.tr("Số giấy ủy quyền"), self.authorisation_number)
        form.addRow(self.tr("Ủy quyền đến ngày"), self.authorisation_until)
        layout.addLayout(form)
        self.group.buttonToggled.connect(lambda *_: self.refill())

    def show_person(self, view: PersonView | None, default_day: dt.date | None = None) -> None:
        """A deceased person can only be collected for by the representative; others by themselves or a proxy."""
        self._view = view
        self._default_day = default_day or dt.date.today()
        deceased = view is not None and view.beneficiary.status is BeneficiaryStatus.DECEASED
        self.self_radio.setEnabled(not deceased)
        self.proxy_radio.setEnabled(not deceased)
        self.rep_radio.setEnabled(deceased)
        (self.rep_radio if deceased else self.self_radio).setChecked(True)
        self.refill()

    def kind(self) -> RecipientKind:
        checked = self.group.checkedButton()
        return RecipientKind(checked.property("kind")) if checked else RecipientKind.SELF

    def refill(self) -> None:
        """Enable the fields the choice needs and pre-fill them from the registered letter or representative."""
        kind = self.kind()
        for widget in (self.authorisation_number, self.authorisation_until):
            widget.setEnabled(kind is RecipientKind.PROXY)
        self.name.setEnabled(kind is not RecipientKind.SELF)
        self.id_number.setEnabled(kind is not RecipientKind.SELF)
        self.name.clear()
        self.id_number.clear()
        self.authorisation_number.clear()
        day = self._default_day
        self.authorisation_until.setDate(QDate(day.year, day.month, day.day))
        view = self._view
        if view is None:
            return
        person = view.beneficiary
        if kind is RecipientKind.REPRESENTATIVE and person.representative:
            self.name.setText(person.representative.name)
            self.id_number.setText(person.representative.id_number or "")
        if kind is RecipientKind.PROXY and view.authorisations:
            letter = view.authorisations[0]  # the latest registered authorisation
            self.name.setText(letter.proxy_name)
            self.id_number.setText(letter.proxy_id_number)
            self.authorisation_number.setText(letter.number)
            until = letter.valid_until
            self.authorisation_until.setDate(QDate(until.year, until.month, until.day))

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
            authorisation_valid_until=self.authorisation_until.date().toPython() if proxy else None,
        )
