"""Sealing to the province's recovery key: data only the province can open (X25519 + HKDF-SHA256 + AES-GCM).

A device seals its database key at enrolment (so the province can open a dead laptop's backup) and each offline
journal file. A sealed text is base64 of the ephemeral public key (32 bytes), the nonce (12) and the ciphertext; the
purpose string is both the HKDF info and the AES-GCM associated data, so a sealed database key can never be passed
off as a journal file or the other way round.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.wire.errors import ProtocolError

SEAL_DATABASE_KEY = "payout-desk database key v1"
SEAL_OFFLINE_BATCH = "payout-desk offline journal v1"


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
        shared = X25519PrivateKey.from_private_bytes(private_key).exchange(
            X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _derive(shared, ephemeral_public, purpose.encode("utf-8"))
        return AESGCM(key).decrypt(nonce, body, purpose.encode("utf-8"))
    except (ValueError, InvalidTag) as error:
        raise ProtocolError("sealed data cannot be opened with this key") from error
