"""The province's month in turns, in a real headless Chromium at 1366×768, on SQLite and PostgreSQL.

The settlement scenario (``tests/builders/settlement_scenario.py``, counted by hand in ``test_settlement.py``:
December paid by three laptops, with a double payment, a reversal, an account line and a death; January's list
uploaded and partly paid) is read by the progress page, the 12-month report (page, PDF, .xlsx) and the settlement
report, and each shows the figures computed by hand there:

- December: 10 turns on the list (7 monthly + 3 one-time), 4 paid (3 + 1): 40,0 %; 12 cash lines of 5 people
  (lines and people stay secondary columns); 5 payments, 19.685.100 ₫ of cash, of which 4.389.000 ₫ paid twice
  (1 line, flagged, no turn); 1 line (Huệ's 600.000 ₫ gift) paid into an account, shown apart.
- January (Yên Đức only): 3 monthly turns, 1 paid; 2 payments, 24.298.000 ₫.
- December + January: 12 turns (Huệ's December turn, carried over to January's list, is one turn), 5 paid;
  43.983.100 ₫; 2 communes with beneficiaries.

Then the month being reported: on the scenario's date (January's list uploaded, December not final) every page opens
on December, the newest list one click away; once an officer marks December final (audited) they open on January;
reopening (with a reason) brings December back. A payment at 06:30 on 01/12 Vietnam time (23:30 on 30/11 UTC)
counts in December.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import text

from server import progress, reporting, settlement, year_report
from server.settlement import TurnFigures
from tests.builders.chromium import sign_in
from tests.builders.province import DUC_MONTHLY, Province
from tests.builders.settlement_scenario import DECEMBER, JANUARY, Scenario, build
from tests.builders.store import COMMUNE, DUC, POINT, Clock


@pytest.fixture
def scenario(database_url: str, tmp_path: Path) -> Iterator[Scenario]:
    built = build(database_url, tmp_path)
    built.province.add_officer("tinh")
    built.province.add_officer("xa", communes=["QNH-0001"])
    yield built
    built.province.close()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_months_figures_in_turns_the_year_report_and_the_month_being_reported(page: Page,
                                                                                   scenario: Scenario) -> None:
    province = scenario.province
    sign_in(page, province.url, "tinh")
    # The progress page opens on December, the month being reported, with January one click away.
    expect(page.locator("h1")).to_contain_text("12/2026")
    expect(page.locator("#newest-list")).to_have_text("Kỳ mới nhất (01/2027)")
    expect(page.locator("#turns-percent")).to_have_text("40,0 %")
    expect(page.locator("#turns-paid")).to_have_text("4")
    expect(page.locator("#turns-listed")).to_have_text("10")
    expect(page.locator("#turns-split")).to_have_text("3 + 1 = 4")
    expect(page.locator("#payments-made")).to_have_text("5")
    expect(page.locator("#cash-paid")).to_have_text("19.685.100 ₫")
    expect(page.locator("#double-cash")).to_have_text("4.389.000 ₫")
    expect(page.locator("#account-lines")).to_have_text("1 khoản · 1 người · 600.000 ₫")
    yen_duc = page.locator("#communes tr", has_text="Xã Yên Đức")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # thirteen columns fit the laptop
    expect(yen_duc.locator("td.turns")).to_have_text("8")
    expect(yen_duc.locator("td.turns-paid")).to_have_text("3")
    # The regime table once said 0 turns and 0 ₫ in every row: Đức's monthly allowance row has its turn and cash.
    regimes = page.locator("#regimes tbody tr")
    expect(regimes.first).to_be_visible()
    paid_rows = [row for row in regimes.all() if row.locator("td.turns-paid").inner_text() != "0"]
    assert len(paid_rows) == 4  # Đức's monthly, supplement, pension and convalescence regimes
    assert all(row.locator("td").last.inner_text() != "0 ₫" for row in paid_rows)

    # The people behind a number: the payout point by its name, not its id.
    yen_duc.locator("a[href$='&state=all']").click()  # Yên Đức's 10 listed lines
    expect(page.locator("h1")).to_contain_text("Xã Yên Đức")
    expect(page.locator("#people")).to_contain_text("Nhà văn hóa thôn Đông")
    expect(page.locator("#people")).not_to_contain_text("nha-van-hoa")
    page.go_back()

    # The newest list is one click away.
    page.click("#newest-list")
    expect(page.locator("h1")).to_contain_text("01/2027")
    expect(page.locator("#turns-split")).to_have_text("1 + 0 = 1")
    expect(page.locator("#turns-listed")).to_have_text("3")

    # The 12-month report over December and January: the same figures, summed month by month.
    page.goto(f"{province.url}/console/year-report?first={DECEMBER}&last={JANUARY}")
    expect(page.locator("#year-communes")).to_have_text("2")
    expect(page.locator("#year-turns")).to_have_text("12")  # Huệ's December turn, carried to January, counts once
    expect(page.locator("#year-turns-paid")).to_have_text("5")
    expect(page.locator("#year-split")).to_have_text("4 + 1 = 5")
    expect(page.locator("#year-cash")).to_have_text("43.983.100 ₫")
    expect(page.locator("#year-months tbody tr")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    pdf = page.request.get(f"{province.url}/console/year-report.pdf?first={DECEMBER}&last={JANUARY}")
    if os.environ.get("PAYOUT_YEAR_PDF"):  # to look at it: PAYOUT_YEAR_PDF=/tmp/year.pdf
        Path(os.environ["PAYOUT_YEAR_PDF"]).write_bytes(pdf.body())
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.body()))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    words = pdf_text(pdf.body())
    for expected in ("BÁO CÁO KẾT QUẢ CHI TRẢ", "TỪ THÁNG 12/2026 ĐẾN THÁNG 01/2027", "Xã có đối tượng", "Xã Yên Đức",
                     "Xã Hải Đông", "Lượt đã chi", "43.983.100", "41,67 %", "Trợ cấp"):
        assert expected in words, expected
    sheet = page.request.get(f"{province.url}/console/year-report.xlsx?first={DECEMBER}&last={JANUARY}")
    book = load_workbook(io.BytesIO(sheet.body()))
    rows = list(book["Theo tháng"].iter_rows(min_row=5, values_only=True))
    assert [row[1:5] for row in rows] == [("12/2026", 40.0, 10, 4), ("01/2027", 33.33, 3, 1),
                                          ("Tổng cộng", 41.67, 12, 5)]

    # The settlement report of December says the same turns, on the page's month.
    with province.engine.connect() as conn:
        december = settlement.settlement(conn, DECEMBER)
    assert december.total.turns == TurnFigures(7, 3, 3, 1, 1, 4_389_000, 1, 1, 600_000)
    report_pdf = pdf_text(page.request.get(f"{province.url}/console/reports/settlement.pdf?period={DECEMBER}").body())
    assert "Kết quả theo lượt chi trả" in report_pdf and "40,00 %" in report_pdf

    # A commune officer sees the month's state but may not mark it final; a form without the session's token is refused.
    page.goto(f"{province.url}/console/reports")
    expect(page.locator("h1")).to_contain_text("12/2026")
    expect(page.locator("#closing-state")).to_have_text("Báo cáo tháng 12/2026 chưa chốt")
    assert page.request.post(f"{province.url}/console/reports/closing",
                             form={"period": DECEMBER, "action": "final"}).status == 403
    # Marking December final (every agency): audited, and the pages open on January from then on.
    page.click("#close-month")
    expect(page.locator("#closing-state")).to_contain_text("Đã chốt báo cáo tháng 12/2026: tinh")
    page.goto(f"{province.url}/console/progress")
    expect(page.locator("h1")).to_contain_text("01/2027")
    page.goto(f"{province.url}/console/reports")
    expect(page.locator("h1")).to_contain_text("01/2027")
    page.goto(f"{province.url}/console/reports?period={DECEMBER}")
    page.click("#reopen-form button")  # a reason is required: the browser keeps the form
    expect(page.locator("#closing-state")).to_contain_text("Đã chốt")
    page.fill("#reopen-reason", "Thiếu chứng từ của xã Hải Đông")
    page.click("#reopen-form button")
    expect(page.locator("#closing-state")).to_have_text("Báo cáo tháng 12/2026 chưa chốt")
    page.goto(f"{province.url}/console/progress")
    expect(page.locator("h1")).to_contain_text("12/2026")
    with province.engine.connect() as conn:
        audit = conn.execute(text("SELECT username, action, target, reason, detail FROM audit_log "
                                  "WHERE action LIKE 'month_%' ORDER BY audit_id")).all()
    assert [(a[0], a[1], a[2], a[3], json.loads(a[4])) for a in audit] == [
        ("tinh", "month_final", DECEMBER, "", {"agency": "*", "period": DECEMBER}),
        ("tinh", "month_reopen", DECEMBER, "Thiếu chứng từ của xã Hải Đông", {"agency": "*", "period": DECEMBER})]
    page.goto(f"{province.url}/console/audit")
    expect(page.locator("body")).to_contain_text("Chốt báo cáo tháng")

    # An officer of some communes only may not close the province's month.
    page.click("header form button")
    sign_in(page, province.url, "xa")
    page.goto(f"{province.url}/console/reports")
    expect(page.locator("#closing-state")).to_be_visible()
    expect(page.locator("#close-month")).to_have_count(0)
    csrf = page.locator("input[name=csrf]").first.get_attribute("value") if page.locator(
        "input[name=csrf]").count() else ""
    assert page.request.post(f"{province.url}/console/reports/closing",
                             form={"csrf": csrf or "", "period": DECEMBER, "action": "final"}).status == 403


def test_a_payment_at_0630_on_the_first_vietnam_time_counts_in_december(page: Page, database_url: str,
                                                                        tmp_path: Path) -> None:
    """23:30 on 30/11 UTC is 06:30 on 01/12 in Vietnam: the session of 01/12 and its payment are December's."""
    province = Province(database_url, tmp_path, clock=Clock(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)))
    try:
        province.add_officer("tinh")
        device = province.device("a")
        device.session_id = device.store.payouts.open_session(
            commune_code=COMMUNE, point_id=POINT, day=dt.date(2026, 12, 1), cash_advance=10_000_000,
            staff="giaodich").session_id
        device.pay(DUC, [DUC_MONTHLY])
        assert device.sync().ok
        sign_in(page, province.url, "tinh")
        expect(page.locator("h1")).to_contain_text("12/2026")
        expect(page.locator("#turns-split")).to_have_text("1 + 0 = 1")
        expect(page.locator("#cash-paid")).to_have_text("4.389.000 ₫")
        with province.engine.connect() as conn:
            assert progress.summary(conn, "2026-11") == []
            assert reporting.reported_month(conn) == DECEMBER
            report = year_report.year_report(conn, "2026-11", DECEMBER)
        assert [(row.key, row.counts.turns_paid, row.counts.cash_paid) for row in report.months] == [
            (DECEMBER, 1, 4_389_000)]
    finally:
        province.close()

