"""Appending to and reading the local journal (inside a caller's transaction) and checking it end to end.

The journal table holds each entry's canonical payload and chain hash; ``append`` gives it the next gap-free
sequence number and writes its outbox row in the same transaction, so an entry and its place in the sync queue exist
together or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from app.domain.journal import (
    GENESIS_HASH,
    ChainRecord,
    canonical_json,
    chain_hash,
    entry_payload,
    verify_chain,
)
from app.domain.model import EntryKind
from app.store.sql import fast


@dataclass(frozen=True, slots=True)
class AppendedEntry:
    seq: int
    entry_id: str
    entry_hash: str
    payload: dict[str, Any]


def head(conn: Connection) -> tuple[int, str]:
    """The last sequence number and hash of this device's chain (0 and the genesis hash when empty)."""
    row = fast(conn).execute("SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1").first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def append(
    conn: Connection,
    *,
    device_id: str,
    kind: EntryKind,
    staff: str,
    body: Mapping[str, Any],
    recorded_at: dt.datetime,
    entry_id: str | None = None,
) -> AppendedEntry:
    """Write one chained entry and its outbox row. Must run inside a ``BEGIN IMMEDIATE`` transaction."""
    last_seq, prev_hash = head(conn)
    seq = last_seq + 1
    entry_id = entry_id or str(uuid.uuid4())
    payload = entry_payload(
        entry_id=entry_id, device_id=device_id, seq=seq, kind=kind, recorded_at=recorded_at, staff=staff, body=body
    )
    encoded = canonical_json(payload)
    entry_hash = chain_hash(prev_hash, encoded)
    fast(conn).execute(
        (
            "INSERT INTO journal (seq, entry_id, kind, recorded_at, staff, payload, prev_hash, entry_hash) "
            "VALUES (:seq, :entry_id, :kind, :recorded_at, :staff, :payload, :prev_hash, :entry_hash)"
        ),
        {
            "seq": seq,
            "entry_id": entry_id,
            "kind": kind.value,
            "recorded_at": payload["recorded_at"],
            "staff": staff,
            "payload": encoded,
            "prev_hash": prev_hash,
            "entry_hash": entry_hash,
        },
    )
    fast(conn).execute(
        ("INSERT INTO outbox (seq, entry_id, state, updated_at) VALUES (:seq, :entry_id, 'pending', :at)"),
        {"seq": seq, "entry_id": entry_id, "at": payload["recorded_at"]},
    )
    return AppendedEntry(seq, entry_id, entry_hash, payload)


def load_payload(conn: Connection, entry_id: str) -> tuple[dict[str, Any], str] | None:
    row = fast(conn).execute(
        ("SELECT payload, entry_hash FROM journal WHERE entry_id = :id"), {"id": entry_id}
    ).first()
    if row is None:
        return None
    return json.loads(bytes(row[0])), row[1]


def chain_records(conn: Connection) -> Iterator[ChainRecord]:
    result = fast(conn).execute(
        "SELECT seq, entry_id, kind, prev_hash, entry_hash, payload FROM journal ORDER BY seq"
    )
    for seq, entry_id, kind, prev_hash, entry_hash, payload in result:
        yield ChainRecord(seq, entry_id, kind, prev_hash, entry_hash, _as_bytes(payload))


def _as_bytes(value: object) -> bytes:
    """A stored payload as bytes, even if raw SQL tampering turned the BLOB into TEXT."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return str(value).encode("utf-8")


@dataclass(frozen=True)
class Problem:
    """One thing that does not verify, naming the entry where possible."""

    reason: str
    seq: int | None = None
    entry_id: str | None = None


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    integrity: str
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def verify(conn: Connection) -> VerifyReport:
    """Check the database file, the chain, and that every table derived from the journal agrees with it."""
    integrity = fast(conn).execute("PRAGMA integrity_check").scalar() or "?"
    problems: list[Problem] = []
    if integrity != "ok":
        problems.append(Problem(f"integrity_check: {integrity}"))
    report = verify_chain(chain_records(conn))
    if not report.ok:
        problems.append(Problem(report.reason, report.first_bad_seq, report.first_bad_entry))
    problems.extend(_check_derived(conn))
    problems.sort(key=lambda problem: (problem.seq is None, problem.seq or 0))
    last_seq, last_hash = head(conn)
    return VerifyReport(not problems, report.count, last_seq, last_hash, integrity, tuple(problems))


def _check_derived(conn: Connection) -> list[Problem]:
    """Payment lines, signatures and the outbox must match the payloads one to one."""
    problems: list[Problem] = []
    stored_lines: dict[str, dict[str, int]] = {}
    for entry_id, key, amount in fast(conn).execute("SELECT entry_id, line_key, amount FROM payment_lines"):
        stored_lines.setdefault(entry_id, {})[key] = amount
    signatures = {
        entry_id: (bytes(strokes), digest)
        for entry_id, strokes, digest in fast(conn).execute("SELECT entry_id, strokes, digest FROM signatures")
    }
    outbox = {seq: entry_id for seq, entry_id in fast(conn).execute("SELECT seq, entry_id FROM outbox")}
    seen_entries: set[str] = set()
    rows = fast(conn).execute("SELECT seq, entry_id, kind, payload FROM journal ORDER BY seq")
    for seq, entry_id, kind, payload in rows:
        seen_entries.add(entry_id)
        if outbox.pop(seq, None) != entry_id:
            problems.append(Problem("outbox row missing or names another entry", seq, entry_id))
        if kind != EntryKind.PAYMENT.value:
            continue
        try:
            body = json.loads(_as_bytes(payload))["body"]
        except (ValueError, KeyError, TypeError):
            continue  # the chain check reports unreadable payloads
        expected = {line["key"]: line["amount"] for line in body.get("lines", [])}
        if stored_lines.pop(entry_id, {}) != expected:
            problems.append(Problem("payment lines differ from the journal entry", seq, entry_id))
        digest = body.get("evidence", {}).get("signature_digest")
        stored = signatures.pop(entry_id, None)
        if digest is None and stored is not None:
            problems.append(Problem("a signature is stored for an entry that has none", seq, entry_id))
        if digest is not None:
            if stored is None:
                problems.append(Problem("signature missing", seq, entry_id))
            elif stored[1] != digest or hashlib.sha256(stored[0]).hexdigest() != digest:
                problems.append(Problem("signature differs from the journal entry", seq, entry_id))
    for entry_id in stored_lines:
        problems.append(Problem("payment lines without a journal entry", None, entry_id))
    for entry_id in signatures:
        problems.append(Problem("signature without a journal entry", None, entry_id))
    for seq, entry_id in outbox.items():
        problems.append(Problem("outbox row without a journal entry", seq, entry_id))
    return problems
