"""Errors of the JSON API: JSON ``{code, message, ...}`` with the status ``docs/SYNC.md`` lists, never a traceback.

Routes and dependencies raise ``ApiError``. A service's own refusal (``accounts.AccountError``,
``ingest.BatchRefused``) already carries its status and code and is answered as it is, so a route need not catch it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.accounts import AccountError
from server.ingest import BatchRefused

log = logging.getLogger("payout_server")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def answer(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, **extra}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        return answer(error.status, error.code, error.message, **error.extra)

    @app.exception_handler(AccountError)
    async def account_refused(_request: Request, error: AccountError) -> JSONResponse:
        return answer(error.status, error.code, error.message)

    @app.exception_handler(BatchRefused)
    async def batch_refused(_request: Request, error: BatchRefused) -> JSONResponse:
        return answer(error.status, error.code, error.message, **error.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return answer(422, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return answer(error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return answer(500, "internal", "internal server error; the request was not applied")
