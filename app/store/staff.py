"""Staff accounts cached on the device for offline sign-in (Argon2id password verifiers, never passwords)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text

import datetime as dt

from app.domain.clock import ProvinceTime
from app.domain.auth import AttemptState, after_failure, attempts_left, is_locked
from app.domain.errors import BadInputError
from app.domain.model import Role, Staff
from app.store import database

if TYPE_CHECKING:
    from app.store.store import Store

_HASHER = PasswordHasher()


class StaffService:
    def __init__(self, store: "Store") -> None:
        self.store = store

    def add(self, username: str, full_name: str, role: Role, password: str) -> Staff:
        """Create or replace a local account (until the province server becomes the source of staff)."""
        username = username.strip()
        if not username or not password:
            raise BadInputError("required")
        if self.store.meta("server_url"):
            raise BadInputError("enrolled_staff_from_server")
        verifier = _HASHER.hash(password)
        with database.write(self.store.engine) as conn:
            conn.execute(
                text(
                    "INSERT INTO staff (username, full_name, role, password_hash, active) VALUES (:u, :n, :r, :h, 1) "
                    "ON CONFLICT (username) DO UPDATE SET full_name = excluded.full_name, role = excluded.role, "
                    "password_hash = excluded.password_hash, active = 1"
                ),
                {"u": username, "n": full_name.strip() or username, "r": role.value, "h": verifier},
            )
        return Staff(username, full_name.strip() or username, role)

    def get(self, username: str) -> Staff | None:
        with database.read(self.store.engine) as conn:
            row = conn.execute(
                text("SELECT username, full_name, role FROM staff WHERE username = :u AND active = 1"), {"u": username}
            ).first()
        return Staff(row[0], row[1], Role(row[2])) if row else None

    def check_password(self, username: str, password: str) -> Staff | None:
        """The account if ``password`` is right, else None (same answer for unknown users)."""
        with database.read(self.store.engine) as conn:
            row = conn.execute(
                text("SELECT username, full_name, role, password_hash FROM staff WHERE username = :u AND active = 1"),
                {"u": username},
            ).first()
        if row is None or not row[3]:
            _HASHER.hash(password)  # same cost whether or not the user exists
            return None
        try:
            _HASHER.verify(row[3], password)
        except (VerificationError, InvalidHashError):
            return None
        return Staff(row[0], row[1], Role(row[2]))

    def sign_in(self, username: str, password: str) -> Staff:
        """Check a password with the lockout policy: five wrong in a row lock the account for five minutes.

        Raises ``BadInputError`` with ``sign_in_failed`` (attempts left), ``account_locked`` (until when) or
        ``sign_in_unknown`` (said in the same words as a wrong password, so names cannot be probed).
        """
        now = self.store.clock()
        username = username.strip()
        with database.write(self.store.engine) as conn:
            row = conn.execute(
                text(
                    "SELECT username, full_name, role, password_hash, failed_attempts, locked_until FROM staff "
                    "WHERE username = :u AND active = 1"
                ),
                {"u": username},
            ).first()
            if row is None or not row[3]:
                _HASHER.hash(password)  # same cost whether or not the user exists
                raise BadInputError("sign_in_failed", left="?")
            state = AttemptState(row[4], dt.datetime.fromisoformat(row[5]) if row[5] else None)
            if is_locked(state, now):
                raise BadInputError("account_locked", until=_local_time(self.store.province_time, state.locked_until))
            try:
                _HASHER.verify(row[3], password)
            except (VerificationError, InvalidHashError):
                failed = after_failure(state, now)
                conn.execute(
                    text("UPDATE staff SET failed_attempts = :f, locked_until = :l WHERE username = :u"),
                    {"f": failed.failed_attempts, "l": failed.locked_until.isoformat() if failed.locked_until else None,
                     "u": username},
                )
                if failed.locked_until is not None:
                    error = BadInputError("account_locked", until=_local_time(self.store.province_time,
                                                                              failed.locked_until))
                else:
                    error = BadInputError("sign_in_failed", left=attempts_left(failed))
            else:
                conn.execute(
                    text("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE username = :u"),
                    {"u": username},
                )
                return Staff(row[0], row[1], Role(row[2]))
        raise error


def _local_time(clock: ProvinceTime, moment: dt.datetime | None) -> str:
    """When a locked account opens again, in the province's time (a lock recorded without a zone is UTC)."""
    if moment is None:
        return "-"
    return clock.format_time(moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc), seconds=True)
