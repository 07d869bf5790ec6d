"""The device's side of sync, in the local database: enrolment, the outbox, acknowledgements, the change feed.

The store knows nothing of the wire: it returns journal rows to upload as ``OutboxEntry`` values and takes the
province's changes already decoded (``app.store.feed``); ``app.sync`` encodes, decodes, signs and seals.

Rules that keep records safe here:
- an outbox row becomes ``accepted`` only when the server's acknowledged head (seq, hash) is this device's own entry
  at that seq — a lost or garbled answer leaves rows pending and they are simply sent again (the server dedupes);
- a feed page and the cursor after it are saved in one transaction, so a crash mid-page re-applies the whole page;
- the device's private key sits in the key-slot vault beside the database key (``app.store.keyslots``), never in the
  database and never in a file that opens without a key slot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from app.domain.errors import BadInputError
from app.domain.journal import format_timestamp
from app.store import database, persons
from app.store.feed import (
    CommunesChange,
    FeedChange,
    ListFragment,
    PersonLinkChange,
    StaffChange,
    SyncFlag,
    apply_flag,
    apply_fragments,
    apply_staff,
)
from app.store.policy_notices import PolicyNoticeChange, PolicyTextChange, apply_policy_change

if TYPE_CHECKING:
    from app.store.store import Store


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
class OutboxEntry:
    """A journal row as it leaves the device: what the server needs to re-hash, check and store it."""

    seq: int
    entry_id: str
    kind: str
    prev_hash: str
    entry_hash: str
    payload: bytes
    """The canonical bytes the chain hash covers."""
    signature: bytes | None
    """The signature strokes of a payment signed on the pad (None for other entries)."""
    attachment: bytes | None = None
    """The photo of a public-notice posting (None for other entries), sent beside the entry like a signature."""


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
    person_links: int = 0
    """Decisions about who is one person that arrived (new ones; a decision the feed repeats counts once)."""


class SyncService:
    def __init__(self, store: Store) -> None:
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

    def device_key(self) -> bytes | None:
        """The device's signing key (made by ``app.sync.enrolment``), from the key-slot vault opened with the store."""
        return self.store.vault.device_key

    def save_device_key(self, key: bytes) -> None:
        """Keep the device's signing key in the vault beside the database key: every key slot opens it, no file on
        the disk alone does."""
        self.store.vault.set_device_key(key)

    def record_enrolment(self, server_url: str, communes: Iterable[str], recovery_public_key: str,
                         ca_bundle: str | None, sealed_key: str) -> None:
        """Save the enrolment, with the database key already sealed to the province recovery key."""
        with database.write(self.store.engine) as conn:
            if _meta_values(conn, ("server_url",)).get("server_url"):
                raise BadInputError("already_enrolled", server=_meta_values(conn, ("server_url",))["server_url"])
            for key, value in (
                ("server_url", server_url.rstrip("/")),
                ("communes", json.dumps(sorted(communes))),
                ("recovery_public_key", recovery_public_key),
                ("enrolled_at", format_timestamp(self.store.clock())),
                ("ca_bundle", ca_bundle or ""),
                ("sealed_key", sealed_key),
                ("feed_cursor", "0"),
            ):
                set_meta(conn, key, value)
        self.store.vault.set_recovery(recovery_public_key, sealed_key)

    def sealed_key(self) -> str | None:
        return self.store.meta("sealed_key")

    def sealed_key_sent(self) -> bool:
        return self.store.meta("sealed_key_sent") == "1"

    def mark_sealed_key_sent(self) -> None:
        with database.write(self.store.engine) as conn:
            set_meta(conn, "sealed_key_sent", "1")

    def move_server(self, server_url: str) -> None:
        """The enrolled server answers at a new address (the demo's server took another port): sync goes there."""
        with database.write(self.store.engine) as conn:
            set_meta(conn, "server_url", server_url)

    # --- upload --------------------------------------------------------------------------------------------------

    def pending_count(self) -> int:
        with database.read(self.store.engine) as conn:
            return int(conn.execute(text("SELECT count(*) FROM outbox WHERE state != 'accepted'")).scalar() or 0)

    def next_batch(self, limit: int, after_seq: int = 0) -> list[OutboxEntry]:
        """The next entries to send, in sequence order, with their signatures (at most ``limit``)."""
        with database.read(self.store.engine) as conn:
            rows = conn.execute(
                text("SELECT j.seq, j.entry_id, j.kind, j.prev_hash, j.entry_hash, j.payload, s.strokes, p.photo "
                     "FROM outbox o JOIN journal j ON j.seq = o.seq LEFT JOIN signatures s ON s.entry_id = j.entry_id "
                     "LEFT JOIN public_postings p ON p.entry_id = j.entry_id "
                     "WHERE o.state != 'accepted' AND o.seq > :after ORDER BY o.seq LIMIT :limit"),
                {"after": after_seq, "limit": limit},
            ).all()
        return _outbox_entries(rows)

    def entries_from(self, first_seq: int, limit: int) -> list[OutboxEntry]:
        """Entries from ``first_seq`` on, whatever their outbox state (the server asked for them after a gap)."""
        with database.read(self.store.engine) as conn:
            rows = conn.execute(
                text("SELECT j.seq, j.entry_id, j.kind, j.prev_hash, j.entry_hash, j.payload, s.strokes, p.photo "
                     "FROM journal j LEFT JOIN signatures s ON s.entry_id = j.entry_id "
                     "LEFT JOIN public_postings p ON p.entry_id = j.entry_id "
                     "WHERE j.seq >= :first ORDER BY j.seq LIMIT :limit"),
                {"first": first_seq, "limit": limit},
            ).all()
        return _outbox_entries(rows)

    def mark_sent(self, seqs: Iterable[int]) -> None:
        seqs = list(seqs)
        if not seqs:
            return
        at = format_timestamp(self.store.clock())
        with database.write(self.store.engine) as conn:
            conn.execute(
                text("UPDATE outbox SET state = CASE state WHEN 'accepted' THEN 'accepted' ELSE 'sent' END, "
                     "attempts = attempts + 1, updated_at = :at WHERE seq = :seq"),
                [{"seq": seq, "at": at} for seq in seqs],
            )

    def acknowledge(self, last_seq: int, head_hash: str) -> int:
        """Mark every entry up to the server's head accepted — only if that head is this device's own entry."""
        with database.write(self.store.engine) as conn:
            local = conn.execute(text("SELECT entry_hash FROM journal WHERE seq = :s"), {"s": last_seq}).scalar()
            if last_seq > 0 and local != head_hash:
                raise HeadMismatch(last_seq)
            if last_seq == 0:
                return 0
            accepted = conn.execute(
                text("UPDATE outbox SET state = 'accepted', updated_at = :at WHERE seq <= :s AND state != 'accepted'"),
                {"s": last_seq, "at": format_timestamp(self.store.clock())},
            ).rowcount
            set_meta(conn, "acked_seq", str(last_seq))
            set_meta(conn, "acked_hash", head_hash)
        return int(accepted or 0)

    def accept(self, confirmed: Iterable[tuple[Any, Any]]) -> int:
        """Mark accepted the entries the server confirmed one by one (seq and UUID must be this device's)."""
        pairs = [(seq, entry_id) for seq, entry_id in confirmed if type(seq) is int and isinstance(entry_id, str)]
        if not pairs:
            return 0
        at = format_timestamp(self.store.clock())
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
            local = conn.execute(text("SELECT entry_hash FROM journal WHERE seq = :s"), {"s": seq}).scalar()
        return None if local == digest else seq

    # --- download ------------------------------------------------------------------------------------------------

    def feed_cursor(self) -> int:
        return int(self.store.meta("feed_cursor") or 0)

    def apply_changes(self, changes: Sequence[FeedChange], next_cursor: int,
                      communes: Iterable[str] | None = None) -> FeedApplied:
        """Apply one page of the province's changes (decoded by the sync engine) and the cursor after it, in one
        transaction: a crash mid-page leaves the cursor before the page, and the page is applied again."""
        clock = self.store.clock()
        now = clock.isoformat()
        lists = staff = flags = links = 0
        communes_changed = False
        staff_changed = any(isinstance(change, StaffChange) for change in changes)
        with database.write(self.store.engine) as conn:
            if any(isinstance(change, StaffChange) for change in changes) and \
                    _meta_values(conn, ("staff_from_server",)).get("staff_from_server") != "1":
                # The server is now the source of staff: local accounts give way to the feed's, in the same
                # transaction as the first staff arrive (so nobody is locked out in between).
                conn.execute(text("UPDATE staff SET active = 0"))
                set_meta(conn, "staff_from_server", "1")
            pending: list[ListFragment] = []
            touched: set[str] = set()  # the records whose person may have changed
            for change in changes:
                if isinstance(change, ListFragment):
                    pending.append(change)
                    touched.update(person.record_code for person in change.parsed.beneficiaries)
                    lists += 1
                    continue
                apply_fragments(conn, pending, now)
                pending = []
                if isinstance(change, StaffChange):
                    apply_staff(conn, change)
                    staff += 1
                elif isinstance(change, SyncFlag):
                    apply_flag(conn, change)
                    flags += 1
                elif isinstance(change, CommunesChange):
                    set_meta(conn, "communes", json.dumps(sorted(change.communes)))
                    communes_changed = True
                elif isinstance(change, PersonLinkChange):
                    links += persons.record_decision(conn, change.link, persons.ORIGIN_PROVINCE, clock)
                    touched.update(change.link.pair)
                elif isinstance(change, PolicyNoticeChange | PolicyTextChange):  # issue 13: the province's policy word
                    apply_policy_change(conn, change)
            apply_fragments(conn, pending, now)
            if touched:  # the records of one person, after the page's lists and decisions
                persons.regroup(conn, clock, touched)
            if communes is not None:
                set_meta(conn, "communes", json.dumps(sorted(communes)))
            set_meta(conn, "feed_cursor", str(next_cursor))
        if staff_changed:
            # A staff member disabled by the province, or whose password it reset, loses their key slot now.
            self.store.forget_departed_staff()
        return FeedApplied(lists, staff, flags, communes_changed, links)

    # --- flags and status ----------------------------------------------------------------------------------------

    def flags(self, record_code: str | None = None) -> list[SyncFlag]:
        sql = "SELECT flag_id, kind, entry_id, other_entry_id, device_id, line_key, record_code, detail, created_at, " \
              "resolution FROM sync_flags"
        params: dict[str, Any] = {}
        if record_code is not None:
            sql += " WHERE record_code = :rc"
            params["rc"] = record_code
        with database.read(self.store.engine) as conn:
            rows = conn.execute(text(sql + " ORDER BY flag_id"), params).all()
        return [SyncFlag(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]), r[8], r[9]) for r in rows]

    def record_result(self, result: Mapping[str, Any]) -> None:
        with database.write(self.store.engine) as conn:
            set_meta(conn, "last_sync_at", format_timestamp(self.store.clock()))
            set_meta(conn, "last_sync_result", json.dumps(dict(result), ensure_ascii=False))

    def status(self) -> SyncStatus:
        with database.read(self.store.engine) as conn:
            values = _meta_values(conn, ("server_url", "acked_seq", "feed_cursor", "last_sync_at", "last_sync_result"))
            pending = int(conn.execute(text("SELECT count(*) FROM outbox WHERE state != 'accepted'")).scalar() or 0)
            open_flags = int(
                conn.execute(text("SELECT count(*) FROM sync_flags WHERE resolution IS NULL")).scalar() or 0)
        last = values.get("last_sync_result")
        return SyncStatus(bool(values.get("server_url")), values.get("server_url") or "", pending,
                          int(values.get("acked_seq") or 0), int(values.get("feed_cursor") or 0),
                          values.get("last_sync_at"), json.loads(last) if last else None, open_flags)


def _outbox_entries(rows: Iterable[Any]) -> list[OutboxEntry]:
    """Journal rows (seq, entry id, kind, prev hash, hash, payload, signature strokes, posting photo) as outbox
    entries."""
    return [
        OutboxEntry(seq, entry_id, kind, prev, head, bytes(payload), bytes(strokes) if strokes is not None else None,
                    bytes(photo) if photo is not None else None)
        for seq, entry_id, kind, prev, head, payload, strokes, photo in rows
    ]


def _meta_values(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    keys = list(keys)
    rows = conn.execute(text("SELECT key, value FROM meta WHERE key IN (" + ",".join(f"'{k}'" for k in keys) + ")"))
    return {key: value for key, value in rows}


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                 {"k": key, "v": value})
