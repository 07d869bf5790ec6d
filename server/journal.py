"""A device's uploaded journal batch applied to the province database: one batch, one transaction.

The API's journal route and ``payout-server import-batch`` both come here. The checks themselves are
``server.ingest``'s; a refused batch raises ``ingest.BatchRefused`` (its status and code are the API's answer).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from server import db, ingest
from server.settings import ServerSettings


def apply_journal(engine: Engine, settings: ServerSettings, device_id: str, raw_entries: list[dict[str, Any]],
                  skew_seconds: int | None, pending: int | None = None) -> ingest.BatchOutcome:
    """One batch, one transaction; a unique-key race with a concurrent copy of the batch is retried."""
    for attempt in range(3):
        try:
            with db.transaction(engine) as conn:
                return ingest.apply_batch(conn, device_id=device_id, raw_entries=raw_entries, now=settings.clock(),
                                          skew_seconds=skew_seconds, proxy_limit=settings.proxy_limit, pending=pending)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
