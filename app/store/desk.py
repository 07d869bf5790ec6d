"""What the payout desk shows around the person being paid: places and schedules to open a session, the session's
progress, and the list of people with whether each is unpaid, paid or blocked.

Statuses are decided by the same rules as payment (``app.domain.rules``), applied to the people on screen only, so a
keystroke never assesses a whole province.

Lists a person reads are in Vietnamese order (``app.domain.text``): places by name, people by given name, then family
name. SQLite sorts text by code point (Đ after Y), so places — a device's communes and points, a bounded list — are
read whole and sorted in Python; a point's people, which may be thousands, are read in order from the index on
``beneficiaries.name_key`` (``person_name_bytes``: the same order as ``person_name_key``, as bytes SQLite compares),
only as many as are shown; search results keep their relevance order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from app.domain.errors import BadInputError
from app.domain.identity import with_person_death
from app.domain.model import (
    Beneficiary,
    CashCount,
    Commune,
    EntitlementLine,
    Payment,
    PaymentRequest,
    PayoutPoint,
    PayoutSession,
    Reopening,
    Reversal,
    ScheduleSlot,
)
from app.domain.policy import PolicyReference
from app.domain.rules import LineState, assess_lines
from app.domain.text import place_key
from app.store import database, persons
from app.store.changes import ChangeKind, DeskChange, ProgressDelta
from app.store.payouts import (
    PersonView,
    load_beneficiaries,
    load_lines_of,
    load_reopening,
    load_session,
    load_settlements,
)
from app.store.search import CANDIDATES, load_hits, rank_candidates

if TYPE_CHECKING:
    from app.store.store import Store


_PROGRESS_CHUNK = 2_000


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
    records: tuple[tuple[str, str], ...] = ()
    """Every record of the person as (record code, agency), this row's first: one row per person, found by any of
    them (each agency's list names the person by its own code)."""


@dataclass(frozen=True, slots=True)
class SessionProgress:
    session: PayoutSession
    people_total: int
    people_paid: int
    people_remaining: int
    payments: int
    pending_sync: int
    earlier: tuple[PayoutSession, ...] = ()
    """Sessions closed earlier the same day at the same point, when this one reopened the day (oldest first)."""
    reopening: Reopening | None = None
    """Who approved reopening the day, and why (None for a first opening)."""
    reopened_by: str = ""
    """That supervisor's full name, as the screen says it."""

    @property
    def cash_on_hand(self) -> int:
        return self.session.cash_expected


class DeskService:
    def __init__(self, store: Store) -> None:
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

    def closed_sessions(self, since: dt.date) -> tuple[PayoutSession, ...]:
        """This device's sessions closed (F9) for a day from ``since`` on: the session dialog says which point-days
        are closed and asks for a supervisor before reopening one."""
        with database.read(self.store.engine) as conn:
            ids = [row[0] for row in conn.execute(
                text("SELECT session_id FROM payout_sessions WHERE status = 'closed' AND day >= :d ORDER BY day"),
                {"d": since.isoformat()},
            )]
            return tuple(session for session in (load_session(conn, i) for i in ids) if session is not None)

    def progress(self, session_id: str) -> SessionProgress:
        """People paid and remaining at the session's point, cash on hand, entries waiting to sync, and the
        sessions closed earlier that day when this one reopened it."""
        with database.read(self.store.engine) as conn:
            session = load_session(conn, session_id)
            if session is None:
                raise BadInputError("session_not_found", session=session_id)
            codes = _one_per_person(conn, [row[0] for row in conn.execute(
                # in storage order (person_id): chunks read neighbouring rows, not the name index's scattered ones
                text("SELECT record_code FROM beneficiaries WHERE point_id = :p ORDER BY person_id"),
                {"p": session.point_id}
            )])
            paid = remaining = 0
            for start in range(0, len(codes), _PROGRESS_CHUNK):  # bounded memory for a very large point
                chunk = codes[start:start + _PROGRESS_CHUNK]
                for state, _due, _paid, _records in _states(conn, chunk, session.period).values():
                    paid += state is PersonState.PAID
                    remaining += state is PersonState.UNPAID
            payments = conn.execute(
                text("SELECT count(*) FROM payments WHERE session_id = :s AND reversed_by IS NULL"), {"s": session_id}
            ).scalar_one()
            pending = conn.execute(text("SELECT count(*) FROM outbox WHERE state != 'accepted'")).scalar_one()
            reopening = load_reopening(conn, session_id)
            earlier = tuple(found for found in (load_session(conn, earlier_id)
                                                for earlier_id in (reopening.earlier if reopening else ()))
                            if found is not None)
            reopened_by = ""
            if reopening is not None:
                reopened_by = conn.execute(text("SELECT full_name FROM staff WHERE username = :u"),
                                           {"u": reopening.supervisor}).scalar() or reopening.supervisor
        return SessionProgress(session, len(codes), paid, remaining, payments, pending, earlier, reopening,
                               reopened_by)

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
            wanted = limit * 4 if state else limit
            params: dict[str, object] = {"commune": session.commune_code, "limit": wanted}
            filters = "b.commune_code = :commune"
            if village:
                filters += " AND b.village = :village"
                params["village"] = village
            if query.strip():
                ids, _truncated = rank_candidates(conn, query, CANDIDATES)
                where = "AND b.commune_code = :commune" + (" AND b.village = :village" if village else "")
                hits = load_hits(conn, ids, where, params)
                rows: Sequence[Sequence[Any]] = [
                    (h.record_code, h.full_name, h.birth_year, h.id_number, h.village, h.category) for h in hits]
            else:
                params["point"] = session.point_id
                sql = (
                    "SELECT b.record_code, b.full_name, b.birth_year, b.id_number, b.village, b.category "
                    f"FROM beneficiaries b WHERE {filters} AND b.point_id = :point "
                    "ORDER BY b.name_key, b.record_code LIMIT :limit"
                )
                rows = conn.execute(text(sql), params).all()
            firsts = set(_one_per_person(conn, [row[0] for row in rows]))
            rows = [row for row in rows if row[0] in firsts][:wanted]
            states = _states(conn, [row[0] for row in rows], session.period)
        people = [
            PersonRow(row[0], row[1], row[2], row[3], row[4], row[5], *states[row[0]])
            for row in rows
            if row[0] in states and (state is None or states[row[0]][0] is state)
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

    # --- changes: each mutation returns what it changed, read in the same worker task ---------------------------

    def pay(self, request: PaymentRequest, *, approved_by: str = "") -> DeskChange:
        """Pay (or back-enter, when ``request.back_entry`` is set) through ``PayoutService.pay``, then read what
        changed: the person, their row, the session and the progress delta. ``approved_by``: the supervisor's full
        name for a back-entry, carried into the change for the words that confirm it."""
        before = self._row(request.session_id, request.record_code)
        visit = self.store.payouts.pay_visit(request)
        kind = ChangeKind.BACK_ENTRY if request.back_entry is not None else ChangeKind.PAYMENT
        change = self._person_changed(kind, visit[0], request.session_id, request.record_code, before,
                                      payments=len(visit), approved_by=approved_by)
        return replace(change, visit=visit)

    def reverse(self, payment_entry_id: str, *, reason: str, supervisor: str, session_id: str,
                approved_by: str = "") -> DeskChange:
        """Reverse a payment (``PayoutService.reverse``, a supervisor's entry) and read what changed, seen from the
        session ``session_id`` the desk works in."""
        with database.read(self.store.engine) as conn:
            found = conn.execute(text("SELECT record_code, session_id FROM payments WHERE entry_id = :e"),
                                 {"e": payment_entry_id}).first()
        if found is None:
            raise BadInputError("payment_not_found", entry=payment_entry_id)
        record_code, paid_in = found
        before = self._row(session_id, record_code)
        reversal = self.store.payouts.reverse(payment_entry_id, reason=reason, supervisor=supervisor)
        return self._person_changed(ChangeKind.REVERSAL, reversal, session_id, record_code, before,
                                    payments=-1 if paid_in == session_id else 0, approved_by=approved_by)

    def open_session(self, *, commune_code: str, point_id: str, day: dt.date, cash_advance: int, staff: str,
                     supervisor: str | None = None, reopen_reason: str = "", approved_by: str = "") -> DeskChange:
        """Open a session (a closed point-day only with a supervisor and a reason) and count its progress."""
        session = self.store.payouts.open_session(commune_code=commune_code, point_id=point_id, day=day,
                                                  cash_advance=cash_advance, staff=staff, supervisor=supervisor,
                                                  reopen_reason=reopen_reason)
        progress = self.progress(session.session_id)
        return DeskChange(ChangeKind.SESSION_OPENED, progress.session, session, progress=progress,
                          approved_by=approved_by)

    def close_session(self, session_id: str, *, counted: CashCount, witness: str, staff: str,
                      reason: str = "", witness_role: str = "") -> DeskChange:
        """Close the day (``PayoutService.close_session``); nobody's state changes, only the session's."""
        closed = self.store.payouts.close_session(session_id, counted=counted, witness=witness, staff=staff,
                                                  reason=reason, witness_role=witness_role)
        return DeskChange(ChangeKind.SESSION_CLOSED, closed, closed, delta=ProgressDelta(pending_sync=self._pending()))

    def synced(self, session_id: str, record_code: str | None, *, downloaded: bool) -> DeskChange:
        """After a sync. With the province's changes applied (``downloaded``: a death, a suspension, a list, a flag)
        anyone may have changed: the progress is counted afresh, the person on screen read again and the list must
        be read again. After an upload alone only the count of entries waiting changed."""
        if not downloaded:
            with database.read(self.store.engine) as conn:
                session = load_session(conn, session_id)
            return DeskChange(ChangeKind.FEED, session, delta=ProgressDelta(pending_sync=self._pending()))
        progress = self.progress(session_id)
        view = None
        if record_code is not None:
            try:
                view = self.store.payouts.person(record_code, session_id)
            except BadInputError:  # no longer on this device's lists
                view = None
        rows = (row_of(view, progress.session.period),) if view is not None else ()
        return DeskChange(ChangeKind.FEED, progress.session, None, view, rows, progress=progress, relist=True)

    def _row(self, session_id: str, record_code: str) -> PersonRow | None:
        rows = self.rows_of(session_id, record_code)
        return rows[0] if rows else None

    def _pending(self) -> int:
        with database.read(self.store.engine) as conn:
            return int(conn.execute(text("SELECT count(*) FROM outbox WHERE state != 'accepted'")).scalar_one())

    def _person_changed(self, kind: ChangeKind, fact: Payment | Reversal, session_id: str, record_code: str,
                        before: PersonRow | None, *, payments: int, approved_by: str) -> DeskChange:
        """The change to one person: read again after COMMIT, with the progress delta their new state makes (people
        of another point, found by search, are not counted in this point's progress)."""
        view = self.store.payouts.person(record_code, session_id)
        with database.read(self.store.engine) as conn:
            session = load_session(conn, session_id)
            pending = int(conn.execute(text("SELECT count(*) FROM outbox WHERE state != 'accepted'")).scalar_one())
        if session is None:
            raise BadInputError("session_not_found", session=session_id)
        after = row_of(view, session.period)
        paid = remaining = 0
        if before is not None and view.beneficiary.point_id == session.point_id:
            paid = (after.state is PersonState.PAID) - (before.state is PersonState.PAID)
            remaining = (after.state is PersonState.UNPAID) - (before.state is PersonState.UNPAID)
        delta = ProgressDelta(paid, remaining, payments, pending)
        return DeskChange(kind, session, fact, view, (after,), delta=delta, approved_by=approved_by)

    def villages(self, commune_code: str) -> tuple[str, ...]:
        """The commune's villages by name, in Vietnamese order ("Thôn 2" before "Thôn 10")."""
        with database.read(self.store.engine) as conn:
            return tuple(sorted((row[0] for row in conn.execute(
                text("SELECT name FROM villages WHERE commune_code = :c"), {"c": commune_code}
            )), key=place_key))


def _one_per_person(conn: Connection, record_codes: list[str]) -> list[str]:
    """``record_codes`` with one record per person: the first of each (a person on two agencies' lists is counted and
    listed once)."""
    seen: set[str] = set()
    out = []
    for code, key in persons.person_keys(conn, record_codes).items():
        if key not in seen:
            seen.add(key)
            out.append(code)
    return out


_State = tuple[PersonState, int, int, tuple[tuple[str, str], ...]]


def _states(conn: Connection, record_codes: Iterable[str], period: str) -> dict[str, _State]:
    """Each person's state, amount due now and amount already paid over every record of the person (each agency's
    list; a death any of them recorded applies to all), and their records, by the payment rules (batched queries)."""
    from app.lists.policy import load_policy

    codes = list(dict.fromkeys(record_codes))
    keys = persons.person_keys(conn, codes)
    groups = persons.members(conn, keys.values())
    every = list(dict.fromkeys(code for key in keys.values() for code in groups[key]))
    people = load_beneficiaries(conn, every)
    lines_of = load_lines_of(conn, every)
    settled = load_settlements(conn, [line.key for lines in lines_of.values() for line in lines])
    policy = load_policy()
    out: dict[str, _State] = {}
    for code in codes:
        if code not in people:
            continue
        records = with_person_death([people[code], *(people[other] for other in groups[keys[code]]
                                                     if other != code and other in people)])
        assessed = [state for record in records
                    for state in assess_lines(record, lines_of.get(record.record_code, ()), period, settled)]
        out[code] = (*_state_of(assessed, settled, period), _records_of(records, lines_of, policy))
    return out


def _records_of(records: Sequence[Beneficiary], lines_of: Mapping[str, Sequence[EntitlementLine]],
                policy: PolicyReference) -> tuple[tuple[str, str], ...]:
    """(record code, agency) of each record: its own agency, else its lines' programmes'."""
    out = []
    for record in records:
        agency = record.agency or next((policy.agency_of(line.programme)
                                        for line in lines_of.get(record.record_code, ())), "")
        out.append((record.record_code, agency))
    return tuple(out)


def _state_of(assessed: Iterable[LineState], settled: Container[str], period: str) -> tuple[PersonState, int, int]:
    """A person's state, amount due now and amount already paid (lines of lists up to ``period``)."""
    assessed = tuple(assessed)
    due = sum(s.line.amount for s in assessed if s.payable)
    paid = sum(s.line.amount for s in assessed if s.line.key in settled and s.line.list_period <= period)
    if due:
        state = PersonState.UNPAID
    elif paid:
        state = PersonState.PAID
    else:
        state = PersonState.BLOCKED
    return state, due, paid


def row_of(view: PersonView, period: str) -> PersonRow:
    """A person's row as the people list shows it, from the view the panel shows (the same rules, no read): a line
    the store found settled is the one the rules mark "already paid"."""
    settled = {state.line.key for state in view.lines if state.block is not None and state.block.code == "already_paid"}
    person = view.beneficiary
    agencies: dict[str, str] = {}
    for state in view.lines:
        agencies.setdefault(state.line.record_code, view.agency_of(state.line.key))
    records = tuple((record.record_code, record.agency or agencies.get(record.record_code, ""))
                    for record in view.all_records)
    return PersonRow(person.record_code, person.full_name, person.birth_year, person.id_number, person.village,
                     person.category, *_state_of(view.lines, settled, period), records)
