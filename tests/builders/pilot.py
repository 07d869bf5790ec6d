"""A pilot-sized year on the server, fast: the demo province (174 communes, ≈13,000 people) imported through the real
list import, then eleven more months of list membership and a year of payments (≈165,000 turns) bulk-written as the
facts ingest stores (entries, paid lines, a few reversals and double payments), and ``settled`` rebuilt from them.

Used by the console's volume test and by ``bench/bench_console.py``. Payment payloads are short stand-ins: this
data is for the console's figures, not for chain verification.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from app.lists.demo import DemoSpec, generate_demo_rows
from app.lists.policy import load_policy
from app.lists.reader import read_list
from app.lists.writer import write_list_csv
from server import db, maintenance, province

NOW = dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class PilotYear:
    months: list[str]
    turns: int
    paid_lines: int
    reversals: int
    double_payments: int
    list_lines: int


def months_of(first: str, count: int) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def _write(engine: Engine, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            driver = conn.connection.driver_connection
            assert driver is not None  # psycopg's connection, under this transaction
            cursor = driver.cursor()
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(f":{c}" for c in columns)
            conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"),
                         [dict(zip(columns, row)) for row in rows])


def load(engine: Engine, *, months: int = 12, communes: int = 174, first: str = "2026-01", seed: int = 7,
         paid_share: float = 0.98) -> PilotYear:
    db.migrate(engine)
    periods = months_of(first, months)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pilot.csv"
        write_list_csv(path, generate_demo_rows(DemoSpec(communes=communes, payout_period=first)), payout_period=first)
        parsed = read_list(path, policy=load_policy(), payout_period=first)
    with db.transaction(engine) as conn:
        province.import_list(conn, parsed, NOW)
        people_rows = conn.execute(text("SELECT record_code, commune_code, point_id FROM people")).all()
    where = {code: (commune, point) for code, commune, point in people_rows}
    rng = random.Random(seed)

    # Eleven more months: each carries every cash monthly line again, re-keyed for its month (one-time lines once).
    membership: list[tuple[Any, ...]] = []
    gift_turns: dict[str, list[tuple[str, str, str, int]]] = {}
    lines_by_month: dict[str, list[tuple[str, str, str, int]]] = {}
    for period in periods:
        month_lines = []
        seen: set[str] = set()
        for line in parsed.lines:
            if line.method.value != "cash" or (period != first and line.kind.value != "recurring"):
                continue
            key = line.key if period == first else f"{line.record_code}|{period}|{line.programme}|{line.regime}"
            if key in seen:  # a carried-over monthly line of the first list: one line a month afterwards
                continue
            seen.add(key)
            commune, point = where[line.record_code]
            month_lines.append((key, line.record_code, line.kind.value, line.amount))
            if period != first:
                membership.append((period, key, commune, line.record_code, point, line.kind.value, line.programme,
                                   line.regime, line.amount, "cash"))
        lines_by_month[period] = month_lines
        if period in (periods[0], periods[min(6, len(periods) - 1)]):  # the Tết and 27/7 gifts: a visit of their own
            gifts = []
            for record in sorted({record for _, record, _, _ in month_lines}):
                commune, point = where[record]
                key = f"{record}|{period}|qua_tang|gift"
                gifts.append((key, record, "one_time", 300_000))
                membership.append(
                    (period, key, commune, record, point, "one_time", "qua_tang", "gift", 300_000, "cash"))
            gift_turns[period] = gifts
    _write(engine, "list_lines", ["list_period", "line_key", "commune_code", "record_code", "point_id", "kind",
                                  "programme", "regime", "amount", "method"], membership)
    # One device per commune; a second device in every tenth commune for double payments.
    commune_codes = sorted({commune for commune, _ in where.values()})
    devices = {code: str(uuid.UUID(int=rng.getrandbits(128))) for code in commune_codes}
    seconds = {code: str(uuid.UUID(int=rng.getrandbits(128))) for code in commune_codes[::10]}
    _write(engine, "devices", ["device_id", "public_key", "label", "communes", "status", "enrolled_at", "last_seq",
                               "head_hash"],
           [(device, "0" * 64, f"{code}{suffix}", json.dumps([code]), "active", "2026-01-01T00:00:00.000000Z", 0,
             "0" * 64)
            for mapping, suffix in ((devices, ""), (seconds, "-2")) for code, device in mapping.items()])

    seq: dict[str, int] = {}
    entries: list[tuple[Any, ...]] = []
    paid: list[tuple[Any, ...]] = []
    reversals: list[tuple[Any, ...]] = []
    doubles = 0

    def payment(device: str, period: str, record: str, commune: str, lines: list[tuple[str, str, str, int]]) -> str:
        seq[device] = seq.get(device, 0) + 1
        entry_id = str(uuid.UUID(int=rng.getrandbits(128)))
        total = sum(amount for _, _, _, amount in lines)
        at = f"{period}-05T02:{seq[device] % 60:02d}:00.000000Z"
        payload = json.dumps({"kind": "payment", "record_code": record, "total": total}).encode()
        entries.append((entry_id, device, seq[device], "payment", "0" * 64, uuid.uuid4().hex * 2, payload, at, at,
                        "giaodich", None, commune, record, total, None, 0, period))
        for key, _, _, amount in lines:
            paid.append((entry_id, key, amount, record, commune, period, device))
        return entry_id

    for period in periods:
        by_person: dict[str, list[tuple[str, str, str, int]]] = {}
        for item in lines_by_month[period]:
            by_person.setdefault(item[1], []).append(item)
        for record, lines in sorted(by_person.items()):
            if rng.random() > paid_share:
                continue
            commune = where[record][0]
            entry_id = payment(devices[commune], period, record, commune, lines)
            if rng.random() < 0.004:  # a mistaken payment, reversed by a supervisor, then paid again
                seq[devices[commune]] += 1
                reversal_id = str(uuid.UUID(int=rng.getrandbits(128)))
                entries.append((reversal_id, devices[commune], seq[devices[commune]], "reversal", "0" * 64,
                                uuid.uuid4().hex * 2, b"{}", f"{period}-06T00:00:00.000000Z",
                                f"{period}-06T00:00:00.000000Z", "giamsat", None, commune, None, 0, None, 0, None))
                reversals.append((reversal_id, entry_id, sum(a for *_, a in lines)))
                payment(devices[commune], period, record, commune, lines)
            elif commune in seconds and rng.random() < 0.01:  # the same person paid again on another laptop
                payment(seconds[commune], period, record, commune, lines)
                doubles += 1
        for gift in gift_turns.get(period, []):
            if rng.random() < paid_share:
                commune = where[gift[1]][0]
                payment(devices[commune], period, gift[1], commune, [gift])
    _write(engine, "entries", ["entry_id", "device_id", "seq", "kind", "prev_hash", "entry_hash", "payload",
                               "recorded_at", "received_at", "staff", "session_id", "commune_code", "record_code",
                               "total", "recipient_id", "branch", "payout_period"], entries)
    _write(engine, "paid_lines", ["entry_id", "line_key", "amount", "record_code", "commune_code", "period",
                                  "device_id"], paid)
    _write(engine, "reversals", ["reversal_entry_id", "payment_entry_id", "total"], reversals)
    with db.transaction(engine) as conn:
        maintenance.rebuild_settled(conn)
        for table in ("entries", "paid_lines", "list_lines", "settled"):
            if engine.dialect.name == "postgresql":
                conn.execute(text(f"ANALYZE {table}"))
    turns = sum(1 for row in entries if row[3] == "payment") - len(reversals)
    return PilotYear(periods, turns, len(paid), len(reversals), doubles,
                     len(membership) + len(lines_by_month[periods[0]]))


def direct_counts(engine: Engine, first: str, last: str) -> dict[str, Any]:
    """The pilot's figures counted straight from the facts (entries, paid lines, reversals, list membership)."""
    not_reversed = "NOT EXISTS (SELECT 1 FROM reversals r WHERE r.payment_entry_id = e.entry_id)"
    with engine.connect() as conn:
        def one(sql: str) -> int:
            return int(conn.execute(text(sql), {"first": first, "last": last}).scalar_one() or 0)

        return {
            "communes": dict(conn.execute(text(
                "SELECT list_period, count(DISTINCT commune_code) FROM list_lines WHERE method = 'cash' "
                "AND list_period BETWEEN :first AND :last GROUP BY list_period"),
                {"first": first, "last": last}).all()),
            "turns": one(f"SELECT count(*) FROM entries e WHERE e.kind = 'payment' AND e.payout_period BETWEEN :first "
                         f"AND :last AND {not_reversed}"),
            "lines": one("SELECT count(*) FROM list_lines WHERE method = 'cash' "
                         "AND list_period BETWEEN :first AND :last"),
            "paid_lines": one(
                "SELECT count(*) FROM list_lines ll WHERE ll.method = 'cash' "
                "AND ll.list_period BETWEEN :first AND :last "
                f"AND EXISTS (SELECT 1 FROM paid_lines pl JOIN entries e ON e.entry_id = pl.entry_id WHERE "
                f"pl.line_key = ll.line_key AND e.payout_period = ll.list_period AND {not_reversed})"),
            "monthly_paid": one(
                "SELECT count(*) FROM list_lines ll WHERE ll.method = 'cash' AND ll.kind = 'recurring' "
                "AND ll.list_period "
                "BETWEEN :first AND :last AND EXISTS (SELECT 1 FROM paid_lines pl JOIN entries e ON e.entry_id = "
                f"pl.entry_id WHERE pl.line_key = ll.line_key AND e.payout_period = ll.list_period "
                f"AND {not_reversed})"),
            "cash": one(f"SELECT coalesce(sum(e.total), 0) FROM entries e WHERE e.kind = 'payment' AND e.payout_period "
                        f"BETWEEN :first AND :last AND {not_reversed}"),
        }
