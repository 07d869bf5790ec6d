"""The drill-down behind a number: a commune's payout points and regimes, then the people (paid, unpaid, carried)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server import progress
from server.web import inputs
from server.web.console import PREFIX, PageError
from server.web.deps import ConsoleDep, ReportedPeriod, SignedIn, require

router = APIRouter(prefix=PREFIX)

STATES = ("all", "paid", "unpaid", "carried", "moved", "barred", "paid_earlier")


@router.get("/communes/{code}")
def commune_page(request: Request, code: str, officer: SignedIn, console: ConsoleDep, reported: ReportedPeriod,
                 period: str | None = None) -> Response:
    require(officer.may_see(code))
    period = inputs.period(period, reported)
    with console.engine.connect() as conn:
        rows = progress.communes(conn, period, period, [code], officer.agency)
        if not rows:
            raise PageError(404, "not_found")
        points = progress.points(conn, period, code, officer.agency)
        regimes = progress.by_regime(conn, period, [code], officer.agency)
    return console.render(request, "commune.html", officer, commune=rows[0], period=period, points=points,
                          regimes=regimes)


@router.get("/people")
def people_page(request: Request, commune: str, officer: SignedIn, console: ConsoleDep, reported: ReportedPeriod,
                period: str | None = None, state: str = "all", point: str | None = None) -> Response:
    require(officer.may_see(commune))
    period = inputs.period(period, reported)
    if state not in STATES:
        state = "all"
    with console.engine.connect() as conn:
        rows = progress.people(conn, period, commune, state, point, officer.scope, officer.agency)
        points = progress.point_names(conn, commune)
    return console.render(request, "people.html", officer, rows=rows, commune=commune, period=period, state=state,
                          point=point, points=points)
