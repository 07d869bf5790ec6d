"""Amendments as facts: what stands after them, what a later list may change (make safer) and may not (contradict),
how a contradiction reads in words, and what an officer's decision changes — the rules the server's import and the
desk's share."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from app.domain.amendments import (
    Amendment,
    Choice,
    FactKind,
    FactSource,
    Standing,
    Subject,
    accepting,
    after_decision,
    apply_standing,
    compare,
    describe,
    facts_from_list,
    reconcile,
    same_representative,
    standing_of,
)
from app.domain.model import (
    Beneficiary,
    BeneficiaryStatus,
    EntitlementLine,
    HoldSubject,
    LineKind,
    Representative,
    line_key,
)
from app.domain.rules import Block, assess_line

CODE = "QNH/AQ-00001-TCM"
AT = dt.datetime(2026, 12, 1, 2, 15, tzinfo=dt.UTC)  # 09:15 on 01/12 in Vietnam
LATER = AT + dt.timedelta(days=40)
HOA = Representative("Nguyễn Thị Hoa", "022180000999")


def fact(kind: FactKind, at: dt.datetime = AT, fact_id: int = 1, reason: str = "Giấy báo tử",
         **values: Any) -> Amendment:
    return Amendment(CODE, kind, at, "tinh", FactSource.CONSOLE, reason, fact_id=fact_id, **values)


def person(status: BeneficiaryStatus = BeneficiaryStatus.ACTIVE, **values: Any) -> Beneficiary:
    return Beneficiary(CODE, "Nguyễn Văn Đức", "QNH-0001", "AQ", status=status, **values)


def block_of(beneficiary: Beneficiary, entitlement: EntitlementLine, period: str) -> Block:
    """What stops the line being paid (each test below expects something to)."""
    block = assess_line(beneficiary, entitlement, period).block
    assert block is not None
    return block


def line(regime: str = "monthly", amount: int = 4_389_000, kind: LineKind = LineKind.RECURRING,
         period: str = "2027-01") -> EntitlementLine:
    return EntitlementLine(line_key(None, CODE, period, "uu_dai", regime), CODE, period, period, "uu_dai", regime,
                           kind, amount)


DIED = fact(FactKind.DEATH, date_of_death=dt.date(2026, 11, 29), representative=HOA)


def test_the_standing_value_is_the_facts_folded_in_order() -> None:
    assert not standing_of(CODE, []).anything
    standing = standing_of(CODE, [fact(FactKind.SUSPENSION, fact_id=1), fact(FactKind.RESUMPTION, fact_id=2), DIED])
    assert standing.suspension is None and standing.death is DIED and standing.representative is DIED
    cancelled = standing_of(CODE, [DIED, fact(FactKind.DEATH_CANCELLED, fact_id=3)])
    assert cancelled.death is None and cancelled.representative is DIED  # the representative was recorded too
    amount = fact(FactKind.AMOUNT, line_key=line().key, amount=4_500_000)
    assert standing_of(CODE, [amount]).amounts == {line().key: amount}
    added = fact(FactKind.NEW_LINE, line=line("arrears", 1_200_000, LineKind.ARREARS))
    withdrawn = fact(FactKind.LINE_WITHDRAWN, line_key=line("arrears").key)
    assert standing_of(CODE, [added, withdrawn]).new_lines == {}


def test_a_list_that_lists_a_dead_person_as_receiving_contradicts_and_the_death_stands() -> None:
    standing = standing_of(CODE, [DIED])
    listed = person()
    found = compare(standing, listed, [line()], list_period="2027-01", source="ds-01.xlsx")
    assert [(c.subject, c.listed, c.standing) for c in found] == [(Subject.DEATH, "active", "deceased")]
    kept, lines = apply_standing(standing, listed, [line()], found)
    assert (kept.status, kept.date_of_death, kept.representative) == (
        BeneficiaryStatus.DECEASED, dt.date(2026, 11, 29), HOA)
    assert block_of(kept, lines[0], "2027-01").code == "deceased_after_death"


def test_a_list_may_add_a_death_or_a_suspension_never_lift_a_suspension() -> None:
    nothing = Standing(CODE)
    dead = person(BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 12, 20))
    assert compare(nothing, dead, [line()], list_period="2027-01", source="x") == ()
    [added] = facts_from_list(nothing, dead, at=LATER, source="ds-01.xlsx", list_period="2027-01")
    assert (added.kind, added.date_of_death, added.source) == (FactKind.DEATH, dt.date(2026, 12, 20), FactSource.LIST)
    suspended = standing_of(CODE, [fact(FactKind.SUSPENSION, reason="Vắng mặt")])
    found = compare(suspended, person(), [], list_period="2027-01", source="x")
    assert [c.subject for c in found] == [Subject.SUSPENSION]
    kept, _ = apply_standing(suspended, person(), [], found)
    assert kept.status is BeneficiaryStatus.SUSPENDED and kept.status_reason == "Vắng mặt"


def test_another_date_of_death_and_a_dropped_or_changed_representative_are_contradictions() -> None:
    standing = standing_of(CODE, [DIED])
    funeral = line("funeral", 18_720_000, LineKind.DEATH_RELATED)
    other = person(BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 11, 15),
                   representative=Representative("Nguyễn Văn Lâm", "022170000123"))
    found = compare(standing, other, [funeral], list_period="2027-01", source="x")
    assert [c.subject for c in found] == [Subject.DEATH_DATE, Subject.REPRESENTATIVE]
    kept, (held,) = apply_standing(standing, other, [funeral], found)
    assert kept.date_of_death == dt.date(2026, 11, 29) and kept.representative == HOA
    assert held.hold is not None and held.hold.subject is HoldSubject.REPRESENTATIVE
    assert held.hold.standing == "Nguyễn Thị Hoa (CCCD 022180000999)" and held.hold.by == "tinh"
    assert held.hold.since == dt.date(2026, 12, 1)  # the province's day it was recorded
    block = block_of(kept, held, "2027-01")
    assert block.code == "held_representative"
    assert "Nguyễn Văn Lâm" in block.as_error().message("vi")
    dropped = dataclasses.replace(other, date_of_death=dt.date(2026, 11, 29), representative=None)
    assert [c.subject for c in compare(standing, dropped, [], list_period="2027-01", source="x")] == [
        Subject.REPRESENTATIVE]
    same = dataclasses.replace(dropped, representative=Representative("nguyen thi hoa", None))
    assert compare(standing, same, [], list_period="2027-01", source="x") == ()  # no ID on the list: the name
    assert same_representative(HOA, Representative("NGUYỄN THỊ HOA", "022 180 000 999"))


def test_an_amount_the_list_contradicts_is_held_at_the_standing_amount() -> None:
    amended = fact(FactKind.AMOUNT, line_key=line().key, amount=4_500_000)
    standing = standing_of(CODE, [amended])
    found = compare(standing, person(), [line()], list_period="2027-01", source="x")
    assert [(c.subject, c.line_key, c.listed, c.standing) for c in found] == [
        (Subject.AMOUNT, line().key, 4_389_000, 4_500_000)]
    _, (held,) = apply_standing(standing, person(), [line()], found)
    assert held.amount == 4_500_000 and held.hold is not None
    assert held.hold.listed == "4.389.000 ₫" and held.hold.standing == "4.500.000 ₫"
    assert block_of(person(), held, "2027-01").code == "held_amount"
    agreeing = compare(standing, person(), [dataclasses.replace(line(), amount=4_500_000)], list_period="2027-01",
                       source="x")
    assert agreeing == ()


def test_a_corrected_list_that_drops_a_line_an_amendment_added_keeps_it_held() -> None:
    arrears = line("arrears", 1_200_000, LineKind.ARREARS)
    standing = standing_of(CODE, [fact(FactKind.NEW_LINE, line=arrears)])
    result = reconcile([person()], [line()], {CODE: standing}, list_period="2027-01", source="x", at=LATER,
                       dropping={CODE: [arrears.key]})
    assert [(c.subject, c.line_key) for c in result.contradictions] == [(Subject.LINE_DROPPED, arrears.key)]
    kept = {item.key: item for item in result.lines}
    hold = kept[arrears.key].hold
    assert hold is not None and hold.subject is HoldSubject.LINE_DROPPED and kept[line().key].hold is None


def test_reconcile_holds_a_whole_list_records_what_it_adds_and_skips_what_an_officer_kept() -> None:
    other = dataclasses.replace(person(), record_code="QNH/LS-00002-TCM", full_name="Đặng Thị Huệ")
    dead_other = dataclasses.replace(other, status=BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 12, 30))
    result = reconcile([person(), dead_other], [line()], {CODE: standing_of(CODE, [DIED])}, list_period="2027-01",
                       source="ds-01.xlsx", at=LATER)
    assert [c.record_code for c in result.contradictions] == [CODE]
    assert [f.record_code for f in result.facts] == [other.record_code]
    assert result.people[0].status is BeneficiaryStatus.DECEASED
    again = reconcile([person()], [line()], {CODE: standing_of(CODE, [DIED])}, list_period="2027-01",
                      source="ds-01.xlsx", at=LATER, kept=lambda c: c.subject is Subject.DEATH)
    assert again.contradictions == () and again.people[0].status is BeneficiaryStatus.DECEASED


def test_an_officers_choice_keep_releases_the_lines_accept_takes_the_lists_value_as_a_new_fact() -> None:
    amended = fact(FactKind.AMOUNT, line_key=line().key, amount=4_500_000)
    standing = standing_of(CODE, [amended])
    [found] = compare(standing, person(), [line()], list_period="2027-01", source="x")
    _, lines = apply_standing(standing, person(), [line()], [found])
    _, kept, withdrawn = after_decision(found, Choice.KEEP, person(), lines)
    assert (kept[0].amount, kept[0].hold, withdrawn) == (4_500_000, None, ())
    _, accepted, _ = after_decision(found, Choice.ACCEPT, person(), lines)
    assert (accepted[0].amount, accepted[0].hold) == (4_389_000, None)
    new = accepting(found, at=LATER, by="tinh2", reason="Danh sách đúng")
    assert (new.kind, new.amount, new.source, new.recorded_by) == (FactKind.AMOUNT, 4_389_000, FactSource.DECISION,
                                                                     "tinh2")
    [death] = compare(standing_of(CODE, [DIED]), person(), [], list_period="2027-01", source="x")
    alive, _, _ = after_decision(death, Choice.ACCEPT, person(BeneficiaryStatus.DECEASED), [])
    assert alive.status is BeneficiaryStatus.ACTIVE and accepting(death, at=LATER, by="t", reason="r").kind is \
        FactKind.DEATH_CANCELLED


@pytest.mark.parametrize(("lang", "words"), [
    ("vi", ["Nguyễn Văn Đức (QNH/AQ-00001-TCM): danh sách kỳ 01/2027 ghi tình trạng «Đang hưởng», nhưng đang giữ "
            "«Đã mất»: đã mất ngày 29/11/2026, người đại diện Nguyễn Thị Hoa (CCCD 022180000999) (ghi nhận "
            "01/12/2026 09:15 bởi tinh, trên trang quản lý; lý do: Giấy báo tử)"]),
    ("en", ["Nguyễn Văn Đức (QNH/AQ-00001-TCM): the 01/2027 list gives status “receiving”, but “deceased” stands: "
            "died on 29/11/2026", "recorded 01/12/2026 09:15 by tinh, in the console; reason: Giấy báo tử"]),
])
def test_a_contradiction_names_the_person_what_the_list_says_what_stands_since_when_and_who(
        lang: str, words: list[str]) -> None:
    [found] = compare(standing_of(CODE, [DIED]), person(), [], list_period="2027-01", source="x")
    said = describe(found, lang)
    for part in words:
        assert part in said


def test_a_line_held_for_two_reasons_stays_held_until_both_are_decided() -> None:
    """The funeral allowance held for its amount and for the representative: keeping the amount leaves it held for
    the representative, and only deciding that too releases it."""
    funeral = line("funeral", 18_720_000, LineKind.DEATH_RELATED)
    standing = standing_of(CODE, [DIED, fact(FactKind.AMOUNT, fact_id=2, line_key=funeral.key, amount=20_000_000)])
    listed = person(BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 11, 29),
                    representative=Representative("Nguyễn Văn Lâm", "022170000123"))
    found = [dataclasses.replace(c, contradiction_id=number) for number, c in
             enumerate(compare(standing, listed, [funeral], list_period="2027-01", source="x"), start=1)]
    amount, rep = (next(c for c in found if c.subject is subject) for subject in (Subject.AMOUNT,
                                                                                  Subject.REPRESENTATIVE))
    _, (held,) = apply_standing(standing, listed, [funeral], found)
    assert held.hold is not None and held.hold.subject is HoldSubject.AMOUNT
    _, (still,), _ = after_decision(amount, Choice.KEEP, listed, [held], found)
    assert still.amount == 20_000_000 and still.hold is not None
    assert still.hold.subject is HoldSubject.REPRESENTATIVE
    block = assess_line(listed, still, "2027-01").block
    assert block is not None and block.code == "held_representative"
    _, (free,), _ = after_decision(rep, Choice.KEEP, listed, [still], [rep])
    assert free.hold is None


def test_accepting_a_lists_date_of_death_keeps_the_representative_recorded_since() -> None:
    hai = Representative("Nguyễn Văn Hải", "022160000555")
    later_rep = fact(FactKind.REPRESENTATIVE, at=LATER, fact_id=2, representative=hai)
    standing = standing_of(CODE, [DIED, later_rep])
    listed = person(BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 11, 25), representative=hai)
    [found] = compare(standing, listed, [], list_period="2027-01", source="x")
    assert found.subject is Subject.DEATH_DATE
    new = accepting(found, at=LATER + dt.timedelta(days=1), by="tinh", reason="Giấy báo tử")
    after = standing_of(CODE, [DIED, later_rep, dataclasses.replace(new, fact_id=3)])
    assert after.death is not None and after.death.date_of_death == dt.date(2026, 11, 25)
    assert after.representative is not None and after.representative.representative == hai


def test_a_line_in_a_contradiction_is_named_by_its_regime_and_period_never_its_key() -> None:
    from app.lists.policy import load_policy

    amended = fact(FactKind.AMOUNT, line_key=line().key, amount=4_500_000)
    [found] = compare(standing_of(CODE, [amended]), person(), [line()], list_period="2027-01", source="x")
    for lang, name in (("vi", "Trợ cấp hằng tháng kỳ 01/2027"), ("en", "Monthly allowance for 01/2027")):
        words = describe(found, lang, policy=load_policy())
        assert name in words and line().key not in words and "monthly" not in words.replace("Monthly", "")
    arrears = line("arrears", 1_200_000, LineKind.ARREARS)
    result = reconcile([], [], {CODE: standing_of(CODE, [fact(FactKind.NEW_LINE, line=arrears)])},
                       list_period="2027-01", source="x", at=LATER, dropping={CODE: [arrears.key]},
                       names={CODE: "Nguyễn Văn Đức"})
    [dropped] = result.contradictions
    words = describe(dropped, policy=load_policy())
    assert words.startswith("Nguyễn Văn Đức (QNH/AQ-00001-TCM): ") and "«Truy lĩnh kỳ 01/2027»" in words
