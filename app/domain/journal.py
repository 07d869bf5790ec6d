"""The journal's canonical encoding and chain hash — one piece of code shared by the device and the server.

Every fact that money depends on (a session opened with its cash advance, a payment, a reversal, a session closed
with its count) is one entry. An entry's *payload* holds every field, including the signature's digest and the format
version; it is encoded canonically (UTF-8 JSON, NFC strings, sorted keys, no spaces, integers only) and chained:

    hash(entry) = sha256( prev_hash_hex_ascii + "\\n" + canonical_json(payload) )

with ``GENESIS_HASH`` before the first entry of a device. Changing any byte of any stored entry changes its hash and
every hash after it, and ``verify_chain`` names the first entry that does not verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.model import (
    BackEntry,
    CashCount,
    EntryKind,
    EvidenceKind,
    IdentityCheck,
    PaidLine,
    Payment,
    Recipient,
    RecipientKind,
    Reopening,
    Reversal,
)

FORMAT_VERSION = 1
GENESIS_HASH = "0" * 64


class CanonicalEncodingError(ValueError):
    """A payload holds something that has no canonical form (a float, bytes, a non-string key...)."""


def _canonical(value: Any) -> Any:
    kind = type(value)
    if kind is str:  # the common cases first, by exact type (isinstance against Mapping is slow)
        return unicodedata.normalize("NFC", value)
    if kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise CanonicalEncodingError(f"non-string key {key!r}")
            out[unicodedata.normalize("NFC", key)] = _canonical(item)
        return out
    if kind is list:
        return [_canonical(item) for item in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalEncodingError(f"non-string key {key!r}")
            out[unicodedata.normalize("NFC", key)] = _canonical(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    raise CanonicalEncodingError(f"no canonical form for {type(value).__name__}: {value!r}")


def canonical_json(payload: Mapping[str, Any]) -> bytes:
    """The canonical bytes of a payload (what is hashed, stored and sent)."""
    return json.dumps(
        _canonical(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def chain_hash(prev_hash: str, payload_bytes: bytes) -> str:
    """The hash of an entry whose canonical payload is ``payload_bytes``, chained to ``prev_hash``."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(payload_bytes)
    return digest.hexdigest()


def format_timestamp(moment: dt.datetime) -> str:
    """UTC ISO 8601 with microseconds and a Z: the only form a time takes in a payload."""
    if moment.tzinfo is None:
        raise ValueError("journal timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def entry_payload(
    *,
    entry_id: str,
    device_id: str,
    seq: int,
    kind: EntryKind,
    recorded_at: dt.datetime,
    staff: str,
    body: Mapping[str, Any],
) -> dict[str, Any]:
    """The full payload of one journal entry."""
    return {
        "v": FORMAT_VERSION,
        "entry_id": entry_id,
        "device_id": device_id,
        "seq": seq,
        "kind": kind.value,
        "recorded_at": format_timestamp(recorded_at),
        "staff": staff,
        "body": dict(body),
    }


# --- bodies of each kind -------------------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _recipient(recipient: Recipient) -> dict[str, Any]:
    return {
        "kind": recipient.kind.value,
        "name": recipient.name,
        "id_number": recipient.id_number,
        "authorisation_number": recipient.authorisation_number,
        "authorisation_valid_from": _date(recipient.authorisation_valid_from),
        "authorisation_valid_until": _date(recipient.authorisation_valid_until),
    }


def payment_body(
    *,
    session_id: str,
    record_code: str,
    lines: Iterable[PaidLine],
    recipient: Recipient,
    identity_check: IdentityCheck,
    evidence_kind: EvidenceKind,
    signature_digest: str | None,
    evidence_reason: str,
    witness: str,
    back_entry: BackEntry | None,
) -> dict[str, Any]:
    paid = [
        {"key": line.key, "period": line.period, "programme": line.programme, "regime": line.regime,
         "amount": line.amount}
        for line in lines
    ]
    return {
        "session_id": session_id,
        "record_code": record_code,
        "lines": paid,
        "total": sum(line["amount"] for line in paid),
        "recipient": _recipient(recipient),
        "identity_check": identity_check.value,
        "evidence": {
            "kind": evidence_kind.value,
            "signature_digest": signature_digest,
            "reason": evidence_reason,
            "witness": witness,
        },
        "back_entry": (
            {"paid_on": back_entry.paid_on.isoformat(), "sheet_reference": back_entry.sheet_reference}
            if back_entry
            else None
        ),
    }


def reversal_body(*, payment_entry_id: str, reason: str, line_keys: Iterable[str], total: int) -> dict[str, Any]:
    return {"payment_entry_id": payment_entry_id, "reason": reason, "line_keys": list(line_keys), "total": total}


def session_opened_body(
    *, session_id: str, commune_code: str, point_id: str, day: dt.date, period: str, cash_advance: int,
    reopening: Reopening | None = None,
) -> dict[str, Any]:
    """The session-opened body; a reopened point-day adds ``reopens`` (the sessions closed earlier that day),
    ``reopen_supervisor`` and ``reopen_reason`` — additive fields, absent otherwise, so every other session's bytes
    (and hash) stay as they were and a reader that does not know them ignores them."""
    body: dict[str, Any] = {
        "session_id": session_id,
        "commune_code": commune_code,
        "point_id": point_id,
        "day": day.isoformat(),
        "period": period,
        "cash_advance": cash_advance,
    }
    if reopening is not None:
        body["reopens"] = list(reopening.earlier)
        body["reopen_supervisor"] = reopening.supervisor
        body["reopen_reason"] = reopening.reason
    return body


def session_closed_body(
    *,
    session_id: str,
    counted: CashCount,
    cash_advance: int,
    paid_total: int,
    difference: int,
    reason: str,
    witness: str,
    payments: int,
    witness_role: str = "",
) -> dict[str, Any]:
    """The session-closed body; the witness's role ("Cán bộ UBND xã", "Trưởng thôn" …) is an additive field
    ``witness_role``, present only when given, so every closure recorded without one keeps its bytes."""
    body = {
        "session_id": session_id,
        "notes": [[value, count] for value, count in counted.notes],
        "counted_total": counted.total,
        "cash_advance": cash_advance,
        "paid_total": paid_total,
        "expected": cash_advance - paid_total,
        "difference": difference,
        "reason": reason,
        "witness": witness,
        "payments": payments,
    }
    if witness_role:
        body["witness_role"] = witness_role
    return body


# --- reading payloads back into domain values --------------------------------------------------------------------


def payment_from_payload(payload: Mapping[str, Any], entry_hash: str = "") -> Payment:
    """The ``Payment`` a payment entry records."""
    body = payload["body"]
    rec = body["recipient"]
    evidence = body["evidence"]
    back = body.get("back_entry")
    return Payment(
        entry_id=payload["entry_id"],
        seq=payload["seq"],
        device_id=payload["device_id"],
        recorded_at=parse_timestamp(payload["recorded_at"]),
        session_id=body["session_id"],
        record_code=body["record_code"],
        lines=tuple(
            PaidLine(line["key"], line["period"], line["programme"], line["regime"], line["amount"])
            for line in body["lines"]
        ),
        total=body["total"],
        recipient=Recipient(
            kind=RecipientKind(rec["kind"]),
            name=rec["name"],
            id_number=rec["id_number"],
            authorisation_number=rec["authorisation_number"],
            authorisation_valid_until=_parse_date(rec["authorisation_valid_until"]),
            authorisation_valid_from=_parse_date(rec["authorisation_valid_from"]),
        ),
        identity_check=IdentityCheck(body["identity_check"]),
        evidence_kind=EvidenceKind(evidence["kind"]),
        signature_digest=evidence["signature_digest"],
        evidence_reason=evidence["reason"],
        witness=evidence["witness"],
        staff=payload["staff"],
        back_entry=BackEntry(dt.date.fromisoformat(back["paid_on"]), back["sheet_reference"]) if back else None,
        entry_hash=entry_hash,
    )


def reversal_from_payload(payload: Mapping[str, Any]) -> Reversal:
    body = payload["body"]
    return Reversal(
        entry_id=payload["entry_id"],
        seq=payload["seq"],
        payment_entry_id=body["payment_entry_id"],
        reason=body["reason"],
        supervisor=payload["staff"],
        recorded_at=parse_timestamp(payload["recorded_at"]),
        line_keys=tuple(body["line_keys"]),
        total=body["total"],
    )


def reopening_from_payload(payload: Mapping[str, Any]) -> Reopening | None:
    """The reopening a session-opened entry records (None for a first opening of its point-day)."""
    body = payload.get("body") or {}
    earlier = body.get("reopens")
    if not earlier:
        return None
    return Reopening(str(body.get("reopen_supervisor", "")), str(body.get("reopen_reason", "")),
                     tuple(str(session_id) for session_id in earlier))


def _parse_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


# --- verification ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainRecord:
    """One stored entry as the verifier sees it."""

    seq: int
    entry_id: str
    kind: str
    prev_hash: str
    entry_hash: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    count: int
    head_hash: str
    first_bad_seq: int | None = None
    first_bad_entry: str | None = None
    reason: str = ""


def verify_chain(records: Iterable[ChainRecord], start_seq: int = 1, start_hash: str = GENESIS_HASH) -> ChainReport:
    """Recompute the chain from ``start_hash`` and name the first entry that does not verify."""
    prev = start_hash
    expected_seq = start_seq
    count = 0

    def bad(record: ChainRecord, reason: str) -> ChainReport:
        return ChainReport(False, count, prev, record.seq, record.entry_id, reason)

    for record in records:
        if record.seq != expected_seq:
            return bad(record, f"sequence gap: expected {expected_seq}, found {record.seq}")
        if record.prev_hash != prev:
            return bad(record, "previous hash does not match the entry before it")
        try:
            payload = json.loads(record.payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return bad(record, "payload is not valid JSON")
        try:
            canonical = canonical_json(payload)
        except CanonicalEncodingError as error:
            return bad(record, f"payload is not canonical: {error}")
        if not isinstance(payload, dict):
            return bad(record, "payload is not a JSON object")
        if canonical != record.payload:
            return bad(record, "payload is not in canonical form")
        if chain_hash(prev, record.payload) != record.entry_hash:
            return bad(record, "hash does not match the entry's content")
        if (type(payload.get("seq")) is not int or payload["seq"] != record.seq
                or payload.get("entry_id") != record.entry_id):
            return bad(record, "entry id or sequence differs from its payload")
        if payload.get("kind") != record.kind:
            return bad(record, "entry kind differs from its payload")
        if type(payload.get("v")) is not int or payload["v"] != FORMAT_VERSION:
            return bad(record, f"unknown format version {payload.get('v')!r}")
        prev = record.entry_hash
        expected_seq += 1
        count += 1
    return ChainReport(True, count, prev)
