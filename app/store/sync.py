"""The device's side of sync, in the local database: enrolment, the outbox, acknowledgements, the change feed.

Rules that keep records safe here:
- an outbox row becomes ``accepted`` only when the server's acknowledged head (seq, hash) is this device's own entry
  at that seq — a lost or garbled answer leaves rows pending and they are simply sent again (the server dedupes);
- a feed page and the cursor after it are saved in one transaction, so a crash mid-page re-applies the whole page;
- the device's private key sits beside the database key (keyring or key file), never in the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from sqlalchemy import Connection, text

from app.domain.errors import BadInputError
from app.lists.parsed import ParsedList
from app.store import database
from app.store.keys import find_key
from app.store.lists import _apply as apply_list
from app.store.sql import fast
from app.sync import protocol

if TYPE_CHECKING:
    from app.store.store import Store

DEVICE_KEY_SUFFIX = ".device"


class HeadMismatch(Exception):
    """The server acknowledged a head that is not this device's entry at that seq (a fork, or a wrong server)."""

    def __init__(self, seq: int) -> None:
        super().__init__(f"acknowledged head differs at seq {seq}")
        self.seq = seq


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    communes: tuple[str, ...]
    recovery_public_key: str
    enrolled_at: str
    ca_bundle: str | None


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
class SyncStatus:
    enrolled: bool
    server_url: str
    pending: int
    acked_seq: int
    cursor: int
    last_sync_at: str | None
    last_result: Mapping[str, Any] | None
    open_flags: int


@dataclass(frozen=True)
class FeedApplied:
    lists: int = 0
    staff: int = 0
    flags: int = 0
    communes_changed: bool = False


class SyncService:
    def __init__(self, store: "Store") -> None:
        self.store = store

    # --- enrolment -----------------------------------------------------------------------------------------------

    def enrolment(self) -> Enrolment | None:
        with database.read(self.store.engine) as conn:
            values = _meta_values(conn, ("server_url", "communes", "recovery_public_key", "enrolled_at", "ca_bundle"))
        if not values.get("server_url"):
            return None
        return Enrolment(values["server_url"], tuple(json.loads(values.get("communes") or "[]")),
                         values.get("recovery_public_key") or "", values.get("enrolled_at") or "",
                         values.get("ca_bundle") or None)

    def _key_name(self) -> str:
        return (self.store.meta("store_id") or self.store.device_id) + DEVICE_KEY_SUFFIX

    def device_key(self) -> bytes | None:
        return find_key(self._key_name(), self.store.key_stores)

    def new_device_key(self) -> bytes:
        """Make (or reuse, if an enrolment was interrupted) the device's signing key, kept like the database key."""
        existing = self.device_key()
        if existing is not None:
            return existing
        if not self.store.key_stores:
            raise BadInputError("required")
        key = protocol.new_device_key()
        self.store.key_stores[0].put(self._key_name(), key)
        return key

    def record_enrolment(self, server_url: str, communes: Iterable[str], recovery_public_key: str,
                         ca_bundle: str | None) -> str:
        """Save the enrolment and return the database key sealed to the province recovery key."""
        sealed = protocol.seal(recovery_public_key, self.store.key, protocol.SEAL_DATABASE_KEY)
        with database.write(self.store.engine) as conn:
            if _meta_values(conn, ("server_url",)).get("server_url"):
                raise BadInputError("already_enrolled", server=_meta_values(conn, ("server_url",))["server_url"])
            for key, value in (
                ("server_url", server_url.rstrip("/")),
                ("communes", json.dumps(sorted(communes))),
                ("recovery_public_key", recovery_public_key),
                ("enrolled_at", protocol.format_time(self.store.clock())),
                ("ca_bundle", ca_bundle or ""),
                ("sealed_key", sealed),
                ("feed_cursor", "0"),
            ):
                set_meta(conn, key, value)
        return sealed

    def sealed_key(self) -> str | None:
        return self.store.meta("sealed_key")

    # --- upload --------------------------------------------------------------------------------------------------

    def pending_count(self) -> int:
        with database.read(self.store.engine) as conn:
            return int(fast(conn).execute("SELECT count(*) FROM outbox WHERE state != 'accepted'").scalar() or 0)

    def next_batch(self, limit: int = protocol.MAX_BATCH_ENTRIES, after_seq: int = 0) -> list[dict[str, Any]]:
        """The next entries to send, in sequence order, with their signatures (at most ``limit``)."""
        with database.read(self.store.engine) as conn:
            rows = fast(conn).execute(
                "SELECT j.seq, j.entry_id, j.kind, j.prev_hash, j.entry_hash, j.payload, s.strokes "
                "FROM outbox o JOIN journal j ON j.seq = o.seq LEFT JOIN signatures s ON s.entry_id = j.entry_id "
                "WHERE o.state != 'accepted' AND o.seq > :after ORDER BY o.seq LIMIT :limit",
                {"after": after_seq, "limit": limit},
            ).all()
        return _wire(rows)

    def entries_from(self, first_seq: int, limit: int) -> list[dict[str, Any]]:
        """Entries from ``first_seq`` on, whatever their outbox state (the server asked for them after a gap)."""
        with database.read(self.store.engine) as conn:
            rows = fast(conn).execute(
                "SELECT j.seq, j.entry_id, j.kind, j.prev_hash, j.entry_hash, j.payload, s.strokes FROM journal j "
                "LEFT JOIN signatures s ON s.entry_id = j.entry_id WHERE j.seq >= :first ORDER BY j.seq LIMIT :limit",
                {"first": first_seq, "limit": limit},
            ).all()
        return _wire(rows)

    def mark_sent(self, seqs: Iterable[int]) -> None:
        seqs = list(seqs)
        if not seqs:
            return
        at = protocol.format_time(self.store.clock())
        with database.write(self.store.engine) as conn:
            fast(conn).execute(
                "UPDATE outbox SET state = CASE state WHEN 'accepted' THEN 'accepted' ELSE 'sent' END, "
                "attempts = attempts + 1, updated_at = :at WHERE seq = :seq",
                [{"seq": seq, "at": at} for seq in seqs],
            )

    def acknowledge(self, last_seq: int, head_hash: str) -> int:
        """Mark every entry up to the server's head accepted — only if that head is this device's own entry."""
        with database.write(self.store.engine) as conn:
            local = fast(conn).execute("SELECT entry_hash FROM journal WHERE seq = :s", {"s": last_seq}).scalar()
            if last_seq > 0 and local != head_hash:
                raise HeadMismatch(last_seq)
            if last_seq == 0:
                return 0
            accepted = conn.execute(
                text("UPDATE outbox SET state = 'accepted', updated_at = :at WHERE seq <= :s AND state != 'accepted'"),
                {"s": last_seq, "at": protocol.format_time(self.store.clock())},
            ).rowcount
            set_meta(conn, "acked_seq", str(last_seq))
            set_meta(conn, "acked_hash", head_hash)
        return int(accepted or 0)

    def accept(self, confirmed: Iterable[tuple[Any, Any]]) -> int:
        """Mark accepted the entries the server confirmed one by one (seq and UUID must be this device's)."""
        pairs = [(seq, entry_id) for seq, entry_id in confirmed if type(seq) is int and isinstance(entry_id, str)]
        if not pairs:
            return 0
        at = protocol.format_time(self.store.clock())
        with database.write(self.store.engine) as conn:
            result = conn.execute(
                text("UPDATE outbox SET state = 'accepted', updated_at = :at WHERE seq = :s AND entry_id = :e "
                     "AND state != 'accepted'"),
                [{"s": seq, "e": entry_id, "at": at} for seq, entry_id in pairs],
            )
        return int(result.rowcount or 0)

    def acked_head(self) -> tuple[int, str] | None:
        with database.read(self.store.engine) as conn:
            values = _meta_values(conn, ("acked_seq", "acked_hash"))
        if not values.get("acked_seq"):
            return None
        return int(values["acked_seq"]), values.get("acked_hash") or ""

    def check_acked_head(self) -> int | None:
        """The seq where the local chain no longer extends the server's acknowledged head (None when it does)."""
        head = self.acked_head()
        if head is None:
            return None
        seq, digest = head
        with database.read(self.store.engine) as conn:
            local = fast(conn).execute("SELECT entry_hash FROM journal WHERE seq = :s", {"s": seq}).scalar()
        return None if local == digest else seq

    # --- download ------------------------------------------------------------------------------------------------

    def feed_cursor(self) -> int:
        return int(self.store.meta("feed_cursor") or 0)

    def apply_feed(self, items: list[Mapping[str, Any]], next_cursor: int, communes: Iterable[str] | None = None) -> FeedApplied:
        """Apply one page of the change feed and save the cursor after it, in one transaction."""
        now = self.store.clock().isoformat()
        lists = staff = flags = 0
        communes_changed = False
        with database.write(self.store.engine) as conn:
            if any(item["kind"] == protocol.CHANGE_STAFF for item in items) and \
                    _meta_values(conn, ("staff_from_server",)).get("staff_from_server") != "1":
                # The server is now the source of staff: local accounts give way to the feed's, in the same
                # transaction as the first staff arrive (so nobody is locked out in between).
                conn.execute(text("UPDATE staff SET active = 0"))
                set_meta(conn, "staff_from_server", "1")
            pending: list[tuple[ParsedList, bool]] = []
            for item in items:
                kind, payload = item["kind"], item["payload"]
                if kind == protocol.CHANGE_LIST:
                    pending.append(protocol.fragment_from_wire(payload))
                    lists += 1
                    continue
                _apply_lists(conn, pending, now)
                pending = []
                if kind == protocol.CHANGE_STAFF:
                    _apply_staff(conn, payload)
                    staff += 1
                elif kind == protocol.CHANGE_FLAG:
                    _apply_flag(conn, payload)
                    flags += 1
                elif kind == protocol.CHANGE_COMMUNES:
                    set_meta(conn, "communes", json.dumps(sorted(payload.get("communes", []))))
                    communes_changed = True
            _apply_lists(conn, pending, now)
            if communes is not None:
                set_meta(conn, "communes", json.dumps(sorted(communes)))
            set_meta(conn, "feed_cursor", str(next_cursor))
        return FeedApplied(lists, staff, flags, communes_changed)

    # --- flags and status ----------------------------------------------------------------------------------------

    def flags(self, record_code: str | None = None) -> list[SyncFlag]:
        sql = "SELECT flag_id, kind, entry_id, other_entry_id, device_id, line_key, record_code, detail, created_at, " \
              "resolution FROM sync_flags"
        params: dict[str, Any] = {}
        if record_code is not None:
            sql += " WHERE record_code = :rc"
            params["rc"] = record_code
        with database.read(self.store.engine) as conn:
            rows = fast(conn).execute(sql + " ORDER BY flag_id", params).all()
        return [SyncFlag(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]), r[8], r[9]) for r in rows]

    def record_result(self, result: Mapping[str, Any]) -> None:
        with database.write(self.store.engine) as conn:
            set_meta(conn, "last_sync_at", protocol.format_time(self.store.clock()))
            set_meta(conn, "last_sync_result", json.dumps(dict(result), ensure_ascii=False))

    def status(self) -> SyncStatus:
        with database.read(self.store.engine) as conn:
            values = _meta_values(conn, ("server_url", "acked_seq", "feed_cursor", "last_sync_at", "last_sync_result"))
            pending = int(fast(conn).execute("SELECT count(*) FROM outbox WHERE state != 'accepted'").scalar() or 0)
            open_flags = int(fast(conn).execute("SELECT count(*) FROM sync_flags WHERE resolution IS NULL").scalar() or 0)
        last = values.get("last_sync_result")
        return SyncStatus(bool(values.get("server_url")), values.get("server_url") or "", pending,
                          int(values.get("acked_seq") or 0), int(values.get("feed_cursor") or 0),
                          values.get("last_sync_at"), json.loads(last) if last else None, open_flags)


def _wire(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Journal rows (seq, entry id, kind, prev hash, hash, payload, signature strokes) as upload entries."""
    return [
        protocol.entry_to_wire(seq, entry_id, kind, prev, head, bytes(payload),
                               bytes(strokes) if strokes is not None else None)
        for seq, entry_id, kind, prev, head, payload, strokes in rows
    ]


def _meta_values(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    keys = list(keys)
    rows = conn.execute(text("SELECT key, value FROM meta WHERE key IN (" + ",".join(f"'{k}'" for k in keys) + ")"))
    return {key: value for key, value in rows}


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                 {"k": key, "v": value})


def _apply_lists(conn: Connection, fragments: list[tuple[ParsedList, bool]], now: str) -> None:
    """Apply consecutive list fragments, merged while they agree on period and scope and share no person."""
    group: list[ParsedList] = []
    scope: tuple[str, bool] | None = None
    people: set[str] = set()

    def flush() -> None:
        if group:
            apply_list(conn, _merge(group), now, whole_communes=bool(scope and scope[1]))
        group.clear()
        people.clear()

    for parsed, whole in fragments:
        codes = {person.record_code for person in parsed.beneficiaries}
        if scope != (parsed.payout_period, whole) or codes & people:
            flush()
            scope = (parsed.payout_period, whole)
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
        authorisations=tuple(a for p in parts for a in p.authorisations), lines=tuple(x for p in parts for x in p.lines),
    )


def _apply_staff(conn: Connection, payload: Mapping[str, Any]) -> None:
    role = payload.get("role")
    if role not in ("teller", "supervisor") or not payload.get("active", True):
        # No longer a teller or supervisor of this device's communes: the account stops working here.
        conn.execute(text("UPDATE staff SET active = 0 WHERE username = :u"), {"u": payload["username"]})
        return
    conn.execute(
        text(
            "INSERT INTO staff (username, full_name, role, password_hash, active) VALUES (:u, :n, :r, :h, :a) "
            "ON CONFLICT (username) DO UPDATE SET full_name = excluded.full_name, role = excluded.role, "
            "password_hash = excluded.password_hash, active = excluded.active"
        ),
        {"u": payload["username"], "n": payload["full_name"], "r": role, "h": payload["password_hash"],
         "a": 1 if payload.get("active", True) else 0},
    )


def _apply_flag(conn: Connection, payload: Mapping[str, Any]) -> None:
    conn.execute(
        text(
            "INSERT INTO sync_flags (flag_id, kind, entry_id, other_entry_id, device_id, line_key, record_code, detail, "
            "created_at, resolution) VALUES (:id, :kind, :entry, :other, :device, :line, :record, :detail, :at, :res) "
            "ON CONFLICT (flag_id) DO UPDATE SET resolution = excluded.resolution"
        ),
        {"id": payload["flag_id"], "kind": payload["kind"], "entry": payload["entry_id"],
         "other": payload.get("other_entry_id"), "device": payload["device_id"], "line": payload.get("line_key"),
         "record": payload.get("record_code"), "detail": json.dumps(payload.get("detail") or {}, ensure_ascii=False),
         "at": payload["created_at"], "res": payload.get("resolution")},
    )
