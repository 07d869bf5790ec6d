"""Lists from several agencies: BHXH's chi trả layout, detection and telling, each agency's catalogue, a row of
another agency's programme, and each agency's authorisation rule.

Why: the post office pays Sở Nội vụ's người có công allowances and BHXH's pensions at the same points. A BHXH list
used to be refused ("Không tìm thấy dòng tiêu đề") and its "Hưu trí" judged against the người có công regimes; these
tests read BHXH's list as it arrives and keep each agency's lines on its own list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain.errors import BadInputError, ListImportError
from app.domain.model import EntitlementLine, LineKind
from app.domain.policy import BHXH_LAYOUT, Deadline, PolicyReference
from app.lists import ParsedList, read_list
from app.lists.limits import ListLimits
from tests.builders.sheets import BHXH_HEADER, bhxh_person, bhxh_sheet

MakeFile = Callable[..., Path]

DUC = bhxh_person("Nguyễn Văn Đức", "2205200123", "022052000123", dt.datetime(1952, 3, 14),
                  "Khu 3, Phường Hồng Hải, Tỉnh Quảng Ninh", "Hưu trí", 4_865_300, arrears=1_200_000)
LAN = bhxh_person("Trần Thị Lan", "2205300456", 22153000456, "1953", "Tổ 2, Phường Hồng Hải", "Tuất hằng tháng",
                  2_340_000)
BINH = bhxh_person("Hoàng Văn Bình", "2204800789", None, "1948", "Khu 6, Phường Hồng Hải",
                   "Tai nạn lao động–bệnh nghề nghiệp", 1_950_000, arrears=300_000)
BINH_TOO = bhxh_person("Hoàng Văn Bình", "2204800789", None, "1948", "Khu 6, Phường Hồng Hải",
                       "Mất sức lao động", 3_100_000, arrears=200_000)


def _line(parsed: ParsedList, record: str, regime: str) -> EntitlementLine:
    return next(line for line in parsed.lines if line.record_code == record and line.regime == regime)


def test_a_bhxh_list_as_it_arrives_reads_with_its_own_regimes(make_xlsx: MakeFile) -> None:
    path = make_xlsx(bhxh_sheet([DUC, LAN, BINH, BINH_TOO]), merges=("A1:L1",))
    parsed = read_list(path, payout_period="2026-12")  # not told: detected from its header and title
    assert parsed.agency == "bhxh"
    people = {person.record_code: person for person in parsed.beneficiaries}
    assert set(people) == {"2205200123", "2205300456", "2204800789"}
    duc = people["2205200123"]
    assert (duc.full_name, duc.id_number, duc.birth_year, duc.agency) == (
        "Nguyễn Văn Đức", "022052000123", 1952, "bhxh")
    assert (duc.category, duc.village) == ("HT", "Khu 3")
    assert people["2205300456"].id_number == "022153000456"  # Excel's lost zero restored
    assert people["2205300456"].category == "TUAT"
    assert people["2204800789"].id_number is None  # a person without a number is read, matched by nothing
    assert {person.agency for person in parsed.beneficiaries} == {"bhxh"}
    # the commune comes from the title ("Điểm chi trả: Phường Hồng Hải"): one commune for every row
    assert [commune.name for commune in parsed.communes] == ["Phường Hồng Hải"]
    pension = _line(parsed, "2205200123", "pension")
    arrears = _line(parsed, "2205200123", "bhxh_arrears")
    assert (pension.amount, pension.kind, pension.programme, pension.period) == (
        4_865_300, LineKind.RECURRING, "luong_huu", "2026-12")
    assert (arrears.amount, arrears.kind, arrears.programme) == (1_200_000, LineKind.ARREARS, "luong_huu")
    assert arrears.key != pension.key
    assert _line(parsed, "2205300456", "si_survivor").amount == 2_340_000  # BHXH's tuất, not the người có công one
    assert _line(parsed, "2204800789", "occupational_injury").amount == 1_950_000
    assert _line(parsed, "2204800789", "work_capacity_loss").amount == 3_100_000
    assert _line(parsed, "2204800789", "bhxh_arrears").amount == 500_000  # two regimes' arrears: one line
    assert len(parsed.lines) == 6
    assert parsed.stated_total == sum(line.amount for line in parsed.lines)
    assert parsed.warnings_total == 0


def test_a_row_whose_total_disagrees_is_an_error_with_both_figures(make_xlsx: MakeFile) -> None:
    bad = bhxh_person("Trần Thị Lan", "2205300456", "022153000456", "1953", "Tổ 2, Phường Hồng Hải",
                      "Hưu trí", 2_340_000, arrears=100_000, total=2_500_000)
    path = make_xlsx(bhxh_sheet([DUC, bad]))
    with pytest.raises(ListImportError) as caught:
        read_list(path, payout_period="2026-12")
    [error] = caught.value.errors
    assert (error.row, error.column) == (9, "Tổng số tiền được nhận")
    assert error.message() == ("Dòng 9, cột «Tổng số tiền được nhận»: Tổng số tiền được nhận ghi 2.500.000 ₫, nhưng "
                               "số tiền tháng này (2.340.000 ₫) cộng truy lĩnh (100.000 ₫) là 2.440.000 ₫")


def test_the_list_total_row_is_checked_against_every_line_with_arrears(make_xlsx: MakeFile) -> None:
    path = make_xlsx(bhxh_sheet([DUC, LAN], total=9_999_999))
    parsed = read_list(path, payout_period="2026-12")
    assert parsed.stated_total == 9_999_999
    [warning] = parsed.warnings
    assert warning.code == "list_total_differs"
    assert warning.params["summed"] == "8.405.300 ₫"


def test_telling_wins_over_detection(make_xlsx: MakeFile, policy: PolicyReference) -> None:
    # a BHXH export with its own spellings and no title: nothing to detect it by
    plain = ["STT", "Họ tên", "Mã số", "CCCD", "Năm sinh", "Nơi cư trú", "Chế độ hưởng", "Kỳ", "Mức hưởng",
             "Tiền truy lĩnh", "Tổng tiền", "Ký nhận"]
    rows = bhxh_sheet([DUC], office="", place=None, header=plain)
    path = make_xlsx(rows)
    with pytest.raises(BadInputError) as refused:
        read_list(path, payout_period="2026-12")
    assert refused.value.code == "list_no_header"  # read as the Department's: no "Loại đối tượng", no commune
    parsed = read_list(path, payout_period="2026-12", agency="bhxh")
    assert parsed.agency == "bhxh"
    assert [line.regime for line in parsed.lines] == ["pension", "bhxh_arrears"]
    assert parsed.communes[0].name == "Phường Hồng Hải"  # from the address: the title names no place
    # told the Department, BHXH's own list is refused with the Department's columns named
    with pytest.raises(BadInputError) as wrong:
        read_list(make_xlsx(bhxh_sheet([DUC]), name="bhxh.xlsx"), payout_period="2026-12", agency="so_noi_vu")
    assert wrong.value.code == "list_no_header" and "Loại đối tượng" in wrong.value.message()
    assert policy.agency("bhxh").layout == BHXH_LAYOUT  # type: ignore[union-attr]


def test_an_unknown_agency_is_refused_in_words(make_xlsx: MakeFile) -> None:
    with pytest.raises(BadInputError) as refused:
        read_list(make_xlsx(bhxh_sheet([DUC])), agency="bhyt")
    assert refused.value.message() == ("Cơ quan chi trả không có trong danh mục: «bhyt» (có: so_noi_vu, bhxh, "
                                       "ubnd_xa)")


def test_a_row_without_any_commune_is_an_error(make_xlsx: MakeFile) -> None:
    nowhere = bhxh_person("Trần Thị Lan", "2205300456", "022153000456", "1953", "Số 5 đường Lê Thánh Tông",
                          "Hưu trí", 2_340_000)
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(bhxh_sheet([DUC, nowhere], place=None)), payout_period="2026-12")
    [error] = caught.value.errors
    assert (error.row, error.column, error.code) == (8, "Địa chỉ", "no_commune")


def test_a_department_regime_on_a_bhxh_list_is_refused_in_words(make_xlsx: MakeFile) -> None:
    wrong = bhxh_person("Trần Thị Lan", "2205300456", "022153000456", "1953", "Tổ 2, Phường Hồng Hải",
                        "Trợ cấp người phục vụ", 2_789_000)
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(bhxh_sheet([DUC, wrong])), payout_period="2026-12")
    [error] = caught.value.errors
    assert error.message() == ("Dòng 9, cột «Loại chế độ»: Dòng này thuộc chương trình của Sở Nội vụ, không thuộc "
                               "danh sách của Bảo hiểm xã hội")


# --- the Department's lists --------------------------------------------------------------------------------------

DEPT_HEADER: list[object] = [
    "STT", "Mã hồ sơ", "Họ và tên", "Số CCCD", "Xã/Phường", "Loại đối tượng", "Chương trình", "Chế độ", "Kỳ",
    "Số tiền (đồng)", "Người được ủy quyền", "CCCD người được ủy quyền", "Số giấy ủy quyền", "Ủy quyền đến ngày",
]


def _dept(code: str, programme: str, regime: str, amount: int, until: object = None,
          category: str = "AQ") -> list[object]:
    letter = ["Vũ Văn Hải", "022072000129", "UQ-2026/0123", until] if until else [None] * 4
    return [None, code, "Nguyễn Văn Đức", "022052000123", "Phường Hồng Hải", category, programme, regime, "12/2026",
            amount, *letter]


def _dept_sheet(*rows: list[object]) -> list[list[object]]:
    return [["DANH SÁCH CHI TRẢ TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG"], ["Tháng 12/2026"], list(DEPT_HEADER),
            *[[number, *row[1:]] for number, row in enumerate(rows, start=1)]]


def test_an_old_department_list_reads_as_before_with_its_programmes_agency(make_xlsx: MakeFile) -> None:
    parsed = read_list(make_xlsx(_dept_sheet(_dept("QNH/AQ-00001-TCM", "Ưu đãi", "Trợ cấp hằng tháng", 7_242_000))))
    assert parsed.agency == "so_noi_vu"
    # BHXH's words in a Department list's header ("Loại chế độ", "Truy lĩnh") do not make it BHXH's
    sheet = _dept_sheet(_dept("QNH/AQ-00001-TCM", "Ưu đãi", "Trợ cấp hằng tháng", 7_242_000))
    sheet[2] = [*sheet[2][:7], "Loại chế độ", *sheet[2][8:], "Truy lĩnh"]
    sheet[3] = [*sheet[3], 500_000]
    parsed = read_list(make_xlsx(sheet, name="truy-linh.xlsx"))
    assert (parsed.agency, [line.amount for line in parsed.lines]) == ("so_noi_vu", [7_242_000])
    assert [person.agency for person in parsed.beneficiaries] == ["so_noi_vu"]
    assert [line.regime for line in parsed.lines] == ["monthly"]


def test_an_old_list_mixing_programmes_keeps_reading_each_record_with_its_own_agency(make_xlsx: MakeFile) -> None:
    sheet = _dept_sheet(
        _dept("QNH/AQ-00001-TCM", "Ưu đãi", "Trợ cấp hằng tháng", 7_242_000),
        _dept("QNH/AQ-00001-TCM", "Lương hưu, trợ cấp BHXH", "Lương hưu", 4_865_300),
        [None, "QNH/LS-00002-TCM", "Đặng Thị Huệ", None, "Phường Hồng Hải", "LS", "Lương hưu", "Lương hưu",
         "12/2026", 3_000_000, None, None, None, None],
    )
    path = make_xlsx(sheet)
    parsed = read_list(path)  # a list from before lists named their agency: no agency, nothing refused
    assert parsed.agency == ""
    agencies = {person.record_code: person.agency for person in parsed.beneficiaries}
    assert agencies == {"QNH/AQ-00001-TCM": "", "QNH/LS-00002-TCM": "bhxh"}
    with pytest.raises(ListImportError) as caught:  # told it is the Department's: the pension rows are not
        read_list(path, agency="so_noi_vu")
    assert [error.message() for error in caught.value.errors] == [
        "Dòng 5, cột «Chương trình»: Dòng này thuộc chương trình của Bảo hiểm xã hội, không thuộc danh sách của Sở "
        "Nội vụ",
        "Dòng 6, cột «Chương trình»: Dòng này thuộc chương trình của Bảo hiểm xã hội, không thuộc danh sách của Sở "
        "Nội vụ",
    ]


def test_a_department_list_judges_tuat_against_the_nguoi_co_cong_catalogue(make_xlsx: MakeFile) -> None:
    row = _dept("QNH/TT-00007-TCM", "Ưu đãi", "Tuất hằng tháng", 2_789_000, category="TT")
    parsed = read_list(make_xlsx(_dept_sheet(row)), agency="so_noi_vu")
    assert [line.regime for line in parsed.lines] == ["survivor"]


def test_a_bhxh_category_on_a_department_list_is_not_in_its_catalogue(make_xlsx: MakeFile) -> None:
    row = _dept("QNH/AQ-00001-TCM", "Ưu đãi", "Trợ cấp hằng tháng", 7_242_000, category="HT")
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(_dept_sheet(row)), agency="so_noi_vu")
    assert [error.code for error in caught.value.errors] == ["unknown_category"]


# --- authorisation letters ---------------------------------------------------------------------------------------


def test_a_letter_longer_than_the_departments_rule_is_a_warning(make_xlsx: MakeFile) -> None:
    within = _dept("QNH/AQ-00001-TCM", "Ưu đãi", "Trợ cấp hằng tháng", 7_242_000, until=dt.datetime(2027, 3, 31))
    parsed = read_list(make_xlsx(_dept_sheet(within)), agency="so_noi_vu")
    assert parsed.warnings_total == 0
    longer = _dept("QNH/AQ-00001-TCM", "Ưu đãi", "Trợ cấp hằng tháng", 7_242_000, until=dt.datetime(2027, 4, 1))
    parsed = read_list(make_xlsx(_dept_sheet(longer), name="longer.xlsx"), agency="so_noi_vu")
    [warning] = parsed.warnings
    assert warning.message() == ("Dòng 4, cột «Ủy quyền đến ngày»: giấy ủy quyền UQ-2026/0123 có hạn đến 01/04/2027, "
                                 "dài hơn thời hạn 3 tháng của Sở Nội vụ")
    assert parsed.authorisations[0].valid_until == dt.date(2027, 4, 1)  # kept: the commune confirmed it


def test_bhxh_letters_may_run_twelve_months_and_a_start_date_is_measured(make_xlsx: MakeFile,
                                                                         policy: PolicyReference) -> None:
    assert (policy.authorisation_months("bhxh"), policy.authorisation_months("so_noi_vu")) == (12, 3)
    header = [*BHXH_HEADER, "Người được ủy quyền", "CCCD người được ủy quyền", "Số giấy ủy quyền",
              "Ủy quyền từ ngày", "Ủy quyền đến ngày"]
    year = [*DUC, "Vũ Văn Hải", "022072000129", "UQ-01", dt.datetime(2026, 11, 1), dt.datetime(2027, 11, 1)]
    longer = [*LAN, "Vũ Văn Hải", "022072000129", "UQ-02", dt.datetime(2026, 11, 1), dt.datetime(2027, 11, 2)]
    parsed = read_list(make_xlsx(bhxh_sheet([year, longer], header=header)), payout_period="2026-12")
    [warning] = parsed.warnings
    assert warning.row == 9 and warning.params["months"] == 12 and warning.params["agency"] == "Bảo hiểm xã hội"
    assert {item.number: item.valid_from for item in parsed.authorisations} == {
        "UQ-01": dt.date(2026, 11, 1), "UQ-02": dt.date(2026, 11, 1)}


# --- the catalogue -----------------------------------------------------------------------------------------------


def test_every_agency_has_its_rule_calendar_and_catalogue(policy: PolicyReference) -> None:
    for code in ("so_noi_vu", "bhxh", "ubnd_xa"):
        info = policy.agency(code)
        assert info is not None and info.programmes and info.authorisation_months
        assert info.calendar.list_and_money is not None and info.calendar.report is not None and info.calendar.source
        assert all(policy.agency_of(programme) == code for programme in policy.agency_programmes(code))
    department = policy.agency("so_noi_vu").calendar  # type: ignore[union-attr]
    assert department.list_and_money == Deadline(25, -1) and department.report == Deadline(20, 0)  # TT 44/2022
    assert "44/2022" in department.source
    bhxh = policy.agency("bhxh").calendar  # type: ignore[union-attr]
    assert bhxh.payout_days == (2, 25) and bhxh.report is not None and bhxh.report.to_confirm


@pytest.mark.parametrize("text, code", [
    ("Hưu trí", "pension"), ("Lương hưu", "pension"), ("Mất sức lao động", "work_capacity_loss"),
    ("Tai nạn lao động – bệnh nghề nghiệp", "occupational_injury"), ("TNLĐ-BNN", "occupational_injury"),
    ("Tuất hằng tháng", "si_survivor"), ("Truy lĩnh", "bhxh_arrears"),
])
def test_bhxh_regimes_are_found_in_bhxh_catalogue_only(policy: PolicyReference, text: str, code: str) -> None:
    found = policy.match_regime(text, "bhxh")
    assert found is not None and found.code == code
    department = policy.match_regime(text, "so_noi_vu")  # "Tuất hằng tháng", "Truy lĩnh": the Department's own
    assert department is None or department.programme == "uu_dai"


def test_bhxh_regimes_explain_themselves_with_their_legal_basis(policy: PolicyReference) -> None:
    regimes = policy.regimes_of("bhxh")
    assert {"pension", "work_capacity_loss", "occupational_injury", "si_survivor"} <= {r.code for r in regimes}
    for regime in regimes:
        assert regime.explain() and regime.explain(lang="en") and regime.legal_basis, regime.code
        category = policy.category(regime.category, "bhxh")
        assert category is not None and category.agency == "bhxh", regime.code
    assert "41/2024/QH15" in policy.regime("pension").legal_basis  # type: ignore[union-attr]
    assert policy.regime("work_capacity_loss").to_confirm  # type: ignore[union-attr]
    assert "Bảo hiểm xã hội" in policy.regime("occupational_injury").explain()  # type: ignore[union-attr]


def test_a_bhxh_list_is_bounded_like_any_other(make_xlsx: MakeFile) -> None:
    long_address = bhxh_person("Trần Thị Lan", "2205300456", "022153000456", "1953", "Khu 1, " + "x" * 80,
                               "Hưu trí", 2_340_000)
    with pytest.raises(ListImportError) as caught:
        read_list(make_xlsx(bhxh_sheet([DUC, long_address])), payout_period="2026-12",
                  limits=ListLimits(cell_chars=60))
    assert [(error.row, error.column, error.code) for error in caught.value.errors] == [
        (9, "Địa chỉ", "cell_too_long")]


def test_a_province_adds_an_agency_in_data_only(make_xlsx: MakeFile) -> None:
    import json

    from app.resources import resource_path

    categories = json.loads(resource_path("policy", "categories.json").read_text(encoding="utf-8"))
    regimes = json.loads(resource_path("policy", "regimes.json").read_text(encoding="utf-8"))
    regimes["agencies"]["bhxh_qp"] = {
        "name": "Bảo hiểm xã hội Bộ Quốc phòng", "programmes": ["luong_huu_qp"],
        "layout": {"kind": "bhxh", "headers": [], "title": []}, "authorisation": {"max_months": 6},
    }
    regimes["programmes"]["luong_huu_qp"] = {"name": "Lương hưu quân đội", "agency": "bhxh_qp"}
    regimes["regimes"]["military_pension"] = {
        "name": "Lương hưu quân nhân", "kind": "recurring", "programme": "luong_huu_qp", "category": "HT",
        "explanation": "Lương hưu của quân nhân đã nghỉ hưu.", "legal_basis": "Luật BHXH 41/2024/QH15"}
    policy = PolicyReference.from_data(categories, regimes)
    assert policy.authorisation_months("bhxh_qp") == 6 and policy.agency_programmes("bhxh_qp") == ("luong_huu_qp",)
    soldier = bhxh_person("Lê Văn Hùng", "2206100111", "022061000111", "1961", "Khu 5, Phường Hồng Hải",
                          "Lương hưu quân nhân", 9_100_000)
    parsed = read_list(make_xlsx(bhxh_sheet([soldier])), policy=policy, payout_period="2026-12", agency="bhxh_qp")
    assert (parsed.agency, [line.regime for line in parsed.lines]) == ("bhxh_qp", ["military_pension"])
    with pytest.raises(ListImportError) as caught:  # BHXH's pension is not on the army's list
        read_list(make_xlsx(bhxh_sheet([DUC]), name="b.xlsx"), policy=policy, payout_period="2026-12",
                  agency="bhxh_qp")
    assert caught.value.errors[0].message().endswith(
        "Dòng này thuộc chương trình của Bảo hiểm xã hội, không thuộc danh sách của Bảo hiểm xã hội Bộ Quốc phòng")
    regimes["agencies"]["bhxh_qp"]["layout"]["kind"] = "pdf"
    with pytest.raises(ValueError, match="layout kind"):
        PolicyReference.from_data(categories, regimes)
