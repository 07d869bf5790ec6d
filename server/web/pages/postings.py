"""Public posting ("Niêm yết công khai") and the satisfaction survey ("Khảo sát hài lòng") per commune and month
(issue 13, points 9 and 10): which communes posted the payout's public notice in time, with the photo a device sent,
and the pilot's three survey measures with their 95 % interval."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.survey import Question
from server import postings, reporting, survey
from server.web import inputs
from server.web.console import PREFIX, PageError
from server.web.deps import ConsoleDep, LatestPeriod, SignedIn, require

router = APIRouter(prefix=PREFIX)

MEASURE_KEYS = {Question.ON_TIME: "survey_on_time", Question.STAFF: "survey_staff",
                Question.OFFICER: "survey_officer"}


def month_shown(console: ConsoleDep, requested: str | None, latest: str) -> str:
    """The month asked for, else the month being reported (``server.reporting``), else the newest list's."""
    if requested:
        return inputs.period(requested, latest)
    with console.engine.connect() as conn:
        return reporting.reported_month(conn) or latest


@router.get("/postings")
def postings_page(request: Request, officer: SignedIn, console: ConsoleDep, latest: LatestPeriod,
                  period: str | None = None) -> Response:
    shown = month_shown(console, period, latest)
    days = console.settings.posting_days_before
    with console.engine.connect() as conn:
        rows = postings.month_postings(conn, shown, officer.scope, days)
    return console.render(request, "postings.html", officer, period=shown, rows=rows, days=days,
                          missing=[row for row in rows if row.missing])


@router.get("/postings/{entry_id}/photo")
def posting_photo(entry_id: str, officer: SignedIn, console: ConsoleDep) -> Response:
    if len(entry_id) > 36:
        raise PageError(404, "not_found")
    with console.engine.connect() as conn:
        found = postings.photo(conn, entry_id)
    if found is None:
        raise PageError(404, "not_found")
    commune, data, content_type = found
    require(officer.may_see(commune))
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, max-age=3600",
                                                            "X-Content-Type-Options": "nosniff"})


@router.get("/survey")
def survey_page(request: Request, officer: SignedIn, console: ConsoleDep, latest: LatestPeriod,
                period: str | None = None) -> Response:
    shown = month_shown(console, period, latest)
    with console.engine.connect() as conn:
        rows, total = survey.month_survey(conn, shown, officer.scope)
    return console.render(request, "survey.html", officer, period=shown, rows=rows, total=total,
                          questions=list(Question), measure_keys=MEASURE_KEYS,
                          minimum=console.settings.survey_min_answers)
