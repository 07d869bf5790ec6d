"""Offline transfer: the pending journal as an encrypted, device-signed file for a USB stick.

The file holds every entry the server has not acknowledged, encrypted to the province key and signed with the
device key (``app.wire.offline``); ``payout-server import-batch`` applies it with the same dedupe as an upload.
Nothing is marked sent here: the device learns the result at its next online sync (the entries then come back
"already applied").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.errors import BadInputError
from app.sync.outbox import wire_batch
from app.wire.constants import MAX_BATCH_ENTRIES
from app.wire.offline import pack_offline_batch

if TYPE_CHECKING:
    from app.store.store import Store


def export_pending(store: Store, target: Path) -> int:
    """Write the pending journal to ``target`` (atomically, synced to disk); returns the number of entries."""
    enrolment = store.sync.enrolment()
    key = store.sync.device_key()
    if enrolment is None or key is None:
        raise BadInputError("not_enrolled")
    entries: list[dict[str, Any]] = []
    while True:
        batch = wire_batch(store, MAX_BATCH_ENTRIES, after_seq=entries[-1]["seq"] if entries else 0)
        if not batch:
            break
        entries.extend(batch)
    if not entries:
        return 0
    data = pack_offline_batch(store.device_id, key, enrolment.recovery_public_key,
                              {"device_id": store.device_id, "entries": entries}, store.clock())
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)
    return len(entries)
