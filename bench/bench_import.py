"""Importing a province's monthly list: a 14,000-line .xlsx read and imported into a fresh store.

The list is the demo generator's (``DemoSpec(communes=152)`` ≈ 14,000 lines, written by ``write_list_xlsx`` with the
title block and totals a province office's file has). Timed: the raw baseline (openpyxl ``read_only`` iterating every
row's values, nothing else), ``read_list`` alone (parse, validate, build domain values), and
``store.lists.import_file`` in total (read + one import transaction) into a fresh store. Each is run ``--runs`` times
(a fresh store each time); the median counts.

Then **a one-person amendment into that store** (the province's list already imported: 14,000 lines): the feed's
fragment for one person (their commune, record, letters and lines; one line's amount changed each time, so every
application changes something) applied with ``store.lists.apply_list(…, whole_communes=False)`` in its own write
transaction, as ``store.sync`` applies a feed page, ``--amendments`` times. Raw baseline, interleaved one for one on a
backup-API copy of the same store (same key): ``BEGIN IMMEDIATE``, upsert the province and the commune, read the
person's row, read their lines with their settlements, update the changed line, record the import, ``COMMIT``.

Then **BHXH's list** (issue 12): a ≈ 14,000-row BHXH chi trả .xlsx in BHXH's own layout (title rows, a row of column
numbers, "Truy lĩnh", "Tổng số tiền được nhận", totals and signatures; ``generate_bhxh_rows`` with
``DemoSpec(communes=174, people_per_commune=198)``, written by ``app.lists.bhxh_sheet``), timed the same way: the raw
openpyxl baseline, ``read_list`` (the agency detected from the layout) and ``import_file`` into a fresh store.

Targets: import_file ≤ 10 s; the amendment ≤ 3× its raw baseline (p50); BHXH's 14,000 lines import_file ≤ 6 s.
Run: ``python bench/bench_import.py [--runs N] [--amendments N] [--bhxh-only]``
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import benchlib  # sys.path, isolated keys
from app.lists.bhxh_sheet import write_bhxh_xlsx
from app.lists.demo import DemoSpec, generate_bhxh_rows, generate_demo_rows
from app.lists.parsed import ParsedList
from app.lists.reader import read_list
from app.lists.writer import write_list_xlsx
from app.store import database
from app.store.database import raw_connect
from app.store.lists import apply_list
from app.store.store import Store
from benchlib import print_table, record, summary_ms, verdict

_T = TypeVar("_T")
TARGET_S = 10.0
TARGET_AMENDMENT_RATIO = 3.0
TARGET_BHXH_S = 6.0
SPEC = DemoSpec(communes=152, seed=1, payout_period="2026-12")
BHXH_SPEC = DemoSpec(communes=174, seed=1, payout_period="2026-12", people_per_commune=198)


def openpyxl_baseline(path: Path) -> int:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = 0
            for sheet in workbook.worksheets:
                for _ in sheet.iter_rows(values_only=True):
                    rows += 1
        finally:
            workbook.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--amendments", type=int, default=300)
    parser.add_argument("--bhxh-only", action="store_true", help="only BHXH's list (issue 12)")
    args = parser.parse_args()
    if not args.bhxh_only:
        department(args)
    bhxh(args)


def bhxh(args: argparse.Namespace) -> None:
    """BHXH's ≈ 14,000-row chi trả list: raw openpyxl, read_list, import_file into a fresh store (medians)."""
    benchlib.header("list import: BHXH's 14,000-line chi trả .xlsx into a fresh store")
    with tempfile.TemporaryDirectory(prefix="payout-bench-bhxh-") as tmp:
        rows, generate_s = _timed(lambda: generate_bhxh_rows(BHXH_SPEC))
        path = Path(tmp) / "danh-sach-bhxh-2026-12.xlsx"
        _count, write_s = _timed(lambda: write_bhxh_xlsx(path, rows, payout_period=BHXH_SPEC.payout_period,
                                                         office="BẢO HIỂM XÃ HỘI TỈNH QUẢNG NINH"))
        lines = len(rows) + sum(1 for row in rows if row.get("arrears"))
        xlsx_bytes = path.stat().st_size
        print(f"list: {len(rows):,} rows = {lines:,} lines (with Truy lĩnh), {xlsx_bytes / 1e6:.1f} MB; generated in "
              f"{generate_s:.1f} s, written in {write_s:.1f} s\n")
        baseline: list[float] = []
        reads: list[float] = []
        imports: list[float] = []
        load_before = os.getloadavg()[0]
        for run in range(args.runs):
            baseline.append(_timed(lambda: openpyxl_baseline(path))[1])
            parsed, seconds = _timed(lambda: read_list(path))
            reads.append(seconds)
            assert parsed.agency == "bhxh" and len(parsed.lines) == lines, (parsed.agency, len(parsed.lines), lines)
            store = Store.open(Path(tmp) / f"store-{run}")
            try:
                report, seconds = _timed(partial(store.lists.import_file, path))
                imports.append(seconds)
                assert report.lines_added == lines, report
            finally:
                store.close()
        load_after = os.getloadavg()[0]
    med = {name: statistics.median(values) for name, values in
           (("baseline", baseline), ("read", reads), ("import", imports))}
    print_table(["step", "median s", "runs s", "× openpyxl"], [
        ["openpyxl read_only, all rows' values (raw)", med["baseline"], _runs(baseline), "1.0×"],
        ["read_list (detect BHXH, parse + validate)", med["read"], _runs(reads),
         f"{med['read'] / med['baseline']:.1f}×"],
        ["import_file total (read + import transaction)", med["import"], _runs(imports),
         f"{med['import'] / med['baseline']:.1f}×"],
    ])
    print(f"\n({report.people_added:,} people, {report.lines_added:,} lines imported; load average "
          f"{load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores)")
    print(f"target import_file ≤ {TARGET_BHXH_S} s: {med['import']:.2f} s → {verdict(med['import'], TARGET_BHXH_S)}")
    record("import_bhxh", {
        "rows": len(rows), "lines": lines, "people": report.people_added, "xlsx_bytes": xlsx_bytes, "runs": args.runs,
        "loadavg": [round(load_before, 2), round(load_after, 2)], "openpyxl_s": round(med["baseline"], 3),
        "read_list_s": round(med["read"], 3), "import_file_s": round(med["import"], 3),
        "ratio_import_to_openpyxl": round(med["import"] / med["baseline"], 2),
        "target": verdict(med["import"], TARGET_BHXH_S),
    })


def _timed(work: Callable[[], _T]) -> tuple[_T, float]:
    """What ``work`` returns and the seconds it took."""
    began = time.perf_counter()
    result = work()
    return result, time.perf_counter() - began


def _runs(values: list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def department(args: argparse.Namespace) -> None:
    """The Department's 14,000-line list and the one-person amendment (see the module docstring)."""
    benchlib.header("list import: a 14,000-line .xlsx into a fresh store")

    with tempfile.TemporaryDirectory(prefix="payout-bench-import-") as tmp:
        began = time.perf_counter()
        rows = generate_demo_rows(SPEC)
        generate_s = time.perf_counter() - began
        path = Path(tmp) / "danh-sach-2026-12.xlsx"
        began = time.perf_counter()
        write_list_xlsx(path, rows, payout_period=SPEC.payout_period, demo=True)
        write_s = time.perf_counter() - began
        xlsx_bytes = path.stat().st_size
        print(f"list: {len(rows):,} lines, {xlsx_bytes / 1e6:.1f} MB; generated in {generate_s:.1f} s, "
              f"written in {write_s:.1f} s\n")

        baseline, reads, imports, opens = [], [], [], []
        load_before = os.getloadavg()[0]
        for run in range(args.runs):
            began = time.perf_counter()
            sheet_rows = openpyxl_baseline(path)
            baseline.append(time.perf_counter() - began)

            began = time.perf_counter()
            parsed = read_list(path)
            reads.append(time.perf_counter() - began)
            assert len(parsed.lines) == len(rows), (len(parsed.lines), len(rows))

            began = time.perf_counter()
            store = Store.open(Path(tmp) / f"store-{run}")
            opens.append(time.perf_counter() - began)
            try:
                began = time.perf_counter()
                report = store.lists.import_file(path)
                imports.append(time.perf_counter() - began)
                assert report.lines_added == len(rows)
            finally:
                store.close()
        load_after = os.getloadavg()[0]
        amendment = amendment_bench(Path(tmp) / f"store-{args.runs - 1}", Path(tmp), parsed, args.amendments)

    med = {name: statistics.median(values) for name, values in
           (("baseline", baseline), ("read", reads), ("import", imports), ("open", opens))}
    def runs(values):
        return " / ".join(f"{v:.2f}" for v in values)
    print_table(["step", "median s", "runs s", "× openpyxl"], [
        ["openpyxl read_only, all rows' values (raw)", med["baseline"], runs(baseline), "1.0×"],
        ["read_list (parse + validate)", med["read"], runs(reads), f"{med['read'] / med['baseline']:.1f}×"],
        ["import_file total (read + import transaction)", med["import"], runs(imports),
         f"{med['import'] / med['baseline']:.1f}×"],
        ["  of which the store transaction (import_file − read_list)", med["import"] - med["read"], "", ""],
        ["(creating the fresh store, not counted)", med["open"], runs(opens), ""],
    ])
    print(f"\n({sheet_rows:,} sheet rows; {report.people_added:,} people, {report.lines_added:,} lines imported; "
          f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores)")
    print(f"target import_file ≤ {TARGET_S} s: {med['import']:.2f} s → {verdict(med['import'], TARGET_S)}")
    print_amendment(amendment)
    record("import", {
        "lines": len(rows), "people": report.people_added, "xlsx_bytes": xlsx_bytes,
        "runs": args.runs, "loadavg": [round(load_before, 2), round(load_after, 2)],
        "openpyxl_s": round(med["baseline"], 3), "read_list_s": round(med["read"], 3),
        "import_file_s": round(med["import"], 3), "store_transaction_s": round(med["import"] - med["read"], 3),
        "ratio_import_to_openpyxl": round(med["import"] / med["baseline"], 2),
        "target": verdict(med["import"], TARGET_S), "amendment": amendment,
    })


def print_amendment(result: dict[str, Any]) -> None:
    app, base, ratio = result["app"], result["raw"], result["p50_ratio"]
    load_before, load_after = result["loadavg"]
    print(f"\none-person amendment into a store of {result['lines_in_store']:,} lines "
          f"({result['count']} applications, interleaved):")
    print_table(["", "n", "p50 ms", "p95 ms", "max ms"], [
        ["apply_list(one person, whole_communes=False) + COMMIT", app["n"], app["p50_ms"], app["p95_ms"],
         app["max_ms"]],
        ["raw: upserts, the person's row and lines, one UPDATE, COMMIT", base["n"], base["p50_ms"], base["p95_ms"],
         base["max_ms"]],
    ])
    print(f"(load average {load_before:.1f} → {load_after:.1f})")
    print(f"target ≤ {TARGET_AMENDMENT_RATIO}× raw (p50): {ratio:.1f}× → {verdict(ratio, TARGET_AMENDMENT_RATIO)} "
          f"(p95 ratio {app['p95_ms'] / base['p95_ms']:.1f}×)")


def one_person(parsed: ParsedList, amount_step: int) -> ParsedList:
    """The feed's amendment fragment for one person of ``parsed`` (as ``server.province.publish_person`` makes it),
    with the amount of their first line raised by ``amount_step``."""
    person = next(p for p in parsed.beneficiaries
                  if sum(line.record_code == p.record_code for line in parsed.lines) >= 2)
    lines = [line for line in parsed.lines if line.record_code == person.record_code]
    lines[0] = dataclasses.replace(lines[0], amount=lines[0].amount + amount_step)
    commune = next(c for c in parsed.communes if c.code == person.commune_code)
    return ParsedList(
        source="amendment", sha256="", payout_period=parsed.payout_period, province=parsed.province,
        communes=(commune,), villages=(), points=(), schedule=(), beneficiaries=(person,),
        authorisations=tuple(a for a in parsed.authorisations if a.record_code == person.record_code),
        lines=tuple(lines),
    )


def _raw_amendment(raw: Any, fragment: ParsedList, now: str) -> None:  # raw: a sqlite3/sqlcipher3 connection
    """The bare SQL of the same amendment: what it must read and the line it must change."""
    person, changed = fragment.beneficiaries[0], fragment.lines[0]
    commune = fragment.communes[0]
    raw.execute("BEGIN IMMEDIATE")
    raw.execute("INSERT INTO provinces (code, name) VALUES (?, ?) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                (fragment.province.code, fragment.province.name))
    raw.execute("INSERT INTO communes (code, name, province_code, district) VALUES (?, ?, ?, ?) ON CONFLICT (code) "
                "DO UPDATE SET name = excluded.name, district = excluded.district",
                (commune.code, commune.name, commune.province_code, commune.district))
    raw.execute("SELECT * FROM beneficiaries WHERE record_code = ?", (person.record_code,)).fetchall()
    raw.execute("SELECT l.line_key, l.amount, l.method, l.kind, l.note, l.line_id, l.list_period, s.entry_id "
                "FROM entitlement_lines l LEFT JOIN line_settlements s ON s.line_key = l.line_key "
                "WHERE l.record_code = ?", (person.record_code,)).fetchall()
    raw.execute("UPDATE entitlement_lines SET amount = ? WHERE line_key = ?", (changed.amount, changed.key))
    raw.execute("INSERT INTO list_imports (payout_period, source, sha256, imported_at, added, changed, removed, "
                "kept_paid) VALUES (?, 'amendment', '', ?, 0, 1, 0, 0)", (fragment.payout_period, now))
    raw.execute("COMMIT")


def amendment_bench(folder: Path, tmp: Path, parsed: ParsedList, count: int) -> dict[str, object]:
    """A one-person amendment applied into a store holding the whole list, against its raw SQL (see the docstring)."""
    store = Store.open(folder, create=False)
    copy = tmp / "raw-copy.db"
    store.maintenance.backup(copy)
    raw = raw_connect(copy, store.key)
    now = "2026-12-01T08:00:00"
    fragments = [one_person(parsed, step) for step in (1_000, 2_000)]  # alternate: each one changes the amount
    lines_in_store = 0
    app_times: list[float] = []
    raw_times: list[float] = []
    load_before = os.getloadavg()[0]
    try:
        with database.read(store.engine) as conn:
            from sqlalchemy import text

            lines_in_store = conn.execute(text("SELECT count(*) FROM entitlement_lines")).scalar_one()
        for i in range(count + 20):
            fragment = fragments[i % 2]
            t0 = time.perf_counter()
            with database.write(store.engine) as conn:
                report = apply_list(conn, fragment, now, whole_communes=False)
            t1 = time.perf_counter()
            _raw_amendment(raw, fragment, now)
            t2 = time.perf_counter()
            assert report.lines_changed == 1, report
            if i >= 20:  # warm-up
                app_times.append(t1 - t0)
                raw_times.append(t2 - t1)
    finally:
        raw.close()
        store.close()
    load_after = os.getloadavg()[0]
    app, base = summary_ms(app_times), summary_ms(raw_times)
    ratio = app["p50_ms"] / base["p50_ms"]
    return {"lines_in_store": lines_in_store, "count": count, "app": app, "raw": base, "p50_ratio": round(ratio, 2),
            "p95_ratio": round(app["p95_ms"] / base["p95_ms"], 2),
            "loadavg": [round(load_before, 2), round(load_after, 2)],
            "target_ratio": verdict(ratio, TARGET_AMENDMENT_RATIO)}


if __name__ == "__main__":
    main()
