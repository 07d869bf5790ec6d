"""Write a payout list in BHXH's chi trả layout (.xlsx), as a provincial Social Insurance office sends it.

Why: the demo province and the import benchmark need BHXH's list as it arrives — title rows naming "Bảo hiểm xã hội",
a header with "Mã số BHXH", "Số định danh cá nhân", "Loại chế độ", "Số tiền tháng này", "Truy lĩnh" and "Tổng số tiền
được nhận", a row of column numbers, the data, a "Tổng cộng" row and signatures — so the reader is exercised on that
shape, not on our own. Whatever is written here reads back through ``read_list`` (detected as BHXH's).

Rows are dicts keyed by the ids of ``BHXH_COLUMNS`` (absent values are blank); amounts are integers, CCCD numbers are
written as text so their leading zeros survive Excel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.period import display_period, parse_list_period
from app.lists.safe_cells import as_text

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

__all__ = ["BHXH_COLUMNS", "BHXH_TITLE", "BHXH_SIGNATURES", "write_bhxh_xlsx"]

BHXH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("stt", "STT"),
    ("record_code", "Mã số BHXH"),
    ("full_name", "Họ và tên"),
    ("birth", "Ngày sinh"),
    ("id_number", "Số định danh cá nhân"),
    ("address", "Địa chỉ"),
    ("commune_code", "Mã xã"),
    ("regime", "Loại chế độ"),
    ("period", "Tháng"),
    ("amount", "Số tiền tháng này"),
    ("arrears", "Truy lĩnh"),
    ("total", "Tổng số tiền được nhận"),
    ("point", "Điểm chi trả"),
    ("payout_date", "Ngày chi trả"),
    ("payout_hours", "Giờ chi trả"),
    ("proxy_name", "Người được ủy quyền"),
    ("proxy_id", "CCCD người được ủy quyền"),
    ("authorisation_number", "Số giấy ủy quyền"),
    ("authorisation_until", "Ủy quyền đến ngày"),
    ("signature", "Ký nhận"),
    ("note", "Ghi chú"),
)
"""Column id → BHXH's header, in the order its chi trả list prints them."""

BHXH_TITLE = "DANH SÁCH CHI TRẢ LƯƠNG HƯU, TRỢ CẤP BẢO HIỂM XÃ HỘI HẰNG THÁNG"
BHXH_SIGNATURES: tuple[str, ...] = ("Người lập biểu", "Kế toán", "Giám đốc")

_MONEY = frozenset({"amount", "arrears", "total"})
_TEXT = frozenset({"id_number", "proxy_id", "record_code"})
_DATES = frozenset({"payout_date", "authorisation_until"})
_WIDTHS = {"stt": 6, "record_code": 13, "full_name": 24, "birth": 11, "id_number": 15, "address": 34,
           "commune_code": 10, "regime": 26, "period": 9, "amount": 13, "arrears": 12, "total": 14, "point": 22,
           "payout_date": 12, "payout_hours": 12, "signature": 12, "note": 22}


def _optional(rows: list[Mapping[str, object]]) -> list[str]:
    """Every column some row fills, plus the ones BHXH always prints (the signature column stays blank)."""
    always = {"stt", "record_code", "full_name", "birth", "id_number", "address", "regime", "period", "amount",
              "arrears", "total", "signature"}
    present = {key for row in rows for key, value in row.items() if value not in (None, "")}
    return [column for column, _ in BHXH_COLUMNS if column in always or column in present]


def write_bhxh_xlsx(
    path: str | Path,
    rows: Iterable[Mapping[str, object]],
    *,
    payout_period: str,
    office: str = "BẢO HIỂM XÃ HỘI TỈNH",
    place: str = "",
    demo: bool = False,
) -> int:
    """Write BHXH's chi trả list; ``office`` is the first title row ("BẢO HIỂM XÃ HỘI TỈNH QUẢNG NINH"), ``place``
    an optional "Điểm chi trả: …" / commune row. "Tổng số tiền được nhận" is written as this month's amount plus
    arrears unless a row gives its own (tests give a wrong one on purpose). Returns the number of data rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    from app.lists.writer import DEMO_BANNER, new_sheet

    bold, centre = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    headers = dict(BHXH_COLUMNS)
    data = list(rows)
    columns = _optional(data)
    width = len(columns)
    period = parse_list_period(payout_period)
    workbook, sheet = new_sheet("DS chi tra", columns, _WIDTHS)

    def cell(value: object, *, font: Font | None = None, number_format: str | None = None) -> Cell:
        made: Cell = as_text(WriteOnlyCell(sheet, value=value))  # type: ignore[arg-type]
        if font is not None:
            made.font = font
            made.alignment = centre
        if number_format is not None:
            made.number_format = number_format
        return made

    if demo:
        sheet.append([cell(DEMO_BANNER, font=Font(bold=True, color="C00000", size=14))])
    sheet.append([cell(office, font=bold)])
    sheet.append([cell(BHXH_TITLE, font=Font(bold=True, size=13))])
    if place:
        sheet.append([cell(place, font=bold)])
    sheet.append([cell(f"Tháng {display_period(period)}", font=bold)])
    sheet.append([])
    sheet.append([cell(headers[column], font=bold) for column in columns])
    sheet.append([cell(f"({number})") for number in range(1, width + 1)])
    sums = {"amount": 0, "arrears": 0, "total": 0}
    for number, row in enumerate(data, start=1):
        amount = int(row.get("amount") or 0)  # type: ignore[call-overload]
        arrears = int(row.get("arrears") or 0)  # type: ignore[call-overload]
        total = row.get("total")
        values: list[object] = []
        for column in columns:
            value = row.get(column)
            if column == "stt":
                value = number
            elif column == "total":
                value = total if total is not None else amount + arrears
            elif column == "arrears":
                value = arrears or None
            elif column == "period" and isinstance(value, str) and value:
                value = display_period(parse_list_period(value))
            if column in sums and isinstance(value, int):
                sums[column] += value
            if value is None or value == "":
                values.append(None)
            elif column in _MONEY:
                values.append(cell(value, number_format="#,##0"))
            elif column in _DATES and isinstance(value, dt.date):
                values.append(cell(value, number_format="dd/mm/yyyy"))
            elif column in _TEXT:
                values.append(cell(str(value), number_format="@"))
            else:
                values.append(cell(value))
        sheet.append(values)
    totals: list[object] = [None] * width
    totals[1 if width > 1 else 0] = cell("Tổng cộng", font=bold)
    for column, value in sums.items():
        if column in columns:
            totals[columns.index(column)] = cell(value, font=bold, number_format="#,##0")
    sheet.append(totals)
    sheet.append([])
    signatures: list[object] = [None] * width
    for place_at, label in zip(sorted({1, max(1, (width + 1) // 2), width}), BHXH_SIGNATURES):
        signatures[place_at - 1] = cell(label, font=bold)
    sheet.append(signatures)
    sheet.append([cell("(Ký, ghi rõ họ tên)")])
    workbook.save(str(path))
    return len(data)
