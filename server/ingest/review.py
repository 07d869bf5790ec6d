"""A death or a representative recorded after the payments: the person's stored payments judged again, by the same
rules as an upload.

An upload that arrives after a death is judged at ingest (``apply_batch``). In the other order — the payments already
stored when the death or the representative is recorded (by an officer, by a list, or by accepting a list's value) —
nothing would look at them again: a dead person's allowance paid for the months after the death, or a funeral
allowance paid to someone other than the representative recorded later, would never be seen. So recording either
calls ``after_death``: every payment of the person that stands (not reversed) is judged by ``app.domain.findings`` as
if it arrived now, and its ``paid_after_death`` findings become flags — visible in the console and fed to the
devices — unless the same flag (entry, kind, line) was already raised. Only the death's findings are kept: a
payment's other findings (amounts, double payments, suspensions) were judged when it arrived, against what was known
then.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, select

from app.domain.findings import FindingKind, ListedLine, judge_payment
from app.domain.journal import format_timestamp
from app.domain.model import EntryKind, LineKind
from app.wire import codec
from server import feed, schema
from server.ingest.entries import WireEntry, payment_made
from server.ingest.snapshot import opened_session

DEATH_FINDINGS = frozenset({FindingKind.PAID_AFTER_DEATH})


def after_death(conn: Connection, record_codes: Iterable[str], now: dt.datetime) -> int:
    """Judge the stored payments of these people against their recorded death — with every other record of the same
    person (another agency's list): a death on one record applies to the person — and return how many flags were
    added."""
    from server import persons

    codes = sorted(persons.persons_of(conn, set(record_codes)))
    if not codes:
        return 0
    p, e, ln, f = schema.people.c, schema.entries.c, schema.lines.c, schema.flags.c
    found = {}
    histories = {}
    for code, data in conn.execute(select(p.record_code, p.data).where(p.record_code.in_(codes))):
        stored = json.loads(data)
        found[code], histories[code] = codec.person_from_wire(stored), codec.history_from_wire(stored)
    people = {}
    elsewhere: dict[str, dict[str, Any]] = {}
    for code, (person, death) in persons.people_with_person_death(conn, found).items():
        if person.date_of_death is not None:
            people[code] = (person, histories[code])
        if death is not None:
            elsewhere[code] = {"record_code": death.record_code, "agency": death.agency,
                               "date": death.date_of_death.isoformat() if death.date_of_death else None}
    if not people:
        return 0
    payments = conn.execute(
        select(e.entry_id, e.device_id, e.seq, e.prev_hash, e.entry_hash, e.payload, e.commune_code, e.record_code,
               e.session_id)
        .where(and_(e.record_code.in_(sorted(people)), e.kind == EntryKind.PAYMENT.value,
                    e.entry_id.not_in(select(schema.reversals.c.payment_entry_id)), e.total.is_not(None)))
        .order_by(e.id)
    ).mappings().all()
    if not payments:
        return 0
    sessions = {}
    for session_id, commune, payload in conn.execute(
            select(e.session_id, e.commune_code, e.payload).where(and_(
                e.session_id.in_(sorted({row["session_id"] for row in payments if row["session_id"]})),
                e.kind == EntryKind.SESSION_OPENED.value))):
        stored = json.loads(bytes(payload))
        sessions[session_id] = opened_session(stored["body"], commune, stored.get("recorded_at"))
    raised = {(entry_id, kind, line) for entry_id, kind, line in conn.execute(
        select(f.entry_id, f.kind, f.line_key).where(f.entry_id.in_([row["entry_id"] for row in payments])))}
    listed = {key: ListedLine(key, LineKind(kind), int(amount), bool(withdrawn)) for key, kind, amount, withdrawn in
              conn.execute(select(ln.line_key, ln.kind, ln.amount, ln.withdrawn)
                           .where(ln.record_code.in_(sorted(people))))}
    at = format_timestamp(now)
    rows: list[dict[str, Any]] = []
    for row in payments:
        payload_bytes = bytes(row["payload"])
        entry = WireEntry(int(row["seq"]), row["entry_id"], EntryKind.PAYMENT.value, row["prev_hash"],
                          row["entry_hash"], payload_bytes, json.loads(payload_bytes), None)
        session = sessions.get(row["session_id"])
        try:
            made = payment_made(entry, session.day if session else None, session.commune if session else None)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # stored flagged bad_content when it arrived: nothing the rules can read
        person, history = people[row["record_code"]]
        for finding in judge_payment(made, person, history, listed, {}):
            key = (row["entry_id"], finding.kind.value, finding.line_key)
            if finding.kind not in DEATH_FINDINGS or key in raised:
                continue
            raised.add(key)
            rows.append({
                "kind": finding.kind.value, "entry_id": row["entry_id"], "other_entry_id": finding.other_entry_id,
                "device_id": row["device_id"], "commune_code": row["commune_code"], "line_key": finding.line_key,
                "record_code": row["record_code"],
                "detail": json.dumps({**finding.detail, "found": "after_payment",
                                      **({"death_elsewhere": elsewhere[row["record_code"]]}
                                         if row["record_code"] in elsewhere else {})},
                                     ensure_ascii=False, sort_keys=True),
                "created_at": at,
            })
    if rows:
        feed.add_flags(conn, rows)
    return len(rows)
