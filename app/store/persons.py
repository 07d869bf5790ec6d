"""Which records are one person on this desk: the decisions about pairs of records, each record's person and the
conflicts found (revision 0010), kept from ``app.domain.identity`` — never worked out anew here.

After every list import, feed page and decision the records that *can* be grouped — those sharing a personal number
with another record, and those a decision names — are grouped again (``regroup``); every other record is alone and
its own person, so a province of 100,000 records regroups by reading a few thousand rows. ``person_groups`` then
says, for each grouped record, its person key (the smallest record code of the group); search, the people list, the
person view and a payment read it to treat the records of one person as one visit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from app.domain.errors import BadInputError
from app.domain.identity import (
    MAX_DECISION_TEXT,
    Grouping,
    IdentityConflict,
    LinkAction,
    PersonLink,
    RecordIdentity,
    group_records,
)
from app.domain.model import Role
from app.store import database

if TYPE_CHECKING:
    from app.store.store import Store

ORIGIN_DESK = "desk"
ORIGIN_PROVINCE = "province"
MAX_REASON = MAX_DECISION_TEXT
"""A decision's reason: the bound the wire also applies, so a decision the desk accepts is one the feed can carry."""


@dataclass(frozen=True, slots=True)
class RecordedLink:
    """A decision as the log keeps it: who decided, when, why, and where (this desk or the province)."""

    link: PersonLink
    origin: str


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """A conflict as the desk lists it: both records (code, name, birth year, agency) and what differs."""

    id_number: str
    first_code: str
    first_name: str
    first_birth_year: int | None
    first_agency: str
    second_code: str
    second_name: str
    second_birth_year: int | None
    second_agency: str
    differs: tuple[str, ...]
    found_at: str


def _pair_link(row: tuple[object, ...]) -> PersonLink:
    return PersonLink(str(row[0]), str(row[1]), LinkAction(str(row[2])), str(row[3]),
                      dt.datetime.fromisoformat(str(row[4])), str(row[5]))


def decisions(conn: Connection) -> list[PersonLink]:
    """Every decision kept, oldest first (the latest about a pair stands)."""
    rows = conn.execute(text("SELECT first_code, second_code, action, decided_by, decided_at, reason FROM person_links "
                             "ORDER BY decided_at, link_id"))
    return [_pair_link(tuple(row)) for row in rows]


def record_decision(conn: Connection, link: PersonLink, origin: str, now: dt.datetime) -> bool:
    """Keep a decision in the log (a decision the feed brings again is kept once); returns whether it was new."""
    first, second = link.pair
    result = conn.execute(text(
        "INSERT OR IGNORE INTO person_links (first_code, second_code, action, decided_by, decided_at, reason, origin, "
        "recorded_at) VALUES (:a, :b, :action, :by, :at, :reason, :origin, :now)"),
        {"a": first, "b": second, "action": link.action.value, "by": link.by, "at": link.at.isoformat(),
         "reason": link.reason, "origin": origin, "now": now.isoformat()})
    return bool(result.rowcount)


_CANDIDATES = text(
    "SELECT record_code, agency, full_name, birth_year, id_number FROM beneficiaries "
    "WHERE replace(id_number, ' ', '') IN (SELECT replace(id_number, ' ', '') FROM beneficiaries "
    "WHERE id_number IS NOT NULL AND id_number <> '' GROUP BY replace(id_number, ' ', '') HAVING count(*) > 1) "
    "OR record_code IN (SELECT first_code FROM person_links UNION SELECT second_code FROM person_links)"
)


def regroup(conn: Connection, now: dt.datetime, codes: Iterable[str] | None = None) -> Grouping:
    """Group the records again with the decisions, inside the caller's transaction; store each grouped record's person
    key and the conflicts (a conflict found before keeps the time it was first found). Returns the grouping.

    With ``codes`` (the records a list or a decision just touched) only their part is grouped again: every record
    reachable from them through a shared personal number, a decision or their groups so far — a whole person, with
    everyone it could be grouped with, so the result is the one a full regrouping gives. A commune's list on a desk of
    100,000 records then regroups its own people, not the province (a full regrouping reads every record sharing a
    number: about a second at 130,000 records).
    """
    links = decisions(conn)
    if codes is None:
        records = {row[0]: RecordIdentity(row[0], row[1] or "", row[2], row[3], row[4])
                   for row in conn.execute(_CANDIDATES)}
        scope: set[str] | None = None
    else:
        scope, records = _reachable(conn, set(codes), links)
    grouping = group_records(records.values(), links)
    _store_grouping(conn, grouping, scope, now)
    return grouping


_RECORDS_BY_CODE = text("SELECT record_code, agency, full_name, birth_year, id_number FROM beneficiaries "
                        "WHERE record_code IN (SELECT value FROM json_each(:codes))")
_SHARING_A_NUMBER = text(
    "SELECT b.record_code FROM beneficiaries b WHERE b.id_number IN (SELECT s.id_number FROM beneficiaries s "
    "WHERE s.id_number IN (SELECT f.id_number FROM beneficiaries f WHERE f.record_code IN "
    "(SELECT value FROM json_each(:codes)) AND f.id_number IS NOT NULL AND f.id_number <> '') "
    "GROUP BY s.id_number HAVING count(*) > 1)"
)
_GROUP_MATES = text("SELECT m.record_code FROM person_groups g JOIN person_groups m ON m.person_key = g.person_key "
                    "WHERE g.record_code IN (SELECT value FROM json_each(:codes))")


def _reachable(conn: Connection, codes: set[str], links: list[PersonLink]
               ) -> tuple[set[str], dict[str, RecordIdentity]]:
    """The records reachable from ``codes`` through a shared personal number, a decision, or a group so far (the
    scope whose groups and conflicts are written again), and of those the ones that can be grouped at all — a record
    alone with its number, never grouped nor named by a decision, is its own person and is not read."""
    partners: dict[str, set[str]] = {}
    for link in links:
        partners.setdefault(link.first, set()).add(link.second)
        partners.setdefault(link.second, set()).add(link.first)
    scope: set[str] = set()
    candidates: set[str] = set()
    frontier = set(codes)
    while frontier:
        scope |= frontier
        batch = {"codes": json.dumps(sorted(frontier))}
        linked = {code for (code,) in conn.execute(_GROUP_MATES, batch)}
        linked |= {code for (code,) in conn.execute(_SHARING_A_NUMBER, batch)}
        for code in frontier:
            linked |= partners.get(code, set())
        candidates |= linked
        frontier = linked - scope
    candidates |= {code for code in scope if code in partners}
    records = {row[0]: RecordIdentity(row[0], row[1] or "", row[2], row[3], row[4])
               for row in conn.execute(_RECORDS_BY_CODE, {"codes": json.dumps(sorted(candidates))})}
    return scope, records


def _store_grouping(conn: Connection, grouping: Grouping, scope: set[str] | None, now: dt.datetime) -> None:
    """Write ``grouping`` for the records of ``scope`` (every record when None): only what changed."""
    if scope is None:
        stored: dict[str, str] = dict(conn.execute(text("SELECT record_code, person_key FROM person_groups")).all())
    else:
        stored = dict(conn.execute(text(
            "SELECT record_code, person_key FROM person_groups WHERE record_code IN "
            "(SELECT value FROM json_each(:codes))"), {"codes": json.dumps(sorted(scope))}).all())
    gone = [{"code": code} for code, key in stored.items() if grouping.group_of.get(code) != key]
    if gone:
        conn.execute(text("DELETE FROM person_groups WHERE record_code = :code"), gone)
    new = [{"code": code, "key": key} for code, key in grouping.group_of.items() if stored.get(code) != key]
    if new:
        conn.execute(text("INSERT INTO person_groups (record_code, person_key) VALUES (:code, :key)"), new)
    where = "" if scope is None else (" WHERE first_code IN (SELECT value FROM json_each(:codes)) "
                                      "OR second_code IN (SELECT value FROM json_each(:codes))")
    params = {} if scope is None else {"codes": json.dumps(sorted(scope))}
    found_before = {(a, b): at for a, b, at in conn.execute(
        text("SELECT first_code, second_code, found_at FROM identity_conflicts" + where), params)}
    conn.execute(text("DELETE FROM identity_conflicts" + where), params)
    if grouping.conflicts:
        conn.execute(text("INSERT OR IGNORE INTO identity_conflicts (first_code, second_code, id_number, differs, "
                          "found_at) VALUES (:a, :b, :n, :d, :at)"),
                     [{"a": a, "b": b, "n": item.id_number, "d": json.dumps(list(item.differs_in)),
                       "at": found_before.get((a, b), now.isoformat())}
                      for item in grouping.conflicts for a, b in [_ordered(item)]])


def _ordered(conflict: IdentityConflict) -> tuple[str, str]:
    first, second = conflict.first.record_code, conflict.second.record_code
    return (first, second) if first <= second else (second, first)


def person_keys(conn: Connection, record_codes: Iterable[str]) -> dict[str, str]:
    """Each record's person key (itself when alone)."""
    codes = list(dict.fromkeys(record_codes))
    found: dict[str, str] = dict(conn.execute(text(
        "SELECT record_code, person_key FROM person_groups WHERE record_code IN (SELECT value FROM json_each(:codes))"),
        {"codes": json.dumps(codes)}).all())
    return {code: found.get(code, code) for code in codes}


def members(conn: Connection, person_keys_: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each person key's records, sorted (the key alone when not grouped)."""
    keys = list(dict.fromkeys(person_keys_))
    found: dict[str, list[str]] = {}
    for key, code in conn.execute(text("SELECT person_key, record_code FROM person_groups WHERE person_key IN "
                                       "(SELECT value FROM json_each(:keys)) ORDER BY record_code"),
                                  {"keys": json.dumps(keys)}):
        found.setdefault(key, []).append(code)
    return {key: tuple(found.get(key, (key,))) for key in keys}


RECORDS_OF_SQL = (
    "SELECT m.record_code FROM person_groups g JOIN person_groups m ON m.person_key = g.person_key "
    "WHERE g.record_code = :rc AND m.record_code <> :rc ORDER BY m.record_code"
)
"""The other records of a person, by one of theirs: one indexed lookup (most people have one record: no row). The
payment path runs it through ``fast`` (``app.store.payouts``)."""


def records_of(conn: Connection, record_code: str) -> tuple[str, ...]:
    """Every record of the person ``record_code`` belongs to, the record itself first, the others in code order."""
    others = conn.execute(text(RECORDS_OF_SQL), {"rc": record_code}).all()
    return (record_code, *(code for (code,) in others))


def conflicts_among(conn: Connection, record_codes: Iterable[str] | None = None) -> list[ConflictRow]:
    """The conflicts standing (those naming one of ``record_codes`` when given), by personal number."""
    sql = ("SELECT c.id_number, c.first_code, a.full_name, a.birth_year, a.agency, c.second_code, b.full_name, "
           "b.birth_year, b.agency, c.differs, c.found_at FROM identity_conflicts c "
           "JOIN beneficiaries a ON a.record_code = c.first_code JOIN beneficiaries b ON b.record_code = c.second_code")
    params: dict[str, str] = {}
    if record_codes is not None:
        sql += (" WHERE c.first_code IN (SELECT value FROM json_each(:codes)) "
                "OR c.second_code IN (SELECT value FROM json_each(:codes))")
        params["codes"] = json.dumps(list(record_codes))
    rows = conn.execute(text(sql + " ORDER BY c.id_number, c.first_code"), params)
    return [ConflictRow(row[0], row[1], row[2], row[3], row[4] or "", row[5], row[6], row[7], row[8] or "",
                        tuple(json.loads(row[9])), row[10]) for row in rows]


class PersonService:
    """A supervisor's decisions about who is one person, and what the desk knows about it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def decide(self, first: str, second: str, action: LinkAction, *, supervisor: str, reason: str
               ) -> tuple[str, ...]:
        """Record a supervisor's decision that ``first`` and ``second`` are one person (LINK), two people (SEPARATE),
        or back to the automatic rule (CLEAR, how a decision is undone), with a reason; regroup in the same
        transaction. Returns the records of the person ``first`` now belongs to. Raises ``BadInputError``."""
        first, second = first.strip().upper(), second.strip().upper()
        reason = " ".join(reason.split())
        if not reason:
            raise BadInputError("person_link_needs_reason")
        if len(reason) > MAX_REASON:
            raise BadInputError("person_link_reason_too_long", limit=MAX_REASON)
        if first == second:
            raise BadInputError("person_link_same_record", record_code=first)
        now = self.store.clock()
        with database.write(self.store.engine) as conn:
            role = conn.execute(text("SELECT role FROM staff WHERE username = :u AND active = 1"),
                                {"u": supervisor}).scalar()
            if role != Role.SUPERVISOR.value:
                raise BadInputError("person_link_needs_supervisor")
            for code in (first, second):
                known = conn.execute(text("SELECT 1 FROM beneficiaries WHERE record_code = :c"), {"c": code}).first()
                if known is None:
                    raise BadInputError("person_not_found", record_code=code)
            if action is LinkAction.CLEAR and not any(
                    link.pair == (min(first, second), max(first, second)) for link in decisions(conn)):
                raise BadInputError("person_link_nothing_to_clear", first=first, second=second)
            record_decision(conn, PersonLink(first, second, action, supervisor, now, reason), ORIGIN_DESK, now)
            regroup(conn, now, (first, second))
            return records_of(conn, first)

    def records_of(self, record_code: str) -> tuple[str, ...]:
        with database.read(self.store.engine) as conn:
            return records_of(conn, record_code)

    def conflicts(self, record_codes: Iterable[str] | None = None) -> list[ConflictRow]:
        with database.read(self.store.engine) as conn:
            return conflicts_among(conn, record_codes)

    def decisions(self, record_code: str | None = None) -> list[RecordedLink]:
        """The decision log (about ``record_code`` when given), oldest first."""
        sql = ("SELECT first_code, second_code, action, decided_by, decided_at, reason, origin FROM person_links")
        params: dict[str, str] = {}
        if record_code is not None:
            sql += " WHERE first_code = :c OR second_code = :c"
            params["c"] = record_code
        with database.read(self.store.engine) as conn:
            rows = conn.execute(text(sql + " ORDER BY decided_at, link_id"), params).all()
        return [RecordedLink(_pair_link(tuple(row[:6])), str(row[6])) for row in rows]
