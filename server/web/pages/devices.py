"""Devices: their last sync and pending entries, revoking a laptop, and one-time enrolment codes for new ones."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server import accounts, progress, province
from server.db import transaction
from server.web import auth
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)


@router.get("/devices")
def devices_page(request: Request, officer: SignedIn, console: ConsoleDep) -> Response:
    return devices_view(request, console, officer, code=None)


@router.post("/devices/{device_id}/revoke")
def revoke(device_id: str, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    with console.engine.connect() as conn:
        row = accounts.device_row(conn, device_id)
    if row is None:
        raise PageError(404, "not_found")
    require(officer.is_admin or officer.is_province
            or all(officer.may_see(code) for code in json.loads(row["communes"])))
    reason = form.text("reason").strip()
    with transaction(console.engine) as conn:
        accounts.revoke(conn, device_id, reason, console.now())
        record(conn, officer.username, "device_revoke", device_id, reason, now=console.now())
    return console.redirect(f"{PREFIX}/devices")


@router.post("/enrol-codes")
def enrol_code(request: Request, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    communes = [str(code) for code in form.getlist("commune") if str(code)]
    require(bool(communes) and all(officer.may_see(code) for code in communes))
    label = form.text("label")
    try:
        with transaction(console.engine) as conn:
            code = accounts.make_enrol_code(conn, communes, console.now(), console.settings.enrol_code_hours, label)
            record(conn, officer.username, "enrol_code", ",".join(communes), label, now=console.now())
    except accounts.AccountError as error:
        raise PageError(400, error.code, **error.params) from None
    return devices_view(request, console, officer, code=code)


def devices_view(request: Request, console: Console, officer: auth.Officer, code: str | None) -> Response:
    """The devices page; ``code`` is a new enrolment code, shown once."""
    with console.engine.connect() as conn:
        devices = progress.devices(conn, officer.scope)
        communes = [c for c in province.commune_codes(conn) if officer.may_see(c)]
    return console.render(request, "devices.html", officer, devices=devices, communes=communes, code=code)
