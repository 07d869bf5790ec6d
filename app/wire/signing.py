"""Device keys and request signatures: how the server knows a call comes from an enrolled device, and only once.

A device makes its Ed25519 key itself and registers only the public half at enrolment. Every call after that is
signed. Two versions exist (``docs/SYNC.md``, device signature):

- **Version 2** (today's devices): four headers — the device id, the time, a fresh random nonce and a signature over
  a tagged message naming the method, the path with its query (as sent, still encoded), the device, the time, the
  nonce, every other header the server acts on (``Content-Type``, ``Authorization``) and the body's SHA-256. The
  server remembers nonces, so a captured call cannot be replayed, nor sent with another body, path or token.
- **Version 1** (devices not yet updated): three headers, no nonce, the signature over the method, the path, the time
  and the body's digest. The server accepts it only for a journal upload, whose entries dedupe, so a replay of it
  changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.domain.journal import format_timestamp, parse_timestamp
from app.wire.constants import HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIME
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


REQUEST_TAG_V2 = "payout-desk request v2"
"""The first line of a version-2 message: no version-1 message starts with it (those start with the method), so a
signature of one version never verifies as the other."""
SIGNED_HEADERS = ("Content-Type", "Authorization")
"""The headers, besides the ``X-Payout-*`` ones, that the server acts on and a version-2 signature covers."""
NONCE_PATTERN = re.compile(r"[0-9a-f]{32}")
"""A nonce is 16 random bytes in lower-case hex."""


def signing_message(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    """What a version-1 device signs: the method, the path with its query, the time and the body's digest."""
    return "\n".join([method.upper(), path, timestamp, hashlib.sha256(body).hexdigest()]).encode("utf-8")


def request_message(method: str, path: str, device_id: str, timestamp: str, nonce: str, headers: Mapping[str, str],
                    body: bytes) -> bytes:
    """What a version-2 device signs: the tag, the method, the path with its query, the device, the time, the nonce,
    each of ``SIGNED_HEADERS`` as sent (empty when absent) and the body's digest, one per line.

    ``headers`` is looked up case-insensitively (the server's request headers, or the client's dict)."""
    lower = {name.lower(): value for name, value in headers.items()}
    covered = [lower.get(name.lower(), "") for name in SIGNED_HEADERS]
    return "\n".join([REQUEST_TAG_V2, method.upper(), path, device_id, timestamp, nonce, *covered,
                      hashlib.sha256(body).hexdigest()]).encode("utf-8")


def new_nonce() -> str:
    """A fresh nonce for one call (never reused, not even for a retry of the same call)."""
    return secrets.token_hex(16)


def sign(private_key: bytes, message: bytes) -> str:
    return Ed25519PrivateKey.from_private_bytes(private_key).sign(message).hex()


def verify_signature(public_key_hex: str, message: bytes, signature_hex: str) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        public.verify(bytes.fromhex(signature_hex), message)
    except (ValueError, InvalidSignature):
        return False
    return True


def signed_headers(device_id: str, private_key: bytes, method: str, path: str, body: bytes, now: dt.datetime,
                   headers: Mapping[str, str] | None = None, nonce: str | None = None) -> dict[str, str]:
    """Every header of a device's call, signed (version 2): ``headers`` (the call's ``Content-Type`` and
    ``Authorization``, if any) with the device, time, nonce and signature headers added.

    ``path`` is the API path with its query, exactly as sent; ``nonce`` is fresh unless given (tests pin bytes)."""
    timestamp = format_timestamp(now)
    nonce = nonce or new_nonce()
    sent = dict(headers or {})
    message = request_message(method, path, device_id, timestamp, nonce, sent, body)
    sent.update({HEADER_DEVICE: device_id, HEADER_TIME: timestamp, HEADER_NONCE: nonce,
                 HEADER_SIGNATURE: sign(private_key, message)})
    return sent


def signed_headers_v1(device_id: str, private_key: bytes, method: str, path: str, body: bytes,
                      now: dt.datetime) -> dict[str, str]:
    """The three headers of a version-1 call, as devices not yet updated send them (tests and pinned bytes)."""
    timestamp = format_timestamp(now)
    return {
        HEADER_DEVICE: device_id,
        HEADER_TIME: timestamp,
        HEADER_SIGNATURE: sign(private_key, signing_message(method, path, timestamp, body)),
    }


def valid_nonce(text: str) -> bool:
    return NONCE_PATTERN.fullmatch(text) is not None


def signed_time(text: str) -> dt.datetime:
    """The moment in a call's time header (the journal's one time form); ``ProtocolError`` when it is not one."""
    try:
        return parse_timestamp(text)
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"bad time {text!r}") from error
