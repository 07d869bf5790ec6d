"""The month's deadlines per agency, from the agency's calendar in data, and who is late.

The agency's calendar (``PolicyReference.agency(code).calendar``; for the người có công money TT 44/2022: month M's
list and money by the 25th of M−1, month M's report by the 20th of M) says when things are due; the facts say what
happened. Per commune of the month's list:

- **the list reached its devices in time**: each active device of the commune was *sent* the page of the change feed
  that holds the commune's list (``feed_deliveries``, written when the server answers a feed request) before the
  commune's first payout day of the month (its first scheduled slot; without a schedule, the first day of M). A
  device applies a page in one transaction with its cursor, and asks for the same page again when that failed, so the
  page sent is the nearest honest measure the server has of the list being on the laptop (the server cannot see the
  device's disk; the device's next request proves it, but may come days later);
- **payout days held**: the scheduled (point, day) slots of the month that have passed, and those with a session
  opened at that point on that day;
- **sessions closed**: sessions of the month opened and closed (a session still open after its day is late);
- **devices synced**: each active device said at its last contact that it had nothing left to send;
- **the report ready by its date**: ``server.reporting.final_at`` (the month marked final) by the report deadline.

A late commune is listed with its devices (label), the teller who last worked on each (full name) and the last sync,
on the province's clock, so the officer knows whom to call. Everything is computed from the stored facts on request:
nothing here is stored.
"""

from __future__ import annotations

import calendar as month_days
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select

from app.domain.clock import ProvinceTime
from app.domain.journal import format_timestamp, parse_timestamp
from app.domain.period import add_months
from app.domain.policy import Deadline, PolicyReference
from app.domain.text import place_key
from app.wire import constants
from server import reporting, schema

LIST_LATE = "list_late"
DAY_MISSED = "day_missed"
SESSION_OPEN = "session_open"
NOT_SYNCED = "not_synced"
PROBLEMS = (LIST_LATE, DAY_MISSED, SESSION_OPEN, NOT_SYNCED)
"""What can make a commune late, in the order the page lists them."""
PROBLEM_WORDS = {
    LIST_LATE: ("danh sách chưa đến thiết bị trước ngày chi đầu tiên", "the list had not reached a device by the first "
                "payout day"),
    DAY_MISSED: ("có ngày chi theo lịch không mở phiên", "a scheduled payout day without a session"),
    SESSION_OPEN: ("có phiên chưa đóng sau ngày chi", "a session still open after its day"),
    NOT_SYNCED: ("thiết bị còn bút toán chưa gửi", "a device still has entries to send"),
}
"""The problems in words (Vietnamese, English), for the command line; the console has them in ``i18n.T``."""


# --- recording what the feed sent ----------------------------------------------------------------------------------


def record_delivery(conn: Connection, device_id: str, position: int, now: dt.datetime) -> None:
    """Remember that ``device_id`` was sent the feed up to ``position`` at ``now`` (only when it moves forward: a
    device that syncs every hour with nothing new adds no row)."""
    d = schema.feed_deliveries.c
    known = conn.execute(select(func.max(d.position)).where(d.device_id == device_id)).scalar()
    if known is None or position > int(known):
        conn.execute(insert(schema.feed_deliveries).values(device_id=device_id, position=position,
                                                           delivered_at=format_timestamp(now)))


# --- due dates -------------------------------------------------------------------------------------------------------


def due_day(deadline: Deadline | None, period: str) -> dt.date | None:
    """The calendar day a deadline falls on for payout month ``period`` (its day capped at the month's last day)."""
    if deadline is None:
        return None
    year, month = (int(part) for part in add_months(period, deadline.month_offset).split("-"))
    return dt.date(year, month, min(deadline.day, month_days.monthrange(year, month)[1]))


def end_of_day(day: dt.date, clock: ProvinceTime) -> dt.datetime:
    """The last instant of ``day`` on the province's clock, in UTC: a deadline "by the 20th" holds all the 20th."""
    return start_of_day(day + dt.timedelta(days=1), clock) - dt.timedelta(microseconds=1)


def start_of_day(day: dt.date, clock: ProvinceTime) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.tzinfo).astimezone(dt.UTC)


# --- the month's check -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceCheck:
    device_id: str
    label: str
    teller: str
    """The full name of the staff member who last worked on the device ("" when it has recorded nothing)."""
    last_sync: dt.datetime | None
    received_at: dt.datetime | None
    """When the device was sent the commune's list (None: not yet, or before the server kept this)."""
    list_in_time: bool
    synced: bool


@dataclass(frozen=True)
class CommuneCheck:
    code: str
    name: str
    list_sent_at: dt.datetime | None
    """When the commune's list of the month went into the change feed."""
    list_due: dt.datetime
    """By when the devices should have had it: the start of the first payout day (UTC)."""
    days_planned: int
    days_due: int
    days_held: int
    sessions_opened: int
    sessions_closed: int
    devices: tuple[DeviceCheck, ...]
    problems: tuple[str, ...]

    @property
    def list_in_time(self) -> bool:
        return bool(self.devices) and all(device.list_in_time for device in self.devices)

    @property
    def late(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class MonthDeadlines:
    period: str
    agency: str
    list_by: dt.date | None
    report_by: dt.date | None
    to_confirm: bool
    source: str
    report_final_at: dt.datetime | None
    report_state: str
    """``ready`` (marked final by its date), ``ready_late`` (after it), ``overdue`` (not final, date passed),
    ``pending`` (not final, date still ahead), ``no_date`` (the agency's calendar has none)."""
    communes: tuple[CommuneCheck, ...] = field(default_factory=tuple)

    @property
    def late(self) -> list[CommuneCheck]:
        return [commune for commune in self.communes if commune.late]

    def count(self, what: str) -> tuple[int, int]:
        """(done, of) for the summary card: ``list`` communes in time, ``days`` payout days held of those due,
        ``sessions`` closed of opened, ``devices`` synced of active devices."""
        if what == "list":
            return sum(c.list_in_time for c in self.communes), len(self.communes)
        if what == "days":
            return sum(c.days_held for c in self.communes), sum(c.days_due for c in self.communes)
        if what == "sessions":
            return sum(c.sessions_closed for c in self.communes), sum(c.sessions_opened for c in self.communes)
        devices = {d.device_id: d.synced for c in self.communes for d in c.devices}
        return sum(devices.values()), len(devices)


def agencies_of_month(conn: Connection, period: str, policy: PolicyReference) -> list[str]:
    """The agencies whose lists cover ``period``, in the catalogue's order (others after, by code)."""
    ll = schema.list_lines.c
    found = set(conn.execute(select(ll.agency).distinct().where(ll.list_period == period)).scalars())
    return [code for code in policy.agencies if code in found] + sorted(found - set(policy.agencies))


def check(conn: Connection, period: str, agency: str, *, policy: PolicyReference, clock: ProvinceTime,
          now: dt.datetime, scope: Iterable[str] | None = None) -> MonthDeadlines:
    """The deadlines of ``agency``'s month ``period`` for the communes in ``scope`` (None: every commune).

    A fixed number of queries whatever the number of communes (the progress page shows the card on every visit)."""
    info = policy.agency(agency)
    cal = info.calendar if info is not None else None
    list_by = due_day(cal.list_and_money if cal else None, period)
    report_by = due_day(cal.report if cal else None, period)
    to_confirm = bool(cal and any(d is not None and d.to_confirm for d in (cal.list_and_money, cal.report)))
    final_at = reporting.final_at(conn, period, agency)
    if report_by is None:
        state = "no_date" if final_at is None else "ready"
    elif final_at is not None:
        state = "ready" if final_at <= end_of_day(report_by, clock) else "ready_late"
    else:
        state = "overdue" if now > end_of_day(report_by, clock) else "pending"
    communes = _communes(conn, period, agency, scope)
    codes = [code for code, _ in communes]
    facts = _Facts(conn, period, agency, codes)
    checks = tuple(_commune_check(facts, code, name, period, clock, now) for code, name in communes)
    return MonthDeadlines(period, agency, list_by, report_by, to_confirm, cal.source if cal else "", final_at, state,
                          checks)


def _communes(conn: Connection, period: str, agency: str, scope: Iterable[str] | None) -> list[tuple[str, str]]:
    ll, c = schema.list_lines.c, schema.communes.c
    query = select(c.code, c.name).where(c.code.in_(
        select(ll.commune_code).distinct().where(and_(ll.list_period == period, ll.agency == agency))))
    if scope is not None:
        query = query.where(c.code.in_(sorted(scope) or ["-"]))
    return sorted(((row[0], row[1]) for row in conn.execute(query)), key=lambda item: place_key(item[1]))


class _Facts:
    """What the month's check reads, for all its communes at once."""

    def __init__(self, conn: Connection, period: str, agency: str, communes: list[str]) -> None:
        wanted = communes or ["-"]
        ch, li = schema.changes.c, schema.list_imports.c
        # The first change of the feed that carried each commune's list of the month: the whole-commune fragments an
        # import wrote at its own instant (``province.import_list`` stamps both alike), of a list of this agency or
        # of several agencies (``list_imports.agency`` "").
        imports = select(li.imported_at).where(and_(li.payout_period == period, li.agency.in_((agency, ""))))
        self.list_change: dict[str, tuple[int, dt.datetime]] = {}
        for commune, change_id, created in conn.execute(
                select(ch.commune_code, ch.change_id, ch.created_at)
                .where(and_(ch.kind == constants.CHANGE_LIST, ch.commune_code.in_(wanted), ch.created_at.in_(imports)))
                .order_by(ch.change_id)):
            self.list_change.setdefault(commune, (int(change_id), parse_timestamp(created)))
        c = schema.communes.c
        self.places = {code: json.loads(places or "{}") for code, places in conn.execute(
            select(c.code, c.places).where(c.code.in_(wanted)))}
        e = schema.entries.c
        self.opened: dict[str, dict[str, tuple[str, str]]] = {}
        for session_id, commune, payload in conn.execute(select(e.session_id, e.commune_code, e.payload).where(and_(
                e.kind == "session_opened", e.payout_period == period, e.commune_code.in_(wanted)))):
            try:
                body = json.loads(bytes(payload))["body"]
            except (ValueError, KeyError, TypeError):
                continue
            if session_id:
                self.opened.setdefault(commune, {})[session_id] = (str(body.get("point_id", "")),
                                                                   str(body.get("day", "")))
        self.closed = set(conn.execute(select(e.session_id).where(and_(
            e.kind == "session_closed", e.payout_period == period, e.commune_code.in_(wanted)))).scalars())
        d = schema.devices.c
        self.devices: dict[str, list[dict[str, Any]]] = {}
        for row in conn.execute(select(d.device_id, d.label, d.communes, d.last_seen_at, d.pending_reported)
                                .where(d.status == "active").order_by(d.label, d.device_id)).mappings():
            for commune in set(json.loads(row["communes"] or "[]")) & set(communes):
                self.devices.setdefault(commune, []).append(dict(row))
        device_ids = sorted({row["device_id"] for rows in self.devices.values() for row in rows}) or ["-"]
        s = schema.staff.c
        last_entry = select(func.max(e.id)).where(e.device_id.in_(device_ids)).group_by(e.device_id)
        self.teller = {device: str(name or username) for device, username, name in conn.execute(
            select(e.device_id, e.staff, s.full_name).select_from(
                schema.entries.outerjoin(schema.staff, s.username == e.staff)).where(e.id.in_(last_entry)))}
        f = schema.feed_deliveries.c
        self.deliveries: dict[str, list[tuple[int, dt.datetime]]] = {}
        for device, position, delivered in conn.execute(
                select(f.device_id, f.position, f.delivered_at).where(f.device_id.in_(device_ids))
                .order_by(f.device_id, f.position)):
            self.deliveries.setdefault(device, []).append((int(position), parse_timestamp(delivered)))

    def schedule(self, commune: str, period: str) -> list[tuple[str, dt.date, dt.time]]:
        slots = []
        for slot in self.places.get(commune, {}).get("schedule", []):
            try:
                day = dt.date.fromisoformat(slot["day"])
                start = dt.time.fromisoformat(slot.get("start") or "00:00")
            except (KeyError, TypeError, ValueError):
                continue
            if day.strftime("%Y-%m") == period:
                slots.append((str(slot.get("point_id", "")), day, start))
        return sorted(set(slots), key=lambda item: (item[1], item[2], item[0]))

    def received(self, device: str, change_id: int) -> dt.datetime | None:
        """When the device was first sent the feed up to ``change_id`` or beyond (positions only grow, in order)."""
        return next((at for position, at in self.deliveries.get(device, []) if position >= change_id), None)


def _commune_check(facts: _Facts, code: str, name: str, period: str, clock: ProvinceTime,
                   now: dt.datetime) -> CommuneCheck:
    change = facts.list_change.get(code)
    slots = facts.schedule(code, period)
    year, month = (int(part) for part in period.split("-"))
    if slots:
        list_due = dt.datetime.combine(slots[0][1], slots[0][2], tzinfo=clock.tzinfo).astimezone(dt.UTC)
    else:
        list_due = start_of_day(dt.date(year, month, 1), clock)
    opened = facts.opened.get(code, {})
    held_slots = set(opened.values())
    today = clock.day_of(now)
    due_slots = [(point, day) for point, day, _ in slots if day < today]
    days_held = sum((point, day.isoformat()) in held_slots for point, day in due_slots)
    devices = []
    for row in facts.devices.get(code, []):
        received = facts.received(row["device_id"], change[0]) if change else None
        last_sync = parse_timestamp(row["last_seen_at"]) if row["last_seen_at"] else None
        devices.append(DeviceCheck(
            row["device_id"], row["label"] or row["device_id"], facts.teller.get(row["device_id"], ""), last_sync,
            received, received is not None and received <= list_due,
            last_sync is not None and (row["pending_reported"] or 0) == 0))
    open_after_day = [sid for sid, (_, day) in opened.items() if sid not in facts.closed and day < today.isoformat()]
    problems = []
    if now >= list_due and not (devices and all(d.list_in_time for d in devices)):
        problems.append(LIST_LATE)  # no device serves the commune, or one had no list by the first payout day
    if days_held < len(due_slots):
        problems.append(DAY_MISSED)
    if open_after_day:
        problems.append(SESSION_OPEN)
    if opened and not all(d.synced for d in devices):
        problems.append(NOT_SYNCED)
    return CommuneCheck(code, name, change[1] if change else None, list_due, len(slots), len(due_slots), days_held,
                        len(opened), len(facts.closed & set(opened)), tuple(devices), tuple(problems))


def report_lines(month: MonthDeadlines, clock: ProvinceTime, agency_name: str) -> list[str]:
    """The check as the command line prints it (``payout-server report``): Vietnamese first, English second."""
    when = clock.format_datetime
    lines = [f"Hạn chót / deadlines — {agency_name}, kỳ {month.period[5:]}/{month.period[:4]} "
             f"(giờ {'Việt Nam' if clock.zone == 'Asia/Ho_Chi_Minh' else clock.zone})"]
    if month.list_by:
        lines.append(f"  Danh sách và kinh phí trước / list and money by: {month.list_by:%d/%m/%Y}")
    if month.report_by:
        final = f"đã chốt / marked final {when(month.report_final_at)}" if month.report_final_at else \
            "chưa chốt / not marked final"
        lines.append(f"  Báo cáo trước / report by: {month.report_by:%d/%m/%Y} — {final} [{month.report_state}]")
    for label, what in (("Xã nhận danh sách kịp / communes with the list in time", "list"),
                        ("Ngày chi đã tổ chức / payout days held", "days"),
                        ("Phiên đã đóng / sessions closed", "sessions"),
                        ("Thiết bị đã đồng bộ / devices synced", "devices")):
        done, of = month.count(what)
        lines.append(f"  {label}: {done}/{of}")
    late = month.late
    lines.append(f"  Xã chậm / late communes: {len(late)}")
    for commune in late:
        words = "; ".join(" / ".join(PROBLEM_WORDS[problem]) for problem in commune.problems)
        lines.append(f"  - {commune.name}: {words}")
        for device in commune.devices:
            sync = when(device.last_sync) if device.last_sync else "chưa / never"
            lines.append(f"      {device.label} — {device.teller or '—'} — đồng bộ lần cuối / last sync: {sync}")
    return lines


__all__ = ["PROBLEMS", "CommuneCheck", "DeviceCheck", "MonthDeadlines", "agencies_of_month", "check", "due_day",
           "record_delivery", "report_lines"]
