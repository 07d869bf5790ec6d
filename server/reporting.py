"""The month being reported: which month an officer is reporting now, and the audited "chốt báo cáo tháng".

By TT 44/2022 month M's report is due by the 20th of M, while month M+1's list arrives by the 25th of M. So for a few
days an officer works on a month that is no longer the newest: the console must open on the month being reported,
not on the newest list. That month is the earliest month with a list whose settlement an officer has not yet marked
final for the agency in view. Carried-over lines do not keep a month open: they belong to the next month's figures.

Marking final (and reopening, with a reason) are append-only facts in ``month_closings``; the latest about a
(month, agency) stands. A closing for agency ``""`` covers every agency of that month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from app.domain.journal import format_timestamp, parse_timestamp
from server import schema

FINAL = "final"
REOPEN = "reopen"
ACTIONS = (FINAL, REOPEN)
EVERY_AGENCY = ""
MAX_REASON = 500


class ReportingError(ValueError):
    """An action on a month's report that cannot be done: ``code`` names it for the console's words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Closing:
    """The standing decision about one (month, agency): marked final (or reopened) by whom, when, and why."""

    period: str
    agency: str
    action: str
    by_user: str
    at: dt.datetime
    reason: str

    @property
    def final(self) -> bool:
        return self.action == FINAL


def standing(conn: Connection) -> dict[tuple[str, str], Closing]:
    """The latest decision about each (month, agency) that has one."""
    c = schema.month_closings.c
    found: dict[tuple[str, str], Closing] = {}
    for row in conn.execute(select(schema.month_closings).order_by(c.closing_id)).mappings():
        found[(row["period"], row["agency"])] = Closing(
            row["period"], row["agency"], row["action"], row["by_user"], parse_timestamp(row["at"]), row["reason"])
    return found


def closing_of(conn: Connection, period: str, agency: str | None) -> Closing | None:
    """The standing final closing covering ``period`` for ``agency`` (None: every agency), or None while open.

    A closing for every agency covers each agency; an agency's own closing covers that agency only."""
    decisions = standing(conn)
    for key in ((period, EVERY_AGENCY), (period, agency or EVERY_AGENCY)):
        closing = decisions.get(key)
        if closing is not None and closing.final:
            return closing
    return None


def final_at(conn: Connection, period: str, agency: str | None) -> dt.datetime | None:
    """When the month's report was marked final for ``agency`` (None while it is not): the deadline check's date."""
    closing = closing_of(conn, period, agency)
    return closing.at if closing else None


def listed_months(conn: Connection, agency: str | None = None) -> list[str]:
    """The months any list covers (of ``agency`` when given), oldest first."""
    ll = schema.list_lines.c
    query = select(ll.list_period).distinct().order_by(ll.list_period)
    if agency:
        query = query.where(ll.agency == agency)
    return list(conn.execute(query).scalars())


def _agencies_of(conn: Connection, period: str) -> set[str]:
    ll = schema.list_lines.c
    return set(conn.execute(select(ll.agency).distinct().where(ll.list_period == period)).scalars())


def reported_month(conn: Connection, agency: str | None = None) -> str | None:
    """The month being reported: the earliest listed month not marked final for ``agency`` (None: for every agency
    its lists have); the newest listed month once every month is final; None before the first list."""
    months = listed_months(conn, agency)
    decisions = standing(conn)

    def is_final(period: str, code: str) -> bool:
        return any(decisions.get(key) is not None and decisions[key].final
                   for key in ((period, EVERY_AGENCY), (period, code)))

    for period in months:
        wanted: Iterable[str] = [agency] if agency else _agencies_of(conn, period)
        if not all(is_final(period, code) for code in wanted):
            return period
    return months[-1] if months else None


def record(conn: Connection, period: str, agency: str | None, action: str, by_user: str, reason: str,
           now: dt.datetime) -> Closing:
    """Mark ``period`` final (or reopen it) for ``agency`` (None: every agency). Reopening needs a reason; a month
    without a list cannot be marked; marking a month already final (or reopening an open one) is refused."""
    if action not in ACTIONS:
        raise ReportingError("bad_action", f"unknown action {action!r}")
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise ReportingError("reason_too_long", f"the reason is longer than {MAX_REASON} characters")
    if action == REOPEN and not reason:
        raise ReportingError("reason_required", "reopening a month's report needs a reason")
    if period not in listed_months(conn, agency):
        raise ReportingError("no_list", f"no list covers {period}")
    code = agency or EVERY_AGENCY
    current = standing(conn).get((period, code))
    is_final = current is not None and current.final
    if action == FINAL and is_final:
        raise ReportingError("already_final", f"{period} is already final")
    if action == REOPEN and not is_final:
        raise ReportingError("not_final", f"{period} is not final")
    conn.execute(schema.month_closings.insert().values(
        period=period, agency=code, action=action, by_user=by_user, at=format_timestamp(now), reason=reason))
    return Closing(period, code, action, by_user, now, reason)
