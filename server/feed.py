"""The change feed: every change a device must learn, numbered, read in pages from a cursor.

A device's cursor is the last ``change_id`` it applied. Numbers come from an auto-increment, which on PostgreSQL can
commit out of order (a reader could skip a number a slower transaction commits later); so every writer of the feed
first takes one row lock (``feed_lock`` in ``server_meta``), which makes the feed's numbers commit in order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select

from app.wire import constants
from server import schema

FEED_LOCK = "feed_lock"


def lock(conn: Connection) -> None:
    """Serialise feed writers until the caller's transaction ends."""
    meta = schema.server_meta
    row = conn.execute(select(meta.c.value).where(meta.c.key == FEED_LOCK).with_for_update()).first()
    if row is None:
        conn.execute(insert(meta).values(key=FEED_LOCK, value="1"))


def add(conn: Connection, kind: str, payload: Mapping[str, Any], *, commune: str | None = None,
        device_id: str | None = None, at: str) -> None:
    """One feed item for the devices of ``commune`` (or one device, or every device when both are None)."""
    lock(conn)
    conn.execute(schema.changes.insert().values(
        commune_code=commune, device_id=device_id, kind=kind,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True), created_at=at,
    ))


def add_many(conn: Connection, items: Iterable[dict[str, Any]]) -> None:
    rows = [dict(item, payload=json.dumps(item["payload"], ensure_ascii=False, sort_keys=True)) for item in items]
    if rows:
        lock(conn)
        conn.execute(schema.changes.insert(), rows)


def add_flags(conn: Connection, flag_rows: list[dict[str, Any]]) -> None:
    """Store flags and tell the devices of each flag's commune (both devices of a double payment see it), and of
    the other communes it names (``also_communes``: a payment outside the device's communes)."""
    lock(conn)
    for given in flag_rows:
        row = dict(given)
        also = [code for code in row.pop("also_communes", None) or () if code and code != row["commune_code"]]
        flag_id = conn.execute(schema.flags.insert().values(**row).returning(schema.flags.c.flag_id)).scalar_one()
        payload = flag_payload(flag_id, row)
        if also:
            conn.execute(schema.flag_communes.insert(), [{"flag_id": flag_id, "commune_code": code} for code in also])
        conn.execute(schema.changes.insert().values(
            commune_code=row["commune_code"], device_id=None if row["commune_code"] else row["device_id"],
            kind=constants.CHANGE_FLAG, payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            created_at=row["created_at"],
        ))
        for code in also:
            conn.execute(schema.changes.insert().values(
                commune_code=code, device_id=None, kind=constants.CHANGE_FLAG,
                payload=json.dumps(payload, ensure_ascii=False, sort_keys=True), created_at=row["created_at"],
            ))
        if row.get("other_entry_id") and row["kind"] == constants.FLAG_DOUBLE_PAYMENT:
            other_device = json.loads(row["detail"]).get("other_device")
            if other_device and other_device != row["device_id"] and not row["commune_code"]:
                conn.execute(schema.changes.insert().values(
                    commune_code=None, device_id=other_device, kind=constants.CHANGE_FLAG,
                    payload=json.dumps(payload, ensure_ascii=False, sort_keys=True), created_at=row["created_at"],
                ))


def flag_payload(flag_id: int, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "flag_id": flag_id,
        "kind": row["kind"],
        "entry_id": row["entry_id"],
        "other_entry_id": row.get("other_entry_id"),
        "device_id": row["device_id"],
        "line_key": row.get("line_key"),
        "record_code": row.get("record_code"),
        "detail": json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"],
        "created_at": row["created_at"],
        "resolution": row.get("resolution"),
    }


def page(conn: Connection, *, device_id: str, communes: list[str], after: int,
         limit: int) -> tuple[list[dict[str, Any]], bool]:
    """Items after ``after`` for this device: its communes', its own, and everyone's; and whether more follow."""
    c = schema.changes.c
    visible = or_(
        c.commune_code.in_(communes) if communes else False,
        c.device_id == device_id,
        and_(c.commune_code.is_(None), c.device_id.is_(None)),
    )
    rows = conn.execute(
        select(c.change_id, c.kind, c.commune_code, c.payload, c.created_at)
        .where(and_(c.change_id > after, visible))
        .order_by(c.change_id)
        .limit(limit + 1)
    ).all()
    items = [
        {"change_id": int(row[0]), "kind": row[1], "commune_code": row[2], "payload": json.loads(row[3]),
         "created_at": row[4]}
        for row in rows[:limit]
    ]
    return items, len(rows) > limit


def latest_id(conn: Connection) -> int:
    from sqlalchemy import func

    return int(conn.execute(select(func.coalesce(func.max(schema.changes.c.change_id), 0))).scalar_one())
