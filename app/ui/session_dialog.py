"""Opening a payout day: commune, payout point and date from the list's schedule, and the cash advance received.

The dialog proposes what the lists announce for today (the province's day, whatever the laptop's clock zone): the
point scheduled today among this device's communes (the earliest slot when there are several), else the next
scheduled day, and it says which of the two it did. Communes and points are in Vietnamese order and found by typing
their name without accents.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import ScheduleSlot
from app.domain.money import format_number, format_vnd, parse_vnd
from app.store.desk import Place, session_default
from app.ui.place_picker import PlacePicker

MIN_WIDTH = 620
MAX_PICKER_WIDTH = 1000  # the dialog stays inside a 1366×768 screen with its labels and margins


class SessionDialog(QDialog):
    """Returns (commune code, point id, day, cash advance) through ``values()`` once accepted.

    ``places`` come from ``DeskService.places`` (already in Vietnamese order); ``today`` is the province's day.
    """

    def __init__(self, places: tuple[Place, ...], today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionDialog")
        self.setWindowTitle(self.tr("Mở phiên chi trả"))
        self.setMinimumWidth(MIN_WIDTH)
        self._places = {place.commune.code: place for place in places}
        self._today = today
        layout = QVBoxLayout(self)
        self.proposal = QLabel("", self)
        self.proposal.setObjectName("proposal")
        self.proposal.setWordWrap(True)
        layout.addWidget(self.proposal)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.commune = PlacePicker(self)
        self.commune.setObjectName("commune")
        self.commune.lineEdit().setPlaceholderText(self.tr("Gõ tên xã, không cần dấu"))
        self.point = PlacePicker(self)
        self.point.setObjectName("point")
        self.point.lineEdit().setPlaceholderText(self.tr("Gõ tên điểm chi trả, không cần dấu"))
        self.day = QDateEdit(self)
        self.day.setObjectName("day")
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.schedule = QLabel("", self)
        self.schedule.setObjectName("schedule")
        self.schedule.setWordWrap(True)
        self.advance = QLineEdit(self)
        self.advance.setObjectName("advance")
        self.advance.setPlaceholderText("50.000.000")
        self.advance.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.advance_words = QLabel("", self)
        form.addRow(self.tr("Xã/Phường"), self.commune)
        form.addRow(self.tr("Điểm chi trả"), self.point)
        form.addRow(self.tr("Lịch chi trả"), self.schedule)
        form.addRow(self.tr("Ngày chi trả"), self.day)
        form.addRow(self.tr("Tiền tạm ứng nhận (đồng)"), self.advance)
        form.addRow("", self.advance_words)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setStyleSheet("color:#b71c1c;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.open_button.setText(self.tr("Mở phiên"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.commune.set_places((place.commune.name, place.commune.code) for place in places)
        self.commune.fit((place.commune.name for place in places), MAX_PICKER_WIDTH)
        self.point.fit((point.name for place in places for point in place.points), MAX_PICKER_WIDTH)
        self.commune.currentIndexChanged.connect(lambda _index: self._fill_points())
        self.point.currentIndexChanged.connect(lambda _index: self._show_schedule())
        self.advance.textEdited.connect(self._show_amount)
        self.advance.textEdited.connect(lambda _text: self.message.clear())
        self._propose(places)
        self.advance.setFocus()

    # --- the proposal -------------------------------------------------------------------------------------------

    def _propose(self, places: tuple[Place, ...]) -> None:
        """Choose today's scheduled point (or the next scheduled day) and say so."""
        default = session_default(places, self._today)
        if default.commune_code is not None:
            self.commune.choose(default.commune_code)
        self._fill_points()
        if default.point_id is not None:
            self.point.choose(default.point_id)
        self._set_day(default.day)
        slot = default.slot
        if slot is None:
            self.proposal.setText(self.tr("Danh sách không có lịch chi trả từ hôm nay ({today}): chọn xã, điểm và "
                                          "ngày chi trả.").format(today=self._today.strftime("%d/%m/%Y")))
        elif default.is_today(self._today):
            self.proposal.setText(self.tr("Hôm nay ({day}) có lịch chi trả tại {point}, {time}.").format(
                day=slot.day.strftime("%d/%m/%Y"), point=self.point.currentText(), time=self._hours(slot)))
        else:
            self.proposal.setText(self.tr("Hôm nay ({today}) không có lịch chi trả. Đã chọn sẵn ngày có lịch gần "
                                          "nhất: {weekday} {day} tại {point}, {time}.").format(
                today=self._today.strftime("%d/%m/%Y"), weekday=self._weekday(slot.day),
                day=slot.day.strftime("%d/%m/%Y"), point=self.point.currentText(), time=self._hours(slot)))
        self.proposal.setStyleSheet("" if default.is_today(self._today) else "color:#8a4b00;")

    def _hours(self, slot: ScheduleSlot) -> str:
        return f"{slot.start:%H:%M}–{slot.end:%H:%M}"

    def _weekday(self, day: dt.date) -> str:
        names = (self.tr("Thứ Hai"), self.tr("Thứ Ba"), self.tr("Thứ Tư"), self.tr("Thứ Năm"), self.tr("Thứ Sáu"),
                 self.tr("Thứ Bảy"), self.tr("Chủ nhật"))
        return names[day.weekday()]

    # --- pickers ------------------------------------------------------------------------------------------------

    def _place(self) -> Place | None:
        return self._places.get(self.commune.currentData())

    def _fill_points(self) -> None:
        place = self._place()
        self.point.set_places((point.name, point.point_id) for point in (place.points if place else ()))
        self._show_schedule()

    def _set_day(self, day: dt.date) -> None:
        self.day.setDate(QDate(day.year, day.month, day.day))

    def _show_schedule(self) -> None:
        """The point's announced days; the day moves to the point's slot today, else its next one, else the nearest."""
        place = self._place()
        point_id = self.point.currentData()
        if place is None or point_id is None:
            self.schedule.setText("")
            return
        slots = [slot for slot in place.schedule if slot.point_id == point_id]
        self.schedule.setText(", ".join(
            f"{slot.day:%d/%m/%Y} {self._hours(slot)}" for slot in slots
        ) or self.tr("(danh sách không ghi lịch)"))
        days = [slot.day for slot in slots]
        if days and self.day.date().toPython() not in days:
            upcoming = [day for day in days if day >= self._today]
            self._set_day(min(upcoming) if upcoming else min(days, key=lambda day: abs((day - self._today).days)))

    # --- the advance --------------------------------------------------------------------------------------------

    def _show_amount(self, text: str) -> None:
        try:
            amount = parse_vnd(text) if text.strip() else None
        except ValueError:
            self.advance_words.setText(self.tr("Số tiền không hợp lệ"))
            return
        self.advance_words.setText(format_vnd(amount) if amount is not None else "")

    def _check(self) -> None:
        try:
            amount = parse_vnd(self.advance.text())
        except ValueError:
            self.message.setText(self.tr("Nhập số tiền tạm ứng, ví dụ 50.000.000"))
            return
        if amount < 0 or self.point.currentData() is None:
            self.message.setText(self.tr("Chọn điểm chi trả và nhập số tiền tạm ứng"))
            return
        self.advance.setText(format_number(amount))
        self.accept()

    def values(self) -> tuple[str, str, dt.date, int]:
        return (
            self.commune.currentData(),
            self.point.currentData(),
            self.day.date().toPython(),
            parse_vnd(self.advance.text()),
        )
