"""The 12-month report as a spreadsheet: sheets "Theo xã", "Theo tháng" and "Theo chế độ", every figure a number.

Built with the settlement spreadsheet's styles (heading rows, boxed cells, ``#,##0`` money) so a sum in Excel or
LibreOffice gives the same figures as the PDF and the console.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.domain.period import display_period
from app.domain.text import place_key
from app.lists.safe_cells import texts_as_data
from server.progress import Counts
from server.settlement_xlsx import BOLD, BOX, HEADER_ROW, INTEGER, SHADE, TOTAL_LABEL, VND
from server.year_report import YearReport

__all__ = ["render_year_report_xlsx", "COLUMNS", "COMMUNES_SHEET", "MONTHS_SHEET", "REGIMES_SHEET"]

COMMUNES_SHEET, MONTHS_SHEET, REGIMES_SHEET = "Theo xã", "Theo tháng", "Theo chế độ"

COLUMNS: tuple[tuple[str, Callable[[Counts], int], bool], ...] = (
    ("Lượt trong danh sách", lambda c: c.turns, False),
    ("Lượt đã chi", lambda c: c.turns_paid, False),
    ("Lượt hằng tháng trong danh sách", lambda c: c.monthly_turns, False),
    ("Lượt hằng tháng đã chi", lambda c: c.monthly_turns_paid, False),
    ("Lượt một lần trong danh sách", lambda c: c.one_time_turns, False),
    ("Lượt một lần đã chi", lambda c: c.one_time_turns_paid, False),
    ("Khoản trong danh sách", lambda c: c.lines, False),
    ("Khoản đã chi", lambda c: c.paid_lines, False),
    ("Số lần chi trả (chữ ký)", lambda c: c.payments, False),
    ("Tiền mặt đã chi (đồng)", lambda c: c.cash_paid, True),
    ("Trong đó chi trùng, có cờ (đồng)", lambda c: c.double_cash, True),
    ("Tiền đã chi cho các khoản (đồng)", lambda c: c.paid_amount, True),
    ("Khoản chi qua tài khoản", lambda c: c.account_lines, False),
    ("Số tiền chi qua tài khoản (đồng)", lambda c: c.account_amount, True),
)
PERCENT_TITLE = "Tỷ lệ lượt đã chi (%)"


def _sheet(book: Workbook, report: YearReport, title: str, first_title: str,
           rows: Sequence[tuple[str | None, str, Counts]], total: Counts | None, first: bool = False) -> None:
    sheet: Any = book.active if first else book.create_sheet()
    sheet.title = title
    sheet["A1"] = report.title
    sheet["A1"].font = Font(bold=True, size=13)
    what = report.agency_name or "mọi cơ quan chi trả"
    sheet["A2"] = (f"{report.province_name} — {what} — từ tháng {display_period(report.first)} "
                   f"đến tháng {display_period(report.last)} — {report.communes_with_beneficiaries} xã có đối tượng")
    sheet["A3"] = (f"Số liệu của máy chủ tỉnh đến {report.clock.format_datetime(report.generated_at)} "
                   f"({report.clock.label()}) · mã báo cáo {report.document_code}")
    sheet["A3"].font = Font(italic=True, color="555555")
    titles = ["Mã", first_title, PERCENT_TITLE, *(c[0] for c in COLUMNS)]
    for column, value in enumerate(titles, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=value)
        cell.font, cell.fill, cell.border = BOLD, SHADE, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)

    def write(row: int, code: str | None, name: str, counts: Counts, bold: bool) -> None:
        values: list[Any] = [code, name, round(counts.turns_percent, 2)]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
        sheet.cell(row=row, column=3).number_format = "0.00"
        for column, (_, figure, money) in enumerate(COLUMNS, start=4):
            cell = sheet.cell(row=row, column=column, value=int(figure(counts)))
            cell.number_format = VND if money else INTEGER
        for column in range(1, len(titles) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.border = BOX
            if bold:
                cell.font, cell.fill = BOLD, SHADE

    row = HEADER_ROW + 1
    for code, name, counts in rows:
        write(row, code, name, counts, False)
        row += 1
    if total is not None:
        write(row, None, TOTAL_LABEL, total, True)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 30
    for column in range(3, len(titles) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14


def render_year_report_xlsx(report: YearReport, regime_name: Callable[[str], str] = str) -> bytes:
    """The report as .xlsx bytes."""
    book = Workbook()
    _sheet(book, report, COMMUNES_SHEET, "Xã", [(r.key, r.name, r.counts) for r in report.communes], report.total,
           first=True)
    _sheet(book, report, MONTHS_SHEET, "Tháng",
           [(None, display_period(r.key), r.counts) for r in report.months], report.total)
    _sheet(book, report, REGIMES_SHEET, "Chế độ", sorted(((None, regime_name(r.key), r.counts) for r in report.regimes),
                                    key=lambda item: place_key(item[1])),
           None)
    texts_as_data(book.worksheets)
    book.properties.title = report.title
    book.properties.creator = "Payout Desk — máy chủ tỉnh"
    book.properties.keywords = f"payout-desk-year:{report.first}:{report.last}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
