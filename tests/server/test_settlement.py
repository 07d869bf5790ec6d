"""The monthly settlement report over the real harness, on SQLite and PostgreSQL.

One scenario (``tests/builders/settlement_scenario.py``), paid by real devices over HTTP. In December 2026 laptop A
pays Đức's monthly, supplement and convalescence lines, pays Huệ and has the payment reversed by a supervisor, and
closes its day with a count 1.900 ₫ short; laptop B (clock 10 minutes fast, so its entries are flagged
``clock_skew``) pays Đức's monthly line again (``double_payment``) and his pension, and leaves its session open;
laptop C pays one line in a second commune. In January 2027 the list carries Huệ's unpaid December line over and A
pays it, and pays Tâm's funeral allowance (on December's list only) to his representative. Every figure is computed
by hand below.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain.clock import ProvinceTime
from app.domain.model import (
    Recipient,
    RecipientKind,
)
from server import db, progress, schema
from server import province as province_module
from server.cli import main as server_main
from server.settlement import (
    FLAG_AWAITING_APPROVAL,
    FLAG_OPEN,
    FLAG_RESOLVED,
    CashFigures,
    Figures,
    FlagCount,
    FlagFigures,
    LineFigures,
    Settlement,
    SettlementError,
    TurnFigures,
    month_figures,
    settlement,
)
from server.settlement_pdf import render_settlement_pdf
from server.settlement_xlsx import (
    FLAGS_SHEET,
    HEADER_ROW,
    SUMMARY_COLUMNS,
    SUMMARY_SHEET,
    TOTAL_LABEL,
    render_settlement_xlsx,
)
from tests.builders.province import DUC_MONTHLY, OTHER_COMMUNE, key
from tests.builders.settlement_scenario import (
    AT,
    DECEMBER,
    JANUARY,
    Scenario,
    build,
)
from tests.builders.store import COMMUNE, DUC, HUE, TAM, line, parsed_list


@pytest.fixture
def scenario(database_url: str, tmp_path: Path) -> Iterator[Scenario]:
    built = build(database_url, tmp_path)
    yield built
    built.province.close()


def report(scenario: Scenario, period: str = DECEMBER, commune: str | None = None) -> Settlement:
    with scenario.province.engine.connect() as conn:
        return settlement(conn, period, commune, now=dt.datetime(2027, 1, 10, 3, 0, tzinfo=dt.UTC))


# --- the figures, by hand ---------------------------------------------------------------------------------------------
#
# Xã Yên Đức's December cash list (Huệ's 600.000 gift is paid into an account, so it is not on it):
#   Đức  monthly 4.389.000, supplement 1.399.000, pension 5.120.000 (recurring); convalescence 2.510.100 (one-time)
#   Huệ  monthly 5.578.000
#   Tâm  monthly 4.389.000 (for November) and 4.389.000; funeral 18.720.000 and death allowance 13.167.000
#   Nam  monthly 2.911.000 (suspended)
#   → 10 lines, 4 people, 62.572.100; recurring 7 lines, 4 people, 28.175.000; other 3 lines (Đức, Tâm), 34.397.100.
# Settled in December: Đức's monthly + supplement + convalescence (A) and pension (B): 4 lines, 1 person, 13.418.100
#   (recurring 3 = 10.908.000, one-time 1 = 2.510.100). B's second payment of the monthly line settles nothing.
# Unpaid at the end of December: the other 6 lines of Huệ, Tâm, Nam = 49.154.000. Tâm died on 03/11, so his December
#   monthly line (4.389.000) is barred for good, not carried over; the other 5 (44.765.000) are carried over (Nam's
#   suspension and Tâm's November line and death-related lines can still be paid); only Huệ's is on January's list.
#   Paid in January: Huệ's (5.578.000) and Tâm's funeral allowance (18.720.000).
# Cash: advances 50.000.000 (A) + 50.000.000 (B); paid out, without A's reversed 5.578.000 to Huệ:
#   5.788.000 + 2.510.100 (A) + 4.389.000 + 5.120.000 (B) = 17.807.100 in 4 payments, of which 4.389.000 paid twice;
#   unspent 82.192.900. A counted 83 × 500.000 + 2 × 100.000 = 41.700.000 where 50.000.000 − 8.298.100 = 41.701.900
#   was expected: −1.900. B's session is still open.
# Flags: B's payment of the monthly line is a double payment; B's three entries (session opened, two payments) are
#   flagged clock_skew.
# Turns (person, agency, the line's period, kind): Đức has three — the Sở Nội vụ's monthly turn (monthly +
#   supplement), BHXH's monthly turn (pension) and the Sở Nội vụ's one-time turn (convalescence), all paid; Huệ one
#   monthly (her payment was reversed: unpaid); Tâm two monthly (November's line and December's: two periods) and one
#   one-time (funeral + death allowance); Nam one monthly. → 6 monthly turns, 2 paid; 2 one-time, 1 paid; 8 turns,
#   3 paid (37,50 %). B's second payment of Đức's monthly line is 1 line paid twice, 4.389.000 of flagged cash, and no
#   turn. Huệ's 600.000 gift paid into an account: 1 account line, 1 person, 600.000.

YEN_DUC = Figures(
    listed=LineFigures(10, 4, 62_572_100),
    listed_monthly=LineFigures(7, 4, 28_175_000),
    listed_one_time=LineFigures(3, 2, 34_397_100),
    paid=LineFigures(4, 1, 13_418_100),
    paid_monthly=LineFigures(3, 1, 10_908_000),
    paid_one_time=LineFigures(1, 1, 2_510_100),
    paid_earlier=LineFigures(),
    carried_over=LineFigures(5, 3, 44_765_000),
    carried_relisted=LineFigures(1, 1, 5_578_000),
    barred=LineFigures(1, 1, 4_389_000),
    paid_later=LineFigures(2, 2, 24_298_000),
    paid_off_list=LineFigures(),
    cash=CashFigures(advances=100_000_000, paid_out=17_807_100, payments=4, reversed_payments=1,
                     reversed_amount=5_578_000, counted=41_700_000, closure_difference=-1_900, sessions_opened=2,
                     sessions_closed=1),
    flags=FlagFigures((FlagCount("double_payment", open=1), FlagCount("clock_skew", open=3))),
    turns=TurnFigures(monthly=6, monthly_paid=2, one_time=2, one_time_paid=1, double_lines=1, double_cash=4_389_000,
                      account_lines=1, account_people=1, account_amount=600_000),
)

# Xã Hải Đông: Khánh's monthly 1.878.000 (paid by C) and arrears 1.200.000 (carried over, on no later list): one
# monthly turn, paid, and one one-time turn, unpaid.
HAI_DONG = Figures(
    listed=LineFigures(2, 1, 3_078_000),
    listed_monthly=LineFigures(1, 1, 1_878_000),
    listed_one_time=LineFigures(1, 1, 1_200_000),
    paid=LineFigures(1, 1, 1_878_000),
    paid_monthly=LineFigures(1, 1, 1_878_000),
    paid_one_time=LineFigures(),
    carried_over=LineFigures(1, 1, 1_200_000),
    cash=CashFigures(advances=20_000_000, paid_out=1_878_000, payments=1, sessions_opened=1),
    turns=TurnFigures(monthly=1, monthly_paid=1, one_time=1, one_time_paid=0),
)

PROVINCE = Figures(
    listed=LineFigures(12, 5, 65_650_100),
    listed_monthly=LineFigures(8, 5, 30_053_000),
    listed_one_time=LineFigures(4, 3, 35_597_100),
    paid=LineFigures(5, 2, 15_296_100),
    paid_monthly=LineFigures(4, 2, 12_786_000),
    paid_one_time=LineFigures(1, 1, 2_510_100),
    carried_over=LineFigures(6, 4, 45_965_000),
    carried_relisted=LineFigures(1, 1, 5_578_000),
    barred=LineFigures(1, 1, 4_389_000),
    paid_later=LineFigures(2, 2, 24_298_000),
    cash=CashFigures(advances=120_000_000, paid_out=19_685_100, payments=5, reversed_payments=1,
                     reversed_amount=5_578_000, counted=41_700_000, closure_difference=-1_900, sessions_opened=3,
                     sessions_closed=1),
    flags=YEN_DUC.flags,
    turns=TurnFigures(monthly=7, monthly_paid=3, one_time=3, one_time_paid=1, double_lines=1, double_cash=4_389_000,
                      account_lines=1, account_people=1, account_amount=600_000),  # 10 turns, 4 paid: 40,00 %
)

# January in Yên Đức: Huệ's carried December line, Huệ's and Đức's January monthly lines; A paid Huệ's December one,
# and Tâm's funeral allowance, which is not on January's list. Turns: Huệ's December one (on January's list, a turn of
# its own period), Huệ's and Đức's January ones: 3 monthly turns, 1 paid; the funeral allowance paid off the list is no
# turn of this list.
YEN_DUC_JANUARY = Figures(
    listed=LineFigures(3, 2, 15_545_000),
    listed_monthly=LineFigures(3, 2, 15_545_000),
    paid=LineFigures(1, 1, 5_578_000),
    paid_monthly=LineFigures(1, 1, 5_578_000),
    carried_over=LineFigures(2, 2, 9_967_000),
    paid_off_list=LineFigures(1, 1, 18_720_000),
    cash=CashFigures(advances=30_000_000, paid_out=24_298_000, payments=2, sessions_opened=1),
    turns=TurnFigures(monthly=3, monthly_paid=1),
)


def test_every_figure_of_the_communes_and_the_province(scenario: Scenario) -> None:
    province = report(scenario)
    assert (province.period, province.commune, province.province_name) == (DECEMBER, None, "Tỉnh Quảng Ninh")
    assert [(c.code, c.name, c.district) for c in province.communes] == [  # by name: Hải Đông before Yên Đức
        (OTHER_COMMUNE, "Xã Hải Đông", "Huyện Hải Hà"), (COMMUNE, "Xã Yên Đức", None)]
    hai_dong, yen_duc = (c.figures for c in province.communes)
    assert yen_duc == YEN_DUC
    assert hai_dong == HAI_DONG
    assert province.total == PROVINCE
    assert (yen_duc.cash.unspent, yen_duc.cash.sessions_open, yen_duc.paid_twice) == (82_192_900, 1, 4_389_000)
    assert (province.total.cash.unspent, province.total.cash.sessions_open, province.total.paid_twice) == (
        100_314_900, 2, 4_389_000)
    assert (yen_duc.flags.open, yen_duc.flags.resolved, yen_duc.flags.written_off) == (4, 0, 0)
    for name in ("listed", "paid", "carried_over", "barred"):  # lines and amounts add up; people counted once each
        assert getattr(province.total, name).lines == sum(getattr(c.figures, name).lines for c in province.communes)
        assert getattr(province.total, name).amount == sum(getattr(c.figures, name).amount for c in province.communes)
    listed = yen_duc.listed
    assert listed.lines == (yen_duc.paid.lines + yen_duc.paid_earlier.lines + yen_duc.carried_over.lines
                            + yen_duc.barred.lines)
    assert listed.amount == (yen_duc.paid.amount + yen_duc.paid_earlier.amount + yen_duc.carried_over.amount
                             + yen_duc.barred.amount)

    assert Counter((f.kind, f.entry_kind, f.device_label, f.record_code, f.line_key, f.state)
                   for f in province.flags) == {
        ("clock_skew", "session_opened", "b", None, None, FLAG_OPEN): 1,
        ("clock_skew", "payment", "b", DUC, None, FLAG_OPEN): 2,
        ("double_payment", "payment", "b", DUC, DUC_MONTHLY, FLAG_OPEN): 1,
    }
    assert [f.entry_id for f in province.flags if f.kind == "double_payment"] == [scenario.double_payment]
    assert {province.clock.day_of(f.created_at) for f in province.flags} == {dt.date(2026, 12, 5)}

    one = report(scenario, commune=COMMUNE)
    assert [c.code for c in one.communes] == [COMMUNE] and one.total == YEN_DUC and one.communes[0].figures == YEN_DUC
    assert len(one.flags) == 4
    other = report(scenario, commune=OTHER_COMMUNE)
    assert other.total == HAI_DONG and other.flags == ()

    january = report(scenario, JANUARY)
    assert [c.code for c in january.communes] == [COMMUNE]
    assert january.total == YEN_DUC_JANUARY
    assert (january.total.paid_twice, january.total.cash.unspent) == (0, 5_702_000)

    assert report(scenario).document_code == province.document_code  # the figures, not the time, make the code
    assert report(scenario, commune=COMMUNE).document_code != province.document_code


def test_a_resolution_resolves_a_flag_and_a_write_off_counts_only_once_approved(scenario: Scenario) -> None:
    flags = {(f.kind, f.entry_id): f.flag_id for f in report(scenario).flags}
    double = flags[("double_payment", scenario.double_payment)]
    skew = flags[("clock_skew", scenario.double_payment)]

    def resolve(flag_id: int, outcome: str, write_off: int = 0) -> int:
        with db.transaction(scenario.province.engine) as conn:
            return int(conn.execute(schema.flag_resolutions.insert().values(
                flag_id=flag_id, outcome=outcome, reason="Đã xác minh", write_off=write_off, by_user="canbo", at=AT,
            ).returning(schema.flag_resolutions.c.resolution_id)).scalar_one())

    def approve(resolution_id: int, approved: bool) -> None:
        with db.transaction(scenario.province.engine) as conn:
            conn.execute(schema.resolution_approvals.insert().values(
                resolution_id=resolution_id, by_user="truongphong", at=AT, approved=approved, reason=""))

    def state() -> tuple[Any, ...]:
        figures = next(c for c in report(scenario).communes if c.code == COMMUNE).figures.flags
        return (figures.of("double_payment"), figures.of("clock_skew"), figures.open, figures.resolved,
                figures.written_off, figures.pending_write_off)

    resolve(skew, "legitimate")  # no write-off: resolved at once
    assert state() == (FlagCount("double_payment", open=1), FlagCount("clock_skew", open=2, resolved=1), 3, 1, 0, 0)

    refused = resolve(double, "write_off", 4_389_000)
    assert state()[0] == FlagCount("double_payment", open=1, awaiting_approval=1, pending_write_off=4_389_000)
    approve(refused, False)  # a refused write-off leaves the flag open and writes nothing off
    assert state()[0] == FlagCount("double_payment", open=1)
    assert state()[4:] == (0, 0)

    second = resolve(double, "write_off", 2_000_000)
    assert state()[0] == FlagCount("double_payment", open=1, awaiting_approval=1, pending_write_off=2_000_000)
    approve(second, True)
    assert state() == (FlagCount("double_payment", resolved=1, written_off=2_000_000),
                       FlagCount("clock_skew", open=2, resolved=1), 2, 2, 2_000_000, 0)

    province = report(scenario)
    assert province.total.flags.written_off == 2_000_000 and province.total.flags.resolved == 2
    by_flag = {f.flag_id: f for f in province.flags}
    assert (by_flag[double].state, by_flag[double].written_off) == (FLAG_RESOLVED, 2_000_000)
    assert by_flag[skew].state == FLAG_RESOLVED
    assert sum(f.state == FLAG_OPEN for f in province.flags) == 2
    assert FLAG_AWAITING_APPROVAL not in {f.state for f in province.flags}


def test_a_bad_period_or_an_unknown_commune_is_refused_and_an_empty_month_is_empty(scenario: Scenario) -> None:
    with scenario.province.engine.connect() as conn:
        for period in ("2026-13", "12/2026", ""):
            with pytest.raises(SettlementError, match="YYYY-MM"):
                settlement(conn, period)
        with pytest.raises(SettlementError, match="QNH-9999"):
            settlement(conn, DECEMBER, "QNH-9999")
        empty = settlement(conn, "2026-06")
        assert empty.communes == () and empty.total == Figures() and empty.flags == ()
        quiet = settlement(conn, "2026-06", OTHER_COMMUNE)  # a commune asked for is shown, even with nothing
        assert [c.code for c in quiet.communes] == [OTHER_COMMUNE] and quiet.total.is_empty


# --- the documents ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def december(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    """The scenario once, on SQLite, for the documents (what they show does not depend on the engine)."""
    folder = tmp_path_factory.mktemp("settlement")
    built = build(f"sqlite:///{folder}/server.db", folder)
    yield built
    built.province.close()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_of_a_commune_and_of_the_province(december: Scenario) -> None:
    commune = report(december, commune=COMMUNE)
    content = render_settlement_pdf(commune)
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    title = reader.metadata.title if reader.metadata is not None else None
    # two agencies' lines (the Department's allowances, BHXH's pension): their table moves the flags to a 2nd page
    assert len(reader.pages) == 2 and title is not None and title.startswith("BÁO CÁO QUYẾT TOÁN CHI TRẢ THÁNG 12/2026")
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    text = pdf_text(content)
    for expected in ("BÁO CÁO QUYẾT TOÁN CHI TRẢ THÁNG 12/2026", "Xã Yên Đức", "TỈNH QUẢNG NINH",
                     "13.418.100 ₫", "82.192.900 ₫", "17.807.100 ₫", "−1.900 ₫", "Chi trùng", "Đồng hồ máy lệch",
                     "NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ", "Trang 1/2", "lập lúc 10/01/2027 10:00",
                     "Theo cơ quan chi trả", "Sở Nội vụ", "Bảo hiểm xã hội", "12.687.100", "5.120.000",
                     f"Mã báo cáo {commune.document_code}", "ngày 10 tháng 01 năm 2027"):
        assert expected in text, expected
    assert re.search(r"\b\d{1,3}\.\d{3}\.\d{3} ₫", text)

    province = report(december)
    text = pdf_text(render_settlement_pdf(province))
    for expected in ("Xã Yên Đức", "Xã Hải Đông", "Huyện Hải Hà", "Toàn tỉnh", "65.650.100", "15.296.100 ₫",
                     "100.314.900 ₫", "III. Theo xã (2 xã)"):
        assert expected in text, expected

    empty = pdf_text(render_settlement_pdf(report(december, "2026-06")))
    assert "Không có số liệu chi trả nào cho tháng 06/2026" in empty


def test_the_reports_print_their_times_on_the_province_s_clock_named(december: Scenario) -> None:
    """The server's time-zone setting reaches paper: 03:00 UTC on 10/01 is 10:00 in Vietnam, 12:00 in Tokyo."""
    with december.province.engine.connect() as conn:
        vietnam = settlement(conn, DECEMBER, now=dt.datetime(2027, 1, 10, 3, 0, tzinfo=dt.UTC))
        tokyo = settlement(conn, DECEMBER, now=dt.datetime(2027, 1, 10, 3, 0, tzinfo=dt.UTC),
                           clock=ProvinceTime("Asia/Tokyo"))
    assert "10/01/2027 10:00 (giờ Việt Nam)" in pdf_text(render_settlement_pdf(vietnam))
    assert "10/01/2027 12:00 (Asia/Tokyo (UTC+09:00))" in pdf_text(render_settlement_pdf(tokyo))
    stamp = load_workbook(io.BytesIO(render_settlement_xlsx(tokyo)))[SUMMARY_SHEET]["A3"].value
    assert "10/01/2027 12:00 (Asia/Tokyo (UTC+09:00))" in stamp
    assert tokyo.document_code == vietnam.document_code  # the figures are the same; only the clock differs


def test_the_spreadsheet_has_a_row_per_commune_a_total_row_and_the_flags(december: Scenario) -> None:
    province = report(december)
    book = load_workbook(io.BytesIO(render_settlement_xlsx(province)))
    assert book.sheetnames == [SUMMARY_SHEET, "Theo cơ quan", FLAGS_SHEET]
    sheet = book[SUMMARY_SHEET]
    titles = [cell.value for cell in sheet[HEADER_ROW]]
    assert titles[:3] == ["Mã xã", "Tên xã", "Huyện"]
    rows = [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 3)]
    assert [(r[0].value, r[1].value, r[2].value) for r in rows] == [
        (OTHER_COMMUNE, "Xã Hải Đông", "Huyện Hải Hà"), (COMMUNE, "Xã Yên Đức", None), (None, TOTAL_LABEL, None)]
    column = {title: index for index, title in enumerate(titles)}
    for title, figure, money in SUMMARY_COLUMNS:
        cells = [row[column[title]] for row in rows]
        assert all(type(cell.value) is int for cell in cells), title
        assert all(cell.number_format == ("#,##0" if money else "0") for cell in cells), title
        assert [cell.value for cell in cells[:2]] == [figure(c.figures) for c in province.communes], title
        assert cells[2].value == figure(province.total), title
        if "người" not in title:  # people are counted once each in the total (here also the sum)
            assert cells[2].value == sum(cast(int, cell.value) for cell in cells[:2]), title
    assert rows[2][column["DS: số tiền"]].value == 65_650_100
    assert rows[2][column["Tiền mặt còn lại (tạm ứng − đã chi)"]].value == 100_314_900
    assert rows[1][column["Chênh lệch khi chốt phiên"]].value == -1_900

    flags = book[FLAGS_SHEET]
    header = [cell.value for cell in flags[HEADER_ROW]]
    assert header[:5] == ["STT", "Mã cờ", "Mã xã", "Xã", "Loại cờ"]
    listed = [dict(zip(header, (cell.value for cell in row)))
              for row in flags.iter_rows(min_row=HEADER_ROW + 1, max_row=flags.max_row)]
    assert len(listed) == 4
    double = next(row for row in listed if row["Loại cờ"] == "Chi trùng (khoản đã được chi)")
    assert (double["Mã bút toán"], double["Thiết bị"], double["Mã hồ sơ"], double["Khoản"], double["Trạng thái"]) == (
        december.double_payment, "b", DUC, DUC_MONTHLY, "Chưa xử lý")
    assert double["Ngày tạo"] == dt.datetime(2026, 12, 5)
    assert flags.cell(row=HEADER_ROW + 1, column=header.index("Ngày tạo") + 1).number_format == "DD/MM/YYYY"
    assert sum(row["Loại cờ"] == "Đồng hồ máy lệch quá 5 phút" for row in listed) == 3


def test_the_command_line_writes_both_formats_and_refuses_bad_input(december: Scenario, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    settings = december.province.settings
    args = ["--data", str(settings.data_dir), "--db", settings.database_url, "report"]
    pdf, xlsx = tmp_path / "out" / "quyet-toan-12-2026.pdf", tmp_path / "quyet-toan-12-2026.xlsx"
    assert server_main(args + ["--period", DECEMBER, "--commune", COMMUNE, "--out", str(pdf)]) == 0
    assert "Xã Yên Đức" in pdf_text(pdf.read_bytes())
    assert server_main(args + ["--period", DECEMBER, "--out", str(xlsx)]) == 0
    summary = load_workbook(xlsx)[SUMMARY_SHEET]
    assert summary.cell(row=HEADER_ROW + 3, column=2).value == TOTAL_LABEL
    assert "settlement report written" in capsys.readouterr().out

    for bad in (["--period", "2026-13", "--out", str(tmp_path / "x.pdf")],
                ["--period", "12/2026", "--out", str(tmp_path / "x.xlsx")],
                ["--period", DECEMBER, "--out", str(tmp_path / "x.docx")],
                ["--period", DECEMBER, "--commune", "QNH-9999", "--out", str(tmp_path / "x.pdf")]):
        assert server_main(args + bad) == 2, bad
        error = capsys.readouterr().err
        assert error.startswith("payout-server: ") and error.count("\n") == 1, error
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.xlsx").exists()


def test_the_report_modules_import_only_what_the_server_may_use_of_the_app() -> None:
    allowed = ("app.domain", "app.lists", "app.wire", "app.resources")  # as tests/test_architecture.py's LAYERS
    root = Path(__file__).resolve().parents[2]
    for name in ("settlement.py", "settlement_pdf.py", "settlement_xlsx.py", "cli.py"):
        tree = ast.parse((root / "server" / name).read_text(encoding="utf-8"))
        used = {f"{node.module}.{alias.name}" for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module for alias in node.names}
        used |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        app = {module for module in used if module == "app" or module.startswith("app.")}
        assert {module for module in app if not any(module == a or module.startswith(a + ".") for a in allowed)} \
            == set(), name


# --- each month's list is kept (issue 11, point 3): December stays as it was --------------------------------------


def _december(engine: Any) -> tuple[Figures, str, str, list[Any], list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        report = settlement(conn, DECEMBER, COMMUNE, now=dt.datetime(2027, 1, 10, 3, 0, tzinfo=dt.UTC))
        shown = [(row["record_code"], row["full_name"], row["point_id"], row["regime"], row["amount"], row["state"])
                 for row in progress.people(conn, DECEMBER, COMMUNE)]  # what the people page shows
        return (month_figures(report.communes[0].figures), report.month_code, report.document_code,
                progress.communes(conn, DECEMBER), shown)


def test_december_stays_as_it_was_after_a_later_death_and_a_late_payment(database_url: str, tmp_path: Path) -> None:
    """December paid and settled, January's list and payments arrived; then a death recorded for a date before
    December, and a carried-over December line paid in January: December's own figures, its month code, its
    progress and people are as they were; only the follow-ups (``FOLLOW_UPS``: paid in a later month) move on."""
    scenario = build(database_url, tmp_path)
    try:
        engine = scenario.province.engine
        before = _december(engine)
        with db.transaction(engine) as conn:  # Huệ, listed and paid late, is found to have died in November
            province_module.amend(conn, HUE, scenario.province.clock(), death=dt.date(2026, 11, 20),
                                  representative=("Đặng Văn Bình", "022170000333"), by="tinh",
                                  reason="Giấy báo tử")
        corrected = parsed_list(period=JANUARY, the_lines=[  # January corrected: an amount changed, a line withdrawn
            line(HUE, "monthly", 5_578_000, period=DECEMBER, list_period=JANUARY),
            line(DUC, "monthly", 4_500_000, period=JANUARY, list_period=JANUARY),
        ])
        with db.transaction(engine) as conn:
            assert province_module.import_list(conn, corrected, scenario.province.clock())["withdrawn"] == 1
        assert _december(engine) == before  # a later death and a corrected later list: even the document code
        a = scenario.province.devices[0]
        a.pay(TAM, [key(TAM, "death_allowance")],  # carried over from December, paid in January
              recipient=Recipient(RecipientKind.REPRESENTATIVE, "Lê Thị Hoa", "022175000111"))
        assert a.sync().ok
        after = _december(engine)
        assert after[:2] == before[:2] and after[3:] == before[3:]  # the month's own figures and code, progress
        with engine.connect() as conn:
            follow_up = settlement(conn, DECEMBER, COMMUNE).communes[0].figures.paid_later
        assert follow_up == LineFigures(3, 2, 24_298_000 + 13_167_000)  # what happened since, by design
        with engine.connect() as conn:  # the death is not lost: January's payment to Huệ after it is flagged
            january = settlement(conn, JANUARY, COMMUNE)
        assert january.communes[0].figures.flags.of("paid_after_death").open == 1
    finally:
        scenario.province.close()
