"""The pilot's 12-month report: the page (a range of months, default the 12 up to the month being reported) and its
PDF and Excel files (each download audited)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.text import place_key
from server import year_report
from server.web import i18n, inputs
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError
from server.web.deps import ConsoleDep, ReportedPeriod, SignedIn, agency_shown

router = APIRouter(prefix=PREFIX)

MEDIA = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _report(console: Console, officer: SignedIn, reported: str, first: str | None, last: str | None,
            agency: str | None) -> year_report.YearReport:
    default_first, default_last = year_report.default_range(reported)
    last = inputs.period(last, default_last)
    first = inputs.period(first, default_first if last == default_last else year_report.default_range(last)[0])
    shown = agency_shown(officer, agency, console.policy.agencies)
    try:
        with console.engine.connect() as conn:
            return year_report.year_report(conn, first, last, scope=officer.scope, agency=shown,
                                           agency_name=console.policy.agency_name(shown) if shown else None,
                                           now=console.now(), clock=console.settings.province_time)
    except year_report.YearReportError as error:
        raise PageError(400, error.code, value=f"{first}…{last}") from None


@router.get("/year-report")
def year_report_page(request: Request, officer: SignedIn, console: ConsoleDep, reported: ReportedPeriod,
                     first: str | None = None, last: str | None = None, agency: str | None = None) -> Response:
    report = _report(console, officer, reported, first, last, agency)
    regimes = sorted(report.regimes, key=lambda row: place_key(i18n.name_of(console.policy, "regime", row.key,
                                                                            console.lang(request))))
    return console.render(request, "year_report.html", officer, report=report, agency=report.agency, regimes=regimes,
                          agencies=list(console.policy.agencies), max_months=year_report.MAX_MONTHS)


@router.get("/year-report.{fmt}")
def year_report_file(fmt: str, officer: SignedIn, console: ConsoleDep, reported: ReportedPeriod,
                     first: str | None = None, last: str | None = None, agency: str | None = None) -> Response:
    from server.year_report_pdf import render_year_report_pdf
    from server.year_report_xlsx import render_year_report_xlsx

    if fmt not in MEDIA:
        raise PageError(404, "not_found")
    report = _report(console, officer, reported, first, last, agency)

    def regime_name(code: str) -> str:
        return i18n.name_of(console.policy, "regime", code, "vi")

    with console.engine.begin() as conn:
        record(conn, officer.username, "year_report_download", "province" if officer.is_province else "communes", "",
               {"first": report.first, "last": report.last, "format": fmt, "agency": report.agency or "*"},
               now=console.now())
    render = render_year_report_pdf if fmt == "pdf" else render_year_report_xlsx
    content = render(report, regime_name)
    name = f"bao-cao-{report.first}-{report.last}{'-' + report.agency if report.agency else ''}.{fmt}"
    return Response(content, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
