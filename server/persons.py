"""One citizen across agencies' lists on the province server: records grouped into persons, conflicts, decisions.

The grouping itself is ``app.domain.identity.group_records`` — the desk groups the same records with the same
decisions and gets the same persons. This module only finds which records to give it: grouping never crosses a
personal number or a decision, so the records sharing a number with the ones asked about, and the records decisions
tie to them, are all a grouping needs (never the province's 300,000 records at once).

Decisions (``schema.person_links``) are append-only; each goes to the devices of the communes of both records as a
``person_link`` feed change, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from app.domain.identity import (
    Grouping,
    IdentityConflict,
    LinkAction,
    PersonLink,
    RecordIdentity,
    death_of,
    group_records,
    latest_decisions,
    pair_of,
    with_person_death,
)
from app.domain.journal import format_timestamp, parse_timestamp
from app.domain.model import Beneficiary
from app.wire import codec, constants
from server import feed, schema

__all__ = ["LinkError", "PersonDeath", "conflicts", "death_elsewhere", "decide", "decisions_about", "grouping_of",
           "people_with_person_death", "records_of"]

MAX_RECORDS = 200
"""Records gathered around the asked ones at most (a personal number shared by hundreds is bad data, not a person)."""


class LinkError(ValueError):
    """A decision that cannot be recorded (unknown record, one record twice, nothing to undo); ``code`` for the
    console's words."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _people(conn: Connection, codes: Iterable[str]) -> dict[str, Beneficiary]:
    """Records by code, each with its agency as stored."""
    p = schema.people.c
    out: dict[str, Beneficiary] = {}
    for chunk in _chunks(sorted(set(codes))):
        for code, data, agency in conn.execute(select(p.record_code, p.data, p.agency).where(p.record_code.in_(chunk))):
            person = codec.person_from_wire(json.loads(data))
            out[code] = replace(person, agency=agency) if agency and person.agency != agency else person
    return out


def _decisions(conn: Connection, codes: Iterable[str] | None = None) -> list[PersonLink]:
    """Every decision (or those naming one of ``codes``), oldest first."""
    t = schema.person_links.c
    query = select(schema.person_links).order_by(t.link_id)
    if codes is not None:
        wanted = sorted(set(codes))
        if not wanted:
            return []
        query = query.where(or_(t.first.in_(wanted), t.second.in_(wanted)))
    return [PersonLink(row["first"], row["second"], LinkAction(row["action"]), row["by_user"],
                       parse_timestamp(row["at"]), row["reason"]) for row in conn.execute(query).mappings()]


def _around(conn: Connection, codes: Iterable[str]) -> tuple[dict[str, Beneficiary], list[PersonLink]]:
    """The records ``codes`` may be grouped with: their personal numbers' records and the records decisions tie them
    to, until nothing new is found (bounded by ``MAX_RECORDS``)."""
    p = schema.people.c
    people = _people(conn, codes)
    decisions: dict[tuple[str, str, str], PersonLink] = {}
    seen_numbers: set[str] = set()
    frontier = set(people)
    while frontier and len(people) < MAX_RECORDS:
        numbers = {person.id_number for code in frontier if (person := people.get(code)) and person.id_number}
        numbers -= seen_numbers
        seen_numbers |= numbers
        found: set[str] = set()
        for chunk in _chunks(sorted(numbers)):
            found.update(conn.execute(select(p.record_code).where(p.id_number.in_(chunk))).scalars())
        for link in _decisions(conn, frontier):
            decisions[(link.first, link.second, format_timestamp(link.at))] = link
            found.update((link.first, link.second))
        frontier = found - set(people)
        people.update(_people(conn, frontier))
    return people, sorted(decisions.values(), key=lambda link: link.at)


def grouping_of(conn: Connection, codes: Iterable[str]) -> tuple[Grouping, dict[str, Beneficiary]]:
    """The grouping of the records around ``codes`` (``_around``), with those records."""
    people, decisions = _around(conn, codes)
    return group_records((RecordIdentity.of(person) for person in people.values()), decisions), people


def records_of(conn: Connection, record_code: str) -> list[Beneficiary]:
    """Every record of the person ``record_code`` belongs to (itself first), each with its agency."""
    grouping, people = grouping_of(conn, [record_code])
    codes = grouping.records_of(record_code)
    return [people[code] for code in sorted(codes, key=lambda code: (code != record_code, code)) if code in people]


@dataclass(frozen=True)
class PersonDeath:
    """A death another record of the person recorded: which record, whose list, when."""

    record_code: str
    agency: str
    date_of_death: dt.date | None


def death_elsewhere(conn: Connection, record_code: str) -> PersonDeath | None:
    """The death another agency's record of this person recorded, when this record has none of its own."""
    records = records_of(conn, record_code)
    own = next((person for person in records if person.record_code == record_code), None)
    dead = death_of(records)
    if own is None or dead is None or dead.record_code == record_code or own.date_of_death is not None:
        return None
    return PersonDeath(dead.record_code, dead.agency, dead.date_of_death)


def people_with_person_death(conn: Connection,
                              people: Mapping[str, Beneficiary]) -> dict[str, tuple[Beneficiary, PersonDeath | None]]:
    """``people`` (record code → record) with a death any other record of the same person recorded applied
    (``with_person_death``), and that other record: a payment of one agency's monthly line after a death another
    agency recorded is judged as after that death, and its flag says whose record recorded it."""
    out: dict[str, tuple[Beneficiary, PersonDeath | None]] = {code: (person, None) for code, person in people.items()}
    if not people:
        return out
    grouping, around = grouping_of(conn, people)
    for code, own in people.items():
        if own.date_of_death is not None:
            continue
        records = [people.get(member) or around[member] for member in grouping.records_of(code)
                   if member in people or member in around]
        dead = death_of(records)
        if len(records) < 2 or dead is None or dead.record_code == code:
            continue
        for record in with_person_death(records):
            if record.record_code == code:
                out[code] = (record, PersonDeath(dead.record_code, dead.agency, dead.date_of_death))
    return out


def with_death_of_person(conn: Connection, people: list[Beneficiary]) -> list[Beneficiary]:
    """``people`` with a death another record of the same person recorded applied (``with_person_death``), for what
    a month keeps about them (``list_people``: a monthly line after the month of death is barred, not carried over).

    Only records that can be grouped with a dead record are asked about: those whose personal number a deceased
    record shares, and those a decision names — found with two small queries, so keeping a province's whole list
    never groups its 300,000 records."""
    p, t = schema.people.c, schema.person_links.c
    dead_numbers = set(conn.execute(
        select(p.id_number).where(p.id_number.is_not(None)).group_by(p.id_number)
        .having(and_(func.count() > 1, func.sum(case((p.status == "deceased", 1), else_=0)) > 0))).scalars())
    decided = {code for first, second in conn.execute(select(t.first, t.second)) for code in (first, second)}
    asked = {person.record_code: person for person in people
             if person.date_of_death is None and (person.id_number in dead_numbers or person.record_code in decided)}
    if not asked:
        return people
    applied = people_with_person_death(conn, asked)
    return [applied[person.record_code][0] if person.record_code in applied else person for person in people]


def persons_of(conn: Connection, codes: Iterable[str]) -> set[str]:
    """``codes`` with every other record of the same persons (whose payments a death must judge again)."""
    grouping, _people_around = grouping_of(conn, codes)
    return {member for code in codes for member in grouping.records_of(code)}


def conflicts(conn: Connection, communes: list[str] | None, agency: str | None = None) -> list[IdentityConflict]:
    """The open conflicts (one personal number, another name or birth year, no decision) with a record in
    ``communes`` (None: every commune) and, for an officer of one agency, a record of that agency."""
    p = schema.people.c
    shared = (select(p.id_number).where(p.id_number.is_not(None) & (p.id_number != ""))
              .group_by(p.id_number).having(func.count() > 1))
    query = select(p.record_code).where(p.id_number.in_(shared))
    codes = list(conn.execute(query).scalars())
    if not codes:
        return []
    people = _people(conn, codes)
    decisions = _decisions(conn, codes)
    grouping = group_records((RecordIdentity.of(person) for person in people.values()), decisions)
    out = []
    for item in grouping.conflicts:
        both = [people[item.first.record_code], people[item.second.record_code]]
        if communes is not None and not any(person.commune_code in communes for person in both):
            continue
        if agency is not None and not any(person.agency == agency for person in both):
            continue
        out.append(item)
    return out


def decisions_about(conn: Connection, codes: Iterable[str]) -> list[PersonLink]:
    """The decisions naming any of ``codes``, newest first (the person's page and the conflicts page)."""
    return list(reversed(_decisions(conn, codes)))


def recent_decisions(conn: Connection, limit: int, communes: list[str] | None,
                     agency: str | None = None) -> list[dict[str, Any]]:
    """The newest decisions with both records' names, communes and agencies; an officer's communes (and agency)
    only: a decision shows when one of its records is theirs."""
    t = schema.person_links.c
    rows = [dict(row) for row in conn.execute(
        select(schema.person_links).order_by(t.link_id.desc()).limit(limit * 4)).mappings()]
    people = _people(conn, {code for row in rows for code in (row["first"], row["second"])})
    out = []
    for row in rows:
        both = [people[code] for code in (row["first"], row["second"]) if code in people]
        if communes is not None and not any(person.commune_code in communes for person in both):
            continue
        if agency is not None and not any(person.agency == agency for person in both):
            continue
        standing = latest_decisions(_decisions(conn, [row["first"]])).get(pair_of(row["first"], row["second"]))
        out.append({**row, "at": parse_timestamp(row["at"]), "records": both,
                    "standing": standing is not None and format_timestamp(standing.at) == row["at"]
                    and standing.action.value == row["action"]})
        if len(out) >= limit:
            break
    return out


def standing_in_commune(conn: Connection, commune: str) -> list[PersonLink]:
    """The standing decisions naming a record of ``commune``: what a device that gains the commune receives with its
    snapshot (the feed's earlier ``person_link`` changes went to the commune's devices of that time)."""
    t, p = schema.person_links.c, schema.people.c
    of_commune = select(p.record_code).where(p.commune_code == commune)
    query = (select(schema.person_links).where(or_(t.first.in_(of_commune), t.second.in_(of_commune)))
             .order_by(t.link_id))
    decisions = [PersonLink(row["first"], row["second"], LinkAction(row["action"]), row["by_user"],
                            parse_timestamp(row["at"]), row["reason"]) for row in conn.execute(query).mappings()]
    return sorted(latest_decisions(decisions).values(), key=lambda link: (link.at, link.pair))


def standing_between(conn: Connection, first: str, second: str) -> PersonLink | None:
    return latest_decisions(_decisions(conn, [first, second])).get(pair_of(first, second))


def decide(conn: Connection, first: str, second: str, action: LinkAction, by: str, reason: str,
           now: dt.datetime) -> tuple[PersonLink, list[str]]:
    """Record an officer's decision about two records (link, separate, or clear = undo) and send it to the devices
    of both records' communes. Returns the decision and those communes."""
    first, second = first.strip().upper(), second.strip().upper()
    if not first or not second or first == second:
        raise LinkError("same_record")
    people = _people(conn, [first, second])
    for code in (first, second):
        if code not in people:
            raise LinkError("unknown_person", record_code=code)
    if action is LinkAction.CLEAR and standing_between(conn, first, second) is None:
        raise LinkError("nothing_to_undo")
    first, second = pair_of(first, second)
    link = PersonLink(first, second, action, by or "—", now, reason.strip()[:500])
    conn.execute(schema.person_links.insert().values(first=first, second=second, action=action.value, by_user=link.by,
                                                     at=format_timestamp(now), reason=link.reason))
    communes = sorted({people[first].commune_code, people[second].commune_code})
    payload: dict[str, Any] = codec.person_link_to_wire(link)
    feed.add_many(conn, [{"kind": constants.CHANGE_PERSON_LINK, "commune_code": commune, "device_id": None,
                          "payload": payload, "created_at": format_timestamp(now)} for commune in communes])
    return link, communes
