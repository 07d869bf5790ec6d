"""Settlement reports: the page to choose a month and a commune, and the PDF or Excel file (each download audited)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server import province, reporting, settlement
from server.db import transaction
from server.web import inputs
from server.web.audit import record
from server.web.console import PREFIX, PageError
from server.web.deps import CheckedForm, ConsoleDep, LatestPeriod, ReportedPeriod, SignedIn, require

router = APIRouter(prefix=PREFIX)

MEDIA = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/reports")
def reports_page(request: Request, officer: SignedIn, console: ConsoleDep, latest: LatestPeriod,
                 reported: ReportedPeriod, period: str | None = None) -> Response:
    """Opens on the month being reported; says whether its report is final, and offers to mark it final (or reopen
    it, with a reason) to an officer of the whole province."""
    period = inputs.period(period, reported)
    with console.engine.connect() as conn:
        communes = [(code, name) for code, name in province.commune_names(conn) if officer.may_see(code)]
        closing = reporting.closing_of(conn, period, officer.agency)
        listed = period in reporting.listed_months(conn, officer.agency)
    return console.render(request, "reports.html", officer, period=period, communes=communes, closing=closing,
                          listed=listed, reported=reported, newest=latest, may_close=officer.is_province,
                          agencies=list(console.policy.agencies),
                          closed_at=console.settings.province_time.format_datetime(closing.at) if closing else "")


@router.post("/reports/closing")
def close_or_reopen(officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    """Mark a month's report final ("chốt báo cáo tháng") or reopen it with a reason: an officer of one agency for
    their agency, an officer of the whole province for every agency (or one they choose). Audited."""
    require(officer.is_province)
    period = inputs.period(form.text("period"), "")
    action = form.text("action")
    reason = form.text("reason")
    agency = officer.agency
    if agency is None:
        chosen = form.text("agency")
        agency = chosen if chosen in console.policy.agencies else None
    try:
        with transaction(console.engine) as conn:
            reporting.record(conn, period, agency, action, officer.username, reason, console.now())
            record(conn, officer.username, f"month_{action}", period, reason.strip(),
                   {"period": period, "agency": agency or "*"}, now=console.now())
    except reporting.ReportingError as error:
        raise PageError(400, error.code) from None
    return console.redirect(f"{PREFIX}/reports?period={period}")


@router.get("/reports/settlement.{fmt}")
def settlement_file(fmt: str, period: str, officer: SignedIn, console: ConsoleDep,
                    commune: str | None = None) -> Response:
    from server.settlement_pdf import render_settlement_pdf
    from server.settlement_xlsx import render_settlement_xlsx

    if fmt not in MEDIA:
        raise PageError(404, "not_found")
    period = inputs.period(period, "")
    require(officer.may_see(commune) if commune else officer.is_province)
    try:
        with console.engine.begin() as conn:
            report = settlement.settlement(conn, period, commune or None, now=console.now(), agency=officer.agency,
                                           clock=console.settings.province_time)
            record(conn, officer.username, "report_download", commune or "province", "",
                   {"period": period, "format": fmt, "agency": officer.agency or "*"}, now=console.now())
    except settlement.SettlementError as error:
        raise PageError(400, error.code, **error.params) from None
    content = render_settlement_pdf(report) if fmt == "pdf" else render_settlement_xlsx(report)
    parts = [period, *(part for part in (commune, officer.agency) if part)]
    name = f"quyet-toan-{'-'.join(parts)}.{fmt}"
    return Response(content, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
