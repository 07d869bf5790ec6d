"""Each month's list, kept as it was applied: the lines and the people each list period had (revision 0009).

``entitlement_lines`` and ``beneficiaries`` are the *current* state, which paying needs: a carried-over line moves on
to the newest list, a death or a move changes the person. A document about an earlier month must print what that
month said whatever came later (``docs/CYCLE.md``, "Each month's list is kept"), so every list applied is also kept
here, per list period:

- ``list_lines``: each line the list of ``list_period`` held, with its amount, method and hold as applied (after the
  standing facts);
- ``list_people``: each person of that list as it gave them (commune, point, status, date of death, representative).

A list replaces what was kept for its period in its communes (a corrected list of the same period withdraws lines);
a later list never touches an earlier period. An amendment from the province's feed or a supervisor's decision is
kept in the period of the list it was about. Documents of a period read from here (``lines_listed``,
``people_listed``), never from the current tables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, text

from app.domain.model import Beneficiary, EntitlementLine, person_values
from app.store.rows import LINE_FIELDS, PERSON_FIELDS, beneficiary_of, columns, line_of, line_params

__all__ = ["keep", "later_list", "people_listed", "lines_listed", "lines_up_to", "newest_periods", "moved_to"]

_PERSON_COLUMNS = columns(PERSON_FIELDS)
BATCH = 2_000
"""People or lines written per statement (as ``app.store.lists.BATCH``)."""

_LINE_COLUMNS = columns(LINE_FIELDS)


def _codes(values: Iterable[str]) -> str:
    return json.dumps(sorted(set(values)), ensure_ascii=False)


def keep(conn: Connection, list_period: str, people: Sequence[Beneficiary], lines: Sequence[EntitlementLine],
         communes: Iterable[str] = (), agencies: frozenset[str] | None = None) -> None:
    """Keep ``people`` and ``lines`` (those of ``list_period``) as the list of ``list_period`` has them, replacing
    what was kept for that period about the same people — and, for ``communes`` (a whole commune's list), about
    everyone of ``agencies`` (None: of every agency) the period had there (a corrected list withdraws the lines it no
    longer has; BHXH's list never replaces what the Department's list of the same commune and month kept)."""
    codes = [person.record_code for person in people]
    whole = sorted(set(communes))
    if whole:
        codes += _kept_in(conn, list_period, whole, agencies)
    codes_json = _codes(codes)
    for table in ("list_lines", "list_people"):
        conn.execute(text(f"DELETE FROM {table} WHERE list_period = :p AND record_code IN "
                          "(SELECT value FROM json_each(:codes))"), {"p": list_period, "codes": codes_json})
    people_sql = text(
        f"INSERT INTO list_people (list_period, {_PERSON_COLUMNS}) VALUES (:list_period, :record_code, "
        ":full_name, :commune_code, :category, :birth_year, :gender, :id_number, :village, :point_id, :status, "
        ":status_reason, :date_of_death, :representative_name, :representative_id_number, :agency)")
    for start in range(0, len(people), BATCH):  # a batch at a time: a province's list is 300,000 lines
        conn.execute(people_sql, [_person_row(list_period, person) for person in people[start:start + BATCH]])
    lines_sql = text(
        "INSERT OR REPLACE INTO list_lines (list_period, line_key, record_code, line_id, period, programme, "
        "regime, kind, amount, method, note, position, hold) VALUES (:list_period, :line_key, :record_code, "
        ":line_id, :period, :programme, :regime, :kind, :amount, :method, :note, :position, :hold)")
    for start in range(0, len(lines), BATCH):
        rows = [line_params(line, position) for position, line in enumerate(lines[start:start + BATCH], start=start)
                if line.list_period == list_period]
        if rows:
            conn.execute(lines_sql, rows)


def _kept_in(conn: Connection, list_period: str, communes: list[str], agencies: frozenset[str] | None) -> list[str]:
    """The records kept for ``list_period`` in ``communes`` that belong to ``agencies``: by the record's agency, or
    for a record from before lists named their agency, by its kept lines' programmes."""
    rows = conn.execute(text(
        "SELECT record_code, agency FROM list_people WHERE list_period = :p AND commune_code IN "
        "(SELECT value FROM json_each(:communes))"), {"p": list_period, "communes": json.dumps(communes)}).all()
    if agencies is None:
        return [code for code, _agency in rows]
    from app.lists.policy import load_policy

    policy = load_policy()
    unnamed = [code for code, agency in rows if not agency]
    programmes: dict[str, set[str]] = defaultdict(set)
    if unnamed:
        for code, programme in conn.execute(text(
                "SELECT record_code, programme FROM list_lines WHERE list_period = :p AND record_code IN "
                "(SELECT value FROM json_each(:codes))"), {"p": list_period, "codes": _codes(unnamed)}):
            programmes[code].add(policy.agency_of(programme))
    return [code for code, agency in rows
            if ((agency in agencies) if agency else (not programmes[code] or bool(programmes[code] & agencies)))]


def _person_row(list_period: str, person: Beneficiary) -> dict[str, Any]:
    return {"list_period": list_period, **person_values(person)}


def later_list(conn: Connection, list_period: str) -> bool:
    """Whether a list of a period after ``list_period`` is kept (that month is then over)."""
    return conn.execute(text("SELECT 1 FROM list_people WHERE list_period > :p LIMIT 1"), {"p": list_period}).first() \
        is not None


def people_listed(conn: Connection, list_period: str, *, commune_code: str | None = None,
                  point_id: str | None = None, record_codes: Iterable[str] | None = None) -> dict[str, Beneficiary]:
    """The people the list of ``list_period`` had (in a commune, at a point, or among ``record_codes``), as it gave
    them, in the order they were first stored."""
    where, params = _scope(commune_code, point_id, record_codes)
    rows = conn.execute(text(f"SELECT {_PERSON_COLUMNS} FROM list_people WHERE list_period = :p AND {where} "
                             "ORDER BY rowid"), {"p": list_period, **params})
    return {row[0]: beneficiary_of(row) for row in rows}


def lines_listed(conn: Connection, list_period: str, record_codes: Iterable[str]) -> dict[str, list[EntitlementLine]]:
    """The lines the list of ``list_period`` had for ``record_codes``, per person, in list order."""
    found: dict[str, list[EntitlementLine]] = defaultdict(list)
    rows = conn.execute(text(
        f"SELECT {_LINE_COLUMNS} FROM list_lines WHERE list_period = :p AND record_code IN "
        "(SELECT value FROM json_each(:codes)) ORDER BY period, position"),
        {"p": list_period, "codes": _codes(record_codes)})
    for row in rows:
        found[row[1]].append(line_of(row))
    return found


def newest_periods(conn: Connection, up_to: str, *, point_id: str) -> dict[str, str]:
    """For each person whose newest kept list up to ``up_to`` put them at ``point_id``: that list's period. The list
    that governed a payout month at a point: a month without its own list pays from the newest earlier one."""
    rows = conn.execute(text(
        "SELECT n.record_code, n.newest FROM (SELECT lp.record_code, max(lp.list_period) AS newest FROM list_people lp "
        "WHERE lp.list_period <= :up AND lp.record_code IN (SELECT record_code FROM list_people "
        "WHERE point_id = :point AND list_period <= :up) GROUP BY lp.record_code) n "
        "JOIN list_people k ON k.list_period = n.newest AND k.record_code = n.record_code WHERE k.point_id = :point"),
        {"up": up_to, "point": point_id})
    return dict(rows.all())


def lines_up_to(conn: Connection, up_to: str, record_codes: Iterable[str]) -> dict[str, list[EntitlementLine]]:
    """Each line of ``record_codes`` as the newest kept list up to ``up_to`` had it (a carried-over line on several
    lists once, from the newest), per person: what was payable in a payout month, as it stood then."""
    newest: dict[str, EntitlementLine] = {}
    rows = conn.execute(text(
        f"SELECT {_LINE_COLUMNS} FROM list_lines WHERE list_period <= :up AND record_code IN "
        "(SELECT value FROM json_each(:codes)) ORDER BY list_period, period, position"),
        {"up": up_to, "codes": _codes(record_codes)})
    for row in rows:
        newest[row[0]] = line_of(row)
    found: dict[str, list[EntitlementLine]] = defaultdict(list)
    for line in sorted(newest.values(), key=lambda line: (line.period, line.list_period)):
        found[line.record_code].append(line)
    return found


def moved_to(conn: Connection, list_period: str, commune_code: str, record_codes: Iterable[str]) -> dict[str, str]:
    """Of ``record_codes`` (people of ``commune_code`` on the list of ``list_period``), those the next kept list that
    has them puts in another commune: record code → that commune's code (``docs/CYCLE.md``, "People who move")."""
    rows = conn.execute(text(
        "SELECT k.record_code, k.commune_code FROM list_people k JOIN (SELECT record_code, min(list_period) AS nxt "
        "FROM list_people WHERE list_period > :p AND record_code IN (SELECT value FROM json_each(:codes)) "
        "GROUP BY record_code) n ON n.record_code = k.record_code AND n.nxt = k.list_period "
        "WHERE k.commune_code <> :c"), {"p": list_period, "codes": _codes(record_codes), "c": commune_code})
    return dict(rows.all())


def _scope(commune_code: str | None, point_id: str | None, record_codes: Iterable[str] | None
           ) -> tuple[str, dict[str, Any]]:
    if commune_code is not None:
        return "commune_code = :scope", {"scope": commune_code}
    if point_id is not None:
        return "point_id = :scope", {"scope": point_id}
    return "record_code IN (SELECT value FROM json_each(:scope))", {"scope": _codes(record_codes or ())}
