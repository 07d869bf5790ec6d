"""The province recovery private key, kept off the server: encrypted under a passphrase the officer chooses.

The private key opens every device's sealed database key and every offline journal file, so the server keeps only
the public half (in its database). ``payout-server init`` writes the private key as a **key code** — Argon2id
(memory-hard, so guessing the passphrase from a stolen copy is slow) then AES-256-GCM — into a small text file the
officer moves to offline media, and can print the same code on paper with a QR code (``server.paper_key``).
``recover-backup`` and ``import-batch`` read it back with ``--key`` and the passphrase.

The key code is text a person can type back from paper: ``PDRK1`` then 136 characters of base32 (A–Z, 2–7) in groups
of four. Inside: a version byte, the Argon2id costs (time, memory in MiB, lanes), the 16-byte salt, the 12-byte
AES-GCM nonce, the 48-byte ciphertext with its tag, and a 4-byte checksum (SHA-256) that tells a mistyped code
from a wrong passphrase. The costs and salt are bound into the ciphertext as associated data.

A key file is the code with ``#`` comment lines (what it is, the public key, when it was made). A file holding only
the code (typed from paper, or a QR scan) reads the same; so does the plain hex key file of servers set up before
this (``recovery.key``), which ``payout-server protect-recovery-key`` encrypts and removes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.wire import sealing

CODE_PREFIX = "PDRK1"
VERSION = 1
ASSOCIATED = b"payout-desk recovery key v1"
MIN_PASSPHRASE = 12
"""Characters a passphrase needs at least: a few words, e.g. a line of a poem with a number in it."""
_HEADER = struct.Struct(">BBHB16s12s")  # version, time cost, memory MiB, lanes, salt, nonce
_CHECKSUM = 4
_LENGTH = _HEADER.size + 48 + _CHECKSUM
_HEX_KEY = re.compile(r"\s*([0-9a-fA-F]{64})\s*")
_CODE = re.compile(CODE_PREFIX + r"((?:[\s\-]*[A-Za-z0-9]){136})", re.IGNORECASE)
"""A key code inside other text (a key file, text copied from the paper key's PDF, a QR scan without spaces)."""


class RecoveryKeyError(ValueError):
    """The key code or file cannot be used (mistyped, wrong passphrase, not a key); the message says which, vi/en."""


@dataclass(frozen=True)
class KdfCost:
    """Argon2id costs for a new key code. The default takes about a second on the reference server, which a guesser
    pays for every passphrase tried; ``PAYOUT_SERVER_KDF_MEMORY_MIB`` lowers the memory on a small machine (and in
    tests). Reading a code always uses the costs written in it."""

    time_cost: int = 3
    memory_mib: int = 256
    lanes: int = 2

    @classmethod
    def from_environment(cls) -> KdfCost:
        memory = os.environ.get("PAYOUT_SERVER_KDF_MEMORY_MIB", "").strip()
        if not memory:
            return cls()
        if not memory.isdigit() or not 8 <= int(memory) <= 4096:
            raise RecoveryKeyError("PAYOUT_SERVER_KDF_MEMORY_MIB phải từ 8 đến 4096 / must be 8 to 4096 (MiB)")
        return cls(time_cost=cls.time_cost if int(memory) >= 64 else 1, memory_mib=int(memory))


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC, so a passphrase typed with combining accents (some keyboards) is the same passphrase."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_new_passphrase(passphrase: str) -> None:
    if len(unicodedata.normalize("NFC", passphrase).strip()) < MIN_PASSPHRASE:
        raise RecoveryKeyError(f"cụm mật khẩu cần ít nhất {MIN_PASSPHRASE} ký tự / the passphrase needs at least "
                               f"{MIN_PASSPHRASE} characters")


def _derive(passphrase: str, salt: bytes, cost: KdfCost) -> bytes:
    return hash_secret_raw(normalise_passphrase(passphrase), salt, time_cost=cost.time_cost,
                           memory_cost=cost.memory_mib * 1024, parallelism=cost.lanes, hash_len=32, type=Type.ID)


def lock(private_key: bytes, passphrase: str, cost: KdfCost | None = None) -> str:
    """The key code of ``private_key`` under ``passphrase`` (grouped for reading aloud and typing)."""
    check_new_passphrase(passphrase)
    cost = cost or KdfCost()
    salt, nonce = os.urandom(16), os.urandom(12)
    header = _HEADER.pack(VERSION, cost.time_cost, cost.memory_mib, cost.lanes, salt, nonce)
    sealed = AESGCM(_derive(passphrase, salt, cost)).encrypt(nonce, private_key, ASSOCIATED + header[:-12])
    raw = header + sealed
    text = base64.b32encode(raw + hashlib.sha256(raw).digest()[:_CHECKSUM]).decode("ascii")
    return f"{CODE_PREFIX} " + " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def unlock(code: str, passphrase: str) -> bytes:
    """The private key inside a key code; ``RecoveryKeyError`` for a mistyped code or a wrong passphrase."""
    raw = _decode(code)
    version, time_cost, memory_mib, lanes, salt, nonce = _HEADER.unpack(raw[:_HEADER.size])
    if version != VERSION:
        raise RecoveryKeyError("phiên bản mã khóa không rõ / unknown key code version")
    cost = KdfCost(time_cost, memory_mib, lanes)
    try:
        return AESGCM(_derive(passphrase, salt, cost)).decrypt(nonce, raw[_HEADER.size:],
                                                               ASSOCIATED + raw[:_HEADER.size - 12])
    except InvalidTag:
        raise RecoveryKeyError("sai cụm mật khẩu / wrong passphrase for this recovery key") from None


def _decode(code: str) -> bytes:
    text = code.strip().upper()
    if not text.startswith(CODE_PREFIX):
        raise RecoveryKeyError("không phải mã khóa khôi phục / not a recovery key code")
    letters = re.sub(r"[\s\-]", "", text[len(CODE_PREFIX):]).replace("0", "O").replace("1", "I")
    try:
        data = base64.b32decode(letters)
    except ValueError:
        data = b""
    if len(data) != _LENGTH or hashlib.sha256(data[:-_CHECKSUM]).digest()[:_CHECKSUM] != data[-_CHECKSUM:]:
        raise RecoveryKeyError("mã khóa bị gõ sai hoặc hỏng (sai tổng kiểm) / the key code is mistyped or damaged "
                               "(checksum)")
    return data[:-_CHECKSUM]


@dataclass(frozen=True)
class KeyText:
    """What a ``--key`` file holds: a key code (needs the passphrase), or an old plain hex key (does not)."""

    code: str | None
    plain_key: bytes | None

    @property
    def needs_passphrase(self) -> bool:
        return self.code is not None


def read_key_text(path: Path) -> KeyText:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RecoveryKeyError(f"không đọc được tệp khóa / cannot read the key file {path}: {error}") from None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    joined = " ".join(lines)
    if (plain := _HEX_KEY.fullmatch(joined)) is not None:
        return KeyText(None, bytes.fromhex(plain.group(1)))
    if (found := _CODE.search(joined)) is not None:
        return KeyText(CODE_PREFIX + found.group(1), None)
    start = joined.upper().find(CODE_PREFIX)
    if start < 0:
        raise RecoveryKeyError(f"tệp không chứa khóa khôi phục / {path} holds no recovery key")
    return KeyText(joined[start:], None)  # too short: ``unlock`` says it is mistyped


def key_file_text(code: str, public_key: str, made: str) -> str:
    return "\n".join([
        "# Payout Desk — khóa khôi phục của tỉnh, đã mã hóa bằng cụm mật khẩu",
        "# Payout Desk — province recovery key, encrypted under a passphrase",
        f"# Khóa công khai / public key: {public_key}",
        f"# Tạo lúc / made: {made}",
        "# Cất tệp này trên thiết bị ngoại tuyến (USB trong két), không để trên máy chủ; cụm mật khẩu cất riêng.",
        "# Keep this file on offline media (a USB stick in the safe), not on the server; keep the passphrase apart.",
        code,
        "",
    ])


def write_key_file(path: Path, code: str, public_key: str, made: str) -> None:
    """Write a new key file readable only by its owner; an existing file is never overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise RecoveryKeyError(f"tệp đã có, không ghi đè / {path} already exists (not overwritten)") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key_file_text(code, public_key, made))
        handle.flush()
        os.fsync(handle.fileno())


def public_key_of(private_key: bytes) -> str:
    return sealing.recovery_public_key(private_key)


def destroy(path: Path) -> None:
    """Overwrite a plain key file with zeros, sync it, then delete it (a best effort: a journaling or copy-on-write
    file system, or a backup, may still hold the old blocks — say so to the officer)."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.write(b"\0" * size)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
