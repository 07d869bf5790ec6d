"""The JSON API's dependencies: the engine, settings and clock of the app; the signed device; the staff member.

**Authentication comes before the body is read as JSON.** A device call is signed over its raw bytes, so
``signed_device`` reads the body and verifies the signature first; a signed route takes its body through
``signed_body(Model)``, which validates it against ``Model`` only after that. An unsigned, unknown or badly signed
call is therefore refused (401) whatever its body, even one that is not JSON; a signed call with a bad body gets
422 ``invalid_request`` with the same message FastAPI would give. ``server.api.openapi`` documents those bodies.

**Each signed call is accepted once** (``server.replay``): its nonce is recorded before the route runs, so a
captured call sent again is refused. Three levels of device, each a dependency a route names: ``SignedDevice``
(any device, revoked or with a wrong clock: only the journal upload), ``ActiveDevice`` (not revoked) and
``DownloadingDevice`` (not revoked, clock within 5 minutes: downloads, tokens and staff calls).
"""

from __future__ import annotations

import datetime as dt
import email.message
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine

from app.domain.journal import format_timestamp
from app.wire import constants, signing
from app.wire.errors import ProtocolError
from server import accounts
from server.api.errors import ApiError
from server.replay import NonceBook, ReplayRefused
from server.settings import ServerSettings

Model = TypeVar("Model", bound=BaseModel)
Clock = Callable[[], dt.datetime]


# --- the app's engine, settings and clock ----------------------------------------------------------------------------
# Dependencies that never block are ``async``: FastAPI runs them on the event loop instead of handing each to a
# worker thread. Those that touch the database or parse a large body are plain functions (run in the thread pool).


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


async def get_settings(request: Request) -> ServerSettings:
    return request.app.state.settings


async def get_clock(settings: Annotated[ServerSettings, Depends(get_settings)]) -> Clock:
    """The server's clock (tests set it); read when a time is needed, as a route may run for a while."""
    return settings.clock


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]


# --- the signed device -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedCall:
    """A call whose device signature verified and that was not seen before: the device's row as authenticated, its
    clock skew, the raw body and the signature version (2 with a nonce, 1 for a device not yet updated)."""

    device_id: str
    row: Any
    skew_seconds: int
    body: bytes
    version: int = 2

    @property
    def communes(self) -> list[str]:
        return list(json.loads(self.row["communes"]))


async def raw_body(request: Request) -> bytes:
    """The body as sent (bounded by ``BodyLimit``): the signature covers these bytes."""
    return await request.body()


async def get_nonces(request: Request) -> NonceBook:
    return request.app.state.nonces


JOURNAL_PATH = constants.API + "/journal"
ANY_TIME_PATHS = frozenset({JOURNAL_PATH, constants.API + "/device", constants.API + "/device/sealed-key"})
"""Routes that accept a call whatever the device's clock says (``server/replay.py``): their nonces are kept."""


def signed_device(request: Request, body: Annotated[bytes, Depends(raw_body)], engine: EngineDep, clock: ClockDep,
                  nonces: Annotated[NonceBook, Depends(get_nonces)]) -> SignedCall:
    """The enrolled device that signed this call, once (``docs/SYNC.md``, device signature and replay protection).

    401 when unsigned, unknown, badly signed, signed the old way for anything but a journal upload, or replayed.
    """
    device_id = request.headers.get(constants.HEADER_DEVICE, "")
    timestamp = request.headers.get(constants.HEADER_TIME, "")
    signature = request.headers.get(constants.HEADER_SIGNATURE, "")
    nonce = request.headers.get(constants.HEADER_NONCE)
    if not device_id or not timestamp or not signature:
        raise ApiError(401, "unsigned", "this call must be signed by an enrolled device")
    with engine.connect() as conn:
        row = accounts.device_row(conn, device_id)
    if row is None:
        raise ApiError(401, "unknown_device", "this device is not enrolled")
    if not signing.verify_signature(row["public_key"], _signed_message(request, device_id, timestamp, nonce, body),
                                    signature):
        raise ApiError(401, "bad_signature", "the device signature does not verify")
    try:
        sent = signing.signed_time(timestamp)
    except ProtocolError:
        raise ApiError(401, "bad_signature", "the signed time is not readable") from None
    now = clock()
    skew = int((sent - now).total_seconds())
    if nonce is None:
        # Version 1 has no nonce: accepted only where a replay changes nothing (entries dedupe), and only from a
        # device that has never signed with a nonce.
        if request.method != "POST" or request.url.path != JOURNAL_PATH or nonces.has_signed_with_nonces(device_id):
            raise ApiError(401, "old_signature", "this call must be signed with a nonce (signature version 2); "
                           "update Payout Desk on this device")
        return SignedCall(device_id, row, skew, body, version=1)
    try:
        nonces.admit(device_id, nonce, sent, now, any_time=request.url.path in ANY_TIME_PATHS)
    except ReplayRefused:
        raise ApiError(401, "replayed", "this signed call was already received; a new call needs a new nonce") from None
    return SignedCall(device_id, row, skew, body)


def _signed_message(request: Request, device_id: str, timestamp: str, nonce: str | None, body: bytes) -> bytes:
    """What the device must have signed: version 2 with a nonce, version 1 without (401 for a malformed nonce)."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    path = raw_path.decode("latin-1") + (f"?{query.decode('latin-1')}" if query else "")  # as sent, still encoded
    if nonce is None:
        return signing.signing_message(request.method, path, timestamp, body)
    if not signing.valid_nonce(nonce):
        raise ApiError(401, "bad_signature", "the nonce is not 32 lower-case hex digits")
    return signing.request_message(request.method, path, device_id, timestamp, nonce, request.headers, body)


async def active_device(device: Annotated[SignedCall, Depends(signed_device)]) -> SignedCall:
    """A signed device the province has not revoked (403): a revoked device may only upload its journal."""
    if device.row["status"] == "revoked":
        raise ApiError(403, "device_revoked", "this device was revoked by the province; it may only upload")
    return device


async def downloading_device(device: Annotated[SignedCall, Depends(active_device)], clock: ClockDep) -> SignedCall:
    """A signed device that may download: not revoked, and its clock within 5 minutes of the server's (403)."""
    if abs(device.skew_seconds) > constants.MAX_CLOCK_SKEW.total_seconds():
        raise ApiError(403, "clock_skew", "the device clock differs from the server's by more than 5 minutes",
                       server_time=format_timestamp(clock()), skew_seconds=device.skew_seconds)
    return device


SignedDevice = Annotated[SignedCall, Depends(signed_device)]
ActiveDevice = Annotated[SignedCall, Depends(active_device)]
DownloadingDevice = Annotated[SignedCall, Depends(downloading_device)]


# --- the staff member on whose behalf the device calls ---------------------------------------------------------------


def staff_member(device: DownloadingDevice, engine: EngineDep, clock: ClockDep,
                 authorization: Annotated[str | None, Header()] = None) -> Any:
    """The active staff member whose token (issued to this device, under their current password) the call carries.

    The device must be one that may download (not revoked, clock right), as when the token was issued: revoking a
    laptop ends what its tokens can do."""
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiError(401, "no_token", "this call needs the signed-in staff member's token")
    with engine.connect() as conn:
        return accounts.staff_for_token(conn, authorization[7:].strip(), device.device_id, clock())


StaffMember = Annotated[Any, Depends(staff_member)]


# --- a signed call's body, validated after authentication -------------------------------------------------------------


def signed_body(model: type[Model], device: Callable[..., SignedCall] = signed_device) -> Any:
    """``Depends`` on the call's body as ``model``, read only once ``device`` has authenticated the call.

    Use it as ``batch: Annotated[JournalBatch, signed_body(JournalBatch)]``. The dependency carries ``body_model``
    so ``server.api.openapi`` can document the body FastAPI does not see.
    """

    # ``device`` is given as a default, not in ``Annotated``: FastAPI resolves the (string) annotations of a
    # dependency in its module's globals, where this closure's ``device`` is not.
    def validated(request: Request, call: SignedCall = Depends(device)) -> BaseModel:
        return parse_json_body(model, call.body, request.headers.get("content-type"))

    validated.body_model = model  # type: ignore[attr-defined]  # a function attribute server.api.openapi reads
    return Depends(validated)


def parse_json_body(model: type[Model], body: bytes, content_type: str | None) -> Model:
    """The body as ``model``, refused exactly as FastAPI refuses a body parameter (same errors, same messages).

    JSON is parsed only when the content type says JSON (FastAPI's strict content type); anything else is
    validated as raw bytes and refused. Errors are located under ``body`` like FastAPI's.
    """
    if not body:
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    data: Any = body
    if content_type and _is_json(content_type):
        try:
            data = json.loads(body)
        except json.JSONDecodeError as error:
            invalid = {"type": "json_invalid", "loc": ("body", error.pos), "msg": "JSON decode error", "input": {},
                       "ctx": {"error": error.msg}}
            raise RequestValidationError([invalid]) from None
        except Exception:  # not UTF-8, nested too deep …: FastAPI's answer
            raise HTTPException(status_code=400, detail="There was an error parsing the body") from None
    try:
        return model.model_validate(data, from_attributes=True)
    except ValidationError as error:
        raise RequestValidationError([{**item, "loc": ("body", *item["loc"])} for item in error.errors()]) from None


def _is_json(content_type: str) -> bool:
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")
