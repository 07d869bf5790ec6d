"""Builders for payout-list spreadsheets shaped like the ones provinces send (title block, merged cells, footer)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pytest
from openpyxl import Workbook

from app.domain.policy import PolicyReference
from app.lists.policy import load_policy

SheetRows = Sequence[Sequence[object]]


@pytest.fixture(scope="session")
def policy() -> PolicyReference:
    return load_policy()


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


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """``make_xlsx(rows, merges=(), name="list.xlsx")`` → path of the written workbook."""

    def make(rows: SheetRows, merges: Iterable[str] = (), name: str = "list.xlsx") -> Path:
        return write_xlsx(tmp_path / name, rows, merges)

    return make


@pytest.fixture
def make_csv(tmp_path: Path) -> Callable[..., Path]:
    """``make_csv(rows, delimiter=",", encoding="utf-8-sig", name="list.csv")`` → path of the written file."""

    def make(rows: SheetRows, delimiter: str = ",", encoding: str = "utf-8-sig", name: str = "list.csv") -> Path:
        return write_csv(tmp_path / name, rows, delimiter, encoding)

    return make
