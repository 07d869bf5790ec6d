"""Staff accounts (administrators only): add or change, disable or enable, reset a password."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server import accounts
from server.db import transaction
from server.web.audit import record
from server.web.console import PREFIX, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)


@router.get("/staff")
def staff_page(request: Request, officer: SignedIn, console: ConsoleDep) -> Response:
    require(officer.is_admin)
    with console.engine.connect() as conn:
        rows = accounts.staff_rows(conn)
    return console.render(request, "staff.html", officer, rows=[dict(r, communes=json.loads(r["communes"]))
                                                                 for r in rows], roles=accounts.ROLES,
                          agencies=list(console.policy.agencies))


@router.post("/staff")
def staff_add(officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    require(officer.is_admin)
    communes = [code.strip() for code in form.text("communes").split(",") if code.strip()]
    username, role = form.text("username").strip(), form.text("role")
    agency = form.text("agency") or None  # "": every agency
    try:
        with transaction(console.engine) as conn:
            accounts.add_user(conn, username, form.text("full_name"), role, form.text("password"), communes,
                              console.now(), agency)
            record(conn, officer.username, "staff_save", username, "",
                   {"role": role, "communes": communes, "agency": agency or "*"}, now=console.now())
    except accounts.AccountError as error:
        raise refused(error) from None
    return console.redirect(f"{PREFIX}/staff")


@router.post("/staff/{username}/active")
def staff_active(username: str, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    require(officer.is_admin and username != officer.username)
    active = form.get("active") == "1"
    try:
        with transaction(console.engine) as conn:
            accounts.set_active(conn, username, active, console.now())
            record(conn, officer.username, "staff_enable" if active else "staff_disable", username,
                   form.text("reason"), now=console.now())
    except accounts.AccountError as error:
        raise refused(error) from None
    return console.redirect(f"{PREFIX}/staff")


@router.post("/staff/{username}/password")
def staff_password(username: str, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    require(officer.is_admin)
    try:
        with transaction(console.engine) as conn:
            accounts.change_password(conn, username, form.text("password"), console.now())
            record(conn, officer.username, "staff_password_reset", username, "", now=console.now())
    except accounts.AccountError as error:
        raise refused(error) from None
    return console.redirect(f"{PREFIX}/staff")


def refused(error: accounts.AccountError) -> PageError:
    """An account change refused, said by its code (an unknown account is a 404)."""
    return PageError(error.status if error.status == 404 else 400, error.code, **error.params)
