"""With the pilot's volume on PostgreSQL (174 communes, ≈13,000 people, 12 months, ≈165,000 turns), the console's
province summary for the year equals a direct SQL count of the same facts."""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import Engine

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
