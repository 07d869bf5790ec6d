"""Crash testing the store: a child process that pays in a loop until it is killed, and the checks run after a kill.

Run as a module from the repository's root (``python -m tests.builders.crash FOLDER SESSION_ID SEED``) it opens a
prepared data folder and records journal entries forever: a payment with a ~6 KB signature for the next person on
the list, now and then a supervisor's reversal, and when it comes round to someone already paid it reverses that
payment and pays again, so it never runs out of work and carries on from wherever the store is. After each COMMIT
it writes one line ``<seq> <kind> <entry_id>`` to stdout (one ``os.write``, unbuffered), so the parent knows exactly
which entries were reported as committed before it sent SIGKILL.

Imported as a module it gives the parent side, shared by ``tests/store/test_crash.py`` and ``bench/crash_soak.py``:
``prepare_store`` (a data folder with many people and an open session), ``run_and_kill`` (start the child, wait for
its first report, kill it after a delay) and ``check_store`` (reopen and check everything a crash must not break).

Only the child's imports are at module level, and they are kept small: the child's start is most of a kill round.
"""

from __future__ import annotations

import math
import os
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the child runs here, as ``-m tests.builders.crash``

COMMUNE = "QNH-0099"
POINT = "QNH-0099/nha-van-hoa-thon-trung"
PERIOD = "2026-12"
TELLER = "giaodich"
SUPERVISOR = "giamsat"
REVERSAL_RATE = 0.08
"""Share of payments the child reverses at once (a supervisor correcting a mistake), besides the reverse-and-repay."""


# --- a realistic signature ----------------------------------------------------------------------------------------


def signature_strokes(seed: int = 0, *, strokes: int = 4, points: int = 220) -> bytes:
    """PDS1 strokes of a cursive-looking signature: ``strokes`` × ``points`` samples at ~120 Hz on a 600×200 pad.

    The defaults give ~2.7 KB of strokes and ~3.4 KB of PNG, about 6 KB of signature per payment.
    """
    from app.domain.signature import SignaturePoint, encode_strokes

    rng = random.Random(seed)
    width, height = 600, 200
    step = (width - 80 - 15 * (strokes - 1)) / (strokes * points)
    result = []
    t = 0
    x0 = 40.0
    for _ in range(strokes):
        a1, a2 = rng.uniform(20, 45), rng.uniform(5, 20)
        f1, f2 = rng.uniform(0.05, 0.12), rng.uniform(0.15, 0.3)
        phase = rng.uniform(0, 2 * math.pi)
        stroke = []
        for i in range(points):
            x = x0 + i * step + 6 * math.sin(i * f2 + phase)
            y = height / 2 + a1 * math.sin(i * f1 + phase) + a2 * math.sin(i * f2 * 1.7)
            stroke.append(SignaturePoint(int(min(width - 1, max(0, x))), int(min(height - 1, max(0, y))), t))
            t += rng.choice((7, 8, 8, 9))
        result.append(stroke)
        x0 += points * step + 15
        t += rng.randint(150, 400)
    return encode_strokes(width, height, result)


def signature_evidence(seed: int = 0):  # -> Evidence (imported lazily to keep the child's start small)
    from app.domain.model import Evidence, EvidenceKind
    from app.domain.signature import decode_strokes, render_png

    strokes = signature_strokes(seed)
    return Evidence(EvidenceKind.SIGNATURE, strokes=strokes, png=render_png(decode_strokes(strokes)))


# --- the prepared data folder (parent side) -------------------------------------------------------------------------

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đức", "Hữu", "Minh", "Ngọc")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hoa", "Huệ", "Lan", "Long", "Mai", "Nam", "Tâm")


def crash_list(people: int = 3000, lines_per_person: int = 2):
    """A one-commune list of ``people`` active people with ``lines_per_person`` cash lines each (domain values)."""
    from app.domain.model import (
        Beneficiary,
        Commune,
        EntitlementLine,
        LineKind,
        PayoutPoint,
        Province,
        Village,
        line_key,
    )
    from app.lists.parsed import ParsedList

    regimes = ("monthly", "supplement", "carer", "pension")[:lines_per_person]
    amounts = (2_789_000, 1_399_000, 2_055_000, 5_120_000)
    villages = ("Thôn Trung", "Thôn Đông", "Thôn Tây")
    persons = []
    lines = []
    for n in range(1, people + 1):
        code = f"QNH/LS-{n:05d}-TCM"
        name = f"{FAMILY[n % len(FAMILY)]} {MIDDLE[n % len(MIDDLE)]} {GIVEN[(n // 7) % len(GIVEN)]}"
        persons.append(
            Beneficiary(code, name, COMMUNE, "LS", 1930 + n % 30, None, f"0220{n % 100:02d}{n:06d}",
                        villages[n % 3], POINT)
        )
        for regime, amount in zip(regimes, amounts):
            programme = "luong_huu" if regime == "pension" else "uu_dai"
            lines.append(
                EntitlementLine(line_key(None, code, PERIOD, programme, regime), code, PERIOD, PERIOD, programme,
                                regime, LineKind.RECURRING, amount)
            )
    return ParsedList(
        source="crash.xlsx",
        sha256="0" * 64,
        payout_period=PERIOD,
        province=Province("QNH", "Tỉnh Quảng Ninh"),
        communes=(Commune(COMMUNE, "Xã Yên Đức", "QNH"),),
        villages=tuple(Village(COMMUNE, name) for name in villages),
        points=(PayoutPoint(POINT, COMMUNE, "Nhà văn hóa thôn Trung"),),
        schedule=(),
        beneficiaries=tuple(persons),
        authorisations=(),
        lines=tuple(lines),
    )


def prepare_store(folder: Path, *, people: int = 3000, lines_per_person: int = 2) -> str:
    """Create a data folder with the crash list, a teller, a supervisor and an open session; its session id."""
    import datetime as dt

    from app.domain.model import Role
    from app.store.store import Store

    store = Store.open(folder)
    try:
        store.lists.import_parsed(crash_list(people, lines_per_person))
        store.staff.add(TELLER, "Nguyễn Thị Giao Dịch", Role.TELLER, "pw-teller")
        store.staff.add(SUPERVISOR, "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
        session = store.payouts.open_session(
            commune_code=COMMUNE, point_id=POINT, day=dt.date(2026, 12, 5), cash_advance=10**12, staff=TELLER
        )
    finally:
        store.close()
    return session.session_id


# --- killing the child (parent side) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reported:
    seq: int
    kind: str
    entry_id: str


@dataclass
class KillRound:
    reported: list[Reported] = field(default_factory=list)
    returncode: int | None = None
    stderr: str = ""
    start_s: float = 0.0
    """Seconds from starting the child to its first report."""


def run_and_kill(
    folder: Path, session_id: str, *, seed: int, delay_s: float, env: dict[str, str] | None = None,
    first_report_timeout_s: float = 60.0,
) -> KillRound:
    """Start the child, wait for its first committed entry, SIGKILL it ``delay_s`` later; what it reported."""
    import selectors
    import signal
    import subprocess
    import tempfile
    import time

    round_ = KillRound()
    with tempfile.TemporaryFile() as stderr:
        began = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.builders.crash", str(folder), session_id, str(seed)],
            stdout=subprocess.PIPE, stderr=stderr, env=dict(os.environ if env is None else env), cwd=str(ROOT),
        )
        assert proc.stdout is not None
        out = bytearray()
        try:
            fd = proc.stdout.fileno()
            with selectors.DefaultSelector() as selector:
                selector.register(fd, selectors.EVENT_READ)
                deadline = began + first_report_timeout_s
                while b"\n" not in out:
                    if time.perf_counter() > deadline or not selector.select(timeout=deadline - time.perf_counter()):
                        break
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        break  # the child exited (an error: see stderr)
                    out += chunk
            round_.start_s = time.perf_counter() - began
            if b"\n" in out and proc.poll() is None:
                time.sleep(delay_s)
            proc.send_signal(signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            # The rest of what it wrote before it died; a line cut by the kill (no newline) was never a report.
            out += proc.stdout.read()
            proc.stdout.close()
        stderr.seek(0)
        round_.stderr = stderr.read().decode("utf-8", "replace")
    round_.returncode = proc.returncode
    for line in bytes(out).split(b"\n")[:-1]:
        seq, kind, entry_id = line.decode("ascii").split()
        round_.reported.append(Reported(int(seq), kind, entry_id))
    return round_


# --- checking after a crash (parent side) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CrashCheck:
    entries: int
    head_seq: int
    payments: int
    reversals: int
    lost_reports: int
    """Entries committed but not reported (killed between COMMIT and the report): allowed, just counted."""


def check_store(folder: Path, reported: list[Reported], *, session_id: str) -> CrashCheck:
    """Reopen the data folder after a kill and check everything a crash must not break; raise AssertionError."""
    from app.store.database import raw_connect
    from app.store.store import Store

    store = Store.open(folder, create=False)
    try:
        raw = raw_connect(store.db_path, store.key)
        try:
            report = store.maintenance.verify()  # runs PRAGMA integrity_check, recomputes the chain, cross-checks
            assert report.integrity == "ok", f"integrity_check: {report.integrity}"
            assert report.ok, f"verify: {report.problems[:5]}"

            journal = {seq: (entry_id, kind) for seq, entry_id, kind in raw.execute(
                "SELECT seq, entry_id, kind FROM journal")}
            assert sorted(journal) == list(range(1, len(journal) + 1)), "journal sequence has gaps"
            assert report.entries == len(journal) and report.head_seq == len(journal)

            by_id = {entry_id: (seq, kind) for seq, (entry_id, kind) in journal.items()}
            missing = [r for r in reported if r.entry_id not in by_id]
            assert not missing, f"{len(missing)} reported entries are not in the journal, first {missing[0]}"
            wrong = [r for r in reported if by_id[r.entry_id] != (r.seq, r.kind)]
            assert not wrong, f"reported entries differ from the journal, first {wrong[0]}"

            outbox = {seq: entry_id for seq, entry_id in raw.execute("SELECT seq, entry_id FROM outbox")}
            assert outbox == {seq: entry_id for seq, (entry_id, _) in journal.items()}, "outbox differs from journal"

            for table in ("payment_lines", "line_settlements", "signatures", "payments"):
                orphans = raw.execute(
                    f"SELECT count(*) FROM {table} WHERE entry_id NOT IN (SELECT entry_id FROM journal)"
                ).fetchone()[0]
                assert orphans == 0, f"{orphans} {table} rows without a journal entry"
            payment_ids = {entry_id for entry_id, kind in journal.values() if kind == "payment"}
            stored_payments = {row[0] for row in raw.execute("SELECT entry_id FROM payments")}
            assert stored_payments == payment_ids, "payments table differs from the journal's payments"
            unsigned = raw.execute(
                "SELECT count(*) FROM payments WHERE entry_id NOT IN (SELECT entry_id FROM signatures)"
            ).fetchone()[0]
            assert unsigned == 0, f"{unsigned} payments without their signature"

            # Derived state moved with its entries: open lines are settled by exactly the unreversed payments.
            settled = set(raw.execute("SELECT line_key, entry_id FROM line_settlements"))
            expected = set(raw.execute(
                "SELECT l.line_key, l.entry_id FROM payment_lines l JOIN payments p ON p.entry_id = l.entry_id "
                "WHERE p.reversed_by IS NULL"
            ))
            assert settled == expected, "line settlements differ from the unreversed payments"
            reversals = {entry_id for entry_id, kind in journal.values() if kind == "reversal"}
            reversed_by = {row[0] for row in
                           raw.execute("SELECT reversed_by FROM payments WHERE reversed_by IS NOT NULL")}
            assert reversed_by == reversals, "reversal entries and reversed payments differ"
            paid_total, unreversed = raw.execute(
                "SELECT s.paid_total, (SELECT coalesce(sum(total), 0) FROM payments p "
                "WHERE p.session_id = s.session_id AND p.reversed_by IS NULL) FROM payout_sessions s "
                "WHERE s.session_id = ?",
                (session_id,),
            ).fetchone()
            assert paid_total == unreversed, f"session paid_total {paid_total} != unreversed payments {unreversed}"
        finally:
            raw.close()
    finally:
        store.close()
    last_reported = max((r.seq for r in reported), default=0)
    return CrashCheck(
        entries=len(journal),
        head_seq=report.head_seq,
        payments=len(payment_ids),
        reversals=len(reversals),
        lost_reports=max(0, report.head_seq - last_reported),
    )


# --- the child ------------------------------------------------------------------------------------------------------


def _emit(seq: int, kind: str, entry_id: str) -> None:
    os.write(1, f"{seq} {kind} {entry_id}\n".encode("ascii"))  # one write: a line is whole or absent


def child_main(folder: str, session_id: str, seed: int) -> None:
    from sqlalchemy import text

    from app.domain.model import IdentityCheck, PaymentRequest, Recipient
    from app.store import database
    from app.store.store import Store

    rng = random.Random(seed)
    evidence = signature_evidence(seed % 4)
    store = Store.open(folder, create=False)
    payouts = store.payouts
    with database.read(store.engine) as conn:
        codes = [row[0] for row in conn.execute(text("SELECT record_code FROM beneficiaries ORDER BY person_id"))]
        done = conn.execute(text("SELECT count(*) FROM payments")).scalar_one()
    position = done  # carry on after the people paid so far (then round again: reverse and pay anew)

    def unreversed_payment(record_code: str) -> str | None:
        with database.read(store.engine) as conn:
            return conn.execute(
                text("SELECT entry_id FROM payments WHERE record_code = :rc AND reversed_by IS NULL"),
                {"rc": record_code},
            ).scalar()

    while True:
        record_code = codes[position % len(codes)]
        position += 1
        view = payouts.person(record_code, session_id)
        if not view.selected:
            paid = unreversed_payment(record_code)
            if paid is None:
                continue
            reversal = payouts.reverse(paid, reason="Chi lại cho lần kiểm thử", supervisor=SUPERVISOR)
            _emit(reversal.seq, "reversal", reversal.entry_id)
            view = payouts.person(record_code, session_id)
        payment = payouts.pay(
            PaymentRequest(session_id, record_code, tuple(sorted(view.selected)), Recipient(),
                           IdentityCheck.CARD_INSPECTED, evidence, TELLER)
        )
        _emit(payment.seq, "payment", payment.entry_id)
        if rng.random() < REVERSAL_RATE:
            reversal = payouts.reverse(payment.entry_id, reason="Trả nhầm, lập bút toán đảo", supervisor=SUPERVISOR)
            _emit(reversal.seq, "reversal", reversal.entry_id)


if __name__ == "__main__":
    child_main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
