"""Write payout lists in the import format, laid out as a province office would make them.

Used for demo data, for tests that must look like the field's files (title block, merged cells, "Tổng cộng", signature
lines) and for exporting a list back to Excel. Whatever is written here must read back through ``read_list`` to the
same lines, so both ends share the headers of ``columns.COLUMNS``. Amounts stay integers, dates stay real dates and
CCCD numbers are written as text so their leading zeros survive Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.model import BeneficiaryStatus, Gender, PaymentMethod
from app.domain.money import parse_vnd
from app.domain.period import display_period, is_period, parse_list_period
from app.lists.columns import COLUMNS, HEADERS
from app.lists.safe_cells import as_text, csv_field

if TYPE_CHECKING:  # openpyxl itself is imported only when a workbook is written
    from openpyxl.cell.cell import Cell

__all__ = ["write_list_xlsx", "write_list_csv", "DEFAULT_TITLE", "DEMO_BANNER", "SIGNATURES", "TOTAL_LABEL"]

DEFAULT_TITLE = "DANH SÁCH CHI TRẢ TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG"
DEMO_BANNER = "DỮ LIỆU THỬ – KHÔNG DÙNG ĐỂ CHI TRẢ"
"""First line of every demo list, so a printed demo sheet can never be mistaken for a real one."""
TOTAL_LABEL = "Tổng cộng"
SIGNATURES: tuple[str, ...] = ("Người lập biểu", "Kế toán", "Thủ trưởng đơn vị")

ID_COLUMNS = frozenset({"id_number", "representative_id", "proxy_id"})
"""Written as text: Excel would turn 001089012345 into the number 1089012345."""
DATE_COLUMNS = frozenset({"payout_date", "death_date", "authorisation_until"})
DATE_FORMAT = "dd/mm/yyyy"
AMOUNT_FORMAT = "#,##0"

_WIDTHS: dict[str, float] = {
    "stt": 6, "line_id": 14, "record_code": 20, "full_name": 26, "birth_year": 9, "gender": 8, "id_number": 15,
    "village": 16, "commune": 18, "commune_code": 10, "district": 14, "province": 14, "category": 10,
    "programme": 14, "regime": 22, "period": 9, "amount": 14, "method": 11, "point": 24, "payout_date": 12,
    "payout_hours": 13, "status": 12, "death_date": 12, "representative": 22, "representative_id": 15,
    "proxy_name": 22, "proxy_id": 15, "authorisation_number": 14, "authorisation_until": 12, "note": 24,
}
_WORDS: dict[object, str] = {
    PaymentMethod.CASH: "Tiền mặt",
    PaymentMethod.ACCOUNT: "Tài khoản",
    Gender.MALE: "Nam",
    Gender.FEMALE: "Nữ",
    BeneficiaryStatus.ACTIVE: "Đang hưởng",
    BeneficiaryStatus.SUSPENDED: "Tạm dừng",
    BeneficiaryStatus.DECEASED: "Đã mất",
}
"""Enum values in the words a province would type."""


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _columns(rows: list[Mapping[str, object]], always: Iterable[str] = ()) -> list[str]:
    """STT, then every column some row has a value for, in ``COLUMNS`` order."""
    wanted = set(always)
    for row in rows:
        wanted.update(key for key, value in row.items() if _present(value))
    return ["stt", *(column for column, _header in COLUMNS if column != "stt" and column in wanted)]


def _value(column: str, value: object) -> object:
    """A row value as it goes into a cell (dates and ints kept as such, enums and periods as words)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Enum):
        return _WORDS.get(value, str(value.value))
    if column == "amount" and not isinstance(value, int):
        return parse_vnd(value)
    if column == "period" and isinstance(value, str) and is_period(value.strip()):
        return display_period(value.strip())
    if column in ID_COLUMNS:
        return str(value).strip()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _display(value: object) -> str:
    """A cell value as CSV text (text that a spreadsheet would take for a formula is marked, see ``safe_cells``)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return csv_field(value)
    return str(value)


def new_sheet(name: str, columns: Sequence[str], widths: Mapping[str, float]) -> tuple[Any, Any]:
    """A write-only workbook and its one sheet ``name``, its columns as wide as ``widths`` says (14 otherwise): the
    start every list writer shares (ours, BHXH's)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name)
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = widths.get(column, 14)
    return workbook, sheet


def write_list_xlsx(
    path: str | Path,
    rows: Iterable[Mapping[str, object]],
    *,
    payout_period: str,
    title: str = DEFAULT_TITLE,
    subtitle: str = "",
    demo: bool = False,
) -> int:
    """Write an .xlsx payout list with title block, header, data, "Tổng cộng" and signatures; returns the row count.

    Write-only mode keeps 15,000 rows to a few seconds; merged title cells are declared on the sheet's merge list,
    which the write-only writer emits after the rows.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    period = parse_list_period(payout_period)
    data = list(rows)
    columns = _columns(data)
    width = len(columns)
    last = get_column_letter(width)

    workbook, sheet = new_sheet("Danh sách", columns, _WIDTHS)

    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    current = 0

    def styled(value: object, *, font: Font | None = None, align: Alignment | None = None,
               number_format: str | None = None, border: Border | None = None) -> Cell:
        # text is data, never a formula; any value a cell takes (the stubs' WriteOnlyCell leaves out dates)
        cell: Cell = as_text(WriteOnlyCell(sheet, value=value))  # type: ignore[arg-type]
        if font is not None:
            cell.font = font
        if align is not None:
            cell.alignment = align
        if number_format is not None:
            cell.number_format = number_format
        if border is not None:
            cell.border = border
        return cell

    def title_row(text: str, font: Font) -> None:
        nonlocal current
        sheet.append([styled(text, font=font, align=centre)])
        current += 1
        if width > 1:
            sheet.merged_cells.add(f"A{current}:{last}{current}")

    if demo:
        title_row(DEMO_BANNER, Font(bold=True, color="C00000", size=14))
    title_row(title, Font(bold=True, size=13))
    if subtitle:
        title_row(subtitle, bold)
    title_row(f"Tháng {display_period(period)}", bold)
    sheet.append([])
    current += 1

    header_fill = PatternFill("solid", fgColor="D9E1F2")
    header_cells = []
    for column in columns:
        cell = styled(HEADERS[column], font=bold, align=centre, border=box)
        cell.fill = header_fill
        header_cells.append(cell)
    sheet.append(header_cells)
    current += 1
    sheet.freeze_panes = f"A{current + 1}"
    sheet.print_title_rows = f"{current}:{current}"

    total = 0
    for number, row in enumerate(data, start=1):
        values: list[object] = []
        for column in columns:
            if column == "stt":
                values.append(number)
                continue
            value = _value(column, row.get(column))
            if value is None:
                values.append(None)
            elif column == "amount":
                total += value  # type: ignore[operator]
                values.append(styled(value, number_format=AMOUNT_FORMAT))
            elif isinstance(value, dt.date):
                values.append(styled(value, number_format=DATE_FORMAT))
            elif column in ID_COLUMNS:
                values.append(styled(value, number_format="@"))
            elif isinstance(value, str):
                values.append(styled(value))
            else:
                values.append(value)
        sheet.append(values)
        current += 1

    total_cells: list[object] = [styled(TOTAL_LABEL, font=bold, align=centre)]
    amount_at = columns.index("amount") if "amount" in columns else -1
    if amount_at > 0:
        total_cells += [None] * (amount_at - 1)
        total_cells.append(styled(total, font=bold, number_format=AMOUNT_FORMAT))
    sheet.append(total_cells)
    current += 1
    if amount_at > 1:
        sheet.merged_cells.add(f"A{current}:{get_column_letter(amount_at)}{current}")
    sheet.append([])
    current += 1

    places = sorted({1, max(1, (width + 1) // 2), width})
    signature_cells: list[object] = [None] * width
    if len(places) == len(SIGNATURES):
        for place, label in zip(places, SIGNATURES):
            signature_cells[place - 1] = styled(label, font=bold, align=centre)
    else:
        signature_cells[0] = styled("    ".join(SIGNATURES), font=bold)
    sheet.append(signature_cells)
    workbook.save(str(path))
    return len(data)


def write_list_csv(
    path: str | Path,
    rows: Iterable[Mapping[str, object]],
    *,
    payout_period: str | None = None,
) -> int:
    """Write the header and data rows as UTF-8 CSV with a BOM (Excel then shows Vietnamese correctly).

    A CSV has no title block to name the month, so with ``payout_period`` every row without a "Kỳ" gets that period
    and the file reads back on its own. Returns the number of data rows.
    """
    period = parse_list_period(payout_period) if payout_period else None
    data = list(rows)
    columns = _columns(data, always=("period",) if period else ())
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_field(HEADERS[column]) for column in columns])
        for number, row in enumerate(data, start=1):
            line: list[str] = []
            for column in columns:
                if column == "stt":
                    line.append(str(number))
                    continue
                raw = row.get(column)
                if column == "period" and period and not _present(raw):
                    raw = period
                line.append(_display(_value(column, raw)))
            writer.writerow(line)
    return len(data)
