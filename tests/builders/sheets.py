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
