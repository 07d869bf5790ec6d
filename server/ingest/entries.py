"""The entries of an upload: checked for shape, canonical form and hash, then read as the facts the rules judge.

A failure of shape is corruption (the batch is refused with 422 and nothing is stored). Everything after that is
read leniently, field by field, as the device wrote it: an entry is signed and chained, so a value the server cannot
use becomes a ``bad_content`` flag on a stored entry, never a refused batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, TypeGuard

from app.domain import journal as canon
from app.domain.clock import VIETNAM
from app.domain.findings import LinePaid, PaymentMade
from app.domain.model import EntryKind, RecipientKind
from app.wire import codec, constants
from app.wire.errors import ProtocolError

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
class WireEntry:
    """One wire entry, checked for shape and hash."""

    seq: int
    entry_id: str
    kind: str
    prev_hash: str
    entry_hash: str
    payload_bytes: bytes
    payload: dict[str, Any]
    signature: bytes | None
    attachment: bytes | None = None  # a public-notice posting's photo (its digest is in the payload)
    body: Any = field(init=False)  # the payload's body as sent (an entry without one reads as empty)

    def __post_init__(self) -> None:
        self.body = self.payload.get("body") or {}

    @property
    def month(self) -> Any:
        """The month it was recorded (``YYYY-MM`` of its UTC time), the proxy limit's month."""
        return self.payload.get("recorded_at", "")[:7]

    def proxy_id(self) -> str | None:
        """The ID number of the proxy who collected a payment (None when the person or a representative did)."""
        recipient = self.body.get("recipient") or {}
        if recipient.get("kind") != "proxy":
            return None
        return str(recipient.get("id_number") or "")[:32] or None


def _is_hash(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and len(value) == 64 and set(value) <= HEX


def parse_entries(device_id: str, raw_entries: Any) -> list[WireEntry]:
    """Check each entry's shape, canonical form and hash (a mismatch is corruption, refused with 422)."""
    if not isinstance(raw_entries, list) or not raw_entries:
        raise BatchRefused(422, "bad_batch", "entries must be a non-empty list")
    if len(raw_entries) > constants.MAX_BATCH_ENTRIES:
        raise BatchRefused(413, "batch_too_large", f"at most {constants.MAX_BATCH_ENTRIES} entries per batch")
    parsed: list[WireEntry] = []
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
        try:
            attachment = codec.decode_attachment(raw.get("attachment"))
        except ProtocolError:
            raise BatchRefused(422, "bad_entry", f"entry {seq}: attachment is not base64", seq=seq) from None
        entry = WireEntry(seq, entry_id, kind, prev_hash, entry_hash, payload_bytes, payload, signature, attachment)
        if kind == EntryKind.PAYMENT.value:
            _check_payment_shape(entry)
        elif attachment is not None:
            _check_attachment(entry, attachment)
        parsed.append(entry)
    parsed.sort(key=lambda e: e.seq)
    for before, after in pairwise(parsed):
        if after.seq != before.seq + 1:
            raise BatchRefused(422, "bad_batch", "a batch must hold consecutive sequence numbers")
    return parsed


def _check_payment_shape(entry: WireEntry) -> None:
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
    if digest is not None and (entry.signature is None or hashlib.sha256(entry.signature).hexdigest() != digest):
        raise BatchRefused(422, "bad_entry", f"entry {entry.seq}: signature missing or unlike its digest",
                           seq=entry.seq)


def _check_attachment(entry: WireEntry, attachment: bytes) -> None:
    """A photo travels only beside a posting, and must be the one its payload names (else the batch is corrupt)."""
    digest = entry.body.get("photo_digest") if entry.kind == EntryKind.PUBLIC_POSTING.value else None
    if digest != hashlib.sha256(attachment).hexdigest():
        raise BatchRefused(422, "bad_entry", f"entry {entry.seq}: attachment unlike its digest", seq=entry.seq)


# --- what a payment says happened ------------------------------------------------------------------------------------


def paid_on(entry: WireEntry, session_day: str | None) -> dt.date:
    """The day the cash left: a paper payment's own date, else the session's (local) day, else the province's day of
    the moment it was recorded (a payment at 06:30 on 01/12 in Vietnam is 23:30 on 30/11 in UTC)."""
    back = entry.body.get("back_entry")
    if back and back.get("paid_on"):
        return dt.date.fromisoformat(back["paid_on"])
    if session_day:
        return dt.date.fromisoformat(session_day)
    return VIETNAM.day_of(canon.parse_timestamp(entry.payload["recorded_at"]))


def recipient_kind(value: object) -> RecipientKind | None:
    """The recipient kind a payment names; None for one this version does not know (compared, never hashed)."""
    return next((kind for kind in RecipientKind if kind.value == value), None)


def payment_made(entry: WireEntry, session_day: str | None, session_commune: str | None) -> PaymentMade:
    """The facts of a payment entry the rules judge (raises ValueError/TypeError/… on a value it cannot read)."""
    body = entry.body
    day = paid_on(entry, session_day)
    recipient = body.get("recipient") or {}
    kind = recipient_kind(recipient.get("kind"))
    number: str | None = None
    valid_until: dt.date | None = None
    if kind is RecipientKind.PROXY:
        until = recipient.get("authorisation_valid_until")
        valid_until = dt.date.fromisoformat(until) if until else None
        raw_number = recipient.get("authorisation_number")
        number = raw_number if raw_number is None or isinstance(raw_number, str) else str(raw_number)
    return PaymentMade(
        record_code=body["record_code"],
        paid_on=day,
        lines=tuple(LinePaid(line["key"], str(line.get("period")), line["amount"]) for line in body["lines"]),
        recipient=kind,
        authorisation_number=number,
        authorisation_valid_until=valid_until,
        session_commune=session_commune,
        recipient_name=str(recipient.get("name") or "")[:200],
        recipient_id_number=str(recipient.get("id_number") or "")[:32],
    )
