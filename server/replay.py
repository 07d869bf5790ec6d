"""Replay protection: the server accepts each signed call once (``docs/SYNC.md``, replay protection).

A version-2 call carries a fresh random nonce inside its signature; the server records (device, nonce) in the
database, so several worker processes agree, and refuses a nonce it has seen. How long a nonce must be remembered
follows from which calls the server would accept again:

- A call whose signed time is within ``MAX_CLOCK_SKEW`` (5 minutes) of the server's clock is **fresh**. A copy of it
  sent more than ``NONCE_MEMORY`` (10 minutes, server time) after the original arrived is more than 5 minutes old,
  so it is no longer fresh: remembering a fresh call's nonce for 10 minutes covers it.
- A call that is **not fresh** comes from a device whose clock is off. Only its journal upload (and ``GET /device``,
  ``POST /device/sealed-key``) accept it, and only when its signed time is not earlier than the latest signed time
  the server accepted from that device: an honest clock moves forward, while a replayed call is older than the
  calls the device made after it. (A clock set back behind the device's own earlier calls is refused the same way,
  with ``clock_skew``, until it is set right.) Its nonce tells apart two calls signed at the same instant.

So a nonce row may go once it is older than ``NONCE_MEMORY`` **and** a later signed call of the same device is
recorded: the table holds each device's calls of the last 10 minutes plus its latest call — about the number of calls
in 10 minutes plus the number of devices. Pruning runs at most once a minute per process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app.wire import constants
from server import db, schema

NONCE_MEMORY = 2 * constants.MAX_CLOCK_SKEW
"""How long (server time) a fresh call's nonce is remembered: the whole time a copy of it could pass as fresh."""
PRUNE_EVERY = dt.timedelta(minutes=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


class ReplayRefused(Exception):
    """A call the server will not accept again: ``replayed`` (its nonce is known) or ``stale`` (not fresh, and older
    than the device's latest call)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def micros(moment: dt.datetime) -> int:
    """Microseconds since 1970 (UTC), exactly: the nonce table's time unit."""
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


def is_fresh(signed: dt.datetime, now: dt.datetime) -> bool:
    return abs(signed - now) <= constants.MAX_CLOCK_SKEW


@dataclass
class NonceBook:
    """The server's memory of nonces (one per app; the database is shared by every worker process)."""

    engine: Engine
    _pruned_at: dt.datetime | None = field(default=None, repr=False)

    def admit(self, device_id: str, nonce: str, signed: dt.datetime, now: dt.datetime) -> None:
        """Record this call's nonce, or raise ``ReplayRefused`` (nothing recorded then)."""
        n = schema.request_nonces.c
        with db.transaction(self.engine) as conn:
            if conn.execute(select(n.nonce).where(and_(n.device_id == device_id, n.nonce == nonce))).first():
                raise ReplayRefused("replayed")
            if not is_fresh(signed, now):
                latest = conn.execute(select(func.max(n.signed_at)).where(n.device_id == device_id)).scalar()
                if latest is not None and micros(signed) < latest:
                    raise ReplayRefused("stale")
            try:
                conn.execute(schema.request_nonces.insert().values(
                    device_id=device_id, nonce=nonce, signed_at=micros(signed), received_at=micros(now)))
            except IntegrityError:  # the same call arrived twice at once: the other one won
                raise ReplayRefused("replayed") from None
            if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY or now < self._pruned_at:
                prune(conn, now)
                self._pruned_at = now

    def has_signed_with_nonces(self, device_id: str) -> bool:
        """Whether this device already makes version-2 calls (its latest nonce is never pruned): then a version-1
        call claiming to be from it is an old capture, not a device that has not been updated."""
        n = schema.request_nonces.c
        with self.engine.connect() as conn:
            return conn.execute(select(n.nonce).where(n.device_id == device_id).limit(1)).first() is not None


def prune(conn: Connection, now: dt.datetime) -> int:
    """Forget the nonces no copy could pass with any more (see the module docstring); returns how many."""
    table = schema.request_nonces
    later = aliased(table)
    newest_of_device = select(func.max(later.c.signed_at)).where(later.c.device_id == table.c.device_id)
    done = conn.execute(table.delete().where(and_(
        table.c.received_at < micros(now - NONCE_MEMORY),
        table.c.signed_at < newest_of_device.scalar_subquery(),
    )))
    return int(done.rowcount or 0)
