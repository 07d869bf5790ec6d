"""Sign-in (rate-limited, double-submit CSRF before a session exists) and sign-out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.db import transaction
from server.web import auth
from server.web.audit import record
from server.web.console import PREFIX, Console
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, SignInForm, address

router = APIRouter(prefix=PREFIX)


@router.get("/signin")
def signin_form(request: Request, console: ConsoleDep) -> Response:
    return _signin_page(request, console, error=None)


@router.post("/signin")
def signin(request: Request, form: SignInForm, console: ConsoleDep) -> Response:
    username, password = form.text("username"), form.text("password")
    try:
        with transaction(console.engine) as conn:
            token, officer = auth.sign_in(conn, username, password, address(request), console.now(),
                                          console.settings.sign_in_limits)
            record(conn, officer.username, "sign_in", detail={"address": address(request)}, now=console.now())
    except auth.SignInRefused as refused:
        with transaction(console.engine) as conn:
            if refused.code == "wrong_password":
                auth.record_failure(conn, username, address(request), console.now())
            record(conn, username.strip()[:64] or "?", "sign_in_refused", reason=refused.code,
                   detail={"address": address(request)}, now=console.now())
        return _signin_page(request, console, error=refused.code,
                            status=401 if refused.code != "rate_limited" else 429)
    response = console.redirect(f"{PREFIX}/progress")
    response.set_cookie(auth.COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        max_age=auth.SESSION_HOURS * 3600, path=PREFIX)
    response.delete_cookie(auth.SIGNIN_COOKIE, path=PREFIX)
    return response


@router.post("/signout")
def signout(request: Request, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    with transaction(console.engine) as conn:
        auth.sign_out(conn, request.cookies.get(auth.COOKIE), console.now())
        record(conn, officer.username, "sign_out", now=console.now())
    response = console.redirect(f"{PREFIX}/signin")
    response.delete_cookie(auth.COOKIE, path=PREFIX)
    return response


def _signin_page(request: Request, console: Console, error: str | None, status: int = 200) -> Response:
    """The form with a fresh double-submit token, in the page and in a cookie."""
    token = auth.new_signin_token()
    response = console.render(request, "signin.html", status=status, signin_token=token, error=error)
    response.set_cookie(auth.SIGNIN_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path=PREFIX)
    return response
