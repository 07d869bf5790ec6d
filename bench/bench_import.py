"""Importing a province's monthly list: a 14,000-line .xlsx read and imported into a fresh store.

The list is the demo generator's (``DemoSpec(communes=152)`` ≈ 14,000 lines, written by ``write_list_xlsx`` with the
title block and totals a province office's file has). Timed: the raw baseline (openpyxl ``read_only`` iterating every
row's values, nothing else), ``read_list`` alone (parse, validate, build domain values), and
``store.lists.import_file`` in total (read + one import transaction) into a fresh store. Each is run ``--runs`` times
(a fresh store each time); the median counts.

Target: import_file ≤ 10 s.   Run: ``python bench/bench_import.py [--runs N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import benchlib  # noqa: F401  (sys.path, isolated keys)
from benchlib import print_table, record, verdict

from app.lists.demo import DemoSpec, generate_demo_rows
from app.lists.reader import read_list
from app.lists.writer import write_list_xlsx
from app.store.store import Store

TARGET_S = 10.0
SPEC = DemoSpec(communes=152, seed=1, payout_period="2026-12")


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
    args = parser.parse_args()
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

    med = {name: statistics.median(values) for name, values in
           (("baseline", baseline), ("read", reads), ("import", imports), ("open", opens))}
    runs = lambda values: " / ".join(f"{v:.2f}" for v in values)  # noqa: E731
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
    record("import", {
        "lines": len(rows), "people": report.people_added, "xlsx_bytes": xlsx_bytes,
        "runs": args.runs, "loadavg": [round(load_before, 2), round(load_after, 2)],
        "openpyxl_s": round(med["baseline"], 3), "read_list_s": round(med["read"], 3),
        "import_file_s": round(med["import"], 3), "store_transaction_s": round(med["import"] - med["read"], 3),
        "ratio_import_to_openpyxl": round(med["import"] / med["baseline"], 2),
        "target": verdict(med["import"], TARGET_S),
    })


if __name__ == "__main__":
    main()
