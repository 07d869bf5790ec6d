"""What one batch writes, gathered entry by entry and written at the end in a few multi-row statements.

The ledger starts from the snapshot (what the database held) and keeps what each entry of the batch changes that a
later entry of the same batch must see: a payment makes its lines paid and settled, a reversal releases them, a session
opened gives later payments their day and month, a proxy's people grow. Its rows (entries, paid lines, signatures,
reversals, settled lines, flags, the device's head) are written by ``write`` in that order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from app.domain import journal as canon
from app.domain.findings import EarlierPayment, Finding
from app.domain.model import EntryKind
from app.domain.posting import PostingError, image_type, posting_from_body
from app.domain.survey import tally_from_body
from app.wire import constants
from server import feed, schema
from server.ingest.entries import WireEntry
from server.ingest.snapshot import BatchSnapshot, PaymentOnFile, SessionOnFile, StoredEntry, opened_session


@dataclass(frozen=True, slots=True)
class Flag:
    """Something wrong with an entry's content, stored with it for a person to review (kinds: ``constants.FLAG_*``)."""

    kind: str
    detail: Mapping[str, Any]
    other_entry_id: str | None = None
    line_key: str | None = None
    also: frozenset[str] = frozenset()
    """Communes whose officers and devices see the flag besides the entry's own (``schema.flag_communes``)."""

    @classmethod
    def of(cls, finding: Finding) -> Flag:
        return cls(finding.kind.value, finding.detail, finding.other_entry_id, finding.line_key)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an entry belongs, for its row, its flags and the commune check."""

    commune: str | None
    record_code: str | None
    total: Any
    recipient_id: str | None


def _text(value: Any, size: int) -> str | None:
    """A value for a bounded text column (PostgreSQL refuses longer text; SQLite would store it)."""
    return None if value is None else str(value)[:size]


class BatchLedger:
    """The batch's writes, and the state its later entries see (see the module docstring)."""

    def __init__(self, snapshot: BatchSnapshot, received: str) -> None:
        self.snapshot = snapshot
        self.device_id = snapshot.device.device_id
        self.received = received
        self.head_seq, self.head_hash = snapshot.device.last_seq, snapshot.device.head_hash
        # the rows to write
        self.entry_rows: list[dict[str, Any]] = []
        self.paid_line_rows: list[dict[str, Any]] = []
        self.signature_rows: list[dict[str, Any]] = []
        self.reversal_rows: list[dict[str, Any]] = []
        self.settled_rows: list[dict[str, Any]] = []
        self.unsettled: list[str] = []  # payments whose settled lines a reversal released
        self.flag_rows: list[dict[str, Any]] = []
        self.posting_rows: list[dict[str, Any]] = []  # issue 13: public-notice postings
        self.survey_rows: list[dict[str, Any]] = []  # issue 13: survey counts
        # the state later entries of the batch see: the snapshot's, as the batch has changed it so far
        self._hashes: dict[str, str] = {}
        self._hashes_at: dict[int, set[str]] = {}
        self._payers = {key: list(payers) for key, payers in snapshot.payers.items()}
        self._settled = set(snapshot.settled)
        self._sessions: dict[Any, SessionOnFile] = dict(snapshot.sessions)
        self._payments: dict[Any, PaymentOnFile] = dict(snapshot.payments)
        self._reversed: set[str] = set()
        self._session_totals = {session: list(totals) for session, totals in snapshot.session_totals.items()}
        self._proxy_people = {key: set(people) for key, people in snapshot.proxy_people.items()}

    # --- what the checks read --------------------------------------------------------------------------------------

    def stored_hash(self, entry_id: str) -> str | None:
        """The hash of the entry already stored (or sent earlier in this batch) under this id."""
        return self._hashes.get(entry_id) or self.snapshot.stored.get(entry_id)

    def stored_at(self, seq: int) -> list[StoredEntry]:
        """This device's entries already stored at ``seq`` (a batch holds one entry per seq)."""
        return self.snapshot.at_seq.get(seq, [])

    def follows_chain(self, entry: WireEntry) -> bool:
        """Whether the entry's ``prev_hash`` is a stored entry of this device at the seq before (or the genesis)."""
        before = entry.seq - 1
        return (
            any(stored.entry_hash == entry.prev_hash for stored in self.snapshot.at_seq.get(before, []))
            or entry.prev_hash in self._hashes_at.get(before, ())
            or (entry.seq == 1 and entry.prev_hash == canon.GENESIS_HASH)
        )

    def session(self, session_id: Any) -> SessionOnFile | None:
        return self._sessions.get(session_id)

    def payers(self, key: str) -> list[EarlierPayment]:
        """The payments that stand and paid this line (stored, or earlier in the batch)."""
        return self._payers.get(key, [])

    def place(self, entry: WireEntry) -> Placement:
        """The commune, record code, total and proxy of an entry, for its row and the commune check."""
        body = entry.body
        if entry.kind == EntryKind.SESSION_OPENED:
            return Placement(str(body.get("commune_code")), None, body.get("cash_advance"), None)
        if entry.kind == EntryKind.PAYMENT:
            session = self._sessions.get(body["session_id"])
            on_file = self.snapshot.people.get(body["record_code"])
            commune = (session.commune if session else None) or (on_file.person.commune_code if on_file else None)
            return Placement(commune, body["record_code"], body["total"], entry.proxy_id())
        if entry.kind == EntryKind.REVERSAL:
            payment = self._payments.get(body.get("payment_entry_id"))
            return Placement(payment.commune if payment else None, None, body.get("total"), None)
        if entry.kind in (EntryKind.PUBLIC_POSTING, EntryKind.SURVEY_ANSWERS):
            commune = body.get("commune_code")
            return Placement(commune if isinstance(commune, str) else None, None, None, None)
        session = self._sessions.get(body.get("session_id"))
        return Placement(session.commune if session else None, None, body.get("paid_total"), None)

    def payout_period(self, entry: WireEntry) -> str:
        """The payout month of a payment: its session's period (else the month it was recorded)."""
        session = self._sessions.get(entry.body.get("session_id"))
        return (session.period if session else "") or str(entry.payload.get("recorded_at", ""))[:7]

    def session_totals(self, session_id: Any) -> tuple[int, int]:
        """(payments, total) that stand in a session: stored before the batch and paid or reversed in it."""
        totals = self._session_totals.get(session_id)
        return (totals[0], totals[1]) if totals is not None else (0, 0)

    # --- what the batch does ---------------------------------------------------------------------------------------

    def open_session(self, entry: WireEntry, commune: str | None) -> None:
        self._sessions[entry.body.get("session_id")] = opened_session(entry.body, commune,
                                                                      entry.payload.get("recorded_at"))

    def pay(self, entry: WireEntry, place: Placement) -> None:
        """A payment's paid lines and signature; its lines are paid, and settled unless settled already."""
        body = entry.body
        period = self.payout_period(entry)
        for line in body["lines"]:
            key = line["key"]
            self._payers.setdefault(key, []).append(EarlierPayment(entry.entry_id, self.device_id))
            if key not in self._settled:
                self._settled.add(key)
                self.settled_rows.append({"line_key": key, "entry_id": entry.entry_id, "device_id": self.device_id,
                                          "payout_period": period, "amount": line["amount"]})
        self._payments[entry.entry_id] = PaymentOnFile(body["session_id"], body["total"], place.commune)
        totals = self._session_totals.setdefault(body["session_id"], [0, 0])
        totals[0] += 1
        totals[1] += body["total"]
        for line in body["lines"]:
            self.paid_line_rows.append({
                "entry_id": entry.entry_id, "line_key": str(line["key"])[:200], "amount": line["amount"],
                "record_code": place.record_code, "commune_code": place.commune,
                "period": str(line.get("period", ""))[:7], "device_id": self.device_id,
            })
        if entry.signature is not None:
            self.signature_rows.append({"entry_id": entry.entry_id, "strokes": entry.signature,
                                        "digest": body["evidence"]["signature_digest"]})

    def proxy_people(self, proxy: str | None, month: Any, record_code: str) -> int:
        """Count ``record_code`` among the people ``proxy`` collected for in ``month``; returns how many now."""
        people = self._proxy_people.setdefault((proxy, month), set())
        people.add(record_code)
        return len(people)

    def reverse(self, entry: WireEntry) -> None:
        """A reversal releases its payment's lines (payable and settleable again) and takes it out of its session."""
        body = entry.body
        target = str(body.get("payment_entry_id"))
        line_keys = list(body.get("line_keys", []))
        released = frozenset(line_keys)
        total = int(body.get("total", 0))
        self.unsettled.append(target)
        self.settled_rows = [row for row in self.settled_rows if row["entry_id"] != target]
        self._settled -= released
        for key in line_keys:
            self._payers[key] = [payer for payer in self._payers.get(key, []) if payer.entry_id != target]
        payment = self._payments.get(target)
        if payment is not None and target not in self._reversed:
            totals = self._session_totals.get(payment.session_id)
            if totals is not None:
                totals[0] -= 1
                totals[1] -= int(payment.total or 0)
        self._reversed.add(target)
        self.reversal_rows.append({"reversal_entry_id": entry.entry_id, "payment_entry_id": target, "total": total})

    def store(self, entry: WireEntry, place: Placement, branch: int, flags: Iterable[Flag]) -> None:
        """The entry's row and its flags; the device's head moves to it."""
        body = entry.body
        if entry.kind == EntryKind.PAYMENT:
            payout_period: str | None = self.payout_period(entry)
        else:
            session = self._sessions.get(body.get("session_id"))
            payout_period = session.period if session else None
        total = place.total
        self.entry_rows.append({
            "entry_id": entry.entry_id, "device_id": self.device_id, "seq": entry.seq, "kind": entry.kind,
            "prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash, "payload": entry.payload_bytes,
            "recorded_at": str(entry.payload.get("recorded_at", ""))[:32], "received_at": self.received,
            "staff": str(entry.payload.get("staff", ""))[:64], "session_id": _text(body.get("session_id"), 36),
            "commune_code": _text(place.commune, 32), "record_code": _text(place.record_code, 64),
            "total": total if type(total) is int and abs(total) < 2**62 else None, "recipient_id": place.recipient_id,
            "branch": branch, "payout_period": _text(payout_period, 7),
        })
        self._hashes[entry.entry_id] = entry.entry_hash
        self._hashes_at.setdefault(entry.seq, set()).add(entry.entry_hash)
        for flag in flags:
            self.flag_rows.append({
                "kind": flag.kind, "entry_id": entry.entry_id, "other_entry_id": flag.other_entry_id,
                "device_id": self.device_id, "commune_code": place.commune, "line_key": flag.line_key,
                "record_code": place.record_code,
                "detail": json.dumps(flag.detail, ensure_ascii=False, sort_keys=True), "created_at": self.received,
                "also_communes": sorted(flag.also - {place.commune}),
            })
        self.head_seq, self.head_hash = entry.seq, entry.entry_hash

    # --- the end of the batch --------------------------------------------------------------------------------------

    def post_notice(self, entry: WireEntry) -> None:
        """A public-notice posting: kept with its photo (``ValueError`` when the body or the photo is not one)."""
        try:
            posting = posting_from_body(entry.body, str(entry.payload.get("staff", "")))
        except PostingError as error:
            raise ValueError(f"not a posting: {error.code}") from None
        photo = entry.attachment
        if photo is not None and (len(photo) > constants.MAX_ATTACHMENT_BYTES or image_type(photo) is None):
            raise ValueError("the posting's photo is not a JPEG or PNG of at most "
                             f"{constants.MAX_ATTACHMENT_BYTES} bytes")
        self.posting_rows.append({
            "entry_id": entry.entry_id, "device_id": self.device_id, "commune_code": posting.commune_code,
            "point_id": posting.point_id, "period": posting.period, "posted_on": posting.posted_on.isoformat(),
            "place": posting.place, "officer_name": posting.officer_name, "recorded_by": posting.recorded_by,
            "recorded_at": str(entry.payload.get("recorded_at", ""))[:32], "received_at": self.received,
            "photo": photo, "photo_type": image_type(photo) if photo is not None else None,
        })

    def count_answers(self, entry: WireEntry) -> None:
        """A day's survey counts of one point and teller (``ValueError`` when the body is not one)."""
        tally = tally_from_body(entry.body)
        for question, answers in tally.counts.items():
            for answer, count in answers.items():
                self.survey_rows.append({
                    "entry_id": entry.entry_id, "device_id": self.device_id, "commune_code": tally.commune_code[:32],
                    "point_id": tally.point_id, "day": tally.day.isoformat(), "period": tally.day.isoformat()[:7],
                    "teller": tally.teller[:64], "question": question, "answer": answer, "count": count,
                })

    def write(self, conn: Connection, *, skew_seconds: int | None, pending: int | None) -> None:
        """Write everything the batch gathered, in multi-row statements, and move the device's head."""
        if self.entry_rows:
            conn.execute(schema.entries.insert(), self.entry_rows)
        if self.paid_line_rows:
            conn.execute(schema.paid_lines.insert(), self.paid_line_rows)
        if self.signature_rows:
            conn.execute(schema.signatures.insert(), self.signature_rows)
        if self.reversal_rows:
            conn.execute(schema.reversals.insert(), self.reversal_rows)
        if self.unsettled:
            conn.execute(schema.settled.delete().where(schema.settled.c.entry_id.in_(self.unsettled)))
        if self.settled_rows:
            conn.execute(schema.settled.insert(), self.settled_rows)
        if self.flag_rows:
            feed.add_flags(conn, self.flag_rows)
        if self.posting_rows:
            conn.execute(schema.public_postings.insert(), self.posting_rows)
        if self.survey_rows:
            conn.execute(schema.survey_answers.insert(), self.survey_rows)
        conn.execute(
            schema.devices.update().where(schema.devices.c.device_id == self.device_id).values(
                last_seq=self.head_seq, head_hash=self.head_hash, last_seen_at=self.received,
                clock_skew_seconds=skew_seconds, pending_reported=pending,
            )
        )
