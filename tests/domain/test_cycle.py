"""The words of the cycle in code: turns (person, agency, period, kind), carried over, withdrawn — and the pilot's
168,813 turns = 156,946 monthly + 11,867 one-time as the worked example."""

from __future__ import annotations

import datetime as dt

from app.domain.cycle import (
    Turn,
    TurnKind,
    agencies_of,
    barred_for_good,
    carried_over,
    settled_turns,
    turns_of,
    withdrawn_keys,
)
from app.domain.model import Beneficiary, BeneficiaryStatus, EntitlementLine, LineKind, PaymentMethod, line_key
from app.lists.policy import load_policy

AGENCY = load_policy().agency_of


def line(record: str, regime: str, period: str, kind: LineKind = LineKind.RECURRING, programme: str = "uu_dai",
         list_period: str | None = None, method: PaymentMethod = PaymentMethod.CASH) -> EntitlementLine:
    return EntitlementLine(line_key(None, record, period, programme, regime), record, period, list_period or period,
                           programme, regime, kind, 1_000_000, method)


def test_a_lines_agency_comes_from_its_programme_in_the_policy_data() -> None:
    assert (AGENCY("uu_dai"), AGENCY("luong_huu"), AGENCY("bao_tro_xa_hoi")) == ("so_noi_vu", "bhxh", "ubnd_xa")
    assert AGENCY("chuong_trinh_moi") == "chuong_trinh_moi"  # unknown: its own, never merged into another's
    assert agencies_of({"uu_dai": "so_noi_vu"})("luong_huu") == "luong_huu"
    assert load_policy().agency_name("bhxh") == "Bảo hiểm xã hội"


def test_a_persons_lines_of_one_month_make_one_turn_per_agency_and_kind() -> None:
    lines = [line("A", "monthly", "2027-01"), line("A", "supplement", "2027-01"),  # one monthly turn
             line("A", "pension", "2027-01", programme="luong_huu"),  # BHXH's: another agency, another turn
             line("A", "gift", "2027-01", LineKind.ONE_TIME), line("A", "convalescence", "2027-01", LineKind.ONE_TIME),
             line("A", "funeral", "2027-01", LineKind.DEATH_RELATED)]  # one-time, arrears, death-related: one turn
    assert turns_of(lines, AGENCY) == {
        Turn("A", "so_noi_vu", "2027-01", TurnKind.MONTHLY), Turn("A", "bhxh", "2027-01", TurnKind.MONTHLY),
        Turn("A", "so_noi_vu", "2027-01", TurnKind.ONE_TIME)}


def test_two_months_paid_together_near_tet_are_two_turns() -> None:
    together = [line("A", "monthly", "2027-01", list_period="2027-01"),
                line("A", "monthly", "2027-02", list_period="2027-01")]
    assert len(turns_of(together, AGENCY)) == 2
    carried = line("A", "monthly", "2026-12", list_period="2027-01")  # keeps its own month's turn
    assert Turn("A", "so_noi_vu", "2026-12", TurnKind.MONTHLY) in turns_of([carried], AGENCY)


def test_a_turn_is_paid_once_a_payment_that_stands_settled_one_of_its_lines() -> None:
    lines = [line("A", "monthly", "2027-01"), line("A", "supplement", "2027-01"), line("B", "monthly", "2027-01")]
    assert settled_turns(lines, {lines[1].key}, AGENCY) == {Turn("A", "so_noi_vu", "2027-01", TurnKind.MONTHLY)}


def test_the_pilots_turns_counted_from_lines() -> None:
    """The worked example of docs/CYCLE.md, at 1/1000 scale of people: 156,946 monthly turns are person-months
    (≈ 13,079 people × 12), 11,867 one-time turns are person-periods with any other kind of line."""
    lines = []
    for person in range(157):  # 157 people paid monthly, each with two monthly lines (allowance and supplement)
        lines += [line(f"P{person}", "monthly", "2027-01"), line(f"P{person}", "supplement", "2027-01")]
    for person in range(12):  # 12 of them with a one-time line and an arrears line too: one one-time turn each
        lines += [line(f"P{person}", "gift", "2027-01", LineKind.ONE_TIME),
                  line(f"P{person}", "arrears", "2027-01", LineKind.ARREARS)]
    turns = turns_of(lines, AGENCY)
    monthly = sum(1 for turn in turns if turn.kind is TurnKind.MONTHLY)
    assert (monthly, len(turns) - monthly, len(lines)) == (157, 12, 338)  # lines and turns are other units


def test_carried_over_is_unpaid_when_the_month_ends_and_still_payable_later() -> None:
    monthly = line("A", "monthly", "2026-12")
    alive = Beneficiary("A", "Nguyễn Văn Đức", "QNH-0001", "AQ")
    suspended = Beneficiary("A", "Nguyễn Văn Đức", "QNH-0001", "AQ", status=BeneficiaryStatus.SUSPENDED)
    dead = Beneficiary("A", "Nguyễn Văn Đức", "QNH-0001", "AQ", status=BeneficiaryStatus.DECEASED,
                       date_of_death=dt.date(2026, 11, 20))
    assert carried_over(monthly, "2026-12", None, alive)
    assert carried_over(monthly, "2026-12", "2027-01", alive)  # paid only in January: it was carried over
    assert not carried_over(monthly, "2026-12", "2026-12", alive)  # settled in its month
    assert not carried_over(monthly, "2026-12", "2026-11", alive)  # paid in an earlier month
    assert carried_over(monthly, "2026-12", None, suspended)  # a suspension is not for good
    assert not carried_over(monthly, "2026-12", None, dead) and barred_for_good(dead, monthly)
    funeral = line("A", "funeral", "2026-12", LineKind.DEATH_RELATED)
    assert carried_over(funeral, "2026-12", None, dead)  # still payable to the representative
    assert not carried_over(monthly, "2026-12", None, alive, withdrawn=True)
    assert not carried_over(line("A", "monthly", "2026-12", method=PaymentMethod.ACCOUNT), "2026-12", None, alive)


def test_withdrawn_is_an_unpaid_line_of_the_period_a_corrected_list_no_longer_has() -> None:
    stored = [("kept", "2026-12", False), ("dropped", "2026-12", False), ("paid", "2026-12", True),
              ("carried", "2026-11", False)]
    assert withdrawn_keys(stored, "2026-12", ["kept"]) == ["dropped"]
