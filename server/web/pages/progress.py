"""The province's progress: summary, communes (sortable, searchable), regimes and devices, over one or more months."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server import flags as flag_review
from server import progress
from server.web import inputs
from server.web.console import PREFIX
from server.web.deps import ConsoleDep, LatestPeriod, ReportedPeriod, SignedIn, agency_shown

router = APIRouter(prefix=PREFIX)

SORTS = {"code": lambda r: r.key, "name": lambda r: r.name, "percent": lambda r: r.counts.turns_percent,
         "unpaid": lambda r: -r.counts.unpaid_lines, "people": lambda r: -r.counts.people}


@router.get("/")
def home(officer: SignedIn, console: ConsoleDep) -> Response:
    return console.redirect(f"{PREFIX}/progress")


@router.get("/progress")
def progress_page(request: Request, officer: SignedIn, console: ConsoleDep, latest: LatestPeriod,
                  reported: ReportedPeriod, first: str | None = None, last: str | None = None, sort: str = "code",
                  q: str = "", agency: str | None = None) -> Response:
    """Opens on the month being reported (not the newest list: between the next list's arrival and the report's
    deadline the officer is still reporting the month before), with the newest list one click away."""
    first = inputs.period(first, reported)
    last = inputs.period(last, first)
    if last < first:
        first, last = last, first
    shown = agency_shown(officer, agency, console.policy.agencies)
    with console.engine.connect() as conn:
        summary = progress.summary(conn, first, last, officer.scope, shown)
        communes = progress.communes(conn, first, last, officer.scope, shown)
        regimes = progress.by_regime(conn, first, officer.scope, shown) if first == last else []  # a range: the
        # 12-month report has the regime table over months (here it would double the year page's time)
        devices = progress.devices(conn, officer.scope)
        flag_counts = flag_review.counts(conn, officer.scope, officer.agency)
    # Over a range, a turn carried over to a later list is on two months' lists but is one turn: the total counts it
    # once (per commune, as the 12-month report does), so it is less than the months' sum by those turns.
    total = progress.total(summary) if first == last else progress.total(communes)
    if q.strip():
        needle = q.strip().lower()
        communes = [row for row in communes if needle in row.name.lower() or needle in row.key.lower()]
    communes.sort(key=SORTS.get(sort, SORTS["code"]))
    return console.render(request, "progress.html", officer, first=first, last=last, sort=sort, q=q,
                          summary=summary, summary_total=total, communes=communes,
                          communes_total=progress.total(communes), regimes=regimes, devices=devices,
                          flag_counts=flag_counts, single=first == last, agency=shown,
                          agencies=list(console.policy.agencies), reported=reported, newest=latest)
