"""Standing facts on a desk without a province server: what earlier lists and a supervisor's decisions made stand.

The rules are ``app.domain.amendments`` (the province server's import uses the same). Here the facts are the deaths
and suspensions earlier lists recorded and the values a supervisor accepted from a list; a later list imported from
a file (``ListService.import_file``) is held against them, and each contradiction waits for a supervisor's decision
(``AmendmentService.decide``: keep what stands, or accept the list's value with a reason). An enrolled desk receives
the province's standing values and holds through the feed instead, and records nothing here: the province decides
(a decision on the desk is refused, and contradictions left open from before enrolment are no longer offered).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from app.domain.amendments import (
    Amendment,
    Choice,
    Contradiction,
    Decided,
    Standing,
    Subject,
    accepting,
    after_decision,
    fact_data,
    fact_from_data,
    open_twin,
    standing_of,
    superseded,
)
from app.domain.errors import BadInputError
from app.domain.journal import format_timestamp, parse_timestamp
from app.domain.model import Role
from app.store import database
from app.store.sql import chunks, in_clause

if TYPE_CHECKING:
    from app.store.store import Store


@dataclass(frozen=True)
class RecordedContradiction:
    """A contradiction as the desk keeps it, with the supervisor's decision once made."""

    contradiction: Contradiction
    recorded_at: dt.datetime
    choice: Choice | None = None
    reason: str = ""
    decided_by: str = ""
    decided_at: dt.datetime | None = None

    @property
    def open(self) -> bool:
        return self.choice is None


_FACT_COLUMNS = "fact_id, record_code, kind, source, recorded_at, recorded_by, reason, detail"


def _fact(row: Any) -> Amendment:
    return fact_from_data(row[1], row[2], row[3], parse_timestamp(row[4]), row[5], row[6], json.loads(row[7]),
                          fact_id=int(row[0]))


def facts_of(conn: Connection, record_codes: Iterable[str]) -> dict[str, list[Amendment]]:
    out: dict[str, list[Amendment]] = {}
    for chunk in chunks(sorted(set(record_codes))):
        placeholders, params = in_clause(chunk)
        for row in conn.execute(text(f"SELECT {_FACT_COLUMNS} FROM amendments WHERE record_code IN ({placeholders}) "
                                     "ORDER BY record_code, fact_id"), params):
            out.setdefault(row[1], []).append(_fact(row))
    return out


def standings(conn: Connection, record_codes: Iterable[str]) -> dict[str, Standing]:
    return {code: standing_of(code, facts) for code, facts in facts_of(conn, record_codes).items()}


def record_fact(conn: Connection, fact: Amendment) -> Amendment:
    cursor = conn.execute(text(
        "INSERT INTO amendments (record_code, kind, source, recorded_at, recorded_by, reason, detail) "
        "VALUES (:code, :kind, :source, :at, :by, :reason, :detail)"),
        {"code": fact.record_code, "kind": fact.kind.value, "source": fact.source.value,
         "at": format_timestamp(fact.recorded_at), "by": fact.recorded_by, "reason": fact.reason,
         "detail": json.dumps(fact_data(fact), ensure_ascii=False, sort_keys=True)})
    return replace(fact, fact_id=int(cursor.lastrowid))


_CONTRADICTION_SELECT = (
    "SELECT c.contradiction_id, c.import_at, c.record_code, c.full_name, c.subject, c.line_key, c.regime, "
    "c.list_period, c.source, c.listed, c.standing, c.fact_id, d.choice, d.reason, d.by_user, d.at "
    "FROM contradictions c LEFT JOIN contradiction_decisions d ON d.contradiction_id = c.contradiction_id"
)


def _recorded(conn: Connection, where: str, params: dict[str, Any]) -> list[RecordedContradiction]:
    rows = conn.execute(text(f"{_CONTRADICTION_SELECT} WHERE {where} ORDER BY c.contradiction_id"), params).all()
    fact_ids = sorted({int(row[11]) for row in rows})
    facts: dict[int, Amendment] = {}
    for chunk in chunks(fact_ids):
        placeholders, values = in_clause(chunk)
        for row in conn.execute(text(f"SELECT {_FACT_COLUMNS} FROM amendments WHERE fact_id IN ({placeholders})"),
                                values):
            facts[int(row[0])] = _fact(row)
    out = []
    for row in rows:
        contradiction = Contradiction(
            record_code=row[2], full_name=row[3], subject=Subject(row[4]), list_period=row[7], source=row[8],
            listed=json.loads(row[9]), standing=json.loads(row[10]), fact=facts[int(row[11])], line_key=row[5],
            regime=row[6], contradiction_id=int(row[0]),
        )
        out.append(RecordedContradiction(
            contradiction, parse_timestamp(row[1]), Choice(row[12]) if row[12] else None, row[13] or "",
            row[14] or "", parse_timestamp(row[15]) if row[15] else None))
    return out


def of_people(conn: Connection, record_codes: Iterable[str]) -> list[RecordedContradiction]:
    out: list[RecordedContradiction] = []
    for chunk in chunks(sorted(set(record_codes))):
        placeholders, params = in_clause(chunk)
        out.extend(_recorded(conn, f"c.record_code IN ({placeholders})", params))
    return out


def decided(earlier: list[RecordedContradiction]) -> Decided:
    """The recorded contradictions with their choices, for ``kept_before`` and ``open_twin``."""
    return [(item.contradiction, item.choice) for item in earlier]


def record_contradictions(conn: Connection, found: Iterable[Contradiction], earlier: list[RecordedContradiction],
                          now: dt.datetime) -> tuple[Contradiction, ...]:
    """Store what a list contradicted, except one still open that says the same (reported again with its number)."""
    out = []
    for contradiction in found:
        same = open_twin(contradiction, decided(earlier))
        if same is not None:
            out.append(replace(contradiction, contradiction_id=same.contradiction_id))
            continue
        cursor = conn.execute(text(
            "INSERT INTO contradictions (import_at, record_code, full_name, subject, line_key, regime, list_period, "
            "source, listed, standing, fact_id) VALUES (:at, :code, :name, :subject, :line, :regime, :period, "
            ":source, :listed, :standing, :fact)"),
            {"at": format_timestamp(now), "code": contradiction.record_code, "name": contradiction.full_name,
             "subject": contradiction.subject.value, "line": contradiction.line_key, "regime": contradiction.regime,
             "period": contradiction.list_period, "source": contradiction.source,
             "listed": json.dumps(contradiction.listed, ensure_ascii=False, sort_keys=True),
             "standing": json.dumps(contradiction.standing, ensure_ascii=False, sort_keys=True),
             "fact": contradiction.fact.fact_id})
        out.append(replace(contradiction, contradiction_id=int(cursor.lastrowid)))
    return tuple(out)


class AmendmentService:
    """The contradictions of imported lists and a supervisor's decisions about them (``Store.amendments``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def contradictions(self, *, open_only: bool = True) -> list[RecordedContradiction]:
        """The contradictions waiting for a supervisor (or all, with the decided ones). Once the desk is enrolled the
        province decides and its values stand: the ones left open from the desk's own lists are no longer shown."""
        enrolled = bool(self.store.meta("server_url"))
        with database.read(self.store.engine) as conn:
            if enrolled:
                return [] if open_only else _recorded(conn, "d.contradiction_id IS NOT NULL", {})
            return _recorded(conn, "d.contradiction_id IS NULL" if open_only else "1 = 1", {})

    def facts(self, record_code: str) -> list[Amendment]:
        with database.read(self.store.engine) as conn:
            return facts_of(conn, [record_code]).get(record_code, [])

    def decide(self, contradiction_id: int, choice: Choice, reason: str, supervisor: str) -> RecordedContradiction:
        """A supervisor's explicit choice: keep what stands (the lines it held are released at the standing value),
        or accept the list's value with a reason, recorded as a new fact. One transaction; raises ``BadInputError``."""
        from app.store import kept, payouts
        from app.store.rows import hold_text

        server = self.store.meta("server_url")
        if server:  # the province decides; a desk's choice would be undone by the next fragment, or worse, not
            raise BadInputError("enrolled_decisions_on_server", server=server)
        reason = reason.strip()
        now = self.store.clock()
        with database.write(self.store.engine) as conn:
            staff = conn.execute(text("SELECT role FROM staff WHERE username = :u AND active = 1"),
                                 {"u": supervisor}).scalar()
            if staff != Role.SUPERVISOR.value:
                raise BadInputError("decision_needs_supervisor")
            found = _recorded(conn, "c.contradiction_id = :id", {"id": contradiction_id})
            if not found:
                raise BadInputError("contradiction_not_found", number=contradiction_id)
            if not found[0].open:
                raise BadInputError("contradiction_decided", number=contradiction_id)
            if choice is Choice.ACCEPT and not reason:
                raise BadInputError("decision_needs_reason")
            contradiction = found[0].contradiction
            if superseded(contradiction, standings(conn, [contradiction.record_code]).get(
                    contradiction.record_code, Standing(contradiction.record_code))):
                raise BadInputError("contradiction_superseded", number=contradiction_id)
            fact = None
            if choice is Choice.ACCEPT:
                fact = record_fact(conn, accepting(contradiction, at=now, by=supervisor, reason=reason))
            person = payouts.load_beneficiary(conn, contradiction.record_code)
            if person is None:
                raise BadInputError("person_not_found", record_code=contradiction.record_code)
            lines = payouts.load_lines(conn, contradiction.record_code)
            still_open = [item.contradiction for item in of_people(conn, [contradiction.record_code]) if item.open]
            decided, new_lines, withdraw = after_decision(contradiction, choice, person, lines, still_open,
                                                          self.store.province_time)
            if decided != person:
                rep = decided.representative
                conn.execute(text(
                    "UPDATE beneficiaries SET status = :status, status_reason = :reason, date_of_death = :death, "
                    "representative_name = :rep, representative_id_number = :rep_id WHERE record_code = :code"),
                    {"status": decided.status.value, "reason": decided.status_reason,
                     "death": decided.date_of_death.isoformat() if decided.date_of_death else None,
                     "rep": rep.name if rep else None, "rep_id": rep.id_number if rep else None,
                     "code": decided.record_code})
            changed = [line for line in new_lines if line not in lines]
            if changed:
                conn.execute(text("UPDATE entitlement_lines SET amount = :amount, hold = :hold WHERE line_key = :key"),
                             [{"amount": line.amount, "hold": hold_text(line.hold), "key": line.key}
                              for line in changed])
            for key in withdraw:
                conn.execute(text("DELETE FROM entitlement_lines WHERE line_key = :key AND line_key NOT IN "
                                  "(SELECT line_key FROM line_settlements)"), {"key": key})
            if not kept.later_list(conn, contradiction.list_period):  # the month's list as decided
                kept.keep(conn, contradiction.list_period, [decided],
                          [line for line in payouts.load_lines(conn, decided.record_code)
                           if line.list_period == contradiction.list_period])
            conn.execute(text(
                "INSERT INTO contradiction_decisions (contradiction_id, choice, reason, by_user, at, fact_id) "
                "VALUES (:id, :choice, :reason, :by, :at, :fact)"),
                {"id": contradiction_id, "choice": choice.value, "reason": reason, "by": supervisor,
                 "at": format_timestamp(now), "fact": fact.fact_id if fact else None})
            return _recorded(conn, "c.contradiction_id = :id", {"id": contradiction_id})[0]
