"""Contradictions between a later list and standing amendments: the queue, one contradiction in words, and an
officer's explicit, audited choice — keep the amendment, or accept the list's value with a reason (which becomes a
new amendment). Until decided, the standing value holds and the lines it concerns are held on the devices."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.amendments import Choice
from server import facts, province
from server.db import transaction
from server.web import auth, words
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)

STATES = ("open", "decided", "all")


@router.get("/contradictions")
def queue(request: Request, officer: SignedIn, console: ConsoleDep, state: str = "open") -> Response:
    if state not in STATES:
        state = "open"
    with console.engine.connect() as conn:
        rows = facts.listing(conn, officer.scope, state, agency=officer.agency)
    return console.render(request, "contradictions.html", officer, rows=rows, state=state)


@router.get("/contradictions/{contradiction_id}")
def detail(request: Request, contradiction_id: int, officer: SignedIn, console: ConsoleDep) -> Response:
    item = visible(console, officer, contradiction_id)
    return console.render(request, "contradiction.html", officer, item=item,
                          staff_name=words.staff_lookup(console.engine),
                          done=request.query_params.get("done"))


@router.post("/contradictions/{contradiction_id}")
def decide(contradiction_id: int, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    item = visible(console, officer, contradiction_id)
    try:
        choice = Choice(form.text("choice"))
    except ValueError:
        raise PageError(400, "bad_choice") from None
    reason = form.text("reason").strip()
    try:
        with transaction(console.engine) as conn:
            province.decide(conn, contradiction_id, choice, reason, officer.username, console.now())
            record(conn, officer.username, f"contradiction_{choice.value}", item.contradiction.record_code, reason,
                   {"contradiction": contradiction_id, "subject": item.contradiction.subject.value,
                    "line": item.contradiction.line_key or ""}, now=console.now())
    except province.AmendError as error:
        raise PageError(400, error.code, **error.params) from None
    return console.redirect(f"{PREFIX}/contradictions/{contradiction_id}?done=1")


def visible(console: Console, officer: auth.Officer, contradiction_id: int) -> facts.Recorded:
    """The contradiction, if it exists (404) and concerns one of the officer's communes (403)."""
    with console.engine.connect() as conn:
        item = facts.recorded(conn, contradiction_id)
    if item is None:
        raise PageError(404, "not_found")
    require(officer.may_see(item.commune_code))
    if officer.agency is not None:  # an officer of one agency decides about that agency's records
        with console.engine.connect() as conn:
            row = province.person_row(conn, item.contradiction.record_code)
        require(row is None or row["agency"] in (officer.agency, ""))
    return item
