"""Payout-list spreadsheets shaped like the ones provinces send (title block, merged cells, footer), written from
rows of cell values: an .xlsx workbook or a .csv file with any delimiter and encoding."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook

SheetRows = Sequence[Sequence[object]]


def write_xlsx(path: Path, rows: SheetRows, merges: Iterable[str] = ()) -> Path:
    """Write ``rows`` from A1 down (an empty sequence is an empty row), then merge ``merges``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
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
