"""Flag review: the queue with its evidence, append-only resolutions, and a second officer's approval for write-offs.

A flag is *open* until resolved; a resolution that writes money off is *pending* until a different officer approves
it (or rejects it, which reopens the flag). Nothing is edited: each proposal and each approval is a new row. When a
flag is finally resolved, the devices of its commune learn it through the change feed.

A flag belongs to its entry's commune (``flags.commune_code``) and may name more communes whose officers see it too
(``flag_communes``): a payment outside its device's communes is seen by the person's commune and the device's, and
either may resolve it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, or_, select, text

from app.domain.journal import format_timestamp
from app.wire import constants
from server import feed, schema

OUTCOMES = ("recovered", "legitimate", "write_off", "corrected", "other")


class FlagError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class FlagState:
    state: str  # open, pending, resolved
    resolution: dict[str, Any] | None
    approval: dict[str, Any] | None


def _state_sql() -> str:
    return (
        "CASE WHEN EXISTS (SELECT 1 FROM flag_resolutions r WHERE r.flag_id = f.flag_id AND (r.write_off = 0 OR "
        "  EXISTS (SELECT 1 FROM resolution_approvals a WHERE a.resolution_id = r.resolution_id AND a.approved))) "
        "THEN 'resolved' WHEN EXISTS (SELECT 1 FROM flag_resolutions r WHERE r.flag_id = f.flag_id AND r.write_off > 0 "
        "  AND NOT EXISTS (SELECT 1 FROM resolution_approvals a WHERE a.resolution_id = r.resolution_id)) "
        "THEN 'pending' ELSE 'open' END"
    )


_IN_SCOPE = ("(f.commune_code IN :scope OR EXISTS (SELECT 1 FROM flag_communes fc WHERE fc.flag_id = f.flag_id "
             "AND fc.commune_code IN :scope))")
"""A flag an officer of the communes ``:scope`` sees: of one of them, or naming one of them."""


_AGENCY_SQL = ("coalesce((SELECT ln.agency FROM lines ln WHERE ln.line_key = f.line_key), "
               "(SELECT pa.agency FROM people pa WHERE pa.record_code = f.record_code), '')")
"""A flag's agency: its line's, else its record's; "" for a flag about no agency's line or record (a device's
clock, a fork, a record from before lists named their agency), which every agency's officers see."""


def also_communes(conn: Connection, flag_id: int) -> list[str]:
    """The other communes whose officers see this flag."""
    fc = schema.flag_communes.c
    return list(conn.execute(select(fc.commune_code).where(fc.flag_id == flag_id).order_by(fc.commune_code)).scalars())


def queue(conn: Connection, scope: Iterable[str] | None, state: str = "open", kind: str | None = None,
          limit: int = 500, flag_id: int | None = None, agency: str | None = None, entry_id: str | None = None,
          upload: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """Flags with their state and agency, newest first, limited to the officer's communes (and agency); or those of
    one entry, or of one upload (device, time of arrival)."""
    sql = (f"SELECT f.flag_id, f.kind, f.entry_id, f.other_entry_id, f.device_id, f.commune_code, f.line_key, "
           f"f.record_code, f.detail, f.created_at, p.full_name, c.name AS commune_name, {_state_sql()} AS state, "
           f"{_AGENCY_SQL} AS agency "
           "FROM flags f LEFT JOIN people p ON p.record_code = f.record_code "
           "LEFT JOIN communes c ON c.code = f.commune_code WHERE 1 = 1")
    params: dict[str, Any] = {"limit": limit}
    statement_binds: list[BindParameter[Any]] = []
    if scope is not None:
        sql += f" AND {_IN_SCOPE}"
        params["scope"] = sorted(scope) or ["-"]
        statement_binds.append(bindparam("scope", expanding=True))
    if kind:
        sql += " AND f.kind = :kind"
        params["kind"] = kind
    if flag_id is not None:
        sql += " AND f.flag_id = :flag_id"
        params["flag_id"] = flag_id
    if entry_id is not None:
        sql += " AND f.entry_id = :entry_id"
        params["entry_id"] = entry_id
    if upload is not None:
        sql += " AND f.device_id = :upload_device AND f.created_at = :upload_at"
        params["upload_device"], params["upload_at"] = upload
    sql = f"SELECT * FROM ({sql}) q WHERE 1 = 1"
    if state != "all":
        sql += " AND q.state = :state"
        params["state"] = state
    if agency is not None:
        sql += " AND q.agency IN (:agency, '')"
        params["agency"] = agency
    sql += " ORDER BY q.flag_id DESC LIMIT :limit"
    statement = text(sql).bindparams(*statement_binds) if statement_binds else text(sql)
    return [dict(row, detail=json.loads(row["detail"])) for row in conn.execute(statement, params).mappings()]


def counts(conn: Connection, scope: Iterable[str] | None, agency: str | None = None) -> dict[str, int]:
    """How many **incidents** (``incident_key``) are open, awaiting approval and resolved — the numbers the flag
    queue lists — counted in SQL (the progress page asks every load): an incident is open while one of its flags is,
    awaiting approval while one is, else resolved."""
    sql = f"SELECT {_incident_sql()} AS incident, {_state_sql()} AS state FROM flags f WHERE 1 = 1"
    params: dict[str, Any] = {}
    if scope is not None:
        sql += f" AND {_IN_SCOPE}"
        params["scope"] = sorted(scope) or ["-"]
    if agency is not None:
        sql += f" AND {_AGENCY_SQL} IN (:agency, '')"
        params["agency"] = agency
    ranked = ("CASE WHEN max(CASE WHEN q.state = 'open' THEN 1 ELSE 0 END) = 1 THEN 'open' "
              "WHEN max(CASE WHEN q.state = 'pending' THEN 1 ELSE 0 END) = 1 THEN 'pending' ELSE 'resolved' END")
    statement = text(f"SELECT i.state, count(*) FROM (SELECT {ranked} AS state FROM ({sql}) q GROUP BY q.incident) i "
                     "GROUP BY i.state")
    if scope is not None:
        statement = statement.bindparams(bindparam("scope", expanding=True))
    out = {"open": 0, "pending": 0, "resolved": 0}
    out.update({state: int(count) for state, count in conn.execute(statement, params).all()})
    return out


def _incident_sql() -> str:
    """``incident_key`` in SQL (the kinds about the device from ``DEVICE_KINDS``, so the two agree)."""
    kinds = ", ".join(f"'{kind}'" for kind in DEVICE_KINDS)
    return (f"CASE WHEN f.kind IN ({kinds}) THEN f.kind || '|' || f.device_id || '|' || f.created_at "
            "ELSE f.kind || '|' || f.entry_id END")


def flag(conn: Connection, flag_id: int) -> dict[str, Any] | None:
    """One flag with its state and ``also_communes``."""
    rows = queue(conn, None, state="all", limit=1, flag_id=flag_id)
    return dict(rows[0], also_communes=also_communes(conn, flag_id)) if rows else None


def evidence(conn: Connection, flag_row: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries a flag is about (the flagged one, and the other payment of a double payment)."""
    ids = [flag_row["entry_id"]] + ([flag_row["other_entry_id"]] if flag_row.get("other_entry_id") else [])
    return entries_of(conn, ids)


def entries_of(conn: Connection, ids: list[str]) -> list[dict[str, Any]]:
    """Stored entries in the order asked, each with its device's label, its body and its signature's digest."""
    e = schema.entries.c
    rows = conn.execute(
        select(e.entry_id, e.device_id, e.seq, e.kind, e.payload, e.recorded_at, e.received_at, e.staff, e.total,
               e.payout_period, schema.devices.c.label,
               schema.signatures.c.digest.label("signature_digest"))
        .select_from(schema.entries.join(schema.devices, schema.devices.c.device_id == e.device_id)
                     .outerjoin(schema.signatures, schema.signatures.c.entry_id == e.entry_id))
        .where(e.entry_id.in_(ids))
    ).mappings().all()
    by_id = {row["entry_id"]: dict(row, body=json.loads(bytes(row["payload"]))["body"]) for row in rows}
    return [by_id[entry_id] for entry_id in ids if entry_id in by_id]


def signature(conn: Connection, entry_id: str) -> tuple[bytes, set[str | None]] | None:
    """A payment's signature strokes and the communes whose officers may see it: its entry's, and those of the flags
    about it (the console checks the officer may see one)."""
    s, e, f, fc = schema.signatures.c, schema.entries.c, schema.flags.c, schema.flag_communes.c
    row = conn.execute(select(s.strokes, e.commune_code)
                       .select_from(schema.signatures.join(schema.entries, e.entry_id == s.entry_id))
                       .where(s.entry_id == entry_id)).first()
    if row is None:
        return None
    about = or_(f.entry_id == entry_id, f.other_entry_id == entry_id)
    communes: set[str | None] = {row[1]}
    communes.update(conn.execute(select(f.commune_code).where(about)).scalars())
    communes.update(conn.execute(select(fc.commune_code).select_from(
        schema.flag_communes.join(schema.flags, f.flag_id == fc.flag_id)).where(about)).scalars())
    return bytes(row[0]), communes


def history(conn: Connection, flag_id: int) -> list[dict[str, Any]]:
    r, a = schema.flag_resolutions.c, schema.resolution_approvals.c
    rows = conn.execute(
        select(r.resolution_id, r.outcome, r.reason, r.write_off, r.by_user, r.at,
               a.by_user.label("approved_by"), a.at.label("approved_at"), a.approved, a.reason.label("approval_reason"))
        .select_from(schema.flag_resolutions.outerjoin(schema.resolution_approvals,
                                                       a.resolution_id == r.resolution_id))
        .where(r.flag_id == flag_id).order_by(r.resolution_id)
    ).mappings().all()
    return [dict(row) for row in rows]


def resolve(conn: Connection, flag_id: int, outcome: str, reason: str, write_off: int, by_user: str,
            now: dt.datetime) -> dict[str, Any]:
    """Record a resolution; a write-off waits for a second officer, anything else resolves the flag now."""
    row = flag(conn, flag_id)
    if row is None:
        raise FlagError("not_found", "Không có cờ này / no such flag")
    if row["state"] != "open":
        raise FlagError("not_open", "Cờ này không còn mở / this flag is not open")
    _check_resolution(outcome, reason, write_off)
    at = format_timestamp(now)
    resolution_id = conn.execute(schema.flag_resolutions.insert().values(
        flag_id=flag_id, outcome=outcome, reason=reason.strip(), write_off=write_off, by_user=by_user, at=at,
    ).returning(schema.flag_resolutions.c.resolution_id)).scalar_one()
    if write_off == 0:
        _tell_devices(conn, row, f"{outcome}: {reason.strip()}", at)
    return {"resolution_id": resolution_id, "pending": write_off > 0}


def _check_resolution(outcome: str, reason: str, write_off: int) -> None:
    """A known outcome, a reason, and a positive amount exactly when the outcome is a write-off."""
    if outcome not in OUTCOMES:
        raise FlagError("bad_outcome", "Kết quả không hợp lệ / unknown outcome")
    if not reason.strip():
        raise FlagError("reason_required", "Cần ghi lý do / a reason is required")
    if write_off < 0 or (outcome == "write_off") != (write_off > 0):
        raise FlagError("bad_write_off", "Xóa nợ cần số tiền lớn hơn 0 / a write-off needs a positive amount")


def approve(conn: Connection, flag_id: int, approved: bool, reason: str, by_user: str, now: dt.datetime) -> None:
    """A second officer approves (or rejects) the pending write-off of a flag."""
    row = flag(conn, flag_id)
    if row is None:
        raise FlagError("not_found", "Không có cờ này / no such flag")
    pending = [item for item in history(conn, flag_id) if item["write_off"] > 0 and item["approved_by"] is None]
    if row["state"] != "pending" or not pending:
        raise FlagError("not_pending", "Cờ này không chờ phê duyệt / nothing awaits approval")
    proposal = pending[-1]
    if proposal["by_user"] == by_user:
        raise FlagError("same_officer", "Cần một cán bộ khác phê duyệt / a second officer must approve")
    if not approved and not reason.strip():
        raise FlagError("rejection_needs_reason", "Từ chối cần lý do / a rejection needs a reason")
    at = format_timestamp(now)
    conn.execute(schema.resolution_approvals.insert().values(
        resolution_id=proposal["resolution_id"], by_user=by_user, at=at, approved=approved, reason=reason.strip()))
    if approved:
        _tell_devices(conn, row, f"write_off {proposal['write_off']}: {proposal['reason']}", at)


def _tell_devices(conn: Connection, row: dict[str, Any], resolution: str, at: str) -> None:
    payload = feed.flag_payload(row["flag_id"], {**row, "detail": row["detail"], "resolution": resolution})
    feed.add(conn, constants.CHANGE_FLAG, payload, commune=row["commune_code"],
             device_id=None if row["commune_code"] else row["device_id"], at=at)
    for code in row.get("also_communes") or also_communes(conn, row["flag_id"]):
        feed.add(conn, constants.CHANGE_FLAG, payload, commune=code, at=at)


# --- incidents: the flags one decision covers ------------------------------------------------------------------------

DEVICE_KINDS = (constants.FLAG_REVOKED_DEVICE, constants.FLAG_CLOCK_SKEW)
"""Kinds about the device, not the entry: every entry of one upload carries them."""


def incident_key(row: dict[str, Any]) -> str:
    """What makes flags one incident, so an officer decides once for what happened once.

    - A flag about an entry's content (a double payment, a payment after a death, while suspended, an amount unlike
      the list, an unknown line, an expired authorisation, a proxy paid for too many people, a fork, a broken chain,
      a closure unlike the server's count, a payment outside the device's communes, unreadable content): **its kind
      and its flagged entry**. A double payment of one person (the second payment, by another device or on another
      visit, of lines already paid) is one incident with all its lines and both payments; a payment after a death is
      one incident per payment, whatever number of its lines the death bars.
    - A flag about the device (a revoked device, a clock more than 5 minutes off): **its kind, its device and the
      upload that carried it** (``created_at``, the batch's time of arrival): one upload is one incident, not one per
      entry it carried.

    The key is derived from the flag's own columns, so flags stored before incidents existed group the same way.
    """
    if row["kind"] in DEVICE_KINDS:
        return f"{row['kind']}|{row['device_id']}|{row['created_at']}"
    return f"{row['kind']}|{row['entry_id']}"


def _incident_state(states: Iterable[str]) -> str:
    """Open while one of its flags is open; awaiting approval while one is pending; else resolved."""
    seen = set(states)
    return "open" if "open" in seen else ("pending" if "pending" in seen else "resolved")


def _line_amounts(conn: Connection, entry_ids: Iterable[str]) -> dict[str, tuple[dict[str, int], int | None]]:
    """Each entry's paid amount per line key and its total (None when it is not a payment's)."""
    wanted = sorted({entry_id for entry_id in entry_ids if entry_id})
    e = schema.entries.c
    out: dict[str, tuple[dict[str, int], int | None]] = {}
    for start in range(0, len(wanted), 500):
        for entry_id, kind, payload, total in conn.execute(
                select(e.entry_id, e.kind, e.payload, e.total).where(e.entry_id.in_(wanted[start:start + 500]))):
            amounts: dict[str, int] = {}
            if kind == "payment":
                try:
                    for line in json.loads(bytes(payload))["body"].get("lines") or ():
                        amounts[str(line["key"])] = amounts.get(str(line["key"]), 0) + int(line["amount"])
                except (ValueError, TypeError, KeyError, AttributeError):
                    amounts = {}
            out[entry_id] = (amounts, int(total) if total is not None else None)
    return out


def _grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flags gathered into incidents (by ``incident_key``), newest incident first, without their amounts."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(incident_key(row), []).append(row)
    out = []
    for key, flags in grouped.items():
        flags.sort(key=lambda row: row["flag_id"])
        first = flags[0]
        out.append({
            "incident_id": first["flag_id"], "key": key, "kind": first["kind"], "flags": flags,
            "state": _incident_state(row["state"] for row in flags),
            "commune_code": first["commune_code"], "commune_name": first.get("commune_name"),
            "record_code": first["record_code"], "full_name": first.get("full_name"), "agency": first["agency"],
            "device_id": first["device_id"], "entry_id": first["entry_id"],
            "created_at": min(row["created_at"] for row in flags),
            "lines": sorted({row["line_key"] for row in flags if row["line_key"]}), "amount": 0,
        })
    out.sort(key=lambda item: item["incident_id"], reverse=True)
    return out


def _with_amounts(conn: Connection, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each incident's amount at stake, summed: every flagged line's amount in its flagged payment (a line once),
    and an entry's total where a flag names no line (a fork, a clock); each flag gets its line's ``amount``."""
    amounts = _line_amounts(conn, [row["entry_id"] for item in found for row in item["flags"]])
    for item in found:
        counted: set[tuple[str, str | None]] = set()
        for row in item["flags"]:
            by_line, total = amounts.get(row["entry_id"], ({}, None))
            row["amount"] = by_line.get(row["line_key"] or "")
            entry_line = (row["entry_id"], row["line_key"] if row["line_key"] in by_line else None)
            if entry_line in counted:
                continue
            counted.add(entry_line)
            item["amount"] += by_line[row["line_key"]] if entry_line[1] is not None else (total or 0)
    return found


def incidents(conn: Connection, scope: Iterable[str] | None, state: str = "open", kind: str | None = None,
              limit: int = 500, agency: str | None = None) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The review queue: incidents (not flags), newest first, of the officer's communes (and agency, and kind), and
    how many are open, awaiting approval and resolved. One read of the flags; amounts only for those listed.

    A flag whose incident is partly open (a line flagged after the rest was decided) makes the incident open."""
    found = _grouped(queue(conn, scope, "all", kind, limit=MAX_FLAGS_READ, agency=agency))
    counts = {"open": 0, "pending": 0, "resolved": 0}
    for item in found:
        counts[item["state"]] += 1
    listed = [item for item in found if state == "all" or item["state"] == state][:limit]
    return _with_amounts(conn, listed), counts


MAX_FLAGS_READ = 20_000
"""The most flags one queue page reads to group (a province's year had a few hundred)."""


def incident(conn: Connection, flag_id: int) -> dict[str, Any] | None:
    """The incident a flag belongs to, with every flag of it (each with ``also_communes``)."""
    row = flag(conn, flag_id)
    if row is None:
        return None
    if row["kind"] in DEVICE_KINDS:
        flags = queue(conn, None, "all", row["kind"], limit=MAX_FLAGS_READ, upload=(row["device_id"],
                                                                                     row["created_at"]))
    else:
        flags = queue(conn, None, "all", row["kind"], limit=MAX_FLAGS_READ, entry_id=row["entry_id"])
    fc = schema.flag_communes.c
    also: dict[int, list[str]] = {}
    for other_id, code in conn.execute(select(fc.flag_id, fc.commune_code)
                                       .where(fc.flag_id.in_([item["flag_id"] for item in flags]))
                                       .order_by(fc.commune_code)):
        also.setdefault(int(other_id), []).append(code)
    flags = [dict(item, also_communes=also.get(int(item["flag_id"]), [])) for item in flags]
    found = _with_amounts(conn, _grouped(flags))[0]
    found["also_communes"] = sorted({code for item in flags for code in item["also_communes"]})
    return found


def incident_entries(conn: Connection, found: dict[str, Any]) -> list[dict[str, Any]]:
    """The payments (or other entries) an incident is about — the flagged entry and the earlier payments it
    doubles — once each, in the order they were made."""
    ids: list[str] = []
    for row in found["flags"]:
        for entry_id in (row["entry_id"], row.get("other_entry_id")):
            if entry_id and entry_id not in ids:
                ids.append(entry_id)
    return sorted(entries_of(conn, ids), key=lambda entry: (entry["recorded_at"], entry["received_at"]))


def incident_history(conn: Connection, found: dict[str, Any]) -> list[dict[str, Any]]:
    """The incident's decisions: one row per proposal (its flags' resolutions made together, write-offs summed),
    with its approval or rejection."""
    rows: list[dict[str, Any]] = []
    for row in found["flags"]:
        rows.extend(history(conn, row["flag_id"]))
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for item in sorted(rows, key=lambda item: item["resolution_id"]):
        group = (item["by_user"], item["at"], item["outcome"], item["reason"], item["approved_by"],
                 item["approved_at"], item["approved"], item["approval_reason"])
        if group in merged:
            merged[group]["write_off"] += item["write_off"]
            merged[group]["flags"] += 1
        else:
            merged[group] = dict(item, flags=1)
    return list(merged.values())


def split_write_off(total: int, weights: list[int]) -> list[int]:
    """A write-off shared among an incident's flags: at least 1 đồng each (so each waits for approval), the rest in
    proportion to each flag's amount (largest remainders), so the parts add up to exactly ``total``."""
    count = len(weights)
    if total < count:
        raise FlagError("bad_write_off", "Xóa nợ cần số tiền lớn hơn 0 / a write-off needs a positive amount")
    base = [max(weight, 0) for weight in weights]
    if sum(base) == 0:
        base = [1] * count
    rest = total - count
    shares = [rest * weight // sum(base) for weight in base]
    order = sorted(range(count), key=lambda i: (-(rest * base[i] % sum(base)), i))
    for i in order[:rest - sum(shares)]:
        shares[i] += 1
    return [1 + share for share in shares]


def resolve_incident(conn: Connection, flag_id: int, outcome: str, reason: str, write_off: int, by_user: str,
                     now: dt.datetime) -> dict[str, Any]:
    """One resolution for the whole incident: recorded for each of its open flags (so every reader of flags — the
    settlement's counts, the devices' feed — sees each decided), in the caller's one transaction. A write-off is
    shared among the flags (``split_write_off``) and waits for a second officer."""
    found = incident(conn, flag_id)
    if found is None:
        raise FlagError("not_found", "Không có cờ này / no such flag")
    flags = [row for row in found["flags"] if row["state"] == "open"]
    if not flags:
        raise FlagError("not_open", "Cờ này không còn mở / this flag is not open")
    _check_resolution(outcome, reason, write_off)
    parts = split_write_off(write_off, [row.get("amount") or 0 for row in flags]) if write_off else [0] * len(flags)
    for row, part in zip(flags, parts, strict=True):
        resolve(conn, row["flag_id"], outcome, reason, part, by_user, now)
    return {"pending": write_off > 0, "flags": len(flags), "incident_id": found["incident_id"]}


def proposers(conn: Connection, found: dict[str, Any]) -> list[str]:
    """Who proposed the incident's write-offs that await approval (an officer may not approve their own)."""
    out: list[str] = []
    for row in found["flags"]:
        for item in history(conn, row["flag_id"]):
            if item["write_off"] > 0 and item["approved_by"] is None and item["by_user"] not in out:
                out.append(item["by_user"])
    return out


def approve_incident(conn: Connection, flag_id: int, approved: bool, reason: str, by_user: str,
                     now: dt.datetime) -> dict[str, Any]:
    """A second officer approves (or rejects) the incident's write-off: one decision, recorded for each of its
    pending flags in the caller's one transaction. The officer who proposed it is refused by name."""
    found = incident(conn, flag_id)
    if found is None:
        raise FlagError("not_found", "Không có cờ này / no such flag")
    pending = [row for row in found["flags"] if row["state"] == "pending"]
    if not pending:
        raise FlagError("not_pending", "Cờ này không chờ phê duyệt / nothing awaits approval")
    if by_user in proposers(conn, found):
        raise FlagError("own_proposal", "Bạn đã đề xuất cách xử lý này; cần một cán bộ khác phê duyệt / you "
                                        "proposed this resolution; a second officer must approve it")
    if not approved and not reason.strip():
        raise FlagError("rejection_needs_reason", "Từ chối cần lý do / a rejection needs a reason")
    for row in pending:
        approve(conn, row["flag_id"], approved, reason, by_user, now)
    return {"flags": len(pending), "incident_id": found["incident_id"]}
