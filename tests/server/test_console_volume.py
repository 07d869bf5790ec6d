"""With the pilot's volume on PostgreSQL (174 communes, ≈13,000 people, 12 months, ≈165,000 turns), the console's
province summary for the year equals a direct SQL count of the same facts."""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import Engine, text

from server import db, progress
from tests.builders.pilot import direct_counts, load
from tests.builders.postgres import PostgresCluster


def test_the_year_summary_matches_a_direct_count_of_the_facts(postgres_cluster: PostgresCluster) -> None:
    engine: Engine = db.make_engine(postgres_cluster.create_database(f"pilot_{uuid.uuid4().hex[:8]}"))
    try:
        year = load(engine)
        assert year.turns > 150_000 and year.list_lines > 160_000 and year.reversals and year.double_payments
        first, last = year.months[0], year.months[-1]
        started = time.perf_counter()
        with engine.connect() as conn:
            months = progress.summary(conn, first, last)
        elapsed = time.perf_counter() - started
        total = progress.total(months)
        direct: dict[str, Any] = direct_counts(engine, first, last)
        assert {row.key: row.extra["communes"] for row in months} == direct["communes"]
        assert set(direct["communes"].values()) == {174}
        assert total.payments == direct["turns"]  # one payment per person and month in the pilot data
        assert total.lines == direct["lines"]
        assert total.paid_lines == direct["paid_lines"]
        assert total.monthly_paid == direct["monthly_paid"]
        assert total.cash_paid == direct["cash"]
        print(f"pilot year: {total.payments} payments, {total.lines} lines, {total.percent:.1f} % paid; "
              f"summary {elapsed:.2f} s")
    finally:
        engine.dispose()


_NOT_REVERSED = "NOT EXISTS (SELECT 1 FROM reversals r WHERE r.payment_entry_id = e.entry_id)"

def _turns_by_sql(engine: Engine, first: str, last: str, group: str) -> dict[Any, tuple[int, int, int, int]]:
    """(monthly turns, paid, one-time turns, paid) per group, counted from the rows of the list and the payments:
    the distinct (person, agency, the line's own period, kind) of the cash lines, paid when a standing payment of the
    list's month paid a line of it. The line's period is read from its key, or from ``lines`` for a key by id."""
    with engine.connect() as conn:
        listed = conn.execute(text(
            f"SELECT {group}, ll.record_code, ll.agency, ll.line_key, ll.kind, ll.list_period, ln.period "
            "FROM list_lines ll LEFT JOIN lines ln ON ln.line_key = ll.line_key "
            "WHERE ll.method = 'cash' AND ll.list_period BETWEEN :first AND :last"),
            {"first": first, "last": last}).all()
        paid = set(conn.execute(text(
            "SELECT pl.line_key, e.payout_period FROM paid_lines pl JOIN entries e ON e.entry_id = pl.entry_id "
            f"WHERE e.kind = 'payment' AND {_NOT_REVERSED}")).all())
    turns: dict[Any, dict[tuple[str, ...], bool]] = {}
    for grp, record, agency, key, kind, list_period, stored_period in listed:
        period = stored_period if key.startswith("id:") else key.split("|")[1]
        turn = (record, agency, period, "monthly" if kind == "recurring" else "one_time")
        found = turns.setdefault(grp, {})
        found[turn] = found.get(turn, False) or (key, list_period) in paid
    def count(found: dict[tuple[str, ...], bool], kind: str, paid_only: bool) -> int:
        return sum(1 for turn, was_paid in found.items() if turn[3] == kind and (was_paid or not paid_only))

    return {grp: (count(found, "monthly", False), count(found, "monthly", True), count(found, "one_time", False),
                  count(found, "one_time", True)) for grp, found in turns.items()}


def _paid_cash_by_sql(engine: Engine, first: str, last: str, group: str) -> dict[str, int]:
    """Cash paid for the cash lines of the months' lists in their own month (the first standing payment of each)."""
    sql = f"""SELECT {group}, sum(pl.amount) FROM list_lines ll
              JOIN paid_lines pl ON pl.line_key = ll.line_key JOIN entries e ON e.entry_id = pl.entry_id
              WHERE ll.method = 'cash' AND ll.list_period BETWEEN :first AND :last AND e.kind = 'payment'
                AND e.payout_period = ll.list_period AND {_NOT_REVERSED}
                AND NOT EXISTS (SELECT 1 FROM paid_lines p2 JOIN entries e2 ON e2.entry_id = p2.entry_id
                                WHERE p2.line_key = pl.line_key AND e2.kind = 'payment' AND e2.id < e.id
                                  AND NOT EXISTS (SELECT 1 FROM reversals r2 WHERE r2.payment_entry_id = e2.entry_id))
              GROUP BY {group}"""
    with engine.connect() as conn:
        return {row[0]: int(row[1]) for row in conn.execute(text(sql), {"first": first, "last": last}).all()}


def test_turns_and_the_regime_table_match_a_direct_count_of_the_facts(postgres_cluster: PostgresCluster) -> None:
    """Turns per month, per commune and per regime (the regime table once showed 0 turns and 0 ₫ in every row) equal
    a count straight from the tables, for the pilot year's data (three months, to stay quick)."""
    engine: Engine = db.make_engine(postgres_cluster.create_database(f"turns_{uuid.uuid4().hex[:8]}"))
    try:
        year = load(engine, months=3, communes=40)
        first, last = year.months[0], year.months[-1]
        with engine.connect() as conn:
            months = progress.summary(conn, first, last)
            communes = progress.communes(conn, first, last)
            regimes = progress.by_regime(conn, last, None)
            regimes_range = progress.by_regime(conn, first, None, last=last)
        by_month = _turns_by_sql(engine, first, last, "ll.list_period")
        assert len(by_month) == 3
        assert {row.key: (row.counts.monthly_turns, row.counts.monthly_turns_paid, row.counts.one_time_turns,
                          row.counts.one_time_turns_paid) for row in months} == by_month
        assert {row.key: (row.counts.monthly_turns, row.counts.monthly_turns_paid, row.counts.one_time_turns,
                          row.counts.one_time_turns_paid) for row in communes} == _turns_by_sql(
            engine, first, last, "ll.commune_code")
        total = progress.total(months)
        assert total.turns == total.monthly_turns + total.one_time_turns > 0
        assert 0 < total.turns_paid < total.turns and total.turns_paid <= total.paid_lines
        regime = "ll.programme || '/' || ll.regime"
        for rows, (a, b) in ((regimes, (last, last)), (regimes_range, (first, last))):
            direct = _turns_by_sql(engine, a, b, regime)
            assert {row.key: (row.counts.monthly_turns, row.counts.monthly_turns_paid, row.counts.one_time_turns,
                              row.counts.one_time_turns_paid) for row in rows} == direct
            assert {row.key: row.counts.paid_amount for row in rows if row.counts.paid_amount} == \
                _paid_cash_by_sql(engine, a, b, regime)
            assert sum(row.counts.paid_lines > 0 for row in rows) > 3  # the zero bug: every regime paid shows it
            assert [row.key for row in rows
                    if row.counts.paid_lines and not (row.counts.turns_paid and row.counts.paid_amount)] == []
    finally:
        engine.dispose()
