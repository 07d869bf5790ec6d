"""What the payout desk shows around the person being paid: places and schedules to open a session, the session's
progress, and the list of people with whether each is unpaid, paid or blocked.

Statuses are decided by the same rules as payment (``app.domain.rules``), applied to the people on screen only, so a
keystroke never assesses a whole province.

Lists a person reads are in Vietnamese order (``app.domain.text``): places by name, people by given name, then family
name. SQLite sorts by code point (Đ after Y), so these lists are read whole — they are bounded: a device's communes
and points, one point's people — and sorted in Python; search results keep their relevance order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Iterable

from sqlalchemy import Connection, text

from app.domain.model import Commune, PayoutPoint, PayoutSession, ScheduleSlot
from app.domain.rules import assess_lines
from app.domain.text import person_name_key, place_key
from app.store import database
from app.store.payouts import load_beneficiaries, load_lines_of, load_session, load_settlements
from app.store.search import CANDIDATES, load_hits, rank_candidates

if TYPE_CHECKING:
    from app.store.store import Store


_PROGRESS_CHUNK = 2_000
MAX_POINT_PEOPLE = 20_000
"""At most this many people of one point are read to be sorted for the list (a point has tens to hundreds)."""


class PersonState(StrEnum):
    UNPAID = "unpaid"  # something payable now
    PAID = "paid"  # everything payable was paid
    BLOCKED = "blocked"  # nothing payable (suspended, deceased without representative, account only...)


@dataclass(frozen=True, slots=True)
class Place:
    commune: Commune
    points: tuple[PayoutPoint, ...]
    schedule: tuple[ScheduleSlot, ...]


@dataclass(frozen=True, slots=True)
class SessionDefault:
    """What the session dialog proposes: the point scheduled today (the earliest slot when several are), else the
    next scheduled day; ``slot`` is None when the lists announce nothing from today on."""

    commune_code: str | None
    point_id: str | None
    day: dt.date
    slot: ScheduleSlot | None

    def is_today(self, today: dt.date) -> bool:
        return self.slot is not None and self.slot.day == today


def session_default(places: tuple[Place, ...], today: dt.date) -> SessionDefault:
    """The scheduled point of ``today`` (the province's day) among this device's places, else the next one."""
    upcoming = [(slot, place) for place in places for slot in place.schedule if slot.day >= today]
    if upcoming:
        names = {point.point_id: point.name for place in places for point in place.points}
        slot, place = min(upcoming, key=lambda item: (item[0].day, item[0].start,
                                                      place_key(names.get(item[0].point_id, ""))))
        return SessionDefault(place.commune.code, slot.point_id, slot.day, slot)
    for place in places:
        if place.points:
            return SessionDefault(place.commune.code, place.points[0].point_id, today, None)
    return SessionDefault(places[0].commune.code if places else None, None, today, None)


@dataclass(frozen=True, slots=True)
class PersonRow:
    record_code: str
    full_name: str
    birth_year: int | None
    id_number: str | None
    village: str | None
    category: str
    state: PersonState
    due: int
    paid: int


@dataclass(frozen=True, slots=True)
class SessionProgress:
    session: PayoutSession
    people_total: int
    people_paid: int
    people_remaining: int
    payments: int
    pending_sync: int

    @property
    def cash_on_hand(self) -> int:
        return self.session.cash_expected


class DeskService:
    def __init__(self, store: "Store") -> None:
        self.store = store

    def places(self) -> tuple[Place, ...]:
        """Communes on this device with their payout points (each by name, in Vietnamese order) and announced days
        (in time order)."""
        with database.read(self.store.engine) as conn:
            communes = sorted(
                (Commune(code, name, province, district)
                 for code, name, province, district in conn.execute(
                     text("SELECT code, name, province_code, district FROM communes"))),
                key=lambda commune: (place_key(commune.name), commune.code),
            )
            points: dict[str, list[PayoutPoint]] = {}
            for point_id, commune, name, address in sorted(
                conn.execute(text("SELECT point_id, commune_code, name, address FROM payout_points")),
                key=lambda row: (place_key(row[2]), row[0]),
            ):
                points.setdefault(commune, []).append(PayoutPoint(point_id, commune, name, address))
            slots: dict[str, list[ScheduleSlot]] = {}
            for point_id, commune, day, start, end in conn.execute(
                text(
                    'SELECT s.point_id, p.commune_code, s.day, s.start, s."end" FROM schedule s '
                    "JOIN payout_points p ON p.point_id = s.point_id ORDER BY s.day, s.start"
                )
            ):
                slots.setdefault(commune, []).append(
                    ScheduleSlot(point_id, dt.date.fromisoformat(day), dt.time.fromisoformat(start),
                                 dt.time.fromisoformat(end))
                )
        return tuple(
            Place(commune, tuple(points.get(commune.code, ())), tuple(slots.get(commune.code, ())))
            for commune in communes
        )

    def open_sessions(self) -> tuple[PayoutSession, ...]:
        with database.read(self.store.engine) as conn:
            ids = [row[0] for row in conn.execute(
                text("SELECT session_id FROM payout_sessions WHERE status = 'open' ORDER BY day DESC")
            )]
            return tuple(session for session in (load_session(conn, i) for i in ids) if session is not None)

    def progress(self, session_id: str) -> SessionProgress:
        """People paid and remaining at the session's point, cash on hand, entries waiting to sync."""
        with database.read(self.store.engine) as conn:
            session = load_session(conn, session_id)
            if session is None:
                from app.domain.errors import BadInputError

                raise BadInputError("session_not_found", session=session_id)
            codes = [row[0] for row in conn.execute(
                text("SELECT record_code FROM beneficiaries WHERE point_id = :p"), {"p": session.point_id}
            )]
            paid = remaining = 0
            for start in range(0, len(codes), _PROGRESS_CHUNK):  # bounded memory for a very large point
                for state, _due, _paid in _states(conn, codes[start:start + _PROGRESS_CHUNK], session.period).values():
                    paid += state is PersonState.PAID
                    remaining += state is PersonState.UNPAID
            payments = conn.execute(
                text("SELECT count(*) FROM payments WHERE session_id = :s AND reversed_by IS NULL"), {"s": session_id}
            ).scalar_one()
            pending = conn.execute(text("SELECT count(*) FROM outbox WHERE state != 'accepted'")).scalar_one()
        return SessionProgress(session, len(codes), paid, remaining, payments, pending)

    def people(
        self,
        session_id: str,
        query: str = "",
        *,
        state: PersonState | None = None,
        village: str | None = None,
        limit: int = 200,
    ) -> tuple[PersonRow, ...]:
        """People of the session's commune matching ``query``, best match first; with no query, the point's people
        in Vietnamese order (given name, family name, middle names)."""
        with database.read(self.store.engine) as conn:
            session = load_session(conn, session_id)
            if session is None:
                return ()
            params: dict[str, object] = {"commune": session.commune_code, "limit": limit * 4 if state else limit}
            filters = "b.commune_code = :commune"
            if village:
                filters += " AND b.village = :village"
                params["village"] = village
            if query.strip():
                ids, _truncated = rank_candidates(conn, query, CANDIDATES)
                where = "AND b.commune_code = :commune" + (" AND b.village = :village" if village else "")
                hits = load_hits(conn, ids, where, params)
                rows = [(h.record_code, h.full_name, h.birth_year, h.id_number, h.village, h.category) for h in hits]
            else:
                params["point"] = session.point_id
                params["bound"] = MAX_POINT_PEOPLE
                sql = (
                    "SELECT b.record_code, b.full_name, b.birth_year, b.id_number, b.village, b.category "
                    f"FROM beneficiaries b WHERE {filters} AND b.point_id = :point LIMIT :bound"
                )
                rows = sorted(conn.execute(text(sql), params).all(),
                              key=lambda row: (person_name_key(row[1]), row[0]))
            rows = rows[: params["limit"]]  # type: ignore[misc]
            states = _states(conn, [row[0] for row in rows], session.period)
        people = [
            PersonRow(row[0], row[1], row[2], row[3], row[4], row[5], *states[row[0]])
            for row in rows
            if state is None or states[row[0]][0] is state
        ]
        return tuple(people[:limit])

    def rows_of(self, session_id: str, record_code: str) -> list[PersonRow]:
        """One person's row as the list shows it, after a change to them (empty if unknown or no session)."""
        with database.read(self.store.engine) as conn:
            session = load_session(conn, session_id)
            person = load_beneficiaries(conn, [record_code]).get(record_code)
            if session is None or person is None:
                return []
            state = _states(conn, [record_code], session.period)[record_code]
        return [PersonRow(person.record_code, person.full_name, person.birth_year, person.id_number, person.village,
                          person.category, *state)]

    def villages(self, commune_code: str) -> tuple[str, ...]:
        """The commune's villages by name, in Vietnamese order ("Thôn 2" before "Thôn 10")."""
        with database.read(self.store.engine) as conn:
            return tuple(sorted((row[0] for row in conn.execute(
                text("SELECT name FROM villages WHERE commune_code = :c"), {"c": commune_code}
            )), key=place_key))


def _states(conn: Connection, record_codes: Iterable[str], period: str) -> dict[str, tuple[PersonState, int, int]]:
    """Each person's state, amount due now and amount already paid, by the payment rules (batched queries)."""
    codes = list(dict.fromkeys(record_codes))
    people = load_beneficiaries(conn, codes)
    lines_of = load_lines_of(conn, codes)
    settled = load_settlements(conn, [line.key for lines in lines_of.values() for line in lines])
    out: dict[str, tuple[PersonState, int, int]] = {}
    for code in codes:
        person = people.get(code)
        if person is None:
            continue
        assessed = assess_lines(person, lines_of.get(code, ()), period, settled)
        due = sum(s.line.amount for s in assessed if s.payable)
        paid = sum(s.line.amount for s in assessed if s.line.key in settled and s.line.list_period <= period)
        if due:
            state = PersonState.UNPAID
        elif paid:
            state = PersonState.PAID
        else:
            state = PersonState.BLOCKED
        out[code] = (state, due, paid)
    return out
