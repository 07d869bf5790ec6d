"""Importing a payout list into the store: all or nothing, never touching a paid line.

A re-import of the same list changes nothing; a changed list for the same period updates unpaid lines and reports
each change; next month's list adds the new period (carried-over lines keep their key and original period) without
touching paid history.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, text

from app.domain.amendments import Contradiction, kept_before, reconcile
from app.domain.cycle import withdrawn_keys
from app.domain.errors import BadInputError
from app.domain.identity import IdentityConflict
from app.domain.model import Authorisation, Beneficiary, EntitlementLine, person_values
from app.domain.policy import PolicyReference
from app.domain.reconciliation import ListReconciliation, reconcile_list
from app.domain.text import fold, fold_tokens, person_name_bytes
from app.lists.parsed import ListWarning, ParsedList
from app.lists.policy import load_policy
from app.lists.reader import read_list
from app.store import database
from app.store.rows import PERSON_FIELDS
from app.store.rows import line_params as _line_params

if TYPE_CHECKING:
    from app.store.store import Store

_Item = TypeVar("_Item")


@dataclass(frozen=True)
class LineChange:
    key: str
    record_code: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RefusedRecord:
    """A row the list brought for a record code another agency's record already holds: refused, the rest imported.
    Record codes are unique across agencies; the same code on two agencies' lists is a mistake to be corrected at the
    source, never a reason to move a pension onto the Department's record or the other way round."""

    row: int
    record_code: str
    full_name: str
    agency: str
    held_by_agency: str
    held_name: str

    def message(self, lang: str = "vi") -> str:
        from app.domain.messages import render
        from app.lists.policy import load_policy

        return render("record_code_of_other_agency", lang, {
            "row": self.row or "?", "record_code": self.record_code,
            "agency": load_policy().agency_name(self.held_by_agency, lang), "name": self.held_name})


@dataclass(frozen=True)
class ImportConflict:
    """A record of the list with the personal number of another record but another name or birth year: reported,
    never merged; both stay payable on their own until a supervisor or officer links them."""

    row: int
    """The list's row of ``listed_code`` (0 when unknown, e.g. a list from the province's feed)."""
    id_number: str
    listed_code: str
    listed_name: str
    listed_birth_year: int | None
    other_code: str
    other_name: str
    other_birth_year: int | None
    differs: tuple[str, ...]
    """What differs: "full_name", "birth_year"."""

    def message(self, lang: str = "vi") -> str:
        from app.domain.messages import render

        differs = ", ".join(render(f"differs_{name}", lang, {}) for name in self.differs)
        return render("identity_conflict_line", lang, {
            "row": self.row or "?", "id_number": self.id_number, "listed_name": self.listed_name,
            "listed_code": self.listed_code, "other_name": self.other_name, "other_code": self.other_code,
            "differs": differs})


@dataclass(frozen=True)
class ImportReport:
    """What an import did, line by line."""

    payout_period: str
    source: str
    people_added: int = 0
    people_updated: int = 0
    lines_added: int = 0
    lines_unchanged: int = 0
    changes: tuple[LineChange, ...] = field(default_factory=tuple)
    kept_paid: tuple[LineChange, ...] = field(default_factory=tuple)
    removed: tuple[str, ...] = field(default_factory=tuple)
    warnings: tuple[ListWarning, ...] = field(default_factory=tuple)
    """The list's warnings (e.g. a zero amount), the first ones by row; ``warnings_total`` counts them all."""
    warnings_total: int = 0
    contradictions: tuple[Contradiction, ...] = field(default_factory=tuple)
    """Where the list contradicts standing facts (the standing values were kept; numbered for a decision)."""
    reconciliation: ListReconciliation | None = None
    """The list reconciled with itself: cash per payout point + accounts + lines not payable as listed, by person
    (``app.domain.reconciliation``), against its own "Tổng cộng" when it has one."""
    refused: tuple[RefusedRecord, ...] = field(default_factory=tuple)
    """Rows refused because their record code belongs to another agency's record."""
    conflicts: tuple[ImportConflict, ...] = field(default_factory=tuple)
    """The list's records with another record's personal number but another name or birth year."""

    @property
    def lines_changed(self) -> int:
        return len({change.key for change in self.changes})

    @property
    def changed_anything(self) -> bool:
        return bool(self.people_added or self.people_updated or self.lines_added or self.changes or self.removed)


_LINE_FIELDS = ("amount", "method", "kind", "note", "line_id", "list_period", "hold")
_LINE_FIELD_INDEX = {name: index for index, name in enumerate(_LINE_FIELDS)}

_PERSON_SQL = text(
    """INSERT INTO beneficiaries (record_code, full_name, commune_code, category, birth_year, gender, id_number,
        village, point_id, status, status_reason, date_of_death, representative_name, representative_id_number,
        agency, name_key)
    VALUES (:record_code, :full_name, :commune_code, :category, :birth_year, :gender, :id_number, :village,
        :point_id, :status, :status_reason, :date_of_death, :representative_name, :representative_id_number,
        :agency, :name_key)
    ON CONFLICT (record_code) DO UPDATE SET full_name = excluded.full_name, name_key = excluded.name_key,
        commune_code = excluded.commune_code,
        category = excluded.category, birth_year = excluded.birth_year, gender = excluded.gender,
        id_number = excluded.id_number, village = excluded.village, point_id = excluded.point_id,
        status = excluded.status, status_reason = excluded.status_reason, date_of_death = excluded.date_of_death,
        representative_name = excluded.representative_name,
        representative_id_number = excluded.representative_id_number, agency = excluded.agency"""
)


class ListService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def import_file(self, path: Path | str, payout_period: str | None = None,
                    agency: str | None = None) -> ImportReport:
        """Read, validate and import a list file (raises ``ListImportError`` / ``BadInputError``, importing nothing);
        ``agency`` says whose list it is (else the reader detects it from the layout).

        Once the device is enrolled, lists come from the province server only: a local import is refused.
        """
        if self.store.meta("server_url"):
            raise BadInputError("enrolled_lists_from_server", server=self.store.meta("server_url"))
        parsed = read_list(path, policy=load_policy(), payout_period=payout_period, agency=agency)
        report = self.import_parsed(parsed)
        return dataclasses.replace(report, warnings=parsed.warnings, warnings_total=parsed.warnings_total)

    def import_parsed(self, parsed: ParsedList) -> ImportReport:
        """Apply a validated list in one transaction, held against the standing facts (a desk without a province
        server): the deaths and suspensions earlier lists recorded and the values a supervisor accepted stand; the
        list may add a death or a suspension (recorded as facts) but never lift one, and what it contradicts is
        kept, recorded and reported (``ImportReport.contradictions``) for a supervisor to decide."""
        from app.store import amendments, persons

        now = self.store.clock()
        with database.write(self.store.engine) as conn:
            parsed, refused = refuse_other_agencies(conn, parsed)
            codes = [person.record_code for person in parsed.beneficiaries]
            earlier = amendments.of_people(conn, codes)
            reconciled = reconcile(parsed.beneficiaries, parsed.lines, amendments.standings(conn, codes),
                                   list_period=parsed.payout_period, source=parsed.source, at=now,
                                   kept=kept_before(amendments.decided(earlier)), clock=self.store.province_time)
            report = apply_list(conn, replace(parsed, beneficiaries=reconciled.people, lines=reconciled.lines),
                                now.isoformat(), agencies_checked=True)
            for fact in reconciled.facts:
                amendments.record_fact(conn, fact)
            found = amendments.record_contradictions(conn, reconciled.contradictions, earlier, now)
            grouping = persons.regroup(conn, now, (person.record_code for person in parsed.beneficiaries))
            conflicts = import_conflicts(grouping.conflicts, parsed)
        return replace(report, contradictions=found, refused=refused, conflicts=conflicts,
                       reconciliation=reconcile_list(
            parsed.payout_period, reconciled.people, reconciled.lines,
            point_names={point.point_id: point.name for point in parsed.points}, stated_total=parsed.stated_total))


def _agencies_of_records(parsed: ParsedList, policy: PolicyReference) -> dict[str, str]:
    """Each record's agency: its own, else its list's, else — a list from before lists named their agency — the one
    agency of its lines' programmes ("" when they name several: a legacy list carrying two agencies' money). One pass
    over the lines, whatever the list's size."""
    by_lines: dict[str, set[str]] = {}
    if not parsed.agency:
        for line in parsed.lines:
            by_lines.setdefault(line.record_code, set()).add(policy.agency_of(line.programme))
    out = {}
    for person in parsed.beneficiaries:
        named = person.agency or parsed.agency
        found = by_lines.get(person.record_code, set())
        out[person.record_code] = named or (next(iter(found)) if len(found) == 1 else "")
    return out


def _first_rows(parsed: ParsedList) -> dict[str, int]:
    rows: dict[str, int] = {}
    for line in parsed.lines:
        row = parsed.row_of_line.get(line.key)
        if row is not None and (line.record_code not in rows or row < rows[line.record_code]):
            rows[line.record_code] = row
    return rows


def refuse_other_agencies(conn: Connection, parsed: ParsedList) -> tuple[ParsedList, tuple[RefusedRecord, ...]]:
    """``parsed`` with each record's agency filled in (``_agencies_of_records``) and without the records whose code
    another agency's record already holds (with their lines and letters), and those refused rows."""
    policy = load_policy()
    agencies = _agencies_of_records(parsed, policy)
    held: dict[str, tuple[str, str]] = {}
    codes = list(agencies)
    for start in range(0, len(codes), BATCH):
        held.update((code, (agency or "", name)) for code, agency, name in conn.execute(text(
            "SELECT record_code, agency, full_name FROM beneficiaries WHERE record_code IN "
            "(SELECT value FROM json_each(:codes))"), {"codes": _json_list(codes[start:start + BATCH])}))
    rows = _first_rows(parsed)
    refused: list[RefusedRecord] = []
    kept: list[Beneficiary] = []
    for person in parsed.beneficiaries:
        agency = agencies[person.record_code]
        other_agency, other_name = held.get(person.record_code, ("", ""))
        if agency and other_agency and other_agency != agency:
            refused.append(RefusedRecord(rows.get(person.record_code, 0), person.record_code, person.full_name,
                                         agency, other_agency, other_name))
        else:
            agency = agency or other_agency  # a list that does not say keeps the agency the record has
            kept.append(person if person.agency == agency else replace(person, agency=agency))
    if refused:
        gone = {item.record_code for item in refused}
        parsed = replace(parsed, lines=tuple(line for line in parsed.lines if line.record_code not in gone),
                         authorisations=tuple(a for a in parsed.authorisations if a.record_code not in gone))
    return replace(parsed, beneficiaries=tuple(kept)), tuple(refused)


def import_conflicts(conflicts: Iterable[IdentityConflict], parsed: ParsedList) -> tuple[ImportConflict, ...]:
    """The conflicts naming a record of ``parsed``, seen from that record (its row, then the other record)."""
    listed = {person.record_code for person in parsed.beneficiaries}
    rows = _first_rows(parsed)
    out = []
    for item in conflicts:
        for mine, other in ((item.first, item.second), (item.second, item.first)):
            if mine.record_code in listed:
                out.append(ImportConflict(rows.get(mine.record_code, 0), item.id_number, mine.record_code,
                                          mine.full_name, mine.birth_year, other.record_code, other.full_name,
                                          other.birth_year, item.differs_in))
                break
    return tuple(sorted(out, key=lambda conflict: (conflict.row, conflict.listed_code)))


def scope_agencies(parsed: ParsedList, policy: PolicyReference) -> frozenset[str] | None:
    """The agencies whose lines a whole-commune list replaces: its own; a list from before lists named their agency
    replaces those of its lines' programmes (None — every agency, as before — when it has no lines at all)."""
    if parsed.agency:
        return frozenset((parsed.agency,))
    found = frozenset(policy.agency_of(line.programme) for line in parsed.lines)
    return found or None


def _search_params(person_id: int, person: Any) -> dict[str, Any]:
    return {
        "id": person_id,
        "name": fold(person.full_name),
        "codes": " ".join([*fold_tokens(person.record_code), person.id_number or ""]).strip(),
        "village": fold(person.village or ""),
    }


_PERSON_COLUMNS = PERSON_FIELDS[1:]


def _save_places(conn: Connection, parsed: ParsedList) -> None:
    """Upsert the province, communes, villages, payout points and payout days the list names."""
    conn.execute(
        text("INSERT INTO provinces (code, name) VALUES (:code, :name) "
             "ON CONFLICT (code) DO UPDATE SET name = excluded.name"),
        {"code": parsed.province.code, "name": parsed.province.name},
    )
    for commune in parsed.communes:
        conn.execute(
            text(
                "INSERT INTO communes (code, name, province_code, district) "
                "VALUES (:code, :name, :province, :district) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, district = excluded.district"
            ),
            {"code": commune.code, "name": commune.name, "province": commune.province_code,
             "district": commune.district},
        )
    if parsed.villages:
        conn.execute(
            text("INSERT OR IGNORE INTO villages (commune_code, name) VALUES (:commune, :name)"),
            [{"commune": village.commune_code, "name": village.name} for village in parsed.villages],
        )
    for point in parsed.points:
        conn.execute(
            text(
                "INSERT INTO payout_points (point_id, commune_code, name, address) "
                "VALUES (:id, :commune, :name, :address) "
                "ON CONFLICT (point_id) DO UPDATE SET name = excluded.name, address = excluded.address"
            ),
            {"id": point.point_id, "commune": point.commune_code, "name": point.name, "address": point.address},
        )
    for slot in parsed.schedule:
        conn.execute(
            text(
                'INSERT INTO schedule (point_id, day, start, "end") VALUES (:point, :day, :start, :end) '
                'ON CONFLICT (point_id, day) DO UPDATE SET start = excluded.start, "end" = excluded."end"'
            ),
            {
                "point": slot.point_id,
                "day": slot.day.isoformat(),
                "start": slot.start.strftime("%H:%M"),
                "end": slot.end.strftime("%H:%M"),
            },
        )


def _json_list(values: Iterable[str]) -> str:
    """Keys for ``IN (SELECT value FROM json_each(:keys))``: one statement and one parameter for any number of keys
    (a whole province's list, or one person), where ``IN (:v0, :v1, …)`` needs a statement per 500 keys."""
    return json.dumps(list(values), ensure_ascii=False)


_PEOPLE_SQL = text(
    f"SELECT record_code, {', '.join(_PERSON_COLUMNS)} FROM beneficiaries "
    "WHERE record_code IN (SELECT value FROM json_each(:codes))"
)
_IDS_SQL = text("SELECT record_code, person_id FROM beneficiaries "
                "WHERE record_code IN (SELECT value FROM json_each(:codes))")


BATCH = 2_000
"""People or lines written per statement: a province's list (300,000 lines) is applied a batch at a time, so the
statements' parameters never hold the whole list a second time beside the ``ParsedList``."""


def _batches(items: Sequence[_Item]) -> Iterator[Sequence[_Item]]:
    for start in range(0, len(items), BATCH):
        yield items[start: start + BATCH]


def _apply_people(conn: Connection, parsed: ParsedList) -> tuple[int, int]:
    """Insert new people and update changed ones (and their search rows), a batch at a time; returns (added,
    updated). Only the list's people are read: an amendment about one person reads one row, not the province."""
    added = updated = 0
    for batch in _batches(parsed.beneficiaries):
        batch_added, batch_updated = _apply_people_batch(conn, batch)
        added += batch_added
        updated += batch_updated
    return added, updated


def _apply_people_batch(conn: Connection, people: Sequence[Beneficiary]) -> tuple[int, int]:
    existing = {
        row[0]: tuple(row[1:])
        for row in conn.execute(_PEOPLE_SQL, {"codes": _json_list(person.record_code for person in people)})
    }
    new_people, changed_people = [], []
    for person in people:
        params = person_values(person)
        known = existing.get(person.record_code)
        if known is None:
            new_people.append((person, params))
        elif known != tuple(params[name] for name in _PERSON_COLUMNS):
            changed_people.append((person, params))
    touched = new_people + changed_people
    if not touched:
        return 0, 0
    # the name as bytes that sort in Vietnamese order (given name first): the desk lists a point by it in SQL
    conn.execute(_PERSON_SQL,
                 [{**params, "name_key": person_name_bytes(person.full_name)} for person, params in touched])
    codes = _json_list(person.record_code for person, _ in touched)
    ids: dict[str, int] = dict(conn.execute(_IDS_SQL, {"codes": codes}).all())
    if changed_people:
        conn.execute(
            text("DELETE FROM person_search WHERE rowid = :id"),
            [{"id": ids[person.record_code]} for person, _ in changed_people],
        )
    conn.execute(
        text("INSERT INTO person_search (rowid, name, codes, village) VALUES (:id, :name, :codes, :village)"),
        [_search_params(ids[person.record_code], person) for person, _ in touched],
    )
    return len(new_people), len(changed_people)


def _save_authorisations(conn: Connection, authorisations: Iterable[Authorisation]) -> None:
    for authorisation in authorisations:
        conn.execute(
            text(
                "INSERT INTO authorisations "
                "(record_code, number, proxy_name, proxy_id_number, valid_from, valid_until) "
                "VALUES (:rc, :number, :name, :id, :since, :until) ON CONFLICT (record_code, number) DO UPDATE SET "
                "proxy_name = excluded.proxy_name, proxy_id_number = excluded.proxy_id_number, "
                "valid_from = excluded.valid_from, valid_until = excluded.valid_until"
            ),
            {
                "rc": authorisation.record_code,
                "number": authorisation.number,
                "name": authorisation.proxy_name,
                "id": authorisation.proxy_id_number,
                "since": authorisation.valid_from.isoformat() if authorisation.valid_from else None,
                "until": authorisation.valid_until.isoformat(),
            },
        )


@dataclass(frozen=True, slots=True)
class _StoredLine:
    """A line already in the store that the list may change: its fields as stored (``_LINE_FIELDS`` order) and
    whether a payment settled it. A tuple, not a dict: a province's re-import holds 300,000 of them."""

    values: tuple[Any, ...]
    settled: bool

    def field(self, name: str) -> Any:
        return self.values[_LINE_FIELD_INDEX[name]]


_STORED_LINES = (
    "SELECT l.line_key, l.amount, l.method, l.kind, l.note, l.line_id, l.list_period, l.hold, s.entry_id, "
    "b.agency, l.programme "
    "FROM entitlement_lines l JOIN beneficiaries b ON b.record_code = l.record_code "
    "LEFT JOIN line_settlements s ON s.line_key = l.line_key WHERE {} IN (SELECT value FROM json_each(:keys)) "
    "ORDER BY l.rowid"
)
_LINES_OF_COMMUNES = text(_STORED_LINES.format("b.commune_code"))
_LINES_OF_PEOPLE = text(_STORED_LINES.format("l.record_code"))


def _stored_lines(conn: Connection, parsed: ParsedList, whole_communes: bool) -> dict[str, _StoredLine]:
    """The stored lines this list can change: those of its people, and — for whole communes — of its communes, of
    its agencies only (``scope_agencies``: BHXH's list never withdraws the Department's lines of the same commune and
    month; a line's agency is its record's, or for a record from before lists named their agency, its programme's).

    A corrected list withdraws the lines of its period it no longer has, so a whole-commune list reads the commune's
    lines; an amendment (``whole_communes`` False) reads only its people's. Read after the people are saved, so a
    person who moved is found under the new commune. In the order they were first stored.
    """
    policy = load_policy()
    communes = {commune.code for commune in parsed.communes} if whole_communes else set()
    scope = scope_agencies(parsed, policy)
    people = [person.record_code for person in parsed.beneficiaries if person.commune_code not in communes]
    stored: dict[str, _StoredLine] = {}
    for statement, keys in ((_LINES_OF_COMMUNES, sorted(communes)), (_LINES_OF_PEOPLE, people)):
        if keys:
            for row in conn.execute(statement, {"keys": _json_list(keys)}):
                if statement is _LINES_OF_COMMUNES and scope is not None and \
                        (row[9] or policy.agency_of(row[10])) not in scope:
                    continue  # another agency's line of the commune: its own list decides it
                stored[row[0]] = _StoredLine(tuple(row[1:8]), bool(row[8]))
    return stored


@dataclass
class _LinePlan:
    """What the list does to each of its lines: added, updated while unpaid, left as is, or kept because paid."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    written: int = 0
    """Lines inserted by the batches written so far."""
    unchanged: int = 0
    changes: list[LineChange] = field(default_factory=list)
    kept_paid: list[LineChange] = field(default_factory=list)


def _plan_lines(lines: Iterable[EntitlementLine], stored: dict[str, _StoredLine], plan: _LinePlan,
                first_position: int = 0) -> None:
    """Compare each listed line with the stored one, into ``plan``; takes from ``stored`` every line the list has (the
    rest may be withdrawn). A paid line is never changed: its differences in amount or method are reported as kept."""
    for position, line in enumerate(lines, start=first_position):
        params = _line_params(line, position)
        old = stored.pop(line.key, None)
        if old is None:
            plan.inserts.append(params)
            continue
        diffs = [
            LineChange(line.key, line.record_code, name, old.values[index], params[name])
            for index, name in enumerate(_LINE_FIELDS)
            if old.values[index] != params[name] and name not in ("list_period", "hold")
        ]
        held_changed = old.field("hold") != params["hold"]
        if old.settled:
            plan.kept_paid.extend(diff for diff in diffs if diff.field in ("amount", "method"))
            continue
        if not diffs and not held_changed and old.field("list_period") == params["list_period"]:
            plan.unchanged += 1
            continue
        plan.updates.append(params)
        if diffs:
            plan.changes.extend(diffs)
        else:
            plan.unchanged += 1  # carried to a newer list unchanged


def _write_lines(conn: Connection, plan: _LinePlan) -> None:
    """Write the batch of inserts and updates ``plan`` holds, then empty it (its counts and changes stay)."""
    if plan.updates:
        conn.execute(
            text(
                "UPDATE entitlement_lines SET line_id = :line_id, list_period = :list_period, kind = :kind, "
                "amount = :amount, method = :method, note = :note, position = :position, hold = :hold "
                "WHERE line_key = :line_key"
            ),
            plan.updates,
        )
    if plan.inserts:
        conn.execute(
            text(
                "INSERT INTO entitlement_lines "
                "(line_key, line_id, record_code, period, list_period, programme, regime, "
                "kind, amount, method, note, position, hold) VALUES (:line_key, :line_id, :record_code, :period, "
                ":list_period, :programme, :regime, :kind, :amount, :method, :note, :position, :hold)"
            ),
            plan.inserts,
        )
    plan.written += len(plan.inserts)
    plan.inserts.clear()
    plan.updates.clear()


def _withdraw(conn: Connection, unlisted: dict[str, _StoredLine], payout_period: str) -> list[str]:
    """Delete the unpaid lines of ``payout_period`` that a corrected list no longer has; returns their keys."""
    removed = withdrawn_keys(((key, old.field("list_period"), old.settled) for key, old in unlisted.items()),
                             payout_period, ())
    if removed:
        conn.execute(text("DELETE FROM entitlement_lines WHERE line_key = :key"), [{"key": key} for key in removed])
    return removed


def _record_import(conn: Connection, parsed: ParsedList, now: str, report: ImportReport) -> None:
    conn.execute(
        text(
            "INSERT INTO list_imports (payout_period, source, sha256, imported_at, added, changed, removed, kept_paid) "
            "VALUES (:period, :source, :sha, :at, :added, :changed, :removed, :kept)"
        ),
        {
            "period": parsed.payout_period,
            "source": parsed.source,
            "sha": parsed.sha256,
            "at": now,
            "added": report.lines_added,
            "changed": report.lines_changed,
            "removed": len(report.removed),
            "kept": len(report.kept_paid),
        },
    )


def _keep(conn: Connection, parsed: ParsedList, whole_communes: bool) -> None:
    """Keep the list as applied for its period (``app.store.kept``). An amendment about some people is kept in its
    period only while no later list has arrived: a month already followed by another prints as it was."""
    from app.store import kept

    if whole_communes:
        kept.keep(conn, parsed.payout_period, parsed.beneficiaries, parsed.lines,
                  [commune.code for commune in parsed.communes], agencies=scope_agencies(parsed, load_policy()))
    elif not kept.later_list(conn, parsed.payout_period):
        kept.keep(conn, parsed.payout_period, parsed.beneficiaries, parsed.lines)


def apply_list(conn: Connection, parsed: ParsedList, now: str, whole_communes: bool = True, *,
               agencies_checked: bool = False) -> ImportReport:
    """Apply a validated list inside the caller's transaction — the one way a list enters the local database.

    Both doors use it: a file imported on a device that is not enrolled (``ListService.import_parsed``) and a list
    fragment from the province's change feed (``SyncService.apply_changes``), so a list behaves the same whichever
    way it came. Places, people and authorisations are upserted; a line is added, or updated while unpaid (a paid
    line is never touched: its differences are reported in ``kept_paid``); an unpaid line of ``payout_period`` the
    list no longer has is withdrawn — from the list's whole communes, or, with ``whole_communes`` False (an
    amendment about some people), only from those people. ``now`` (ISO time) dates the import record. A record whose
    code another agency's record holds is refused for its row (``refuse_other_agencies``; ``agencies_checked``: the
    caller did it already, in the same transaction).
    """
    refused: tuple[RefusedRecord, ...] = ()
    if not agencies_checked:
        parsed, refused = refuse_other_agencies(conn, parsed)
    _save_places(conn, parsed)
    people_added, people_updated = _apply_people(conn, parsed)
    _save_authorisations(conn, parsed.authorisations)
    stored = _stored_lines(conn, parsed, whole_communes)
    plan = _LinePlan()
    for start in range(0, len(parsed.lines), BATCH):  # leaves in ``stored`` the lines the list no longer has
        _plan_lines(parsed.lines[start: start + BATCH], stored, plan, start)
        _write_lines(conn, plan)
    removed = _withdraw(conn, stored, parsed.payout_period)
    _keep(conn, parsed, whole_communes)
    report = ImportReport(
        payout_period=parsed.payout_period,
        source=parsed.source,
        people_added=people_added,
        people_updated=people_updated,
        lines_added=plan.written,
        lines_unchanged=plan.unchanged,
        changes=tuple(plan.changes),
        kept_paid=tuple(plan.kept_paid),
        removed=tuple(removed),
        refused=refused,
    )
    if report.changed_anything:
        _record_import(conn, parsed, now, report)
    return report
