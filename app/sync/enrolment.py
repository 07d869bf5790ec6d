"""Enrolling this device with the province server using a one-time code.

The device makes its Ed25519 key (kept like the database key), registers the public key, records the server and its
communes, seals the database key to the province recovery key and sends it, so a backup of this laptop can be opened
by the province if the laptop dies.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.domain.errors import BadInputError
from app.sync.client import ServerClient, SyncError, check_server_url
from app.wire.sealing import SEAL_DATABASE_KEY, seal
from app.wire.signing import device_public_key, new_device_key

if TYPE_CHECKING:
    from app.store.store import Store


def enrol(store: Store, server_url: str, code: str, *, label: str = "", ca_bundle: str | None = None,
          client: ServerClient | None = None) -> tuple[str, ...]:
    """Enrol and return the device's communes. Raises ``BadInputError`` or ``SyncError`` (nothing half-saved)."""
    url = check_server_url(server_url)
    existing = store.sync.enrolment()
    if existing is not None:
        raise BadInputError("already_enrolled", server=existing.server_url)
    key = ensure_device_key(store)
    client = client or ServerClient(url, device_id=store.device_id, private_key=key, ca_bundle=ca_bundle,
                                    clock=store.clock)
    answer = client.enrol(code.strip(), store.device_id, device_public_key(key),
                          label or platform.node() or "payout-desk")
    communes = answer.get("communes")
    recovery = answer.get("recovery_public_key")
    if not isinstance(communes, list) or not isinstance(recovery, str) or len(recovery) != 64:
        raise SyncError("bad_answer", "bad_enrol_answer", "enrolment answer without communes or recovery key")
    sealed = record_enrolment(store, url, [str(c) for c in communes], recovery, ca_bundle)
    send_sealed_key(store, client, sealed)
    return tuple(str(c) for c in communes)


def ensure_device_key(store: Store) -> bytes:
    """Make (or reuse, if an enrolment was interrupted) the device's signing key, kept like the database key."""
    existing = store.sync.device_key()
    if existing is not None:
        return existing
    key = new_device_key()
    store.sync.save_device_key(key)
    return key


def record_enrolment(store: Store, server_url: str, communes: Iterable[str], recovery_public_key: str,
                     ca_bundle: str | None) -> str:
    """Save the enrolment and return the database key sealed to the province recovery key (sealed before anything
    is saved, so a bad recovery key leaves the device unenrolled)."""
    sealed = seal(recovery_public_key, store.key, SEAL_DATABASE_KEY)
    store.sync.record_enrolment(server_url, communes, recovery_public_key, ca_bundle, sealed)
    return sealed


def send_sealed_key(store: Store, client: ServerClient, sealed: str | None = None) -> bool:
    """Send the sealed database key (again after a failure); True once the server has it."""
    sealed = sealed or store.sync.sealed_key()
    if not sealed or store.sync.sealed_key_sent():
        return True
    try:
        client.send_sealed_key(sealed)
    except SyncError:
        return False
    store.sync.mark_sealed_key_sent()
    return True
