"""The JSON API under ``/api/v1`` (FastAPI): enrolment, tokens, the change feed and the journal upload.

Every device call is signed with the device's Ed25519 key (``app.wire.signing.signed_headers``); calls made on a
staff member's behalf also carry their short-lived token. Errors are JSON ``{"code", "message"}`` — never a
traceback — and bodies above ``MAX_REQUEST_BYTES`` are refused before they are read whole.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy import Engine, func, select
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.journal import format_timestamp
from app.wire import constants, signing
from app.wire.errors import ProtocolError
from server import accounts, db, feed, ingest, province, schema
from server.settings import ServerSettings

log = logging.getLogger("payout_server")


MAX_INT = 2**62
"""Bound of sequence numbers and cursors: they fit PostgreSQL's BIGINT."""


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


# --- request and answer shapes (the OpenAPI schema) ------------------------------------------------------------------


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


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorAnswer} for code in (400, 401, 403, 404, 409, 413, 422, 429)
}


# --- the application ---------------------------------------------------------------------------------------------------


@dataclass
class DeviceCaller:
    device_id: str
    row: Any
    skew_seconds: int

    @property
    def communes(self) -> list[str]:
        return json.loads(self.row["communes"])


class BodyLimit:
    """Refuse request bodies above the limit (413) without reading them whole (pure ASGI, streaming-safe)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = json.dumps({"code": "too_large", "message": "request body too large"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: ServerSettings, engine: Engine | None = None) -> FastAPI:
    """The API over ``settings.database_url`` (migrated on creation)."""
    engine = engine or db.make_engine(settings.database_url)
    db.migrate(engine)
    app = FastAPI(title="Payout Desk province server", version="1", openapi_url=f"{constants.API}/openapi.json",
                  docs_url=f"{constants.API}/docs", redoc_url=None)
    app.state.engine = engine
    app.state.settings = settings
    app.add_middleware(BodyLimit, limit=constants.MAX_REQUEST_BYTES)
    _install_error_handlers(app)
    from server.web.install import install

    app.state.console = install(app, settings, engine)

    def now() -> dt.datetime:
        return settings.clock()

    async def raw_body(request: Request) -> bytes:
        return await request.body()

    def authenticate(request: Request, body: bytes) -> DeviceCaller:
        device_id = request.headers.get(constants.HEADER_DEVICE, "")
        timestamp = request.headers.get(constants.HEADER_TIME, "")
        signature = request.headers.get(constants.HEADER_SIGNATURE, "")
        if not device_id or not timestamp or not signature:
            raise ApiError(401, "unsigned", "this call must be signed by an enrolled device")
        with engine.connect() as conn:
            row = accounts.device_row(conn, device_id)
        if row is None:
            raise ApiError(401, "unknown_device", "this device is not enrolled")
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        query = request.scope.get("query_string") or b""
        path = raw_path.decode("latin-1") + (f"?{query.decode('latin-1')}" if query else "")  # as sent, still encoded
        message = signing.signing_message(request.method, path, timestamp, body)
        if not signing.verify_signature(row["public_key"], message, signature):
            raise ApiError(401, "bad_signature", "the device signature does not verify")
        try:
            sent = signing.signed_time(timestamp)
        except ProtocolError:
            raise ApiError(401, "bad_signature", "the signed time is not readable") from None
        return DeviceCaller(device_id, row, int((sent - now()).total_seconds()))

    def may_download(caller: DeviceCaller) -> None:
        if caller.row["status"] == "revoked":
            raise ApiError(403, "device_revoked", "this device was revoked by the province; it may only upload")
        if abs(caller.skew_seconds) > constants.MAX_CLOCK_SKEW.total_seconds():
            raise ApiError(403, "clock_skew", "the device clock differs from the server's by more than 5 minutes",
                           server_time=format_timestamp(now()), skew_seconds=caller.skew_seconds)

    def staff_of(caller: DeviceCaller, authorization: str | None) -> Any:
        if not authorization or not authorization.startswith("Bearer "):
            raise ApiError(401, "no_token", "this call needs the signed-in staff member's token")
        with engine.connect() as conn:
            try:
                claims = accounts.read_token(conn, authorization[7:].strip(), now())
            except accounts.AccountError as error:
                raise ApiError(error.status, error.code, error.message) from None
            if claims.device_id != caller.device_id:
                raise ApiError(401, "bad_token", "this token was issued to another device")
            row = conn.execute(select(schema.staff).where(schema.staff.c.username == claims.username)).mappings().first()
        if row is None or not row["active"]:
            raise ApiError(401, "bad_token", "this staff member is not active")
        if claims.password != accounts.password_version(row["password_hash"]):
            raise ApiError(401, "token_expired", "the password changed since this token was issued; sign in again")
        return row

    api = constants.API

    @app.get(f"{api}/health", response_model=HealthAnswer)
    def health() -> dict[str, Any]:
        return {"status": "ok", "server_time": format_timestamp(now()), "protocol": constants.PROTOCOL_VERSION}

    @app.post(f"{api}/enrol", response_model=EnrolAnswer, responses=ERRORS)
    def enrol(request: EnrolRequest) -> dict[str, Any]:
        with db.transaction(engine) as conn:
            try:
                communes = accounts.enrol(conn, request.code, request.device_id, request.public_key, request.label, now())
            except accounts.AccountError as error:
                raise ApiError(error.status, error.code, error.message) from None
            recovery = db.get_meta(conn, "recovery_public_key") or ""
        return {"device_id": request.device_id, "communes": communes, "recovery_public_key": recovery,
                "server_time": format_timestamp(now())}

    @app.post(f"{api}/device/sealed-key", response_model=DeviceAnswer, responses=ERRORS)
    def sealed_key(request_body: SealedKeyRequest, request: Request, body: bytes = Depends(raw_body)) -> dict[str, Any]:
        caller = authenticate(request, body)
        if caller.row["status"] == "revoked":
            raise ApiError(403, "device_revoked", "a revoked device cannot replace its sealed key")
        with db.transaction(engine) as conn:
            stored = conn.execute(select(schema.devices.c.sealed_key).where(
                schema.devices.c.device_id == caller.device_id).with_for_update()).scalar()
            if stored and stored != request_body.sealed_key:
                raise ApiError(409, "sealed_key_exists", "this device's sealed key is already stored (write-once)")
            conn.execute(schema.devices.update().where(schema.devices.c.device_id == caller.device_id)
                         .values(sealed_key=request_body.sealed_key))
            row = accounts.device_row(conn, caller.device_id)
        return _device_answer(row, now())

    @app.get(f"{api}/device", response_model=DeviceAnswer, responses=ERRORS)
    def device_status(request: Request, body: bytes = Depends(raw_body)) -> dict[str, Any]:
        caller = authenticate(request, body)
        return _device_answer(caller.row, now())

    @app.post(f"{api}/auth/token", response_model=TokenAnswer, responses=ERRORS)
    def token(request_body: TokenRequest, request: Request, body: bytes = Depends(raw_body)) -> dict[str, Any]:
        caller = authenticate(request, body)
        may_download(caller)
        username = request_body.username.strip()
        with engine.connect() as conn:
            if accounts.recent_failures(conn, username, now()) >= accounts.MAX_TOKEN_FAILURES:
                raise ApiError(429, "rate_limited", "too many wrong passwords; try again in 15 minutes")
        with db.transaction(engine) as conn:
            row = accounts.check_password(conn, username, request_body.password)
        if row is None:
            with db.transaction(engine) as conn:
                accounts.record_failure(conn, username, f"device:{caller.device_id}", now())
            raise ApiError(401, "sign_in_failed", "wrong username or password")
        with db.transaction(engine) as conn:
            staff_communes = set(json.loads(row["communes"]))
            if "*" not in staff_communes and not staff_communes & set(caller.communes):
                raise ApiError(403, "other_commune", "this staff member does not work in this device's communes")
            value, expires = accounts.issue_token(conn, row["username"], caller.device_id, now(),
                                                  settings.token_minutes)
        return {"token": value, "expires_at": format_timestamp(expires), "username": row["username"],
                "full_name": row["full_name"], "role": row["role"]}

    @app.get(f"{api}/staff/me", response_model=StaffAnswer, responses=ERRORS)
    def me(request: Request, body: bytes = Depends(raw_body),
           authorization: str | None = Header(default=None)) -> dict[str, Any]:
        row = staff_of(authenticate(request, body), authorization)
        return {"username": row["username"], "full_name": row["full_name"], "role": row["role"]}

    @app.post(f"{api}/staff/password", response_model=StaffAnswer, responses=ERRORS)
    def password(request_body: PasswordRequest, request: Request, body: bytes = Depends(raw_body),
                 authorization: str | None = Header(default=None)) -> dict[str, Any]:
        row = staff_of(authenticate(request, body), authorization)
        with db.transaction(engine) as conn:
            if accounts.check_password(conn, row["username"], request_body.old_password) is None:
                raise ApiError(401, "sign_in_failed", "the current password is wrong")
            try:
                accounts.change_password(conn, row["username"], request_body.new_password, now())
            except accounts.AccountError as error:
                raise ApiError(error.status, error.code, error.message) from None
        return {"username": row["username"], "full_name": row["full_name"], "role": row["role"]}

    @app.get(f"{api}/feed", response_model=FeedAnswer, responses=ERRORS)
    def changes(request: Request, body: bytes = Depends(raw_body), after: int = Query(default=0, ge=0, le=MAX_INT),
                limit: int = Query(default=constants.FEED_PAGE_LIMIT, ge=1, le=1000)) -> dict[str, Any]:
        caller = authenticate(request, body)
        may_download(caller)
        with engine.connect() as conn:
            items, more = feed.page(conn, device_id=caller.device_id, communes=caller.communes, after=after,
                                    limit=min(limit, settings.feed_page_limit))
        next_cursor = items[-1]["change_id"] if items else after
        return {"items": items, "next_cursor": next_cursor, "more": more, "communes": caller.communes,
                "server_time": format_timestamp(now())}

    @app.get(f"{api}/communes/{{code}}/list", responses=ERRORS)
    def commune_list(code: str, request: Request, body: bytes = Depends(raw_body)) -> dict[str, Any]:
        caller = authenticate(request, body)
        may_download(caller)
        if code not in caller.communes:
            raise ApiError(403, "other_commune", "this device does not serve that commune")
        with engine.connect() as conn:
            try:
                return province.snapshot_fragment(conn, code)
            except province.AmendError as error:
                raise ApiError(404, "unknown_commune", str(error)) from None

    @app.post(f"{api}/journal", response_model=JournalAnswer, responses=ERRORS)
    def journal(batch: JournalBatch, request: Request, body: bytes = Depends(raw_body)) -> dict[str, Any]:
        caller = authenticate(request, body)
        raw_entries = [entry.model_dump() for entry in batch.entries]
        outcome = apply_journal(engine, settings, caller.device_id, raw_entries, caller.skew_seconds, batch.pending)
        return {"results": [r.as_json() for r in outcome.results], "last_seq": outcome.head_seq,
                "head_hash": outcome.head_hash, "server_time": format_timestamp(now())}

    return app


def apply_journal(engine: Engine, settings: ServerSettings, device_id: str, raw_entries: list[dict[str, Any]],
                  skew_seconds: int | None, pending: int | None = None) -> ingest.BatchOutcome:
    """One batch, one transaction; a unique-key race with a concurrent copy of the batch is retried once."""
    from sqlalchemy.exc import IntegrityError

    for attempt in range(3):
        try:
            with db.transaction(engine) as conn:
                return ingest.apply_batch(conn, device_id=device_id, raw_entries=raw_entries, now=settings.clock(),
                                          skew_seconds=skew_seconds, proxy_limit=settings.proxy_limit, pending=pending)
        except ingest.BatchRefused as refused:
            raise ApiError(refused.status, refused.code, refused.message, **refused.extra) from None
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _device_answer(row: Any, now: dt.datetime) -> dict[str, Any]:
    return {"device_id": row["device_id"], "status": row["status"], "communes": json.loads(row["communes"]),
            "last_seq": int(row["last_seq"]), "head_hash": row["head_hash"], "server_time": format_timestamp(now)}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        return JSONResponse({"code": error.code, "message": error.message, **error.extra}, status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return JSONResponse({"code": "invalid_request", "message": f"{where}: {first.get('msg', 'invalid')}"},
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return JSONResponse({"code": code, "message": str(error.detail)}, status_code=error.status_code)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return JSONResponse({"code": "internal", "message": "internal server error; the request was not applied"},
                            status_code=500)


def entry_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {"entries": int(conn.execute(select(func.count()).select_from(schema.entries)).scalar_one()),
                "flags": int(conn.execute(select(func.count()).select_from(schema.flags)).scalar_one())}
