"""Reading the province's change feed off the wire into the typed changes the store applies.

One page of the feed becomes a list of ``FeedChange`` values (list fragments as ``ParsedList``, staff accounts,
flags, commune reassignments); ``SyncService.apply_changes`` applies them with the cursor in one transaction. A kind
this device does not know (from a newer server) is skipped, so new kinds can be added to the feed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from app.domain.errors import BadInputError
from app.store.feed import CommunesChange, FeedChange, ListFragment, PersonLinkChange, StaffChange, SyncFlag
from app.store.policy_notices import PolicyNoticeChange, PolicyTextChange
from app.store.sync import FeedApplied
from app.wire.codec import fragment_from_wire, person_link_from_wire, policy_notice_from_wire, policy_text_from_wire
from app.wire.constants import (
    CHANGE_COMMUNES,
    CHANGE_FLAG,
    CHANGE_LIST,
    CHANGE_PERSON_LINK,
    CHANGE_POLICY_NOTICE,
    CHANGE_POLICY_TEXT,
    CHANGE_STAFF,
)
from app.wire.errors import ProtocolError

if TYPE_CHECKING:
    from app.store.store import Store


def staff_from_wire(payload: Mapping[str, Any]) -> StaffChange:
    """A staff account; one that works on this device must carry its name and password verifier."""
    try:
        change = StaffChange(username=payload["username"], role=payload.get("role"),
                             active=bool(payload.get("active", True)))
        if change.works_here:
            change = StaffChange(change.username, payload["full_name"], change.role, payload["password_hash"])
        return change
    except (KeyError, TypeError, AttributeError) as error:
        raise ProtocolError(f"bad staff change: {error}") from error


def flag_from_wire(payload: Mapping[str, Any]) -> SyncFlag:
    try:
        detail = payload.get("detail") or {}
        if not isinstance(detail, Mapping):
            raise TypeError("detail is not an object")
        return SyncFlag(flag_id=payload["flag_id"], kind=payload["kind"], entry_id=payload["entry_id"],
                        other_entry_id=payload.get("other_entry_id"), device_id=payload["device_id"],
                        line_key=payload.get("line_key"), record_code=payload.get("record_code"), detail=detail,
                        created_at=payload["created_at"], resolution=payload.get("resolution"))
    except (KeyError, TypeError, AttributeError) as error:
        raise ProtocolError(f"bad flag: {error}") from error


def change_from_wire(item: Mapping[str, Any]) -> FeedChange | None:
    """One feed item as a typed change (None for a kind this device does not know)."""
    kind, payload = item["kind"], item["payload"]
    if kind == CHANGE_LIST:
        parsed, whole_commune = fragment_from_wire(payload)
        return ListFragment(parsed, whole_commune)
    if kind == CHANGE_STAFF:
        return staff_from_wire(payload)
    if kind == CHANGE_FLAG:
        return flag_from_wire(payload)
    if kind == CHANGE_COMMUNES:
        return CommunesChange(tuple(str(code) for code in payload.get("communes", [])))
    if kind == CHANGE_PERSON_LINK:
        return PersonLinkChange(person_link_from_wire(payload))
    if kind == CHANGE_POLICY_NOTICE:
        return PolicyNoticeChange(policy_notice_from_wire(payload))
    if kind == CHANGE_POLICY_TEXT:
        return PolicyTextChange(policy_text_from_wire(payload))
    return None


def changes_from_wire(items: Iterable[Mapping[str, Any]]) -> list[FeedChange]:
    return [change for change in map(change_from_wire, items) if change is not None]


def apply_feed_page(store: Store, items: Iterable[Mapping[str, Any]], next_cursor: int,
                    communes: Iterable[str] | None = None, time_zone: str | None = None) -> FeedApplied:
    """Decode one page of the feed and apply it with the cursor after it (and the device's communes, when the
    answer names them); then take the province's time zone when the answer names one (``apply_time_zone``)."""
    applied = store.sync.apply_changes(changes_from_wire(items), next_cursor, communes)
    if time_zone is not None:
        apply_time_zone(store, time_zone)
    return applied


def apply_time_zone(store: Store, zone: str) -> bool:
    """Show times from now on in the province's zone the feed names (``Store.set_time_zone``); whether it changed.

    A zone this machine's IANA data does not know is not taken: the desk keeps the zone it has (its self-test names
    missing IANA data), and the sync goes on, since lists and flags matter more than the clock's name."""
    if zone == store.province_time.zone:
        return False
    try:
        store.set_time_zone(zone)
    except BadInputError:
        return False
    return True
