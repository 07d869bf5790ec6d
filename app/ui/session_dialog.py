"""Opening a payout day: commune, payout point and date from the list's schedule, and the cash advance received.

The dialog proposes what the lists announce for today (the province's day, whatever the laptop's clock zone): the
point scheduled today among this device's communes (the earliest slot when there are several), else the next
scheduled day, and it says which of the two it did. Communes and points are in Vietnamese order and found by typing
their name without accents.

A point-day already closed (F9) opens again only with a supervisor's sign-in and a reason: the dialog says so as soon
as such a point and day are chosen, shows what the closed session counted, and asks for both. The window does the
opening on the DB worker (``openRequested``) and answers with ``opened`` or ``refused``; the dialog stays up on a
refusal so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt, Signal
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

from app.domain.errors import PayoutError
from app.domain.model import PayoutSession, Role, ScheduleSlot, Staff
from app.domain.money import format_number, format_vnd, parse_vnd
from app.store.desk import Place, session_default
from app.ui.dates import picked_date
from app.ui.errors import error_text
from app.ui.form_message import FormMessage
from app.ui.place_picker import PlacePicker
from app.ui.supervisor import SIGN_IN_REFUSALS, NotSupervisorError, SupervisorBox

MIN_WIDTH = 620
MAX_PICKER_WIDTH = 1000  # the dialog stays inside a 1366×768 screen with its labels and margins


@dataclass(frozen=True, slots=True)
class SessionRequest:
    """What the teller asked to open; ``reopen_reason`` is set when the point-day was closed (a supervisor approves
    it in the same worker task as the opening)."""

    commune_code: str
    point_id: str
    day: dt.date
    cash_advance: int
    reopen_reason: str = ""

    @property
    def reopens(self) -> bool:
        return bool(self.reopen_reason)


class SessionDialog(QDialog):
    """Emits ``openRequested(SessionRequest)`` when the form is complete; the window opens the session and calls
    ``opened()`` (the dialog closes) or ``refused(error)`` (it says why and stays). ``values()`` gives (commune code,
    point id, day, cash advance).

    ``places`` come from ``DeskService.places`` (already in Vietnamese order); ``today`` is the province's day;
    ``closed`` the device's sessions closed lately (``DeskService.closed_sessions``); ``staff`` the signed-in staff
    member (a signed-in supervisor approves a reopening by name, anyone else needs a supervisor's password).
    """

    openRequested = Signal(object)  # SessionRequest

    def __init__(self, places: tuple[Place, ...], today: dt.date, parent: QWidget | None = None, *,
                 closed: Sequence[PayoutSession] = (), staff: Staff | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionDialog")
        self.setWindowTitle(self.tr("Mở phiên chi trả"))
        self.setMinimumWidth(MIN_WIDTH)
        self._places = {place.commune.code: place for place in places}
        self._today = today
        self._closed: dict[tuple[str, dt.date], list[PayoutSession]] = {}
        for session in closed:
            self._closed.setdefault((session.point_id, session.day), []).append(session)
        self._refused_closed: set[tuple[str, dt.date]] = set()  # closed days the store named (not in ``closed``)
        self._writing = False
        layout = QVBoxLayout(self)
        self.proposal = QLabel("", self)
        self.proposal.setObjectName("proposal")
        self.proposal.setWordWrap(True)
        layout.addWidget(self.proposal)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.commune = PlacePicker(self)
        self.commune.setObjectName("commune")
        self.commune.line_edit().setPlaceholderText(self.tr("Gõ tên xã, không cần dấu"))
        self.point = PlacePicker(self)
        self.point.setObjectName("point")
        self.point.line_edit().setPlaceholderText(self.tr("Gõ tên điểm chi trả, không cần dấu"))
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
        self.reopen_box = QWidget(self)
        self.reopen_box.setObjectName("reopenBox")
        reopen = QVBoxLayout(self.reopen_box)
        reopen.setContentsMargins(0, 0, 0, 0)
        self.closed_note = QLabel("", self.reopen_box)
        self.closed_note.setObjectName("closedNote")
        self.closed_note.setWordWrap(True)
        self.closed_note.setStyleSheet("color:#8a4b00;font-weight:bold;")
        reopen.addWidget(self.closed_note)
        reason_form = QFormLayout()
        self.reopen_reason = QLineEdit(self.reopen_box)
        self.reopen_reason.setObjectName("reopenReason")
        self.reopen_reason.setMaxLength(200)
        self.reopen_reason.setPlaceholderText(self.tr("Ví dụ: người hưởng đến muộn sau khi đã chốt"))
        reason_form.addRow(self.tr("Lý do mở lại"), self.reopen_reason)
        reopen.addLayout(reason_form)
        self.supervisor = SupervisorBox(staff or Staff("", "", Role.TELLER), self.reopen_box)
        reopen.addWidget(self.supervisor)
        self.reopen_box.hide()
        layout.addWidget(self.reopen_box)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setStyleSheet("color:#b71c1c;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        # what the message shown is about: advance, point, reopen, supervisor (a refused sign-in), store (refused)
        self.said = FormMessage(self.message, self._problem, retyped=frozenset({"supervisor", "store"}))
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
        self.point.currentIndexChanged.connect(lambda _index: self._point_day_changed())
        self.day.dateChanged.connect(lambda _date: self._point_day_changed())
        self.advance.textEdited.connect(self._show_amount)
        self.advance.textEdited.connect(lambda _text: self.said.recheck("advance"))
        self.reopen_reason.textEdited.connect(lambda _text: self.said.recheck("reopen"))
        self.supervisor.edited.connect(lambda: self.said.recheck("supervisor"))
        self._propose(places)
        self._show_reopen()
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
        """The point's announced days; the day moves to the point's slot today, else its next one — never to a day
        gone by: a point whose days are all past is paid today (late), and the dialog says which it chose."""
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
        chosen = picked_date(self.day)
        if not days or chosen in days:
            return
        upcoming = [day for day in days if day >= self._today]
        if upcoming:
            day = min(upcoming)
            self._set_day(day)
            note = self.tr("Điểm này không có lịch hôm nay: đã chọn ngày có lịch gần nhất, {weekday} {day}.").format(
                weekday=self._weekday(day), day=day.strftime("%d/%m/%Y"))
        else:
            self._set_day(self._today)
            note = self.tr("Lịch của điểm này đã qua: ngày chi trả là hôm nay ({today}).").format(
                today=self._today.strftime("%d/%m/%Y"))
        self.proposal.setText(note)
        self.proposal.setStyleSheet("color:#8a4b00;")

    # --- the advance --------------------------------------------------------------------------------------------

    def _show_amount(self, text: str) -> None:
        try:
            amount = parse_vnd(text) if text.strip() else None
        except ValueError:
            self.advance_words.setText(self.tr("Số tiền không hợp lệ"))
            return
        self.advance_words.setText(format_vnd(amount) if amount is not None else "")

    # --- a closed point-day ---------------------------------------------------------------------------------------

    def _chosen_closed(self) -> list[PayoutSession]:
        point, day = self.point.currentData(), picked_date(self.day)
        return self._closed.get((point, day), [])

    @property
    def reopening(self) -> bool:
        """True when the chosen point and day were closed: a supervisor must approve, with a reason."""
        return self.reopen_box.isVisibleTo(self)

    def _point_day_changed(self) -> None:
        self._show_reopen()
        if self.said.cause in ("point", "store", "reopen", "supervisor"):
            self.said.clear()

    def _show_reopen(self) -> None:
        """Say that the chosen point-day was closed, with what its session(s) counted, and ask for a supervisor."""
        point, day = self.point.currentData(), picked_date(self.day)
        closed = self._chosen_closed()
        named = (point, day) in self._refused_closed
        self.reopen_box.setVisible(bool(closed) or named)
        if not closed and not named:
            return
        parts = [self.tr("Ngày {day} tại điểm này đã kết thúc (đã đóng phiên, kiểm đếm).").format(
            day=day.strftime("%d/%m/%Y"))]
        for session in closed:
            counted = format_vnd(session.counted.total) if session.counted else "—"
            parts.append(self.tr("Phiên đã đóng: tạm ứng {advance}, đã chi {paid}, kiểm đếm {counted}.").format(
                advance=format_vnd(session.cash_advance), paid=format_vnd(session.paid_total), counted=counted))
        parts.append(self.tr("Mở lại cần giám sát viên duyệt và ghi lý do; cả hai phiên sẽ có trong biên bản."))
        self.closed_note.setText(" ".join(parts))

    # --- checking and opening -----------------------------------------------------------------------------------

    def _advance(self) -> int | None:
        try:
            amount = parse_vnd(self.advance.text())
        except ValueError:
            return None
        return amount if amount >= 0 else None

    def _problem(self) -> tuple[str, str] | None:
        """The first thing the form lacks, and which input fixes it."""
        if self._advance() is None:
            return self.tr("Nhập số tiền tạm ứng, ví dụ 50.000.000"), "advance"
        if self.point.currentData() is None:
            return self.tr("Chọn điểm chi trả và nhập số tiền tạm ứng"), "point"
        if self.reopening and not self.reopen_reason.text().strip():
            return self.tr("Phải ghi lý do mở lại ngày đã kết thúc"), "reopen"
        if self.reopening and self.supervisor.missing():
            return self.supervisor.missing(), "supervisor"
        return None

    def _check(self) -> None:
        if self._writing:
            return
        problem = self._problem()
        if problem is not None:
            self.said.say(*problem)
            return
        amount = self._advance()
        assert amount is not None
        self.advance.setText(format_number(amount))
        commune, point, day, _amount = self.values()
        self._writing = True
        self.open_button.setEnabled(False)
        self.said.say(self.tr("Đang mở phiên…"), "", "")
        self.openRequested.emit(SessionRequest(commune, point, day, amount,
                                               self.reopen_reason.text().strip() if self.reopening else ""))

    def opened(self) -> None:
        """The window opened the session: close."""
        self._writing = False
        self.accept()

    def refused(self, error: BaseException, lang: str) -> None:
        """The store (or the supervisor's sign-in) refused: say why and stay, with everything typed kept."""
        self._writing = False
        self.open_button.setEnabled(True)
        if isinstance(error, PayoutError) and error.code == "session_day_closed":
            self._refused_closed.add((self.point.currentData(), picked_date(self.day)))
            self._show_reopen()
            self.said.say(error_text(error, lang), "store")
            self.reopen_reason.setFocus()
            return
        code = error.code if isinstance(error, PayoutError) else ""
        if isinstance(error, NotSupervisorError) or code in SIGN_IN_REFUSALS or code == "reopen_needs_supervisor":
            self.said.say(self.supervisor.refused_text(error, lang), "supervisor")
            return
        self.said.say(error_text(error, lang), "store")

    def values(self) -> tuple[str, str, dt.date, int]:
        return (
            self.commune.currentData(),
            self.point.currentData(),
            picked_date(self.day),
            parse_vnd(self.advance.text()),
        )
