"""The console's dependencies: the console, the signed-in officer, the submitted form with its CSRF token checked.

A page handler declares what it needs (``officer: SignedIn``, ``form: CheckedForm``) and FastAPI resolves it in that
order: no session → redirect to sign-in before the form is read; a form without this session's CSRF token → 403.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from server import progress, reporting
from server.web import auth
from server.web.console import Console, PageError


async def get_console(request: Request) -> Console:
    return request.app.state.console


ConsoleDep = Annotated[Console, Depends(get_console)]


def signed_in_officer(request: Request, console: ConsoleDep) -> auth.Officer:
    """The officer of this session; without one, the page answers with a redirect to sign-in."""
    officer = console.signed_in(request)
    if officer is None:
        raise PageError(401, "signin")
    return officer


SignedIn = Annotated[auth.Officer, Depends(signed_in_officer)]


def require(allowed: bool) -> None:
    """Refuse (403) what the officer's role or communes do not allow."""
    if not allowed:
        raise PageError(403, "forbidden")


# --- forms ----------------------------------------------------------------------------------------------------------


MAX_UPLOAD_BYTES = 128 * 1024 * 1024
"""An uploaded file's bytes at most (a list's own bound is ``app.lists.limits.LIMITS.file_bytes``; the request
body limit in front of the console may be lower)."""
_COPY_BLOCK = 64 * 1024


@dataclass(frozen=True)
class Upload:
    """An uploaded file, copied to a private temporary folder as it arrived (never held in memory).

    The folder is removed after the response unless a page took the file (moved it elsewhere)."""

    filename: str
    path: Path
    size: int


class Form:
    """A submitted form read once and closed at once; its files are on disk (``Upload``), bounded in size."""

    def __init__(self, fields: dict[str, list[str]], files: dict[str, Upload]) -> None:
        self.fields, self.files = fields, files

    def get(self, key: str, default: Any = None) -> Any:
        values = self.fields.get(key)
        return values[0] if values else default

    def text(self, key: str) -> str:
        """A field as text, "" when absent."""
        return str(self.get(key, ""))

    def getlist(self, key: str) -> list[str]:
        return list(self.fields.get(key, []))

    def __getitem__(self, key: str) -> str:
        return self.fields[key][0]


async def _save_upload(value: UploadFile, folder: Path, number: int) -> Upload:
    """Copy an upload to ``folder`` block by block, refusing it (413) past ``MAX_UPLOAD_BYTES``."""
    path = folder / f"upload-{number}"
    size = 0
    with open(path, "wb") as handle:
        while block := await value.read(_COPY_BLOCK):
            size += len(block)
            if size > MAX_UPLOAD_BYTES:
                raise PageError(413, "file_too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
            handle.write(block)
    return Upload(value.filename or "", path, size)


async def submitted_form(request: Request) -> AsyncIterator[Form]:
    fields: dict[str, list[str]] = {}
    files: dict[str, Upload] = {}
    folder: Path | None = None
    try:
        async with request.form(max_files=2, max_fields=300) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if folder is None:
                        folder = Path(tempfile.mkdtemp(prefix="payout-upload-"))
                    files[key] = await _save_upload(value, folder, len(files))
                else:
                    fields.setdefault(key, []).append(value)
        yield Form(fields, files)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


async def checked_form(officer: SignedIn, form: Annotated[Form, Depends(submitted_form)]) -> Form:
    """The form of a signed-in officer, carrying their session's CSRF token (403 otherwise)."""
    if not auth.csrf_ok(officer.csrf, form.get("csrf")):
        raise PageError(403, "csrf")
    return form


async def sign_in_form(request: Request, form: Annotated[Form, Depends(submitted_form)]) -> Form:
    """The sign-in form, before any session: its token must match the double-submit cookie (403 otherwise)."""
    if not auth.csrf_ok(request.cookies.get(auth.SIGNIN_COOKIE, ""), form.get("csrf")):
        raise PageError(403, "csrf")
    return form


CheckedForm = Annotated[Form, Depends(checked_form)]
SignInForm = Annotated[Form, Depends(sign_in_form)]


# --- values several pages share --------------------------------------------------------------------------------------


def latest_period(console: ConsoleDep) -> str:
    """The newest month any list covers (else this month): what the pages show first."""
    with console.engine.connect() as conn:
        latest = progress.latest_list_period(conn)
    return latest or console.settings.province_time.period_of(console.now())  # the province's month, not UTC's


LatestPeriod = Annotated[str, Depends(latest_period)]


def reported_period(officer: SignedIn, console: ConsoleDep) -> str:
    """The month being reported for the officer's agency (``server.reporting.reported_month``: the earliest listed
    month not marked final), else this month in the province's clock: what the progress and report pages open on."""
    with console.engine.connect() as conn:
        month = reporting.reported_month(conn, officer.agency)
    return month or console.settings.province_time.period_of(console.now())


ReportedPeriod = Annotated[str, Depends(reported_period)]


def agency_shown(officer: auth.Officer, requested: str | None, agencies: Any) -> str | None:
    """The agency a page shows: an officer of one agency always sees theirs; another officer the one they chose
    (None: every agency; a code the catalogue lacks is every agency too)."""
    if officer.agency is not None:
        return officer.agency
    return requested if requested and requested in agencies else None


def address(request: Request) -> str:
    """The caller's address, for the sign-in rate limit and the audit log."""
    return request.client.host if request.client else "?"
