"""Amendments as facts on the server: storing them, folding them into what stands, and the contradictions of lists.

The rules are ``app.domain.amendments`` (the desk's import uses the same); this module owns the SQL. Facts,
contradictions and decisions are append-only tables (triggers refuse UPDATE and DELETE, revision 0007).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, select, true

from app.domain.amendments import (
    Amendment,
    Choice,
    Contradiction,
    Decided,
    Standing,
    Subject,
    fact_data,
    fact_from_data,
    open_twin,
    standing_of,
)
from app.domain.journal import format_timestamp, parse_timestamp
from app.wire import codec
from server import schema


def _chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- facts ------------------------------------------------------------------------------------------------------


def fact_detail(fact: Amendment) -> str:
    detail = fact_data(fact)
    if fact.line is not None:
        detail["line"] = codec.line_to_wire(fact.line)
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)


def fact_from_row(row: RowMapping) -> Amendment:
    detail = json.loads(row["detail"])
    return fact_from_data(row["record_code"], row["kind"], row["source"], parse_timestamp(row["recorded_at"]),
                          row["recorded_by"], row["reason"], detail,
                          line=codec.line_from_wire(detail["line"]) if detail.get("line") else None,
                          fact_id=int(row["fact_id"]))


def record_fact(conn: Connection, fact: Amendment) -> Amendment:
    """Append one fact; returns it with its number."""
    fact_id = conn.execute(schema.amendments.insert().values(
        record_code=fact.record_code, kind=fact.kind.value, source=fact.source.value,
        recorded_at=format_timestamp(fact.recorded_at), recorded_by=fact.recorded_by, reason=fact.reason,
        detail=fact_detail(fact),
    ).returning(schema.amendments.c.fact_id)).scalar_one()
    return replace(fact, fact_id=int(fact_id))


def facts_of(conn: Connection, record_codes: Iterable[str]) -> dict[str, list[Amendment]]:
    """Each person's facts, oldest first."""
    a = schema.amendments.c
    out: dict[str, list[Amendment]] = {}
    for chunk in _chunks(sorted(set(record_codes))):
        for row in conn.execute(select(schema.amendments).where(a.record_code.in_(chunk))
                                .order_by(a.record_code, a.fact_id)).mappings():
            out.setdefault(row["record_code"], []).append(fact_from_row(row))
    return out


def standings(conn: Connection, record_codes: Iterable[str]) -> dict[str, Standing]:
    """What stands for each of these people (only those with facts)."""
    return {code: standing_of(code, facts) for code, facts in facts_of(conn, record_codes).items()}


def standing(conn: Connection, record_code: str) -> Standing:
    return standings(conn, [record_code]).get(record_code) or Standing(record_code)


# --- contradictions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    choice: Choice
    reason: str
    by_user: str
    at: dt.datetime
    fact_id: int | None


@dataclass(frozen=True)
class Recorded:
    """A stored contradiction, its commune and the decision about it (None while open)."""

    contradiction: Contradiction
    commune_code: str | None
    created_at: dt.datetime
    decision: Decision | None

    @property
    def open(self) -> bool:
        return self.decision is None


def _contradiction(row: RowMapping, fact: Amendment) -> Contradiction:
    return Contradiction(
        record_code=row["record_code"], full_name=row["full_name"], subject=Subject(row["subject"]),
        list_period=row["list_period"], source=row["source"], listed=json.loads(row["listed"]),
        standing=json.loads(row["standing"]), fact=fact, line_key=row["line_key"], regime=row["regime"],
        contradiction_id=int(row["contradiction_id"]),
    )


def _load(conn: Connection, where: Any, limit: int | None = None) -> list[Recorded]:
    c, d = schema.contradictions.c, schema.contradiction_decisions.c
    query = (select(schema.contradictions, d.choice, d.reason.label("decision_reason"), d.by_user, d.at,
                    d.fact_id.label("decision_fact"))
             .select_from(schema.contradictions.outerjoin(schema.contradiction_decisions,
                                                          d.contradiction_id == c.contradiction_id))
             .where(where).order_by(c.contradiction_id.desc()))
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).mappings().all()
    fact_ids = sorted({int(row["fact_id"]) for row in rows})
    facts: dict[int, Amendment] = {}
    a = schema.amendments.c
    for chunk in _chunks(fact_ids):
        for row in conn.execute(select(schema.amendments).where(a.fact_id.in_(chunk))).mappings():
            facts[int(row["fact_id"])] = fact_from_row(row)
    out = []
    for row in rows:
        decision = None
        if row["choice"] is not None:
            decision = Decision(Choice(row["choice"]), row["decision_reason"], row["by_user"],
                                parse_timestamp(row["at"]), row["decision_fact"])
        out.append(Recorded(_contradiction(row, facts[int(row["fact_id"])]), row["commune_code"],
                            parse_timestamp(row["created_at"]), decision))
    return out


def recorded(conn: Connection, contradiction_id: int) -> Recorded | None:
    found = _load(conn, schema.contradictions.c.contradiction_id == contradiction_id)
    return found[0] if found else None


def listing(conn: Connection, communes: list[str] | None, state: str = "open", limit: int = 500,
            agency: str | None = None) -> list[Recorded]:
    """Contradictions within an officer's communes (None: all) and agency (its records and those from before lists
    named their agency; None: all), newest first; ``state``: open, decided or all."""
    c, d = schema.contradictions.c, schema.contradiction_decisions.c
    conditions = []
    if communes is not None:
        conditions.append(c.commune_code.in_(communes or ["-"]))
    if agency is not None:
        p = schema.people.c
        conditions.append(c.record_code.in_(select(p.record_code).where(p.agency.in_([agency, ""]))))
    decided = select(d.contradiction_id)
    if state == "open":
        conditions.append(c.contradiction_id.not_in(decided))
    elif state == "decided":
        conditions.append(c.contradiction_id.in_(decided))
    return _load(conn, and_(true(), *conditions), limit)


def numbered(conn: Connection, numbers: Iterable[int]) -> list[Contradiction]:
    """The contradictions with these numbers, in that order (an import's report, said again in any language)."""
    wanted = [int(number) for number in numbers]
    found: dict[int, Contradiction] = {}
    for chunk in _chunks(sorted(set(wanted))):
        for item in _load(conn, schema.contradictions.c.contradiction_id.in_(chunk)):
            found[item.contradiction.contradiction_id or 0] = item.contradiction
    return [found[number] for number in wanted if number in found]


def of_people(conn: Connection, record_codes: Iterable[str]) -> list[Recorded]:
    """Every contradiction about these people (for telling a repeated one from a new one)."""
    out: list[Recorded] = []
    for chunk in _chunks(sorted(set(record_codes))):
        out.extend(_load(conn, schema.contradictions.c.record_code.in_(chunk)))
    return out


def decided(earlier: list[Recorded]) -> Decided:
    """The recorded contradictions with their choices, for ``kept_before`` and ``open_twin``."""
    return [(item.contradiction, item.decision.choice if item.decision else None) for item in earlier]


def record_contradictions(conn: Connection, found: Iterable[Contradiction], earlier: list[Recorded],
                          commune_of: Mapping[str, str], import_id: int | None, now: dt.datetime
                          ) -> list[Contradiction]:
    """Store the contradictions a list raised, except one still open that says the same (a list imported again):
    that one is reported again with its number. Returns them all, numbered."""
    out = []
    for contradiction in found:
        same = open_twin(contradiction, decided(earlier))
        if same is not None:
            out.append(replace(contradiction, contradiction_id=same.contradiction_id))
            continue
        new_id = conn.execute(schema.contradictions.insert().values(
            import_id=import_id, record_code=contradiction.record_code,
            commune_code=commune_of.get(contradiction.record_code), full_name=contradiction.full_name,
            subject=contradiction.subject.value, line_key=contradiction.line_key, regime=contradiction.regime,
            list_period=contradiction.list_period, source=contradiction.source,
            listed=json.dumps(contradiction.listed, ensure_ascii=False, sort_keys=True),
            standing=json.dumps(contradiction.standing, ensure_ascii=False, sort_keys=True),
            fact_id=contradiction.fact.fact_id, created_at=format_timestamp(now),
        ).returning(schema.contradictions.c.contradiction_id)).scalar_one()
        out.append(replace(contradiction, contradiction_id=int(new_id)))
    return out


def record_decision(conn: Connection, contradiction_id: int, choice: Choice, reason: str, by: str, at: dt.datetime,
                    fact_id: int | None) -> None:
    conn.execute(schema.contradiction_decisions.insert().values(
        contradiction_id=contradiction_id, choice=choice.value, reason=reason, by_user=by,
        at=format_timestamp(at), fact_id=fact_id))
