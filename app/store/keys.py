"""The database key of a data folder: a random 256-bit key kept in the OS keyring, or a user-only key file.

The key never sits in the data folder itself, so a copied or stolen data folder (or backup) cannot be opened without
the user's keyring or key folder. Where the OS offers no keyring backend (a bare Linux box, CI), the key goes to a file
readable only by the user in the user's config folder (``PAYOUT_DESK_KEY_DIR`` overrides it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Protocol

import platformdirs

from app.domain.errors import StoreError

SERVICE = "payout-desk"
KEY_BYTES = 32


class KeyStore(Protocol):
    """Somewhere a data folder's key is kept, looked up by the folder's store id."""

    def get(self, store_id: str) -> bytes | None: ...

    def put(self, store_id: str, key: bytes) -> None: ...

    def describe(self) -> str: ...


class KeyringKeyStore:
    """The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service)."""

    def __init__(self, backend: object | None = None) -> None:
        import keyring

        self._keyring = backend if backend is not None else keyring.get_keyring()

    def get(self, store_id: str) -> bytes | None:
        value = self._keyring.get_password(SERVICE, store_id)  # type: ignore[attr-defined]
        return bytes.fromhex(value) if value else None

    def put(self, store_id: str, key: bytes) -> None:
        self._keyring.set_password(SERVICE, store_id, key.hex())  # type: ignore[attr-defined]

    def describe(self) -> str:
        return f"keyring {type(self._keyring).__name__}"


class FileKeyStore:
    """One file per data folder, mode 0600, in a folder of mode 0700."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, store_id: str) -> Path:
        return self.folder / f"{store_id}.key"

    def get(self, store_id: str) -> bytes | None:
        path = self._path(store_id)
        if not path.exists():
            return None
        text = path.read_text(encoding="ascii").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            raise StoreError("store_no_key", path=str(path)) from None
        return key if len(key) == KEY_BYTES else None

    def put(self, store_id: str, key: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.folder, 0o700)
        path = self._path(store_id)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex())
            handle.flush()
            os.fsync(handle.fileno())

    def describe(self) -> str:
        return f"key file in {self.folder}"


def default_key_dir() -> Path:
    override = os.environ.get("PAYOUT_DESK_KEY_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("payout-desk", appauthor=False)) / "keys"


def keyring_available() -> bool:
    """True when the OS offers a real keyring backend (not keyring's 'fail' or a null one)."""
    if os.environ.get("PAYOUT_DESK_KEYRING", "").lower() in {"0", "no", "file", "off"}:
        return False
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring installation must not stop the app: fall back to the key file
        return False
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


def default_key_stores() -> list[KeyStore]:
    """Where keys are looked for, in order: the OS keyring if there is one, then the key folder."""
    stores: list[KeyStore] = []
    if keyring_available():
        stores.append(KeyringKeyStore())
    stores.append(FileKeyStore(default_key_dir()))
    return stores


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def find_key(store_id: str, stores: list[KeyStore]) -> bytes | None:
    for store in stores:
        key = store.get(store_id)
        if key is not None:
            return key
    return None
