"""Amendments recorded at the province between lists: death, suspension and its end, an amount, a new line, a new
beneficiary. Each is a fact the devices receive through the feed, and each is in the audit log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.amendments import FactSource
from app.domain.identity import latest_decisions
from app.domain.model import Beneficiary, Gender, LineKind
from app.domain.text import sort_key
from server import facts, payment_history, persons, province
from server.db import transaction
from server.web import auth, inputs, words
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError
from server.web.deps import CheckedForm, ConsoleDep, Form, SignedIn, require

router = APIRouter(prefix=PREFIX)


@router.get("/amend")
def amend_page(request: Request, officer: SignedIn, console: ConsoleDep, q: str = "",
               record_code: str = "") -> Response:
    person: dict[str, Any] | None = None
    lines: list[Any] = []
    found: list[dict[str, Any]] = []
    history: list[Any] = []
    open_contradictions: list[Any] = []
    records: list[Any] = []
    death_elsewhere = None
    decisions: list[Any] = []
    standing: set[Any] = set()
    payments: list[dict[str, Any]] = []
    with console.engine.connect() as conn:
        if q:
            found = province.find_people(conn, q, officer.scope, agency=officer.agency)
        if record_code:
            row = person_in_scope(console, officer, record_code)
            person = {**json.loads(row["data"]), "status": row["status"]}
            _, _, lines = province.load_person(conn, record_code)
            history = facts.facts_of(conn, [record_code]).get(record_code, [])
            names = words.staff_names(conn, (fact.recorded_by for fact in history))
            history = [dataclasses.replace(fact, recorded_by=names.get(fact.recorded_by, fact.recorded_by))
                       for fact in history]  # "recorded by" a staff member's full name, not their username
            open_contradictions = [item for item in facts.of_people(conn, [record_code]) if item.open]
            records = persons.records_of(conn, record_code)  # every agency's record of this person
            death_elsewhere = persons.death_elsewhere(conn, record_code)
            decisions = persons.decisions_about(conn, [record_code])
            standing = {(link.first, link.second, link.at) for link in latest_decisions(decisions).values()}
            payments = words.with_names(conn, payment_history.payments_of(conn, record_code))
        communes = [code for code in province.commune_codes(conn) if officer.may_see(code)]
        points = sorted(words.point_names(conn, communes).items(), key=lambda item: sort_key(item[1]))
    policy = console.policy
    return console.render(request, "amend.html", officer, q=q, found=found, person=person, lines=lines,
                          communes=communes, done=request.query_params.get("done"), history=history,
                          open_contradictions=open_contradictions, records=records, decisions=decisions,
                          standing=standing, death_elsewhere=death_elsewhere, payments=payments, points=points,
                          staff_name=words.staff_lookup(console.engine),
                          programmes=sorted(policy.programmes.values(), key=lambda info: sort_key(info.name)),
                          regimes=sorted(policy.regimes.values(), key=lambda info: sort_key(info.name)),
                          categories=sorted(policy.categories.values(), key=lambda info: sort_key(info.name)),
                          kinds=[kind.value for kind in LineKind])


@router.post("/amend")
def amend(officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    record_code = form.text("record_code")
    row = person_in_scope(console, officer, record_code)
    action, reason = form.text("action"), form.text("reason").strip()
    if action == "death" and row["status"] == "deceased" and not reason:
        raise PageError(400, "reason_required")  # correcting a recorded date of death says why
    options = amendment(action, form, reason)
    try:
        with transaction(console.engine) as conn:
            province.amend(conn, record_code, console.now(), by=officer.username, reason=reason,
                           source=FactSource.CONSOLE, **options)
            record(conn, officer.username, f"amend_{action}", record_code, reason,
                   {key: plain(value) for key, value in options.items()}, now=console.now())
    except province.AmendError as error:
        raise PageError(400, error.code, **error.params) from None
    return console.redirect(f"{PREFIX}/amend?record_code={record_code}&done={action}")


@router.post("/people/new")
def new_person(officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    commune = form.text("commune_code")
    require(officer.may_see(commune))
    person = beneficiary(form, commune)
    try:
        with transaction(console.engine) as conn:
            province.add_person(conn, person, console.now(), by=officer.username, reason=form.text("reason"),
                                source=FactSource.CONSOLE)
            record(conn, officer.username, "person_add", person.record_code, form.text("reason"),
                   {"commune": commune, "name": person.full_name}, now=console.now())
    except province.AmendError as error:
        raise PageError(400, error.code, **error.params) from None
    return console.redirect(f"{PREFIX}/amend?record_code={person.record_code}&done=new_person")


def plain(value: Any) -> Any:
    """An amendment's option as a plain JSON value for the audit log (a date as yyyy-mm-dd, a pair as a list), so
    the log page can say it in words."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def person_in_scope(console: Console, officer: auth.Officer, record_code: str) -> dict[str, Any]:
    """The beneficiary, if they exist (404) and live in one of the officer's communes (403)."""
    with console.engine.connect() as conn:
        row = province.person_row(conn, record_code)
    if row is None:
        raise PageError(404, "not_found")
    require(officer.may_see(row["commune_code"]))
    require(officer.agency is None or row["agency"] in (officer.agency, ""))  # another agency's record: not theirs
    return row


def amendment(action: str, form: Form, reason: str) -> dict[str, Any]:
    """The form of one amendment as ``province.amend``'s options; what was typed wrong is refused by name."""
    if action == "death":
        options: dict[str, Any] = {"death": inputs.day(form.text("date_of_death"))}
        name = form.text("representative").strip()
        if name:
            options["representative"] = (name, form.text("representative_id").strip() or None)
        return options
    if action == "representative":  # after a death: who receives what is due on it
        name = form.text("representative").strip()
        if not name:
            raise PageError(400, "representative_needed")
        return {"representative": (name, form.text("representative_id").strip() or None)}
    if action == "suspend":
        return {"suspend": reason}
    if action == "resume":
        return {"resume": True}
    if action == "amount":
        return {"amount": (form.text("line_key"), inputs.amount(form.text("amount")))}
    if action == "new_line":
        line: dict[str, Any] = {"period": form.text("period"), "programme": form.text("programme"),
                                "regime": form.text("regime"), "kind": form.text("kind"),
                                "amount": inputs.amount(form.text("amount"))}
        inputs.period(line["period"], "")
        return {"new_line": line}
    raise PageError(400, "unknown_action", value=action)


def beneficiary(form: Form, commune: str) -> Beneficiary:
    """A new beneficiary from the form; the record code, name and category are required."""
    record_code = form.text("record_code").strip().upper()
    name = form.text("full_name").strip()
    category = form.text("category").strip()
    if not record_code or not name or not category:
        raise PageError(400, "person_incomplete")
    gender = form.text("gender")
    birth = form.text("birth_year").strip()
    return Beneficiary(
        record_code=record_code, full_name=name, commune_code=commune, category=category,
        birth_year=int(birth) if birth.isdigit() else None,
        gender=Gender(gender) if gender in ("male", "female") else None,
        id_number=form.text("id_number").strip() or None, village=form.text("village").strip() or None,
        point_id=form.text("point_id").strip() or None,
    )
