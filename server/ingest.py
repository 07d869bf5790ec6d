"""Applying a device's journal batch: dedupe, chain check, store every authentic entry, flag what is wrong.

One batch runs in one transaction with the device's row locked, so the same batch sent five times at once is applied
once and answered "already applied" four times. An entry is identified by its UUID and by (device, seq): the same UUID
with the same hash is a duplicate; the same (device, seq) with another entry is a fork (a restored laptop) — stored on
its own branch and flagged, nothing overwritten. Content problems (a line paid twice, a payment after a death notice,
an amount unlike the list...) never refuse an entry whose cash has left: they are flags for a person to review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from sqlalchemy import Connection, and_, func, select, text

from app.domain import journal as canon
from app.domain.journal import format_timestamp
from app.domain.model import EntryKind, LineKind
from app.domain.period import period_of
from app.wire import codec, constants
from app.wire.errors import ProtocolError
from server import feed, schema

HEX = set("0123456789abcdef")
ENTRY_KINDS = frozenset(kind.value for kind in EntryKind)


class BatchRefused(Exception):
    """The batch as a whole cannot be applied (nothing stored): answered with ``status`` and a JSON error."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


@dataclass
class EntryResult:
    seq: int
    entry_id: str
    status: str
    flags: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "entry_id": self.entry_id, "status": self.status, "flags": self.flags}


@dataclass
class BatchOutcome:
    results: list[EntryResult]
    head_seq: int
    head_hash: str


@dataclass
class _Entry:
    """One wire entry, checked for shape and hash."""

    seq: int
    entry_id: str
    kind: str
    prev_hash: str
    entry_hash: str
    payload_bytes: bytes
    payload: dict[str, Any]
    signature: bytes | None

    @property
    def body(self) -> dict[str, Any]:
        return self.payload.get("body") or {}


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= HEX


def parse_entries(device_id: str, raw_entries: Any) -> list[_Entry]:
    """Check each entry's shape, canonical form and hash (a mismatch is corruption, refused with 422)."""
    if not isinstance(raw_entries, list) or not raw_entries:
        raise BatchRefused(422, "bad_batch", "entries must be a non-empty list")
    if len(raw_entries) > constants.MAX_BATCH_ENTRIES:
        raise BatchRefused(413, "batch_too_large", f"at most {constants.MAX_BATCH_ENTRIES} entries per batch")
    parsed: list[_Entry] = []
    for raw in raw_entries:
        if not isinstance(raw, dict):
            raise BatchRefused(422, "bad_entry", "an entry is not an object")
        seq, entry_id, payload_text = raw.get("seq"), raw.get("entry_id"), raw.get("payload")
        if type(seq) is not int or seq < 1 or not isinstance(entry_id, str) or not isinstance(payload_text, str):
            raise BatchRefused(422, "bad_entry", "an entry lacks seq, entry_id or payload", seq=seq)
        prev_hash, entry_hash, kind = raw.get("prev_hash"), raw.get("entry_hash"), raw.get("kind")
        if not _is_hash(prev_hash) or not _is_hash(entry_hash) or kind not in ENTRY_KINDS:
            raise BatchRefused(422, "bad_entry", f"entry {seq}: bad hash or kind", seq=seq)
        if "\\u0000" in payload_text or "\x00" in payload_text:
            raise BatchRefused(422, "bad_entry", f"entry {seq}: payload holds a NUL character", seq=seq)
        payload_bytes = payload_text.encode("utf-8")
        try:
            payload = json.loads(payload_text)
            canonical = canon.canonical_json(payload)
        except (ValueError, canon.CanonicalEncodingError):
            raise BatchRefused(422, "bad_entry", f"entry {seq}: payload is not canonical JSON", seq=seq) from None
        if not isinstance(payload, dict) or canonical != payload_bytes:
            raise BatchRefused(422, "bad_entry", f"entry {seq}: payload is not in canonical form", seq=seq)
        if canon.chain_hash(prev_hash, payload_bytes) != entry_hash:
            raise BatchRefused(422, "bad_entry", f"entry {seq}: hash does not match its content", seq=seq)
        if (payload.get("seq"), payload.get("entry_id"), payload.get("kind"), payload.get("device_id")) != (
            seq, entry_id, kind, device_id
        ) or payload.get("v") != canon.FORMAT_VERSION:
            raise BatchRefused(422, "bad_entry", f"entry {seq}: fields differ from its payload", seq=seq)
        try:
            signature = codec.decode_signature(raw.get("signature"))
        except ProtocolError:
            raise BatchRefused(422, "bad_entry", f"entry {seq}: signature is not base64", seq=seq) from None
        entry = _Entry(seq, entry_id, kind, prev_hash, entry_hash, payload_bytes, payload, signature)
        if kind == EntryKind.PAYMENT.value:
            _check_payment_shape(entry)
        parsed.append(entry)
    parsed.sort(key=lambda e: e.seq)
    for before, after in zip(parsed, parsed[1:]):
        if after.seq != before.seq + 1:
            raise BatchRefused(422, "bad_batch", "a batch must hold consecutive sequence numbers")
    return parsed


def _check_payment_shape(entry: _Entry) -> None:
    body = entry.body
    try:
        lines = body["lines"]
        ok = (
            isinstance(body["record_code"], str)
            and isinstance(body["session_id"], str)
            and type(body["total"]) is int
            and all(isinstance(line["key"], str) and type(line["amount"]) is int for line in lines)
        )
        digest = body["evidence"]["signature_digest"]
    except (KeyError, TypeError):
        ok, digest = False, None
    if not ok:
        raise BatchRefused(422, "bad_entry", f"entry {entry.seq}: not a payment's shape", seq=entry.seq)
    if digest is not None:
        if entry.signature is None or hashlib.sha256(entry.signature).hexdigest() != digest:
            raise BatchRefused(422, "bad_entry", f"entry {entry.seq}: signature missing or unlike its digest",
                               seq=entry.seq)


def apply_batch(
    conn: Connection,
    *,
    device_id: str,
    raw_entries: Any,
    now: dt.datetime,
    skew_seconds: int | None,
    proxy_limit: int,
    pending: int | None = None,
) -> BatchOutcome:
    """Apply one batch inside the caller's transaction (see the module docstring)."""
    entries = parse_entries(device_id, raw_entries)
    device = conn.execute(
        select(schema.devices).where(schema.devices.c.device_id == device_id).with_for_update()
    ).mappings().first()
    if device is None:
        raise BatchRefused(401, "unknown_device", "this device is not enrolled")
    lock_what_the_checks_read(conn, device_id, entries)
    head_seq, head_hash = int(device["last_seq"]), device["head_hash"]
    if entries[0].seq > head_seq + 1:
        raise BatchRefused(409, "sequence_gap", f"expected entry {head_seq + 1}", expected_seq=head_seq + 1)
    context = _Context.load(conn, device, entries, proxy_limit)
    received = format_timestamp(now)
    device_flags: list[tuple[str, dict[str, Any]]] = []
    if device["status"] == "revoked":
        device_flags.append((constants.FLAG_REVOKED_DEVICE, {"revoked_at": device["revoked_at"]}))
    if skew_seconds is not None and abs(skew_seconds) > constants.MAX_CLOCK_SKEW.total_seconds():
        device_flags.append((constants.FLAG_CLOCK_SKEW, {"skew_seconds": skew_seconds}))

    results: list[EntryResult] = []
    rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    signature_rows: list[dict[str, Any]] = []
    reversal_rows: list[dict[str, Any]] = []
    flag_rows: list[dict[str, Any]] = []
    for entry in entries:
        known = context.by_id.get(entry.entry_id)
        if known is not None:
            if known["entry_hash"] != entry.entry_hash:
                raise BatchRefused(409, "entry_conflict", f"entry {entry.entry_id} is already stored with other content")
            results.append(EntryResult(entry.seq, entry.entry_id, constants.ALREADY_APPLIED))
            continue
        flags: list[tuple[str, dict[str, Any], str | None, str | None, str | None]] = []
        branch = 0
        same_seq = context.at_seq.get(entry.seq, [])
        if same_seq:
            branch = max(row["branch"] for row in same_seq) + 1
            flags.append((constants.FLAG_FORK, {"seq": entry.seq, "stored": [r["entry_id"] for r in same_seq]},
                           same_seq[0]["entry_id"], None, None))
        linked = entry.prev_hash in context.hashes_at.get(entry.seq - 1, set()) or (
            entry.seq == 1 and entry.prev_hash == canon.GENESIS_HASH
        )
        if not linked:
            flags.append((constants.FLAG_CHAIN_BREAK, {"seq": entry.seq, "prev_hash": entry.prev_hash},
                           None, None, None))
        for kind, detail in device_flags:
            flags.append((kind, detail, None, None, None))
        commune, record_code, total, recipient_id = context.describe(entry)
        if commune is not None and commune not in context.device_communes:
            raise BatchRefused(403, "other_commune", f"entry {entry.seq} concerns commune {commune}, not this device's",
                               seq=entry.seq)
        try:
            if entry.kind == EntryKind.PAYMENT.value:
                flags.extend(context.check_payment(entry, commune))
                for line in entry.body["lines"]:
                    line_rows.append({
                        "entry_id": entry.entry_id, "line_key": str(line["key"])[:200], "amount": line["amount"],
                        "record_code": record_code, "commune_code": commune,
                        "period": str(line.get("period", ""))[:7], "device_id": device_id,
                    })
                if entry.signature is not None:
                    signature_rows.append({"entry_id": entry.entry_id, "strokes": entry.signature,
                                           "digest": entry.body["evidence"]["signature_digest"]})
            elif entry.kind == EntryKind.REVERSAL.value:
                reversal_rows.append(context.apply_reversal(entry))
            elif entry.kind == EntryKind.SESSION_CLOSED.value:
                flags.extend(context.check_closure(entry))
            elif entry.kind == EntryKind.SESSION_OPENED.value:
                context.open_session(entry, commune)
        except (ValueError, TypeError, KeyError, AttributeError) as problem:
            # Signed and chained, so the device can never change it: store it, flagged, rather than block the queue.
            flags.append((constants.FLAG_BAD_CONTENT, {"problem": f"{type(problem).__name__}: {problem}"[:300]},
                           None, None, None))
        rows.append({
            "entry_id": entry.entry_id, "device_id": device_id, "seq": entry.seq, "kind": entry.kind,
            "prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash, "payload": entry.payload_bytes,
            "recorded_at": str(entry.payload.get("recorded_at", ""))[:32], "received_at": received,
            "staff": str(entry.payload.get("staff", ""))[:64], "session_id": _text(entry.body.get("session_id"), 36),
            "commune_code": _text(commune, 32), "record_code": _text(record_code, 64),
            "total": total if type(total) is int and abs(total) < 2**62 else None, "recipient_id": recipient_id,
            "branch": branch,
            "payout_period": _text(context.payout_period(entry) if entry.kind == EntryKind.PAYMENT.value else
                                   context.session_periods.get(entry.body.get("session_id")), 7),
        })
        context.remember(entry, branch)
        for kind, detail, other, line_key, _ in flags:
            flag_rows.append({
                "kind": kind, "entry_id": entry.entry_id, "other_entry_id": other, "device_id": device_id,
                "commune_code": commune, "line_key": line_key, "record_code": record_code,
                "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True), "created_at": received,
            })
        status = constants.FLAGGED if flags else constants.APPLIED
        results.append(EntryResult(entry.seq, entry.entry_id, status, sorted({f[0] for f in flags})))
        head_seq, head_hash = entry.seq, entry.entry_hash

    if rows:
        conn.execute(schema.entries.insert(), rows)
    if line_rows:
        conn.execute(schema.paid_lines.insert(), line_rows)
    if signature_rows:
        conn.execute(schema.signatures.insert(), signature_rows)
    if reversal_rows:
        conn.execute(schema.reversals.insert(), reversal_rows)
    if context.unsettled:
        conn.execute(schema.settled.delete().where(schema.settled.c.entry_id.in_(context.unsettled)))
    if context.settled_rows:
        conn.execute(schema.settled.insert(), context.settled_rows)
    if flag_rows:
        feed.add_flags(conn, flag_rows)
    conn.execute(
        schema.devices.update().where(schema.devices.c.device_id == device_id).values(
            last_seq=head_seq, head_hash=head_hash, last_seen_at=received, clock_skew_seconds=skew_seconds,
            pending_reported=pending,
        )
    )
    return BatchOutcome(results, head_seq, head_hash)


def lock_what_the_checks_read(conn: Connection, device_id: str, entries: list[_Entry]) -> None:
    """Make concurrent batches of different devices see each other's payments before checking content.

    The double-payment and proxy checks read other devices' payments. On PostgreSQL each batch takes a
    transaction-scoped advisory lock per line key and per proxy ID it pays, in one sorted order (so two batches
    never wait on each other in a cycle): batches touching the same line or proxy run one after the other, the rest
    in parallel. SQLite has a single writer (``BEGIN IMMEDIATE``), which serialises batches anyway.
    """
    if conn.dialect.name != "postgresql":
        return
    keys: set[str] = set()
    for entry in entries:
        if entry.kind == EntryKind.PAYMENT.value:
            keys.update(f"line:{line['key']}" for line in entry.body["lines"])
            proxy = _proxy_id(entry)
            if proxy:
                keys.add(f"proxy:{proxy}")
    if keys:
        conn.execute(text("SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 7) AS h "
                          "FROM unnest(CAST(:keys AS text[])) AS k) locks ORDER BY h"), {"keys": sorted(keys)})


class _Context:
    """What the checks of one batch need from the database, read once, then kept up to date entry by entry."""

    def __init__(self) -> None:
        self.device_id = ""
        self.device_communes: set[str] = set()
        self.proxy_limit = 3
        self.by_id: dict[str, Mapping[str, Any]] = {}
        self.at_seq: dict[int, list[Mapping[str, Any]]] = {}
        self.hashes_at: dict[int, set[str]] = defaultdict(set)
        self.people: dict[str, Mapping[str, Any]] = {}
        self.lines: dict[str, Mapping[str, Any]] = {}
        self.paid: dict[str, list[tuple[str, str]]] = defaultdict(list)  # line key → (entry id, device id) unreversed
        self.sessions: dict[str, str | None] = {}
        self.session_periods: dict[str, str] = {}
        self.session_days: dict[str, str] = {}
        self.person_data: dict[str, dict[str, Any]] = {}
        self.settled_keys: set[str] = set()
        self.settled_rows: list[dict[str, Any]] = []
        self.unsettled: list[str] = []  # payment entry ids whose lines a reversal released
        self.payments: dict[str, dict[str, Any]] = {}  # payment entry id → session, total, commune, keys
        self.reversed: set[str] = set()
        self.proxy_people: dict[tuple[str, str], set[str]] = defaultdict(set)  # (proxy id, month) → record codes

    @classmethod
    def load(cls, conn: Connection, device: Mapping[str, Any], entries: list[_Entry], proxy_limit: int) -> "_Context":
        self = cls()
        self.device_id = device["device_id"]
        self.device_communes = set(json.loads(device["communes"]))
        self.proxy_limit = proxy_limit
        e = schema.entries.c
        ids = [entry.entry_id for entry in entries]
        for row in conn.execute(select(e.entry_id, e.entry_hash).where(e.entry_id.in_(ids))).mappings():
            self.by_id[row["entry_id"]] = row
        seqs = {entry.seq for entry in entries} | {entries[0].seq - 1}
        for row in conn.execute(
            select(e.entry_id, e.seq, e.entry_hash, e.branch).where(and_(e.device_id == self.device_id, e.seq.in_(seqs)))
        ).mappings():
            self.at_seq.setdefault(row["seq"], []).append(row)
            self.hashes_at[row["seq"]].add(row["entry_hash"])
        payments = [entry for entry in entries if entry.kind == EntryKind.PAYMENT.value]
        records = {entry.body["record_code"] for entry in payments}
        keys = {line["key"] for entry in payments for line in entry.body["lines"]}
        p, ln, pl, rv = schema.people.c, schema.lines.c, schema.paid_lines.c, schema.reversals.c
        if records:
            for row in conn.execute(
                select(p.record_code, p.commune_code, p.status, p.date_of_death, p.data).where(p.record_code.in_(records))
            ).mappings():
                self.people[row["record_code"]] = row
        if keys:
            for row in conn.execute(
                select(ln.line_key, ln.amount, ln.kind, ln.period, ln.withdrawn).where(ln.line_key.in_(keys))
            ).mappings():
                self.lines[row["line_key"]] = row
            self.settled_keys = set(conn.execute(
                select(schema.settled.c.line_key).where(schema.settled.c.line_key.in_(keys))).scalars())
            reversed_payments = select(rv.payment_entry_id)
            for key, entry_id, device_id in conn.execute(
                select(pl.line_key, pl.entry_id, pl.device_id).where(
                    and_(pl.line_key.in_(keys), pl.entry_id.not_in(reversed_payments))
                )
            ):
                self.paid[key].append((entry_id, device_id))
        session_ids = {entry.body.get("session_id") for entry in entries} - {None}
        if session_ids:
            for session_id, commune, payload in conn.execute(
                select(e.session_id, e.commune_code, e.payload).where(
                    and_(e.session_id.in_(session_ids), e.kind == EntryKind.SESSION_OPENED.value)
                )
            ):
                body = json.loads(bytes(payload))["body"]
                self.sessions[session_id] = commune
                self.session_periods[session_id] = str(body.get("period", ""))[:7]
                self.session_days[session_id] = str(body.get("day", ""))[:10]
        reversal_targets = {
            entry.body.get("payment_entry_id") for entry in entries if entry.kind == EntryKind.REVERSAL.value
        } - {None}
        if reversal_targets:
            for row in conn.execute(
                select(e.entry_id, e.session_id, e.total, e.commune_code).where(e.entry_id.in_(reversal_targets))
            ).mappings():
                self.payments[row["entry_id"]] = dict(row)
        closures = {
            entry.body.get("session_id") for entry in entries if entry.kind == EntryKind.SESSION_CLOSED.value
        } - {None}
        self.session_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        if closures:
            for session_id, count, total in conn.execute(
                select(e.session_id, func.count(), func.coalesce(func.sum(e.total), 0)).where(
                    and_(e.session_id.in_(closures), e.kind == EntryKind.PAYMENT.value, e.device_id == self.device_id,
                         e.entry_id.not_in(reversed_payments_all()))
                ).group_by(e.session_id)
            ):
                self.session_totals[session_id] = [int(count), int(total)]
        proxies = {_proxy_id(entry) for entry in payments} - {None}
        if proxies:
            months = {entry.payload.get("recorded_at", "")[:7] for entry in payments}
            for proxy, record_code, recorded_at in conn.execute(
                select(e.recipient_id, e.record_code, e.recorded_at).where(
                    and_(e.recipient_id.in_(proxies), e.kind == EntryKind.PAYMENT.value)
                )
            ):
                if recorded_at[:7] in months:
                    self.proxy_people[(proxy, recorded_at[:7])].add(record_code)
        return self

    def describe(self, entry: _Entry) -> tuple[str | None, str | None, int | None, str | None]:
        """(commune, record code, total, proxy id) of an entry, for its row and the commune check."""
        body = entry.body
        if entry.kind == EntryKind.SESSION_OPENED.value:
            return str(body.get("commune_code")), None, body.get("cash_advance"), None
        if entry.kind == EntryKind.PAYMENT.value:
            person = self.people.get(body["record_code"])
            commune = self.sessions.get(body["session_id"]) or (person["commune_code"] if person else None)
            return commune, body["record_code"], body["total"], _proxy_id(entry)
        if entry.kind == EntryKind.REVERSAL.value:
            payment = self.payments.get(body.get("payment_entry_id"))
            return (payment or {}).get("commune_code"), None, body.get("total"), None
        return self.sessions.get(body.get("session_id")), None, body.get("paid_total"), None

    def check_payment(self, entry: _Entry, commune: str | None) -> list[tuple[str, dict[str, Any], str | None, str | None, str | None]]:
        body = entry.body
        flags: list[tuple[str, dict[str, Any], str | None, str | None, str | None]] = []
        person = self.people.get(body["record_code"])
        paid_on = _paid_on(entry, self.session_days.get(body["session_id"]))
        if person is not None and commune is not None and person["commune_code"] != commune:
            flags.append((constants.FLAG_OTHER_COMMUNE, {"session_commune": commune,
                                                         "person_commune": person["commune_code"]}, None, None, None))
        for line in body["lines"]:
            key = line["key"]
            for other_entry, other_device in self.paid.get(key, []):
                flags.append((constants.FLAG_DOUBLE_PAYMENT, {"line": key, "other_device": other_device},
                               other_entry, key, None))
            listed = self.lines.get(key)
            if listed is None or listed["withdrawn"]:
                flags.append((constants.FLAG_UNKNOWN_LINE, {"line": key}, None, key, None))
            elif int(listed["amount"]) != line["amount"]:
                flags.append((constants.FLAG_AMOUNT_MISMATCH,
                               {"line": key, "paid": line["amount"], "listed": int(listed["amount"])},
                               None, key, None))
            if person is not None and person["status"] == "deceased" and person["date_of_death"]:
                death = dt.date.fromisoformat(person["date_of_death"])
                kind = listed["kind"] if listed is not None else None
                recurring_after = kind == LineKind.RECURRING.value and str(line.get("period")) > period_of(death)
                paid_to_person = (body.get("recipient") or {}).get("kind") != "representative"
                if recurring_after or (paid_to_person and paid_on >= death):
                    flags.append((constants.FLAG_AFTER_DEATH, {"line": key, "date_of_death": person["date_of_death"]},
                                   None, key, None))
            self.paid[key].append((entry.entry_id, self.device_id))
            if key not in self.settled_keys:
                self.settled_keys.add(key)
                self.settled_rows.append({"line_key": key, "entry_id": entry.entry_id, "device_id": self.device_id,
                                          "payout_period": self.payout_period(entry), "amount": line["amount"]})
        if person is not None:
            suspension = _suspended_on(person, paid_on, self.person_data)
            if suspension is not None:
                flags.append((constants.FLAG_WHILE_SUSPENDED, suspension, None, None, None))
        recipient = body.get("recipient") or {}
        if recipient.get("kind") == "proxy":
            until = recipient.get("authorisation_valid_until")
            if until and dt.date.fromisoformat(until) < paid_on:
                flags.append((constants.FLAG_AUTHORISATION_EXPIRED,
                               {"number": recipient.get("authorisation_number"), "valid_until": until},
                               None, None, None))
            proxy = _proxy_id(entry)
            month = entry.payload.get("recorded_at", "")[:7]
            people = self.proxy_people[(proxy, month)]
            people.add(body["record_code"])
            if len(people) > self.proxy_limit:
                flags.append((constants.FLAG_PROXY_OVERUSE,
                               {"proxy_id": proxy, "people": len(people), "limit": self.proxy_limit},
                               None, None, None))
        self.payments[entry.entry_id] = {
            "session_id": body["session_id"], "total": body["total"], "commune_code": commune,
        }
        self.session_totals[body["session_id"]][0] += 1
        self.session_totals[body["session_id"]][1] += body["total"]
        return flags

    def open_session(self, entry: _Entry, commune: str | None) -> None:
        session_id = entry.body.get("session_id")
        self.sessions[session_id] = commune
        self.session_periods[session_id] = str(entry.body.get("period", ""))[:7]
        self.session_days[session_id] = str(entry.body.get("day", ""))[:10]

    def payout_period(self, entry: _Entry) -> str:
        """The payout month of a payment: its session's period (else the month it was recorded)."""
        period = self.session_periods.get(entry.body.get("session_id"))
        return period or str(entry.payload.get("recorded_at", ""))[:7]

    def apply_reversal(self, entry: _Entry) -> dict[str, Any]:
        target = str(entry.body.get("payment_entry_id"))
        self.unsettled.append(target)
        self.settled_rows = [row for row in self.settled_rows if row["entry_id"] != target]
        for key in entry.body.get("line_keys", []):
            self.settled_keys.discard(key)
        payment = self.payments.get(target)
        for key in entry.body.get("line_keys", []):
            self.paid[key] = [(e, d) for e, d in self.paid.get(key, []) if e != target]
        if payment is not None and target not in self.reversed:
            totals = self.session_totals.get(payment["session_id"])
            if totals is not None:
                totals[0] -= 1
                totals[1] -= int(payment["total"] or 0)
        self.reversed.add(target)
        return {"reversal_entry_id": entry.entry_id, "payment_entry_id": target, "total": int(entry.body.get("total", 0))}

    def check_closure(self, entry: _Entry) -> list[tuple[str, dict[str, Any], str | None, str | None, str | None]]:
        body = entry.body
        count, total = self.session_totals.get(body.get("session_id"), [0, 0])
        if (count, total) != (body.get("payments"), body.get("paid_total")):
            detail = {"device_payments": body.get("payments"), "device_total": body.get("paid_total"),
                      "server_payments": count, "server_total": total}
            return [(constants.FLAG_CLOSURE_MISMATCH, detail, None, None, None)]
        return []

    def remember(self, entry: _Entry, branch: int) -> None:
        self.at_seq.setdefault(entry.seq, []).append({"entry_id": entry.entry_id, "branch": branch})
        self.hashes_at[entry.seq].add(entry.entry_hash)
        self.by_id[entry.entry_id] = {"entry_id": entry.entry_id, "entry_hash": entry.entry_hash}


def _text(value: Any, size: int) -> str | None:
    """A value for a bounded text column (PostgreSQL refuses longer text; SQLite would store it)."""
    return None if value is None else str(value)[:size]


def reversed_payments_all():  # type: ignore[no-untyped-def]
    return select(schema.reversals.c.payment_entry_id)


def _suspended_on(person: Mapping[str, Any], day: dt.date,
                  parsed: dict[str, dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The suspension in force on ``day`` (from the person's suspension history), or None.

    ``parsed`` caches each person's decoded data for the batch (a batch often pays many lines of few people)."""
    cache = parsed if parsed is not None else {}
    data = cache.get(person["record_code"])
    if data is None:
        data = cache[person["record_code"]] = json.loads(person["data"])
    history = data.get("suspensions")
    if history is None:  # no history recorded: judge by the current status
        return {"reason": data.get("status_reason", "")} if person["status"] == "suspended" else None
    for item in history:
        start = dt.date.fromisoformat(item["from"])
        end = dt.date.fromisoformat(item["to"]) if item.get("to") else None
        if start <= day and (end is None or day < end):
            return {"reason": item.get("reason", ""), "from": item["from"], "to": item.get("to")}
    return None


def _proxy_id(entry: _Entry) -> str | None:
    recipient = entry.body.get("recipient") or {}
    if recipient.get("kind") != "proxy":
        return None
    return str(recipient.get("id_number") or "")[:32] or None


def _paid_on(entry: _Entry, session_day: str | None = None) -> dt.date:
    """The day the cash left: a paper payment's own date, else the session's (local) day, else the UTC date."""
    back = entry.body.get("back_entry")
    if back and back.get("paid_on"):
        return dt.date.fromisoformat(back["paid_on"])
    if session_day:
        return dt.date.fromisoformat(session_day)
    return canon.parse_timestamp(entry.payload["recorded_at"]).date()


def flags_of(results: Iterable[EntryResult]) -> int:
    return sum(1 for result in results if result.flags)
