"""Province console on PostgreSQL: the progress page for a pilot year and for a national month, against its bare SQL.

Everything is real and local: a throw-away PostgreSQL cluster (``tests/builders/postgres.py`` ``PostgresCluster``, its
defaults: shared_buffers 128 MB, work_mem 4 MB, 2 parallel workers), the server app (``server.api.create_app``)
served by uvicorn on loopback (``LiveServer``), an officer signed in through the console's form
(``tests/builders/console.py``).

1. **Pilot year.** ``tests/builders/pilot.load``: the demo province (174 communes, ≈13,000 people) imported through
   the real list import, twelve months of list membership and ≈165,000 turns bulk-written as facts, ``settled``
   rebuilt. A province officer (communes ``*``) opens ``GET /console/progress?first=M`` (one month; M = the July
   list, the largest after the imported January one) and ``?first=Jan&last=Dec`` (the year). Server time is the
   time inside the ASGI app (query, template, response). Targets: month ≤ 300 ms, year ≤ 1 s.
2. **National month.** 1.4 million people in 3,321 communes of 34 provinces (~98 communes each, ``province_code``
   set), ≈1.7 million list lines for one month (4 % of the people paid to an account, the rest in cash), ≈90 % of
   the cash lines settled by one payment each (0.4 % reversed and paid again), bulk-written with COPY into exactly
   what the progress queries read: ``communes``, ``devices`` (one per commune), ``list_lines``, ``entries``
   (payload ≈ 300 B stand-ins), ``reversals``, ``settled``; then ``VACUUM ANALYZE`` (what autovacuum does after a
   bulk load). Two officers: one with the 98 communes of one province, one with ``*``. Targets for the progress
   query (``progress.summary``): one province ≤ 300 ms, the whole country ≤ 3 s; the whole page is reported
   against the same figures.

Baseline, measured in the same run and interleaved run by run with the page: the SQL statements ``progress.py``
ran for that page (recorded at the cursor during the first measured request, ``SET LOCAL`` included), replayed in
one transaction on a raw psycopg connection to the same database, every row fetched. ``progress.summary``,
``progress.communes`` and ``progress.by_regime`` are also timed called directly (no HTTP, no template).

Run: ``python bench/bench_console.py [--runs 10] [--part pilot|national|all] [--explain] [--quick]``
(``--quick``: 30 communes × 3 months and a 1/50 national month, 3 runs: a smoke run). The cluster and the server
are stopped and removed even on failure (also on SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import benchlib  # sys.path, isolated keys
from benchlib import percentile, print_table, record, verdict

TARGET_MONTH_S = 0.300
TARGET_YEAR_S = 1.0
TARGET_PROVINCE_S = 0.300
TARGET_COUNTRY_S = 3.0
NATIONAL_PERIOD = "2026-11"
PROGRESS_FUNCTIONS = ("summary", "communes", "by_regime", "devices")


# --- the server, timed ----------------------------------------------------------------------------------------------


class TimedASGI:
    """The app, wrapped to time each HTTP request inside uvicorn (path, seconds)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: list[tuple[str, float]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        await self.app(scope, receive, send)
        self.calls.append((scope["path"], time.perf_counter() - t0))


class Recorder:
    """Times each ``progress`` function inside the page and records the SQL they send while ``capture`` is set.

    The functions are replaced on the module (the console calls ``progress.summary(...)`` through it) and restored
    by :meth:`close`; the SQL is taken at the cursor (``before_cursor_execute``), so it is exactly what PostgreSQL
    received, parameters included.
    """

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        from server import progress

        self.progress, self.engine, self.event = progress, engine, event
        self.inside = threading.local()
        self.capture: list[tuple[str, Any]] | None = None
        self.seconds: dict[str, list[float]] = {name: [] for name in PROGRESS_FUNCTIONS}
        self.originals = {name: getattr(progress, name) for name in PROGRESS_FUNCTIONS}
        for name in PROGRESS_FUNCTIONS:
            setattr(progress, name, self._wrap(name, self.originals[name]))
        event.listen(engine, "before_cursor_execute", self._statement)

    def _wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.inside.depth = getattr(self.inside, "depth", 0) + 1
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name].append(time.perf_counter() - t0)
                self.inside.depth -= 1

        return timed

    def _statement(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                   executemany: bool) -> None:
        if self.capture is not None and getattr(self.inside, "depth", 0) > 0:
            self.capture.append((statement, parameters))

    def close(self) -> None:
        for name, function in self.originals.items():
            setattr(self.progress, name, function)
        self.event.remove(self.engine, "before_cursor_execute", self._statement)


class Console:
    """A server database's app served over HTTP, with officers signed in through the form."""

    def __init__(self, name: str, url: str, folder: Path) -> None:
        from server import db
        from server.settings import ServerSettings
        from server.setup import init_server
        from tests.builders.province import offline_recovery_key

        self.name, self.url = name, url
        self.settings = ServerSettings(data_dir=folder / name, database_url=url)
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        init_server(self.settings, offline_recovery_key(folder / f"{name}-usb" / "recovery-key.txt"))
        self.engine = db.make_engine(url)
        self.live: Any = None
        self.asgi: TimedASGI | None = None
        self.recorder: Recorder | None = None

    def add_officer(self, username: str, communes: list[str]) -> None:
        from server import accounts, db

        with db.transaction(self.engine) as conn:
            accounts.add_user(conn, username, f"Cán bộ {username}", "officer", f"pw-{username}", communes,
                              self.settings.clock())

    def serve(self) -> None:
        from server.api import create_app
        from tests.builders.loopback import LiveServer

        self.asgi = TimedASGI(create_app(self.settings, self.engine))
        self.recorder = Recorder(self.engine)
        self.live = LiveServer(self.asgi).start()

    def officer(self, username: str) -> Any:
        """Signed in through the form (as ``OfficerSession.sign_in``, without following the redirect to the
        progress page: the country's takes longer than that client's 10 s timeout)."""
        from tests.builders.console import CSRF, OfficerSession

        session = OfficerSession(self.live.url)
        form = session.http.get(session.base + "/console/signin", timeout=10)
        token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
        response = session.http.post(session.base + "/console/signin", timeout=10, allow_redirects=False,
                                     data={"csrf": token, "username": username, "password": f"pw-{username}"})
        if response.status_code not in (302, 303) or "/console/progress" not in response.headers.get("location", ""):
            raise RuntimeError(f"{username} could not sign in: HTTP {response.status_code}")
        return session

    def vacuum(self, tables: tuple[str, ...]) -> None:
        """``VACUUM ANALYZE``, repeated until the visibility map covers the tables (what autovacuum does after a
        bulk load, given time): a VACUUM that runs while an autovacuum worker still holds a snapshot older than the
        last load cannot mark that load's pages all-visible, and index-only scans would then read the heap."""
        from sqlalchemy import text

        deadline = time.monotonic() + 120
        while True:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for table in tables:
                    conn.execute(text(f"VACUUM ANALYZE {table}"))
                short = conn.execute(text(
                    "SELECT count(*) FROM pg_class WHERE relname IN ('list_lines', 'settled', 'entries') "
                    "AND relallvisible < 0.99 * relpages")).scalar()
            if not short or time.monotonic() > deadline:
                return
            time.sleep(2)

    def all_visible(self) -> str:
        """Share of each table's pages the visibility map marks all-visible (index-only scans skip their heap)."""
        from sqlalchemy import text

        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT relname, relpages, relallvisible FROM pg_class WHERE relname IN "
                                     "('list_lines', 'settled', 'entries') ORDER BY relname")).all()
        return ", ".join(f"{name} {100 * visible / max(pages, 1):.0f} %" for name, pages, visible in rows)

    def close(self) -> None:
        try:
            if self.live is not None:
                self.live.stop()
        finally:
            if self.recorder is not None:
                self.recorder.close()
            self.engine.dispose()


# --- measuring ------------------------------------------------------------------------------------------------------


def raw_dsn(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection string (``postgresql+psycopg://user@host:port/db``)."""
    rest = url.split("://", 1)[1]
    user, rest = rest.split("@", 1)
    host, rest = rest.split(":", 1)
    port, dbname = rest.split("/", 1)
    return f"host={host} port={port} user={user} dbname={dbname}"


def replay(raw: Any, statements: list[tuple[str, Any]]) -> float:
    """The recorded statements in one transaction on the raw connection, every row fetched; rolled back."""
    t0 = time.perf_counter()
    with raw.cursor() as cursor:
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
    elapsed = time.perf_counter() - t0
    raw.rollback()
    return elapsed


def measure_page(console: Console, session: Any, path: str, expect: str, runs: int, warmup: int) -> dict[str, Any]:
    """``runs`` page loads, each followed by the raw replay of the SQL progress.py ran for it (recorded once)."""
    import psycopg

    assert console.asgi is not None and console.recorder is not None
    recorder, asgi = console.recorder, console.asgi

    def load() -> tuple[float, float]:
        asgi.calls.clear()
        t0 = time.perf_counter()
        response = session.http.get(session.base + path, timeout=300)
        client = time.perf_counter() - t0
        if response.status_code != 200 or expect not in response.text:
            raise RuntimeError(f"{path}: HTTP {response.status_code}, {expect!r} not in the page")
        wanted = path.split("?", 1)[0]
        deadline = time.monotonic() + 5  # the app returns just after its last ``send``: the client may be first
        while not any(called == wanted for called, _ in asgi.calls) and time.monotonic() < deadline:
            time.sleep(0.001)
        return [seconds for called, seconds in asgi.calls if called == wanted][-1], client

    with psycopg.connect(raw_dsn(console.url)) as raw:
        for _ in range(warmup):
            load()
        for name in PROGRESS_FUNCTIONS:
            recorder.seconds[name].clear()
        statements: list[tuple[str, Any]] = []
        recorder.capture = statements
        server_s, client_s, raw_s = [], [], []
        try:
            server, client = load()
        finally:
            recorder.capture = None
        server_s.append(server)
        client_s.append(client)
        for _ in range(warmup):
            replay(raw, statements)
        raw_s.append(replay(raw, statements))
        for _ in range(runs - 1):
            server, client = load()
            server_s.append(server)
            client_s.append(client)
            raw_s.append(replay(raw, statements))
    inside = {name: list(values) for name, values in recorder.seconds.items() if values}
    return {"path": path, "server_s": server_s, "client_s": client_s, "raw_s": raw_s, "inside_s": inside,
            "statements": statements}


def time_calls(engine: Any, calls: dict[str, Callable[[Any], Any]], runs: int, warmup: int) -> dict[str, list[float]]:
    """Each progress function called directly (its own connection and transaction), interleaved run by run."""
    out: dict[str, list[float]] = {name: [] for name in calls}
    for n in range(warmup + runs):
        for name, call in calls.items():
            with engine.connect() as conn:
                t0 = time.perf_counter()
                call(conn)
                elapsed = time.perf_counter() - t0
            if n >= warmup:
                out[name].append(elapsed)
    return out


def ms(values: list[float], p: float) -> float:
    return round(percentile(values, p) * 1000, 1)


def page_row(label: str, figures: dict[str, Any], target_s: float) -> list[Any]:
    server, raw = figures["server_s"], figures["raw_s"]
    p50, p95 = ms(server, 50), ms(server, 95)
    raw50, raw95 = ms(raw, 50), ms(raw, 95)
    return [label, p50, p95, ms(figures["client_s"], 50), raw50, raw95, f"{p50 / raw50:.2f}×", f"{p95 / raw95:.2f}×",
            f"≤ {target_s * 1000:,.0f}", verdict(p95 / 1000, target_s)]


PAGE_HEADERS = ["page (server time)", "p50 ms", "p95 ms", "client p50", "raw SQL p50", "raw p95", "ratio p50",
                "ratio p95", "target ms", "p95"]


def inside_rows(label: str, figures: dict[str, Any]) -> list[list[Any]]:
    return [[f"{label}: {name}", ms(values, 50), ms(values, 95)] for name, values in figures["inside_s"].items()]


def describe(figures: dict[str, Any]) -> dict[str, Any]:
    """JSON-friendly summary of one measured page."""
    out = {"path": figures["path"], "statements": len(figures["statements"])}
    for key in ("server_s", "client_s", "raw_s"):
        out[key.replace("_s", "_ms")] = {"p50": ms(figures[key], 50), "p95": ms(figures[key], 95),
                                         "all": [round(x * 1000, 1) for x in figures[key]]}
    out["inside_ms"] = {name: {"p50": ms(v, 50), "p95": ms(v, 95)} for name, v in figures["inside_s"].items()}
    out["ratio_p50"] = round(out["server_ms"]["p50"] / out["raw_ms"]["p50"], 2)
    out["ratio_p95"] = round(out["server_ms"]["p95"] / out["raw_ms"]["p95"], 2)
    return out


def plans(url: str, statements: list[tuple[str, Any]], analyze: bool) -> list[str]:
    """Each recorded statement's plan: the indexes it reads (``--explain``: the whole EXPLAIN ANALYZE)."""
    import psycopg

    out = []
    with psycopg.connect(raw_dsn(url)) as raw, raw.cursor() as cursor:
        for statement, parameters in statements:
            head = " ".join(statement.split())[:70]
            if statement.lstrip().upper().startswith("SET"):
                cursor.execute(statement, parameters)
                continue
            if analyze:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                text = "\n".join(line if "ANY (" not in line else line[:130] + "…" for (line,) in cursor.fetchall())
                out.append(f"-- {head}\n{text}")
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
            found: list[str] = []

            def walk(node: dict[str, Any], found: list[str] = found) -> None:
                if "Index Name" in node:
                    found.append(f"{node['Node Type']} {node['Index Name']}")
                elif node.get("Node Type", "").endswith("Scan") and "Relation Name" in node:
                    found.append(f"{node['Node Type']} {node['Relation Name']}")
                for child in node.get("Plans", []):
                    walk(child, found)

            plan = cursor.fetchone()
            assert plan is not None
            walk(plan[0][0]["Plan"])
            out.append(f"{head} … → {', '.join(dict.fromkeys(found))}")
        raw.rollback()
    return out


def index_sizes(url: str) -> list[list[Any]]:
    import psycopg

    with psycopg.connect(raw_dsn(url)) as raw:
        rows = raw.execute(
            "SELECT c.relname, t.relname, pg_relation_size(c.oid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname IN ('list_lines', 'settled', 'entries') "
            "UNION ALL SELECT relname, '(table)', pg_relation_size(oid) FROM pg_class "
            "WHERE relname IN ('list_lines', 'settled', 'entries') ORDER BY 2, 1").fetchall()
    return [[table, name, round(size / 1e6, 1)] for name, table, size in rows]


def _shown(raw: Any, name: str) -> Any:
    """A PostgreSQL setting, as SHOW says it."""
    row = raw.execute(f"SHOW {name}").fetchone()
    assert row is not None
    return row[0]


def server_settings(url: str) -> str:
    import psycopg

    with psycopg.connect(raw_dsn(url)) as raw:
        names = ("server_version", "shared_buffers", "work_mem", "jit", "random_page_cost",
                 "max_parallel_workers_per_gather")
        values = [_shown(raw, name) for name in names]
    return ("PostgreSQL {} · shared_buffers {} · work_mem {} · jit {} · random_page_cost {} · "
            "max_parallel_workers_per_gather {} (server defaults; progress.py sets jit/random_page_cost per "
            "transaction)").format(*values)


# --- part 1: the pilot year -------------------------------------------------------------------------------------------


def pilot_year(cluster: Any, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from server import progress
    from tests.builders.pilot import load

    console = Console("pilot", cluster.create_database("pilot"), folder)
    try:
        t0 = time.perf_counter()
        year = load(console.engine, months=args.pilot_months, communes=args.pilot_communes)
        console.vacuum(("list_lines", "settled", "entries", "reversals", "devices", "communes"))
        load_s = time.perf_counter() - t0
        print(f"all-visible after VACUUM: {console.all_visible()}")
        first, last = year.months[0], year.months[-1]
        month = year.months[min(6, len(year.months) - 1)]
        print(f"pilot year loaded in {load_s:.0f} s: {year.list_lines:,} list lines, {year.turns:,} turns, "
              f"{year.paid_lines:,} paid lines, months {first}…{last}; the month measured: {month}")
        console.add_officer("tinh", ["*"])
        console.serve()
        session = console.officer("tinh")
        month_page = measure_page(console, session, f"/console/progress?first={month}", "Tiến độ", args.runs,
                                  args.warmup)
        year_page = measure_page(console, session, f"/console/progress?first={first}&last={last}", "Tiến độ",
                                 args.runs, args.warmup)
        direct = time_calls(console.engine, {
            f"summary {month}": lambda c: progress.summary(c, month, month, None),
            f"communes {month}": lambda c: progress.communes(c, month, month, None),
            f"by_regime {month}": lambda c: progress.by_regime(c, month, None),
            "summary year": lambda c: progress.summary(c, first, last, None),
            "communes year": lambda c: progress.communes(c, first, last, None),
        }, args.runs, args.warmup)

        print("\n-- 1. Pilot year on PostgreSQL: the progress page of a province officer --")
        print_table(PAGE_HEADERS, [page_row(f"one month ({month})", month_page, TARGET_MONTH_S),
                                   page_row(f"the year ({first}…{last})", year_page, TARGET_YEAR_S)])
        print("\ninside the page (the progress functions the page calls)")
        print_table(["function", "p50 ms", "p95 ms"], inside_rows("month", month_page) + inside_rows("year", year_page))
        print("\ncalled directly (no HTTP, no template)")
        print_table(["call", "p50 ms", "p95 ms"], [[name, ms(v, 50), ms(v, 95)] for name, v in direct.items()])
        print("\nplans (indexes read) of the month page's statements")
        for line in plans(console.url, month_page["statements"], args.explain):
            print("  " + line)
        return {"pilot": {"list_lines": year.list_lines, "turns": year.turns, "months": year.months,
                          "load_s": round(load_s, 1), "month": describe(month_page), "year": describe(year_page),
                          "direct_ms": {name: {"p50": ms(v, 50), "p95": ms(v, 95)} for name, v in direct.items()}}}
    finally:
        console.close()


# --- part 2: a national month -----------------------------------------------------------------------------------------


MAIN_LINES = (("uu_dai", "monthly", 0.76, 2_055_000), ("uu_dai", "survivor", 0.14, 2_466_000),
              ("luong_huu", "pension", 0.06, 3_500_000), ("uu_dai", "carer", 0.04, 1_700_000))
EXTRA_LINES = (("recurring", "uu_dai", "supplement", 0.10, 500_000), ("recurring", "uu_dai", "carer", 0.03, 1_700_000),
               ("one_time", "uu_dai", "convalescence", 0.02, 3_100_000), ("one_time", "uu_dai", "gift", 0.02, 300_000),
               ("one_time", "uu_dai", "worship", 0.01, 800_000), ("arrears", "uu_dai", "arrears", 0.02, 2_055_000),
               ("death_related", "uu_dai", "funeral", 0.01, 7_000_000))


def _copy(engine: Any, table: str, columns: list[str], rows: Any) -> int:
    count = 0
    with engine.begin() as conn:
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def load_national(engine: Any, people: int, communes: int, provinces: int, seed: int = 11) -> dict[str, Any]:
    """One national month as facts (see the module docstring); returns the counts and the province → communes map."""
    from server import db

    db.migrate(engine)
    rng = random.Random(seed)
    period, at = NATIONAL_PERIOD, f"{NATIONAL_PERIOD}-05T02:00:00.000000Z"
    sizes = [communes // provinces + (1 if n < communes % provinces else 0) for n in range(provinces)]
    places: list[tuple[str, str]] = []
    commune_rows = []
    for number, size in enumerate(sizes, 1):
        code_p = f"P{number:02d}"
        for c in range(1, size + 1):
            code = f"{code_p}-{c:04d}"
            places.append((code_p, code))
            points = [{"point_id": f"{code}/diem-{k}", "commune_code": code, "name": f"Nhà văn hóa thôn {k}",
                       "address": ""} for k in (1, 2)]
            wire = {"province": {"code": code_p, "name": f"Tỉnh {code_p}"},
                    "communes": [{"code": code, "name": f"Xã {code}", "province_code": code_p, "district": None}],
                    "villages": [{"commune_code": code, "name": f"Thôn {k}"} for k in range(1, 7)], "points": points,
                    "schedule": [{"point_id": p["point_id"], "day": f"{period}-05", "start": "07:30", "end": "11:00"}
                                 for p in points]}
            commune_rows.append((code, f"Xã {code}", code_p, f"Tỉnh {code_p}", None,
                                 json.dumps(wire, ensure_ascii=False)))
    devices = {code: str(uuid.UUID(int=rng.getrandbits(128))) for _, code in places}
    seq: dict[str, int] = {}
    lines: list[tuple[Any, ...]] = []
    entries: list[tuple[Any, ...]] = []
    reversals: list[tuple[Any, ...]] = []
    settled: list[tuple[Any, ...]] = []
    for n in range(people):
        code_p, code = places[n * len(places) // people]
        record_code = f"{code_p}/LS-{n:07d}-TCM"
        point = f"{code}/diem-{1 + n % 2}"
        method = "account" if rng.random() < 0.04 else "cash"
        draw, share = rng.random(), 0.0
        for programme, regime, weight, amount in MAIN_LINES:  # noqa: B007 - the line drawn is the one broken on
            share += weight
            if draw < share:
                break
        mine = [("recurring", programme, regime, amount)]
        for kind, extra_programme, extra_regime, weight, extra_amount in EXTRA_LINES:
            if rng.random() < weight and (extra_programme, extra_regime) != (programme, regime):
                mine.append((kind, extra_programme, extra_regime, extra_amount))
        keyed = [(f"{record_code}|{period}|{p}|{r}", kind, p, r, a) for kind, p, r, a in mine]
        for key, kind, p, r, a in keyed:
            lines.append((period, key, code, record_code, point, kind, p, r, a, method))
        if method != "cash" or rng.random() >= 0.90:
            continue
        device = devices[code]
        paid = keyed if len(keyed) == 1 or rng.random() > 0.02 else keyed[:-1]  # now and then a line left for later
        total = sum(a for *_, a in paid)

        def payment(device: str = device, record_code: str = record_code, total: int = total, point: str = point,
                    paid: list[Any] = paid, code: str = code) -> str:  # this person's values, bound now
            seq[device] = seq.get(device, 0) + 1
            entry_id = str(uuid.UUID(int=rng.getrandbits(128)))
            body = json.dumps({"kind": "payment", "record_code": record_code, "total": total, "point_id": point,
                               "lines": [key for key, *_ in paid], "recipient": "self", "note": "x" * 80})
            entries.append((entry_id, device, seq[device], "payment", "0" * 64, uuid.uuid4().hex * 2, body.encode(),
                            at, at, "giaodich", None, code, record_code, total, None, 0, period))
            return entry_id

        entry_id = payment()
        if rng.random() < 0.004:  # a mistaken payment, reversed by a supervisor, then paid again
            seq[device] += 1
            reversal_id = str(uuid.UUID(int=rng.getrandbits(128)))
            entries.append((reversal_id, device, seq[device], "reversal", "0" * 64, uuid.uuid4().hex * 2, b"{}", at, at,
                            "giamsat", None, code, None, 0, None, 0, None))
            reversals.append((reversal_id, entry_id, total))
            entry_id = payment()
        settled.extend((key, entry_id, period, device, a) for key, *_, a in paid)
    _copy(engine, "communes", ["code", "name", "province_code", "province_name", "district", "places"], commune_rows)
    _copy(engine, "devices", ["device_id", "public_key", "label", "communes", "status", "enrolled_at", "last_seq",
                              "head_hash"],
          ((device, "0" * 64, code, json.dumps([code]), "active", "2026-01-01T00:00:00.000000Z", seq.get(device, 0),
            "0" * 64) for code, device in devices.items()))
    _copy(engine, "list_lines", ["list_period", "line_key", "commune_code", "record_code", "point_id", "kind",
                                 "programme", "regime", "amount", "method"], lines)
    _copy(engine, "entries", ["entry_id", "device_id", "seq", "kind", "prev_hash", "entry_hash", "payload",
                              "recorded_at", "received_at", "staff", "session_id", "commune_code", "record_code",
                              "total", "recipient_id", "branch", "payout_period"], entries)
    _copy(engine, "reversals", ["reversal_entry_id", "payment_entry_id", "total"], reversals)
    _copy(engine, "settled", ["line_key", "entry_id", "payout_period", "device_id", "amount"], settled)
    by_province: dict[str, list[str]] = {}
    for code_p, code in places:
        by_province.setdefault(code_p, []).append(code)
    return {"people": people, "communes": len(places), "provinces": provinces, "list_lines": len(lines),
            "cash_lines": sum(1 for row in lines if row[9] == "cash"), "settled": len(settled),
            "payments": len(entries) - len(reversals), "reversals": len(reversals), "by_province": by_province}


def national_month(cluster: Any, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from server import progress

    console = Console("national", cluster.create_database("national"), folder)
    try:
        t0 = time.perf_counter()
        facts = load_national(console.engine, args.people, args.communes, args.provinces)
        console.vacuum(("communes", "devices", "list_lines", "entries", "reversals", "settled"))
        load_s = time.perf_counter() - t0
        print(f"all-visible after VACUUM: {console.all_visible()}")
        by_province = facts.pop("by_province")
        province_code = sorted(by_province)[min(6, len(by_province) - 1)]
        scope = by_province[province_code]
        print(f"\nnational month loaded in {load_s:.0f} s: {facts['people']:,} people, {facts['communes']:,} communes "
              f"in {facts['provinces']} provinces, {facts['list_lines']:,} list lines ({facts['cash_lines']:,} cash), "
              f"{facts['settled']:,} settled ({100 * facts['settled'] / facts['cash_lines']:.1f} % of cash lines), "
              f"{facts['payments']:,} payments; the province measured: {province_code} ({len(scope)} communes)")
        console.add_officer("tinh", scope)
        console.add_officer("quocgia", ["*"])
        console.serve()
        path = f"/console/progress?first={NATIONAL_PERIOD}"
        province_page = measure_page(console, console.officer("tinh"), path, "Tiến độ", args.runs, args.warmup)
        country_runs = max(3, args.runs // 2)
        country_page = measure_page(console, console.officer("quocgia"), path, "Tiến độ", country_runs, 1)
        m = NATIONAL_PERIOD
        direct_province = time_calls(console.engine, {
            "summary": lambda c: progress.summary(c, m, m, scope),
            "communes": lambda c: progress.communes(c, m, m, scope),
            "by_regime": lambda c: progress.by_regime(c, m, scope),
        }, args.runs, args.warmup)
        direct_country = time_calls(console.engine, {
            "summary": lambda c: progress.summary(c, m, m, None),
            "communes": lambda c: progress.communes(c, m, m, None),
            "by_regime": lambda c: progress.by_regime(c, m, None),
        }, country_runs, 1)

        print(f"\n-- 2. A national month ({NATIONAL_PERIOD}) on PostgreSQL --")
        print_table(PAGE_HEADERS, [page_row(f"one province ({len(scope)} communes)", province_page, TARGET_PROVINCE_S),
                                   page_row("the whole country", country_page, TARGET_COUNTRY_S)])
        print("\ninside the page")
        print_table(["function", "p50 ms", "p95 ms"],
                    inside_rows("province", province_page) + inside_rows("country", country_page))
        print("\nthe progress query called directly (no HTTP, no template); target on progress.summary")
        rows = []
        for label, calls, target in (("province", direct_province, TARGET_PROVINCE_S),
                                     ("country", direct_country, TARGET_COUNTRY_S)):
            for name, values in calls.items():
                judged = verdict(percentile(values, 95), target) if name == "summary" else ""
                rows.append([f"{label}: progress.{name}", ms(values, 50), ms(values, 95),
                             f"≤ {target * 1000:,.0f}" if judged else "", judged])
            total = [sum(run) for run in zip(*calls.values())]
            rows.append([f"{label}: the three together", ms(total, 50), ms(total, 95), "", ""])
        print_table(["call", "p50 ms", "p95 ms", "target ms", "p95"], rows)
        print("\nplans (indexes read): one province's page")
        for line in plans(console.url, province_page["statements"], args.explain):
            print("  " + line)
        print("plans (indexes read): the whole country's page")
        for line in plans(console.url, country_page["statements"], args.explain):
            print("  " + line)
        sizes = index_sizes(console.url)
        print("\nsizes (MB)")
        print_table(["table", "index", "MB"], sizes)
        return {"national": {**facts, "province": province_code, "province_communes": len(scope),
                             "load_s": round(load_s, 1), "province_page": describe(province_page),
                             "country_page": describe(country_page),
                             "direct_province_ms": {n: {"p50": ms(v, 50), "p95": ms(v, 95)}
                                                    for n, v in direct_province.items()},
                             "direct_country_ms": {n: {"p50": ms(v, 50), "p95": ms(v, 95)}
                                                   for n, v in direct_country.items()},
                             "sizes_mb": {f"{table}.{name}": size for table, name, size in sizes}}}
    finally:
        console.close()


# --- main -------------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """SIGTERM raises SystemExit, so the ``finally`` blocks stop the server and the cluster."""
    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="measured page loads (each with its raw replay)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--part", choices=("pilot", "national", "all"), default="all")
    parser.add_argument("--people", type=int, default=1_400_000)
    parser.add_argument("--communes", type=int, default=3_321)
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--pilot-communes", type=int, default=174)
    parser.add_argument("--pilot-months", type=int, default=12)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of every statement")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small pilot, 1/50 national month")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.warmup = min(args.runs, 3), 1
        args.pilot_communes, args.pilot_months = 30, 3
        args.people, args.communes = args.people // 50, 340
    benchlib.header(f"console: pilot {args.pilot_communes} communes × {args.pilot_months} months, national month "
                    f"{args.people:,} people in {args.communes:,} communes, {args.runs} runs")
    from tests.builders.postgres import PostgresCluster

    figures: dict[str, Any] = {"quick": args.quick, "runs": args.runs}
    load_before = os.getloadavg()
    with stop_on_sigterm(), tempfile.TemporaryDirectory(prefix="payout-bench-console-") as tmp:
        folder = Path(tmp)
        cluster = PostgresCluster.start(folder)
        try:
            settings = server_settings(cluster.url)
            print(settings + "\n")
            figures["postgres"] = settings
            if args.part in ("pilot", "all"):
                figures.update(pilot_year(cluster, folder, args))
            if args.part in ("national", "all"):
                figures.update(national_month(cluster, folder, args))
        finally:
            cluster.stop()
    figures["load_average"] = {"before": [round(x, 2) for x in load_before],
                               "after": [round(x, 2) for x in os.getloadavg()]}
    print(f"\nload average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    record("console", figures)


if __name__ == "__main__":
    main()
