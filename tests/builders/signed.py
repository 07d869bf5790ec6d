"""Signed calls made by hand or captured from the real client, to send again as an attacker on the network would.

``RecordingSession`` is a ``requests.Session`` for ``ServerClient`` that keeps each call exactly as it went out
(method, URL, headers, body); ``Captured.send`` sends it again byte for byte. ``signed_call`` signs a call with a
device key at a chosen device time (version 2, or version 1 as a device not yet updated signs); ``journal_entries``
builds a device's first entries (sessions opened), chained, and ``Journal`` any chain of payout days, payments and
reversals — content a real desk would refuse to write (another commune's person, impossible amounts), as a device
with a stolen key or a bug could sign it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import requests

from app.domain import journal as canon
from app.domain.model import EntryKind, EvidenceKind, IdentityCheck, PaidLine, Recipient
from app.wire import codec, constants, signing


@dataclass(frozen=True)
class Captured:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None

    def send(self, **changed_headers: str) -> requests.Response:
        """The same call again (with some headers changed, when given: names with ``_`` for ``-``)."""
        headers = dict(self.headers)
        headers.update({name.replace("_", "-"): value for name, value in changed_headers.items()})
        return requests.request(self.method, self.url, data=self.body, headers=headers, timeout=10)

    @property
    def path(self) -> str:
        return self.url.split("/api/v1", 1)[1].split("?", 1)[0]


class RecordingSession(requests.Session):
    """Keeps every call ``ServerClient`` makes, as sent."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Captured] = []

    def request(self, method: str | bytes, url: str | bytes,
                *args: Any, **kwargs: Any) -> requests.Response:
        self.calls.append(Captured(str(method), str(url), dict(kwargs.get("headers") or {}), kwargs.get("data")))
        return super().request(method, url, *args, **kwargs)

    def last(self, method: str, path: str) -> Captured:
        return [call for call in self.calls if call.method == method and call.path == path][-1]


def signed_call(base_url: str, method: str, path: str, body: Any, *, device_id: str, key: bytes, at: dt.datetime,
                token: str | None = None, version: int = 2) -> Captured:
    """A call signed by ``device_id`` at device time ``at`` (not yet sent: ``.send()`` it, once or more)."""
    data = json.dumps(body).encode() if body is not None else b""
    full = constants.API + path
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if version == 1:
        headers.update(signing.signed_headers_v1(device_id, key, method, full, data, at))
    else:
        headers = signing.signed_headers(device_id, key, method, full, data, at, headers)
    return Captured(method, base_url + full, headers, data or None)


def journal_entries(device_id: str, count: int, commune: str, at: dt.datetime, first_seq: int = 1,
                    prev_hash: str = canon.GENESIS_HASH) -> list[dict[str, Any]]:
    """``count`` chained session-opened entries of ``device_id`` from ``first_seq``, as an upload carries them."""
    entries = []
    for seq in range(first_seq, first_seq + count):
        entry_id = f"5a2d7c3e-0000-4000-8000-{seq:012d}"
        payload = canon.canonical_json(canon.entry_payload(
            entry_id=entry_id, device_id=device_id, seq=seq, kind=EntryKind.SESSION_OPENED, recorded_at=at,
            staff="giaodich", body=canon.session_opened_body(session_id=f"s-{seq}", commune_code=commune,
                                                             point_id="p", day=at.date(), period="2026-12",
                                                             cash_advance=1_000_000)))
        entry_hash = canon.chain_hash(prev_hash, payload)
        entries.append(codec.entry_to_wire(seq, entry_id, "session_opened", prev_hash, entry_hash, payload, None))
        prev_hash = entry_hash
    return entries


class Journal:
    """A device's journal written by hand: each method returns the next chained entry, as the wire carries it."""

    def __init__(self, device_id: str, at: dt.datetime, first_seq: int = 1,
                 prev_hash: str = canon.GENESIS_HASH) -> None:
        self.device_id, self.at, self.seq, self.prev_hash = device_id, at, first_seq, prev_hash

    def _entry(self, kind: EntryKind, body: dict[str, Any]) -> dict[str, Any]:
        entry_id = str(uuid.uuid4())
        payload = canon.canonical_json(canon.entry_payload(entry_id=entry_id, device_id=self.device_id, seq=self.seq,
                                                           kind=kind, recorded_at=self.at, staff="giaodich",
                                                           body=body))
        entry_hash = canon.chain_hash(self.prev_hash, payload)
        entry = codec.entry_to_wire(self.seq, entry_id, kind.value, self.prev_hash, entry_hash, payload, None)
        self.seq, self.prev_hash = self.seq + 1, entry_hash
        return entry

    def open_day(self, session_id: str, commune: str, cash_advance: int = 20_000_000) -> dict[str, Any]:
        return self._entry(EntryKind.SESSION_OPENED, canon.session_opened_body(
            session_id=session_id, commune_code=commune, point_id=f"{commune}/diem", day=self.at.date(),
            period=self.at.strftime("%Y-%m"), cash_advance=cash_advance))

    def pay(self, session_id: str, record_code: str, lines: list[tuple[str, int]]) -> dict[str, Any]:
        """A payment of ``lines`` (line key, amount) with a thumbprint (no signature strokes to carry)."""
        paid = [PaidLine(key, key.split("|")[1], key.split("|")[2], key.split("|")[3], amount) for key, amount in lines]
        return self._entry(EntryKind.PAYMENT, canon.payment_body(
            session_id=session_id, record_code=record_code, lines=paid, recipient=Recipient(),
            identity_check=IdentityCheck.QR_MATCHED, evidence_kind=EvidenceKind.THUMBPRINT, signature_digest=None,
            evidence_reason="", witness="Trưởng thôn", back_entry=None))

    def reverse(self, payment_entry_id: str, line_keys: list[str], total: int) -> dict[str, Any]:
        return self._entry(EntryKind.REVERSAL, canon.reversal_body(payment_entry_id=payment_entry_id,
                                                                   reason="Nhầm người", line_keys=line_keys,
                                                                   total=total))
