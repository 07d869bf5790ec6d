"""People on paper in Vietnamese order: the public notice, the payout sheet, the minutes and the monthly report list
a point's people by village, then given name, family name and middle names — read back from the PDF text."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.minutes import render_minutes
from app.documents.monthly import render_monthly_report
from app.documents.notice import render_notice
from app.documents.sheet import render_payout_sheet
from app.domain.model import Beneficiary, Gender, Village
from app.store.store import Store
from tests.builders.store import COMMUNE, DAY, PERIOD, POINT, line, parsed_list

# record code, name, village — listed in the order a province list might have them (and code points would sort them)
PEOPLE = [
    ("QNH/AQ-00011-TCM", "Hoàng Văn Đông", "Thôn Đông Xá"),
    ("QNH/AQ-00012-TCM", "Lê Thị Ánh", "Thôn Tây Xá"),
    ("QNH/AQ-00013-TCM", "Nguyễn Văn Bình", "Thôn Tây Xá"),
    ("QNH/AQ-00014-TCM", "Ngô Thị Bình", "Thôn Tây Xá"),
    ("QNH/AQ-00015-TCM", "Phạm Thị Dung", "Thôn Đông Xá"),
    ("QNH/AQ-00016-TCM", "Trần Văn Anh", "Thôn Tây Xá"),
    ("QNH/AQ-00017-TCM", "Đỗ Văn Dương", "Thôn Đông Xá"),
]
IN_ORDER = ["Phạm Thị Dung", "Đỗ Văn Dương", "Hoàng Văn Đông",  # Thôn Đông Xá before Thôn Tây Xá
            "Trần Văn Anh", "Lê Thị Ánh", "Ngô Thị Bình", "Nguyễn Văn Bình"]  # Anh < Ánh < Bình (Ngô < Nguyễn)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    people = [Beneficiary(code, name, COMMUNE, "AQ", 1950, Gender.MALE, None, village, POINT)
              for code, name, village in PEOPLE]
    listed = replace(parsed_list(), beneficiaries=tuple(people), authorisations=(),
                     villages=(Village(COMMUNE, "Thôn Tây Xá"), Village(COMMUNE, "Thôn Đông Xá")),
                     lines=tuple(line(code, "monthly", 2_789_000) for code, _, _ in PEOPLE))
    opened = Store.open(tmp_path / "data")
    opened.lists.import_parsed(listed)
    yield opened
    opened.close()


def order_in(pdf: bytes) -> list[str]:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    positions = {name: text.find(name) for _, name, _ in PEOPLE}
    assert all(position >= 0 for position in positions.values()), positions
    return sorted(positions, key=positions.__getitem__)


def test_the_public_notice_lists_people_in_vietnamese_order(store: Store) -> None:
    notice = store.reports.notice(POINT, period=PERIOD)
    assert [person.full_name for person in notice.people] == IN_ORDER
    assert order_in(render_notice(notice)) == IN_ORDER


def test_sheets_minutes_and_monthly_report_in_vietnamese_order(store: Store) -> None:
    sheet = store.reports.payout_sheet(POINT, DAY, PERIOD)
    assert order_in(render_payout_sheet(sheet, signed=False)) == IN_ORDER
    session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=0,
                                         staff="giaodich")
    minutes = store.reports.minutes(session.session_id)
    assert [item.full_name for item in minutes.unpaid] == IN_ORDER  # nobody came yet
    assert order_in(render_minutes(minutes)) == IN_ORDER
    assert order_in(render_payout_sheet(store.reports.payout_sheet(POINT, DAY, PERIOD), signed=True)) == IN_ORDER
    monthly = store.reports.monthly_report(COMMUNE, PERIOD)
    assert [item.full_name for item in monthly.unpaid] == IN_ORDER
    assert order_in(render_monthly_report(monthly)) == IN_ORDER
