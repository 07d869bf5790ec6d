"""Writing lists in the import format, and reading them back to the same lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from app.domain.model import BeneficiaryStatus, Gender, PaymentMethod, Representative, line_key
from app.domain.policy import PolicyReference
from app.lists import read_list, write_list_csv, write_list_xlsx
from app.lists.columns import HEADERS, match_header, normalise_header
from app.lists.writer import DEMO_BANNER

ROWS: list[dict[str, object]] = [
    {
        "record_code": "QNH/LS-00001-TCM", "full_name": "Nguyễn Văn An", "birth_year": 1950, "gender": "Nam",
        "id_number": "001089012345", "village": "Thôn 1", "commune": "Hạ Long", "category": "LS",
        "regime": "Trợ cấp hằng tháng", "period": "2026-12", "amount": 2789000, "method": "Tiền mặt",
        "point": "Nhà văn hóa thôn 1", "payout_date": dt.date(2026, 12, 5), "payout_hours": "07:30-11:00",
    },
    {
        "record_code": "QNH/LS-00001-TCM", "full_name": "Nguyễn Văn An", "commune": "Hạ Long", "category": "LS",
        "regime": "monthly", "period": "2026-11", "amount": 2789000, "note": "Tháng 11 chưa nhận",
    },
    {
        "record_code": "QNH/LS-00004-TCM", "full_name": "Trần Văn Dũng", "commune": "Hạ Long", "category": "LS",
        "regime": "Mai táng phí", "amount": 18000000, "status": BeneficiaryStatus.DECEASED,
        "death_date": dt.date(2026, 11, 10), "representative": "Trần Thị Hoa", "representative_id": "001190012345",
    },
    {
        "record_code": "QNH/BB-00005-TCM", "full_name": "Hoàng Văn Em", "commune": "Hạ Long", "category": "BB",
        "regime": "Trợ cấp hằng tháng", "amount": 2911000, "method": PaymentMethod.ACCOUNT, "gender": Gender.MALE,
        "proxy_name": "Hoàng Thị Gấm", "proxy_id": "022190012345", "authorisation_number": "UQ-15/2026",
        "authorisation_until": dt.date(2027, 2, 28),
    },
]


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "out.xlsx"
    assert write_list_xlsx(path, ROWS, payout_period="2026-12", subtitle="Xã Hạ Long", demo=True) == len(ROWS)
    return path


def test_layout_of_the_written_sheet(written: Path) -> None:
    sheet = load_workbook(written).active
    assert sheet is not None
    assert sheet["A1"].value == DEMO_BANNER
    assert sheet["A2"].value == "DANH SÁCH CHI TRẢ TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG"
    assert sheet["A2"].font.bold and sheet["A2"].alignment.horizontal == "center"
    assert sheet["A3"].value == "Xã Hạ Long"
    assert sheet["A4"].value == "Tháng 12/2026"
    assert all(sheet.cell(row=5, column=column).value is None for column in range(1, 10))
    header = [cell.value for cell in sheet[6]]
    used = {key for row in ROWS for key in row}
    assert header == [text for column, text in HEADERS.items() if column == "stt" or column in used]
    last_cell = sheet.cell(row=6, column=len(header))
    assert isinstance(last_cell, Cell)
    last = last_cell.column_letter
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {f"A1:{last}1", f"A2:{last}2", f"A3:{last}3", f"A4:{last}4"} <= merged
    column = {text: number for number, text in enumerate(header, start=1)}
    assert [sheet.cell(row=row, column=1).value for row in range(7, 11)] == [1, 2, 3, 4]
    id_cell = sheet.cell(row=7, column=column["Số CCCD"])
    assert (id_cell.value, id_cell.data_type) == ("001089012345", "s")
    amount_cell = sheet.cell(row=7, column=column["Số tiền (đồng)"])
    assert (amount_cell.value, amount_cell.number_format) == (2789000, "#,##0")
    date_cell = sheet.cell(row=7, column=column["Ngày chi trả"])
    assert date_cell.value == dt.datetime(2026, 12, 5) and date_cell.number_format == "dd/mm/yyyy"
    assert sheet.cell(row=8, column=column["Kỳ"]).value == "11/2026"
    assert sheet.cell(row=9, column=column["Trạng thái"]).value == "Đã mất"
    assert sheet.cell(row=10, column=column["Hình thức"]).value == "Tài khoản"
    assert sheet.cell(row=11, column=1).value == "Tổng cộng"
    assert sheet.cell(row=11, column=column["Số tiền (đồng)"]).value == 2789000 * 2 + 18000000 + 2911000
    signatures = [cell.value for cell in sheet[13] if cell.value]
    assert signatures == ["Người lập biểu", "Kế toán", "Thủ trưởng đơn vị"]


def test_round_trip_xlsx(written: Path, policy: PolicyReference) -> None:
    parsed = read_list(written, policy=policy)
    assert parsed.payout_period == "2026-12"
    assert [(item.key, item.period, item.amount, item.method) for item in parsed.lines] == [
        ("QNH/LS-00001-TCM|2026-12|uu_dai|monthly", "2026-12", 2789000, PaymentMethod.CASH),
        ("QNH/LS-00001-TCM|2026-11|uu_dai|monthly", "2026-11", 2789000, PaymentMethod.CASH),
        ("QNH/LS-00004-TCM|2026-12|uu_dai|funeral", "2026-12", 18000000, PaymentMethod.CASH),
        ("QNH/BB-00005-TCM|2026-12|uu_dai|monthly", "2026-12", 2911000, PaymentMethod.ACCOUNT),
    ]
    an, dung, em = parsed.beneficiaries
    assert (an.id_number, an.birth_year, an.gender, an.village) == ("001089012345", 1950, Gender.MALE, "Thôn 1")
    assert dung.status is BeneficiaryStatus.DECEASED and dung.date_of_death == dt.date(2026, 11, 10)
    assert dung.representative == Representative("Trần Thị Hoa", "001190012345")
    assert em.gender is Gender.MALE
    assert parsed.authorisations[0].proxy_id_number == "022190012345"
    assert parsed.authorisations[0].valid_until == dt.date(2027, 2, 28)
    assert [(slot.day, slot.start, slot.end) for slot in parsed.schedule] == [
        (dt.date(2026, 12, 5), dt.time(7, 30), dt.time(11, 0))
    ]


def test_round_trip_csv(tmp_path: Path, policy: PolicyReference) -> None:
    path = tmp_path / "out.csv"
    assert write_list_csv(path, ROWS, payout_period="2026-12") == len(ROWS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfSTT,")
    assert "001089012345" in raw.decode("utf-8-sig")
    parsed = read_list(path, policy=policy)
    xlsx_rows = write_list_xlsx(tmp_path / "same.xlsx", ROWS, payout_period="2026-12")
    assert xlsx_rows == len(ROWS)
    assert parsed.lines == read_list(tmp_path / "same.xlsx", policy=policy).lines


def test_only_used_columns_and_formula_like_text_stays_text(tmp_path: Path, policy: PolicyReference) -> None:
    rows = [{"record_code": "QNH/LS-1", "full_name": "=HYPERLINK(1)", "commune": "X", "category": "LS",
             "regime": "monthly", "amount": 1000, "note": None}]
    write_list_xlsx(tmp_path / "a.xlsx", rows, payout_period="12/2026")
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert sheet is not None
    assert [cell.value for cell in sheet[4]] == ["STT", "Mã hồ sơ", "Họ và tên", "Xã/Phường", "Loại đối tượng",
                                                 "Chế độ", "Số tiền (đồng)"]
    assert read_list(tmp_path / "a.xlsx", policy=policy).beneficiaries[0].full_name == "=HYPERLINK(1)"


# --- property: whatever we write reads back to the same lines ---------------------------------------------------------

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
_word = st.text(alphabet=_LETTERS, min_size=1, max_size=7).map(str.capitalize)
_name = st.lists(_word, min_size=2, max_size=4).map(" ".join)
_regimes = st.sampled_from(["Trợ cấp hằng tháng", "Phụ cấp hằng tháng", "Truy lĩnh", "Quà Tết", "Lương hưu"])
_periods = st.sampled_from(["2026-10", "2026-11", "2026-12", None])
_person = st.fixed_dictionaries(
    {
        "full_name": _name,
        "id_number": st.one_of(st.none(), st.integers(1_000_000_000, 96_999_999_999).map(lambda n: f"{n:012d}")),
        "commune": st.sampled_from(["Hạ Long", "Bãi Cháy", "Cẩm Phả"]),
        "category": st.sampled_from(["LS", "AQ", "BB", "TT"]),
        "birth_year": st.one_of(st.none(), st.integers(1900, 2000)),
    }
)


@st.composite
def _lists(draw: st.DrawFn) -> list[dict[str, object]]:
    people = draw(st.lists(_person, min_size=1, max_size=5))
    rows: list[dict[str, object]] = []
    for number, person in enumerate(people):
        for regime, period in draw(st.lists(st.tuples(_regimes, _periods), min_size=1, max_size=3,
                                            unique_by=lambda pair: (pair[0], pair[1] or "2026-12"))):
            rows.append({"record_code": f"QNH/LS-{number:05d}", **person, "regime": regime, "period": period,
                         "amount": draw(st.integers(0, 1_000_000_000)),
                         "method": draw(st.sampled_from(["Tiền mặt", "Tài khoản", None]))})
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_lists())
def test_property_round_trip(tmp_path: Path, policy: PolicyReference, rows: list[dict[str, object]]) -> None:
    write_list_xlsx(tmp_path / "p.xlsx", rows, payout_period="2026-12")
    write_list_csv(tmp_path / "p.csv", rows, payout_period="2026-12")
    for path in (tmp_path / "p.xlsx", tmp_path / "p.csv"):
        parsed = read_list(path, policy=policy)
        assert len(parsed.lines) == len(rows)
        for row, item in zip(rows, parsed.lines):
            regime = policy.match_regime(str(row["regime"]))
            assert regime is not None
            period = str(row["period"] or "2026-12")
            assert item.key == line_key(None, str(row["record_code"]), period, regime.programme, regime.code)
            assert item.amount == row["amount"]
            assert item.method is (PaymentMethod.ACCOUNT if row["method"] == "Tài khoản" else PaymentMethod.CASH)
        for person in parsed.beneficiaries:
            source = next(row for row in rows if row["record_code"] == person.record_code)
            assert (person.full_name, person.id_number, person.birth_year) == (
                source["full_name"], source["id_number"], source["birth_year"],
            )


# --- headers ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("HỌ TÊN", "full_name"), ("Họ và tên:", "full_name"), ("Số tiền (VNĐ)", "amount"),
        ("Số tiền\n(đồng)", "amount"),
        ("Mã đối tượng", "record_code"), ("Thôn / Tổ", "village"), ("Số CMND/CCCD", "id_number"), ("STT (1)", "stt"),
        ("Xã/Phường/Thị trấn", "commune"), ("Kỳ chi trả", "period"), ("Ngày sinh", "birth_year"),
        ("CCCD người được ủy quyền", "proxy_id"), ("Ủy quyền đến ngày", "authorisation_until"),
        ("Tình trạng", "status"),
        ("(1)", None), ("Tháng 12/2026", None), (12, None), (None, None), ("", None),
    ],
)
def test_match_header(text: object, column: str | None) -> None:
    assert match_header(text) == column


def test_every_written_header_matches_its_column() -> None:
    for column, header in HEADERS.items():
        assert match_header(header) == column
        assert normalise_header(normalise_header(header)) == normalise_header(header)
