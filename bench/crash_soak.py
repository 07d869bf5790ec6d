"""Crash soak: the crash test's loop with 200 kills (``tests/store/test_crash.py`` runs 30).

A child process pays in a loop (~6 KB signatures, occasional reversals, reverse-and-repay once everyone is paid) and
reports each entry after COMMIT; it is SIGKILLed 20–200 ms after its first report, the store is reopened and checked
(integrity, chain, every reported entry present, outbox one to one with the journal, no derived row without its
entry, settlements and session totals consistent), and the next child carries on from there. Not named
``bench_*.py``: ``./dev bench`` does not run it; run it by hand before a release.

Run: ``python bench/crash_soak.py [--kills 200] [--seed N] [--people 3000]``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import benchlib  # sys.path, isolated keys
from benchlib import print_table, record
from tests.builders.crash import check_store, prepare_store, run_and_kill


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--people", type=int, default=3000)
    args = parser.parse_args()
    benchlib.header(f"crash soak: {args.kills} SIGKILLs of a paying process")

    rng = random.Random(args.seed)
    began = time.perf_counter()
    starts, checks, per_round, lost_rounds = [], [], [], 0
    reported = []
    with tempfile.TemporaryDirectory(prefix="payout-crash-soak-") as tmp:
        folder = Path(tmp) / "data"
        session_id = prepare_store(folder, people=args.people)
        prepare_s = time.perf_counter() - began
        for kill in range(args.kills):
            delay = rng.uniform(0.020, 0.200)
            round_ = run_and_kill(folder, session_id, seed=rng.randrange(2**31), delay_s=delay)
            if not round_.reported or round_.returncode != -9:
                raise SystemExit(f"kill {kill}: the child reported {len(round_.reported)} entries and ended with "
                                 f"{round_.returncode}:\n{round_.stderr}")
            reported.extend(round_.reported)
            t0 = time.perf_counter()
            check = check_store(folder, reported, session_id=session_id)  # raises AssertionError on any damage
            checks.append(time.perf_counter() - t0)
            starts.append(round_.start_s)
            per_round.append(len(round_.reported))
            if check.lost_reports:
                lost_rounds += 1
            if (kill + 1) % 25 == 0:
                print(f"  {kill + 1} kills: {check.entries:,} entries, all checks ok")
        db_bytes = (folder / "payout.db").stat().st_size
    elapsed = time.perf_counter() - began
    print()
    print_table(["", "value"], [
        ["kills (SIGKILL)", args.kills],
        ["journal entries at the end", check.entries],
        ["payments / reversals", f"{check.payments:,} / {check.reversals:,}"],
        ["entries reported per round (median)", statistics.median(per_round)],
        ["rounds killed between COMMIT and its report", lost_rounds],
        ["child start to first report, median s", round(statistics.median(starts), 3)],
        ["reopen + checks after a kill, median s", round(statistics.median(checks), 3)],
        ["failed checks", 0],
        [f"total s (prepare {prepare_s:.1f} s)", round(elapsed, 1)],
    ])
    print("\nevery kill: integrity_check ok, chain verifies, every reported entry present, outbox = journal, "
          "no orphan rows, settlements and session total consistent")
    record("crash_soak", {
        "kills": args.kills, "seed": args.seed, "people": args.people, "entries": check.entries,
        "payments": check.payments, "reversals": check.reversals, "failed_checks": 0,
        "rounds_killed_between_commit_and_report": lost_rounds,
        "median_child_start_s": round(statistics.median(starts), 3),
        "median_check_s": round(statistics.median(checks), 3), "total_s": round(elapsed, 1),
        "db_mb": round(db_bytes / 1e6, 1), "loadavg_end": round(os.getloadavg()[0], 2),
    })


if __name__ == "__main__":
    main()
