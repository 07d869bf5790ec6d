"""Enrolling this device with the province server using a one-time code.

The device makes its Ed25519 key (kept like the database key), registers the public key, records the server and its
communes, seals the database key to the province recovery key and sends it, so a backup of this laptop can be opened
by the province if the laptop dies.
"""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from app.domain.errors import BadInputError
from app.sync import protocol
from app.sync.client import ServerClient, SyncError, check_server_url

if TYPE_CHECKING:
    from app.store.store import Store


def enrol(store: "Store", server_url: str, code: str, *, label: str = "", ca_bundle: str | None = None,
          client: ServerClient | None = None) -> tuple[str, ...]:
    """Enrol and return the device's communes. Raises ``BadInputError`` or ``SyncError`` (nothing half-saved)."""
    url = check_server_url(server_url)
    existing = store.sync.enrolment()
    if existing is not None:
        raise BadInputError("already_enrolled", server=existing.server_url)
    key = store.sync.new_device_key()
    client = client or ServerClient(url, device_id=store.device_id, private_key=key, ca_bundle=ca_bundle,
                                    clock=store.clock)
    answer = client.enrol(code.strip(), store.device_id, protocol.device_public_key(key),
                          label or platform.node() or "payout-desk")
    communes = answer.get("communes")
    recovery = answer.get("recovery_public_key")
    if not isinstance(communes, list) or not isinstance(recovery, str) or len(recovery) != 64:
        raise SyncError("bad_answer", "bad_enrol_answer", "enrolment answer without communes or recovery key")
    sealed = store.sync.record_enrolment(url, [str(c) for c in communes], recovery, ca_bundle)
    send_sealed_key(store, client, sealed)
    return tuple(str(c) for c in communes)


def send_sealed_key(store: "Store", client: ServerClient, sealed: str | None = None) -> bool:
    """Send the sealed database key (again after a failure); True once the server has it."""
    from app.store import database
    from app.store.sync import set_meta

    sealed = sealed or store.sync.sealed_key()
    if not sealed or store.meta("sealed_key_sent") == "1":
        return True
    try:
        client.send_sealed_key(sealed)
    except SyncError:
        return False
    with database.write(store.engine) as conn:
        set_meta(conn, "sealed_key_sent", "1")
    return True
