"""The demo list generator: deterministic, realistic in proportion, consistent per person, readable by the app.

Why these checks: the demo list feeds screenshots, training and most integration tests, so it must never change
under the same seed, never contain a line the rules would refuse for a data reason (a monthly line after death, a
duplicate key, an unknown regime), and must read back through the real list reader.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from app.domain.model import LineKind
from app.domain.period import add_months, parse_list_period, period_of
from app.lists.columns import COLUMNS
from app.lists.demo import DemoSpec, demo_summary, generate_demo_rows
from app.lists.policy import load_policy

Row = dict[str, object]

PERSON_FIELDS = (
    "record_code", "full_name", "birth_year", "gender", "id_number", "village", "commune", "commune_code", "district",
    "province", "category", "method", "point", "payout_date", "payout_hours", "status", "death_date",
    "representative", "representative_id", "proxy_name", "proxy_id", "authorisation_number", "authorisation_until",
)
RECORD_CODE = re.compile(r"^QNH/(?P<category>[A-Z]{2,3})-\d{5}-(?:TCM|CP|CM|BV)$")
ID_NUMBER = re.compile(r"^022[0-3]\d{8}$")


@pytest.fixture(scope="module")
def medium() -> list[Row]:
    return generate_demo_rows(DemoSpec(communes=20, seed=7))


def _by_person(rows: list[Row]) -> dict[str, list[Row]]:
    people: dict[str, list[Row]] = {}
    for row in rows:
        people.setdefault(str(row["record_code"]), []).append(row)
    return people


def _kind(row: Row) -> LineKind:
    info = load_policy().match_regime(str(row["regime"]))
    assert info is not None, row["regime"]
    return info.kind


# --- determinism ----------------------------------------------------------------------------------------------------


def test_same_spec_gives_identical_rows() -> None:
    spec = DemoSpec(communes=6, seed=3)
    assert generate_demo_rows(spec) == generate_demo_rows(spec)


def test_different_seed_gives_different_rows() -> None:
    assert generate_demo_rows(DemoSpec(communes=6, seed=3)) != generate_demo_rows(DemoSpec(communes=6, seed=4))


def test_output_does_not_depend_on_hash_randomisation() -> None:
    code = (
        "import hashlib; from app.lists.demo import DemoSpec, generate_demo_rows; "
        "print(hashlib.sha256(repr(generate_demo_rows(DemoSpec(communes=4, seed=5))).encode()).hexdigest())"
    )
    root = Path(__file__).resolve().parents[2]
    digests = set()
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        result = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True,
                                check=True)
        digests.add(result.stdout.strip())
    local = hashlib.sha256(repr(generate_demo_rows(DemoSpec(communes=4, seed=5))).encode()).hexdigest()
    assert digests == {local}


# --- scale ----------------------------------------------------------------------------------------------------------


def test_default_spec_has_pilot_scale() -> None:
    rows = generate_demo_rows(DemoSpec())
    summary = demo_summary(rows)
    assert summary["communes"] == 174
    assert 11_500 <= summary["people"] <= 14_500
    assert 14_000 <= summary["lines"] <= 16_500
    assert summary["monthly_lines"] + summary["one_time_lines"] == summary["lines"]
    assert 0 < summary["cash_total"] < summary["total"]


def test_fixed_size_per_commune() -> None:
    summary = demo_summary(generate_demo_rows(DemoSpec(communes=3, people_per_commune=12)))
    assert summary["communes"] == 3
    assert summary["people"] == 36


@pytest.mark.parametrize(
    "spec", [DemoSpec(communes=0), DemoSpec(payout_period="12/2026"), DemoSpec(people_per_commune=-1)])
def test_bad_spec_is_refused(spec: DemoSpec) -> None:
    with pytest.raises(ValueError):
        generate_demo_rows(spec)


# --- shape ----------------------------------------------------------------------------------------------------------


def test_every_row_has_every_column_in_order(medium: list[Row]) -> None:
    ids = [column for column, _ in COLUMNS]
    assert all(list(row) == ids for row in medium)
    assert [row["stt"] for row in medium] == list(range(1, len(medium) + 1))


def test_amounts_are_positive_integers(medium: list[Row]) -> None:
    for row in medium:
        assert type(row["amount"]) is int and row["amount"] > 0, row


def test_regimes_and_categories_are_known_to_the_policy(medium: list[Row]) -> None:
    policy = load_policy()
    for regime in sorted({str(row["regime"]) for row in medium}):
        assert policy.match_regime(regime) is not None, regime
    for programme in sorted({str(row["programme"]) for row in medium}):
        assert policy.match_programme(programme) is not None, programme
    for category in sorted({str(row["category"]) for row in medium}):
        assert policy.category(category) is not None, category


def test_record_codes_and_id_numbers_are_unique_and_well_formed(medium: list[Row]) -> None:
    people = _by_person(medium)
    for code, rows in people.items():
        match = RECORD_CODE.match(code)
        assert match and match["category"] == rows[0]["category"], code
    ids = [rows[0]["id_number"] for rows in people.values() if rows[0]["id_number"]]
    others = [rows[0][column] for rows in people.values() for column in ("proxy_id", "representative_id")
              if rows[0][column]]
    assert len(set(ids)) == len(ids)
    assert len(set(ids + others)) == len(ids) + len(others)
    for rows in people.values():
        person = rows[0]
        if person["id_number"]:
            number = str(person["id_number"])
            assert ID_NUMBER.match(number), number
            century_gender = ((0 if int(str(person["birth_year"])) < 2000 else 2)
                              + (0 if person["gender"] == "Nam" else 1))
            assert number[3] == str(century_gender) and number[4:6] == f"{int(str(person['birth_year'])) % 100:02d}"


def test_line_keys_are_unique(medium: list[Row]) -> None:
    policy = load_policy()
    keys: list[tuple[object, ...]] = []
    for row in medium:
        if row["line_id"]:
            keys.append(("id", row["line_id"]))
        else:
            programme = policy.match_programme(str(row["programme"]))
            regime = policy.match_regime(str(row["regime"]))
            assert programme and regime
            keys.append((row["record_code"], parse_list_period(str(row["period"])), programme.code, regime.code))
    assert len(set(keys)) == len(keys)


def test_person_fields_are_identical_on_all_rows_of_a_person(medium: list[Row]) -> None:
    for code, rows in _by_person(medium).items():
        for field in PERSON_FIELDS:
            assert len({repr(row[field]) for row in rows}) == 1, (code, field)


def test_places_and_schedule(medium: list[Row]) -> None:
    communes: dict[object, set[object]] = {}
    names: dict[object, object] = {}
    village_point: dict[tuple[object, object], object] = {}
    point_slot: dict[tuple[object, object], tuple[object, object]] = {}
    for row in medium:
        assert re.match(r"^QNH-\d{4}$", str(row["commune_code"]))
        assert str(row["commune"]).startswith(("Xã ", "Phường "))
        assert row["province"] == "Tỉnh Quảng Ninh"
        communes.setdefault(row["commune_code"], set()).add(row["village"])
        assert names.setdefault(row["commune_code"], row["commune"]) == row["commune"]
        key = (row["commune_code"], row["village"])
        assert village_point.setdefault(key, row["point"]) == row["point"]
        slot = (row["payout_date"], row["payout_hours"])
        assert point_slot.setdefault((row["commune_code"], row["point"]), slot) == slot
        day = row["payout_date"]
        assert isinstance(day, dt.date) and period_of(day) == "2026-12" and 2 <= day.day <= 15 and day.weekday() < 5
        assert row["payout_hours"] in ("07:30-11:00", "13:30-16:30")
    assert len(set(names.values())) == len(names) == 20
    assert all(3 <= len(villages) <= 8 for villages in communes.values())
    points = Counter(commune for commune, _ in point_slot)
    assert all(1 <= count <= 3 for count in points.values())


def test_line_ids_in_some_communes_only(medium: list[Row]) -> None:
    with_ids = {row["commune_code"] for row in medium if row["line_id"]}
    assert 1 <= len(with_ids) < 20
    for row in medium:
        assert bool(row["line_id"]) == (row["commune_code"] in with_ids)
        if row["line_id"]:
            assert re.match(r"^L202612\d{7}$", str(row["line_id"]))


# --- proportions (loose bounds, 20 communes ≈ 1,500 people) ---------------------------------------------------------


def test_proportions_are_plausible(medium: list[Row]) -> None:
    people = _by_person(medium)
    n = len(people)
    firsts = [rows[0] for rows in people.values()]
    summary = demo_summary(medium)
    assert summary["people"] == n and summary["lines"] == len(medium)
    assert 40 * 20 <= n <= 160 * 20
    assert 0.85 <= summary["monthly_lines"] / len(medium) <= 0.95
    assert 0.04 <= sum(row["method"] == "Tài khoản" for row in medium) / len(medium) <= 0.13
    status = Counter(row["status"] for row in firsts)
    assert 0.002 <= status["Tạm dừng"] / n <= 0.025
    assert 0.002 <= status["Đã mất"] / n <= 0.025
    assert 0.015 <= sum(bool(row["proxy_name"]) for row in firsts) / n <= 0.07
    assert 0.01 <= sum(row["id_number"] is None for row in firsts) / n <= 0.06
    assert {str(row["programme"]) for row in medium} == {"Trợ cấp ưu đãi người có công"}  # the Department's only
    carried = {row["record_code"] for row in medium if row["note"] == "Chưa nhận tháng trước"}
    assert 0.005 <= len(carried) / n <= 0.04
    categories = Counter(row["category"] for row in firsts)
    assert categories.most_common(1)[0][0] in ("LS", "AQ")
    surnames = Counter(str(row["full_name"]).split()[0] for row in firsts)
    assert 0.30 <= surnames["Nguyễn"] / n <= 0.46


def test_genders_and_birth_years_fit_the_category(medium: list[Row]) -> None:
    for rows in _by_person(medium).values():
        person = rows[0]
        year = int(str(person["birth_year"]))
        assert 1915 <= year <= 2000
        if person["category"] == "BM":
            assert person["gender"] == "Nữ" and year < 1940
        if person["category"] in ("LT", "TKN"):
            assert year < 1935


# --- status rules ---------------------------------------------------------------------------------------------------


def test_no_recurring_line_after_the_month_of_death(medium: list[Row]) -> None:
    deceased = [rows for rows in _by_person(medium).values() if rows[0]["status"] == "Đã mất"]
    assert deceased
    for rows in deceased:
        person = rows[0]
        death = person["death_date"]
        assert isinstance(death, dt.date)
        assert period_of(death) in ("2026-12", add_months("2026-12", -1))
        assert person["representative"] and re.match(r"^\d{12}$", str(person["representative_id"]))
        for row in rows:
            if _kind(row) is LineKind.RECURRING:
                assert parse_list_period(str(row["period"])) <= period_of(death), row
        assert {_kind(row) for row in rows} >= {LineKind.DEATH_RELATED}
        regimes = {row["regime"] for row in rows}
        assert {"Mai táng phí", "Trợ cấp một lần khi từ trần (3 tháng)"} <= regimes


def test_only_deceased_people_have_death_fields(medium: list[Row]) -> None:
    for row in medium:
        dead = row["status"] == "Đã mất"
        assert (row["death_date"] is not None) == dead
        assert (_kind(row) is LineKind.DEATH_RELATED) <= dead


def test_suspended_people_carry_a_reason(medium: list[Row]) -> None:
    for row in medium:
        if row["status"] == "Tạm dừng":
            assert str(row["note"]).startswith("Tạm dừng do")


def test_proxies_are_complete(medium: list[Row]) -> None:
    proxies = [rows[0] for rows in _by_person(medium).values() if rows[0]["proxy_name"]]
    assert proxies
    valid = 0
    for person in proxies:
        assert re.match(r"^\d{12}$", str(person["proxy_id"]))
        assert re.match(r"^UQ-\d{4}/\d{4}$", str(person["authorisation_number"]))
        until = person["authorisation_until"]
        assert isinstance(until, dt.date) and isinstance(person["payout_date"], dt.date)
        valid += until >= person["payout_date"]
    assert valid / len(proxies) >= 0.7


def test_carried_over_lines_belong_to_last_month(medium: list[Row]) -> None:
    carried = [row for row in medium if row["note"] == "Chưa nhận tháng trước"]
    assert carried
    assert all(row["period"] == "11/2026" and row["status"] == "Đang hưởng" for row in carried)


# --- fixed people ---------------------------------------------------------------------------------------------------


def _regimes(rows: list[Row]) -> dict[object, object]:
    return {row["regime"]: row["amount"] for row in rows}


@pytest.mark.parametrize("seed", [1, 2, 99])
def test_fixed_people_are_always_there(seed: int) -> None:
    people = _by_person(generate_demo_rows(DemoSpec(communes=3, seed=seed)))
    expected = {
        "QNH/AQ-00001-TCM": ("Nguyễn Văn Đức", "022052000123", 1952, "Nam", "Đang hưởng"),
        "QNH/LS-00002-TCM": ("Đặng Thị Huệ", "022148000124", 1948, "Nữ", "Đang hưởng"),
        "QNH/BM-00003-TCM": ("Trần Thị Lành", "022128000125", 1928, "Nữ", "Đang hưởng"),
        "QNH/BB-00004-TCM": ("Lê Văn Tâm", "022049000126", 1949, "Nam", "Đã mất"),
        "QNH/HH-00005-TCM": ("Phạm Văn Nam", "022050000128", 1950, "Nam", "Tạm dừng"),
    }
    for code, (name, id_number, year, gender, status) in expected.items():
        person = people[code][0]
        assert (person["full_name"], person["id_number"], person["birth_year"], person["gender"], person["status"]) == (
            name, id_number, year, gender, status)
        assert person["commune_code"] == "QNH-0001" and person["commune"] == "Phường Hồng Hải"
        assert person["point"] == "Nhà văn hóa khu 3" and person["payout_date"] == dt.date(2026, 12, 7)
    for name in ("Nguyễn Văn Đức", "Đặng Thị Huệ", "Trần Thị Lành", "Lê Văn Tâm", "Phạm Văn Nam"):
        assert sum(rows[0]["full_name"] == name for rows in people.values()) == 1

    duc = people["QNH/AQ-00001-TCM"]
    assert _regimes(duc) == {
        "Trợ cấp hằng tháng": 7_242_000, "Phụ cấp hằng tháng": 1_399_000,
        "Điều dưỡng phục hồi sức khỏe tại gia đình": 2_510_100,
    }  # his pension is on BHXH's list
    assert {row["programme"] for row in duc} == {"Trợ cấp ưu đãi người có công"}

    hue = people["QNH/LS-00002-TCM"]
    assert _regimes(hue) == {"Trợ cấp hằng tháng": 5_578_000}
    assert (hue[0]["proxy_name"], hue[0]["proxy_id"], hue[0]["authorisation_number"]) == (
        "Vũ Văn Hải", "022072000129", "UQ-2026/0123")
    assert hue[0]["authorisation_until"] == dt.date(2027, 3, 7)

    lanh = people["QNH/BM-00003-TCM"]
    assert _regimes(lanh) == {"Trợ cấp hằng tháng": 8_367_000, "Phụ cấp hằng tháng": 2_337_000,
                              "Trợ cấp người phục vụ": 2_789_000}

    tam = people["QNH/BB-00004-TCM"]
    assert tam[0]["death_date"] == dt.date(2026, 12, 3)
    assert (tam[0]["representative"], tam[0]["representative_id"]) == ("Lê Thị Hoa", "022175000127")
    monthly = _regimes(tam)["Trợ cấp hằng tháng"]
    assert isinstance(monthly, int)
    assert _regimes(tam) == {"Trợ cấp hằng tháng": monthly, "Mai táng phí": 23_400_000,
                             "Trợ cấp một lần khi từ trần (3 tháng)": 3 * monthly}

    nam = people["QNH/HH-00005-TCM"]
    assert [row["regime"] for row in nam] == ["Trợ cấp hằng tháng"]
    assert nam[0]["note"] == "Tạm dừng do vắng mặt tại địa phương"


def test_fixed_people_follow_the_spec_province_and_period() -> None:
    rows = generate_demo_rows(DemoSpec(communes=2, payout_period="2027-01", province_code="HNI",
                                       province_name="Thành phố Hà Nội"))
    people = _by_person(rows)
    duc = people["HNI/AQ-00001-TCM"][0]
    assert duc["province"] == "Thành phố Hà Nội" and duc["commune_code"] == "HNI-0001"
    assert period_of(duc["payout_date"]) == "2027-01"  # type: ignore[arg-type]
    assert people["HNI/BB-00004-TCM"][0]["death_date"] == dt.date(2027, 1, 3)


# --- the real writer and reader -------------------------------------------------------------------------------------


def test_demo_list_writes_and_reads_back(tmp_path: Path) -> None:
    from app.lists.reader import read_list
    from app.lists.writer import write_list_xlsx

    rows = generate_demo_rows(DemoSpec(communes=3, seed=11))
    path = tmp_path / "demo.xlsx"
    write_list_xlsx(path, rows, payout_period="2026-12", demo=True)
    parsed = read_list(path)
    summary = demo_summary(rows)
    assert parsed.payout_period == "2026-12"
    assert len(parsed.lines) == summary["lines"]
    assert len(parsed.beneficiaries) == summary["people"]
    assert len(parsed.communes) == 3
    assert sum(line.amount for line in parsed.lines) == summary["total"]


# --- the demo province's two agencies' lists ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def province_lists(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, object]]:
    from app.lists.demo import demo_lists

    return demo_lists(tmp_path_factory.mktemp("demo"), DemoSpec(communes=4, seed=1))  # type: ignore[return-value]


def test_the_demo_province_ships_the_departments_and_bhxhs_lists(province_lists: list[tuple[str, object]]) -> None:
    from app.lists.parsed import ParsedList

    assert [agency for agency, _ in province_lists] == ["so_noi_vu", "bhxh"]
    for agency, parsed in province_lists:
        assert isinstance(parsed, ParsedList)
        assert parsed.agency == agency and {person.agency for person in parsed.beneficiaries} == {agency}
        assert {load_policy().agency_of(line.programme) for line in parsed.lines} == {agency}
        assert parsed.province.name == "Tỉnh Quảng Ninh" and parsed.warnings_total == 0
    department, bhxh = (parsed for _, parsed in province_lists)
    assert isinstance(department, ParsedList) and isinstance(bhxh, ParsedList)
    assert {c.code for c in bhxh.communes} <= {c.code for c in department.communes}  # same communes, same codes
    assert {p.point_id for p in bhxh.points} <= {p.point_id for p in department.points}  # and the same points
    assert {line.regime for line in bhxh.lines} >= {"pension", "si_survivor"}


def test_the_demo_lists_overlap_with_one_conflict_and_one_person_without_a_number(
        province_lists: list[tuple[str, object]]) -> None:
    from app.domain.identity import RecordIdentity, group_records
    from app.lists.demo import BHXH_CODES, CONFLICT_NAME

    records = [person for _, parsed in province_lists for person in parsed.beneficiaries]  # type: ignore[attr-defined]
    grouping = group_records([RecordIdentity.of(person) for person in records])
    codes = BHXH_CODES(DemoSpec())
    assert set(grouping.records_of("QNH/AQ-00001-TCM")) == {"QNH/AQ-00001-TCM", codes["QNH/AQ-00001-TCM"]}
    merged = [person for person in records if len(grouping.records_of(person.record_code)) > 1]
    assert len(merged) >= 10  # the Department's pensioners are one person with their BHXH record
    [conflict] = grouping.conflicts
    assert {conflict.first.full_name, conflict.second.full_name} == {"Đặng Thị Huệ", CONFLICT_NAME}
    assert conflict.differs_in == ("full_name",)
    bhxh = [person for person in records if person.agency == "bhxh"]
    assert [person.full_name for person in bhxh if person.id_number is None] == ["Trần Thị Lành"]
    assert grouping.records_of(codes["QNH/BM-00003-TCM"]) == (codes["QNH/BM-00003-TCM"],)  # matched by nothing
