"""PostgreSQL advisory locks that make an upload and a change to a person's death or representative see each other.

An upload judges its payments against the people as stored (``server.ingest``); recording a death or a
representative judges the stored payments again (``server.ingest.review.after_death``). On PostgreSQL, under READ
COMMITTED, the two running at the same moment would each miss the other's uncommitted rows, and a payment after a
death would be flagged by neither. So both take a transaction-scoped lock on the person first: an upload a *shared*
one for each person it pays (uploads never wait on each other), a death, representative or decision an *exclusive*
one. Whichever commits second then sees the first.

People are locked by bucket (``PERSON_BUCKETS``), not one by one, so a list that records thousands of deaths takes
a bounded number of locks (PostgreSQL keeps advisory locks in a shared table of fixed size). Every caller takes all
its locks in one statement, in the order of their hashes, together with the upload's line and proxy locks, so no
two transactions ever wait on each other in a cycle. SQLite has a single writer, which serialises all of this anyway.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from sqlalchemy import Connection, text

PERSON_BUCKETS = 1024


def person_key(record_code: str) -> str:
    """The lock key of a person (their bucket)."""
    return f"person:{zlib.crc32(record_code.encode('utf-8')) % PERSON_BUCKETS}"


def take(conn: Connection, exclusive: Iterable[str] = (), shared: Iterable[str] = ()) -> None:
    """Take these advisory locks until the transaction ends, in hash order; a key asked for both ways is exclusive."""
    if conn.dialect.name != "postgresql":
        return
    modes: dict[str, bool] = dict.fromkeys(shared, True)
    modes.update(dict.fromkeys(exclusive, False))
    if not modes:
        return
    keys = sorted(modes)
    conn.execute(text(
        "SELECT CASE WHEN s THEN pg_advisory_xact_lock_shared(h)::text ELSE pg_advisory_xact_lock(h)::text END "
        "FROM (SELECT hashtextextended(k, 7) AS h, bool_and(s) AS s "
        "FROM unnest(CAST(:keys AS text[]), CAST(:shared AS boolean[])) AS t(k, s) GROUP BY 1) locks ORDER BY h"
    ), {"keys": keys, "shared": [modes[key] for key in keys]})


def lock_people(conn: Connection, record_codes: Iterable[str]) -> None:
    """Exclusive locks on these people: their death or representative is about to change."""
    take(conn, exclusive={person_key(code) for code in record_codes})
