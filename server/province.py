"""The province's list on the server: importing lists, amendments, and the fragments the devices download.

The server keeps the list as the devices will see it. Each import or amendment updates it in one transaction and
adds the matching change-feed items in the same transaction, so a device never sees half of a change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from functools import partial
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, select

from app.domain.amendments import (
    Amendment,
    Choice,
    Contradiction,
    FactKind,
    FactSource,
    Standing,
    accepting,
    after_decision,
    fact_words,
    kept_before,
    reconcile,
    standing_fact,
    standing_of,
    superseded,
)
from app.domain.clock import VIETNAM
from app.domain.cycle import withdrawn_keys
from app.domain.journal import format_timestamp
from app.domain.model import (
    Beneficiary,
    BeneficiaryStatus,
    Commune,
    EntitlementLine,
    LineKind,
    PaymentMethod,
    PayoutPoint,
    Province,
    Representative,
    ScheduleSlot,
    Village,
    line_key,
)
from app.domain.reconciliation import reconcile_list
from app.domain.rules import history_after
from app.domain.text import fold, person_name_key
from app.lists.parsed import ListWarning, ParsedList
from app.lists.policy import load_policy
from app.wire import codec, constants
from server import facts, feed, locks, persons, schema
from server.ingest import review


class AmendError(ValueError):
    """An amendment that cannot be applied (unknown person, bad value), said in the officer's words.

    ``code`` and ``params`` name the refusal for the console, which says it in the page's language.
    """

    def __init__(self, message: str, code: str, **params: str) -> None:
        super().__init__(message)
        self.code, self.params = code, params


def import_list(conn: Connection, parsed: ParsedList, now: dt.datetime) -> dict[str, Any]:
    """Store a validated list held against what stands, and put one fragment per commune on the feed.

    The list is first held against each person's standing amendments (``app.domain.amendments.reconcile``): what it
    contradicts keeps its standing value (dead stays dead, suspended stays suspended, an amended amount stays),
    contradicted lines are held, the deaths and suspensions it adds become facts, and each contradiction is recorded
    for an officer to decide. Returns the counts and ``contradictions`` (numbered ``Contradiction`` values).
    """
    at = format_timestamp(now)
    parsed, refused_rows = _own_records(conn, with_agencies(parsed))  # each refused row is said in a warning
    scope = list_scope(parsed)
    import_id = conn.execute(schema.list_imports.insert().values(
        payout_period=parsed.payout_period, source=parsed.source, sha256=parsed.sha256, imported_at=at,
        communes=len(parsed.communes), lines=len(parsed.lines), agency=parsed.agency,
    ).returning(schema.list_imports.c.import_id)).scalar_one()
    commune_codes = {c.code for c in parsed.communes}
    dropping = _would_withdraw(conn, parsed, commune_codes, scope)
    codes = {p.record_code for p in parsed.beneficiaries} | set(dropping)
    earlier = facts.of_people(conn, codes)
    reconciled = reconcile(parsed.beneficiaries, parsed.lines, facts.standings(conn, codes),
                           list_period=parsed.payout_period, source=parsed.source, at=now,
                           kept=kept_before(facts.decided(earlier)), dropping=dropping,
                           names=_names_on_file(conn, set(dropping) - {p.record_code for p in parsed.beneficiaries}),
                           stored=_stored_lines(conn, [key for keys in dropping.values() for key in keys]))
    # Uploads paying the people this list says died wait for it, or are seen by ``after_death`` below.
    locks.lock_people(conn, {fact.record_code for fact in reconciled.facts if fact.kind is FactKind.DEATH})
    as_listed = parsed
    parsed = dataclasses.replace(parsed, beneficiaries=reconciled.people, lines=reconciled.lines)

    by_commune: dict[str, dict[str, list[Any]]] = {
        c.code: {"villages": [], "points": [], "schedule": [], "people": [], "authorisations": [], "lines": []}
        for c in parsed.communes
    }
    point_commune = {p.point_id: p.commune_code for p in parsed.points}
    for village in parsed.villages:
        by_commune[village.commune_code]["villages"].append(village)
    for point in parsed.points:
        by_commune[point.commune_code]["points"].append(point)
    for slot in parsed.schedule:
        by_commune[point_commune[slot.point_id]]["schedule"].append(slot)
    person_commune = {p.record_code: p.commune_code for p in parsed.beneficiaries}
    commune_of_line = dict(person_commune)
    for code in dropping:
        if code not in commune_of_line:
            row = person_row(conn, code)
            if row is not None:
                commune_of_line[code] = row["commune_code"]
    for person in parsed.beneficiaries:
        by_commune[person.commune_code]["people"].append(person)
    for item in parsed.authorisations:
        by_commune[person_commune[item.record_code]]["authorisations"].append(item)
    for line in parsed.lines:
        target = by_commune.get(commune_of_line.get(line.record_code, ""))
        if target is not None:
            target["lines"].append(line)

    for commune in parsed.communes:
        parts = by_commune[commune.code]
        _save_commune(conn, parsed.province, commune, parts["villages"], parts["points"], parts["schedule"])
    auths: dict[str, list[Any]] = {}
    for item in parsed.authorisations:
        auths.setdefault(item.record_code, []).append(item)
    moved = _moved_from(conn, parsed.beneficiaries)
    _save_people(conn, parsed.beneficiaries, auths, VIETNAM.day_of(now), _rows_of(parsed))
    withdrawn = _save_lines(conn, parsed.lines, parsed.payout_period, commune_codes, scope)
    _save_membership(conn, parsed.payout_period, as_listed.lines, commune_codes, scope)
    keep_people(conn, parsed.payout_period, parsed.beneficiaries, commune_codes, scope)
    for fact in reconciled.facts:
        facts.record_fact(conn, fact)
    contradictions = facts.record_contradictions(conn, reconciled.contradictions, earlier, commune_of_line,
                                                 import_id, now)

    items: list[dict[str, Any]] = []
    pending_lines = 0
    for commune in parsed.communes:  # the fragments are written a few communes at a time, never all held at once
        parts = by_commune.pop(commune.code)
        fragment = ParsedList(
            source=parsed.source, sha256=parsed.sha256, payout_period=parsed.payout_period, province=parsed.province,
            communes=(commune,), villages=tuple(parts["villages"]), points=tuple(parts["points"]),
            schedule=tuple(parts["schedule"]), beneficiaries=tuple(parts["people"]),
            authorisations=tuple(parts["authorisations"]), lines=tuple(parts["lines"]), agency=parsed.agency,
        )
        items.append({"kind": constants.CHANGE_LIST, "commune_code": commune.code, "device_id": None,
                      "payload": codec.fragment_to_wire(fragment, whole_commune=True), "created_at": at})
        pending_lines += len(fragment.lines) + len(fragment.beneficiaries)
        if pending_lines >= BATCH:
            feed.add_many(conn, items)
            items, pending_lines = [], 0
    feed.add_many(conn, items)
    for code, old_commune in sorted(moved.items()):  # the old commune's devices learn who moved away
        publish_person(conn, code, now, moved_from=old_commune)
    died = sorted({fact.record_code for fact in reconciled.facts if fact.kind is FactKind.DEATH})
    if died:
        review.after_death(conn, died, now)
        keep_records(conn, persons.persons_of(conn, died) - set(died))  # their other agencies' records too
    return {"communes": len(parsed.communes), "people": len(parsed.beneficiaries), "lines": len(as_listed.lines),
            "agency": parsed.agency,
            "withdrawn": withdrawn, "contradictions": contradictions, "refused": refused_rows,
            "reconciliation": reconcile_list(parsed.payout_period, parsed.beneficiaries, parsed.lines,
                                             point_names={point.point_id: point.name for point in parsed.points},
                                             stated_total=parsed.stated_total)}


def _rows_of(parsed: ParsedList) -> dict[str, dict[str, Any]]:
    """Record code → the list and the first row of its lines there (the evidence an officer matches records on)."""
    rows: dict[str, int] = {}
    for line in parsed.lines:
        row = parsed.row_of_line.get(line.key)
        if row is not None:
            rows[line.record_code] = min(rows.get(line.record_code, row), row)
    return {person.record_code: {"source": parsed.source, "period": parsed.payout_period,
                                 "row": rows.get(person.record_code)} for person in parsed.beneficiaries}


def line_agency(line: EntitlementLine) -> str:
    """A line's agency: its programme's (``PolicyReference.agency_of``)."""
    return load_policy().agency_of(line.programme)


def with_agencies(parsed: ParsedList) -> ParsedList:
    """The list with each record's agency: the list's, else the record's own, else its lines' when they have one
    (a list from before lists named their agency); "" when its lines belong to several agencies."""
    of_lines: dict[str, set[str]] = {}
    for line in parsed.lines:
        of_lines.setdefault(line.record_code, set()).add(line_agency(line))
    people = []
    for person in parsed.beneficiaries:
        agencies = of_lines.get(person.record_code, set())
        agency = parsed.agency or person.agency or (next(iter(agencies)) if len(agencies) == 1 else "")
        people.append(person if agency == person.agency else dataclasses.replace(person, agency=agency))
    return dataclasses.replace(parsed, beneficiaries=tuple(people))


def list_scope(parsed: ParsedList) -> frozenset[str]:
    """The agencies whose lines and records of its communes and period a list replaces: its own agency; a list that
    names none (from before lists named their agency), its lines' agencies and the records without one."""
    if parsed.agency:
        return frozenset({parsed.agency})
    return frozenset({line_agency(line) for line in parsed.lines} | {""})


def _own_records(conn: Connection, parsed: ParsedList) -> tuple[ParsedList, tuple[ListWarning, ...]]:
    """The list without the records whose code another agency's record already holds (refused row by row): record
    codes are unique across agencies. Returns the list and a warning per refused record (its first row)."""
    p = schema.people.c
    held: dict[str, str] = {}
    codes = sorted({person.record_code for person in parsed.beneficiaries})
    for chunk in _chunks(codes, 500):
        held.update((code, agency) for code, agency in conn.execute(
            select(p.record_code, p.agency).where(p.record_code.in_(chunk) & (p.agency != ""))))
    refused = {person.record_code: held[person.record_code] for person in parsed.beneficiaries
               if person.agency and held.get(person.record_code, person.agency) != person.agency}
    if not refused:
        return parsed, ()
    first_row: dict[str, int] = {}
    for line in parsed.lines:
        if line.record_code in refused:
            row = parsed.row_of_line.get(line.key, 0)
            first_row[line.record_code] = min(first_row.get(line.record_code, row), row)
    policy = load_policy()
    warnings = tuple(
        ListWarning(first_row.get(code, 0), "record_code", "record_code_other_agency",
                    {"record_code": code, "agency": policy.agency_name(agency),
                     "agency_en": policy.agency_name(agency, "en")})
        for code, agency in sorted(refused.items(), key=lambda item: (first_row.get(item[0], 0), item[0])))
    return dataclasses.replace(
        parsed,
        beneficiaries=tuple(person for person in parsed.beneficiaries if person.record_code not in refused),
        lines=tuple(line for line in parsed.lines if line.record_code not in refused),
        authorisations=tuple(item for item in parsed.authorisations if item.record_code not in refused),
    ), warnings


def _moved_from(conn: Connection, people: Iterable[Beneficiary]) -> dict[str, str]:
    """Record code → the commune the server had them in, of the listed people the list puts in another commune."""
    listed = {person.record_code: person.commune_code for person in people}
    p = schema.people.c
    moved: dict[str, str] = {}
    for chunk in _chunks(sorted(listed), 500):
        for code, commune in conn.execute(select(p.record_code, p.commune_code).where(p.record_code.in_(chunk))):
            if commune != listed[code]:
                moved[code] = commune
    return moved


def _names_on_file(conn: Connection, record_codes: set[str]) -> dict[str, str]:
    """Record code → full name as stored, for people a list no longer names (a contradiction says who they are)."""
    p = schema.people.c
    names: dict[str, str] = {}
    for chunk in _chunks(sorted(record_codes), 500):
        for code, name in conn.execute(select(p.record_code, p.full_name).where(p.record_code.in_(chunk))):
            names[code] = name
    return names


def _stored_lines(conn: Connection, keys: list[str]) -> dict[str, EntitlementLine]:
    """Line key → the line as stored (the unpaid lines a list would withdraw: one an officer amended stays held)."""
    out: dict[str, EntitlementLine] = {}
    for chunk in _chunks(sorted(set(keys)), 500):
        for text in conn.execute(select(schema.lines.c.data).where(schema.lines.c.line_key.in_(chunk))).scalars():
            line = codec.line_from_wire(json.loads(text))
            out[line.key] = line
    return out


def _would_withdraw(conn: Connection, parsed: ParsedList, communes: set[str],
                    scope: frozenset[str]) -> dict[str, list[str]]:
    """Record code → the unpaid lines of this period, agency and communes of the list that the list no longer has."""
    ln, st = schema.lines.c, schema.settled.c
    stored = conn.execute(
        select(ln.line_key, ln.list_period, ln.record_code, st.line_key.is_not(None))
        .select_from(schema.lines.outerjoin(schema.settled, st.line_key == ln.line_key))
        .where(and_(ln.commune_code.in_(sorted(communes) or ["-"]), ln.list_period == parsed.payout_period,
                    ln.withdrawn.is_(False), ln.agency.in_(sorted(scope))))
    ).all()
    person_of = {key: record for key, _, record, _ in stored}
    keys = withdrawn_keys(((key, period, bool(paid)) for key, period, _, paid in stored), parsed.payout_period,
                          (line.key for line in parsed.lines))
    out: dict[str, list[str]] = {}
    for key in keys:
        out.setdefault(person_of[key], []).append(key)
    return out


def _save_commune(conn: Connection, province: Province, commune: Commune, villages: list[Village],
                  points: list[PayoutPoint], schedule: list[ScheduleSlot]) -> None:
    table = schema.communes
    existing = conn.execute(select(table.c.places).where(table.c.code == commune.code)).scalar()
    places = codec.places_to_wire(province, [commune], villages, points, schedule)
    if existing is not None:  # keep villages, points and days the new list does not repeat
        old = json.loads(existing)
        for name, key in (("villages", "name"), ("points", "point_id"), ("schedule", None)):
            seen = {json.dumps(item, sort_keys=True) if key is None else item[key] for item in places[name]}
            for item in old.get(name, []):
                marker = json.dumps(item, sort_keys=True) if key is None else item[key]
                if marker not in seen:
                    places[name].append(item)
    values = {"name": commune.name, "province_code": province.code, "province_name": province.name,
              "district": commune.district, "places": json.dumps(places, ensure_ascii=False)}
    if existing is None:
        conn.execute(table.insert().values(code=commune.code, **values))
    else:
        conn.execute(table.update().where(table.c.code == commune.code).values(**values))


BATCH = 2_000
"""People or lines written per statement: a province's list (300,000 lines) is stored a batch at a time, so the rows
and their JSON never exist for the whole list at once beside the ``ParsedList``."""


def _save_people(conn: Connection, people: Iterable[Beneficiary], auths: dict[str, list[Any]],
                 today: dt.date | None = None, listed: dict[str, dict[str, Any]] | None = None) -> None:
    """Upsert people, a batch at a time; keep each one's suspension history (when a suspension began and ended) and
    the list and row they last came from (``listed``: given by an import; kept otherwise)."""
    day = today or VIETNAM.day_of(dt.datetime.now(dt.UTC))  # the province's day
    for batch in _chunks(list(people), BATCH):
        _save_people_batch(conn, batch, auths, day, listed or {})


def _save_people_batch(conn: Connection, people: list[Beneficiary], auths: dict[str, list[Any]],
                       day: dt.date, listed: dict[str, dict[str, Any]]) -> None:
    table = schema.people
    codes = [p.record_code for p in people]
    known: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(codes, 500):
        for code, data in conn.execute(select(table.c.record_code, table.c.data).where(table.c.record_code.in_(chunk))):
            known[code] = json.loads(data)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for person in people:
        data = codec.person_to_wire(person)
        data["authorisations"] = [codec.authorisation_to_wire(a) for a in auths.get(person.record_code, [])]
        history = codec.history_from_wire(known.get(person.record_code, {})) or ()
        data["suspensions"] = [codec.suspension_to_wire(item) for item in history_after(history, person, day)]
        source = listed.get(person.record_code) or known.get(person.record_code, {}).get("listed")
        if source:
            data["listed"] = source
        row = {"record_code": person.record_code, "commune_code": person.commune_code, "full_name": person.full_name,
               "id_number": person.id_number, "status": person.status.value, "agency": person.agency,
               "date_of_death": person.date_of_death.isoformat() if person.date_of_death else None,
               "data": json.dumps(data, ensure_ascii=False), "point_id": person.point_id}
        (updates if person.record_code in known else inserts).append(row)
    if inserts:
        conn.execute(table.insert(), inserts)
    _update_many(conn, table, "record_code", updates)


def _line_row(line: EntitlementLine, commune: str) -> dict[str, Any]:
    return {"line_key": line.key, "record_code": line.record_code, "commune_code": commune, "period": line.period,
            "list_period": line.list_period, "programme": line.programme, "regime": line.regime,
            "kind": line.kind.value, "amount": line.amount, "method": line.method.value, "withdrawn": False,
            "data": json.dumps(codec.line_to_wire(line), ensure_ascii=False), "agency": line_agency(line)}


def _save_lines(conn: Connection, new_lines: Iterable[EntitlementLine], payout_period: str, communes: set[str],
                scope: frozenset[str]) -> int:
    """Upsert lines; lines of this same period and agency the list no longer has are withdrawn (kept, marked).
    Returns how many.

    Existing lines are found by key whatever their commune: a carried-over line of a person who moved commune (or a
    re-coded commune) is updated, not inserted twice.
    """
    table = schema.lines
    people = schema.people.c
    listed: set[str] = set()
    for batch in _chunks(list(new_lines), BATCH):
        codes = sorted({line.record_code for line in batch})
        commune_of: dict[str, str] = {}
        for chunk in _chunks(codes, 500):
            for code, commune in conn.execute(select(people.record_code, people.commune_code)
                                              .where(people.record_code.in_(chunk))):
                commune_of[code] = commune
        known: set[str] = set()
        for chunk in _chunks([line.key for line in batch], 500):
            known.update(conn.execute(select(table.c.line_key).where(table.c.line_key.in_(chunk))).scalars())
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for line in batch:
            row = _line_row(line, commune_of[line.record_code])
            listed.add(line.key)
            (updates if line.key in known else inserts).append(row)
        if inserts:
            conn.execute(table.insert(), inserts)
        _update_many(conn, table, "line_key", updates)
    # Lines of this period in these communes the list no longer has (``cycle.withdrawn_keys``: unpaid ones); the
    # listed ones were just written, the others are as they were before this import.
    settled = schema.settled.c
    stored = conn.execute(
        select(table.c.line_key, table.c.list_period, settled.line_key.is_not(None))
        .select_from(table.outerjoin(schema.settled, settled.line_key == table.c.line_key))
        .where(and_(table.c.commune_code.in_(sorted(communes)), table.c.list_period == payout_period,
                    table.c.withdrawn.is_(False), table.c.agency.in_(sorted(scope))))
    ).all()
    dropped = withdrawn_keys(((key, period, bool(paid)) for key, period, paid in stored), payout_period, listed)
    for chunk in _chunks(dropped, 500):
        conn.execute(table.update().where(table.c.line_key.in_(chunk)).values(withdrawn=True))
    return len(dropped)


def _membership_rows(period: str, lines: Iterable[EntitlementLine]) -> list[dict[str, Any]]:
    return [{"list_period": period, "line_key": line.key, "record_code": line.record_code, "kind": line.kind.value,
             "programme": line.programme, "regime": line.regime, "amount": line.amount, "method": line.method.value,
             "agency": line_agency(line)}
            for line in lines]


def _save_membership(conn: Connection, period: str, new_lines: Iterable[EntitlementLine], communes: set[str],
                     scope: frozenset[str]) -> None:
    """Record which lines this month's list holds (a corrected list of one agency for the same month replaces that
    agency's lines of its communes, never another agency's)."""
    table = schema.list_lines
    for chunk in _chunks(sorted(communes), 500):
        conn.execute(table.delete().where((table.c.list_period == period) & table.c.commune_code.in_(chunk)
                                          & table.c.agency.in_(sorted(scope))))
    for batch in _chunks(list(new_lines), BATCH):
        rows = _membership_rows(period, batch)
        _place_rows(conn, rows)
        conn.execute(table.insert(), rows)


def keep_people(conn: Connection, period: str, people: Iterable[Beneficiary], communes: Iterable[str] = (),
                scope: frozenset[str] = frozenset()) -> None:
    """Keep ``people`` as the list of ``period`` has them (``schema.list_people``), replacing what was kept for that
    period about them and — a whole commune's list — about everyone the period had in ``communes`` on the lists of
    the agencies in ``scope``. A death another record of the same person recorded (another agency's list) is kept
    with them: their monthly lines after the month of death are barred in that month's figures."""
    table = schema.list_people
    people = persons.with_death_of_person(conn, list(people))  # a death another agency's record recorded
    rows = [{"list_period": period, "record_code": person.record_code, "commune_code": person.commune_code,
             "full_name": person.full_name, "status": person.status.value, "agency": person.agency,
             "date_of_death": person.date_of_death.isoformat() if person.date_of_death else None}
            for person in people]
    for chunk in _chunks(sorted(set(communes)), 500):
        conn.execute(table.delete().where((table.c.list_period == period) & table.c.commune_code.in_(chunk)
                                          & table.c.agency.in_(sorted(scope))))
    for batch in _chunks(rows, BATCH):
        for chunk in _chunks([row["record_code"] for row in batch], 500):
            conn.execute(table.delete().where((table.c.list_period == period) & table.c.record_code.in_(chunk)))
        conn.execute(table.insert(), batch)


def later_list(conn: Connection, period: str) -> bool:
    """Whether a list of a period after ``period`` has arrived (that month is then over: what was kept of it stays)."""
    t = schema.list_lines.c
    return conn.execute(select(t.list_period).where(t.list_period > period).limit(1)).first() is not None


def _place_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Fill each membership row's commune and payout point from the person."""
    codes = sorted({row["record_code"] for row in rows})
    where: dict[str, tuple[str, str | None]] = {}
    p = schema.people.c
    for chunk in _chunks(codes, 1000):
        for code, commune, point in conn.execute(select(p.record_code, p.commune_code, p.point_id)
                                                 .where(p.record_code.in_(chunk))):
            where[code] = (commune, point)
    for row in rows:
        row["commune_code"], row["point_id"] = where[row["record_code"]]


def _update_many(conn: Connection, table: Table, key: str, rows: list[dict[str, Any]]) -> None:
    """Update rows by ``key`` in one executemany (rows of one batch have the same columns)."""
    if not rows:
        return
    columns = [name for name in rows[0] if name != key]
    statement = (table.update().where(table.c[key] == bindparam("_match"))
                 .values({name: bindparam(name) for name in columns}))
    conn.execute(statement, [{"_match": row[key], **{name: row[name] for name in columns}} for row in rows])


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- amendments ------------------------------------------------------------------------------------------------------


def load_person(conn: Connection, record_code: str) -> tuple[Beneficiary, list[Any], list[EntitlementLine]]:
    row = conn.execute(select(schema.people.c.data).where(schema.people.c.record_code == record_code)).scalar()
    if row is None:
        raise AmendError(f"Không có đối tượng mã hồ sơ «{record_code}» / no person with record code {record_code}",
                         "unknown_person", record_code=record_code)
    data = json.loads(row)
    person = codec.person_from_wire(data)
    auths = [codec.authorisation_from_wire(a) for a in data.get("authorisations", [])]
    lines = [
        codec.line_from_wire(json.loads(text))
        for text in conn.execute(
            select(schema.lines.c.data).where(
                (schema.lines.c.record_code == record_code) & (schema.lines.c.withdrawn.is_(False))
            ).order_by(schema.lines.c.period, schema.lines.c.line_key)
        ).scalars()
    ]
    return person, auths, lines


def amend(
    conn: Connection,
    record_code: str,
    now: dt.datetime,
    *,
    death: dt.date | None = None,
    representative: tuple[str, str | None] | None = None,
    suspend: str | None = None,
    resume: bool = False,
    amount: tuple[str, int] | None = None,
    new_line: dict[str, Any] | None = None,
    by: str = "—",
    reason: str = "",
    source: FactSource = FactSource.CLI,
) -> Beneficiary:
    """Record a death, a suspension or its end, a representative, an amount change or a new line — each an
    append-only fact (``by``, ``reason``, ``source``) that later lists cannot silently undo — and tell the commune's
    devices. A death or a representative also has the person's stored payments judged again
    (``review.after_death``: a funeral allowance already paid to someone else is flagged)."""
    locks.lock_people(conn, [record_code])  # an upload paying this person waits, or is seen by after_death
    person, auths, person_lines = load_person(conn, record_code)
    earlier_facts = facts.facts_of(conn, [record_code]).get(record_code, [])
    dead_before = (standing_of(record_code, earlier_facts).death is not None
                   or person.status is BeneficiaryStatus.DECEASED)
    if dead_before and (suspend is not None or resume):
        raise AmendError("Đối tượng đã mất: không tạm dừng hay tiếp tục chi trả được / the person is deceased: "
                         "payments cannot be suspended or resumed", "person_deceased")
    fact = partial(Amendment, record_code, recorded_at=now, recorded_by=by or "—", source=source,
                   reason=reason.strip())
    new_facts: list[Amendment] = []
    if death is not None:
        if death > VIETNAM.day_of(now):
            raise AmendError("Ngày mất không thể sau hôm nay / the date of death cannot be in the future",
                             "death_in_future")
        given = Representative(representative[0], representative[1]) if representative else None
        rep = given or person.representative
        person = dataclasses.replace(person, status=BeneficiaryStatus.DECEASED, date_of_death=death,
                                     status_reason="Đã mất", representative=rep)
        new_facts.append(fact(FactKind.DEATH, date_of_death=death, representative=given))
    elif representative is not None:
        rep = Representative(representative[0], representative[1])
        person = dataclasses.replace(person, representative=rep)
        new_facts.append(fact(FactKind.REPRESENTATIVE, representative=rep))
    if suspend is not None:
        if not suspend.strip():
            raise AmendError("Tạm dừng cần lý do / a suspension needs a reason", "suspension_needs_reason")
        person = dataclasses.replace(person, status=BeneficiaryStatus.SUSPENDED, status_reason=suspend.strip())
        new_facts.append(fact(FactKind.SUSPENSION, reason=suspend.strip()))
    if resume:
        if person.status is not BeneficiaryStatus.SUSPENDED:
            raise AmendError("Đối tượng không bị tạm dừng / the person is not suspended", "not_suspended")
        person = dataclasses.replace(person, status=BeneficiaryStatus.ACTIVE, status_reason="")
        new_facts.append(fact(FactKind.RESUMPTION))
    changed_lines: list[EntitlementLine] = []
    if amount is not None:
        key, value = amount
        if value < 0:
            raise AmendError("Số tiền phải không âm / the amount must not be negative", "negative_amount")
        match = [line for line in person_lines if line.key == key]
        if not match:
            raise AmendError(f"Đối tượng không có khoản «{key}» / the person has no line {key}", "unknown_line",
                             line=key)
        changed_lines.append(dataclasses.replace(match[0], amount=value))
        new_facts.append(fact(FactKind.AMOUNT, line_key=key, amount=value))
    if new_line is not None:
        try:
            period = new_line["period"]
            line = EntitlementLine(
                key=line_key(new_line.get("line_id"), record_code, period, new_line["programme"], new_line["regime"]),
                record_code=record_code, period=period, list_period=new_line.get("list_period", period),
                programme=new_line["programme"], regime=new_line["regime"], kind=LineKind(new_line["kind"]),
                amount=int(new_line["amount"]), method=PaymentMethod(new_line.get("method", "cash")),
                line_id=new_line.get("line_id"), note=new_line.get("note", ""),
            )
        except (KeyError, ValueError) as error:
            raise AmendError(f"Khoản mới không hợp lệ / bad new line: {error}", "bad_new_line") from error
        if line.amount < 0:
            raise AmendError("Số tiền phải không âm / the amount must not be negative", "negative_amount")
        if any(existing.key == line.key for existing in person_lines):
            raise AmendError(f"Khoản «{line.key}» đã có / line {line.key} already exists", "line_exists",
                             line=line.key)
        changed_lines.append(line)
        new_facts.append(fact(FactKind.NEW_LINE, line=line))
    person = _with_standing_status(person, standing_of(record_code, [*earlier_facts, *new_facts]))
    _save_people(conn, [person], {record_code: auths}, VIETNAM.day_of(now))
    _save_changed_lines(conn, person.commune_code, changed_lines)
    for item in new_facts:
        facts.record_fact(conn, item)
    publish_person(conn, record_code, now)
    if death is not None or representative is not None:  # who may receive a dead person's allowance changed
        review.after_death(conn, [record_code], now)
    return person


def _with_standing_status(person: Beneficiary, standing: Standing) -> Beneficiary:
    """The person's status as their facts have it once an amendment is added: a standing death always wins (a
    suspension recorded with it, or before it, never makes a dead person payable again)."""
    death = standing.death
    if death is None:
        return person
    return dataclasses.replace(person, status=BeneficiaryStatus.DECEASED,
                               date_of_death=death.date_of_death or person.date_of_death, status_reason="Đã mất")


def _save_changed_lines(conn: Connection, commune: str, changed_lines: list[EntitlementLine],
                        membership_too: bool = True) -> None:
    """Store lines an amendment or a decision changed, and (for an amendment) the list membership of each."""
    for row in (_line_row(line, commune) for line in changed_lines):
        exists = conn.execute(select(schema.lines.c.line_key).where(schema.lines.c.line_key == row["line_key"])).first()
        if exists:
            conn.execute(schema.lines.update().where(schema.lines.c.line_key == row["line_key"]).values(**row))
        else:
            conn.execute(schema.lines.insert().values(**row))
    if not membership_too:
        return
    membership = schema.list_lines
    for line in changed_lines:
        conn.execute(membership.delete().where((membership.c.list_period == line.list_period)
                                               & (membership.c.line_key == line.key)))
        rows = _membership_rows(line.list_period, [line])
        _place_rows(conn, rows)
        conn.execute(membership.insert(), rows)


def decide(conn: Connection, contradiction_id: int, choice: Choice, reason: str, by: str,
           now: dt.datetime) -> Contradiction:
    """An officer's explicit choice about a contradiction: keep the amendment (the lines it held are released at the
    standing value), or accept the list's value (with a reason), which becomes a new amendment. The devices receive
    the person again; a changed date of death or representative has the person's payments judged again."""
    found = facts.recorded(conn, contradiction_id)
    if found is None:
        raise AmendError(f"Không có mâu thuẫn số {contradiction_id} / no contradiction {contradiction_id}",
                         "unknown_contradiction", number=str(contradiction_id))
    if not found.open:
        raise AmendError(f"Mâu thuẫn số {contradiction_id} đã được quyết định / contradiction {contradiction_id} "
                         "was already decided", "already_decided", number=str(contradiction_id))
    if choice is Choice.ACCEPT and not reason.strip():
        raise AmendError("Theo danh sách cần ghi lý do / accepting the list's value needs a reason",
                         "decision_needs_reason")
    contradiction = found.contradiction
    locks.lock_people(conn, [contradiction.record_code])
    stands = facts.standing(conn, contradiction.record_code)
    now_stands = standing_fact(contradiction, stands)
    if superseded(contradiction, stands):
        vi = fact_words(now_stands) if now_stands is not None else "không còn điều chỉnh nào"
        en = fact_words(now_stands, "en") if now_stands is not None else "no amendment any more"
        raise AmendError(f"Mâu thuẫn số {contradiction_id}: điều chỉnh đã thay đổi từ khi nhập danh sách, nay đang giữ "
                         f"{vi} / contradiction {contradiction_id}: the amendment changed since the list was "
                         f"imported; now stands: {en}", "contradiction_superseded", number=str(contradiction_id),
                         stands_vi=vi, stands_en=en)
    new_fact = None
    if choice is Choice.ACCEPT:
        new_fact = facts.record_fact(conn, accepting(contradiction, at=now, by=by, reason=reason.strip()))
    person, auths, person_lines = load_person(conn, contradiction.record_code)
    still_open = [item.contradiction for item in facts.of_people(conn, [contradiction.record_code]) if item.open]
    person, lines, withdraw = after_decision(contradiction, choice, person, person_lines, still_open)
    _save_people(conn, [person], {person.record_code: auths}, VIETNAM.day_of(now))
    _save_changed_lines(conn, person.commune_code, [line for line in lines if line not in person_lines],
                        membership_too=False)
    for key in withdraw:
        conn.execute(schema.lines.update().where(schema.lines.c.line_key == key).values(withdrawn=True))
    facts.record_decision(conn, contradiction_id, choice, reason.strip(), by, now,
                          new_fact.fact_id if new_fact else None)
    publish_person(conn, person.record_code, now)
    if new_fact is not None and new_fact.kind in (FactKind.DEATH, FactKind.REPRESENTATIVE):
        review.after_death(conn, [person.record_code], now)
    return contradiction


def publish_person(conn: Connection, record_code: str, now: dt.datetime, *, moved_from: str | None = None) -> None:
    """Put one person's current record and lines on the feed (an amendment fragment).

    ``moved_from``: the commune a new list moved the person out of. The same fragment goes to that commune's devices
    too, with the new commune and the person's payout point, so they learn the person moved: their unpaid lines follow
    the person, and the old commune's tellers can no longer pay them (``wrong_commune``): a line is never payable in
    two places (``docs/CYCLE.md``, "People who move")."""
    person, auths, person_lines = load_person(conn, record_code)
    province, commune, places = commune_parts(conn, person.commune_code)
    payout_period = max((line.list_period for line in person_lines), default=now.strftime("%Y-%m"))
    if person_lines and not later_list(conn, payout_period):  # an amendment while the person's list is the newest
        keep_people(conn, payout_period, [person])
    keep_records(conn, persons.persons_of(conn, [record_code]) - {record_code})  # a death is the person's
    fragment = ParsedList(
        source="amendment", sha256="", payout_period=payout_period, province=province, communes=(commune,),
        villages=(), points=(), schedule=(), beneficiaries=(person,), authorisations=tuple(auths),
        lines=tuple(person_lines),
    )
    wire = codec.fragment_to_wire(fragment, whole_commune=False)
    if moved_from is None:
        feed.add(conn, constants.CHANGE_LIST, wire, commune=person.commune_code, at=format_timestamp(now))
    elif moved_from != person.commune_code:  # the new commune has the person from its own list's fragment
        wire["points"] = [point for point in places.get("points", []) if point.get("point_id") == person.point_id]
        feed.add(conn, constants.CHANGE_LIST, wire, commune=moved_from, at=format_timestamp(now))


def keep_records(conn: Connection, record_codes: Iterable[str]) -> None:
    """Keep these records again as their newest list has them, while it is the newest (what that month says about
    them changes with a death another record of the person recorded, or a decision that they are one person)."""
    for code in sorted(set(record_codes)):
        row = person_row(conn, code)
        if row is None:
            continue
        person, _auths, person_lines = load_person(conn, code)
        if not person_lines:
            continue
        period = max(line.list_period for line in person_lines)
        if not later_list(conn, period):
            keep_people(conn, period, [person])


def commune_parts(conn: Connection, code: str) -> tuple[Province, Commune, dict[str, Any]]:
    row = conn.execute(select(schema.communes).where(schema.communes.c.code == code)).mappings().first()
    if row is None:
        raise AmendError(f"Không có xã mã «{code}» / no commune {code}", "unknown_commune", commune=code)
    province = Province(row["province_code"], row["province_name"])
    return province, Commune(row["code"], row["name"], row["province_code"], row["district"]), json.loads(row["places"])


def commune_codes(conn: Connection) -> list[str]:
    return list(conn.execute(select(schema.communes.c.code).order_by(schema.communes.c.code)).scalars())


def commune_names(conn: Connection) -> list[tuple[str, str]]:
    """Every commune as (code, name), by code."""
    c = schema.communes.c
    return [(code, name) for code, name in conn.execute(select(c.code, c.name).order_by(c.code))]


def commune_name(conn: Connection, code: str) -> str | None:
    """A commune's name, or None for a code the province does not hold."""
    return conn.execute(select(schema.communes.c.name).where(schema.communes.c.code == code)).scalar()


def person_row(conn: Connection, record_code: str) -> dict[str, Any] | None:
    """A beneficiary's stored row (commune, status, the person's data as JSON), or None."""
    row = conn.execute(select(schema.people).where(schema.people.c.record_code == record_code)).mappings().first()
    return dict(row) if row is not None else None


def listed_on(row: dict[str, Any] | None) -> dict[str, Any]:
    """The list a stored record last came from: ``source`` (the file), ``period`` and the first ``row`` of its lines
    there ({} for a record an amendment added, or one stored before the server kept it)."""
    if not row:
        return {}
    listed = json.loads(row["data"]).get("listed")
    return dict(listed) if isinstance(listed, dict) else {}


def recent_imports(conn: Connection, limit: int = 50, agency: str | None = None) -> list[Any]:
    """The latest list imports first (the console's lists page); an agency's own only, when given."""
    i = schema.list_imports.c
    query = select(schema.list_imports).order_by(i.import_id.desc()).limit(limit)
    if agency is not None:
        query = query.where(i.agency == agency)
    return list(conn.execute(query).mappings().all())


def snapshot_fragment(conn: Connection, code: str) -> dict[str, Any]:
    """A whole commune as it stands now (for a device that gains the commune after the feed went past it)."""
    _province, _commune, places = commune_parts(conn, code)
    people_rows = conn.execute(select(schema.people.c.data).where(schema.people.c.commune_code == code)).scalars()
    people = [json.loads(text) for text in people_rows]
    line_rows = conn.execute(
        select(schema.lines.c.data).where((schema.lines.c.commune_code == code) & schema.lines.c.withdrawn.is_(False))
    ).scalars()
    lines = [json.loads(text) for text in line_rows]
    fragment = dict(places)
    fragment.update({
        "source": "snapshot", "sha256": "", "whole_commune": False,
        "payout_period": max((line["list_period"] for line in lines), default=""),
        "people": [{k: v for k, v in p.items() if k not in ("authorisations", "listed")} for p in people],
        "authorisations": [a for p in people for a in p.get("authorisations", [])],
        "lines": lines,
    })
    return fragment


def add_person(conn: Connection, person: Beneficiary, now: dt.datetime, *, by: str = "—", reason: str = "",
               source: FactSource = FactSource.CLI) -> Beneficiary:
    """A new beneficiary (decided by the province) in a commune the server knows; lines are added as amendments."""
    commune_parts(conn, person.commune_code)  # raises for an unknown commune
    exists = conn.execute(select(schema.people.c.record_code).where(schema.people.c.record_code == person.record_code))
    if exists.first():
        raise AmendError(f"Mã hồ sơ «{person.record_code}» đã có / record code {person.record_code} exists",
                         "record_exists", record_code=person.record_code)
    _save_people(conn, [person], {}, VIETNAM.day_of(now))
    facts.record_fact(conn, Amendment(person.record_code, FactKind.NEW_PERSON, now, by or "—", source,
                                      reason.strip()))
    publish_person(conn, person.record_code, now)
    return person


def find_people(conn: Connection, text_query: str, communes: list[str] | None, limit: int = 30,
                agency: str | None = None) -> list[dict[str, Any]]:
    """People by record code (any agency's), ID number or name (folded, any order), within an officer's communes
    (and agency: its records, and records from before lists named their agency)."""

    p = schema.people.c
    query = select(p.record_code, p.full_name, p.commune_code, p.status, p.date_of_death, p.id_number, p.agency)
    if communes is not None:
        query = query.where(p.commune_code.in_(communes or ["-"]))
    if agency is not None:
        query = query.where(p.agency.in_([agency, ""]))
    needle = text_query.strip()
    if not needle:
        return []
    exact = conn.execute(query.where((p.record_code == needle.upper()) | (p.id_number == needle))).mappings().all()
    if exact:
        return [dict(row) for row in exact]
    tokens = fold(needle).split()
    found = [dict(row) for row in conn.execute(query).mappings()
             if all(token in fold(row["full_name"]) for token in tokens)]
    found.sort(key=lambda row: (person_name_key(row["full_name"]), row["record_code"]))  # Vietnamese order
    return found[:limit]
