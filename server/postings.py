"""Whether each commune's public notice was posted in time for its payout day (issue 13, the pilot's failure 3).

A device journals a ``public_posting`` entry when the teller records that the notice went up (``app.domain.posting``);
the ingest keeps it in ``public_postings``. For a month, each commune with a list (or a posting) is judged: its payout
day is the earliest day the commune's schedule gives for the month (the list's "lịch chi trả"), else the first day a
device opened a payout session there; the notice counts as posted in time when its earliest posting is at least
``days`` days before that day (a server setting, default 3).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from app.domain.model import EntryKind
from app.domain.posting import days_before, posted_in_time
from app.domain.text import place_key
from server import schema

IN_TIME = "in_time"
LATE = "late"
MISSING = "missing"
NOT_JUDGED = "not_judged"
"""Posted, but the commune has no payout day yet this month (nothing to compare with)."""
FROM_SCHEDULE = "schedule"
FROM_SESSION = "session"


@dataclass(frozen=True, slots=True)
class PostingOnFile:
    entry_id: str
    point_id: str
    posted_on: dt.date
    place: str
    officer_name: str
    recorded_by: str
    recorded_at: str
    has_photo: bool


@dataclass(frozen=True, slots=True)
class CommunePosting:
    """A commune's month: its payout day (and where it comes from), its postings, and the verdict."""

    commune_code: str
    commune_name: str
    payout_day: dt.date | None
    day_source: str | None
    postings: tuple[PostingOnFile, ...]
    status: str

    @property
    def first(self) -> PostingOnFile | None:
        return self.postings[0] if self.postings else None

    @property
    def days_before(self) -> int | None:
        first = self.first
        return days_before(first.posted_on, self.payout_day) if first and self.payout_day else None

    @property
    def missing(self) -> bool:
        return self.status in (MISSING, LATE)


def month_postings(conn: Connection, period: str, scope: list[str] | None, days: int) -> list[CommunePosting]:
    """Every commune of ``scope`` (None: all) with a list or a posting for ``period``, in Vietnamese order."""
    ll, pp, c = schema.list_lines.c, schema.public_postings.c, schema.communes.c
    listed = set(conn.execute(select(ll.commune_code).distinct().where(ll.list_period == period)).scalars())
    postings: dict[str, list[PostingOnFile]] = {}
    query = select(pp.entry_id, pp.commune_code, pp.point_id, pp.posted_on, pp.place, pp.officer_name,
                   pp.recorded_by, pp.recorded_at, pp.photo.is_not(None)).where(pp.period == period)
    for row in conn.execute(query):
        postings.setdefault(row[1], []).append(PostingOnFile(row[0], row[2], dt.date.fromisoformat(row[3]), row[4],
                                                             row[5], row[6], row[7], bool(row[8])))
    codes = {code for code in listed | set(postings) if scope is None or code in scope}
    places = {code: (name, places) for code, name, places in
              conn.execute(select(c.code, c.name, c.places).where(c.code.in_(codes)))}
    sessions = first_sessions(conn, period, codes)
    result = []
    for code in codes:
        name, raw_places = places.get(code, (code, None))
        scheduled = scheduled_day(raw_places, period)
        payout_day = scheduled or sessions.get(code)
        source = None if payout_day is None else (FROM_SCHEDULE if scheduled else FROM_SESSION)
        mine = tuple(sorted(postings.get(code, []), key=lambda p: (p.posted_on, p.recorded_at)))
        result.append(CommunePosting(code, name, payout_day, source, mine, verdict(mine, payout_day, days)))
    result.sort(key=lambda row: place_key(row.commune_name))
    return result


def verdict(postings: tuple[PostingOnFile, ...], payout_day: dt.date | None, days: int) -> str:
    if not postings:
        return MISSING
    if payout_day is None:
        return NOT_JUDGED
    return IN_TIME if posted_in_time(postings[0].posted_on, payout_day, days) else LATE


def scheduled_day(raw_places: str | None, period: str) -> dt.date | None:
    """The commune's earliest scheduled payout day in ``period`` (its list's schedule), if any."""
    try:
        schedule: list[dict[str, Any]] = json.loads(raw_places or "{}").get("schedule") or []
        days = [dt.date.fromisoformat(str(slot["day"])) for slot in schedule if str(slot.get("day", ""))[:7] == period]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return min(days, default=None)


def first_sessions(conn: Connection, period: str, codes: set[str]) -> dict[str, dt.date]:
    """The first day a payout session of ``period`` was opened in each commune (from the devices' journals)."""
    e = schema.entries.c
    found: dict[str, dt.date] = {}
    rows = conn.execute(select(e.commune_code, e.payload).where(
        e.kind == EntryKind.SESSION_OPENED.value, e.payout_period == period, e.commune_code.in_(codes)))
    for code, payload in rows:
        try:
            day = dt.date.fromisoformat(json.loads(bytes(payload))["body"]["day"])
        except (ValueError, TypeError, KeyError):
            continue
        if code not in found or day < found[code]:
            found[code] = day
    return found


def photo(conn: Connection, entry_id: str) -> tuple[str, bytes, str] | None:
    """(commune, photo bytes, content type) of a posting's photo, or None."""
    pp = schema.public_postings.c
    row = conn.execute(select(pp.commune_code, pp.photo, pp.photo_type).where(pp.entry_id == entry_id)).first()
    if row is None or row[1] is None:
        return None
    return row[0], bytes(row[1]), row[2] or "image/jpeg"
