"""Wrong-password counts, kept in a small file beside the store rather than inside the encrypted database.

The first password of the day is typed before the database can be opened (it opens the staff member's key slot), so
the count cannot live in the database any more; one count per username, in one place, covers the sign-in that opens
the laptop, the sign-in on an open laptop, the lock screen and a supervisor approving on the spot. The file is plain
(0600): a thief with the disk is not slowed by it at all — they guess offline against the slot's Argon2id, whose cost
is the defence there — while for someone at the keyboard of a running or locked program, whom it does slow, editing
it would need the OS account that already opens the laptop.

Only usernames that exist on this laptop (a key slot, or an account in the open database) are written: a password
typed into the username box by mistake never reaches the disk. Other names are counted in memory, with the same
answers, so names cannot be probed by watching the messages.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

from app.domain.auth import AttemptState, after_failure, is_locked
from app.store.files import write_private
from app.store.locking import process_lock

ATTEMPTS_NAME = "sign-in-attempts.json"
LOCK_NAME = "keys.lock"
MAX_NAMES = 500
"""At most this many usernames are remembered (the oldest forgotten first): the file stays small."""


class SignInAttempts:
    """Failure counts per username for one data folder (shared by every process on it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._unknown: dict[str, AttemptState] = {}
        self._memory_lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.folder / ATTEMPTS_NAME

    def state(self, username: str, *, known: bool) -> AttemptState:
        if not known:
            with self._memory_lock:
                return self._unknown.get(username, AttemptState(0, None))
        return _decode(self._read().get(username))

    def locked(self, username: str, now: dt.datetime, *, known: bool) -> dt.datetime | None:
        """When ``username``'s lock ends, if they are locked out now."""
        state = self.state(username, known=known)
        return state.locked_until if is_locked(state, now) else None

    def failed(self, username: str, now: dt.datetime, *, known: bool) -> AttemptState:
        """Count one wrong password; the state after it (``locked_until`` set on the fifth in a row)."""
        if not known:
            with self._memory_lock:
                state = after_failure(self._unknown.get(username, AttemptState(0, None)), now)
                self._unknown[username] = state
                return state
        with process_lock(self.folder / LOCK_NAME):
            data = self._read()
            state = after_failure(_decode(data.get(username)), now)
            data.pop(username, None)
            data[username] = {"failed": state.failed_attempts,
                              "locked_until": state.locked_until.isoformat() if state.locked_until else None}
            while len(data) > MAX_NAMES:
                data.pop(next(iter(data)))
            self._write(data)
        return state

    def succeeded(self, username: str) -> None:
        """A right password ends the count."""
        with self._memory_lock:
            self._unknown.pop(username, None)
        if username not in self._read():
            return
        with process_lock(self.folder / LOCK_NAME):
            data = self._read()
            if data.pop(username, None) is not None:
                self._write(data)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError, UnicodeDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, Any]) -> None:
        write_private(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _decode(value: Any) -> AttemptState:
    if not isinstance(value, dict):
        return AttemptState(0, None)
    try:
        failed = int(value.get("failed") or 0)
        until = value.get("locked_until")
        locked_until = dt.datetime.fromisoformat(until) if isinstance(until, str) else None
    except (TypeError, ValueError):
        return AttemptState(0, None)
    if locked_until is not None and locked_until.tzinfo is None:
        locked_until = locked_until.replace(tzinfo=dt.UTC)
    return AttemptState(failed, locked_until)
