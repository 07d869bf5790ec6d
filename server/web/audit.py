"""The audit log: every console action, who, when, what and why — rows only ever inserted (triggers refuse edits)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, select

from app.domain.journal import format_timestamp
from server import schema


def record(conn: Connection, username: str, action: str, target: str = "", reason: str = "",
           detail: dict[str, Any] | None = None, *, now: dt.datetime) -> None:
    conn.execute(schema.audit_log.insert().values(
        at=format_timestamp(now), username=username, action=action, target=target, reason=reason,
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)))


def recent(conn: Connection, limit: int = 500, username: str | None = None) -> list[dict[str, Any]]:
    a = schema.audit_log.c
    query = select(schema.audit_log).order_by(a.audit_id.desc()).limit(limit)
    if username:
        query = query.where(a.username == username)
    return [dict(row, detail=json.loads(row["detail"])) for row in conn.execute(query).mappings()]
