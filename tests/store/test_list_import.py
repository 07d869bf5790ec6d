"""Importing list files into the store: all or nothing, re-imports idempotent, paid lines never touched."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.errors import ListImportError
from app.lists.columns import HEADERS
from app.lists.writer import write_list_xlsx
from app.store import database
from app.store.store import Store
from tests.builders.store import request


def person(code: str, name: str, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "record_code": code, "full_name": name, "birth_year": 1950, "gender": "Nam", "village": "Thôn Đông",
        "commune": "Xã Yên Đức", "commune_code": "QNH-0001", "province": "Tỉnh Quảng Ninh", "category": "AQ",
        "point": "Nhà văn hóa thôn Đông", "payout_date": dt.date(2026, 12, 5), "payout_hours": "07:30-11:00",
    }
    row.update(extra)
    return row


def rows(period: str = "12/2026", duc_amount: int = 4_389_000) -> list[dict[str, object]]:
    return [
        person("QNH/AQ-00001-TCM", "Nguyễn Văn Đức", id_number="022052000123", regime="Trợ cấp hằng tháng",
               period=period, amount=duc_amount, method="Tiền mặt"),
        person("QNH/AQ-00001-TCM", "Nguyễn Văn Đức", id_number="022052000123", regime="Phụ cấp hằng tháng",
               period=period, amount=1_399_000, method="Tiền mặt"),
        person("QNH/LS-00002-TCM", "Đặng Thị Huệ", id_number="022148000456", category="LS", gender="Nữ",
               regime="Trợ cấp hằng tháng", period=period, amount=5_578_000, method="Tiền mặt"),
        person("QNH/LS-00002-TCM", "Đặng Thị Huệ", id_number="022148000456", category="LS", gender="Nữ",
               regime="Quà tặng", period=period, amount=600_000, method="Tiền mặt"),
    ]


def write(path: Path, the_rows: list[dict[str, object]], period: str = "2026-12") -> Path:
    write_list_xlsx(path, the_rows, payout_period=period)
    return path


def write_csv(path: Path, the_rows: list[dict[str, object]]) -> Path:
    """A CSV written by hand, so cells can hold anything a person might type."""
    columns = [column for column in HEADERS if any(column in row for row in the_rows)]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([HEADERS[column] for column in columns])
        for row in the_rows:
            out.writerow([_cell(row.get(column)) for column in columns])
    return path


def _cell(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


@pytest.fixture
def opened(tmp_path, clock):
    with Store.open(tmp_path / "data", clock=clock) as store:
        yield store


def test_import_then_reimport_changes_nothing(opened, tmp_path):
    first = opened.lists.import_file(write(tmp_path / "t12.xlsx", rows()))
    assert (first.people_added, first.lines_added, first.payout_period) == (2, 4, "2026-12")
    again = opened.lists.import_file(tmp_path / "t12.xlsx")
    assert not again.changed_anything and again.lines_unchanged == 4
    with database.read(opened.engine) as conn:
        assert conn.execute(text("SELECT count(*) FROM list_imports")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM schedule")).scalar_one() == 1


def test_a_changed_list_updates_unpaid_lines_and_never_paid_ones(opened, tmp_path):
    opened.lists.import_file(write(tmp_path / "t12.xlsx", rows()))
    session = opened.payouts.open_session(commune_code="QNH-0001", point_id=_point(opened), day=dt.date(2026, 12, 5),
                                          cash_advance=20_000_000, staff="giaodich").session_id
    hue = opened.payouts.person("QNH/LS-00002-TCM", session)
    opened.payouts.pay(request(session, "QNH/LS-00002-TCM", hue.selected))

    changed = rows(duc_amount=4_500_000)
    changed[2]["amount"] = 9_999_000  # Huệ is already paid: must not change
    del changed[1]  # Đức's supplement withdrawn by the province
    report = opened.lists.import_file(write(tmp_path / "t12b.xlsx", changed))

    assert [(c.field, c.old, c.new) for c in report.changes] == [("amount", 4_389_000, 4_500_000)]
    assert [(c.record_code, c.old, c.new) for c in report.kept_paid] == [("QNH/LS-00002-TCM", 5_578_000, 9_999_000)]
    assert len(report.removed) == 1 and "supplement" in report.removed[0]
    duc = opened.payouts.person("QNH/AQ-00001-TCM", session)
    assert [(s.line.regime, s.line.amount) for s in duc.lines] == [("monthly", 4_500_000)]
    paid = opened.payouts.person("QNH/LS-00002-TCM", session)
    assert {s.line.amount for s in paid.lines} == {5_578_000, 600_000}
    assert opened.maintenance.verify().ok


def test_next_months_list_adds_the_period_without_touching_history(opened, tmp_path):
    opened.lists.import_file(write(tmp_path / "t12.xlsx", rows()))
    report = opened.lists.import_file(write(tmp_path / "t01.xlsx", rows(period="01/2027"), period="2027-01"))
    assert report.lines_added == 4 and report.payout_period == "2027-01" and not report.removed
    with database.read(opened.engine) as conn:
        periods = conn.execute(text("SELECT period, count(*) FROM entitlement_lines GROUP BY period")).all()
    assert periods == [("2026-12", 4), ("2027-01", 4)]


def test_a_bad_list_imports_nothing_and_names_every_bad_row(opened, tmp_path):
    bad = rows()
    bad[0]["amount"] = "hai triệu"
    bad[2]["period"] = "13/2026"
    bad[3]["regime"] = "Chế độ lạ"
    with pytest.raises(ListImportError) as error:
        opened.lists.import_file(write_csv(tmp_path / "bad.csv", bad))
    codes = sorted(e.code for e in error.value.errors)
    assert codes == ["bad_amount", "bad_period", "unknown_regime"]
    assert all(e.row > 0 for e in error.value.errors)
    with database.read(opened.engine) as conn:
        assert conn.execute(text("SELECT count(*) FROM beneficiaries")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM entitlement_lines")).scalar_one() == 0


def _point(store) -> str:
    with database.read(store.engine) as conn:
        return conn.execute(text("SELECT point_id FROM payout_points")).scalar_one()
