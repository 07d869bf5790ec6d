"""Staff accounts cached on the device for offline sign-in (Argon2id password verifiers, never passwords).

A right password also gives its owner a key slot on this laptop (``Store.keep_key_for``), so their password opens
the laptop next time. Wrong passwords are counted beside the store (``app.store.attempts``), not in the database:
the same count holds whether the database was already open or the password was opening it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text

from app.domain.auth import attempts_left
from app.domain.clock import ProvinceTime
from app.domain.errors import BadInputError
from app.domain.model import Role, Staff
from app.domain.text import person_name_key
from app.store import database

if TYPE_CHECKING:
    from app.store.store import Store

_HASHER = PasswordHasher()


class StaffService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, username: str, full_name: str, role: Role, password: str) -> Staff:
        """Create or replace a local account (until the province server becomes the source of staff); the account's
        password opens this laptop from now on (a replaced password rewraps its key slot)."""
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
        staff = Staff(username, full_name.strip() or username, role)
        self.store.keep_key_for(staff, password, verifier)
        return staff

    def get(self, username: str) -> Staff | None:
        with database.read(self.store.engine) as conn:
            row = conn.execute(
                text("SELECT username, full_name, role FROM staff WHERE username = :u AND active = 1"), {"u": username}
            ).first()
        return Staff(row[0], row[1], Role(row[2])) if row else None

    def active(self) -> list[Staff]:
        """Every account that can sign in here, by name in Vietnamese order (given name first)."""
        with database.read(self.store.engine) as conn:
            rows = conn.execute(text("SELECT username, full_name, role FROM staff WHERE active = 1 "
                                     "AND password_hash IS NOT NULL AND password_hash != ''")).all()
        return sorted((Staff(row[0], row[1], Role(row[2])) for row in rows),
                      key=lambda staff: (person_name_key(staff.full_name), staff.username))

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

        Raises ``BadInputError`` with ``sign_in_failed`` (attempts left), ``account_locked`` (until when); an unknown
        username gets the same answers as a wrong password, counted in memory, so names cannot be probed. A right
        password resets the count and makes sure its owner has a key slot on this laptop.
        """
        now = self.store.clock()
        username = username.strip()
        attempts = self.store.sign_in_attempts
        with database.read(self.store.engine) as conn:
            row = conn.execute(
                text("SELECT username, full_name, role, password_hash FROM staff WHERE username = :u AND active = 1"),
                {"u": username},
            ).first()
        known = row is not None and bool(row[3])
        until = attempts.locked(username, now, known=known)
        if until is not None:
            raise BadInputError("account_locked", until=_local_time(self.store.province_time, until))
        if row is None or not row[3]:
            _HASHER.hash(password)  # same cost whether or not the user exists
            right = False
        else:
            try:
                right = _HASHER.verify(row[3], password)
            except (VerificationError, InvalidHashError):
                right = False
        if not right:
            failed = attempts.failed(username, now, known=known)
            if failed.locked_until is not None:
                raise BadInputError("account_locked", until=_local_time(self.store.province_time,
                                                                        failed.locked_until))
            raise BadInputError("sign_in_failed", left=attempts_left(failed))
        attempts.succeeded(username)
        assert row is not None  # the password was right, so the row was found
        staff = Staff(row[0], row[1], Role(row[2]))
        self.store.keep_key_for(staff, password, row[3])
        return staff


def _local_time(clock: ProvinceTime, moment: dt.datetime | None) -> str:
    """When a locked account opens again, in the province's time (a lock recorded without a zone is UTC)."""
    if moment is None:
        return "-"
    return clock.format_time(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC), seconds=True)
