"""Behaviour tests for judging a payment already made (app.domain.findings) and the sub-rules it shares with the desk.

The desk asks the sub-rules about now (no day: the status on file decides); the server asks about the day the cash
left (the recorded dates decide). The edge days are the ones a province officer would argue about: the day of death,
the last day of the month of death, the first day after a suspension ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from app.domain.findings import (
    EarlierPayment,
    Finding,
    FindingKind,
    LinePaid,
    ListedLine,
    PaymentMade,
    judge_authorisation,
    judge_commune,
    judge_line,
    judge_payment,
    judge_suspension,
)
from app.domain.model import (
    Beneficiary,
    BeneficiaryStatus,
    EntitlementLine,
    LineKind,
    RecipientKind,
    Representative,
    Suspension,
    line_key,
)
from app.domain.rules import (
    assess_line,
    authorisation_expired,
    dead_on,
    history_after,
    month_after_death,
    status_history,
    suspension_on,
)

RECORD = "QNH/LS-01234-TCM"
COMMUNE = "22015"
DEATH = dt.date(2026, 11, 15)
NOV_30 = dt.date(2026, 11, 30)
DEC_1 = dt.date(2026, 12, 1)


# --- builders ----------------------------------------------------------------------------------------------------


def person(**changes: Any) -> Beneficiary:
    base = Beneficiary(record_code=RECORD, full_name="Nguyễn Văn Đức", commune_code=COMMUNE, category="LS")
    return replace(base, **changes)


def deceased(death: dt.date = DEATH) -> Beneficiary:
    return person(status=BeneficiaryStatus.DECEASED, date_of_death=death, status_reason="Đã mất",
                  representative=Representative("Nguyễn Thị Hoa", "001089012345"))


def suspended(reason: str = "Vắng mặt tại địa phương") -> Beneficiary:
    return person(status=BeneficiaryStatus.SUSPENDED, status_reason=reason)


def line(period: str = "2026-12", kind: LineKind = LineKind.RECURRING, amount: int = 2_789_000,
         regime: str = "monthly") -> EntitlementLine:
    return EntitlementLine(key=line_key(None, RECORD, period, "uu_dai", regime), record_code=RECORD, period=period,
                           list_period=period, programme="uu_dai", regime=regime, kind=kind, amount=amount)


def paid(listed: EntitlementLine, amount: int | None = None) -> LinePaid:
    return LinePaid(listed.key, listed.period, listed.amount if amount is None else amount)


def judged(who: Beneficiary | None, listed: EntitlementLine, day: dt.date,
           recipient: RecipientKind | None = RecipientKind.SELF) -> list[FindingKind]:
    return [f.kind for f in judge_line(who, paid(listed), ListedLine.of(listed), paid_on=day, recipient=recipient)]


# --- dead on a day -----------------------------------------------------------------------------------------------


def test_a_living_person_is_never_dead() -> None:
    assert not dead_on(person())
    assert not dead_on(person(), DEATH)


def test_a_recorded_death_is_dead_now_whatever_the_date() -> None:
    assert dead_on(deceased())
    assert dead_on(deceased(dt.date(2030, 1, 1)))  # the desk judges by the status: a death on file has happened


@pytest.mark.parametrize(("day", "dead"), [
    (DEATH - dt.timedelta(days=1), False),
    (DEATH, True),  # the day of death counts as dead
    (DEATH + dt.timedelta(days=1), True),
])
def test_dead_on_a_day_is_decided_by_the_date_of_death(day: dt.date, dead: bool) -> None:
    assert dead_on(deceased(), day) is dead


def test_a_death_without_a_date_is_dead_now_but_on_no_given_day() -> None:
    undated = person(status=BeneficiaryStatus.DECEASED)
    assert dead_on(undated)
    assert not dead_on(undated, DEATH)


# --- a month after the month of death ----------------------------------------------------------------------------


@pytest.mark.parametrize(("period", "after"), [("2026-10", False), ("2026-11", False), ("2026-12", True),
                                                ("2027-01", True)])
def test_a_monthly_line_after_the_month_of_death(period: str, after: bool) -> None:
    assert month_after_death(deceased(), LineKind.RECURRING, period) is after


def test_a_death_on_the_last_day_of_the_month_still_pays_that_month_only() -> None:
    assert not month_after_death(deceased(NOV_30), LineKind.RECURRING, "2026-11")
    assert month_after_death(deceased(NOV_30), LineKind.RECURRING, "2026-12")
    assert month_after_death(deceased(dt.date(2026, 12, 31)), LineKind.RECURRING, "2027-01")


@pytest.mark.parametrize("kind", [LineKind.ONE_TIME, LineKind.ARREARS, LineKind.DEATH_RELATED, None])
def test_only_monthly_lines_end_with_the_month_of_death(kind: LineKind | None) -> None:
    assert not month_after_death(deceased(), kind, "2027-01")


def test_no_month_is_after_death_for_the_living() -> None:
    assert not month_after_death(person(), LineKind.RECURRING, "2027-01")
    assert not month_after_death(person(date_of_death=DEATH), LineKind.RECURRING, "2027-01")


# --- suspended on a day ------------------------------------------------------------------------------------------


HISTORY = (
    Suspension("Vắng mặt", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 20)),
    Suspension("Chờ xác minh", start=dt.date(2026, 12, 7)),
)


def test_a_suspended_status_is_a_suspension_open_since_an_unknown_day() -> None:
    assert status_history(suspended("Lý do")) == (Suspension("Lý do"),)
    assert status_history(person()) == ()
    assert suspension_on(suspended("Lý do")) == Suspension("Lý do")
    assert suspension_on(suspended(), dt.date(2000, 1, 1)) is not None  # no history: every day
    assert suspension_on(person()) is None


@pytest.mark.parametrize(("day", "reason"), [
    (dt.date(2026, 9, 30), None),
    (dt.date(2026, 10, 1), "Vắng mặt"),  # the day it began
    (dt.date(2026, 10, 19), "Vắng mặt"),  # its last day
    (dt.date(2026, 10, 20), None),  # the first day after it ended: payable again
    (dt.date(2026, 12, 6), None),
    (dt.date(2026, 12, 7), "Chờ xác minh"),
    (dt.date(2027, 6, 1), "Chờ xác minh"),  # still lasting
])
def test_a_dated_history_decides_by_the_day(day: dt.date, reason: str | None) -> None:
    found = suspension_on(suspended(), day, HISTORY)
    assert (found.reason if found else None) == reason


def test_now_means_the_lasting_suspension_of_a_history() -> None:
    assert suspension_on(person(), None, HISTORY) == HISTORY[1]
    assert suspension_on(person(), None, HISTORY[:1]) is None


def test_a_kept_history_outweighs_the_status() -> None:
    assert suspension_on(suspended(), dt.date(2026, 12, 1), ()) is None


def test_recording_a_status_opens_and_closes_suspensions_on_that_day() -> None:
    day = dt.date(2026, 12, 7)
    opened = history_after((), suspended("Chờ xác minh"), day)
    assert opened == (Suspension("Chờ xác minh", start=day),)
    assert history_after(opened, suspended("Chờ xác minh"), day + dt.timedelta(days=3)) == opened
    closed = history_after(opened, person(), dt.date(2026, 12, 20))
    assert closed == (Suspension("Chờ xác minh", start=day, end=dt.date(2026, 12, 20)),)
    assert history_after(closed, person(), dt.date(2026, 12, 21)) == closed
    again = history_after(closed, suspended("Lần hai"), dt.date(2027, 1, 5))
    assert again == (*closed, Suspension("Lần hai", start=dt.date(2027, 1, 5)))


# --- authorisation ----------------------------------------------------------------------------------------------


def test_a_letter_is_valid_through_its_last_day() -> None:
    until = dt.date(2026, 12, 5)
    assert not authorisation_expired(until, until)
    assert authorisation_expired(until, until + dt.timedelta(days=1))
    assert not authorisation_expired(None, until)


# --- judging one line --------------------------------------------------------------------------------------------


def test_a_listed_line_paid_as_listed_is_fine() -> None:
    assert judged(person(), line(), DEC_1) == []


def test_a_line_not_on_the_list_is_unknown() -> None:
    findings = judge_line(person(), LinePaid("id:L-9", "2026-12", 100), None, paid_on=DEC_1, recipient=None)
    assert findings == [Finding(FindingKind.UNKNOWN_LINE, {"line": "id:L-9"}, "id:L-9")]


def test_a_withdrawn_line_is_unknown() -> None:
    listed = line()
    findings = judge_line(person(), paid(listed), ListedLine.of(listed, withdrawn=True), paid_on=DEC_1,
                          recipient=RecipientKind.SELF)
    assert [f.kind for f in findings] == [FindingKind.UNKNOWN_LINE]


def test_another_amount_than_the_list_says_both() -> None:
    listed = line(amount=2_789_000)
    findings = judge_line(person(), paid(listed, 2_800_000), ListedLine.of(listed), paid_on=DEC_1,
                          recipient=RecipientKind.SELF)
    assert findings == [Finding(FindingKind.AMOUNT_MISMATCH,
                                {"line": listed.key, "paid": 2_800_000, "listed": 2_789_000}, listed.key)]


def test_each_earlier_payment_that_stands_is_a_double_payment() -> None:
    listed = line()
    earlier = [EarlierPayment("entry-1", "device-a"), EarlierPayment("entry-2", "device-b")]
    findings = judge_line(person(), paid(listed), ListedLine.of(listed), paid_on=DEC_1, recipient=RecipientKind.SELF,
                          earlier=earlier)
    assert findings == [
        Finding(FindingKind.DOUBLE_PAYMENT, {"line": listed.key, "other_device": "device-a"}, listed.key, "entry-1"),
        Finding(FindingKind.DOUBLE_PAYMENT, {"line": listed.key, "other_device": "device-b"}, listed.key, "entry-2"),
    ]


def test_a_month_after_the_month_of_death_is_flagged_even_to_the_representative() -> None:
    listed = line("2026-12")
    findings = judge_line(deceased(), paid(listed), ListedLine.of(listed), paid_on=DEC_1,
                          recipient=RecipientKind.REPRESENTATIVE)
    assert findings == [Finding(FindingKind.PAID_AFTER_DEATH, {"line": listed.key, "date_of_death": "2026-11-15"},
                                listed.key)]


def test_the_month_of_death_paid_to_the_representative_is_fine() -> None:
    assert judged(deceased(), line("2026-11"), DEC_1, RecipientKind.REPRESENTATIVE) == []


@pytest.mark.parametrize(("day", "flagged"), [
    (DEATH - dt.timedelta(days=1), False),  # paid the day before the death: lawful
    (DEATH, True),  # the day of death
    (NOV_30, True),
])
def test_paying_the_person_on_or_after_the_date_of_death_is_flagged(day: dt.date, flagged: bool) -> None:
    assert judged(deceased(), line("2026-11"), day, RecipientKind.SELF) == (
        [FindingKind.PAID_AFTER_DEATH] if flagged else [])


def test_a_death_on_the_last_day_of_the_month_flags_next_months_line_only() -> None:
    died = deceased(NOV_30)
    assert judged(died, line("2026-11"), NOV_30, RecipientKind.REPRESENTATIVE) == []
    assert judged(died, line("2026-12"), NOV_30, RecipientKind.REPRESENTATIVE) == [FindingKind.PAID_AFTER_DEATH]


def test_a_paid_line_of_another_period_than_listed_is_judged_by_the_period_paid() -> None:
    listed = line("2026-11")
    findings = judge_line(deceased(), LinePaid(listed.key, "2026-12", listed.amount), ListedLine.of(listed),
                          paid_on=DEC_1, recipient=RecipientKind.REPRESENTATIVE)
    assert [f.kind for f in findings] == [FindingKind.PAID_AFTER_DEATH]


def test_a_death_related_line_to_the_representative_is_fine() -> None:
    funeral = line("2026-12", LineKind.DEATH_RELATED, 5_000_000, "funeral")
    assert judged(deceased(), funeral, DEC_1, RecipientKind.REPRESENTATIVE) == []


def test_an_unknown_recipient_kind_is_judged_as_paid_to_the_person() -> None:
    assert judged(deceased(), line("2026-11"), DEC_1, None) == [FindingKind.PAID_AFTER_DEATH]


def test_a_withdrawn_monthly_line_still_counts_as_monthly_after_death() -> None:
    listed = line("2026-12")
    findings = judge_line(deceased(), paid(listed), ListedLine.of(listed, withdrawn=True), paid_on=DEC_1,
                          recipient=RecipientKind.REPRESENTATIVE)
    assert [f.kind for f in findings] == [FindingKind.UNKNOWN_LINE, FindingKind.PAID_AFTER_DEATH]


def test_an_unknown_line_of_a_dead_person_is_flagged_by_the_day_only() -> None:
    unknown = LinePaid("id:L-9", "2027-01", 100)
    to_rep = judge_line(deceased(), unknown, None, paid_on=DEC_1, recipient=RecipientKind.REPRESENTATIVE)
    to_self = judge_line(deceased(), unknown, None, paid_on=DEC_1, recipient=RecipientKind.SELF)
    assert [f.kind for f in to_rep] == [FindingKind.UNKNOWN_LINE]
    assert [f.kind for f in to_self] == [FindingKind.UNKNOWN_LINE, FindingKind.PAID_AFTER_DEATH]


@pytest.mark.parametrize("period", ["2026-10", "2026-11", "2026-12", "2027-01"])
def test_the_desk_blocks_exactly_the_monthly_lines_the_server_flags(period: str) -> None:
    """One rule at both ends: a monthly line the desk refuses after a death is the one the server flags."""
    listed = line(period)
    blocked = assess_line(deceased(), listed, "2027-01").block is not None
    flagged = judged(deceased(), listed, DEC_1, RecipientKind.REPRESENTATIVE) == [FindingKind.PAID_AFTER_DEATH]
    assert blocked is flagged


# --- judging the whole payment -----------------------------------------------------------------------------------


def test_a_person_of_another_commune_than_the_session() -> None:
    assert judge_commune(person(), "99999") == Finding(
        FindingKind.OTHER_COMMUNE, {"session_commune": "99999", "person_commune": COMMUNE})
    assert judge_commune(person(), COMMUNE) is None
    assert judge_commune(None, "99999") is None
    assert judge_commune(person(), None) is None


@pytest.mark.parametrize(("day", "flagged"), [
    (dt.date(2026, 10, 19), True),  # the suspension's last day
    (dt.date(2026, 10, 20), False),  # the first day after it ended
])
def test_a_payment_while_suspended_says_which_suspension(day: dt.date, flagged: bool) -> None:
    finding = judge_suspension(person(), HISTORY, day)
    expected = Finding(FindingKind.PAID_WHILE_SUSPENDED,
                       {"reason": "Vắng mặt", "from": "2026-10-01", "to": "2026-10-20"})
    assert finding == (expected if flagged else None)


def test_without_a_history_the_status_decides_and_gives_the_reason_only() -> None:
    assert judge_suspension(suspended("Lý do"), None, DEC_1) == Finding(
        FindingKind.PAID_WHILE_SUSPENDED, {"reason": "Lý do"})
    assert judge_suspension(person(), None, DEC_1) is None
    assert judge_suspension(None, HISTORY, dt.date(2026, 10, 5)) is None


def test_a_lasting_suspension_says_it_has_no_end() -> None:
    finding = judge_suspension(person(), HISTORY, dt.date(2026, 12, 7))
    assert finding is not None and finding.detail == {"reason": "Chờ xác minh", "from": "2026-12-07", "to": None}


def made(*lines: LinePaid, day: dt.date = DEC_1, recipient: RecipientKind | None = RecipientKind.SELF,
         until: dt.date | None = None, commune: str | None = COMMUNE) -> PaymentMade:
    return PaymentMade(RECORD, day, lines, recipient, "GUQ-7" if until else None, until, commune)


@pytest.mark.parametrize(("until", "flagged"), [(DEC_1, False), (NOV_30, True), (None, False)])
def test_a_proxy_with_a_letter_expired_on_the_day_of_payment(until: dt.date | None, flagged: bool) -> None:
    finding = judge_authorisation(made(day=DEC_1, recipient=RecipientKind.PROXY, until=until))
    expected = Finding(FindingKind.AUTHORISATION_EXPIRED, {"number": "GUQ-7", "valid_until": "2026-11-30"})
    assert finding == (expected if flagged else None)


def test_a_letters_dates_do_not_matter_unless_a_proxy_collected() -> None:
    assert judge_authorisation(made(recipient=RecipientKind.SELF, until=NOV_30)) is None


def test_a_payment_is_judged_in_a_fixed_order() -> None:
    first, second = line("2026-12"), line("2026-12", regime="supplement", amount=1_000_000)
    findings = judge_payment(
        made(paid(first), paid(second, 999), recipient=RecipientKind.PROXY, until=NOV_30, commune="99999",
             day=dt.date(2026, 12, 8)),
        person(), HISTORY, {first.key: ListedLine.of(first), second.key: ListedLine.of(second)},
        {first.key: [EarlierPayment("entry-1", "device-a")]},
    )
    assert [(f.kind, f.line_key) for f in findings] == [
        (FindingKind.OTHER_COMMUNE, None),
        (FindingKind.DOUBLE_PAYMENT, first.key),
        (FindingKind.AMOUNT_MISMATCH, second.key),
        (FindingKind.PAID_WHILE_SUSPENDED, None),
        (FindingKind.AUTHORISATION_EXPIRED, None),
    ]


def test_a_payment_of_an_unknown_person_has_only_line_findings() -> None:
    findings = judge_payment(made(LinePaid("id:L-9", "2026-12", 100)), None, None, {}, {})
    assert [f.kind for f in findings] == [FindingKind.UNKNOWN_LINE]


def test_a_lawful_payment_has_no_findings() -> None:
    listed = line()
    assert judge_payment(made(paid(listed)), person(), (), {listed.key: ListedLine.of(listed)}, {}) == []
