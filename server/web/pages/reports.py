"""Settlement reports: the page to choose a month and a commune, and the PDF or Excel file (each download audited)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server import province, settlement
from server.web import inputs
from server.web.audit import record
from server.web.console import PREFIX, PageError
from server.web.deps import ConsoleDep, LatestPeriod, SignedIn, require

router = APIRouter(prefix=PREFIX)

MEDIA = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/reports")
def reports_page(request: Request, officer: SignedIn, console: ConsoleDep, latest: LatestPeriod,
                 period: str | None = None) -> Response:
    period = inputs.period(period, latest)
    with console.engine.connect() as conn:
        communes = [(code, name) for code, name in province.commune_names(conn) if officer.may_see(code)]
    return console.render(request, "reports.html", officer, period=period, communes=communes)


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
            report = settlement.settlement(conn, period, commune or None, now=console.now(), agency=officer.agency)
            record(conn, officer.username, "report_download", commune or "province", "",
                   {"period": period, "format": fmt, "agency": officer.agency or "*"}, now=console.now())
    except settlement.SettlementError as error:
        raise PageError(400, error.code, **error.params) from None
    content = render_settlement_pdf(report) if fmt == "pdf" else render_settlement_xlsx(report)
    parts = [period, *(part for part in (commune, officer.agency) if part)]
    name = f"quyet-toan-{'-'.join(parts)}.{fmt}"
    return Response(content, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
