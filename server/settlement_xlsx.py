"""The settlement report as a spreadsheet (openpyxl), for the accountant's own checks.

Sheet "Tổng hợp": a row per commune and a total row, every figure a number (money with the ``#,##0`` format, so a
sum in Excel or LibreOffice gives the same VND as the report). Sheet "Cờ": the flags of the period, one per row.
The figures are those of ``server.settlement``; the column titles say which.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.period import display_period
from app.lists.safe_cells import texts_as_data
from server.settlement import Figures, Settlement

__all__ = ["render_settlement_xlsx", "SUMMARY_SHEET", "FLAGS_SHEET", "HEADER_ROW", "TOTAL_LABEL", "SUMMARY_COLUMNS"]

SUMMARY_SHEET = "Tổng hợp"
FLAGS_SHEET = "Cờ"
HEADER_ROW = 4
"""The row of column titles on both sheets (rows 1–3: title, scope, time of the figures)."""
TOTAL_LABEL = "Tổng cộng"
VND = "#,##0"
INTEGER = "0"
DATE = "DD/MM/YYYY"

BOLD = Font(bold=True)
SHADE = PatternFill("solid", fgColor="E8E8E8")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

Getter = Callable[[Figures], int]

SUMMARY_COLUMNS: tuple[tuple[str, Getter, bool], ...] = (
    # (title, figure, is money)
    ("Lượt theo DS", lambda f: f.turns.listed, False),
    ("Lượt đã chi", lambda f: f.turns.paid, False),
    ("Lượt hằng tháng theo DS", lambda f: f.turns.monthly, False),
    ("Lượt hằng tháng đã chi", lambda f: f.turns.monthly_paid, False),
    ("Lượt một lần theo DS", lambda f: f.turns.one_time, False),
    ("Lượt một lần đã chi", lambda f: f.turns.one_time_paid, False),
    ("DS: số khoản", lambda f: f.listed.lines, False),
    ("DS: số người", lambda f: f.listed.people, False),
    ("DS: số tiền", lambda f: f.listed.amount, True),
    ("DS hằng tháng: số khoản", lambda f: f.listed_monthly.lines, False),
    ("DS hằng tháng: số tiền", lambda f: f.listed_monthly.amount, True),
    ("DS một lần: số khoản", lambda f: f.listed_one_time.lines, False),
    ("DS một lần: số tiền", lambda f: f.listed_one_time.amount, True),
    ("Đã chi: số khoản", lambda f: f.paid.lines, False),
    ("Đã chi: số người", lambda f: f.paid.people, False),
    ("Đã chi: số tiền", lambda f: f.paid.amount, True),
    ("Đã chi hằng tháng: số khoản", lambda f: f.paid_monthly.lines, False),
    ("Đã chi hằng tháng: số tiền", lambda f: f.paid_monthly.amount, True),
    ("Đã chi một lần: số khoản", lambda f: f.paid_one_time.lines, False),
    ("Đã chi một lần: số tiền", lambda f: f.paid_one_time.amount, True),
    ("Đã chi ở kỳ trước: số khoản", lambda f: f.paid_earlier.lines, False),
    ("Đã chi ở kỳ trước: số tiền", lambda f: f.paid_earlier.amount, True),
    ("Chuyển kỳ sau: số khoản", lambda f: f.carried_over.lines, False),
    ("Chuyển kỳ sau: số người", lambda f: f.carried_over.people, False),
    ("Chuyển kỳ sau: số tiền", lambda f: f.carried_over.amount, True),
    ("Có trong DS kỳ sau: số khoản", lambda f: f.carried_relisted.lines, False),
    ("Không chi (sau tháng mất): số khoản", lambda f: f.barred.lines, False),
    ("Không chi (sau tháng mất): số tiền", lambda f: f.barred.amount, True),
    ("Đã chi ở kỳ sau: số khoản", lambda f: f.paid_later.lines, False),
    ("Đã chi ở kỳ sau: số tiền", lambda f: f.paid_later.amount, True),
    ("Chi ngoài DS kỳ: số khoản", lambda f: f.paid_off_list.lines, False),
    ("Chi ngoài DS kỳ: số tiền", lambda f: f.paid_off_list.amount, True),
    ("Chuyển đi (sang xã khác): số khoản", lambda f: f.moved.lines, False),
    ("Chuyển đi (sang xã khác): số tiền", lambda f: f.moved.amount, True),
    ("Tạm ứng", lambda f: f.cash.advances, True),
    ("Tiền mặt đã chi", lambda f: f.cash.paid_out, True),
    ("Số lần chi", lambda f: f.cash.payments, False),
    ("Trong đó chi trùng", lambda f: f.paid_twice, True),
    ("Khoản chi trùng (có cờ)", lambda f: f.turns.double_lines, False),
    ("Chi qua tài khoản: số khoản", lambda f: f.turns.account_lines, False),
    ("Chi qua tài khoản: số tiền", lambda f: f.turns.account_amount, True),
    ("Lần chi đã hủy", lambda f: f.cash.reversed_payments, False),
    ("Tiền các lần chi đã hủy", lambda f: f.cash.reversed_amount, True),
    ("Tiền mặt còn lại (tạm ứng − đã chi)", lambda f: f.cash.unspent, True),
    ("Kiểm đếm khi chốt phiên", lambda f: f.cash.counted, True),
    ("Chênh lệch khi chốt phiên", lambda f: f.cash.closure_difference, True),
    ("Phiên đã mở", lambda f: f.cash.sessions_opened, False),
    ("Phiên đã đóng", lambda f: f.cash.sessions_closed, False),
    ("Phiên còn mở", lambda f: f.cash.sessions_open, False),
    ("Cờ chưa xử lý", lambda f: f.flags.open, False),
    ("Cờ chờ duyệt", lambda f: f.flags.awaiting_approval, False),
    ("Cờ đã xử lý", lambda f: f.flags.resolved, False),
    ("Không thu hồi đã duyệt", lambda f: f.flags.written_off, True),
    ("Không thu hồi chờ duyệt", lambda f: f.flags.pending_write_off, True),
)
"""The figure columns of "Tổng hợp", after Mã xã, Tên xã, Huyện (DS = the period's cash list)."""

FLAG_COLUMNS = ("STT", "Mã cờ", "Mã xã", "Xã", "Loại cờ", "Mã bút toán", "Loại bút toán", "Thiết bị", "Mã thiết bị",
                "Mã hồ sơ", "Khoản", "Ngày tạo", "Trạng thái", "Không thu hồi đã duyệt", "Không thu hồi chờ duyệt")


def _heading(sheet: Any, report: Settlement, title: str, width: int, frozen_columns: int = 0) -> None:
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    scope = report.communes[0].name if report.commune is not None and report.communes else "toàn tỉnh"
    sheet["A2"] = f"{report.province_name} — {scope} — tháng {display_period(report.period)}"
    generated = report.clock.format_datetime(report.generated_at)
    sheet["A3"] = (f"Số liệu của máy chủ tỉnh đến {generated} ({report.clock.label()}) "
                   f"· mã báo cáo {report.document_code}")
    sheet["A3"].font = Font(italic=True, color="555555")
    for column in range(1, width + 1):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        cell.font = BOLD
        cell.fill = SHADE
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=frozen_columns + 1)


def _summary(book: Workbook, report: Settlement) -> None:
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on its one worksheet
    sheet.title = SUMMARY_SHEET
    titles = ["Mã xã", "Tên xã", "Huyện", *(title for title, _, _ in SUMMARY_COLUMNS)]
    for column, title in enumerate(titles, start=1):
        sheet.cell(row=HEADER_ROW, column=column, value=title)
    _heading(sheet, report, report.title, len(titles), frozen_columns=3)

    def write(row: int, values: list[Any], figures: Figures, bold: bool) -> None:
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
        for offset, (_, figure, money) in enumerate(SUMMARY_COLUMNS, start=len(values) + 1):
            cell = sheet.cell(row=row, column=offset, value=int(figure(figures)))
            cell.number_format = VND if money else INTEGER
        for column in range(1, len(titles) + 1):
            boxed = sheet.cell(row=row, column=column)
            boxed.border = BOX
            if bold:
                boxed.font = BOLD
                boxed.fill = SHADE

    row = HEADER_ROW + 1
    for place in report.communes:
        write(row, [place.code, place.name, place.district], place.figures, False)
        row += 1
    write(row, [None, TOTAL_LABEL, None], report.total, True)
    sheet.cell(row=row + 2, column=1, value="Dòng tổng cộng là tổng các xã; số người được đếm một lần mỗi người. "
                                            "DS: danh sách chi tiền mặt của kỳ. Xem định nghĩa từng chỉ tiêu trong "
                                            "báo cáo PDF.").font = Font(italic=True, color="555555")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["C"].width = 16
    for column, (_, _, money) in enumerate(SUMMARY_COLUMNS, start=4):
        sheet.column_dimensions[get_column_letter(column)].width = 15 if money else 10


def _flags(book: Workbook, report: Settlement) -> None:
    sheet = book.create_sheet(FLAGS_SHEET)
    for column, title in enumerate(FLAG_COLUMNS, start=1):
        sheet.cell(row=HEADER_ROW, column=column, value=title)
    _heading(sheet, report, f"Cờ cảnh báo của kỳ {display_period(report.period)}", len(FLAG_COLUMNS))
    for index, flag in enumerate(report.flags, start=1):
        created = report.clock.day_of(flag.created_at)
        values: list[Any] = [index, flag.flag_id, flag.commune_code, flag.commune_name, flag.label, flag.entry_id,
                             flag.entry_kind, flag.device_label, flag.device_id, flag.record_code, flag.line_key,
                             created, flag.state_label, flag.written_off, flag.pending_write_off]
        row = HEADER_ROW + index
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = BOX
            if isinstance(value, dt.date):
                cell.number_format = DATE
            elif column >= 14:
                cell.number_format = VND
    if not report.flags:
        sheet.cell(row=HEADER_ROW + 1, column=1, value="Không có cờ cảnh báo nào trong kỳ.")
    for column, width in enumerate((6, 8, 12, 20, 34, 38, 14, 14, 38, 20, 44, 12, 24, 14, 14), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


AGENCY_SHEET = "Theo cơ quan"
AGENCY_COLUMNS = ("Mã cơ quan", "Cơ quan chi trả", "Khoản theo DS", "Số tiền theo DS (đồng)", "Khoản đã chi",
                  "Số tiền đã chi (đồng)", "Số lần chi", "Tiền mặt đã chi (đồng)")


def _agencies(book: Workbook, report: Settlement) -> None:
    """Each agency's lines and cash; the total row's cash is the cash paid of the period (issue 12)."""
    sheet = book.create_sheet(AGENCY_SHEET)
    for column, title in enumerate(AGENCY_COLUMNS, start=1):
        sheet.cell(row=HEADER_ROW, column=column, value=title)
    _heading(sheet, report, f"Theo cơ quan chi trả — kỳ {display_period(report.period)}", len(AGENCY_COLUMNS))
    rows: list[list[Any]] = [[item.agency, item.name, item.listed.lines, item.listed.amount, item.paid.lines,
                              item.paid.amount, item.payments, item.cash_paid] for item in report.by_agency]
    rows.append([None, TOTAL_LABEL, sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows),
                 sum(r[5] for r in rows), None, sum(r[7] for r in rows)])
    for index, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=HEADER_ROW + index, column=column, value=value)
            cell.border = BOX
            if column in (4, 6, 8):
                cell.number_format = VND
            elif column >= 3:
                cell.number_format = INTEGER
            if index == len(rows):
                cell.font, cell.fill = BOLD, SHADE
    for column, width in enumerate((12, 30, 12, 18, 12, 18, 10, 18), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def render_settlement_xlsx(report: Settlement) -> bytes:
    """The settlement as .xlsx bytes: sheets "Tổng hợp", "Theo cơ quan" and "Cờ"."""
    book = Workbook()
    _summary(book, report)
    _agencies(book, report)
    _flags(book, report)
    texts_as_data(book.worksheets)  # commune names, device labels…: text, never a formula
    book.properties.title = report.title
    book.properties.creator = "Payout Desk — máy chủ tỉnh"
    book.properties.keywords = f"payout-desk-settlement:{report.period}:{report.commune or '*'}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
