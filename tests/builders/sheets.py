"""Payout-list spreadsheets shaped like the ones provinces send (title block, merged cells, footer), written from
rows of cell values: an .xlsx workbook or a .csv file with any delimiter and encoding."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook

if TYPE_CHECKING:
    from app.lists.parsed import ParsedList

SheetRows = Sequence[Sequence[object]]


def write_xlsx(path: Path, rows: SheetRows, merges: Iterable[str] = ()) -> Path:
    """Write ``rows`` from A1 down (an empty sequence is an empty row), then merge ``merges``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                # a test writes any value, also those the stubs leave out (and some openpyxl refuses, on purpose)
                sheet.cell(row=number, column=column, value=value)  # type: ignore[call-overload]
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: SheetRows, delimiter: str = ",", encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
    return path


def list_rows(parsed: ParsedList) -> list[dict[str, object]]:
    """The rows of a list file that reads back as ``parsed`` (people, lines, points, representatives, proxies):
    what a province office would send, for tests that go through the real reader (CLI, console, desk import)."""
    communes = {commune.code: commune for commune in parsed.communes}
    points = {point.point_id: point for point in parsed.points}
    people = {person.record_code: person for person in parsed.beneficiaries}
    proxies = {item.record_code: item for item in parsed.authorisations}
    rows: list[dict[str, object]] = []
    for line in parsed.lines:
        person = people[line.record_code]
        commune = communes[person.commune_code]
        rep = person.representative
        proxy = proxies.get(person.record_code)
        rows.append({
            "line_id": line.line_id, "record_code": person.record_code, "full_name": person.full_name,
            "birth_year": person.birth_year, "gender": person.gender, "id_number": person.id_number,
            "village": person.village, "commune": commune.name, "commune_code": commune.code,
            "province": parsed.province.name, "category": person.category, "programme": line.programme,
            "regime": line.regime, "period": line.period, "amount": line.amount, "method": line.method,
            "point": points[person.point_id].name if person.point_id in points else None,
            "status": person.status, "death_date": person.date_of_death,
            "representative": rep.name if rep else None, "representative_id": rep.id_number if rep else None,
            "proxy_name": proxy.proxy_name if proxy else None, "proxy_id": proxy.proxy_id_number if proxy else None,
            "authorisation_number": proxy.number if proxy else None,
            "authorisation_until": proxy.valid_until if proxy else None, "note": line.note or None,
        })
    return rows


def write_parsed(path: Path, parsed: ParsedList) -> Path:
    """``parsed`` as a province's .xlsx list file (title, header, rows, total, signatures)."""
    from app.lists.writer import write_list_xlsx

    write_list_xlsx(path, list_rows(parsed), payout_period=parsed.payout_period)
    return path


BHXH_HEADER: tuple[str, ...] = (
    "STT", "Họ và tên", "Mã số BHXH", "Số định danh cá nhân", "Ngày sinh", "Địa chỉ", "Loại chế độ", "Tháng",
    "Số tiền tháng này", "Truy lĩnh", "Tổng số tiền được nhận", "Ký nhận",
)
"""BHXH's chi trả list as it prints its columns (the test builder's own spelling, not the app's writer)."""


def bhxh_person(name: str, code: str, id_number: object, born: object, address: str, regime: str,
                amount: int, arrears: int | None = None, total: int | None = None,
                period: str = "12/2026") -> list[object]:
    """One data row of a BHXH chi trả list (STT filled in by ``bhxh_sheet``); ``total`` defaults to amount +
    arrears, as BHXH prints it."""
    stated = total if total is not None else amount + (arrears or 0)
    return [None, name, code, id_number, born, address, regime, period, amount, arrears, stated, None]


def bhxh_sheet(people: Sequence[Sequence[object]], *, office: str = "BẢO HIỂM XÃ HỘI TỈNH QUẢNG NINH",
               place: str | None = "Điểm chi trả: Phường Hồng Hải", period: str = "12/2026",
               header: Sequence[str] = BHXH_HEADER, total: int | None = None) -> list[list[object]]:
    """A whole BHXH chi trả sheet: office and title rows (the office row names "Bảo hiểm xã hội"), the place, the
    month, the header, a row of column numbers "(1) (2) …", the people, a "Tổng cộng" row (its total column the sum
    of the rows' totals unless ``total`` is given) and the signature block."""
    width = len(header)
    rows: list[list[object]] = [
        [office, *([None] * (width - 1))],
        ["DANH SÁCH CHI TRẢ LƯƠNG HƯU, TRỢ CẤP BHXH HẰNG THÁNG"],
    ]
    if place:
        rows.append([place])
    rows += [[f"Tháng {period}"], [], list(header), [f"({number})" for number in range(1, width + 1)]]
    summed = [0, 0, 0]
    for number, person in enumerate(people, start=1):
        row = list(person)
        row[0] = number
        rows.append(row)
        for index, column in enumerate((8, 9, 10)):
            value = row[column]
            summed[index] += value if isinstance(value, int) else 0
    rows.append([None, "Tổng cộng", None, None, None, None, None, None, summed[0], summed[1],
                 total if total is not None else summed[2], None])
    rows += [[], ["Người lập biểu", None, None, None, None, "Kế toán", None, None, None, "Giám đốc"],
             ["(Ký, ghi rõ họ tên)"]]
    return rows
