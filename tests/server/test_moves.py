"""People who move commune between months (issue 11, point 6), on SQLite and PostgreSQL: January's list puts Đặng
Thị Huệ in Xã Khác with her unpaid December line. The line follows her: the old commune's laptop learns she moved
and can no longer pay her (a line is never payable in two places), the new commune's laptop can; December's
progress of the old commune shows her line as moved (chuyển đi), not as unpaid or carried over."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.api import DocumentKind, render
from app.domain.errors import PaymentRefused
from app.domain.model import Commune, PayoutPoint
from server import db, progress
from server import province as province_module
from server.settlement import LineFigures, settlement
from server.settlement_pdf import render_settlement_pdf
from tests.builders.province import HUE_MONTHLY, JANUARY, OTHER_COMMUNE, Province
from tests.builders.store import COMMUNE, HUE, POINT, line, lines, parsed_list, people, request

NEW_POINT = "QNH-0002/ubnd"


def _january_with_huệ_moved():  # -> ParsedList
    movers = [dataclasses.replace(p, commune_code=OTHER_COMMUNE, point_id=NEW_POINT, village=None)
              if p.record_code == HUE else p for p in people()]
    listed = parsed_list(period=JANUARY, the_people=movers, the_lines=[
        *[item for item in lines(JANUARY) if item.record_code != HUE],
        line(HUE, "monthly", 5_578_000, period="2026-12", list_period=JANUARY),
        line(HUE, "monthly", 5_578_000, period=JANUARY, list_period=JANUARY),
    ], source="ds-01-2027.xlsx")
    return dataclasses.replace(
        listed, communes=(*listed.communes, Commune(OTHER_COMMUNE, "Xã Khác", "QNH")),
        points=(*listed.points, PayoutPoint(NEW_POINT, OTHER_COMMUNE, "UBND xã Khác")))


def test_a_person_who_moves_takes_her_unpaid_lines_along(database_url: str, tmp_path: Path) -> None:
    province = Province(database_url, tmp_path)
    try:
        province.add_other_commune()
        old = province.device("old")
        new = province.device("new", communes=[OTHER_COMMUNE])
        province.clock.now = dt.datetime(2027, 1, 5, 8, 30, tzinfo=dt.UTC)
        with db.transaction(province.engine) as conn:
            province_module.import_list(conn, _january_with_huệ_moved(), province.clock())
        assert old.sync().ok and new.sync().ok

        session = old.store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=dt.date(2027, 1, 5),
                                                 cash_advance=10_000_000, staff="giaodich")
        with pytest.raises(PaymentRefused) as refused:  # the old commune cannot pay her any more
            old.store.payouts.pay(request(session.session_id, HUE, [HUE_MONTHLY]))
        assert refused.value.code == "wrong_commune"
        view = new.store.payouts.person(HUE, period=JANUARY)  # the new commune can: the line followed her
        assert HUE_MONTHLY in {state.line.key for state in view.lines if state.payable}

        report = old.store.reports.monthly_report(COMMUNE, "2026-12")  # the old commune's month: moved, not unpaid
        assert HUE not in {item.record_code for item in report.unpaid}
        assert [(item.record_code, item.amount, item.reason) for item in report.moved] == \
            [(HUE, 5_578_000, "Chuyển đi: Xã Khác")]
        assert (report.moved_lines, report.moved_amount) == (1, 5_578_000)
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
            render(DocumentKind.MONTHLY, report))).pages)
        assert "Người chuyển đi (1)" in text and "Chuyển đi: Xã Khác" in text

        with province.engine.connect() as conn:
            december = {row.key: row.counts for row in progress.communes(conn, "2026-12")}
            states = {row["line_key"]: row["state"] for row in progress.people(conn, "2026-12", COMMUNE)}
            moved = progress.people(conn, "2026-12", COMMUNE, state="moved")
        assert states[HUE_MONTHLY] == "moved"
        assert [row["record_code"] for row in moved] == [HUE]
        counts = december[COMMUNE]
        assert counts.moved == 1 and counts.moved_amount == 5_578_000
        assert counts.unpaid_lines == counts.lines - counts.paid_lines - 1
        assert counts.carried_over + counts.barred + counts.moved == counts.lines - counts.paid_lines

        with province.engine.connect() as conn:  # the old commune's settlement: moved, apart from carried over
            settled = settlement(conn, "2026-12", COMMUNE)
        figures = settled.communes[0].figures
        printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_settlement_pdf(settled))).pages)
        assert "7. Chuyển đi: người hưởng sang xã khác" in printed
        assert figures.moved == LineFigures(1, 1, 5_578_000)
        assert figures.listed.lines == (figures.paid.lines + figures.paid_earlier.lines + figures.carried_over.lines
                                        + figures.barred.lines + figures.moved.lines)
    finally:
        province.close()
