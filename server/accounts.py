"""Staff, devices, enrolment codes and tokens: who may do what on the province server.

The server is the source of staff: a device receives the Argon2id verifiers of its communes' tellers and supervisors
through the change feed (for offline sign-in) and signs every journal entry with the server's usernames. A staff
token for interactive calls is an HMAC over (user, device, expiry) with a secret kept in the database.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, and_, func, select

from app.domain.journal import format_timestamp, parse_timestamp
from app.wire import codec, constants, signing
from server import db, feed, persons, province, schema
from server.settings import SignInLimits

ROLES = ("teller", "supervisor", "officer", "admin")
DEVICE_ROLES = ("teller", "supervisor")
_HASHER = PasswordHasher()


class AccountError(ValueError):
    """A refused account or device operation, with a code the API answers with (``params`` fill the console's text)."""

    def __init__(self, code: str, message: str, status: int = 400, **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.params = params


# --- staff -----------------------------------------------------------------------------------------------------------


def add_user(conn: Connection, username: str, full_name: str, role: str, password: str, communes: list[str],
             now: dt.datetime, agency: str | None = None) -> None:
    """Create or update a staff member; the devices of their communes learn the verifier through the feed.

    ``agency``: an officer who works for one agency only (``regimes.json`` "agencies") sees that agency's lines,
    lists, flags, progress and settlement only; None: every agency."""
    username = username.strip()
    if not username or not password or role not in ROLES:
        raise AccountError("bad_user", "username, password and a role in " + ", ".join(ROLES) + " are required")
    known = set(province.commune_codes(conn))
    unknown = [code for code in communes if code != "*" and code not in known]
    if unknown:
        raise AccountError("unknown_commune", "unknown commune(s): " + ", ".join(unknown), commune=", ".join(unknown))
    if agency is not None:
        from app.lists.policy import load_policy

        if agency not in load_policy().agencies:
            raise AccountError("unknown_agency", f"unknown agency: {agency}", agency=agency)
    values = {"full_name": full_name.strip() or username, "role": role, "password_hash": _HASHER.hash(password),
              "active": True, "communes": json.dumps(sorted(set(communes))), "agency": agency}
    table = schema.staff
    before = conn.execute(select(table).where(table.c.username == username)).mappings().first()
    if before:
        conn.execute(table.update().where(table.c.username == username).values(**values))
    else:
        conn.execute(table.insert().values(username=username, **values))
    if before is not None and before["role"] in DEVICE_ROLES:
        # Devices of communes this person no longer works in (or all, when they no longer work on devices) must
        # stop accepting their password: they receive the account disabled.
        kept = set(communes) if role in DEVICE_ROLES else set()
        left = set(json.loads(before["communes"])) - kept
        if "*" in kept:
            left = set()
        _publish_disabled(conn, before, left, now)
    publish_staff(conn, username, now)


def set_active(conn: Connection, username: str, active: bool, now: dt.datetime) -> None:
    table = schema.staff
    if conn.execute(table.update().where(table.c.username == username).values(active=active)).rowcount == 0:
        raise AccountError("unknown_user", f"no staff member {username}", 404, username=username)
    publish_staff(conn, username, now)


def publish_staff(conn: Connection, username: str, now: dt.datetime) -> None:
    row = conn.execute(select(schema.staff).where(schema.staff.c.username == username)).mappings().one()
    if row["role"] not in DEVICE_ROLES:
        return
    payload = staff_payload(row)
    communes = json.loads(row["communes"])
    at = format_timestamp(now)
    if "*" in communes:
        feed.add(conn, constants.CHANGE_STAFF, payload, at=at)
    for code in communes:
        if code != "*":
            feed.add(conn, constants.CHANGE_STAFF, payload, commune=code, at=at)


def _publish_disabled(conn: Connection, row: Any, communes: set[str], now: dt.datetime) -> None:
    payload = staff_payload(row, disabled=True)
    at = format_timestamp(now)
    for code in sorted(communes):
        if code == "*":
            feed.add(conn, constants.CHANGE_STAFF, payload, at=at)
        else:
            feed.add(conn, constants.CHANGE_STAFF, payload, commune=code, at=at)


def staff_public(row: Any) -> dict[str, Any]:
    """A ``staff`` row as anyone may read it: who they are (the API's answer about the signed-in member)."""
    return {"username": row["username"], "full_name": row["full_name"], "role": row["role"]}


def staff_payload(row: Any, *, disabled: bool = False) -> dict[str, Any]:
    """A ``staff`` row as the feed sends it to the devices: with the password hash they sign in with, and whether the
    account is active; a member ``disabled`` for a device goes without a hash, inactive."""
    return {**staff_public(row), "password_hash": "" if disabled else row["password_hash"],
            "active": False if disabled else bool(row["active"])}


def check_password(conn: Connection, username: str, password: str) -> Any | None:
    row = conn.execute(select(schema.staff).where(schema.staff.c.username == username)).mappings().first()
    if row is None or not row["active"]:
        _HASHER.hash(password)  # same cost whether or not the user exists
        return None
    try:
        _HASHER.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return row


def sign_in_refused(conn: Connection, username: str, source: str, now: dt.datetime, limits: SignInLimits) -> bool:
    """Whether a sign-in by ``username`` from ``source`` (an address, or ``device:<id>``) is refused for now.

    ``SignInLimits`` explains the three counts. Tries refused here are not counted: only wrong passwords are."""
    f = schema.sign_in_failures.c
    since = format_timestamp(now - limits.window)
    username, source = username.strip()[:64], source[:64]

    def count(*where: Any) -> int:
        return int(conn.execute(select(func.count()).where(and_(f.at >= since, *where))).scalar_one())

    return (count(f.username == username, f.address == source) >= limits.per_user_at_address
            or count(f.address == source) >= limits.per_address
            or count(f.username == username) >= limits.per_user)


def record_failure(conn: Connection, username: str, source: str, now: dt.datetime) -> None:
    conn.execute(schema.sign_in_failures.insert().values(username=username.strip()[:64], address=source[:64],
                                                           at=format_timestamp(now)))


def staff_row(conn: Connection, username: str) -> Any | None:
    return conn.execute(select(schema.staff).where(schema.staff.c.username == username)).mappings().first()


def staff_rows(conn: Connection) -> list[Any]:
    """Every staff account, by username (the console's staff page)."""
    return list(conn.execute(select(schema.staff).order_by(schema.staff.c.username)).mappings().all())


def change_own_password(conn: Connection, username: str, old_password: str, new_password: str,
                        now: dt.datetime) -> None:
    """A staff member changes their own password from a device: the current one must be right."""
    if check_password(conn, username, old_password) is None:
        raise AccountError("sign_in_failed", "the current password is wrong", 401)
    change_password(conn, username, new_password, now)


def change_password(conn: Connection, username: str, new_password: str, now: dt.datetime) -> None:
    if len(new_password) < 6:
        raise AccountError("weak_password", "a password needs at least 6 characters")
    conn.execute(schema.staff.update().where(schema.staff.c.username == username).values(
        password_hash=_HASHER.hash(new_password)))
    publish_staff(conn, username, now)


# --- tokens ----------------------------------------------------------------------------------------------------------


def _secret(conn: Connection) -> bytes:
    value = db.get_meta(conn, "token_secret")
    if value is None:
        value = secrets.token_hex(32)
        db.set_meta(conn, "token_secret", value)
    return bytes.fromhex(value)


def issue_token(conn: Connection, username: str, device_id: str, now: dt.datetime,
                minutes: int) -> tuple[str, dt.datetime]:
    expires = now + dt.timedelta(minutes=minutes)
    verifier = conn.execute(select(schema.staff.c.password_hash).where(schema.staff.c.username == username)).scalar()
    body = json.dumps({"u": username, "d": device_id, "exp": int(expires.timestamp()),
                       "pw": password_version(verifier or "")}, separators=(",", ":"))
    encoded = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    mac = hmac.new(_secret(conn), encoded.encode(), hashlib.sha256).hexdigest()
    return f"{encoded}.{mac}", expires


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires: dt.datetime
    username: str
    full_name: str
    role: str


def token_for_device(engine: Engine, username: str, password: str, device_id: str, device_communes: list[str],
                     now: dt.datetime, minutes: int, limits: SignInLimits) -> IssuedToken:
    """Sign a staff member in on a device: rate limit, password, communes shared with the device, then a token.

    The device stands for the address in ``SignInLimits``: one teller's mistakes on one laptop do not lock them out
    on another. A wrong password is recorded in its own transaction, so the refusal does not roll it back.
    """
    username = username.strip()
    source = f"device:{device_id}"
    with engine.connect() as conn:
        if sign_in_refused(conn, username, source, now, limits):
            raise AccountError("rate_limited", "too many wrong passwords; try again in 15 minutes", 429)
    with db.transaction(engine) as conn:
        row = check_password(conn, username, password)
    if row is None:
        with db.transaction(engine) as conn:
            record_failure(conn, username, source, now)
        raise AccountError("sign_in_failed", "wrong username or password", 401)
    with db.transaction(engine) as conn:
        staff_communes = set(json.loads(row["communes"]))
        if "*" not in staff_communes and not staff_communes & set(device_communes):
            raise AccountError("other_commune", "this staff member does not work in this device's communes", 403)
        token, expires = issue_token(conn, row["username"], device_id, now, minutes)
    return IssuedToken(token, expires, row["username"], row["full_name"], row["role"])


def staff_for_token(conn: Connection, token: str, device_id: str, now: dt.datetime) -> Any:
    """The active staff member a token names, if it was issued to this device under their current password."""
    claims = read_token(conn, token, now)
    if claims.device_id != device_id:
        raise AccountError("bad_token", "this token was issued to another device", 401)
    row = staff_row(conn, claims.username)
    if row is None or not row["active"]:
        raise AccountError("bad_token", "this staff member is not active", 401)
    if claims.password != password_version(row["password_hash"]):
        raise AccountError("token_expired", "the password changed since this token was issued; sign in again", 401)
    return row


def password_version(verifier: str) -> str:
    """Tokens name the password they were issued under: changing the password ends them."""
    return hashlib.sha256(verifier.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class TokenClaims:
    username: str
    device_id: str
    expires: dt.datetime
    password: str = ""


def read_token(conn: Connection, token: str, now: dt.datetime) -> TokenClaims:
    try:
        encoded, mac = token.split(".", 1)
        if not hmac.compare_digest(hmac.new(_secret(conn), encoded.encode(), hashlib.sha256).hexdigest(), mac):
            raise ValueError("bad mac")
        claims = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        expires = dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC)
        result = TokenClaims(str(claims["u"]), str(claims["d"]), expires, str(claims.get("pw", "")))
    except (ValueError, KeyError, TypeError):
        raise AccountError("bad_token", "the staff token is not valid; sign in again", 401) from None
    if expires <= now:
        raise AccountError("token_expired", "the staff token has expired; sign in again", 401)
    return result


# --- devices and enrolment -------------------------------------------------------------------------------------------


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def make_enrol_code(conn: Connection, communes: list[str], now: dt.datetime, hours: int, label: str = "") -> str:
    """A one-time code binding the device that uses it to ``communes`` (shown once, stored hashed)."""
    known = set(province.commune_codes(conn))
    unknown = [code for code in communes if code not in known]
    if not communes or unknown:
        raise AccountError("unknown_commune", "unknown commune(s): " + ", ".join(unknown or ["(none)"]),
                           commune=", ".join(unknown))
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    code = "-".join(raw[i:i + 4] for i in range(0, 12, 4))
    conn.execute(schema.enrol_codes.insert().values(
        code_hash=_hash_code(code), communes=json.dumps(sorted(set(communes))), label=label,
        created_at=format_timestamp(now), expires_at=format_timestamp(now + dt.timedelta(hours=hours)),
    ))
    return code


def enrol(conn: Connection, code: str, device_id: str, public_key: str, label: str, now: dt.datetime) -> list[str]:
    """Use a one-time code: register the device's public key and bind it to the code's communes."""
    if not signing.valid_public_key(public_key):
        raise AccountError("bad_public_key", "the public key is not an Ed25519 key")
    table = schema.enrol_codes
    row = conn.execute(
        select(table).where(table.c.code_hash == _hash_code(code)).with_for_update()
    ).mappings().first()
    if row is None:
        raise AccountError("bad_enrol_code", "this enrolment code is unknown or already used", 403)
    existing = conn.execute(select(schema.devices).where(schema.devices.c.device_id == device_id)).mappings().first()
    if existing is not None and existing["public_key"] == public_key and existing["status"] == "active" \
            and row["used_by"] in (None, device_id):
        # The same device with the same key: its earlier answer was lost. Answer again; a new code stays unused.
        return json.loads(existing["communes"])
    if row["used_by"] is not None:
        raise AccountError("bad_enrol_code", "this enrolment code is unknown or already used", 403)
    if parse_timestamp(row["expires_at"]) < now:
        raise AccountError("enrol_code_expired", "this enrolment code has expired", 403)
    if conn.execute(select(schema.devices.c.device_id).where(schema.devices.c.device_id == device_id)).first():
        raise AccountError("device_exists", "a device with this id is already enrolled", 409)
    at = format_timestamp(now)
    conn.execute(table.update().where(table.c.code_hash == row["code_hash"]).values(used_by=device_id, used_at=at))
    conn.execute(schema.devices.insert().values(
        device_id=device_id, public_key=public_key, label=label or row["label"], communes=row["communes"],
        status="active", enrolled_at=at, last_seq=0, head_hash="0" * 64,
    ))
    conn.execute(schema.device_assignments.insert().values(device_id=device_id, communes=row["communes"], from_at=at))
    return json.loads(row["communes"])


def enrol_device(conn: Connection, code: str, device_id: str, public_key: str, label: str,
                 now: dt.datetime) -> tuple[list[str], str]:
    """``enrol``, and the province recovery public key the device seals its database key to."""
    communes = enrol(conn, code, device_id, public_key, label, now)
    return communes, db.get_meta(conn, "recovery_public_key") or ""


def store_sealed_key(conn: Connection, device_id: str, sealed_key: str) -> Any:
    """Keep the device's database key sealed to the province recovery key: write-once, never by a revoked device."""
    table = schema.devices
    row = conn.execute(select(table.c.status, table.c.sealed_key).where(table.c.device_id == device_id)
                       .with_for_update()).first()
    if row is None:
        raise AccountError("unknown_device", "this device is not enrolled", 401)
    if row.status == "revoked":
        raise AccountError("device_revoked", "a revoked device cannot replace its sealed key", 403)
    if row.sealed_key and row.sealed_key != sealed_key:
        raise AccountError("sealed_key_exists", "this device's sealed key is already stored (write-once)", 409)
    conn.execute(table.update().where(table.c.device_id == device_id).values(sealed_key=sealed_key))
    return device_row(conn, device_id)


def revoke(conn: Connection, device_id: str, reason: str, now: dt.datetime) -> None:
    table = schema.devices
    done = conn.execute(table.update().where(table.c.device_id == device_id).values(
        status="revoked", revoked_at=format_timestamp(now), revoked_reason=reason))
    if done.rowcount == 0:
        raise AccountError("unknown_device", f"no device {device_id}", 404)


def assign_communes(conn: Connection, device_id: str, communes: list[str], now: dt.datetime) -> None:
    """Reassign a device's communes; it receives a snapshot of each commune it gains. The assignment is kept with
    its time (``device_assignments``): the payout days the device opened before it are judged by the old one."""
    table = schema.devices
    row = conn.execute(select(table.c.communes).where(table.c.device_id == device_id)).scalar()
    if row is None:
        raise AccountError("unknown_device", f"no device {device_id}", 404)
    known = set(province.commune_codes(conn))
    if not communes or any(code not in known for code in communes):
        raise AccountError("unknown_commune", "unknown commune(s)")
    gained = sorted(set(communes) - set(json.loads(row)))
    assigned = json.dumps(sorted(set(communes)))
    at = format_timestamp(now)
    conn.execute(table.update().where(table.c.device_id == device_id).values(communes=assigned))
    conn.execute(schema.device_assignments.insert().values(device_id=device_id, communes=assigned, from_at=at))
    feed.add(conn, constants.CHANGE_COMMUNES, {"communes": sorted(set(communes))}, device_id=device_id, at=at)
    for code in gained:
        feed.add(conn, constants.CHANGE_LIST, province.snapshot_fragment(conn, code), device_id=device_id, at=at)
        for link in persons.standing_in_commune(conn, code):  # who is one person, as officers decided
            feed.add(conn, constants.CHANGE_PERSON_LINK, codec.person_link_to_wire(link), device_id=device_id, at=at)
        staff_rows = conn.execute(select(schema.staff).where(schema.staff.c.role.in_(DEVICE_ROLES))).mappings()
        for staff_row in staff_rows:
            if code in json.loads(staff_row["communes"]):
                feed.add(conn, constants.CHANGE_STAFF, staff_payload(staff_row), device_id=device_id, at=at)


def device_row(conn: Connection, device_id: str) -> Any | None:
    return conn.execute(select(schema.devices).where(schema.devices.c.device_id == device_id)).mappings().first()
