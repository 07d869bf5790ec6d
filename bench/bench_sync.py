"""Sync to the province server on PostgreSQL: one device's 10,000 signed payments end to end, and 200 devices at once.

Everything is real and local: a throw-away PostgreSQL cluster (``tests/builders/postgres.py`` ``PostgresCluster``), the
server app (``server.api.create_app``) served by uvicorn on loopback (``LiveServer``), the demo province list.

1. **One device.** A real enrolled ``Store`` (SQLCipher) downloads the list, opens a session per commune and pays
   ``--payments`` people through ``store.payouts.pay`` with ~6 KB PDS1 signature strokes each (different bytes for
   every payment) — setup, not timed. Then ``SyncEngine(store).run()`` (batches of 500) is timed end to end.
   Inside the server, every ``journal.apply_journal`` call (parse, checks, inserts, COMMIT of one batch) is timed by
   wrapping the module function. The same wire batches are then replayed into a fresh database: ``apply_journal``
   called directly (the server's ingest without HTTP), interleaved batch by batch with the raw baseline — psycopg
   ``executemany`` of the same rows (entries with payload bytes, paid_lines, signatures) into plain tables of the
   same columns and indexes (no foreign keys) in a scratch database of the same cluster, one transaction per batch.
   Targets: end to end ≤ 5 s; server ingest ≥ 25 % of the raw rate.
2. **Many devices.** ``--devices`` devices (fresh Ed25519 keys, enrolled over ``POST /api/v1/enrol``), each with its
   own ``--per-device`` people (so nothing is a double payment), build their journals directly with
   ``app.domain.journal`` (a ``session_opened`` per commune, then the payments) and upload them at once from a
   thread pool in a separate process (``--workers`` threads, one ``requests`` session per device, batches of
   ``--batch``), as other machines would. Then the database is counted: entries lost, duplicated, flags.
   Targets: 0 errors, 0 lost, 0 duplicated.

``--profile`` adds where ``apply_journal``'s time goes (phases and statements, wall clock; then cProfile). What-ifs that
change no code: ``--lz4`` (lz4 instead of pglz TOAST compression for ``signatures.strokes``) and ``--no-upload-lock``
(part 2's uploads skip the server's province-wide ``feed.lock``). Results: ``docs/PERFORMANCE.md`` "Sync (issue 5)".

Run: ``python bench/bench_sync.py [--payments 10000] [--devices 200] [--per-device 100] [--quick] [--profile]
[--part 1|2]`` (``--quick``: 1,000 payments and 20 devices, a smoke run, ~15 s; the full run ~2.5 min). The cluster,
the servers and the upload process are stopped and the temporary folder removed even on failure.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import cProfile
import datetime as dt
import hashlib
import io
import json
import math
import multiprocessing
import os
import pstats
import shutil
import statistics
import struct
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import benchlib  # sys.path, isolated keys
from benchlib import ROOT, percentile, print_table, record

TARGET_E2E_S = 5.0
TARGET_INGEST_SHARE = 0.25
PERIOD = "2026-12"
DAY = dt.date(2026, 12, 5)
START = dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)
TELLER = "giaodich"
SIGNATURE_SHAPES = 64  # distinct signature drawings; each payment's bytes differ (first point's time)
JOURNAL_PATH = "/api/v1/journal"


class BenchClock:
    """The bench's 'now' for the server and every device: a fixed payout day, advancing with the monotonic clock.

    CLOCK_MONOTONIC is system-wide on Linux, so the upload process shares it (same skew: none).
    """

    def __init__(self, start: dt.datetime = START, origin: float | None = None) -> None:
        self.start = start
        self.origin = time.monotonic() if origin is None else origin

    def __call__(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self.origin)


class CpuMeter:
    """Cores kept busy during a timed window: this process (all its threads) and the whole machine (/proc/stat)."""

    def __init__(self) -> None:
        self.wall, self.process, self.machine = time.perf_counter(), _process_cpu(), _machine_busy()

    def cores(self) -> tuple[float, float]:
        wall = time.perf_counter() - self.wall
        return (_process_cpu() - self.process) / wall, (_machine_busy() - self.machine) / wall


def _process_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _machine_busy() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# --- signatures -------------------------------------------------------------------------------------------------------


def signature_shapes(count: int) -> list[bytes]:
    """``count`` cursive signatures of ~6 KB PDS1 strokes each (6 strokes × 330 points at ~120 Hz)."""
    from tests.builders.crash import signature_strokes

    return [signature_strokes(seed, strokes=6, points=330) for seed in range(count)]


def vary(strokes: bytes, n: int) -> bytes:
    """The same drawing with the first point's time set to ``n`` ms: valid PDS1, a different digest per payment.

    Layout: header ``<4sHHH`` (10 bytes), the first stroke's point count (2), its first point ``<HHI``: t at 16..20.
    """
    return strokes[:16] + struct.pack("<I", n) + strokes[20:]


# --- the province server --------------------------------------------------------------------------------------------


def demo_list(folder: Path, communes: int, people_per_commune: int | None = None):  # -> ParsedList
    from app.lists.demo import DemoSpec, generate_demo_rows
    from app.lists.policy import load_policy
    from app.lists.reader import read_list
    from app.lists.writer import write_list_csv

    rows = generate_demo_rows(DemoSpec(communes=communes, payout_period=PERIOD, people_per_commune=people_per_commune))
    path = folder / f"danh-sach-{communes}.csv"
    write_list_csv(path, rows, payout_period=PERIOD)
    return read_list(path, policy=load_policy(), payout_period=PERIOD)


class Province:
    """A server database with the list imported, its app and (once started) its uvicorn server."""

    def __init__(self, cluster: Any, name: str, folder: Path, parsed: Any, clock: BenchClock) -> None:
        from server import accounts, db, province
        from server.settings import ServerSettings
        from server.setup import init_server
        from tests.builders.province import offline_recovery_key

        self.name = name
        self.cluster = cluster
        self.url = cluster.create_database(name)
        self.settings = ServerSettings(data_dir=folder / name, database_url=self.url, clock=clock)
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        init_server(self.settings, offline_recovery_key(folder / f"{name}-usb" / "recovery-key.txt"))
        self.engine = db.make_engine(self.url)
        with db.transaction(self.engine) as conn:
            province.import_list(conn, parsed, clock())
            accounts.add_user(conn, TELLER, "Nguyễn Thị Giao Dịch", "teller", "pw-teller", ["*"], clock())
        self.live: Any = None
        self.asgi: TimedASGI | None = None

    def serve(self) -> str:
        from server.api import create_app
        from tests.builders.loopback import LiveServer

        self.asgi = TimedASGI(create_app(self.settings, self.engine))
        self.live = LiveServer(self.asgi).start()
        return self.live.url

    def what_if_lz4(self) -> None:
        """``--lz4``: compress signature strokes with lz4 instead of pglz in this database (not the server's schema)."""
        from sqlalchemy import text

        with self.engine.begin() as conn:
            conn.execute(text(LZ4))
        print("WHAT-IF (--lz4): signatures.strokes uses lz4 TOAST compression in this server database")

    def enrol_code(self, communes: list[str]) -> str:
        from server import accounts, db

        with db.transaction(self.engine) as conn:
            return accounts.make_enrol_code(conn, communes, self.settings.clock(), 72)

    def scalar(self, sql: str) -> Any:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    def rows(self, sql: str) -> list[Any]:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return list(conn.execute(text(sql)))

    def close(self) -> None:
        try:
            if self.live is not None:
                self.live.stop()
        finally:
            self.engine.dispose()


class Timed:
    """A wrapper of ``target`` recording (seconds, entries) of each call; ``count(*args)`` says how many entries."""

    def __init__(self, target: Callable[..., Any], count: Callable[..., int]) -> None:
        self.target, self.count = target, count
        self.calls: list[tuple[float, int]] = []
        self.lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        result = self.target(*args, **kwargs)
        elapsed = time.perf_counter() - t0
        with self.lock:
            self.calls.append((elapsed, self.count(*args, **kwargs)))
        return result

    @property
    def seconds(self) -> float:
        return sum(s for s, _ in self.calls)

    @property
    def entries(self) -> int:
        return sum(n for _, n in self.calls)


class TimedASGI:
    """The server app, wrapped to time each HTTP request inside uvicorn: (path, body received at, answered at) s."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: list[tuple[str, float, float]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        received = [0.0]

        async def timed_receive() -> Any:
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body"):
                received[0] = time.perf_counter() - t0
            return message

        await self.app(scope, timed_receive, send)
        self.calls.append((scope["path"], received[0], time.perf_counter() - t0))

    def seconds(self, path: str) -> tuple[float, float]:
        """(receiving bodies, whole requests) summed over the requests to ``path``."""
        calls = [c for c in self.calls if c[0] == path]
        return sum(c[1] for c in calls), sum(c[2] for c in calls)


@contextlib.contextmanager
def timing_methods(cls: type, names: tuple[str, ...]) -> Iterator[dict[str, Timed]]:
    """Time calls of the methods ``names`` of ``cls`` (class attributes, restored afterwards)."""
    originals = {name: cls.__dict__[name] for name in names}
    timers = {name: Timed(originals[name], lambda *a, **k: 0) for name in names}

    def method(timer: Timed) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return timer(*args, **kwargs)

        return call

    for name in names:
        setattr(cls, name, method(timers[name]))
    try:
        yield timers
    finally:
        for name, original in originals.items():
            setattr(cls, name, original)


@contextlib.contextmanager
def timing_apply_journal() -> Iterator[Timed]:
    """Time every ``server.journal.apply_journal`` call (one batch's transaction) made by the journal route meanwhile.

    The route looks the function up in its module at each call, so replacing the module attribute is enough.
    """
    from server import journal

    original = journal.apply_journal
    timed = Timed(original, lambda engine, settings, device_id, raw, *a, **k: len(raw))
    journal.apply_journal = timed
    try:
        yield timed
    finally:
        journal.apply_journal = original


# --- part 1: one device, the real client ---------------------------------------------------------------------------


def part_one(cluster: Any, folder: Path, clock: BenchClock, payments: int, profile: bool,
             lz4: bool = False) -> dict[str, Any]:
    from app.domain.model import Evidence, EvidenceKind, IdentityCheck, PaymentRequest, Recipient
    from app.domain.signature import decode_strokes, render_png
    from app.store.store import Store
    from app.store.sync import SyncService
    from app.sync.engine import SyncEngine, client_for
    from app.sync.enrolment import enrol

    print(f"-- 1. one device, {payments:,} signed payments, SyncEngine.run() to PostgreSQL --")
    setup: dict[str, float] = {}
    t = time.perf_counter()
    communes = max(8, math.ceil(payments / 62))  # ~76 people per demo commune, ~85 % payable in cash
    parsed = demo_list(folder, communes)
    setup["demo list"] = time.perf_counter() - t
    t = time.perf_counter()
    server = Province(cluster, "sync_one", folder, parsed, clock)
    store = None
    try:
        if lz4:
            server.what_if_lz4()
        url = server.serve()
        code = server.enrol_code([c.code for c in parsed.communes])
        setup["server db + list import"] = time.perf_counter() - t
        t = time.perf_counter()
        store = Store.open(folder / "device", clock=clock)
        enrol(store, url, code, label="bench")
        first = SyncEngine(store).run()
        assert first.ok, first.as_json()
        setup["store, enrol, download"] = time.perf_counter() - t
        print(f"list: {len(parsed.communes)} communes, {len(parsed.beneficiaries):,} people, {len(parsed.lines):,} "
              f"lines; downloaded {first.downloaded} feed items")

        t = time.perf_counter()
        shapes = signature_shapes(SIGNATURE_SHAPES)
        pngs = [render_png(decode_strokes(s)) for s in shapes]
        setup["signature shapes + PNGs"] = time.perf_counter() - t
        t = time.perf_counter()
        people = sorted((p for p in parsed.beneficiaries if p.status.value == "active"),
                        key=lambda p: (p.commune_code, p.record_code))
        point_of: dict[str, str | None] = {c.code: None for c in parsed.communes}
        for point in parsed.points:
            point_of[point.commune_code] = point_of[point.commune_code] or point.point_id
        sessions: dict[str, str] = {}
        paid = 0
        lines_paid = 0
        pay_times: list[float] = []
        for person in people:
            if paid == payments:
                break
            commune = person.commune_code
            if commune not in sessions:
                point = point_of[commune]
                assert point is not None  # every commune of the list has a payout point
                sessions[commune] = store.payouts.open_session(
                    commune_code=commune, point_id=point, day=DAY, cash_advance=10**13, staff=TELLER
                ).session_id
            view = store.payouts.person(person.record_code, sessions[commune])
            if not view.selected:
                continue
            shape = paid % SIGNATURE_SHAPES
            evidence = Evidence(EvidenceKind.SIGNATURE, strokes=vary(shapes[shape], 1000 + paid), png=pngs[shape])
            request = PaymentRequest(sessions[commune], person.record_code, tuple(sorted(view.selected)),
                                     Recipient(), IdentityCheck.CARD_INSPECTED, evidence, TELLER)
            t0 = time.perf_counter()
            store.payouts.pay(request)
            pay_times.append(time.perf_counter() - t0)
            paid += 1
            lines_paid += len(view.selected)
        if paid < payments:
            raise RuntimeError(f"only {paid} payable people in {communes} demo communes")
        setup["paying (person() + pay())"] = time.perf_counter() - t
        journal = store.sync.pending_count()
        print(f"paid {paid:,} people ({lines_paid:,} lines) in {len(sessions)} sessions: {journal:,} entries to send; "
              f"pay() p50 {percentile(pay_times, 50) * 1000:.1f} ms (setup, not timed)")
        print_table(["setup step (not timed)", "s"], [[k, round(v, 2)] for k, v in setup.items()])

        # The timed sync: the real engine and client, with the server's apply_journal and the POSTs timed.
        client = client_for(store)
        batches: list[list[dict[str, Any]]] = []
        real_upload = client.upload

        def keep(entries: list[dict[str, Any]], pending: int | None = None) -> dict[str, Any]:
            batches.append(entries)  # the wire batches, for the replay below (no copy)
            return real_upload(entries, pending)

        upload = Timed(keep, lambda entries, pending=None: len(entries))
        client.upload = upload  # type: ignore[method-assign]
        assert server.asgi is not None  # served above
        server.asgi.calls.clear()
        timed_methods = tuple(name for name in ("next_batch", "mark_sent", "accept", "acknowledge")
                              if name in SyncService.__dict__)  # accept: per-entry confirmations, newer clients
        with timing_methods(SyncService, timed_methods) as local, \
                timing_apply_journal() as inside:
            meter = CpuMeter()
            t0 = time.perf_counter()
            report = SyncEngine(store, client, batch_size=500).run()
            e2e = time.perf_counter() - t0
            cpu = meter.cores()
        assert report.ok and report.pending == 0, report.as_json()
        stored = server.scalar("SELECT count(*) FROM entries")
        signatures = server.scalar("SELECT count(*) FROM signatures")
        wire_bytes = sum(len(json.dumps(b, ensure_ascii=False, separators=(",", ":")).encode()) for b in batches)
        flags = server.scalar("SELECT count(*) FROM flags")
        assert stored == journal and signatures == paid, (stored, journal, signatures, paid)
        sig_bytes = statistics.mean(len(base64.b64decode(e["signature"])) for b in batches for e in b if e["signature"])
        print(f"\nsync: {journal:,} entries in {len(batches)} batches, {wire_bytes / 1e6:.1f} MB of JSON "
              f"(signature strokes {sig_bytes:,.0f} B each); server stored {stored:,}, flags {flags}")
        body_s, request_s = server.asgi.seconds(JOURNAL_PATH)
        parts = {
            "client: next_batch (SQLCipher read)": local["next_batch"].seconds,
            "client: JSON encode + requests, until the body is in": upload.seconds - request_s + body_s,
            "server: FastAPI, JSON + pydantic, auth, answer": request_s - body_s - inside.seconds,
            "server: apply_journal (checks, inserts, COMMIT)": inside.seconds,
            "client: mark_sent, accept, acknowledge": sum(local[n].seconds for n in timed_methods if n != "next_batch"),
        }
        parts["client: rest (base64 wire encoding, sealed key, counts, feed download)"] = e2e - sum(parts.values())
        print_table(["SyncEngine.run() end to end", "s", "share"],
                    [[name, round(value, 2), f"{value / e2e:.0%}"] for name, value in parts.items()]
                    + [["total", round(e2e, 2), f"{journal / e2e:,.0f} entries/s"]])
        print(f"server ingest inside the POSTs: {inside.entries / inside.seconds:,.0f} entries/s (apply_journal); "
              f"{journal / (request_s - body_s):,.0f} entries/s (whole request after its body arrived)")
        print(f"CPU during the sync: this process (client + server threads) {cpu[0]:.2f} cores, whole machine "
              f"{cpu[1]:.2f} of {os.cpu_count()} busy (PostgreSQL and any other jobs make the difference)")
        print(f"target end to end ≤ {TARGET_E2E_S} s: {e2e:.2f} s → {'pass' if e2e <= TARGET_E2E_S else 'MISS'}")

        store.close()
        store = None
        server.close()

        replay = replay_vs_raw(cluster, folder, clock, parsed, batches)
        profiled = profile_ingest(cluster, folder, clock, parsed, batches) if profile else None
        request_parts = request_breakdown(cluster, folder, clock, parsed, batches) if profile else None
        return {
            "payments": paid, "lines": lines_paid, "entries": journal, "batches": len(batches),
            "wire_mb": round(wire_bytes / 1e6, 2), "signature_bytes": round(sig_bytes), "setup_s": {
                k: round(v, 2) for k, v in setup.items()}, "pay_p50_ms": round(percentile(pay_times, 50) * 1000, 2),
            "e2e_s": round(e2e, 3), "e2e_cpu_cores": [round(c, 2) for c in cpu],
            "e2e_parts_s": {k: round(v, 3) for k, v in parts.items()},
            "ingest_in_post_rate": round(inside.entries / inside.seconds),
            "target_e2e": "pass" if e2e <= TARGET_E2E_S else "MISS", "flags": flags, **replay,
            "profile": profiled, "request_parts": request_parts,
        }
    finally:
        if store is not None:
            store.close()
        server.close()


# --- the server's ingest against raw executemany ------------------------------------------------------------------

RAW_DDL = """
CREATE TABLE entries (
    id bigserial PRIMARY KEY, entry_id varchar(36) NOT NULL UNIQUE, device_id varchar(36) NOT NULL,
    seq bigint NOT NULL, kind varchar(24) NOT NULL, prev_hash varchar(64) NOT NULL, entry_hash varchar(64) NOT NULL,
    payload bytea NOT NULL, recorded_at varchar(32) NOT NULL, received_at varchar(32) NOT NULL,
    staff varchar(64) NOT NULL, session_id varchar(36), commune_code varchar(32), record_code varchar(64),
    total bigint, recipient_id varchar(32), branch integer NOT NULL DEFAULT 0, payout_period varchar(7));
CREATE INDEX ix_entries_device_seq ON entries (device_id, seq);
CREATE INDEX ix_entries_session ON entries (session_id);
CREATE INDEX ix_entries_commune ON entries (commune_code, kind);
CREATE TABLE paid_lines (
    entry_id varchar(36) NOT NULL, line_key varchar(200) NOT NULL, amount bigint NOT NULL,
    record_code varchar(64) NOT NULL, commune_code varchar(32), period varchar(7) NOT NULL,
    device_id varchar(36) NOT NULL, CONSTRAINT uq_paid_lines_entry_line UNIQUE (entry_id, line_key));
CREATE INDEX ix_paid_lines_key ON paid_lines (line_key);
CREATE INDEX ix_paid_lines_commune_period ON paid_lines (commune_code, period);
CREATE TABLE signatures (entry_id varchar(36) PRIMARY KEY, strokes bytea NOT NULL, digest varchar(64) NOT NULL);
"""
RAW_ENTRY = ("INSERT INTO entries (entry_id, device_id, seq, kind, prev_hash, entry_hash, payload, recorded_at, "
             "received_at, staff, session_id, commune_code, record_code, total, recipient_id, branch, payout_period) "
             "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
RAW_LINE = ("INSERT INTO paid_lines (entry_id, line_key, amount, record_code, commune_code, period, device_id) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)")
RAW_SIGNATURE = "INSERT INTO signatures (entry_id, strokes, digest) VALUES (%s, %s, %s)"


def raw_rows(batch: list[dict[str, Any]], commune_of: dict[str, str], received: str):  # -> (entries, lines, sigs)
    """The rows the server writes for a batch, made beforehand (the baseline times only the database)."""
    entries, lines, signatures = [], [], []
    for wire in batch:
        payload = json.loads(wire["payload"])
        body = payload["body"]
        kind = wire["kind"]
        record_code = body.get("record_code")
        commune = commune_of.get(record_code) if record_code else body.get("commune_code")
        total = body.get("total") if kind == "payment" else body.get("cash_advance")
        entries.append((wire["entry_id"], payload["device_id"], wire["seq"], kind, wire["prev_hash"],
                        wire["entry_hash"], wire["payload"].encode("utf-8"), payload["recorded_at"], received,
                        payload["staff"], body.get("session_id"), commune, record_code, total, None, 0,
                        PERIOD if kind in ("payment", "session_opened") else None))
        if kind == "payment":
            for line in body["lines"]:
                lines.append((wire["entry_id"], line["key"], line["amount"], record_code, commune,
                              str(line["period"])[:7], payload["device_id"]))
            if wire["signature"]:
                signatures.append((wire["entry_id"], base64.b64decode(wire["signature"]),
                                   body["evidence"]["signature_digest"]))
    return entries, lines, signatures


def fresh_server_db(cluster: Any, folder: Path, name: str, clock: BenchClock, parsed: Any,
                    batches: list[list[dict[str, Any]]]) -> Any:
    """A new server database with the same list and the batches' device enrolled (public key: any valid one)."""
    from app.wire import signing
    from server import accounts, db

    server = Province(cluster, name, folder, parsed, clock)
    device_id = json.loads(batches[0][0]["payload"])["device_id"]
    with db.transaction(server.engine) as conn:
        code = accounts.make_enrol_code(conn, [c.code for c in parsed.communes], clock(), 72)
        accounts.enrol(conn, code, device_id, signing.device_public_key(signing.new_device_key()), "replay", clock())
    return server, device_id


LZ4 = "ALTER TABLE signatures ALTER COLUMN strokes SET COMPRESSION lz4"


def replay_vs_raw(cluster: Any, folder: Path, clock: BenchClock, parsed: Any,
                  batches: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """``journal.apply_journal`` on the recorded batches (fresh database) vs raw executemany, interleaved per batch.

    Two more columns say what the signatures' TOAST compression costs: the same two with ``signatures.strokes``
    compressed with lz4 instead of PostgreSQL's default pglz (a what-if: the server's schema is unchanged).
    """
    import psycopg
    from sqlalchemy import text

    from server import journal

    print("\n-- server ingest vs raw psycopg executemany "
          "(same batches, interleaved batch by batch, fresh databases) --")
    commune_of = {p.record_code: p.commune_code for p in parsed.beneficiaries}
    received = format_now(clock)
    rows = [raw_rows(batch, commune_of, received) for batch in batches]
    servers: list[Any] = []
    raws: list[Any] = []
    names = ("sync_replay", "sync_replay_lz4", "sync_raw", "sync_raw_lz4")
    try:
        for name in names[:2]:
            server, device_id = fresh_server_db(cluster, folder, name, clock, parsed, batches)
            servers.append(server)
        with servers[1].engine.begin() as conn:
            conn.execute(text(LZ4))
        for name in names[2:]:
            raw = psycopg.connect(cluster.create_database(name).replace("postgresql+psycopg://", "postgresql://"))
            raws.append(raw)
            raw.execute(RAW_DDL + (LZ4 if name.endswith("lz4") else ""))
            raw.commit()
        times: list[list[float]] = [[], [], [], []]
        for batch, (entries, lines, signatures) in zip(batches, rows):
            for n, server in enumerate(servers):
                t0 = time.perf_counter()
                outcome = journal.apply_journal(server.engine, server.settings, device_id, batch, 0, 0)
                times[n].append(time.perf_counter() - t0)
                assert outcome.head_seq == batch[-1]["seq"]
            for n, raw in enumerate(raws, start=2):
                t0 = time.perf_counter()
                with raw.cursor() as cur:
                    cur.executemany(RAW_ENTRY, entries)
                    cur.executemany(RAW_LINE, lines)
                    cur.executemany(RAW_SIGNATURE, signatures)
                raw.commit()
                times[n].append(time.perf_counter() - t0)
        stored_as = [s.rows("SELECT pg_column_compression(strokes), avg(pg_column_size(strokes)) FROM signatures "
                            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0] for s in servers]
        counts = [s.scalar("SELECT count(*) FROM entries") for s in servers]
        counts += [r.execute("SELECT count(*) FROM entries").fetchone()[0] for r in raws]
    finally:
        for raw in raws:
            raw.close()
        for server in servers:
            server.close()
        for name in names:
            cluster.drop_database(name)
    n = sum(len(b) for b in batches)
    assert counts == [n] * 4, (counts, n)
    rates = [n / sum(t) for t in times]
    labels = ["server apply_journal (direct, no HTTP)", "  same, signatures.strokes lz4 (what-if)",
              "raw executemany, 3 tables", "  same, strokes lz4"]
    print_table(["", "batches", "total s", "batch p50 ms", "batch max ms", "entries/s"], [
        [label, len(t), round(sum(t), 2), round(percentile(t, 50) * 1000, 1), round(max(t) * 1000, 1), round(rate)]
        for label, t, rate in zip(labels, times, rates)
    ])
    print("signature strokes as stored: " + "; ".join(
        f"{label.strip()}: {method or 'not compressed'}, {float(size):,.0f} B on average"
        for label, (method, size) in zip(("default", "lz4"), stored_as)))
    share = rates[0] / rates[2]
    verdict = "pass" if share >= TARGET_INGEST_SHARE else "MISS"
    print(f"target server ingest ≥ {TARGET_INGEST_SHARE:.0%} of raw: {share:.0%} ({rates[2] / rates[0]:.1f}× slower) "
          f"→ {verdict}   (with lz4 on both: {rates[1] / rates[3]:.0%})")
    return {"ingest_direct_s": round(sum(times[0]), 3), "ingest_direct_rate": round(rates[0]),
            "ingest_lz4_s": round(sum(times[1]), 3), "ingest_lz4_rate": round(rates[1]),
            "raw_s": round(sum(times[2]), 3), "raw_rate": round(rates[2]),
            "raw_lz4_s": round(sum(times[3]), 3), "raw_lz4_rate": round(rates[3]),
            "ingest_share": round(share, 3), "target_ingest": verdict,
            "strokes_stored": {"default": [stored_as[0][0], round(float(stored_as[0][1]))],
                               "lz4": [stored_as[1][0], round(float(stored_as[1][1]))]}}


def format_now(clock: BenchClock) -> str:
    from app.domain.journal import format_timestamp

    return format_timestamp(clock())


def profile_ingest(cluster: Any, folder: Path, clock: BenchClock, parsed: Any,
                   batches: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Where ``apply_journal``'s time goes: wall time of its phases and statements, then a cProfile (fresh databases).

    The phases are timed by wrapping ``ingest.parse_entries``, ``ingest.BatchSnapshot.load`` and the dialect's
    ``do_commit``, the statements with SQLAlchemy's cursor-execute events (an executemany counts once).
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Connection

    from server import ingest, journal
    from server.ingest.snapshot import BatchSnapshot

    server, device_id = fresh_server_db(cluster, folder, "sync_profile", clock, parsed, batches)
    phases: dict[str, float] = {"parse_entries (shape, JSON, canonical form, hashes, base64)": 0.0,
                                "BatchSnapshot.load (the batch's reads, incl. their SQL)": 0.0, "COMMIT": 0.0}
    statements: dict[str, list[float]] = {}
    started: dict[int, float] = {}
    labels = list(phases)

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[label] += time.perf_counter() - t0

        return call

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        started[id(conn)] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        words = statement.split()
        table = words[2] if words[0] == "INSERT" else words[1] if words[0] == "UPDATE" else \
            words[words.index("FROM") + 1] if "FROM" in words else "?"
        key = f"{words[0]} {table}{' (executemany)' if many else ''}{'' if in_load or words[0] != 'SELECT' else ' *'}"
        statements.setdefault(key, []).append(time.perf_counter() - started.pop(id(conn)))

    executes: dict[str, float] = {}
    in_load = False

    def statement_key(statement: Any) -> str:
        table = getattr(statement, "table", None)
        if table is not None:
            return f"{type(statement).__name__.upper()} {getattr(table, 'name', '?')}"
        return "SELECT" if in_load else "SELECT outside BatchSnapshot.load"

    def execute(self: Any, statement: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original_execute(self, statement, *args, **kwargs)
        finally:
            key = statement_key(statement)
            executes[key] = executes.get(key, 0.0) + time.perf_counter() - t0

    original_parse, original_load = ingest.parse_entries, BatchSnapshot.__dict__["load"]
    original_execute = Connection.execute
    dialect = server.engine.dialect
    original_commit = dialect.do_commit
    ingest.parse_entries = timed(labels[0], original_parse)
    timed_load = timed(labels[1], original_load.__func__)

    def load(*args: Any, **kwargs: Any) -> Any:
        nonlocal in_load
        in_load = True
        try:
            return timed_load(*args, **kwargs)
        finally:
            in_load = False

    BatchSnapshot.load = classmethod(load)  # type: ignore[assignment]
    dialect.do_commit = timed(labels[2], original_commit)
    Connection.execute = execute  # type: ignore[method-assign]
    event.listen(server.engine, "before_cursor_execute", before)
    event.listen(server.engine, "after_cursor_execute", after)
    try:
        t0 = time.perf_counter()
        for batch in batches:
            journal.apply_journal(server.engine, server.settings, device_id, batch, 0, 0)
        total = time.perf_counter() - t0
    finally:
        ingest.parse_entries = original_parse
        BatchSnapshot.load = original_load  # type: ignore[method-assign]
        dialect.do_commit = original_commit
        Connection.execute = original_execute  # type: ignore[method-assign]
        event.remove(server.engine, "before_cursor_execute", before)
        event.remove(server.engine, "after_cursor_execute", after)
        server.close()
        cluster.drop_database("sync_profile")
    n = sum(map(len, batches))
    cursor = {k: sum(v) for k, v in statements.items()}
    reads = sum(v for k, v in cursor.items() if k.startswith("SELECT") and not k.endswith(" *"))
    rows: list[list[Any]] = [[labels[0], phases[labels[0]], ""], [labels[1], phases[labels[1]], reads]]
    writes = sorted((k for k in executes if k != "SELECT"), key=lambda k: -executes[k])
    for key in writes:
        outside = key.startswith("SELECT outside")
        rows.append([f"{key} (device row FOR UPDATE, locks)" if outside else f"{key} (conn.execute)", executes[key],
                     sum(v for k, v in cursor.items() if (k.endswith(" *") if outside else k.startswith(key)))])
    rows.append(["COMMIT", phases["COMMIT"], phases["COMMIT"]])
    accounted = phases[labels[0]] + phases[labels[1]] + sum(executes[k] for k in writes) + phases["COMMIT"]
    rows.append(["rest: the entry loop (checks, building rows), the transaction", total - accounted, ""])
    print(f"\n-- where apply_journal's time goes ({n:,} entries in {len(batches)} batches, wall clock, no profiler: "
          f"{total:.2f} s = {n / total:,.0f} entries/s) --")
    print_table(["part", "s", "share", "of which in the driver + PostgreSQL s"],
                [[k, round(v, 2), f"{v / total:.0%}", round(c, 2) if c != "" else ""] for k, v, c in rows])
    print("SELECT statements (driver + PostgreSQL; * = outside BatchSnapshot.load):")
    print_table(["statement", "s"], [[k, round(v, 3)] for k, v in sorted(cursor.items(), key=lambda kv: -kv[1])
                                     if k.startswith("SELECT")])

    server, device_id = fresh_server_db(cluster, folder, "sync_cprofile", clock, parsed, batches)
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        for batch in batches:
            journal.apply_journal(server.engine, server.settings, device_id, batch, 0, 0)
        profiler.disable()
    finally:
        server.close()
        cluster.drop_database("sync_cprofile")
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(14)
    lines = buffer.getvalue().splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
    print("\ncProfile of the same replay, top functions by own time (the profiler inflates Python-heavy code):")
    print("\n".join(line.replace(str(ROOT) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
                    for line in lines[first:] if line.strip()))
    return {"total_s": round(total, 3), "rate": round(n / total),
            "parts_s": {k: [round(v, 3), round(c, 3) if c != "" else None] for k, v, c in rows},
            "selects_s": {k: round(v, 3) for k, v in cursor.items() if k.startswith("SELECT")}}


def request_breakdown(cluster: Any, folder: Path, clock: BenchClock, parsed: Any,
                      batches: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """What the HTTP layer adds per 500-entry batch: JSON body, pydantic, model_dump, the answer (median of batches)."""
    from server.api.schemas import JournalAnswer, JournalBatch

    parts: dict[str, list[float]] = {"client json.dumps of the body": [], "server json.loads + JournalBatch": [],
                                     "model_dump of the entries": [], "answer JournalAnswer + json": []}
    for batch in batches[:8]:
        t0 = time.perf_counter()
        body = json.dumps({"entries": batch, "pending": 0}, ensure_ascii=False, separators=(",", ":")).encode()
        t1 = time.perf_counter()
        model = JournalBatch.model_validate(json.loads(body))
        t2 = time.perf_counter()
        dumped = [entry.model_dump() for entry in model.entries]
        t3 = time.perf_counter()
        answer = {"results": [{"seq": e["seq"], "entry_id": e["entry_id"], "status": "applied", "flags": []}
                              for e in dumped], "last_seq": 1, "head_hash": "0" * 64, "server_time": "x"}
        JournalAnswer.model_validate(answer).model_dump_json()
        t4 = time.perf_counter()
        for key, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            parts[key].append(value)
    medians = {k: round(statistics.median(v) * 1000, 1) for k, v in parts.items()}
    print("\nHTTP-layer work per 500-entry batch (median ms, in this process):")
    print_table(["step", "ms"], [[k, v] for k, v in medians.items()])
    return medians


# --- part 2: many devices at once --------------------------------------------------------------------------------


@contextlib.contextmanager
def without_upload_lock(active: bool) -> Iterator[None]:
    """``--no-upload-lock`` (what-if): the uploads skip ``feed.lock``, the province-wide row lock that newer servers
    take in ``ingest.apply_batch`` to serialise every upload. Only the upload's call is replaced (flags still lock).
    """
    if not active:
        yield
        return
    import types

    from server import ingest

    if "feed.lock(conn)" not in Path(ingest.__file__).read_text():
        print("(--no-upload-lock: this server's ingest takes no global lock; nothing to replace)")
        yield
        return
    namespace = vars(ingest)  # a module global of older servers' ingest: swapped by name
    real = namespace["feed"]
    namespace["feed"] = types.SimpleNamespace(lock=lambda conn: None, add_flags=real.add_flags)
    print("WHAT-IF (--no-upload-lock): uploads do not take the global feed lock (no double payments in this run)")
    try:
        yield
    finally:
        namespace["feed"] = real


def part_two(cluster: Any, folder: Path, clock: BenchClock, devices: int, per_device: int, batch: int,
             workers: int, lz4: bool = False, no_lock: bool = False) -> dict[str, Any]:
    import requests

    from app.wire import constants, signing

    need = devices * per_device
    print(f"\n-- 2. {devices} devices × {per_device} payments, uploaded at once ({workers} threads, batches of "
          f"{batch}) --")
    t = time.perf_counter()
    communes = max(8, math.ceil(need / 60))
    parsed = demo_list(folder, communes)
    server = Province(cluster, "sync_many", folder, parsed, clock)
    try:
        if lz4:
            server.what_if_lz4()
        url = server.serve()
        setup_list = time.perf_counter() - t
        # Each device its own people (no double payments): active people, their cash lines of the period.
        payable = server.rows(
            "SELECT p.record_code, p.commune_code, l.line_key, l.period, l.programme, l.regime, l.amount "
            "FROM people p JOIN lines l ON l.record_code = p.record_code "
            f"WHERE p.status = 'active' AND l.method = 'cash' AND NOT l.withdrawn AND l.period = '{PERIOD}' "
            "ORDER BY p.commune_code, p.record_code, l.line_key"
        )
        by_person: dict[str, dict[str, Any]] = {}
        for record_code, commune, key, period, programme, regime, amount in payable:
            person = by_person.setdefault(record_code, {"record_code": record_code, "commune": commune, "lines": []})
            person["lines"].append((key, period, programme, regime, int(amount)))
        people = list(by_person.values())
        if len(people) < need:
            raise RuntimeError(f"only {len(people)} payable people for {need} payments")
        point_of: dict[str, str] = {}
        for point in parsed.points:
            point_of.setdefault(point.commune_code, point.point_id)

        t = time.perf_counter()
        plans = []
        session = requests.Session()
        enrol_errors = 0
        for d in range(devices):
            mine = people[d * per_device:(d + 1) * per_device]
            communes_of = sorted({p["commune"] for p in mine})
            key = signing.new_device_key()
            device_id = str(uuid.uuid4())
            answer = session.post(url + constants.API + "/enrol", json={
                "code": server.enrol_code(communes_of), "device_id": device_id,
                "public_key": signing.device_public_key(key), "label": f"bench-{d:03d}"}, timeout=30)
            enrol_errors += answer.status_code != 200
            plans.append({"device_id": device_id, "key": key, "people": mine,
                          "points": {c: point_of[c] for c in communes_of}})
        session.close()
        enrol_s = time.perf_counter() - t
        print(f"list: {len(parsed.communes)} communes, {len(people):,} payable people; enrolled {devices} devices in "
              f"{enrol_s:.1f} s ({enrol_errors} errors); list and server {setup_list:.1f} s (setup)")

        context = multiprocessing.get_context("spawn")
        with timing_apply_journal() as inside, without_upload_lock(no_lock), \
                concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
            server_cpu = _process_cpu()  # the server is idle while the upload process builds the journals
            result = pool.submit(upload_devices, url, plans, batch, workers, clock.start, clock.origin).result()
            server_cores = (_process_cpu() - server_cpu) / result["wall_s"]

        expected_ids = set(result["entry_ids"])
        expected = len(result["entry_ids"])
        stored_ids = [row[0] for row in server.rows("SELECT entry_id FROM entries")]
        stored_set = set(stored_ids)
        lost = len(expected_ids - stored_set)
        duplicated = len(stored_ids) - len(stored_set)
        seq_dups = server.scalar(
            "SELECT count(*) - count(DISTINCT (device_id, seq)) FROM entries")
        flags = dict(server.rows("SELECT kind, count(*) FROM flags GROUP BY kind"))
        heads_ok = sum(1 for device_id, last_seq in server.rows("SELECT device_id, last_seq FROM devices")
                       if result["last_seq"].get(device_id) == last_seq)
        signatures = server.scalar("SELECT count(*) FROM signatures")
        paid_lines = server.scalar("SELECT count(*) FROM paid_lines")
    finally:
        server.close()

    times = result["batch_times"]
    inside_times = [s for s, _ in inside.calls]
    wall = result["wall_s"]
    print_table(["", "value"], [
        ["entries expected (sessions + payments)", f"{expected:,}"],
        ["entries stored", f"{len(stored_ids):,}"],
        ["requests (batches incl. retries)", f"{result['requests']:,}"],
        ["errors (non-200 or bad answer)", result["errors"]],
        ["entries lost (expected − stored)", lost],
        ["entries duplicated (entry_id, (device, seq))", f"{duplicated}, {seq_dups}"],
        ["device heads = last entry sent", f"{heads_ok} of {devices}"],
        ["signatures / paid_lines stored", f"{signatures:,} / {paid_lines:,} (sent {result['payments']:,} / "
                                           f"{result['lines']:,})"],
        ["flags", sum(flags.values()) if not flags else ", ".join(f"{k} {v}" for k, v in flags.items())],
        ["answers applied / already / flagged", " / ".join(str(result["statuses"].get(s, 0)) for s in
                                                           ("applied", "already_applied", "flagged"))],
        ["batch round trip p50 / p99 / max ms", f"{percentile(times, 50) * 1000:.0f} / "
                                                f"{percentile(times, 99) * 1000:.0f} / {max(times) * 1000:.0f}"],
        ["server apply_journal p50 / p99 ms", f"{percentile(inside_times, 50) * 1000:.0f} / "
                                              f"{percentile(inside_times, 99) * 1000:.0f}"],
        ["wall time (first POST to last answer)", f"{wall:.2f} s"],
        ["throughput", f"{expected / wall:,.0f} entries/s"],
        ["CPU: server process / upload process / whole machine",
         f"{server_cores:.2f} / {result['upload_cores']:.2f} / {result['machine_cores']:.2f} "
         f"of {os.cpu_count()} cores"],
    ])
    ok = result["errors"] == 0 and lost == 0 and duplicated == 0 and seq_dups == 0
    print(f"target 0 errors, 0 lost, 0 duplicated → {'pass' if ok else 'MISS'}"
          + (f"  (first errors: {result['error_samples'][:3]})" if result["errors"] else ""))
    return {
        "devices": devices, "per_device": per_device, "batch": batch, "workers": workers, "expected": expected,
        "stored": len(stored_ids), "requests": result["requests"], "errors": result["errors"], "lost": lost,
        "duplicated": duplicated, "seq_duplicated": seq_dups, "flags": flags, "heads_ok": heads_ok,
        "batch_p50_ms": round(percentile(times, 50) * 1000, 1), "batch_p99_ms": round(percentile(times, 99) * 1000, 1),
        "batch_max_ms": round(max(times) * 1000, 1),
        "apply_p50_ms": round(percentile(inside_times, 50) * 1000, 1),
        "apply_p99_ms": round(percentile(inside_times, 99) * 1000, 1),
        "wall_s": round(wall, 3), "entries_per_s": round(expected / wall), "enrol_s": round(enrol_s, 2),
        "cpu_cores": {"server": round(server_cores, 2), "upload": round(result["upload_cores"], 2),
                      "machine": round(result["machine_cores"], 2)},
        "target": "pass" if ok else "MISS",
    }


def build_journal(plan: dict[str, Any], shapes: list[bytes], clock: BenchClock, offset: int) -> list[dict[str, Any]]:
    """One device's wire entries: a session opened per commune, then one payment per person, chained."""
    from app.domain import journal as canon
    from app.domain.model import EntryKind, EvidenceKind, IdentityCheck, PaidLine, Recipient
    from app.wire import codec

    device_id = plan["device_id"]
    wire: list[dict[str, Any]] = []
    prev = canon.GENESIS_HASH

    def add(kind: EntryKind, body: dict[str, Any], signature: bytes | None) -> None:
        nonlocal prev
        seq = len(wire) + 1
        entry_id = str(uuid.uuid4())
        payload = canon.entry_payload(entry_id=entry_id, device_id=device_id, seq=seq, kind=kind,
                                      recorded_at=clock(), staff=TELLER, body=body)
        encoded = canon.canonical_json(payload)
        entry_hash = canon.chain_hash(prev, encoded)
        wire.append(codec.entry_to_wire(seq, entry_id, kind.value, prev, entry_hash, encoded, signature))
        prev = entry_hash

    sessions: dict[str, str] = {}
    for commune, point in plan["points"].items():
        sessions[commune] = str(uuid.uuid4())
        add(EntryKind.SESSION_OPENED, canon.session_opened_body(
            session_id=sessions[commune], commune_code=commune, point_id=point, day=DAY, period=PERIOD,
            cash_advance=10**12), None)
    for n, person in enumerate(plan["people"]):
        strokes = vary(shapes[(offset + n) % len(shapes)], offset + n)
        body = canon.payment_body(
            session_id=sessions[person["commune"]], record_code=person["record_code"],
            lines=[PaidLine(*line) for line in person["lines"]], recipient=Recipient(),
            identity_check=IdentityCheck.CARD_INSPECTED, evidence_kind=EvidenceKind.SIGNATURE,
            signature_digest=hashlib.sha256(strokes).hexdigest(), evidence_reason="", witness="", back_entry=None)
        add(EntryKind.PAYMENT, body, strokes)
    return wire


def upload_devices(url: str, plans: list[dict[str, Any]], batch: int, workers: int, start: dt.datetime,
                   origin: float) -> dict[str, Any]:
    """In a separate process (the devices are other machines): build every journal, then upload all at once."""
    import requests

    from app.wire import signing

    clock = BenchClock(start, origin)
    shapes = signature_shapes(SIGNATURE_SHAPES)
    devices = []
    entry_ids: list[str] = []
    payments = lines = 0
    for d, plan in enumerate(plans):
        wire = build_journal(plan, shapes, clock, d * 1000)
        entry_ids.extend(e["entry_id"] for e in wire)
        payments += len(plan["people"])
        lines += sum(len(p["lines"]) for p in plan["people"])
        bodies = []
        for i in range(0, len(wire), batch):
            chunk = wire[i:i + batch]
            body = json.dumps({"entries": chunk, "pending": len(wire) - i - len(chunk)}, ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
            bodies.append((body, chunk[-1]["seq"], chunk[-1]["entry_hash"], len(chunk)))
        devices.append((plan["device_id"], plan["key"], bodies))

    lock = threading.Lock()
    batch_times: list[float] = []
    errors: list[str] = []
    statuses: dict[str, int] = {}
    last_seq: dict[str, int] = {}
    requests_made = 0
    start_gate = threading.Barrier(min(workers, len(devices)) + 1)

    def run_device(device: tuple[str, bytes, list[tuple[bytes, int, str, int]]], gate: bool) -> None:
        nonlocal requests_made
        device_id, key, bodies = device
        if gate:
            start_gate.wait()
        with requests.Session() as session:
            for body, seq, head, count in bodies:
                for attempt in range(6):
                    headers = signing.signed_headers(device_id, key, "POST", JOURNAL_PATH, body, clock(),
                                                     {"Content-Type": "application/json"})
                    t0 = time.perf_counter()
                    problem = None
                    try:
                        response = session.post(url + JOURNAL_PATH, data=body, headers=headers, timeout=(5, 120))
                        elapsed = time.perf_counter() - t0
                        answer = response.json() if response.status_code == 200 else None
                        if answer is None:
                            problem = f"HTTP {response.status_code}: {response.text[:200]}"
                        elif answer.get("last_seq") != seq or answer.get("head_hash") != head \
                                or len(answer.get("results", [])) != count:
                            problem = f"bad answer: last_seq {answer.get('last_seq')} for {seq}"
                    except (requests.RequestException, ValueError) as error:
                        elapsed = time.perf_counter() - t0
                        problem = f"{type(error).__name__}: {error}"
                    with lock:
                        requests_made += 1
                        batch_times.append(elapsed)
                        if problem:
                            errors.append(problem)
                        else:
                            assert answer is not None  # no problem: an answer came
                            for item in answer["results"]:
                                statuses[item["status"]] = statuses.get(item["status"], 0) + 1
                            last_seq[device_id] = seq
                    if not problem:
                        break
                    time.sleep(0.2 * 2 ** attempt)
                else:
                    return

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        gated = min(workers, len(devices))
        futures = [pool.submit(run_device, device, n < gated) for n, device in enumerate(devices)]
        start_gate.wait()  # the first ``workers`` devices start together
        meter = CpuMeter()
        t0 = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - t0
        upload_cores, machine_cores = meter.cores()
    return {"upload_cores": upload_cores, "machine_cores": machine_cores, "batch_times": batch_times,
            "errors": len(errors), "error_samples": errors[:10], "statuses": statuses,
            "last_seq": last_seq, "requests": requests_made, "wall_s": wall, "entry_ids": entry_ids,
            "payments": payments, "lines": lines}


# --- main -------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--per-device", type=int, default=100)
    parser.add_argument("--batch", type=int, default=50, help="entries per upload in part 2")
    parser.add_argument("--workers", type=int, default=48, help="upload threads in part 2")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1,000 payments, 20 devices")
    parser.add_argument("--profile", action="store_true", help="cProfile the server's ingest after part 1")
    parser.add_argument("--part", choices=("1", "2", "all"), default="all")
    parser.add_argument("--no-upload-lock", action="store_true",
                        help="what-if for part 2: uploads skip the server's global feed lock")
    parser.add_argument("--lz4", action="store_true",
                        help="what-if: lz4 instead of pglz for signatures.strokes in the server databases")
    args = parser.parse_args()
    if args.quick:
        args.payments, args.devices = 1000, 20
    from tests.builders.postgres import PostgresCluster

    benchlib.header(f"sync: {args.payments:,} payments from one device; {args.devices} devices × {args.per_device}")
    load_before = os.getloadavg()[0]
    clock = BenchClock()
    folder = Path(tempfile.mkdtemp(prefix="payout-bench-sync-"))
    cluster = None
    figures: dict[str, Any] = {}
    try:
        t = time.perf_counter()
        cluster = PostgresCluster.start(folder)
        version = psql_version(cluster)
        print(f"PostgreSQL {version} (throw-away cluster, fsync=off, synchronous_commit=off) started in "
              f"{time.perf_counter() - t:.1f} s\n")
        figures["postgres"] = version
        if args.part in ("1", "all"):
            figures["one_device"] = part_one(cluster, folder, clock, args.payments, args.profile, args.lz4)
        if args.part in ("2", "all"):
            figures["many_devices"] = part_two(cluster, folder, clock, args.devices, args.per_device, args.batch,
                                               args.workers, args.lz4, args.no_upload_lock)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    load_after = os.getloadavg()[0]
    print(f"\n(load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores)")
    record("sync", {"args": vars(args), "loadavg": [round(load_before, 2), round(load_after, 2)], **figures})


def psql_version(cluster: Any) -> str:
    import psycopg

    with psycopg.connect(cluster.url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        assert row is not None
        return str(row[0])


if __name__ == "__main__":
    main()
