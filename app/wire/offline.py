"""The offline journal file: a device's pending journal carried to the province on a USB stick.

The file is JSON naming the format, the device and the time; the batch inside (the same ``{"device_id", "entries"}``
an upload sends) is sealed to the province's recovery key, and the device signs the format, its id, the time and the
sealed text's digest. ``payout-server import-batch`` checks the signature, opens the seal and applies the entries with
the same dedupe as an upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.journal import format_timestamp
from app.wire.constants import PROTOCOL_VERSION
from app.wire.errors import ProtocolError
from app.wire.sealing import SEAL_OFFLINE_BATCH, seal, unseal
from app.wire.signing import sign, verify_signature

OFFLINE_FORMAT = "payout-desk-journal"


@dataclass(frozen=True)
class OfflineBatch:
    device_id: str
    created_at: str
    batch: dict[str, Any]


def _signed_part(device_id: str, created: str, sealed: str) -> bytes:
    return "\n".join([OFFLINE_FORMAT, device_id, created, hashlib.sha256(sealed.encode()).hexdigest()]).encode()


def pack_offline_batch(device_id: str, private_key: bytes, province_public_key: str, batch: Mapping[str, Any],
                       now: dt.datetime) -> bytes:
    """A file holding a journal batch encrypted to the province and signed by the device."""
    sealed = seal(province_public_key, json.dumps(batch, ensure_ascii=False).encode("utf-8"), SEAL_OFFLINE_BATCH)
    created = format_timestamp(now)
    document = {
        "format": OFFLINE_FORMAT,
        "version": PROTOCOL_VERSION,
        "device_id": device_id,
        "created_at": created,
        "sealed": sealed,
        "signature": sign(private_key, _signed_part(device_id, created, sealed)),
    }
    return json.dumps(document, indent=1).encode("utf-8")


def unpack_offline_batch(data: bytes, recovery_private_key: bytes,
                         public_key_of: Callable[[str], str | None]) -> OfflineBatch:
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
    if not verify_signature(public, _signed_part(device_id, created, sealed), signature):
        raise ProtocolError("the file's device signature does not verify")
    batch = json.loads(unseal(recovery_private_key, sealed, SEAL_OFFLINE_BATCH).decode("utf-8"))
    if not isinstance(batch, dict) or batch.get("device_id") != device_id:
        raise ProtocolError("the batch inside the file names another device")
    return OfflineBatch(device_id, created, batch)
