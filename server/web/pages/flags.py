"""The flag queue, a flag's evidence (both payments, signatures, devices, tellers), resolutions and approvals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.signature import decode_strokes, render_png
from app.wire import constants
from server import flags as review
from server import province
from server.db import transaction
from server.web import auth, inputs, words
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)

STATES = ("open", "pending", "resolved", "all")


@router.get("/flags")
def queue(request: Request, officer: SignedIn, console: ConsoleDep, state: str = "open", kind: str = "") -> Response:
    """The review queue: one row per incident (``server.flags.incident_key``), not per flagged line."""
    if state not in STATES:
        state = "open"
    if kind not in constants.FLAG_KINDS:
        kind = ""
    with console.engine.connect() as conn:
        rows, counts = review.incidents(conn, officer.scope, state, kind or None, agency=officer.agency)
    return console.render(request, "flags.html", officer, rows=rows, state=state, kind=kind, counts=counts,
                          kinds=constants.FLAG_KINDS)


@router.get("/flags/{flag_id}")
def detail(request: Request, flag_id: int, officer: SignedIn, console: ConsoleDep) -> Response:
    """An incident (the one this flag belongs to): each flagged line, every payment it is about, one resolution form
    and one second-officer approval for the whole incident."""
    found = visible_incident(console, officer, flag_id)
    lang = console.lang(request)
    with console.engine.connect() as conn:
        entries = words.with_names(conn, review.incident_entries(conn, found))
        history = review.incident_history(conn, found)
        proposed_by = review.proposers(conn, found)
        names = words.staff_names(conn, [*proposed_by, *(h["by_user"] for h in history),
                                         *(h["approved_by"] for h in history)])
    commune_names: dict[str, str] = {}

    def commune(code: str) -> str:
        if code and code not in commune_names:
            with console.engine.connect() as conn:
                commune_names[code] = province.commune_name(conn, code) or code
        return commune_names.get(code, "")

    say = words.page_sayer(console.policy, lang, commune)
    sentences = []
    for row in found["flags"]:
        for sentence in words.detail_sentences(row, say):
            if sentence not in sentences:
                sentences.append(sentence)
    return console.render(request, "flag.html", officer, flag=found, entries=entries, history=history,
                          outcomes=review.OUTCOMES, message=request.query_params.get("done"), names=names,
                          proposed_by=[names.get(user, user) for user in proposed_by],
                          own_proposal=officer.username in proposed_by, sentences=sentences,
                          first=found["flags"][0])


@router.post("/flags/{flag_id}/resolve")
def resolve(flag_id: int, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    """One resolution for the incident, recorded for each of its open flags in one transaction, audited once."""
    found = visible_incident(console, officer, flag_id)
    outcome, reason = form.text("outcome"), form.text("reason")
    write_off = inputs.amount(form.get("write_off") or "0") if outcome == "write_off" else 0
    try:
        with transaction(console.engine) as conn:
            result = review.resolve_incident(conn, flag_id, outcome, reason, write_off, officer.username,
                                             console.now())
            record(conn, officer.username, "flag_resolve", f"flag {found['incident_id']}", reason,
                   {"outcome": outcome, "write_off": write_off, "kind": found["kind"], "pending": result["pending"],
                    "flags": result["flags"], "record_code": found["record_code"] or ""}, now=console.now())
    except review.FlagError as error:
        raise refused(error) from None
    return console.redirect(f"{PREFIX}/flags/{found['incident_id']}?done=1")


@router.post("/flags/{flag_id}/approve")
def approve(flag_id: int, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    """A second officer's decision on the incident's write-off, for each of its pending flags, audited once."""
    found = visible_incident(console, officer, flag_id)
    approved = form.get("decision") == "approve"
    reason = form.text("reason")
    try:
        with transaction(console.engine) as conn:
            result = review.approve_incident(conn, flag_id, approved, reason, officer.username, console.now())
            record(conn, officer.username, "flag_approve" if approved else "flag_reject",
                   f"flag {found['incident_id']}", reason,
                   {"kind": found["kind"], "flags": result["flags"], "record_code": found["record_code"] or ""},
                   now=console.now())
    except review.FlagError as error:
        raise refused(error) from None
    return console.redirect(f"{PREFIX}/flags/{found['incident_id']}?done=1")


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


def visible_incident(console: Console, officer: auth.Officer, flag_id: int) -> dict[str, Any]:
    """The incident of this flag, if it exists (404) and is about one of the officer's communes, or names one (403),
    and of the officer's agency."""
    with console.engine.connect() as conn:
        found = review.incident(conn, flag_id)
    if found is None:
        raise PageError(404, "not_found")
    require(any(officer.may_see(commune) for commune in [found["commune_code"], *found["also_communes"]]))
    require(officer.agency is None or found["agency"] in (officer.agency, ""))
    return found


def refused(error: review.FlagError) -> PageError:
    """A flag action the incident's state does not allow, said by its code (``i18n.ERRORS``)."""
    return PageError(400, error.code)
