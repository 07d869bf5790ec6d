"""One citizen on several agencies' lists: the records to match (one personal number, another name or birth year),
with the evidence an officer decides on, and the decisions — link, separate, undo — each audited and sent to the
devices of both records' communes as a ``person_link`` change (``server.persons``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.identity import IdentityConflict, LinkAction
from server import persons, province
from server.db import transaction
from server.web import auth, words
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)

SHOWN = 500
"""Conflicts listed on the page at most (the count says how many there are)."""


@router.get("/persons")
def persons_page(request: Request, officer: SignedIn, console: ConsoleDep) -> Response:
    with console.engine.connect() as conn:
        found = persons.conflicts(conn, officer.scope, officer.agency)
        rows = [evidence(conn, item) for item in found[:SHOWN]]
        decisions = persons.recent_decisions(conn, 50, officer.scope, officer.agency)
    return console.render(request, "persons.html", officer, rows=rows, total=len(found), decisions=decisions,
                          staff_name=words.staff_lookup(console.engine),
                          done=request.query_params.get("done"))


@router.post("/persons/decide")
def decide(officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    first, second = form.text("first").strip().upper(), form.text("second").strip().upper()
    try:
        action = LinkAction(form.text("action"))
    except ValueError:
        raise PageError(400, "bad_link_action") from None
    reason = form.text("reason").strip()
    if action is not LinkAction.CLEAR and not reason:
        raise PageError(400, "reason_required")
    for code in (first, second):
        record_in_scope(console, officer, code)
    back = form.text("back")
    try:
        with transaction(console.engine) as conn:
            link, communes = persons.decide(conn, first, second, action, officer.username, reason, console.now())
            # what each month keeps about them follows: a death one record recorded is (or is no longer) the other's
            province.keep_records(conn, persons.persons_of(conn, [first, second]) | {first, second})
            record(conn, officer.username, f"person_{action.value}", f"{link.first} {link.second}", reason,
                   {"first": link.first, "second": link.second, "communes": ",".join(communes)}, now=console.now())
    except persons.LinkError as error:
        raise PageError(400, error.code, **error.params) from None
    if back.startswith("record:"):
        return console.redirect(f"{PREFIX}/amend?record_code={back[7:]}&done=person_{action.value}")
    return console.redirect(f"{PREFIX}/persons?done=person_{action.value}")


def record_in_scope(console: Console, officer: auth.Officer, record_code: str) -> dict[str, Any]:
    """A record the officer may decide about: it exists (404) and is in their communes (403). An officer of one
    agency decides about pairs where at least one record is their agency's: checked on the pair by ``decide``."""
    with console.engine.connect() as conn:
        row = province.person_row(conn, record_code)
    if row is None:
        raise PageError(404, "not_found")
    require(officer.may_see(row["commune_code"]))
    return row


def evidence(conn: Any, item: IdentityConflict) -> dict[str, Any]:
    """Both records as an officer compares them: name, birth year, code, agency, commune, the list and row."""
    out: dict[str, Any] = {"id_number": item.id_number, "differs": item.differs_in, "records": []}
    for identity in (item.first, item.second):
        row = province.person_row(conn, identity.record_code) or {}
        out["records"].append({"record_code": identity.record_code, "full_name": identity.full_name,
                               "birth_year": identity.birth_year, "agency": identity.agency or row.get("agency", ""),
                               "commune_code": row.get("commune_code"), "status": row.get("status"),
                               "listed": province.listed_on(row)})
    return out
