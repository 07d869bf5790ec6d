"""The policy page ("Chính sách"): every regime's plain explanation and legal basis as the desks show them, the
province's corrections, and its policy notices; officers of the whole province, or of the regime's agency, correct an
explanation or publish and withdraw a notice (CSRF, bounded, audited; ``server.policy_notices``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.policy_notices import MAX_BODY, MAX_EXPLANATION, MAX_REASON, MAX_TITLE, PolicyTextError
from server import policy_notices
from server.db import transaction
from server.web import auth, inputs
from server.web.audit import record
from server.web.console import PREFIX, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn

router = APIRouter(prefix=PREFIX)

LIMITS = {"title": MAX_TITLE, "body": MAX_BODY, "explanation": MAX_EXPLANATION, "reason": MAX_REASON}


def may_write(officer: auth.Officer, agency: str | None) -> bool:
    """An officer of the whole province (of every agency), or of this agency, speaks for its policy."""
    if officer.agency is not None:
        return agency is not None and officer.agency == agency
    return officer.is_province


def actor(officer: auth.Officer) -> policy_notices.Actor:
    return policy_notices.Actor(officer.username, officer.full_name, officer.agency)


@router.get("/policy")
def policy_page(request: Request, officer: SignedIn, console: ConsoleDep) -> Response:
    policy = console.policy
    with console.engine.connect() as conn:
        corrected = policy_notices.explanations(conn)
        notices = policy_notices.notices(conn)
    groups = [(code, policy.regimes_of(code)) for code in policy.agencies if policy.regimes_of(code)]
    return console.render(request, "policy.html", officer, groups=groups, corrected=corrected, notices=notices,
                          may_write=lambda agency: may_write(officer, agency), limits=LIMITS,
                          done=request.query_params.get("done"), agencies=list(policy.agencies),
                          regimes=[(code, info) for code, info in policy.regimes.items()])


def _refused(error: PolicyTextError) -> PageError:
    return PageError(403 if error.code == "policy_not_your_agency" else 400, error.code)


@router.post("/policy/explanation")
def correct(officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    regime = form.text("regime")[:64]
    info = console.policy.regimes.get(regime)
    if info is None:
        raise PageError(400, "policy_unknown_regime")
    if not may_write(officer, console.policy.agency_of(info.programme)):
        raise PageError(403, "policy_not_your_agency")
    try:
        with transaction(console.engine) as conn:
            done = policy_notices.correct_explanation(conn, console.policy, actor(officer), regime, form.text("text"),
                                                      form.text("text_en"), form.text("reason"), console.now())
            record(conn, officer.username, "policy_explanation", regime, done.text,
                   {"version": done.version}, now=console.now())
    except PolicyTextError as error:
        raise _refused(error) from None
    return console.redirect(f"{PREFIX}/policy?done=explanation#regime-{regime}")


@router.post("/policy/notices")
def publish(officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    regime, agency = form.text("regime")[:64], form.text("agency")[:32]
    if regime and regime in console.policy.regimes:
        agency = agency or console.policy.agency_of(console.policy.regimes[regime].programme)
    if officer.agency is None and not officer.is_province:  # an agency's officer: checked against the notice's
        raise PageError(403, "policy_not_your_agency")
    effective = inputs.day(form.text("effective_from"))
    try:
        with transaction(console.engine) as conn:
            done = policy_notices.publish(conn, console.policy, actor(officer), form.text("title"), form.text("body"),
                                          effective, regime, agency, console.now())
            record(conn, officer.username, "policy_notice", str(done.notice_id), done.title,
                   {"effective_from": done.effective_from.isoformat(), "regime": done.regime,
                    "agency": done.agency}, now=console.now())
    except PolicyTextError as error:
        raise _refused(error) from None
    return console.redirect(f"{PREFIX}/policy?done=notice#notices")


@router.post("/policy/notices/{notice_id}/withdraw")
def withdraw(notice_id: int, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    if not officer.is_province and officer.agency is None:
        raise PageError(403, "policy_not_your_agency")
    try:
        with transaction(console.engine) as conn:
            done = policy_notices.withdraw(conn, actor(officer), notice_id, form.text("reason"), console.now())
            record(conn, officer.username, "policy_withdraw", str(notice_id), done.withdrawn_reason,
                   {"title": done.title}, now=console.now())
    except PolicyTextError as error:
        if error.code == "not_found":
            raise PageError(404, "not_found") from None
        raise _refused(error) from None
    return console.redirect(f"{PREFIX}/policy?done=withdrawn#notices")
