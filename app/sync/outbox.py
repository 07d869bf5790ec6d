"""The outbox as the server reads it: journal rows the store returns (``OutboxEntry``), encoded for upload."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.store.sync import OutboxEntry
from app.wire.codec import entry_to_wire, with_attachment
from app.wire.constants import MAX_BATCH_ATTACHMENT_BYTES, MAX_BATCH_ENTRIES

if TYPE_CHECKING:
    from app.store.store import Store


def encode_entry(entry: OutboxEntry) -> dict[str, Any]:
    return with_attachment(entry_to_wire(entry.seq, entry.entry_id, entry.kind, entry.prev_hash, entry.entry_hash,
                                         entry.payload, entry.signature), entry.attachment)


def _within_budget(entries: list[OutboxEntry]) -> list[OutboxEntry]:
    """The first entries whose posting photos fit one request (always at least one entry)."""
    spent = 0
    for index, entry in enumerate(entries):
        spent += len(entry.attachment or b"")
        if spent > MAX_BATCH_ATTACHMENT_BYTES and index > 0:
            return entries[:index]
    return entries


def wire_batch(store: Store, limit: int = MAX_BATCH_ENTRIES, after_seq: int = 0) -> list[dict[str, Any]]:
    """The next entries to send as upload entries, in sequence order (at most ``limit``, after ``after_seq``)."""
    return [encode_entry(entry) for entry in _within_budget(store.sync.next_batch(limit, after_seq))]


def wire_entries_from(store: Store, first_seq: int, limit: int) -> list[dict[str, Any]]:
    """Upload entries from ``first_seq`` on, whatever their outbox state (the server asked for them after a gap)."""
    return [encode_entry(entry) for entry in _within_budget(store.sync.entries_from(first_seq, limit))]
