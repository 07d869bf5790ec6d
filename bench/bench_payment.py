"""Committing a payment: ``store.payouts.pay`` against a raw-SQL transaction writing the same rows.

The app's payment re-checks the rules inside ``BEGIN IMMEDIATE`` and writes the chained journal entry, 3 payment
lines, a ~6 KB signature (strokes + PNG), 3 line settlements, the payments row, the outbox row and the session total,
then COMMITs with ``synchronous=FULL``. The baseline does only the writes — ``BEGIN IMMEDIATE``, the same INSERTs
(a journal row with the app's payload bytes and a sha256 chain hash, 3 payment_lines, the signature, 3
settlements, payments, outbox), ``UPDATE`` of the session, ``COMMIT`` — on a raw sqlcipher3 connection to a copy of
the same file (made with the backup API before any payment, same key). App and raw run alternately, one payment
each, so both see the same disk and load. A profile of the app's payments follows, to say where the time goes.

Targets: p95 ≤ 25 ms and ≤ 3× the raw transaction.   Run: ``python bench/bench_payment.py [--payments N]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import benchlib  # sys.path, isolated keys
from app.domain.model import IdentityCheck, PaymentRequest, Recipient
from app.domain.signature import decode_strokes, is_blank, signature_digest
from app.store.database import raw_connect
from app.store.store import Store
from benchlib import print_table, record, summary_ms, verdict
from tests.builders.crash import TELLER, prepare_store, signature_evidence

TARGET_P95_MS = 25.0
TARGET_RATIO = 3.0
PROFILED = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()
    benchlib.header(f"payment commit: {args.payments} payments of 3 lines with a ~6 KB signature")
    total = args.warmup + args.payments + PROFILED
    evidence = signature_evidence(0)
    print(f"signature: {len(evidence.strokes):,} B strokes + {len(evidence.png):,} B PNG\n")

    with tempfile.TemporaryDirectory(prefix="payout-bench-payment-") as tmp:
        folder = Path(tmp) / "data"
        session_id = prepare_store(folder, people=total + 10, lines_per_person=3)
        store = Store.open(folder, create=False)
        copy = Path(tmp) / "raw-copy.db"
        store.maintenance.backup(copy)
        raw = raw_connect(copy, store.key)
        try:
            codes = [row[0] for row in raw.execute("SELECT record_code FROM beneficiaries ORDER BY person_id")]
            lines_of: dict[str, list[tuple[str, int]]] = {}
            for key, record_code, amount in raw.execute(
                "SELECT line_key, record_code, amount FROM entitlement_lines ORDER BY position"
            ):
                lines_of.setdefault(record_code, []).append((key, amount))
            seq, prev_hash = raw.execute("SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
            digest = signature_digest(evidence.strokes)
            payouts = store.payouts
            app_times: list[float] = []
            raw_times: list[float] = []
            load_before = os.getloadavg()[0]
            for i in range(args.warmup + args.payments):
                record_code = codes[i]
                view = payouts.person(record_code, session_id)
                assert len(view.selected) == 3
                request = PaymentRequest(session_id, record_code, tuple(sorted(view.selected)), Recipient(),
                                         IdentityCheck.CARD_INSPECTED, evidence, TELLER)
                t0 = time.perf_counter()
                payment = payouts.pay(request)
                t1 = time.perf_counter()
                payload = _payload(store, payment.entry_id)
                t2 = time.perf_counter()
                seq, prev_hash = _raw_payment(raw, seq, prev_hash, payload, session_id, record_code,
                                              lines_of[record_code], evidence, digest)
                t3 = time.perf_counter()
                if i >= args.warmup:
                    app_times.append(t1 - t0)
                    raw_times.append(t3 - t2)
            load_after = os.getloadavg()[0]
            assert store.maintenance.verify().ok

            app, base = summary_ms(app_times), summary_ms(raw_times)
            profile = _profile(store, session_id, codes[args.warmup + args.payments:], evidence)
        finally:
            raw.close()
            store.close()

    ratio = app["p95_ms"] / base["p95_ms"]
    print_table(["", "n", "p50 ms", "p95 ms", "max ms"], [
        ["store.payouts.pay", app["n"], app["p50_ms"], app["p95_ms"], app["max_ms"]],
        ["raw transaction", base["n"], base["p50_ms"], base["p95_ms"], base["max_ms"]],
    ])
    print(f"\n(load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores)")
    print(f"target p95 ≤ {TARGET_P95_MS} ms: {app['p95_ms']} ms → {verdict(app['p95_ms'], TARGET_P95_MS)}")
    print(f"target ≤ {TARGET_RATIO}× raw p95: {ratio:.1f}× → {verdict(ratio, TARGET_RATIO)} "
          f"(p50 ratio {app['p50_ms'] / base['p50_ms']:.1f}×)")
    print(f"\nwhere the app's time goes ({PROFILED} more payments, medians per payment, ms):")
    print_table(["part", "ms"], [[name, ms] for name, ms in profile["parts"].items()])
    print("(the app runs BEGIN, 5 reads and 7 writes, then COMMIT; "
          "the raw transaction BEGIN, the same 7 writes, COMMIT)")
    record("payment", {
        "payments": app["n"], "signature_bytes": len(evidence.strokes) + len(evidence.png),
        "loadavg": [round(load_before, 2), round(load_after, 2)], "app": app, "raw": base,
        "p95_ratio": round(ratio, 2), "p50_ratio": round(app["p50_ms"] / base["p50_ms"], 2),
        "target_p95": verdict(app["p95_ms"], TARGET_P95_MS),
        "target_ratio": verdict(ratio, TARGET_RATIO), "profile": profile,
    })


def _payload(store: Store, entry_id: str) -> bytes:
    from sqlalchemy import text

    from app.store import database

    with database.read(store.engine) as conn:
        payload = conn.execute(text("SELECT payload FROM journal WHERE entry_id = :e"), {"e": entry_id}).scalar_one()
        return bytes(payload)


def _raw_payment(raw, seq: int, prev_hash: str, payload: bytes, session_id: str, record_code: str,
                 lines: list[tuple[str, int]], evidence, digest: str) -> tuple[int, str]:
    """The bare writes of one payment in one transaction; the new (seq, head hash)."""
    seq += 1
    entry_id = str(uuid.uuid4())
    entry_hash = hashlib.sha256(prev_hash.encode("ascii") + b"\n" + payload).hexdigest()
    now = "2026-12-05T08:30:00.000000Z"
    total = sum(amount for _, amount in lines)
    raw.execute("BEGIN IMMEDIATE")
    try:
        raw.execute(
            "INSERT INTO journal (seq, entry_id, kind, recorded_at, staff, payload, prev_hash, entry_hash) "
            "VALUES (?, ?, 'payment', ?, ?, ?, ?, ?)",
            (seq, entry_id, now, TELLER, payload, prev_hash, entry_hash),
        )
        raw.executemany("INSERT INTO payment_lines (entry_id, line_key, amount) VALUES (?, ?, ?)",
                        [(entry_id, key, amount) for key, amount in lines])
        raw.execute("INSERT INTO signatures (entry_id, strokes, png, digest) VALUES (?, ?, ?, ?)",
                    (entry_id, evidence.strokes, evidence.png, digest))
        raw.executemany("INSERT INTO line_settlements (line_key, entry_id) VALUES (?, ?)",
                        [(key, entry_id) for key, _ in lines])
        raw.execute("INSERT INTO payments (entry_id, session_id, record_code, total, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (entry_id, session_id, record_code, total, now))
        raw.execute("INSERT INTO outbox (seq, entry_id, state, updated_at) VALUES (?, ?, 'pending', ?)",
                    (seq, entry_id, now))
        raw.execute("UPDATE payout_sessions SET paid_total = paid_total + ? WHERE session_id = ?", (total, session_id))
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    return seq, entry_hash


def _profile(store: Store, session_id: str, codes: list[str], evidence) -> dict:
    """Split a payment's time, payment by payment, over ``PROFILED`` more payments.

    The signature checks (decode + ink length before BEGIN) are timed alone; SQL statements and COMMIT are timed by
    wrapping this engine's dialect ``do_execute*``/``do_commit`` (instrumentation of the benchmark's engine instance,
    not a change to the app); the rest of each payment is Python: SQLAlchemy, the pool, rules, canonical JSON.
    """
    payouts = store.payouts
    requests = []
    for record_code in codes[:PROFILED]:
        view = payouts.person(record_code, session_id)
        requests.append(PaymentRequest(session_id, record_code, tuple(sorted(view.selected)), Recipient(),
                                       IdentityCheck.CARD_INSPECTED, evidence, TELLER))
    signature_runs = []
    for _ in range(50):
        t0 = time.perf_counter()
        is_blank(decode_strokes(evidence.strokes))
        signature_digest(evidence.strokes)
        signature_runs.append(time.perf_counter() - t0)
    signature = statistics.median(signature_runs)

    dialect = store.engine.dialect
    spent = {"sql": 0.0, "commit": 0.0, "statements": 0}

    def timed(name: str, original):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0
                if name == "sql":
                    spent["statements"] += 1
        return wrapper

    originals = {name: getattr(dialect, name) for name in
                 ("do_execute", "do_executemany", "do_execute_no_params", "do_commit")}
    for name, original in originals.items():
        setattr(dialect, name, timed("commit" if name == "do_commit" else "sql", original))
    parts: dict[str, list[float]] = {"total": [], "sql": [], "commit": [], "glue": []}
    statements = []
    try:
        for request in requests:
            spent.update(sql=0.0, commit=0.0, statements=0)
            t0 = time.perf_counter()
            payouts.pay(request)
            total = time.perf_counter() - t0
            parts["total"].append(total)
            parts["sql"].append(spent["sql"])
            parts["commit"].append(spent["commit"])
            parts["glue"].append(total - signature - spent["sql"] - spent["commit"])
            statements.append(spent["statements"])
    finally:
        for name in originals:
            delattr(dialect, name)  # back to the class's methods
    ms = {name: round(statistics.median(values) * 1000, 2) for name, values in parts.items()}
    table = {
        "payment (median of these payments)": ms["total"],
        "signature decode_strokes + is_blank + digest (before BEGIN)": round(signature * 1000, 2),
        f"SQL statements incl. BEGIN ({statistics.median(statements):.0f} per payment)": ms["sql"],
        "COMMIT with synchronous=FULL (WAL fsync)": ms["commit"],
        "Python around them: SQLAlchemy, pool, rules, canonical JSON": ms["glue"],
    }
    return {"parts": table, "statements_per_payment": statistics.median(statements)}


if __name__ == "__main__":
    main()
