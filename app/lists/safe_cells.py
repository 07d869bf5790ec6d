"""Spreadsheet cells that are data, never formulas: the one rule every export follows.

Text from outside reaches the files officers open in Excel: a commune name from a list, a device's label chosen at
enrolment, a note. Text such as ``=HYPERLINK("http://…"&A1, "Xã …")`` must stay that text, never become a live
formula. In .xlsx a text cell is written with the string type forced: openpyxl would otherwise store any text
starting with ``=`` as a formula (and "#N/A" as an error), while a string cell is never evaluated and keeps its text
exactly. A CSV has no types and Excel guesses, so there a value starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return gets a leading ``'`` (the usual defence against CSV injection); the list reader removes that mark
again when it reads a CSV, so an exported list reads back as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_PREFIXES", "CSV_TEXT_MARK", "csv_field", "unmark_csv_field", "as_text", "texts_as_data"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a CSV value as a formula."""
CSV_TEXT_MARK = "'"


def csv_field(value: str) -> str:
    """A text value for a CSV file: marked with ``'`` when a spreadsheet would read it as a formula."""
    return CSV_TEXT_MARK + value if value.startswith(FORMULA_PREFIXES) else value


def unmark_csv_field(value: str) -> str:
    """A CSV value as it was before ``csv_field`` marked it."""
    if value.startswith(CSV_TEXT_MARK) and value[1:2] and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def as_text(cell: Any) -> Any:
    """An openpyxl cell (normal or write-only) holding text, typed as a string whatever the text looks like."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def texts_as_data(sheets: Iterable[Any]) -> None:
    """Type every text cell of these openpyxl worksheets as a string, just before the workbook is saved."""
    for sheet in sheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
