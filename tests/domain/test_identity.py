"""One person across agencies' lists: grouping by the personal number, conflicts, decisions, a death for all."""

import datetime as dt

from app.domain.identity import (
    LinkAction,
    PersonLink,
    RecordIdentity,
    group_records,
    personal_number,
    with_person_death,
)
from app.domain.model import Beneficiary, BeneficiaryStatus

AT = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def record(code: str, name: str = "Nguyễn Văn Đức", year: int | None = 1950, number: str | None = "001050012345",
           agency: str = "so_noi_vu") -> RecordIdentity:
    return RecordIdentity(code, agency, name, year, number)


def decision(first: str, second: str, action: LinkAction, minutes: int = 0) -> PersonLink:
    return PersonLink(first, second, action, "giamsat", AT + dt.timedelta(minutes=minutes), "đã đối chiếu CCCD")


def test_personal_number_accepts_twelve_digits_only() -> None:
    assert personal_number("001 050 012 345") == "001050012345"
    assert personal_number("123456789") is None
    assert personal_number("") is None
    assert personal_number(None) is None


def test_same_number_name_and_year_make_one_person_across_agencies() -> None:
    grouping = group_records([record("QNH-1"), record("7901234567", "NGUYEN VAN DUC", agency="bhxh"),
                              record("QNH-2", "Trần Thị Lan", number="001950000001")])
    assert grouping.records_of("7901234567") == ("7901234567", "QNH-1")
    assert grouping.person_key("QNH-1") == grouping.person_key("7901234567") == "7901234567"
    assert grouping.records_of("QNH-2") == ("QNH-2",)
    assert grouping.conflicts == ()


def test_missing_birth_year_does_not_contradict() -> None:
    grouping = group_records([record("A"), record("B", year=None)])
    assert grouping.records_of("A") == ("A", "B")


def test_same_number_other_name_or_year_is_a_conflict_not_a_merge() -> None:
    grouping = group_records([record("A"), record("B", "Nguyễn Văn Được"), record("C", year=1951)])
    assert all(grouping.records_of(code) == (code,) for code in "ABC")
    assert len(grouping.conflicts) == 3
    first = grouping.conflicts[0]
    assert (first.first.record_code, first.second.record_code) == ("A", "B")
    assert first.differs_in == ("full_name",)
    assert grouping.conflicts[1].differs_in == ("birth_year",)


def test_a_record_without_a_number_is_matched_by_nothing_but_can_be_linked_and_unlinked() -> None:
    records = [record("A"), record("B", number=None)]
    assert group_records(records).records_of("A") == ("A",)
    linked = [decision("B", "A", LinkAction.LINK)]
    assert group_records(records, linked).records_of("B") == ("A", "B")
    undone = [*linked, decision("A", "B", LinkAction.CLEAR, minutes=5)]
    assert group_records(records, undone).records_of("B") == ("B",)


def test_a_link_settles_a_conflict_and_separate_splits_an_automatic_merge() -> None:
    records = [record("A"), record("B", "Nguyen Van Duoc")]
    assert len(group_records(records).conflicts) == 1
    grouping = group_records(records, [decision("A", "B", LinkAction.LINK)])
    assert grouping.conflicts == () and grouping.records_of("A") == ("A", "B")
    same = [record("A"), record("B")]
    separated = group_records(same, [decision("A", "B", LinkAction.SEPARATE)])
    assert separated.records_of("A") == ("A",) and separated.conflicts == ()


def test_decisions_about_records_no_longer_listed_are_ignored() -> None:
    grouping = group_records([record("A")], [decision("A", "Z", LinkAction.LINK)])
    assert grouping.records_of("A") == ("A",)


def test_a_death_on_one_agency_record_applies_to_the_person() -> None:
    pension = Beneficiary("7901234567", "Nguyễn Văn Đức", "X1", "HT", agency="bhxh")
    allowance = Beneficiary("QNH-1", "Nguyễn Văn Đức", "X1", "AQ", agency="so_noi_vu",
                            status=BeneficiaryStatus.SUSPENDED, status_reason="Tạm dừng")
    dead = Beneficiary("7901234567", "Nguyễn Văn Đức", "X1", "HT", agency="bhxh",
                       status=BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 11, 3), status_reason="Đã mất")
    assert with_person_death([pension, allowance]) == (pension, allowance)
    after = with_person_death([dead, allowance])
    assert after[1].status is BeneficiaryStatus.DECEASED
    assert after[1].date_of_death == dt.date(2026, 11, 3)
