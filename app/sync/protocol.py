"""The wire between a device and the province server — one piece of code shared by both ends.

It holds: the request signature a device puts on every call (Ed25519 over method, path, time and the body's digest),
sealing to a province public key (X25519 + HKDF + AES-GCM: the database key for recovery, offline journal files),
the JSON form of list fragments (the change feed carries the same values the list reader makes), and the shape of a
journal batch and its answer. No HTTP and no database here: the client and the server wrap it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.domain.model import (
    Authorisation,
    Beneficiary,
    BeneficiaryStatus,
    Commune,
    EntitlementLine,
    Gender,
    LineKind,
    PaymentMethod,
    PayoutPoint,
    Province,
    Representative,
    ScheduleSlot,
    Village,
)
from app.lists.parsed import ParsedList

API = "/api/v1"
PROTOCOL_VERSION = 1
MAX_BATCH_ENTRIES = 500
"""Entries per upload request: bounded so a batch is applied in one short transaction."""
MAX_REQUEST_BYTES = 16 * 1024 * 1024
"""The server refuses larger request bodies (a full batch of signed payments is about 4 MB)."""
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)
"""A device whose clock differs more than this may upload (flagged) but not download."""
FEED_PAGE_LIMIT = 200

HEADER_DEVICE = "X-Payout-Device"
HEADER_TIME = "X-Payout-Time"
HEADER_SIGNATURE = "X-Payout-Signature"

# Per-entry answers of an upload.
APPLIED = "applied"
ALREADY_APPLIED = "already_applied"
FLAGGED = "flagged"

# What the server flags (stored anyway; a person reviews it).
FLAG_DOUBLE_PAYMENT = "double_payment"
FLAG_AFTER_DEATH = "paid_after_death"
FLAG_WHILE_SUSPENDED = "paid_while_suspended"
FLAG_AMOUNT_MISMATCH = "amount_mismatch"
FLAG_UNKNOWN_LINE = "unknown_line"
FLAG_AUTHORISATION_EXPIRED = "authorisation_expired"
FLAG_PROXY_OVERUSE = "proxy_overuse"
FLAG_FORK = "fork"
FLAG_CHAIN_BREAK = "chain_break"
FLAG_REVOKED_DEVICE = "revoked_device"
FLAG_CLOCK_SKEW = "clock_skew"
FLAG_CLOSURE_MISMATCH = "closure_mismatch"
FLAG_OTHER_COMMUNE = "other_commune"
FLAG_BAD_CONTENT = "bad_content"
FLAG_KINDS = (
    FLAG_DOUBLE_PAYMENT, FLAG_AFTER_DEATH, FLAG_WHILE_SUSPENDED, FLAG_AMOUNT_MISMATCH, FLAG_UNKNOWN_LINE,
    FLAG_AUTHORISATION_EXPIRED, FLAG_PROXY_OVERUSE, FLAG_FORK, FLAG_CHAIN_BREAK, FLAG_REVOKED_DEVICE,
    FLAG_CLOCK_SKEW, FLAG_CLOSURE_MISMATCH, FLAG_OTHER_COMMUNE, FLAG_BAD_CONTENT,
)

# Kinds of change-feed items.
CHANGE_LIST = "list"  # a list fragment: places, people, authorisations, lines (a whole commune or one person)
CHANGE_STAFF = "staff"  # the staff of the device's communes with their password verifiers
CHANGE_FLAG = "flag"  # a flag about entries of this commune
CHANGE_COMMUNES = "communes"  # the device's communes were reassigned
CHANGE_KINDS = (CHANGE_LIST, CHANGE_STAFF, CHANGE_FLAG, CHANGE_COMMUNES)


class ProtocolError(ValueError):
    """Something on the wire does not have the agreed shape (answered 400/422, or treated as a bad server answer)."""


# --- times -----------------------------------------------------------------------------------------------------------


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"bad time {text!r}") from error


# --- device keys and request signatures ------------------------------------------------------------------------------


def new_device_key() -> bytes:
    """A fresh Ed25519 private key (32 raw bytes), made on the device and never sent anywhere."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def device_public_key(private_key: bytes) -> str:
    """The hex public key the server stores at enrolment."""
    public = Ed25519PrivateKey.from_private_bytes(private_key).public_key()
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def signing_message(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    """What a device signs: the method, the path with its query, the time and the body's digest."""
    return "\n".join([method.upper(), path, timestamp, hashlib.sha256(body).hexdigest()]).encode("utf-8")


def sign(private_key: bytes, message: bytes) -> str:
    return Ed25519PrivateKey.from_private_bytes(private_key).sign(message).hex()


def verify_signature(public_key_hex: str, message: bytes, signature_hex: str) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        public.verify(bytes.fromhex(signature_hex), message)
    except (ValueError, InvalidSignature):
        return False
    return True


def signed_headers(device_id: str, private_key: bytes, method: str, path: str, body: bytes, now: dt.datetime) -> dict[str, str]:
    timestamp = format_time(now)
    return {
        HEADER_DEVICE: device_id,
        HEADER_TIME: timestamp,
        HEADER_SIGNATURE: sign(private_key, signing_message(method, path, timestamp, body)),
    }


def valid_public_key(text: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
    except ValueError:
        return False
    return True


# --- sealing to a province key ----------------------------------------------------------------------------------------


def new_recovery_key() -> bytes:
    """The province's X25519 private key (32 raw bytes) for recovering device keys and reading offline files."""
    return X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def recovery_public_key(private_key: bytes) -> str:
    public = X25519PrivateKey.from_private_bytes(private_key).public_key()
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _derive(shared: bytes, ephemeral_public: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public, info=info).derive(shared)


def seal(public_key_hex: str, data: bytes, purpose: str) -> str:
    """Encrypt ``data`` so only the holder of the province's private key can read it (ECIES, text form)."""
    try:
        recipient = X25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
    except ValueError as error:
        raise ProtocolError("bad recovery public key") from error
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = _derive(ephemeral.exchange(recipient), ephemeral_public, purpose.encode("utf-8"))
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, data, purpose.encode("utf-8"))
    return base64.b64encode(ephemeral_public + nonce + sealed).decode("ascii")


def unseal(private_key: bytes, sealed: str, purpose: str) -> bytes:
    """The data ``seal`` protected; raises ProtocolError when the key or the data is wrong."""
    try:
        raw = base64.b64decode(sealed, validate=True)
        ephemeral_public, nonce, body = raw[:32], raw[32:44], raw[44:]
        shared = X25519PrivateKey.from_private_bytes(private_key).exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _derive(shared, ephemeral_public, purpose.encode("utf-8"))
        return AESGCM(key).decrypt(nonce, body, purpose.encode("utf-8"))
    except (ValueError, InvalidTag) as error:
        raise ProtocolError("sealed data cannot be opened with this key") from error


SEAL_DATABASE_KEY = "payout-desk database key v1"
SEAL_OFFLINE_BATCH = "payout-desk offline journal v1"


# --- offline journal files (USB stick) --------------------------------------------------------------------------------

OFFLINE_FORMAT = "payout-desk-journal"


def pack_offline_batch(device_id: str, private_key: bytes, province_public_key: str, batch: Mapping[str, Any],
                       now: dt.datetime) -> bytes:
    """A file holding a journal batch encrypted to the province and signed by the device."""
    sealed = seal(province_public_key, json.dumps(batch, ensure_ascii=False).encode("utf-8"), SEAL_OFFLINE_BATCH)
    created = format_time(now)
    message = "\n".join([OFFLINE_FORMAT, device_id, created, hashlib.sha256(sealed.encode()).hexdigest()]).encode()
    document = {
        "format": OFFLINE_FORMAT,
        "version": PROTOCOL_VERSION,
        "device_id": device_id,
        "created_at": created,
        "sealed": sealed,
        "signature": sign(private_key, message),
    }
    return json.dumps(document, indent=1).encode("utf-8")


@dataclass(frozen=True)
class OfflineBatch:
    device_id: str
    created_at: str
    batch: dict[str, Any]


def unpack_offline_batch(data: bytes, recovery_private_key: bytes, public_key_of: Any) -> OfflineBatch:
    """Check the device's signature (``public_key_of(device_id)`` → hex or None) and decrypt the batch."""
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("format") != OFFLINE_FORMAT:
            raise ProtocolError("not a Payout Desk journal file")
        device_id, created, sealed, signature = (
            str(document["device_id"]), str(document["created_at"]), str(document["sealed"]), str(document["signature"])
        )
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, AttributeError) as error:
        raise ProtocolError("not a Payout Desk journal file") from error
    public = public_key_of(device_id)
    if public is None:
        raise ProtocolError(f"unknown device {device_id}")
    message = "\n".join([OFFLINE_FORMAT, device_id, created, hashlib.sha256(sealed.encode()).hexdigest()]).encode()
    if not verify_signature(public, message, signature):
        raise ProtocolError("the file's device signature does not verify")
    batch = json.loads(unseal(recovery_private_key, sealed, SEAL_OFFLINE_BATCH).decode("utf-8"))
    if not isinstance(batch, dict) or batch.get("device_id") != device_id:
        raise ProtocolError("the batch inside the file names another device")
    return OfflineBatch(device_id, created, batch)


# --- journal batches ------------------------------------------------------------------------------------------------


def entry_to_wire(seq: int, entry_id: str, kind: str, prev_hash: str, entry_hash: str, payload: bytes,
                  signature: bytes | None) -> dict[str, Any]:
    return {
        "seq": seq,
        "entry_id": entry_id,
        "kind": kind,
        "prev_hash": prev_hash,
        "entry_hash": entry_hash,
        "payload": payload.decode("utf-8"),
        "signature": base64.b64encode(signature).decode("ascii") if signature is not None else None,
    }


def decode_signature(text: str | None) -> bytes | None:
    if text is None:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:
        raise ProtocolError("signature is not base64") from error


# --- list fragments -------------------------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def person_to_wire(person: Beneficiary) -> dict[str, Any]:
    rep = person.representative
    return {
        "record_code": person.record_code,
        "full_name": person.full_name,
        "commune_code": person.commune_code,
        "category": person.category,
        "birth_year": person.birth_year,
        "gender": person.gender.value if person.gender else None,
        "id_number": person.id_number,
        "village": person.village,
        "point_id": person.point_id,
        "status": person.status.value,
        "status_reason": person.status_reason,
        "date_of_death": _date(person.date_of_death),
        "representative": {"name": rep.name, "id_number": rep.id_number} if rep else None,
    }


def person_from_wire(data: Mapping[str, Any]) -> Beneficiary:
    rep = data.get("representative")
    return Beneficiary(
        record_code=data["record_code"],
        full_name=data["full_name"],
        commune_code=data["commune_code"],
        category=data["category"],
        birth_year=data.get("birth_year"),
        gender=Gender(data["gender"]) if data.get("gender") else None,
        id_number=data.get("id_number"),
        village=data.get("village"),
        point_id=data.get("point_id"),
        status=BeneficiaryStatus(data.get("status", "active")),
        status_reason=data.get("status_reason", ""),
        date_of_death=_parse_date(data.get("date_of_death")),
        representative=Representative(rep["name"], rep.get("id_number")) if rep else None,
    )


def line_to_wire(line: EntitlementLine) -> dict[str, Any]:
    return {
        "key": line.key,
        "record_code": line.record_code,
        "period": line.period,
        "list_period": line.list_period,
        "programme": line.programme,
        "regime": line.regime,
        "kind": line.kind.value,
        "amount": line.amount,
        "method": line.method.value,
        "line_id": line.line_id,
        "note": line.note,
    }


def line_from_wire(data: Mapping[str, Any]) -> EntitlementLine:
    amount = data["amount"]
    if type(amount) is not int or amount < 0:
        raise ProtocolError(f"line {data.get('key')!r}: amount must be a non-negative integer")
    return EntitlementLine(
        key=data["key"],
        record_code=data["record_code"],
        period=data["period"],
        list_period=data["list_period"],
        programme=data["programme"],
        regime=data["regime"],
        kind=LineKind(data["kind"]),
        amount=amount,
        method=PaymentMethod(data.get("method", "cash")),
        line_id=data.get("line_id"),
        note=data.get("note", ""),
    )


def authorisation_to_wire(item: Authorisation) -> dict[str, Any]:
    return {
        "record_code": item.record_code,
        "proxy_name": item.proxy_name,
        "proxy_id_number": item.proxy_id_number,
        "number": item.number,
        "valid_until": item.valid_until.isoformat(),
        "valid_from": _date(item.valid_from),
    }


def authorisation_from_wire(data: Mapping[str, Any]) -> Authorisation:
    return Authorisation(
        record_code=data["record_code"],
        proxy_name=data["proxy_name"],
        proxy_id_number=data["proxy_id_number"],
        number=data["number"],
        valid_until=dt.date.fromisoformat(data["valid_until"]),
        valid_from=_parse_date(data.get("valid_from")),
    )


def places_to_wire(province: Province, communes: Iterable[Commune], villages: Iterable[Village],
                   points: Iterable[PayoutPoint], schedule: Iterable[ScheduleSlot]) -> dict[str, Any]:
    return {
        "province": {"code": province.code, "name": province.name},
        "communes": [
            {"code": c.code, "name": c.name, "province_code": c.province_code, "district": c.district} for c in communes
        ],
        "villages": [{"commune_code": v.commune_code, "name": v.name} for v in villages],
        "points": [
            {"point_id": p.point_id, "commune_code": p.commune_code, "name": p.name, "address": p.address} for p in points
        ],
        "schedule": [
            {"point_id": s.point_id, "day": s.day.isoformat(), "start": s.start.strftime("%H:%M"),
             "end": s.end.strftime("%H:%M")}
            for s in schedule
        ],
    }


def fragment_to_wire(parsed: ParsedList, *, whole_commune: bool) -> dict[str, Any]:
    """A list fragment for the change feed: a commune's whole list, or one person after an amendment.

    ``whole_commune`` tells the device whether lines of ``payout_period`` missing from the fragment were withdrawn for
    the whole commune (a corrected list) or only for the people in it (an amendment).
    """
    fragment = places_to_wire(parsed.province, parsed.communes, parsed.villages, parsed.points, parsed.schedule)
    fragment.update(
        {
            "source": parsed.source,
            "sha256": parsed.sha256,
            "payout_period": parsed.payout_period,
            "whole_commune": whole_commune,
            "people": [person_to_wire(p) for p in parsed.beneficiaries],
            "authorisations": [authorisation_to_wire(a) for a in parsed.authorisations],
            "lines": [line_to_wire(line) for line in parsed.lines],
        }
    )
    return fragment


def fragment_from_wire(data: Mapping[str, Any]) -> tuple[ParsedList, bool]:
    """The ``ParsedList`` a feed fragment carries, and whether it covers whole communes."""
    try:
        province = Province(data["province"]["code"], data["province"]["name"])
        parsed = ParsedList(
            source=data.get("source", "server"),
            sha256=data.get("sha256", ""),
            payout_period=data["payout_period"],
            province=province,
            communes=tuple(
                Commune(c["code"], c["name"], c["province_code"], c.get("district")) for c in data["communes"]
            ),
            villages=tuple(Village(v["commune_code"], v["name"]) for v in data["villages"]),
            points=tuple(
                PayoutPoint(p["point_id"], p["commune_code"], p["name"], p.get("address", "")) for p in data["points"]
            ),
            schedule=tuple(
                ScheduleSlot(s["point_id"], dt.date.fromisoformat(s["day"]), dt.time.fromisoformat(s["start"]),
                             dt.time.fromisoformat(s["end"]))
                for s in data["schedule"]
            ),
            beneficiaries=tuple(person_from_wire(p) for p in data["people"]),
            authorisations=tuple(authorisation_from_wire(a) for a in data["authorisations"]),
            lines=tuple(line_from_wire(line) for line in data["lines"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ProtocolError):
            raise
        raise ProtocolError(f"bad list fragment: {error}") from error
    return parsed, bool(data.get("whole_commune"))
