"""Reading payout lists shaped like real province files, and reporting every bad row at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain.errors import BadInputError, ListImportError, RowError
from app.domain.model import (
    Authorisation,
    Beneficiary,
    BeneficiaryStatus,
    Commune,
    EntitlementLine,
    Gender,
    LineKind,
    PaymentMethod,
    Representative,
    ScheduleSlot,
    Village,
)
from app.domain.policy import PolicyReference
from app.lists import ParsedList, read_list

MakeFile = Callable[..., Path]

IDS = [
    "stt", "record_code", "full_name", "birth_year", "gender", "id_number", "village", "commune", "category",
    "regime", "period", "amount", "method", "point", "payout_date", "payout_hours", "status", "death_date",
    "representative", "representative_id", "proxy_name", "proxy_id", "authorisation_number", "authorisation_until",
    "note",
]
HEADER = [
    "STT", "Mã đối tượng", "HỌ TÊN", "Ngày sinh", "Giới tính", "Số CCCD", "Thôn/Tổ", "Xã/Phường", "Loại đối tượng",
    "Chế độ", "Kỳ", "Số tiền (VNĐ)", "Hình thức", "Điểm chi trả", "Ngày chi trả", "Giờ chi trả", "Trạng thái",
    "Ngày mất", "Người đại diện", "CCCD người đại diện", "Người được ủy quyền", "CCCD người được ủy quyền",
    "Số giấy ủy quyền", "Ủy quyền đến ngày", "Ghi chú",
]
COLUMN_OF = dict(zip(IDS, HEADER))


def data(**values: object) -> list[object]:
    """A sheet row with the given column ids filled."""
    unknown = set(values) - set(IDS)
    assert not unknown, unknown
    return [values.get(column) for column in IDS]


def person_a(**values: object) -> list[object]:
    base: dict[str, object] = {
        "record_code": "QNH/LS-00001-TCM", "full_name": "Nguyễn Văn An", "commune": "Hạ Long", "category": "LS",
        "regime": "Trợ cấp hằng tháng", "amount": 2789000,
    }
    base.update(values)
    return data(**base)


TITLE_BLOCK: list[list[object]] = [
    ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"],
    ["DANH SÁCH CHI TRẢ TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG"],
    ["Tháng 12/2026"],
    ["Xã Hạ Long, tỉnh Quảng Ninh"],
    [],
]
TITLE_MERGES = ["A1:Y1", "A2:Y2", "A3:Y3", "A4:Y4"]
FOOTER: list[list[object]] = [
    [],
    [None, "Người lập biểu", None, None, None, None, None, "Kế toán", None, None, None, None, "Thủ trưởng đơn vị"],
    [None, "(Ký, ghi rõ họ tên)"],
    [],
    [None, "Nguyễn Thị Xuân", None, None, None, None, None, "Lê Văn Kế"],
]


def realistic_rows() -> list[list[object]]:
    """The list used by most tests; data starts at row 8 (title block, header on 6, numbering row on 7)."""
    return [
        *TITLE_BLOCK,
        [*HEADER],
        [f"({number})" for number in range(1, len(HEADER) + 1)],
        data(  # 8
            stt=1, record_code="qnh/ls-00001-tcm ", full_name="Nguyễn  Văn An", birth_year=dt.datetime(1950, 3, 2),
            gender="Nam", id_number=1089012345, village="Thôn 1", commune="Hạ Long", category="LS",
            regime="Trợ cấp hằng tháng", period="12/2026", amount=2789000, method="Tiền mặt",
            point="Nhà văn hóa thôn 1", payout_date=dt.datetime(2026, 12, 5), payout_hours="7h30 - 11h",
        ),
        person_a(stt=2, period="11/2026", note="Tháng 11 chưa nhận"),  # 9: carried over from November
        person_a(stt=3, regime="Lương hưu", amount="5.120.000", period="12/2026"),  # 10: another programme
        data(  # 11
            stt=4, record_code="QNH/BM-00002-TCM", full_name="Phạm Thị Bình", birth_year=1930, gender="Nữ",
            id_number="001030012345", village="Thôn 2", commune="Hạ Long", category="BM",
            regime="Trợ cấp hằng tháng", amount="8.367.000", method="TM", payout_date="05/12/2026",
            payout_hours="7:30\u201311:00",
        ),
        data(  # 12
            stt=5, record_code="QNH/BM-00002-TCM", full_name="Phạm Thị Bình", commune="Hạ Long", category="BM",
            regime="Phụ cấp hằng tháng", period="12/2026", amount="2.337.000 đ",
        ),
        [None, None, "Cộng thôn 2", *([None] * 8), 10704000],  # 13: a subtotal, skipped
        data(  # 14
            stt=6, record_code="QNH/AQ-00003-TCM", full_name="Lê Văn Cường", commune="Hạ Long", category="AQ",
            regime="Trợ cấp hằng tháng", amount=1878000, status="Tạm dừng", note="Chấp hành án phạt tù",
        ),
        data(  # 15
            stt=7, record_code="QNH/LS-00004-TCM", full_name="Trần Văn Dũng", commune="Hạ Long", category="LS",
            regime="Mai táng phí", amount=18000000, status="Đã mất", death_date="10/11/2026",
            representative="Trần Thị Hoa", representative_id="001190012345",
        ),
        data(  # 16
            stt=8, record_code="QNH/LS-00004-TCM", full_name="Trần Văn Dũng", commune="Hạ Long", category="LS",
            regime="Trợ cấp một lần khi từ trần", amount=8367000,
        ),
        data(  # 17
            stt=9, record_code="QNH/BB-00005-TCM", full_name="Hoàng Văn Em", commune="Hạ Long", category="BB",
            regime="Trợ cấp hằng tháng", amount=2911000.0, method="Chuyển khoản", proxy_name="Hoàng Thị Gấm",
            proxy_id=22190012345, authorisation_number="UQ-15/2026", authorisation_until=dt.datetime(2027, 2, 28),
        ),
        [],  # 18
        [None, "Tổng cộng", *([None] * 9), 52558000],  # 19
        *FOOTER,
    ]


@pytest.fixture
def realistic(make_xlsx: MakeFile) -> Path:
    return make_xlsx(realistic_rows(), merges=[*TITLE_MERGES, "B19:K19"])


@pytest.fixture
def parsed(realistic: Path, policy: PolicyReference) -> ParsedList:
    return read_list(realistic, policy=policy)


def codes(error: ListImportError) -> set[tuple[int, str, str]]:
    return {(row_error.row, row_error.column, row_error.code) for row_error in error.errors}


def line(parsed: ParsedList, key: str) -> EntitlementLine:
    return next(item for item in parsed.lines if item.key == key)


def person(parsed: ParsedList, record_code: str) -> Beneficiary:
    return next(item for item in parsed.beneficiaries if item.record_code == record_code)


# --- a realistic list --------------------------------------------------------------------------------------------


def test_file_identity_and_period(parsed: ParsedList, realistic: Path) -> None:
    assert parsed.source == "list.xlsx"
    assert parsed.sha256 == hashlib.sha256(realistic.read_bytes()).hexdigest()
    assert parsed.payout_period == "2026-12"
    assert parsed.province.code == "QNH"
    assert parsed.communes == (Commune("QNH-ha-long", "Hạ Long", "QNH", None),)
    assert set(parsed.villages) == {Village("QNH-ha-long", "Thôn 1"), Village("QNH-ha-long", "Thôn 2")}


def test_every_line_is_read_with_its_key_and_row(parsed: ParsedList) -> None:
    assert len(parsed.lines) == 9
    assert parsed.row_of_line == {item.key: row for item, row in zip(parsed.lines, [8, 9, 10, 11, 12, 14, 15, 16, 17])}
    assert all(item.list_period == "2026-12" for item in parsed.lines)
    assert sum(item.amount for item in parsed.lines) == 52558000


def test_person_with_several_programmes_and_a_carried_over_month(parsed: ParsedList) -> None:
    december = line(parsed, "QNH/LS-00001-TCM|2026-12|uu_dai|monthly")
    november = line(parsed, "QNH/LS-00001-TCM|2026-11|uu_dai|monthly")
    pension = line(parsed, "QNH/LS-00001-TCM|2026-12|luong_huu|pension")
    assert (december.period, december.kind, december.amount, december.method) == (
        "2026-12", LineKind.RECURRING, 2789000, PaymentMethod.CASH,
    )
    assert (november.period, november.list_period, november.note) == ("2026-11", "2026-12", "Tháng 11 chưa nhận")
    assert (pension.programme, pension.regime, pension.amount) == ("luong_huu", "pension", 5120000)


def test_beneficiary_fields_and_restored_id_zeros(parsed: ParsedList) -> None:
    an = person(parsed, "QNH/LS-00001-TCM")
    assert an.full_name == "Nguyễn Văn An"
    assert an.birth_year == 1950
    assert an.gender is Gender.MALE
    assert an.id_number == "001089012345"  # the cell held the number 1089012345
    assert an.village == "Thôn 1"
    assert an.commune_code == "QNH-ha-long"
    assert an.point_id == "QNH-ha-long/nha-van-hoa-thon-1"
    assert an.status is BeneficiaryStatus.ACTIVE
    binh = person(parsed, "QNH/BM-00002-TCM")
    assert (binh.gender, binh.id_number, binh.birth_year) == (Gender.FEMALE, "001030012345", 1930)


def test_text_amounts_and_blank_period(parsed: ParsedList) -> None:
    monthly = line(parsed, "QNH/BM-00002-TCM|2026-12|uu_dai|monthly")  # Kỳ left blank: the list's period
    supplement = line(parsed, "QNH/BM-00002-TCM|2026-12|uu_dai|supplement")
    assert (monthly.amount, supplement.amount) == (8367000, 2337000)


def test_points_and_schedule(parsed: ParsedList) -> None:
    names = {point.point_id: point.name for point in parsed.points}
    assert names == {
        "QNH-ha-long/nha-van-hoa-thon-1": "Nhà văn hóa thôn 1",
        "QNH-ha-long/diem-chi-tra-ha-long": "Điểm chi trả Hạ Long",
    }
    assert set(parsed.schedule) == {
        ScheduleSlot("QNH-ha-long/nha-van-hoa-thon-1", dt.date(2026, 12, 5), dt.time(7, 30), dt.time(11, 0)),
        ScheduleSlot("QNH-ha-long/diem-chi-tra-ha-long", dt.date(2026, 12, 5), dt.time(7, 30), dt.time(11, 0)),
    }


def test_suspended_person_keeps_the_reason(parsed: ParsedList) -> None:
    cuong = person(parsed, "QNH/AQ-00003-TCM")
    assert cuong.status is BeneficiaryStatus.SUSPENDED
    assert cuong.status_reason == "Chấp hành án phạt tù"


def test_deceased_person_with_representative(parsed: ParsedList) -> None:
    dung = person(parsed, "QNH/LS-00004-TCM")
    assert dung.status is BeneficiaryStatus.DECEASED
    assert dung.date_of_death == dt.date(2026, 11, 10)
    assert dung.representative == Representative("Trần Thị Hoa", "001190012345")
    kinds = {item.regime: item.kind for item in parsed.lines if item.record_code == "QNH/LS-00004-TCM"}
    assert kinds == {"funeral": LineKind.DEATH_RELATED, "death_allowance": LineKind.DEATH_RELATED}


def test_proxy_authorisation_and_account_method(parsed: ParsedList) -> None:
    assert parsed.authorisations == (
        Authorisation("QNH/BB-00005-TCM", "Hoàng Thị Gấm", "022190012345", "UQ-15/2026", dt.date(2027, 2, 28)),
    )
    assert line(parsed, "QNH/BB-00005-TCM|2026-12|uu_dai|monthly").method is PaymentMethod.ACCOUNT
    assert line(parsed, "QNH/BB-00005-TCM|2026-12|uu_dai|monthly").amount == 2911000


def test_suspension_without_note_gets_the_default_reason(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    path = make_xlsx([*TITLE_BLOCK, HEADER, person_a(status="tạm đình chỉ")])
    parsed = read_list(path, policy=policy)
    assert parsed.beneficiaries[0].status_reason == "Tạm dừng chi trả"


def test_default_hours_when_only_a_date_is_given(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    path = make_xlsx([*TITLE_BLOCK, HEADER, person_a(payout_date="3/12/2026"),
                      person_a(regime="Phụ cấp", payout_date="3-12-2026")])
    parsed = read_list(path, policy=policy)
    assert parsed.schedule == (
        ScheduleSlot("QNH-ha-long/diem-chi-tra-ha-long", dt.date(2026, 12, 3), dt.time(7, 30), dt.time(11, 30)),
    )


def test_line_id_column_gives_the_key(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    header = ["Mã dòng", "Mã hồ sơ", "Họ và tên", "Xã", "Loại", "Chế độ", "Số tiền"]
    rows = [header, ["L-1", "QNH/LS-1", "A", "Hạ Long", "LS", "hang thang", 100000],
            [2, "QNH/LS-2", "B", "Hạ Long", "LS", "tctx", 200]]
    parsed = read_list(make_xlsx(rows), policy=policy, payout_period="12/2026")
    assert [item.key for item in parsed.lines] == ["id:L-1", "id:2"]
    assert [item.line_id for item in parsed.lines] == ["L-1", "2"]


def test_programme_column_and_province_fallbacks(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    header = ["Mã hồ sơ", "Họ và tên", "Xã", "Mã xã", "Tỉnh/Thành phố", "Loại", "Chương trình", "Chế độ", "Số tiền"]
    rows = [header, ["LS-1", "A", "Hạ Long", "22012", "Quảng Ninh", "LS", "BHXH", "Trợ cấp BHXH", 100000]]
    parsed = read_list(make_xlsx(rows), policy=policy, payout_period="2026-12", default_province_code="qnh")
    assert parsed.province.code == "QNH" and parsed.province.name == "Quảng Ninh"
    assert parsed.communes[0].code == "22012"
    assert parsed.lines[0].programme == "luong_huu"
    parsed = read_list(make_xlsx(rows, name="b.xlsx"), policy=policy, payout_period="2026-12")
    assert parsed.province.code == "XX"


def test_period_from_the_title_ignores_the_signing_date(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [
        ["Quảng Ninh, ngày 20 tháng 11 năm 2026"],
        ["DANH SÁCH CHI TRẢ", None, "Kỳ chi trả: tháng 12 năm 2026"],
        HEADER,
        person_a(),
    ]
    assert read_list(make_xlsx(rows), policy=policy).payout_period == "2026-12"


def test_period_argument_overrides_the_title(realistic: Path, policy: PolicyReference) -> None:
    parsed = read_list(realistic, policy=policy, payout_period="2027-01")
    assert parsed.payout_period == "2027-01"
    assert line(parsed, "QNH/LS-00001-TCM|2026-12|uu_dai|monthly").list_period == "2027-01"
    with pytest.raises(BadInputError) as caught:
        read_list(realistic, policy=policy, payout_period="13/2026")
    assert caught.value.code == "bad_period"


def test_period_falls_back_to_the_latest_row(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [HEADER, person_a(period="11/2026"), person_a(period=dt.datetime(2026, 12, 1))]
    parsed = read_list(make_xlsx(rows), policy=policy)
    assert parsed.payout_period == "2026-12"
    assert {item.period for item in parsed.lines} == {"2026-11", "2026-12"}


def test_no_period_anywhere_is_an_error_on_the_header_row(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx([["DANH SÁCH"], HEADER, person_a()]), policy=policy)
    assert codes(caught.value) == {(2, "Kỳ", "bad_period")}


def test_header_variants_and_plain_numbering_row(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    header = ["TT", "Mã HS", "Họ tên đối tượng", "Năm sinh", "Thôn", "Xã, phường", "Đối tượng", "Nội dung",
              "Thành tiền (đồng)", "Ghi chú:"]
    rows = [["Tháng 12/2026"], header, list(range(1, 11)),
            [1, "QNH/LS-1", "A", 1945, "Đông", "Hạ Long", "ls", "Tuất", 2789000]]
    parsed = read_list(make_xlsx(rows), policy=policy)
    assert parsed.lines[0].regime == "survivor"
    assert parsed.beneficiaries[0].category == "LS"


def test_group_headings_and_footer_without_total(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [
        *TITLE_BLOCK,
        HEADER,
        ["I", None, "THÔN ĐÔNG"],
        person_a(stt=1),
        ["II. THÔN TÂY"],
        person_a(stt=2, record_code="QNH/LS-2", full_name="Bé"),
        [],
        [None, "Hạ Long, ngày 20 tháng 11 năm 2026"],
        [None, "Người lập biểu"],
        [None, "Nguyễn Thị Xuân"],
    ]
    parsed = read_list(make_xlsx(rows), policy=policy)
    assert len(parsed.lines) == 2


def test_list_on_a_later_sheet(tmp_path: Path, policy: PolicyReference) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover["A1"] = "Bìa"
    sheet = workbook.create_sheet("DS")
    for row in (["Tháng 12/2026"], HEADER, person_a()):
        sheet.append(row)
    workbook.save(tmp_path / "two.xlsx")
    assert len(read_list(tmp_path / "two.xlsx", policy=policy).lines) == 1


# --- CSV -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_with_any_delimiter(make_csv: MakeFile, policy: PolicyReference, delimiter: str) -> None:
    rows = [
        ["DANH SÁCH CHI TRẢ THÁNG 12/2026"],
        ["Mã hồ sơ", "Họ và tên", "CCCD", "Xã/Phường", "Loại đối tượng", "Chế độ", "Số tiền (đồng)"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["QNH/LS-1", "Nguyễn Văn An", "1089012345", "Hạ Long", "LS", "Trợ cấp hằng tháng", "2.789.000"],
        ["QNH/LS-2", "Lê Thị Bé", "", "Hạ Long", "LS", "Trợ cấp hằng tháng", "2,789,000"],
        ["Tổng cộng", "", "", "", "", "", "5.578.000"],
    ]
    parsed = read_list(make_csv(rows, delimiter=delimiter), policy=policy)
    assert parsed.payout_period == "2026-12"
    assert [item.amount for item in parsed.lines] == [2789000, 2789000]
    assert parsed.beneficiaries[0].id_number == "001089012345"  # Excel's CSV export dropped the zeros


def test_non_utf8_csv_is_refused(make_csv: MakeFile, policy: PolicyReference) -> None:
    path = make_csv([["Mã", "Tên", "Xã"], ["QNH/LS-1", "Hà", "Bà"]], encoding="cp1252")
    with pytest.raises(BadInputError) as caught:
        read_list(path, policy=policy)
    assert caught.value.code == "list_unreadable"
    assert "UTF-8" in caught.value.message("vi") and "UTF-8" in caught.value.message("en")


# --- errors ----------------------------------------------------------------------------------------------------------


BAD_CELLS: list[tuple[dict[str, object], str, str]] = [
    ({"record_code": "QNH/LS 0001"}, "record_code", "bad_record_code"),
    ({"record_code": "X" * 65}, "record_code", "bad_record_code"),
    ({"record_code": None}, "record_code", "required"),
    ({"full_name": "   "}, "full_name", "required"),
    ({"birth_year": 1700}, "birth_year", "bad_year"),
    ({"birth_year": "khoảng 1950"}, "birth_year", "bad_year"),
    ({"gender": "X"}, "gender", "bad_gender"),
    ({"id_number": 12345}, "id_number", "bad_id_number"),
    ({"id_number": "0010890123"}, "id_number", "bad_id_number"),
    ({"commune": None}, "commune", "required"),
    ({"category": "ZZ"}, "category", "unknown_category"),
    ({"regime": "Lương tháng 13"}, "regime", "unknown_regime"),
    ({"regime": None}, "regime", "required"),
    ({"period": "13/2026"}, "period", "bad_period"),
    ({"amount": "2,5"}, "amount", "bad_amount"),
    ({"amount": 2789000.5}, "amount", "bad_amount"),
    ({"amount": -5}, "amount", "negative_amount"),
    ({"amount": 10**20}, "amount", "amount_above_ceiling"),
    ({"amount": "100000000000000000000"}, "amount", "amount_above_ceiling"),
    ({"amount": 1_000_000_001}, "amount", "amount_above_ceiling"),
    ({"amount": None}, "amount", "required"),
    ({"method": "séc"}, "method", "bad_method"),
    ({"payout_date": "31/02/2026"}, "payout_date", "bad_date"),
    ({"payout_date": "12/25/2026"}, "payout_date", "bad_date"),
    ({"payout_date": "5/12/2026", "payout_hours": "sáng"}, "payout_hours", "bad_time"),
    ({"payout_hours": "11:00-07:30"}, "payout_hours", "bad_time"),
    ({"status": "không rõ"}, "status", "bad_status"),
    ({"status": "Đã mất"}, "death_date", "death_date_needed"),
    ({"death_date": "hôm qua"}, "death_date", "bad_date"),
    ({"representative_id": "001190012345"}, "representative", "required"),
    ({"representative": "Hoa", "representative_id": "12"}, "representative_id", "bad_id_number"),
    ({"proxy_name": "Hoàng Thị Gấm"}, "proxy_id", "authorisation_incomplete"),
    (
        {"proxy_name": "G", "proxy_id": "0012", "authorisation_number": "1", "authorisation_until": "1/1/2027"},
        "proxy_id",
        "bad_id_number",
    ),
    (
        {"proxy_name": "G", "proxy_id": "001190012345", "authorisation_number": "1", "authorisation_until": "x"},
        "authorisation_until",
        "bad_date",
    ),
]


@pytest.mark.parametrize(("overrides", "column", "code"), BAD_CELLS,
                         ids=[case[2] + "-" + case[1] for case in BAD_CELLS])
def test_each_bad_cell(make_xlsx: MakeFile, policy: PolicyReference, overrides: dict[str, object], column: str,
                       code: str) -> None:
    rows = [*TITLE_BLOCK, HEADER, person_a(stt=1, regime="Phụ cấp"), person_a(stt=2, **overrides)]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy)
    assert (8, COLUMN_OF[column], code) in codes(caught.value)
    assert all(error.row == 8 for error in caught.value.errors)


def test_every_bad_row_is_reported_at_once(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows: list[list[object]] = [*TITLE_BLOCK, [*HEADER]]
    for number, (overrides, _column, _code) in enumerate(BAD_CELLS):
        rows.append(person_a(**{"record_code": f"QNH/LS-{number}", **overrides}))
    rows.append(person_a(record_code="QNH/LS-OK"))
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy)
    found = codes(caught.value)
    for number, (_overrides, column, code) in enumerate(BAD_CELLS):
        assert (7 + number, COLUMN_OF[column], code) in found
    assert {error.row for error in caught.value.errors} == set(range(7, 7 + len(BAD_CELLS)))
    assert [error.row for error in caught.value.errors] == sorted(error.row for error in caught.value.errors)


def test_one_row_with_several_bad_cells(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [*TITLE_BLOCK, HEADER, person_a(gender="?", amount="abc", category="ZZ")]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy)
    assert codes(caught.value) == {
        (7, "Giới tính", "bad_gender"), (7, "Số tiền (VNĐ)", "bad_amount"), (7, "Loại đối tượng", "unknown_category"),
    }


def test_unknown_programme(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [["Mã hồ sơ", "Họ và tên", "Xã", "Loại", "Chương trình", "Chế độ", "Số tiền"],
            ["QNH/LS-1", "A", "Hạ Long", "LS", "Quỹ khác", "tctx", 1000]]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy, payout_period="2026-12")
    assert codes(caught.value) == {(2, "Chương trình", "unknown_programme")}


def test_duplicate_line(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [*TITLE_BLOCK, HEADER, person_a(), person_a(regime="Phụ cấp"), person_a(period="12/2026", regime="TCTX")]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy)
    assert codes(caught.value) == {(9, "Chế độ", "duplicate_line")}
    assert caught.value.errors[0].params == {"other": 7}


def test_duplicate_line_id(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [["Mã dòng", "Mã hồ sơ", "Họ và tên", "Xã", "Loại", "Chế độ", "Số tiền"],
            ["L1", "QNH/LS-1", "A", "X", "LS", "tctx", 1], ["L1", "QNH/LS-2", "B", "X", "LS", "tctx", 1]]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy, payout_period="2026-12")
    assert codes(caught.value) == {(3, "Mã dòng", "duplicate_line")}


def test_inconsistent_person(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [
        *TITLE_BLOCK,
        HEADER,
        person_a(birth_year=1950, id_number="001089012345"),
        person_a(regime="Phụ cấp", full_name="NGUYỄN VĂN AN"),  # case only: the same name; blanks agree
        person_a(regime="Truy lĩnh", birth_year=1951, full_name="Nguyễn Văn Ân", commune="Bãi Cháy"),
    ]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy)
    assert codes(caught.value) == {
        (9, "HỌ TÊN", "inconsistent_person"), (9, "Ngày sinh", "inconsistent_person"),
        (9, "Xã/Phường", "inconsistent_person"),
    }
    assert {error.params["other"] for error in caught.value.errors} == {7}
    assert {error.params["field"] for error in caught.value.errors} == {"HỌ TÊN", "Ngày sinh", "Xã/Phường"}


def test_death_date_with_active_status_is_refused(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [*TITLE_BLOCK, HEADER, person_a(status="Đang hưởng"), person_a(regime="Phụ cấp", death_date="1/11/2026")]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy)
    assert codes(caught.value) == {(8, "Trạng thái", "bad_status")}


def test_death_date_alone_marks_the_person_deceased(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [*TITLE_BLOCK, HEADER, person_a(regime="Mai táng phí", death_date="1/11/2026", representative="Hoa")]
    parsed = read_list(make_xlsx(rows), policy=policy)
    assert parsed.beneficiaries[0].status is BeneficiaryStatus.DECEASED


def test_data_below_the_total_row_is_an_error(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    rows = [*TITLE_BLOCK, HEADER, person_a(), ["Tổng cộng"], person_a(record_code="QNH/LS-9")]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy)
    assert codes(caught.value) == {(9, "Mã đối tượng", "row_after_total")}


def test_missing_required_column(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    header = [cell for cell in HEADER if cell != "Loại đối tượng"]
    with pytest.raises(BadInputError) as caught:
        read_list(make_xlsx([*TITLE_BLOCK, header, ["x"] * len(header)]), policy=policy)
    assert caught.value.code == "list_no_header"
    assert caught.value.params["columns"] == "Mã hồ sơ, Họ và tên, Xã/Phường, Loại đối tượng, Chế độ, Số tiền (đồng)"


def test_no_header(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    with pytest.raises(BadInputError) as caught:
        read_list(make_xlsx([["Báo cáo"], ["a", "b", "c"], [1, 2, 3]]), policy=policy)
    assert caught.value.code == "list_no_header"


def test_header_below_row_30_is_not_found(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    with pytest.raises(BadInputError) as caught:
        read_list(make_xlsx([*([["tiêu đề"]] * 30), HEADER, person_a()]), policy=policy)
    assert caught.value.code == "list_no_header"


def test_empty_list(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    with pytest.raises(BadInputError) as caught:
        read_list(make_xlsx([*TITLE_BLOCK, HEADER, ["(1)", "(2)", "(3)"], [], ["Tổng cộng", None, 0], *FOOTER]),
                  policy=policy)
    assert caught.value.code == "list_empty"


@pytest.mark.parametrize("name", ["list.xls", "list.ods", "list.txt", "list"])
def test_wrong_suffix(tmp_path: Path, policy: PolicyReference, name: str) -> None:
    (tmp_path / name).write_bytes(b"whatever")
    with pytest.raises(BadInputError) as caught:
        read_list(tmp_path / name, policy=policy)
    assert caught.value.code == "list_bad_format"


def test_missing_file(tmp_path: Path, policy: PolicyReference) -> None:
    with pytest.raises(BadInputError) as caught:
        read_list(tmp_path / "nope.xlsx", policy=policy)
    assert caught.value.code == "list_file_not_found"
    assert str(tmp_path / "nope.xlsx") in caught.value.message("en")


@pytest.mark.parametrize("kind", ["not_zip", "empty", "zip_without_workbook", "truncated"])
def test_corrupt_xlsx(tmp_path: Path, realistic: Path, policy: PolicyReference, kind: str) -> None:
    path = tmp_path / "bad.xlsx"
    if kind == "not_zip":
        path.write_text("<html>Danh sách</html>", encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "zip_without_workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        data = realistic.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInputError) as caught:
        read_list(path, policy=policy)
    assert caught.value.code == "list_unreadable"


def test_damaged_sheet_xml(tmp_path: Path, realistic: Path, policy: PolicyReference) -> None:
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(realistic) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) * 2 // 3]
            target.writestr(item, content)
    with pytest.raises(BadInputError) as caught:
        read_list(path, policy=policy)
    assert caught.value.code == "list_unreadable"


# --- messages --------------------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_row_error_messages_render_fully(make_xlsx: MakeFile, policy: PolicyReference, lang: str) -> None:
    rows: list[list[object]] = [*TITLE_BLOCK, [*HEADER]]
    for number, (overrides, _column, _code) in enumerate(BAD_CELLS):
        rows.append(person_a(**{"record_code": f"QNH/LS-{number}", **overrides}))
    rows += [person_a(record_code="QNH/LS-D"), person_a(record_code="QNH/LS-D"),
             person_a(record_code="QNH/LS-D", regime="Phụ cấp", full_name="Khác")]
    rows += [person_a(record_code="QNH/LS-P", regime="Phụ cấp"), ["Tổng cộng"], person_a(record_code="QNH/LS-Z")]
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(rows), policy=policy)
    text = caught.value.message(lang)
    assert not _PLACEHOLDER.search(text), text
    assert {"duplicate_line", "inconsistent_person", "row_after_total"} <= {e.code for e in caught.value.errors}
    for error in caught.value.errors:
        assert not _PLACEHOLDER.search(error.message(lang))


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(
    "error",
    [
        BadInputError("list_file_not_found", path="/x.xlsx"),
        BadInputError("list_unreadable", detail="x"),
        BadInputError("list_bad_format", suffix=".xls"),
        BadInputError("list_no_header", columns="Mã hồ sơ"),
        BadInputError("list_empty"),
        BadInputError("bad_period", value="13/2026"),
        BadInputError("unknown_programme", value="x"),
    ],
    ids=lambda error: error.code,
)
def test_file_error_messages_render_fully(error: BadInputError, lang: str) -> None:
    text = error.message(lang)
    assert text and not _PLACEHOLDER.search(text)
    assert text != error.code


def test_row_error_renders_row_and_column() -> None:
    error = RowError(12, "Số tiền (VNĐ)", "bad_amount", value="2,5")
    assert error.message("vi") == "Dòng 12, cột «Số tiền (VNĐ)»: Số tiền không hợp lệ: «2,5»"
    assert error.message("en") == "Row 12, column “Số tiền (VNĐ)”: Not a valid amount: “2,5”"


# --- the list's own total (issue 11, point 4) -------------------------------------------------------------------


def test_a_total_row_that_disagrees_with_the_lines_is_a_warning_not_an_error(make_xlsx: MakeFile,
                                                                             policy: PolicyReference) -> None:
    rows = realistic_rows()
    assert rows[18][-1] == 52558000
    rows[18] = [*rows[18][:-1], 52_000_000]
    parsed = read_list(make_xlsx(rows, merges=[*TITLE_MERGES, "B19:K19"]), policy=policy)
    assert parsed.stated_total == 52_000_000 and len(parsed.lines) == 9
    found = [w for w in parsed.warnings if w.code == "list_total_differs"]
    assert [w.row for w in found] == [19]
    assert found[0].message("vi").endswith(
        "dòng «Tổng cộng» của danh sách ghi 52.000.000 ₫, nhưng các khoản cộng lại là 52.558.000 ₫ (chênh 558.000 ₫)")
    assert "the list's “Total” row says 52.000.000 ₫" in found[0].message("en")


def test_a_total_row_that_agrees_says_nothing(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    parsed = read_list(make_xlsx(realistic_rows(), merges=[*TITLE_MERGES, "B19:K19"]), policy=policy)
    assert parsed.stated_total == 52558000
    assert not [w for w in parsed.warnings if w.code == "list_total_differs"]
