"""A simulated year of the monthly cycle, large (issue 11, point 7): ``tests/builders/year.py`` at bench size.

Twelve lists written as .xlsx files and read by the real list reader, imported by the province server (SQLite file or
a throw-away PostgreSQL cluster, ``tests/builders/postgres.py``), two laptops paying through the store API and syncing
over real HTTP, the officers' amendments between lists; after every month the invariants of
``tests/builders/year_checks.py`` (which are the CI test's, ``tests/cycle/test_simulated_year.py``).

Figures per database: the year's wall time and its parts (lists written and read, imports, payout days, syncs, the
invariants), payments per second, and the settlement of the heaviest month against its raw baseline: the same
closing counts (listed, paid in the month) in one bare SQL statement on the same connection. The invariants that
fail are printed by name (see the test's docstring for the ones that need points 3 and 6 of the issue).

Run: ``python bench/bench_cycle_year.py [--communes 24] [--people 30] [--db sqlite|postgresql|both] [--quick]``
(``--quick``: 20 communes × 3 people, 4 months).
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text

import benchlib  # noqa: F401  (sys.path, isolated keys)
from benchlib import header, print_table, record
from tests.builders import year as year_module
from tests.builders.year import Year, YearSpec, period, random_absences
from tests.builders.year_checks import Archive, Checks, after_month, province_settlement

RAW_CLOSING = """
SELECT count(*), coalesce(sum(l.amount), 0),
       count(s.line_key), coalesce(sum(s.amount), 0)
FROM list_lines l LEFT JOIN settled s ON s.line_key = l.line_key AND s.payout_period = :p
WHERE l.list_period = :p AND l.method = 'cash'
"""


class Timer:
    def __init__(self) -> None:
        self.parts: dict[str, float] = {}

    @contextlib.contextmanager
    def part(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.parts[name] = self.parts.get(name, 0.0) + time.perf_counter() - start

    def wrap(self, obj: Any, method: str, name: str) -> None:
        original: Callable[..., Any] = getattr(obj, method)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.part(name):
                return original(*args, **kwargs)

        setattr(obj, method, timed)


def run_year(spec: YearSpec, url: str, folder: Path, seed: int) -> dict[str, Any]:
    missing, late = random_absences(spec, seed)
    timer = Timer()
    start = time.perf_counter()
    year = Year(spec, folder, url, absences=missing, late=late)
    setup = time.perf_counter() - start
    timer.wrap(year, "write_list", "lists written (.xlsx)")
    timer.wrap(year, "read", "lists read (reader)")
    timer.wrap(year, "sync", "syncs (2 laptops)")
    timer.wrap(year, "payout_day", "payout days (store API)")
    checks, archive = Checks(), Archive()
    try:
        for month in range(1, spec.months + 1):
            year.run_month(month)
            with timer.part("invariants"):
                after_month(year, month, checks, archive)
        total = time.perf_counter() - start
        heaviest = max(range(1, spec.months + 1), key=lambda m: len(year.lists[period(m)]))
        report, raw = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            province_settlement(year, heaviest)
            report.append(time.perf_counter() - t0)
            with year.province.engine.connect() as conn:
                t0 = time.perf_counter()
                conn.execute(text(RAW_CLOSING), {"p": period(heaviest)}).all()
                raw.append(time.perf_counter() - t0)
    finally:
        year.close()
    payments = len(year.ledger)
    parts = {name: round(seconds, 2) for name, seconds in timer.parts.items()}
    parts["imports, amendments, the rest"] = round(total - setup - sum(timer.parts.values()), 2)
    return {
        "people": len(year.people), "list_lines": sum(len(lines) for lines in year.lists.values()),
        "payments": payments, "setup_s": round(setup, 2), "year_s": round(total, 2), "parts_s": parts,
        "payments_per_s": round(payments / max(timer.parts.get("payout days (store API)", 1e-9), 1e-9), 1),
        "settlement_ms": round(min(report) * 1000, 1), "raw_closing_ms": round(min(raw) * 1000, 2),
        "settlement_over_raw": round(min(report) / max(min(raw), 1e-9), 1),
        "failed_invariants": {name: failures[0] for name, failures in checks.failures.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=24)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    spec = YearSpec(20, 3, 4) if args.quick else YearSpec(args.communes, args.people, args.months)
    header(f"A simulated year: {spec.communes} communes × {spec.people} people, {spec.months} months")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-year-") as scratch:
        folder = Path(scratch)
        if args.db in ("sqlite", "both"):
            results["sqlite"] = run_year(spec, f"sqlite:///{folder}/server.db", folder / "sqlite", args.seed)
        if args.db in ("postgresql", "both"):
            from tests.builders.postgres import PostgresCluster

            cluster = PostgresCluster.start(folder / "pg")
            try:
                url = cluster.create_database("year")
                results["postgresql"] = run_year(spec, url, folder / "postgresql", args.seed)
            finally:
                cluster.stop()
    rows = []
    for engine, figures in results.items():
        rows.append([engine, figures["people"], figures["list_lines"], figures["payments"], figures["year_s"],
                     figures["payments_per_s"], figures["settlement_ms"], figures["raw_closing_ms"],
                     f"{figures['settlement_over_raw']}×"])
    print_table(["database", "people", "list lines", "payments", "year s", "payments/s", "settlement ms",
                 "raw SQL ms", "ratio"], rows)
    for engine, figures in results.items():
        print(f"\n{engine}: parts (s): {figures['parts_s']}")
        for name, first in figures["failed_invariants"].items():
            print(f"  FAILS: {name}\n         first after {first[:300]}")
    record("cycle_year", {"spec": vars(spec) if hasattr(spec, "__dict__") else str(spec), **results,
                          "module": year_module.__name__})


if __name__ == "__main__":
    main()
