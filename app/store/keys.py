"""Where secrets may live outside the data folder: the OS keyring, and the places older versions kept keys.

The OS keyring counts only where the OS protects it with the user's login (Windows Credential Manager/DPAPI, macOS
Keychain, the Secret Service of a desktop session, KWallet): a keyring backend that writes a plain file (keyrings.alt)
would put the key back on the disk in the clear, so it is never used. ``PAYOUT_DESK_KEYRING=off`` turns the keyring off
(``file``, ``no`` and ``0`` mean the same, as before).

Before key slots (``app.store.keyslots``) the database key sat in the keyring or in a key file in the user's config
folder (``PAYOUT_DESK_KEY_DIR`` overrides it), named by the store id written in plain text in the data folder, and the
device's signing key beside it. ``LegacyKeys`` finds those so an existing data folder still opens, and erases them once
the folder has its slots (the first sign-in after the upgrade).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from app.store.files import overwrite_and_delete, private_dir, write_private

SERVICE = "payout-desk"
KEY_BYTES = 32
STORE_ID_NAME = "store-id"
"""The plain-text file that named an older data folder's key (removed when the folder moves to key slots)."""
DEVICE_KEY_SUFFIX = ".device"
REAL_BACKENDS = ("keyring.backends.Windows", "keyring.backends.macOS", "keyring.backends.SecretService",
                 "keyring.backends.libsecret", "keyring.backends.kwallet")
"""Modules of the keyring backends that keep secrets under the OS's protection."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


class OsKeyring:
    """Secrets by account name in the OS keyring, under the service name ``payout-desk``."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def get(self, account: str) -> bytes | None:
        try:
            value = self._backend.get_password(SERVICE, account)
        except Exception:  # a locked or unreachable keyring: the slot cannot open, others still can
            return None
        try:
            return bytes.fromhex(value) if value else None
        except ValueError:
            return None

    def put(self, account: str, secret: bytes) -> None:
        self._backend.set_password(SERVICE, account, secret.hex())

    def delete(self, account: str) -> None:
        try:
            self._backend.delete_password(SERVICE, account)
        except Exception:  # already gone (keyring raises PasswordDeleteError), or the keyring is unreachable
            pass

    def describe(self) -> str:
        return f"OS keyring ({type(self._backend).__name__})"


def keyring_turned_off() -> bool:
    return os.environ.get("PAYOUT_DESK_KEYRING", "").lower() in {"0", "no", "file", "off"}


def _backend() -> Any | None:
    if keyring_turned_off():
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring installation must not stop the app: the slots still open the store
        return None
    if isinstance(backend, fail.Keyring):
        return None
    return backend


def is_os_keyring(backend: Any) -> bool:
    """True for a backend that keeps secrets under the OS's protection (or declares ``os_keyring = True``, as the
    test suite's stand-in does); a chainer counts when one of its backends does."""
    if getattr(backend, "os_keyring", False):
        return True
    chained = getattr(backend, "backends", None)
    if chained is not None and type(backend).__name__ == "ChainerBackend":
        return any(is_os_keyring(inner) for inner in chained)
    return type(backend).__module__ in REAL_BACKENDS and getattr(backend, "priority", 0) > 0


def os_keyring() -> OsKeyring | None:
    """The OS keyring where the OS has a real one, else None (then only password slots open the store)."""
    backend = _backend()
    if backend is None or not is_os_keyring(backend):
        return None
    return OsKeyring(backend)


# --- keys of data folders made before key slots -----------------------------------------------------------------------


def default_key_dir() -> Path:
    override = os.environ.get("PAYOUT_DESK_KEY_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("payout-desk", appauthor=False)) / "keys"


@dataclass
class LegacyKeys:
    """An older data folder's database key and device key, and every place they were found."""

    folder: Path
    store_id: str
    database: bytes
    device: bytes | None
    files: list[Path] = field(default_factory=list)
    keyring_accounts: list[str] = field(default_factory=list)

    def keep_device_key(self, key: bytes) -> bytes:
        """Keep an enrolling device's key where this folder's database key is (a file beside the old key file, in
        the keyring when the database key is there), as older versions did, until the folder moves to slots."""
        name = self.store_id + DEVICE_KEY_SUFFIX
        backend = _backend()
        if self.keyring_accounts and backend is not None:
            OsKeyring(backend).put(name, key)
            self.keyring_accounts.append(name)
            return key
        folder = self.files[0].parent if self.files else default_key_dir()
        private_dir(folder)
        path = folder / f"{name}.key"
        write_private(path, key.hex().encode("ascii"))
        self.files.append(path)
        return key

    def erase(self) -> None:
        """Overwrite and delete the key files, delete the keyring entries and the plain store id."""
        for path in self.files:
            overwrite_and_delete(path)
        backend = _backend()
        if backend is not None:
            ring = OsKeyring(backend)
            for account in self.keyring_accounts:
                ring.delete(account)
        (self.folder / STORE_ID_NAME).unlink(missing_ok=True)


def find_legacy_keys(folder: Path, key_dir: Path | None = None) -> LegacyKeys | None:
    """The keys of a data folder made before key slots (keyring first, then the key file), or None."""
    id_path = folder / STORE_ID_NAME
    if not id_path.exists():
        return None
    store_id = id_path.read_text(encoding="ascii").strip()
    key_dir = key_dir or default_key_dir()
    backend = _backend()
    ring = OsKeyring(backend) if backend is not None else None
    found: dict[str, bytes] = {}
    files: list[Path] = []
    accounts: list[str] = []
    for name in (store_id, store_id + DEVICE_KEY_SUFFIX):
        value = ring.get(name) if ring is not None else None
        if value is not None:
            found[name] = value
            accounts.append(name)
        path = key_dir / f"{name}.key"
        if path.exists():
            files.append(path)
            if value is None:
                try:
                    value = bytes.fromhex(path.read_text(encoding="ascii").strip())
                except ValueError:
                    value = None
                if value is not None and len(value) == KEY_BYTES:
                    found[name] = value
    database = found.get(store_id)
    if database is None:
        return None
    return LegacyKeys(folder, store_id, database, found.get(store_id + DEVICE_KEY_SUFFIX), files, accounts)
