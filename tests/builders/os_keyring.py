"""A keyring backend for tests that counts as the OS's own keyring, so most tests open their stores without a password.

The suite selects it with keyring's ``PYTHON_KEYRING_BACKEND`` (``tests/conftest.py``), which child processes inherit;
each test gets its own folder (``PAYOUT_DESK_TEST_KEYRING``), so one test's keyring never opens another's store. It
declares ``os_keyring = True``, the flag ``app.store.keys.is_os_keyring`` accepts besides the real OS backends.
A test that needs a laptop without a keyring sets ``PAYOUT_DESK_KEYRING=off`` (the program's own switch).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FOLDER_VARIABLE = "PAYOUT_DESK_TEST_KEYRING"


class TestKeyring(KeyringBackend):
    """Secrets in ``$PAYOUT_DESK_TEST_KEYRING/keyring.json`` (a stand-in for Credential Manager or Keychain)."""

    priority = 1
    os_keyring = True

    @staticmethod
    def _file() -> Path | None:
        folder = os.environ.get(FOLDER_VARIABLE)
        return Path(folder) / "keyring.json" if folder else None

    def _read(self) -> dict[str, str]:
        path = self._file()
        if path is None or not path.exists():
            return {}
        return json.loads(path.read_text(encoding="utf-8"))

    def _write(self, items: dict[str, str]) -> None:
        path = self._file()
        if path is None:
            raise RuntimeError(f"{FOLDER_VARIABLE} is not set")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(items), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        items = self._read()
        items[f"{service}\n{username}"] = password
        self._write(items)

    def delete_password(self, service: str, username: str) -> None:
        items = self._read()
        if items.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError("no such password")
        self._write(items)

    def entries(self) -> dict[str, str]:
        """Everything stored (service and account joined by a newline) → secret, for tests that inspect it."""
        return self._read()
