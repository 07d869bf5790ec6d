"""The console's dependencies: the console, the signed-in officer, the submitted form with its CSRF token checked.

A page handler declares what it needs (``officer: SignedIn``, ``form: CheckedForm``) and FastAPI resolves it in that
order: no session → redirect to sign-in before the form is read; a form without this session's CSRF token → 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from app.domain.period import period_of
from server import progress
from server.web import auth
from server.web.console import Console, PageError


async def get_console(request: Request) -> Console:
    return request.app.state.console  # type: ignore[no-any-return]


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


class Form:
    """A submitted form read whole and closed at once (uploads kept in memory, bounded by the body limit)."""

    def __init__(self, fields: dict[str, list[str]], files: dict[str, tuple[str, bytes]]) -> None:
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


async def submitted_form(request: Request) -> Form:
    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    async with request.form(max_files=2, max_fields=300) as form:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = (value.filename or "", await value.read())
            else:
                fields.setdefault(key, []).append(value)
    return Form(fields, files)


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
    return latest or period_of(console.now().date())


LatestPeriod = Annotated[str, Depends(latest_period)]


def address(request: Request) -> str:
    """The caller's address, for the sign-in rate limit and the audit log."""
    return request.client.host if request.client else "?"
