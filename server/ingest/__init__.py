"""Applying a device's journal batch: dedupe, chain check, store every authentic entry, flag what is wrong.

One batch runs in one transaction with the device's row locked, so the same batch sent five times at once is applied
once and answered "already applied" four times. An entry is identified by its UUID and by (device, seq): the same UUID
with the same hash is a duplicate; the same (device, seq) with another entry is a fork (a restored laptop) — stored on
its own branch and flagged, nothing overwritten. Content problems (a line paid twice, a payment after a death notice,
an amount unlike the list...) never refuse an entry whose cash has left: they are flags for a person to review, found
by the rules of ``app.domain`` (``findings.judge_payment``), the same the desk applies before paying.

A payment outside the communes its device served is stored and applied, and flagged for both communes
(``communes``); a payment whose amounts cannot be real (below zero, above the ceiling) is stored, flagged and not
applied (``amounts``). Neither refuses the batch: only an unauthentic or corrupt one is refused.

The parts: ``entries`` checks the wire entries and reads a payment's facts; ``snapshot`` reads, once, what the
checks need from the database; ``ledger`` gathers what the batch writes and writes it at the end. ``apply_batch``
below walks the entries and applies the rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from app.domain.findings import FindingKind, judge_payment
from app.domain.journal import format_timestamp
from app.domain.model import EntryKind, RecipientKind
from app.wire import constants
from server import locks
from server.ingest.amounts import max_line_amount, out_of_range, reversal_out_of_range
from server.ingest.communes import day_outside_communes, outside_communes
from server.ingest.entries import BatchRefused, WireEntry, parse_entries, payment_made
from server.ingest.ledger import BatchLedger, Flag, Placement
from server.ingest.snapshot import BatchSnapshot, DeviceOnFile, lock_device

__all__ = ["BatchOutcome", "BatchRefused", "EntryResult", "apply_batch", "flags_of", "parse_entries"]


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
    device = lock_device(conn, device_id)
    lock_what_the_checks_read(conn, entries)
    if entries[0].seq > device.last_seq + 1:
        raise BatchRefused(409, "sequence_gap", f"expected entry {device.last_seq + 1}",
                           expected_seq=device.last_seq + 1)
    ledger = BatchLedger(BatchSnapshot.load(conn, device, entries), received=format_timestamp(now))
    about_the_device = device_flags(device, skew_seconds)
    results = [apply_entry(ledger, entry, about_the_device, proxy_limit) for entry in entries]
    ledger.write(conn, skew_seconds=skew_seconds, pending=pending)
    return BatchOutcome(results, ledger.head_seq, ledger.head_hash)


def device_flags(device: DeviceOnFile, skew_seconds: int | None) -> list[Flag]:
    """Flags on every entry of the batch: a revoked device, a clock too far from the server's."""
    flags = []
    if device.revoked:
        flags.append(Flag(constants.FLAG_REVOKED_DEVICE, {"revoked_at": device.revoked_at}))
    if skew_seconds is not None and abs(skew_seconds) > constants.MAX_CLOCK_SKEW.total_seconds():
        flags.append(Flag(constants.FLAG_CLOCK_SKEW, {"skew_seconds": skew_seconds}))
    return flags


def apply_entry(ledger: BatchLedger, entry: WireEntry, about_the_device: list[Flag], proxy_limit: int) -> EntryResult:
    """One entry: answered as a duplicate, or stored with the flags of its place in the chain and of its content."""
    stored_hash = ledger.stored_hash(entry.entry_id)
    if stored_hash is not None:
        if stored_hash != entry.entry_hash:
            raise BatchRefused(409, "entry_conflict", f"entry {entry.entry_id} is already stored with other content")
        return EntryResult(entry.seq, entry.entry_id, constants.ALREADY_APPLIED)

    flags: list[Flag] = []
    branch = 0
    same_seq = ledger.stored_at(entry.seq)
    if same_seq:  # a fork: a restored laptop wrote another entry at this seq
        branch = max(stored.branch for stored in same_seq) + 1
        flags.append(Flag(constants.FLAG_FORK, {"seq": entry.seq, "stored": [s.entry_id for s in same_seq]},
                          same_seq[0].entry_id))
    if not ledger.follows_chain(entry):
        flags.append(Flag(constants.FLAG_CHAIN_BREAK, {"seq": entry.seq, "prev_hash": entry.prev_hash}))
    flags.extend(about_the_device)
    place = ledger.place(entry)
    try:
        if entry.kind == EntryKind.PAYMENT:
            place, found = pay(ledger, entry, place, proxy_limit)
            flags.extend(found)
        elif entry.kind == EntryKind.REVERSAL:
            bad_total = reversal_out_of_range(entry.body, max_line_amount())
            if bad_total is None:
                ledger.reverse(entry)
            else:
                flags.append(Flag(constants.FLAG_AMOUNT_OUT_OF_RANGE, bad_total))
                place = dataclasses.replace(place, total=None)
        elif entry.kind == EntryKind.SESSION_CLOSED:
            flags.extend(check_closure(ledger, entry))
        elif entry.kind == EntryKind.PUBLIC_POSTING:
            ledger.post_notice(entry)
        elif entry.kind == EntryKind.SURVEY_ANSWERS:
            ledger.count_answers(entry)
        elif entry.kind == EntryKind.SESSION_OPENED:
            ledger.open_session(entry, place.commune)
            outside = day_outside_communes(ledger.snapshot.device, ledger.session(entry.body.get("session_id")))
            if outside is not None:
                flags.append(outside)
    except (ValueError, TypeError, KeyError, AttributeError) as problem:
        # Signed and chained, so the device can never change it: store it, flagged, rather than block the queue.
        flags.append(Flag(constants.FLAG_BAD_CONTENT, {"problem": f"{type(problem).__name__}: {problem}"[:300]}))
    ledger.store(entry, place, branch, flags)
    status = constants.FLAGGED if flags else constants.APPLIED
    return EntryResult(entry.seq, entry.entry_id, status, sorted({flag.kind for flag in flags}))


def pay(ledger: BatchLedger, entry: WireEntry, place: Placement, proxy_limit: int) -> tuple[Placement, list[Flag]]:
    """A payment: judged by the domain's rules against the person and lines on file, and by the communes its device
    served; then recorded as paid — unless its amounts cannot be real (then stored, flagged, not applied: its
    placement comes back without a total, so its cash counts nowhere)."""
    session = ledger.session(entry.body["session_id"])
    made = payment_made(entry, session.day if session else None, session.commune if session else None)
    on_file = ledger.snapshot.people.get(made.record_code)
    person = on_file.person if on_file else None
    findings = judge_payment(
        made,
        person,
        on_file.history if on_file else None,
        listed=ledger.snapshot.lines,
        earlier={paid.key: ledger.payers(paid.key) for paid in made.lines},
    )
    about_commune = next((f for f in findings if f.kind is FindingKind.OTHER_COMMUNE), None)
    flags = [Flag.of(finding) for finding in findings if finding is not about_commune]
    if on_file is not None and on_file.death_elsewhere is not None:  # the death another agency's record recorded
        flags = [dataclasses.replace(flag, detail={**flag.detail, "death_elsewhere": dict(on_file.death_elsewhere)})
                 if flag.kind == FindingKind.PAID_AFTER_DEATH.value else flag for flag in flags]
    outside = outside_communes(ledger.snapshot.device, session, person, about_commune)
    if outside is not None:
        flags.insert(0, outside)
    bad_amounts = out_of_range(entry.body, max_line_amount())
    if bad_amounts is not None:
        flags.append(Flag(constants.FLAG_AMOUNT_OUT_OF_RANGE, bad_amounts))
        return dataclasses.replace(place, total=None), flags
    if made.recipient is RecipientKind.PROXY:
        people = ledger.proxy_people(place.recipient_id, entry.month, made.record_code)
        if people > proxy_limit:
            flags.append(Flag(constants.FLAG_PROXY_OVERUSE,
                              {"proxy_id": place.recipient_id, "people": people, "limit": proxy_limit}))
    ledger.pay(entry, place)
    return place, flags


def check_closure(ledger: BatchLedger, entry: WireEntry) -> list[Flag]:
    """A day's closure must count the payments that stand in its session, and their total."""
    body = entry.body
    count, total = ledger.session_totals(body.get("session_id"))
    if (count, total) == (body.get("payments"), body.get("paid_total")):
        return []
    return [Flag(constants.FLAG_CLOSURE_MISMATCH, {"device_payments": body.get("payments"),
                                                   "device_total": body.get("paid_total"),
                                                   "server_payments": count, "server_total": total})]


def lock_what_the_checks_read(conn: Connection, entries: list[WireEntry]) -> None:
    """Make concurrent batches of different devices see each other's payments before checking content.

    The double-payment and proxy checks read other devices' payments. On PostgreSQL each batch takes a
    transaction-scoped advisory lock per line key and per proxy ID it pays, and a shared one per person it pays (so
    a death or a representative recorded at the same moment is seen by one side or the other, ``server.locks``), in
    one sorted order (so two batches never wait on each other in a cycle): batches touching the same line or proxy
    run one after the other, the rest in parallel. SQLite has a single writer (``BEGIN IMMEDIATE``), which serialises
    batches anyway.
    """
    if conn.dialect.name != "postgresql":
        return
    keys: set[str] = set()
    people: set[str] = set()
    for entry in entries:
        if entry.kind == EntryKind.PAYMENT:
            keys.update(f"line:{line['key']}" for line in entry.body["lines"])
            people.add(locks.person_key(str(entry.body["record_code"])))
            proxy = entry.proxy_id()
            if proxy:
                keys.add(f"proxy:{proxy}")
    locks.take(conn, exclusive=keys, shared=people)


def flags_of(results: Iterable[EntryResult]) -> int:
    return sum(1 for result in results if result.flags)
