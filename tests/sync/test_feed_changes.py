"""The change feed read off the wire into the typed changes the store applies (``app.sync.feed``)."""

from __future__ import annotations

from typing import Any

import pytest

from app.store.feed import CommunesChange, StaffChange, SyncFlag
from app.sync.feed import changes_from_wire
from app.wire.errors import ProtocolError

FLAG: dict[str, Any] = {
        "flag_id": 7, "kind": "double_payment", "entry_id": "e-1", "other_entry_id": "e-2", "device_id": "d-2",
        "line_key": "QNH/LS-00001-TCM|2026-12|uu_dai|monthly", "record_code": "QNH/LS-00001-TCM",
        "detail": {"other_device": "d-1"}, "created_at": "2026-12-10T01:30:15.123456Z", "resolution": None}


def test_each_kind_becomes_its_typed_change_and_an_unknown_kind_is_skipped() -> None:
    changes = changes_from_wire([
        {"kind": "staff", "payload": {"username": "lan", "full_name": "Trần Thị Lan", "role": "teller",
                                      "password_hash": "$argon2id$v=19$...", "active": True}},
        {"kind": "staff", "payload": {"username": "hoa", "role": "officer", "active": True}},
        {"kind": "flag", "payload": FLAG},
        {"kind": "communes", "payload": {"communes": ["QNH-0002", "QNH-0001"]}},
        {"kind": "a-kind-from-a-newer-server", "payload": {}},
    ])
    assert changes == [
        StaffChange("lan", "Trần Thị Lan", "teller", "$argon2id$v=19$...", True),
        StaffChange("hoa", "", "officer", "", True),  # not a teller or supervisor: ends the account here
        SyncFlag(7, "double_payment", "e-1", "e-2", "d-2", FLAG["line_key"], "QNH/LS-00001-TCM",
                 {"other_device": "d-1"}, FLAG["created_at"], None),
        CommunesChange(("QNH-0002", "QNH-0001")),
    ]
    assert isinstance(changes[1], StaffChange) and not changes[1].works_here


@pytest.mark.parametrize("item", [
    {"kind": "staff", "payload": {"username": "lan", "role": "teller"}},  # works here, but no verifier
    {"kind": "staff", "payload": {"role": "teller"}},
    {"kind": "flag", "payload": {**FLAG, "detail": ["not", "an", "object"]}},
    {"kind": "flag", "payload": {key: value for key, value in FLAG.items() if key != "entry_id"}},
    {"kind": "list", "payload": {"payout_period": "2026-12"}},
])
def test_a_malformed_item_is_a_protocol_error(item: dict) -> None:
    with pytest.raises(ProtocolError):
        changes_from_wire([item])
