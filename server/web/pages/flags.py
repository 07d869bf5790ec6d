"""The flag queue, a flag's evidence (both payments, signatures, devices, tellers), resolutions and approvals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.signature import decode_strokes, render_png
from server import flags as review
from server.db import transaction
from server.web import auth, inputs
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)

STATES = ("open", "pending", "resolved", "all")


@router.get("/flags")
def queue(request: Request, officer: SignedIn, console: ConsoleDep, state: str = "open", kind: str = "") -> Response:
    if state not in STATES:
        state = "open"
    with console.engine.connect() as conn:
        rows = review.queue(conn, officer.scope, state, kind or None, agency=officer.agency)
        counts = review.counts(conn, officer.scope, officer.agency)
    return console.render(request, "flags.html", officer, rows=rows, state=state, kind=kind, counts=counts)


@router.get("/flags/{flag_id}")
def detail(request: Request, flag_id: int, officer: SignedIn, console: ConsoleDep) -> Response:
    row = visible_flag(console, officer, flag_id)
    with console.engine.connect() as conn:
        entries = review.evidence(conn, row)
        history = review.history(conn, flag_id)
    return console.render(request, "flag.html", officer, flag=row, entries=entries, history=history,
                          outcomes=review.OUTCOMES, message=request.query_params.get("done"))


@router.post("/flags/{flag_id}/resolve")
def resolve(flag_id: int, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    row = visible_flag(console, officer, flag_id)
    outcome, reason = form.text("outcome"), form.text("reason")
    write_off = inputs.amount(form.get("write_off") or "0") if outcome == "write_off" else 0
    try:
        with transaction(console.engine) as conn:
            result = review.resolve(conn, flag_id, outcome, reason, write_off, officer.username, console.now())
            record(conn, officer.username, "flag_resolve", f"flag {flag_id}", reason,
                   {"outcome": outcome, "write_off": write_off, "kind": row["kind"],
                    "pending": result["pending"]}, now=console.now())
    except review.FlagError as error:
        raise refused(error) from None
    return console.redirect(f"{PREFIX}/flags/{flag_id}?done=1")


@router.post("/flags/{flag_id}/approve")
def approve(flag_id: int, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    visible_flag(console, officer, flag_id)
    approved = form.get("decision") == "approve"
    reason = form.text("reason")
    try:
        with transaction(console.engine) as conn:
            review.approve(conn, flag_id, approved, reason, officer.username, console.now())
            record(conn, officer.username, "flag_approve" if approved else "flag_reject", f"flag {flag_id}",
                   reason, now=console.now())
    except review.FlagError as error:
        raise refused(error) from None
    return console.redirect(f"{PREFIX}/flags/{flag_id}?done=1")


@router.get("/signatures/{entry_id}.png")
def signature(entry_id: str, officer: SignedIn, console: ConsoleDep) -> Response:
    with console.engine.connect() as conn:
        found = review.signature(conn, entry_id)
    if found is None:
        raise PageError(404, "not_found")
    strokes, communes = found
    require(any(officer.may_see(commune) for commune in communes))
    return Response(render_png(decode_strokes(strokes)), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=3600"})


def visible_flag(console: Console, officer: auth.Officer, flag_id: int) -> dict[str, Any]:
    """The flag, if it exists (404) and is about one of the officer's communes, or names one (403)."""
    with console.engine.connect() as conn:
        row = review.flag(conn, flag_id)
    if row is None:
        raise PageError(404, "not_found")
    require(any(officer.may_see(commune) for commune in [row["commune_code"], *row["also_communes"]]))
    require(officer.agency is None or row["agency"] in (officer.agency, ""))
    return row


def refused(error: review.FlagError) -> PageError:
    """A flag action the flag's state does not allow, said by its code (``i18n.ERRORS``)."""
    return PageError(400, error.code)
