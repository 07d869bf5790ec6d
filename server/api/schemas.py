"""The JSON API's request and answer shapes: what the OpenAPI schema documents and what the wire carries.

Field bounds are part of the contract (``docs/SYNC.md``): every input is bounded, and text with a NUL character is
refused (422) because PostgreSQL text cannot hold it. Routes that authenticate first read their body through
``server.api.deps.signed_body``; ``server.api.openapi`` documents those bodies with these same models.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from app.wire import constants

MAX_INT = 2**62
"""Bound of sequence numbers and cursors: they fit PostgreSQL's BIGINT."""


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
"""Every string the API accepts: PostgreSQL text cannot hold NUL, so it is refused at the door (422)."""


class ErrorAnswer(BaseModel):
    code: str
    message: str


class EnrolRequest(BaseModel):
    code: Text = Field(min_length=1, max_length=64)
    device_id: Text = Field(min_length=1, max_length=36)
    public_key: Text = Field(min_length=64, max_length=64)
    label: Text = Field(default="", max_length=200)


class EnrolAnswer(BaseModel):
    device_id: str
    communes: list[str]
    recovery_public_key: str
    server_time: str


class SealedKeyRequest(BaseModel):
    sealed_key: Text = Field(min_length=1, max_length=4096)


class TokenRequest(BaseModel):
    username: Text = Field(min_length=1, max_length=64)
    password: Text = Field(min_length=1, max_length=1024)


class TokenAnswer(BaseModel):
    token: str
    expires_at: str
    username: str
    full_name: str
    role: str


class PasswordRequest(BaseModel):
    old_password: Text = Field(min_length=1, max_length=1024)
    new_password: Text = Field(min_length=6, max_length=1024)


class StaffAnswer(BaseModel):
    username: str
    full_name: str
    role: str


class WireEntry(BaseModel):
    seq: int = Field(ge=1, le=MAX_INT)
    entry_id: Text = Field(min_length=1, max_length=36)
    kind: Text = Field(max_length=24)
    prev_hash: Text = Field(min_length=64, max_length=64)
    entry_hash: Text = Field(min_length=64, max_length=64)
    payload: Text = Field(max_length=1_000_000)
    signature: Text | None = Field(default=None, max_length=2_000_000)
    attachment: Text | None = Field(default=None, max_length=(constants.MAX_ATTACHMENT_BYTES * 4) // 3 + 8)
    """A public-notice posting's photo, base64 (issue 13; absent on every other entry)."""


class JournalBatch(BaseModel):
    entries: list[WireEntry] = Field(min_length=1, max_length=constants.MAX_BATCH_ENTRIES)
    pending: int | None = Field(default=None, ge=0, le=2**31 - 1)


class EntryAnswer(BaseModel):
    seq: int
    entry_id: str
    status: str
    flags: list[str]


class JournalAnswer(BaseModel):
    results: list[EntryAnswer]
    last_seq: int
    head_hash: str
    server_time: str


class FeedItem(BaseModel):
    change_id: int
    kind: str
    commune_code: str | None
    payload: dict[str, Any]
    created_at: str


class FeedAnswer(BaseModel):
    items: list[FeedItem]
    next_cursor: int
    more: bool
    communes: list[str]
    server_time: str
    time_zone: str | None = None
    """The province's time zone (issue 13; additive: older devices ignore it)."""


class DeviceAnswer(BaseModel):
    device_id: str
    status: str
    communes: list[str]
    last_seq: int
    head_hash: str
    server_time: str


class HealthAnswer(BaseModel):
    status: str
    server_time: str
    protocol: int
    entry_kinds: list[str]
    """The optional journal entry kinds this server stores (``constants.OPTIONAL_ENTRY_KINDS``): a device journals a
    kind only once its server lists it."""


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorAnswer} for code in (400, 401, 403, 404, 409, 413, 422, 429)
}
