"""Device keys and request signatures: how the server knows a call comes from an enrolled device.

A device makes its Ed25519 key itself and registers only the public half at enrolment. Every call after that carries
three headers: the device id, the time, and a signature over the method, the path with its query (as sent, still
encoded), that time and the body's SHA-256 — so a captured call cannot be replayed with another body or path.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.domain.journal import format_timestamp, parse_timestamp
from app.wire.constants import HEADER_DEVICE, HEADER_SIGNATURE, HEADER_TIME
from app.wire.errors import ProtocolError


def new_device_key() -> bytes:
    """A fresh Ed25519 private key (32 raw bytes), made on the device and never sent anywhere."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def device_public_key(private_key: bytes) -> str:
    """The hex public key the server stores at enrolment."""
    public = Ed25519PrivateKey.from_private_bytes(private_key).public_key()
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def valid_public_key(text: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
    except ValueError:
        return False
    return True


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


def signed_headers(device_id: str, private_key: bytes, method: str, path: str, body: bytes,
                   now: dt.datetime) -> dict[str, str]:
    """The three headers of a device's call; ``path`` is the API path with its query, exactly as sent."""
    timestamp = format_timestamp(now)
    return {
        HEADER_DEVICE: device_id,
        HEADER_TIME: timestamp,
        HEADER_SIGNATURE: sign(private_key, signing_message(method, path, timestamp, body)),
    }


def signed_time(text: str) -> dt.datetime:
    """The moment in a call's time header (the journal's one time form); ``ProtocolError`` when it is not one."""
    try:
        return parse_timestamp(text)
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"bad time {text!r}") from error
