"""Opening a payout day: commune, payout point and date from the list's schedule, and the cash advance received."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_number, format_vnd, parse_vnd
from app.store.desk import Place


class SessionDialog(QDialog):
    """Returns (commune code, point id, day, cash advance) through ``values()`` once accepted."""

    def __init__(self, places: tuple[Place, ...], today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionDialog")
        self.setWindowTitle(self.tr("Mở phiên chi trả"))
        self._places = places
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.commune = QComboBox(self)
        self.commune.setObjectName("commune")
        self.point = QComboBox(self)
        self.point.setObjectName("point")
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
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Mở phiên"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        for place in places:
            self.commune.addItem(place.commune.name, place.commune.code)
        self.commune.currentIndexChanged.connect(self._fill_points)
        self.point.currentIndexChanged.connect(self._show_schedule)
        self.advance.textEdited.connect(self._show_amount)
        self._fill_points()
        self.advance.setFocus()

    def _place(self) -> Place | None:
        index = self.commune.currentIndex()
        return self._places[index] if 0 <= index < len(self._places) else None

    def _fill_points(self) -> None:
        self.point.clear()
        place = self._place()
        if place is None:
            return
        for point in place.points:
            self.point.addItem(point.name, point.point_id)
        self._show_schedule()

    def _show_schedule(self) -> None:
        place = self._place()
        point_id = self.point.currentData()
        if place is None or point_id is None:
            self.schedule.setText("")
            return
        slots = [slot for slot in place.schedule if slot.point_id == point_id]
        self.schedule.setText(", ".join(
            f"{slot.day:%d/%m/%Y} {slot.start:%H:%M}–{slot.end:%H:%M}" for slot in slots
        ) or self.tr("(danh sách không ghi lịch)"))
        upcoming = [slot.day for slot in slots]
        today = self.day.date().toPython()
        if upcoming and today not in upcoming:
            nearest = min(upcoming, key=lambda day: abs((day - today).days))
            self.day.setDate(QDate(nearest.year, nearest.month, nearest.day))

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
