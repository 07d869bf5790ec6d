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


PERSON_ACTIONS = ("amend_", "person_add", "contradiction_")
"""Actions whose target is a person's record code: the log page names the person beside the code."""


def recent(conn: Connection, limit: int = 500, username: str | None = None) -> list[dict[str, Any]]:
    """The newest actions, each with ``target_name``: the person, device or communes its target code stands for."""
    a = schema.audit_log.c
    query = select(schema.audit_log).order_by(a.audit_id.desc()).limit(limit)
    if username:
        query = query.where(a.username == username)
    rows = [dict(row, detail=json.loads(row["detail"])) for row in conn.execute(query).mappings()]
    people = _names(conn, schema.people.c.record_code, schema.people.c.full_name,
                    {row["target"] for row in rows if row["action"].startswith(PERSON_ACTIONS)})
    devices = _names(conn, schema.devices.c.device_id, schema.devices.c.label,
                     {row["target"] for row in rows if row["action"] == "device_revoke"})
    communes = _names(conn, schema.communes.c.code, schema.communes.c.name,
                      {code for row in rows if row["action"] == "enrol_code" for code in row["target"].split(",")})
    for row in rows:
        target, action = row["target"], row["action"]
        if action.startswith(PERSON_ACTIONS) and target in people:
            row["target_name"] = f"{people[target]} ({target})"
        elif action == "device_revoke" and devices.get(target):
            row["target_name"] = devices[target]
        elif action.startswith("flag_") and target.startswith("flag "):
            row["target_name"] = f"#{target.removeprefix('flag ')}"
        elif action == "enrol_code":
            row["target_name"] = ", ".join(communes.get(code, code) for code in target.split(",") if code)
        else:
            row["target_name"] = target
    return rows


def _names(conn: Connection, key: Any, name: Any, codes: set[str]) -> dict[str, str]:
    """Names by code for the codes given (a few hundred at most: the page shows 500 actions)."""
    found: dict[str, str] = {}
    wanted = sorted(code for code in codes if code)
    for start in range(0, len(wanted), 500):
        rows = conn.execute(select(key, name).where(key.in_(wanted[start:start + 500])))
        found.update((row[0], row[1]) for row in rows)
    return found
