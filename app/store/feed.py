"""The province's changes as the store receives them: typed values, already decoded, and the SQL that applies them.

The sync engine reads the change feed off the wire and hands the store these values (``app.sync.feed``); the store
never sees the wire's JSON. ``SyncService.apply_changes`` applies one page of them with its cursor in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from app.domain.identity import PersonLink
from app.lists.parsed import ParsedList
from app.store.lists import apply_list
from app.store.policy_notices import PolicyNoticeChange, PolicyTextChange


@dataclass(frozen=True)
class ListFragment:
    """Part of a payout list: a commune's whole list (``whole_commune``), or one person after an amendment.

    ``whole_commune`` decides what an unpaid line of ``payout_period`` missing from the fragment means: withdrawn for
    the whole commune (a corrected list), or only for the people in the fragment.
    """

    parsed: ParsedList
    whole_commune: bool


@dataclass(frozen=True)
class StaffChange:
    """A staff account of the device's communes; a role other than teller or supervisor, or not active, ends it here."""

    username: str
    full_name: str = ""
    role: str | None = None
    password_hash: str = ""
    active: bool = True

    @property
    def works_here(self) -> bool:
        return self.active and self.role in ("teller", "supervisor")


@dataclass(frozen=True)
class SyncFlag:
    """A flag the province server raised about an entry of this device's communes."""

    flag_id: int
    kind: str
    entry_id: str
    other_entry_id: str | None
    device_id: str
    line_key: str | None
    record_code: str | None
    detail: Mapping[str, Any]
    created_at: str
    resolution: str | None

    def message(self, lang: str = "vi") -> str:
        from app.domain.messages import render

        return render(f"flag_{self.kind}", lang, {})


@dataclass(frozen=True)
class CommunesChange:
    """The province reassigned the device: these are now its communes."""

    communes: tuple[str, ...]


@dataclass(frozen=True)
class PersonLinkChange:
    """An officer's decision that two records are (not) one person (``app.domain.identity.PersonLink``)."""

    link: PersonLink


FeedChange = (ListFragment | StaffChange | SyncFlag | CommunesChange | PersonLinkChange | PolicyNoticeChange
              | PolicyTextChange)


def apply_fragments(conn: Connection, fragments: list[ListFragment], now: str) -> None:
    """Apply consecutive list fragments, merged while they agree on period and scope and share no person."""
    group: list[ParsedList] = []
    scope: tuple[str, bool, str] | None = None
    people: set[str] = set()

    def flush() -> None:
        if group:
            apply_list(conn, _merge(group), now, whole_communes=bool(scope and scope[1]))
        group.clear()
        people.clear()

    for fragment in fragments:
        parsed = fragment.parsed
        codes = {person.record_code for person in parsed.beneficiaries}
        # a list is scoped by (commune, period, agency): fragments of two agencies are never merged into one
        if scope != (parsed.payout_period, fragment.whole_commune, parsed.agency) or codes & people:
            flush()
            scope = (parsed.payout_period, fragment.whole_commune, parsed.agency)
        group.append(parsed)
        people.update(codes)
    flush()


def _merge(parts: list[ParsedList]) -> ParsedList:
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return ParsedList(
        source=first.source, sha256=first.sha256, payout_period=first.payout_period, province=first.province,
        communes=tuple(c for p in parts for c in p.communes), villages=tuple(v for p in parts for v in p.villages),
        points=tuple(x for p in parts for x in p.points), schedule=tuple(s for p in parts for s in p.schedule),
        beneficiaries=tuple(b for p in parts for b in p.beneficiaries),
        authorisations=tuple(a for p in parts for a in p.authorisations),
        lines=tuple(x for p in parts for x in p.lines), agency=first.agency,
    )


def apply_staff(conn: Connection, change: StaffChange) -> None:
    if not change.works_here:
        # No longer a teller or supervisor of this device's communes: the account stops working here.
        conn.execute(text("UPDATE staff SET active = 0 WHERE username = :u"), {"u": change.username})
        return
    conn.execute(
        text(
            "INSERT INTO staff (username, full_name, role, password_hash, active) VALUES (:u, :n, :r, :h, :a) "
            "ON CONFLICT (username) DO UPDATE SET full_name = excluded.full_name, role = excluded.role, "
            "password_hash = excluded.password_hash, active = excluded.active"
        ),
        {"u": change.username, "n": change.full_name, "r": change.role, "h": change.password_hash, "a": 1},
    )


def apply_flag(conn: Connection, flag: SyncFlag) -> None:
    """Store a flag, or its resolution when the province resolved one the device already has."""
    conn.execute(
        text(
            "INSERT INTO sync_flags (flag_id, kind, entry_id, other_entry_id, device_id, line_key, record_code, "
            "detail, "
            "created_at, resolution) VALUES (:id, :kind, :entry, :other, :device, :line, :record, :detail, :at, :res) "
            "ON CONFLICT (flag_id) DO UPDATE SET resolution = excluded.resolution"
        ),
        {"id": flag.flag_id, "kind": flag.kind, "entry": flag.entry_id, "other": flag.other_entry_id,
         "device": flag.device_id, "line": flag.line_key, "record": flag.record_code,
         "detail": json.dumps(dict(flag.detail), ensure_ascii=False), "at": flag.created_at, "res": flag.resolution},
    )
