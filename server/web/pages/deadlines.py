"""The month's deadlines ("Hạn chót"): per agency, from its calendar in data; who is late and whom to call."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server import deadlines, reporting
from server.web import inputs
from server.web.console import PREFIX
from server.web.deps import ConsoleDep, LatestPeriod, SignedIn, agency_shown

router = APIRouter(prefix=PREFIX)


@router.get("/deadlines")
def deadlines_page(request: Request, officer: SignedIn, console: ConsoleDep, latest: LatestPeriod,
                   period: str | None = None, agency: str | None = None) -> Response:
    """One agency's month (the officer's agency, else the one chosen, else each agency with a list that month); the
    month being reported unless another is asked for."""
    shown = agency_shown(officer, agency, console.policy.agencies)
    with console.engine.connect() as conn:
        default = reporting.reported_month(conn, shown) or latest
        month = inputs.period(period, default)
        codes = [shown] if shown else deadlines.agencies_of_month(conn, month, console.policy)
        checks = [deadlines.check(conn, month, code, policy=console.policy, clock=console.settings.province_time,
                                  now=console.now(), scope=officer.scope) for code in codes]
    return console.render(request, "deadlines.html", officer, period=month, agency=shown, checks=checks,
                          agencies=list(console.policy.agencies), problems=deadlines.PROBLEMS)
