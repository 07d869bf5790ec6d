"""A person's payments as the province holds them: when, where, by whom, which lines, and whether reversed — for
the amendment page, so an officer recording a death or a representative sees what was already paid."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from server import schema

LIMIT = 200
"""The most payments one page lists (a person receives a dozen or so a year)."""


def payments_of(conn: Connection, record_code: str, limit: int = LIMIT) -> list[dict[str, Any]]:
    """The record's stored payments, newest first: ``recorded_at``, ``device_id``, ``label``, ``staff``,
    ``session_id``, ``commune_code``, ``total``, ``lines`` (as the device sent them), ``reversed``; flagged ones
    included (the flag page says why)."""
    e, d, r = schema.entries.c, schema.devices.c, schema.reversals.c
    rows = conn.execute(
        select(e.entry_id, e.recorded_at, e.device_id, d.label, e.staff, e.session_id, e.commune_code, e.total,
               e.payload, r.reversal_entry_id)
        .select_from(schema.entries.join(schema.devices, d.device_id == e.device_id)
                     .outerjoin(schema.reversals, r.payment_entry_id == e.entry_id))
        .where(e.record_code == record_code, e.kind == "payment")
        .order_by(e.recorded_at.desc(), e.id.desc()).limit(limit)
    ).mappings().all()
    out: list[dict[str, Any]] = []
    for row in rows:
        try:
            body = json.loads(bytes(row["payload"]))["body"]
        except (ValueError, KeyError, TypeError):
            body = {}
        out.append({"entry_id": row["entry_id"], "recorded_at": row["recorded_at"], "device_id": row["device_id"],
                    "label": row["label"], "staff": row["staff"], "session_id": row["session_id"],
                    "commune_code": row["commune_code"], "total": row["total"],
                    "lines": [line for line in body.get("lines") or () if isinstance(line, dict)],
                    "recipient": body.get("recipient") if isinstance(body.get("recipient"), dict) else None,
                    "reversed": row["reversal_entry_id"] is not None, "body": body})
    return out
