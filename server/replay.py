"""Replay protection: the server accepts each signed call once (``docs/SYNC.md``, replay protection).

A version-2 call carries a fresh random nonce inside its signature; the server records (device, nonce) in the
database, so several worker processes agree, and refuses a nonce it has seen. How long a nonce must be remembered
follows from when the server would accept the same call again:

- Most calls (the feed, tokens, staff calls) are accepted only when **fresh**: their signed time within
  ``MAX_CLOCK_SKEW`` (5 minutes) of the server's clock. A copy sent more than ``NONCE_MEMORY`` (10 minutes, server
  time) after the original arrived is no longer fresh, so remembering their nonces for 10 minutes covers them.
- A few calls are accepted **whatever the device's clock says**, because their content must never wait on a clock:
  the journal upload (the cash has left; a device whose clock is off uploads, flagged) and the device's own status
  and sealed key. Their nonces are **kept**: never forgotten, so a copy is refused however late it comes. They are
  few — one per upload batch of up to 500 entries, the sealed key once, the status on demand — so the table grows
  with the journal, at a small fraction of its size.

A device whose clock was set back (a dead CMOS battery, a wrong time zone) therefore still uploads, flagged
``clock_skew``, and is never refused for its clock: nothing orders calls by wall clock. Pruning of the other nonces
runs at most once a minute per process and keeps each device's newest call (which tells a device that already signs
with nonces from one not yet updated).
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
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class ReplayRefused(Exception):
    """A call the server will not accept again: ``replayed`` (its nonce is known)."""

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

    def admit(self, device_id: str, nonce: str, signed: dt.datetime, now: dt.datetime, *, any_time: bool) -> None:
        """Record this call's nonce, or raise ``ReplayRefused`` (nothing recorded then).

        ``any_time``: the route accepts this call whatever its signed time (see the module docstring), so its nonce is
        kept for good; a call that is not fresh can only reach here on such a route, and is kept too.
        """
        n = schema.request_nonces.c
        with db.transaction(self.engine) as conn:
            if conn.execute(select(n.nonce).where(and_(n.device_id == device_id, n.nonce == nonce))).first():
                raise ReplayRefused("replayed")
            try:
                conn.execute(schema.request_nonces.insert().values(
                    device_id=device_id, nonce=nonce, signed_at=micros(signed), received_at=micros(now),
                    kept=any_time or not is_fresh(signed, now)))
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
        table.c.kept.is_(False),
        table.c.received_at < micros(now - NONCE_MEMORY),
        table.c.signed_at < newest_of_device.scalar_subquery(),
    )))
    return int(done.rowcount or 0)
