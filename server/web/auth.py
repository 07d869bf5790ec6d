"""Console sign-in: server-side sessions in a secure cookie, CSRF tokens, sign-in rate limiting, roles and scopes.

- The cookie holds a random token (HttpOnly, SameSite=Strict, Secure over HTTPS); the database keeps its sha256, so a
  stolen database does not give live sessions. Sessions end after 8 hours or at sign-out.
- Every form carries the session's CSRF token; the sign-in form (before a session exists) uses a double-submit cookie.
- Wrong passwords are limited per address and username, with much higher ceilings per address (an office behind
  NAT) and per username (``server.settings.SignInLimits``); the address is the connection's, or the one a trusted
  reverse proxy forwards (``ServerSettings.trusted_proxies``).
- Roles: ``admin`` (everything), ``officer`` with communes ``*`` (province officer) or a list (commune officer: sees
  and changes only those communes). Tellers and supervisors work on the desktop, not here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from app.domain.journal import format_timestamp, parse_timestamp
from server import accounts, schema
from server.settings import SignInLimits

COOKIE = "pd_console"
SIGNIN_COOKIE = "pd_signin"
SESSION_HOURS = 8
CONSOLE_ROLES = ("officer", "admin")


@dataclass(frozen=True)
class Officer:
    username: str
    full_name: str
    role: str
    communes: frozenset[str] | None  # None: every commune
    csrf: str
    agency: str | None = None  # None: every agency; else the one agency whose lines, lists and flags they see

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_province(self) -> bool:
        return self.communes is None

    @property
    def scope(self) -> list[str] | None:
        return None if self.communes is None else sorted(self.communes)

    def may_see(self, commune: str | None) -> bool:
        return self.communes is None or (commune is not None and commune in self.communes)


class SignInRefused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _officer(row: Any, csrf: str) -> Officer:
    communes = json.loads(row["communes"] or "[]")
    scope = None if "*" in communes or row["role"] == "admin" else frozenset(communes)
    agency = None if row["role"] == "admin" else (row["agency"] or None)
    return Officer(row["username"], row["full_name"], row["role"], scope, csrf, agency)


def sign_in(conn: Connection, username: str, password: str, address: str, now: dt.datetime,
            limits: SignInLimits) -> tuple[str, Officer]:
    """Check the password with the rate limit; returns the new session token and the officer."""
    username = username.strip()
    if accounts.sign_in_refused(conn, username, address, now, limits):
        raise SignInRefused("rate_limited")
    row = accounts.check_password(conn, username, password)
    if row is None:
        raise SignInRefused("wrong_password")  # the caller records the failure (this transaction rolls back)
    if row["role"] not in CONSOLE_ROLES:
        raise SignInRefused("not_console_role")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    conn.execute(schema.web_sessions.insert().values(
        session_hash=_digest(token), username=row["username"], csrf=csrf, created_at=format_timestamp(now),
        expires_at=format_timestamp(now + dt.timedelta(hours=SESSION_HOURS))))
    return token, _officer(row, csrf)


def record_failure(conn: Connection, username: str, address: str, now: dt.datetime) -> None:
    accounts.record_failure(conn, username, address, now)


def session_officer(conn: Connection, token: str | None, now: dt.datetime) -> Officer | None:
    if not token:
        return None
    s = schema.web_sessions.c
    session = conn.execute(select(schema.web_sessions).where(s.session_hash == _digest(token))).mappings().first()
    if session is None or session["ended_at"] or parse_timestamp(session["expires_at"]) <= now:
        return None
    row = conn.execute(select(schema.staff).where(schema.staff.c.username == session["username"])).mappings().first()
    if row is None or not row["active"] or row["role"] not in CONSOLE_ROLES:
        return None
    return _officer(row, session["csrf"])


def sign_out(conn: Connection, token: str | None, now: dt.datetime) -> None:
    if token:
        conn.execute(schema.web_sessions.update().where(schema.web_sessions.c.session_hash == _digest(token))
                     .values(ended_at=format_timestamp(now)))


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def new_signin_token() -> str:
    return secrets.token_urlsafe(24)
