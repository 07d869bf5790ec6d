"""What the checks of one batch need from the database, read once before its first entry.

Each read is one statement over the keys the batch names (its entry ids and seqs, the people and lines it pays, its
sessions, the payments it reverses, the proxies who collected), so a batch of 500 entries costs a handful of queries
whatever the size of the province. People are decoded into domain values with the wire codec (with their dated
suspension history), lines read as far as the rules need them (kind, amount, withdrawn): ``app.domain`` judges them as
the desk does. Nothing here changes after ``load``; what the batch itself adds is the ledger's (``ledger.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, func, select

from app.domain.findings import EarlierPayment, ListedLine
from app.domain.model import Beneficiary, EntryKind, LineKind, Suspension
from app.wire import codec
from server import schema
from server.ingest.entries import BatchRefused, WireEntry


@dataclass(frozen=True, slots=True)
class DeviceOnFile:
    """The uploading device's row, read with a row lock held until the batch's transaction ends."""

    device_id: str
    communes: frozenset[str]
    revoked: bool
    revoked_at: str | None
    last_seq: int
    head_hash: str
    assignments: tuple[tuple[str, frozenset[str]], ...] = ()
    """(from when, communes) of each assignment, oldest first (``schema.device_assignments``)."""

    def communes_at(self, moment: str | None) -> frozenset[str]:
        """The communes the device served at ``moment`` (a journal time, the device's clock); before its first
        assignment, the first; without a moment, today's."""
        if moment is None or not self.assignments:
            return self.communes
        served = self.assignments[0][1]
        for since, communes in self.assignments:
            if since <= moment:
                served = communes
        return served


@dataclass(frozen=True, slots=True)
class StoredEntry:
    entry_id: str
    entry_hash: str
    branch: int


@dataclass(frozen=True, slots=True)
class SessionOnFile:
    """A payout day as its opening entry recorded it: the commune, the payout month, the (local) day and when it
    was opened (the device's clock)."""

    commune: str | None
    period: str
    day: str
    opened_at: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentOnFile:
    """A stored payment, as far as a reversal of it needs: its session, total and commune."""

    session_id: Any
    total: Any
    commune: str | None


@dataclass(frozen=True, slots=True)
class PersonOnFile:
    """A person as the province lists them now, with the dated suspension history (None: kept before histories)."""

    person: Beneficiary
    history: tuple[Suspension, ...] | None
    death_elsewhere: Mapping[str, Any] | None = None
    """The death another agency's record of the same person recorded (``record_code``, ``agency``, ``date``), which
    this record's payments are judged against (``server.persons``); None when none did."""


def lock_device(conn: Connection, device_id: str) -> DeviceOnFile:
    """Read the device's row ``FOR UPDATE``: one batch of a device at a time, the same batch sent twice applied once."""
    device = conn.execute(
        select(schema.devices).where(schema.devices.c.device_id == device_id).with_for_update()
    ).mappings().first()
    if device is None:
        raise BatchRefused(401, "unknown_device", "this device is not enrolled")
    a = schema.device_assignments.c
    assignments = tuple(
        (since, frozenset(json.loads(communes))) for since, communes in conn.execute(
            select(a.from_at, a.communes).where(a.device_id == device_id).order_by(a.from_at, a.id))
    )
    return DeviceOnFile(
        device_id=device["device_id"], communes=frozenset(json.loads(device["communes"])),
        revoked=device["status"] == "revoked", revoked_at=device["revoked_at"], last_seq=int(device["last_seq"]),
        head_hash=device["head_hash"], assignments=assignments,
    )


def _unreversed() -> Any:
    return select(schema.reversals.c.payment_entry_id)


@dataclass
class BatchSnapshot:
    """The database as the batch's checks need it, before the batch (see the module docstring)."""

    device: DeviceOnFile
    stored: dict[str, str] = field(default_factory=dict)  # entry id → hash, of the batch's entry ids
    at_seq: dict[int, list[StoredEntry]] = field(default_factory=dict)  # this device's entries at the batch's seqs
    people: dict[str, PersonOnFile] = field(default_factory=dict)
    lines: dict[str, ListedLine] = field(default_factory=dict)
    payers: dict[str, list[EarlierPayment]] = field(default_factory=dict)  # line key → payments that stand
    settled: set[str] = field(default_factory=set)  # line keys settled by a payment that stands
    sessions: dict[str, SessionOnFile] = field(default_factory=dict)
    payments: dict[str, PaymentOnFile] = field(default_factory=dict)  # the payments the batch reverses
    session_totals: dict[str, tuple[int, int]] = field(default_factory=dict)  # (payments, total) of closed sessions
    proxy_people: dict[tuple[Any, Any], set[str]] = field(default_factory=dict)  # (proxy ID, month) → record codes

    @classmethod
    def load(cls, conn: Connection, device: DeviceOnFile, entries: list[WireEntry]) -> BatchSnapshot:
        snapshot = cls(device)
        snapshot._load_entries(conn, entries)
        payments = [entry for entry in entries if entry.kind == EntryKind.PAYMENT.value]
        snapshot._load_people(conn, {entry.body["record_code"] for entry in payments})
        snapshot._load_lines(conn, {line["key"] for entry in payments for line in entry.body["lines"]})
        snapshot._load_sessions(conn, {entry.body.get("session_id") for entry in entries} - {None})
        snapshot._load_reversed_payments(conn, {
            entry.body.get("payment_entry_id") for entry in entries if entry.kind == EntryKind.REVERSAL.value
        } - {None})
        snapshot._load_session_totals(conn, {
            entry.body.get("session_id") for entry in entries if entry.kind == EntryKind.SESSION_CLOSED.value
        } - {None})
        snapshot._load_proxies(conn, payments)
        return snapshot

    def _load_entries(self, conn: Connection, entries: list[WireEntry]) -> None:
        """Entries already stored under the batch's ids, and this device's entries at its seqs (and the one before)."""
        e = schema.entries.c
        ids = [entry.entry_id for entry in entries]
        for entry_id, entry_hash in conn.execute(select(e.entry_id, e.entry_hash).where(e.entry_id.in_(ids))):
            self.stored[entry_id] = entry_hash
        seqs = {entry.seq for entry in entries} | {entries[0].seq - 1}
        for entry_id, seq, entry_hash, branch in conn.execute(
            select(e.entry_id, e.seq, e.entry_hash, e.branch).where(
                and_(e.device_id == self.device.device_id, e.seq.in_(seqs))
            )
        ):
            self.at_seq.setdefault(seq, []).append(StoredEntry(entry_id, entry_hash, branch))

    def _load_people(self, conn: Connection, records: set[str]) -> None:
        if not records:
            return
        from server import persons

        p = schema.people.c
        histories: dict[str, tuple[Suspension, ...] | None] = {}
        found: dict[str, Beneficiary] = {}
        for record_code, data in conn.execute(select(p.record_code, p.data).where(p.record_code.in_(records))):
            stored = json.loads(data)
            found[record_code], histories[record_code] = codec.person_from_wire(stored), codec.history_from_wire(stored)
        # A death another agency's record of the same person recorded applies to these records too.
        for record_code, (person, death) in persons.people_with_person_death(conn, found).items():
            elsewhere = None if death is None else {
                "record_code": death.record_code, "agency": death.agency,
                "date": death.date_of_death.isoformat() if death.date_of_death else None}
            self.people[record_code] = PersonOnFile(person, histories[record_code], elsewhere)

    def _load_lines(self, conn: Connection, keys: set[str]) -> None:
        """The listed lines the batch pays, whether each is settled, and the payments that stand for each."""
        if not keys:
            return
        ln, pl, st = schema.lines.c, schema.paid_lines.c, schema.settled.c
        for key, kind, amount, withdrawn in conn.execute(
            select(ln.line_key, ln.kind, ln.amount, ln.withdrawn).where(ln.line_key.in_(keys))
        ):
            self.lines[key] = ListedLine(key, LineKind(kind), int(amount), bool(withdrawn))
        self.settled = set(conn.execute(select(st.line_key).where(st.line_key.in_(keys))).scalars())
        for key, entry_id, device_id in conn.execute(
            select(pl.line_key, pl.entry_id, pl.device_id).where(
                and_(pl.line_key.in_(keys), pl.entry_id.not_in(_unreversed()))
            )
        ):
            self.payers.setdefault(key, []).append(EarlierPayment(entry_id, device_id))

    def _load_sessions(self, conn: Connection, session_ids: set[Any]) -> None:
        """The sessions the batch's entries belong to, from their opening entries."""
        if not session_ids:
            return
        e = schema.entries.c
        for session_id, commune, payload in conn.execute(
            select(e.session_id, e.commune_code, e.payload).where(
                and_(e.session_id.in_(session_ids), e.kind == EntryKind.SESSION_OPENED.value)
            )
        ):
            stored = json.loads(bytes(payload))
            self.sessions[session_id] = opened_session(stored["body"], commune, stored.get("recorded_at"))

    def _load_reversed_payments(self, conn: Connection, targets: set[Any]) -> None:
        if not targets:
            return
        e = schema.entries.c
        for entry_id, session_id, total, commune in conn.execute(
            select(e.entry_id, e.session_id, e.total, e.commune_code).where(e.entry_id.in_(targets))
        ):
            self.payments[entry_id] = PaymentOnFile(session_id, total, commune)

    def _load_session_totals(self, conn: Connection, closed: set[Any]) -> None:
        """The payments that stand in each session the batch closes: a closure is checked against them."""
        if not closed:
            return
        e = schema.entries.c
        for session_id, count, total in conn.execute(
            select(e.session_id, func.count(), func.coalesce(func.sum(e.total), 0)).where(
                and_(e.session_id.in_(closed), e.kind == EntryKind.PAYMENT.value,
                     e.device_id == self.device.device_id, e.entry_id.not_in(_unreversed()))
            ).group_by(e.session_id)
        ):
            self.session_totals[session_id] = (int(count), int(total))

    def _load_proxies(self, conn: Connection, payments: list[WireEntry]) -> None:
        """Whom each proxy of the batch already collected for, in the months of the batch."""
        proxies = {entry.proxy_id() for entry in payments} - {None}
        if not proxies:
            return
        e = schema.entries.c
        months = {entry.month for entry in payments}
        for proxy, record_code, recorded_at in conn.execute(
            select(e.recipient_id, e.record_code, e.recorded_at).where(
                and_(e.recipient_id.in_(proxies), e.kind == EntryKind.PAYMENT.value)
            )
        ):
            if recorded_at[:7] in months:
                self.proxy_people.setdefault((proxy, recorded_at[:7]), set()).add(record_code)


def opened_session(body: Mapping[str, Any], commune: str | None, opened_at: Any = None) -> SessionOnFile:
    """A session as its opening entry names it (``opened_at``: the entry's ``recorded_at``)."""
    return SessionOnFile(commune, str(body.get("period", ""))[:7], str(body.get("day", ""))[:10],
                         opened_at if isinstance(opened_at, str) else None)
