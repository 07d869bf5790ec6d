"""Behaviour tests for app.domain.rules: what may be paid now, to whom, and with what evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from app.domain.errors import PaymentRefused
from app.domain.model import (
    Beneficiary,
    BeneficiaryStatus,
    EntitlementLine,
    Evidence,
    EvidenceKind,
    IdentityCheck,
    LineKind,
    PaymentMethod,
    PaymentRequest,
    Recipient,
    RecipientKind,
    Representative,
    line_key,
)
from app.domain.rules import (
    LineState,
    assess_line,
    assess_lines,
    check_evidence,
    check_payment,
    check_recipient,
    default_selection,
)

SESSION = "2026-12"
TODAY = dt.date(2026, 12, 10)
REP_ID = "001089012345"
PROXY_ID = "079201000123"
PAYMENT_ID = "3f2a9c1e-0000-4000-8000-000000000001"

SIGNED = Evidence(EvidenceKind.SIGNATURE, strokes=b"\x01\x02\x03", png=b"png")


# --- builders ----------------------------------------------------------------------------------------------------


def person(**changes: Any) -> Beneficiary:
    base = Beneficiary(record_code="QNH-LS-0001", full_name="Nguyễn Văn Đức", commune_code="22015", category="LS")
    return replace(base, **changes)


def deceased(death: dt.date = dt.date(2026, 11, 15), representative: Representative | None = None) -> Beneficiary:
    rep = representative if representative is not None else Representative("Nguyễn Thị Hoa", REP_ID)
    return person(status=BeneficiaryStatus.DECEASED, date_of_death=death, representative=rep)


def line(
    regime: str = "monthly",
    *,
    period: str = SESSION,
    list_period: str | None = None,
    kind: LineKind = LineKind.RECURRING,
    amount: int = 2_789_000,
    method: PaymentMethod = PaymentMethod.CASH,
    line_id: str | None = None,
) -> EntitlementLine:
    return EntitlementLine(
        key=line_key(line_id, "QNH-LS-0001", period, "uu_dai", regime),
        record_code="QNH-LS-0001",
        period=period,
        list_period=list_period or period,
        programme="uu_dai",
        regime=regime,
        kind=kind,
        amount=amount,
        method=method,
        line_id=line_id,
    )


def proxy(**changes: Any) -> Recipient:
    base = Recipient(
        kind=RecipientKind.PROXY,
        name="Trần Văn Bình",
        id_number=PROXY_ID,
        authorisation_number="12/UQ-UBND",
        authorisation_valid_until=TODAY + dt.timedelta(days=30),
    )
    return replace(base, **changes)


def representative(id_number: str = REP_ID) -> Recipient:
    return Recipient(kind=RecipientKind.REPRESENTATIVE, name="Nguyễn Thị Hoa", id_number=id_number)


def request(
    *keys: str,
    recipient: Recipient | None = None,
    identity: IdentityCheck | None = IdentityCheck.QR_MATCHED,
    evidence: Evidence = SIGNED,
) -> PaymentRequest:
    return PaymentRequest(
        session_id="S-1",
        record_code="QNH-LS-0001",
        line_keys=tuple(keys),
        recipient=recipient or Recipient(),
        identity_check=identity,
        evidence=evidence,
        staff="teller1",
    )


def assert_renders(error: PaymentRefused) -> None:
    for lang in ("vi", "en"):
        text = error.message(lang)
        assert text
        assert "{" not in text and "}" not in text, text


def refused(call: Callable[..., object], *args: Any, **kwargs: Any) -> PaymentRefused:
    with pytest.raises(PaymentRefused) as info:
        call(*args, **kwargs)
    assert_renders(info.value)
    return info.value


def pay(
    who: Beneficiary,
    lines: list[EntitlementLine],
    req: PaymentRequest,
    *,
    paid: dict[str, str] | None = None,
    today: dt.date = TODAY,
    blank: bool = False,
) -> tuple[EntitlementLine, ...]:
    states = assess_lines(who, lines, SESSION, paid or {})
    return check_payment(req, who, states, today, blank)


def block_of(state: LineState) -> str | None:
    return state.block.code if state.block else None


# --- assessing lines -----------------------------------------------------------------------------------------------


def test_line_of_active_person_is_payable_by_anyone_allowed() -> None:
    state = assess_line(person(), line(), SESSION)
    assert state.payable
    assert state.block is None
    assert not state.representative_only


def test_default_selection_picks_every_payable_line_and_no_blocked_one() -> None:
    monthly = line("monthly")
    gift = line("gift", kind=LineKind.ONE_TIME, amount=500_000)
    to_account = line("supplement", method=PaymentMethod.ACCOUNT)
    already = line("carer")
    future = line("convalescence", period="2027-01", kind=LineKind.ONE_TIME)
    states = assess_lines(person(), [monthly, gift, to_account, already, future], SESSION, {already.key: PAYMENT_ID})
    assert [block_of(s) for s in states] == [None, None, "paid_to_account", "already_paid", "period_not_open"]
    assert default_selection(states) == frozenset({monthly.key, gift.key})


def test_default_selection_is_empty_when_nothing_is_payable() -> None:
    states = assess_lines(person(status=BeneficiaryStatus.SUSPENDED), [line(), line("gift")], SESSION, {})
    assert default_selection(states) == frozenset()


def test_assess_lines_keeps_list_order() -> None:
    lines = [line("gift", kind=LineKind.ONE_TIME), line("monthly"), line("carer")]
    states = assess_lines(person(), lines, SESSION, {})
    assert [s.line for s in states] == lines


def test_check_payment_pays_only_the_selected_lines_in_list_order() -> None:
    first, second, third = line("monthly"), line("supplement"), line("gift", kind=LineKind.ONE_TIME)
    paid = pay(person(), [first, second, third], request(third.key, first.key))
    assert paid == (first, third)


def test_check_payment_pays_all_lines_when_all_are_selected() -> None:
    lines = [line("monthly"), line("supplement"), line("carer")]
    assert pay(person(), lines, request(*(item.key for item in lines))) == tuple(lines)


def test_a_key_selected_twice_is_paid_once() -> None:
    monthly = line()
    assert pay(person(), [monthly], request(monthly.key, monthly.key)) == (monthly,)


def test_already_paid_line_is_blocked_with_the_paying_entry() -> None:
    monthly = line()
    state = assess_line(person(), monthly, SESSION, paid_by=PAYMENT_ID)
    assert not state.payable
    assert block_of(state) == "already_paid"
    assert dict(state.block.params)["entry"] == PAYMENT_ID[:8]  # type: ignore[union-attr]
    error = state.block.as_error()  # type: ignore[union-attr]
    assert PAYMENT_ID[:8] in error.message("vi")
    assert_renders(error)


def test_a_line_is_never_payable_twice() -> None:
    monthly, gift = line(), line("gift", kind=LineKind.ONE_TIME)
    who = person()
    first = pay(who, [monthly, gift], request(monthly.key))
    assert first == (monthly,)
    paid = {item.key: PAYMENT_ID for item in first}
    error = refused(pay, who, [monthly, gift], request(monthly.key), paid=paid)
    assert error.code == "already_paid"
    # the other line is still payable, the paid one is no longer selected by default
    states = assess_lines(who, [monthly, gift], SESSION, paid)
    assert default_selection(states) == frozenset({gift.key})


def test_a_reversed_payment_makes_the_line_payable_again() -> None:
    # the store passes paid_by=None for a reversed payment
    assert assess_line(person(), line(), SESSION, paid_by=None).payable


def test_a_line_paid_to_an_account_is_blocked() -> None:
    acct = line(method=PaymentMethod.ACCOUNT)
    state = assess_line(person(), acct, SESSION)
    assert block_of(state) == "paid_to_account"
    error = refused(pay, person(), [acct], request(acct.key))
    assert error.code == "paid_to_account"


@pytest.mark.parametrize("amount", [0, -1_000])
def test_a_zero_or_negative_line_is_blocked(amount: int) -> None:
    bad = line(amount=amount)
    assert block_of(assess_line(person(), bad, SESSION)) == "zero_amount"
    assert refused(pay, person(), [bad], request(bad.key)).code == "zero_amount"


def test_a_line_of_a_future_list_is_blocked() -> None:
    future = line(period="2027-01")
    state = assess_line(person(), future, SESSION)
    assert block_of(state) == "period_not_open"
    error = refused(pay, person(), [future], request(future.key))
    assert error.code == "period_not_open"
    assert "2027-01" in error.message("en")


def test_a_carried_over_line_keeps_its_period_and_is_payable() -> None:
    carried = line(period="2026-10", list_period="2026-11")
    assert assess_line(person(), carried, SESSION).payable
    carried_this_month = line(period="2026-09", list_period=SESSION)
    assert assess_line(person(), carried_this_month, SESSION).payable
    assert pay(person(), [carried, carried_this_month], request(carried.key, carried_this_month.key)) == (
        carried,
        carried_this_month,
    )


def test_a_line_carried_onto_next_months_list_stays_payable_until_that_month() -> None:
    """Next month's list arrives before this month is over and carries an unpaid line: whoever comes late in this
    month is still paid it; a line that is next month's own waits for next month."""
    carried_forward = line(period="2026-10", list_period="2027-01")
    assert assess_line(person(), carried_forward, SESSION).payable
    january_own = line("supplement", period="2027-01", list_period="2027-01")
    assert block_of(assess_line(person(), january_own, SESSION)) == "period_not_open"


# --- suspended ---------------------------------------------------------------------------------------------------


def test_suspended_person_has_nothing_payable_and_the_reason_is_carried() -> None:
    who = person(status=BeneficiaryStatus.SUSPENDED, status_reason="Chờ xác minh hồ sơ")
    lines = [line(), line("gift", kind=LineKind.ONE_TIME), line("arrears", period="2026-06", kind=LineKind.ARREARS)]
    states = assess_lines(who, lines, SESSION, {})
    assert all(block_of(s) == "suspended" for s in states)
    assert all(dict(s.block.params)["reason"] == "Chờ xác minh hồ sơ" for s in states)  # type: ignore[union-attr]
    assert default_selection(states) == frozenset()
    error = refused(pay, who, lines, request(lines[0].key))
    assert error.code == "suspended"
    assert "Chờ xác minh hồ sơ" in error.message("vi")
    assert "Chờ xác minh hồ sơ" in error.message("en")


def test_suspended_without_reason_still_renders() -> None:
    state = assess_line(person(status=BeneficiaryStatus.SUSPENDED), line(), SESSION)
    assert block_of(state) == "suspended"
    assert_renders(state.block.as_error())  # type: ignore[union-attr]


# --- deceased ----------------------------------------------------------------------------------------------------


def test_deceased_monthly_line_after_the_month_of_death_is_blocked() -> None:
    who = deceased(dt.date(2026, 11, 15))
    after = line(period="2026-12")
    state = assess_line(who, after, SESSION)
    assert block_of(state) == "deceased_after_death"
    params = dict(state.block.params)  # type: ignore[union-attr]
    assert params["death_date"] == "15/11/2026"
    assert params["period"] == "2026-12"
    error = refused(pay, who, [after], request(after.key, recipient=representative()))
    assert error.code == "deceased_after_death"
    assert "15/11/2026" in error.message("vi")


def test_deceased_monthly_line_for_the_month_of_death_is_payable_to_the_representative_only() -> None:
    who = deceased(dt.date(2026, 11, 30))
    month_of_death = line(period="2026-11", list_period=SESSION)
    state = assess_line(who, month_of_death, SESSION)
    assert state.payable
    assert state.representative_only
    assert pay(who, [month_of_death], request(month_of_death.key, recipient=representative())) == (month_of_death,)
    for recipient in (Recipient(), proxy()):
        error = refused(pay, who, [month_of_death], request(month_of_death.key, recipient=recipient))
        assert error.code == "deceased_needs_representative"


def test_deceased_monthly_line_before_the_month_of_death_is_payable() -> None:
    who = deceased(dt.date(2026, 11, 1))
    earlier = line(period="2026-10", list_period="2026-11")
    state = assess_line(who, earlier, SESSION)
    assert state.payable and state.representative_only


def test_death_of_a_december_person_blocks_january() -> None:
    who = deceased(dt.date(2026, 12, 31))
    assert assess_line(who, line(period="2026-12"), "2027-01").payable
    assert block_of(assess_line(who, line(period="2027-01"), "2027-01")) == "deceased_after_death"


@pytest.mark.parametrize("kind", [LineKind.ONE_TIME, LineKind.ARREARS, LineKind.DEATH_RELATED])
def test_non_monthly_lines_of_a_deceased_person_are_not_blocked_by_the_date(kind: LineKind) -> None:
    who = deceased(dt.date(2026, 10, 3))
    state = assess_line(who, line("x", kind=kind), SESSION)
    assert state.payable and state.representative_only


def test_death_related_line_goes_to_the_matching_representative() -> None:
    who = deceased()
    funeral = line("funeral", kind=LineKind.DEATH_RELATED, amount=5_578_000)
    state = assess_line(who, funeral, SESSION)
    assert state.payable and state.representative_only
    # spaces typed around the ID do not matter
    assert pay(who, [funeral], request(funeral.key, recipient=representative(f" {REP_ID} "))) == (funeral,)


def test_death_related_line_to_another_person_is_refused() -> None:
    who = deceased()
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    error = refused(pay, who, [funeral], request(funeral.key, recipient=representative("001089099999")))
    assert error.code == "representative_mismatch"
    assert "Nguyễn Thị Hoa" in error.message("vi")


def test_representative_without_id_is_refused_when_one_is_recorded() -> None:
    who = deceased()
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    error = refused(pay, who, [funeral], request(funeral.key, recipient=representative("")))
    assert error.code == "representative_missing_fields"  # the number is asked for, not called a mismatch
    assert "số CCCD" in error.message("vi")


@pytest.mark.parametrize("on_file", [REP_ID, None], ids=["number on file", "name only on file"])
@pytest.mark.parametrize("typed", ["", "  ", "02217500011", "0221750001111", "022175OOO111"])
def test_a_representative_always_gives_a_12_digit_id(on_file: str | None, typed: str) -> None:
    who = deceased(representative=Representative("Nguyễn Thị Hoa", on_file))
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    named = Recipient(kind=RecipientKind.REPRESENTATIVE, name="Nguyễn Thị Hoa", id_number=typed)
    error = refused(pay, who, [funeral], request(funeral.key, recipient=named))
    expected = "representative_missing_fields" if not typed.strip() else "representative_bad_id"
    assert error.code == expected
    assert "12" in error.message("vi") or "số CCCD" in error.message("vi")


def test_a_representative_needs_a_name_too() -> None:
    who = deceased()
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    nameless = Recipient(kind=RecipientKind.REPRESENTATIVE, name=" ", id_number=REP_ID)
    error = refused(pay, who, [funeral], request(funeral.key, recipient=nameless))
    assert error.code == "representative_missing_fields" and dict(error.params)["fields"] == "họ tên"


def test_the_representatives_id_matches_as_digits_whatever_the_spacing() -> None:
    who = deceased()
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    spaced = " ".join((REP_ID[:3], REP_ID[3:6], REP_ID[6:9], REP_ID[9:]))
    assert pay(who, [funeral], request(funeral.key, recipient=representative(spaced))) == (funeral,)


def test_representative_on_file_without_id_is_matched_by_name() -> None:
    who = deceased(representative=Representative("Nguyễn Thị Hoa", None))
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    named = Recipient(kind=RecipientKind.REPRESENTATIVE, name="nguyen thi hoa", id_number="022175000111")
    assert pay(who, [funeral], request(funeral.key, recipient=named)) == (funeral,)
    stranger = Recipient(kind=RecipientKind.REPRESENTATIVE, name="Trần Văn Lạ", id_number="022175000111")
    assert refused(pay, who, [funeral], request(funeral.key, recipient=stranger)).code == "representative_mismatch"


@pytest.mark.parametrize("recipient", [Recipient(), proxy()], ids=["self", "proxy"])
def test_death_related_line_to_self_or_proxy_is_refused(recipient: Recipient) -> None:
    who = deceased()
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    error = refused(pay, who, [funeral], request(funeral.key, recipient=recipient))
    assert error.code == "deceased_needs_representative"


def test_deceased_without_representative_has_nothing_payable() -> None:
    who = person(status=BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 11, 15))
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    month_of_death = line(period="2026-11", list_period=SESSION)
    states = assess_lines(who, [funeral, month_of_death], SESSION, {})
    assert [block_of(s) for s in states] == ["no_representative", "no_representative"]
    error = refused(pay, who, [funeral], request(funeral.key, recipient=representative()))
    assert error.code == "no_representative"


def test_check_recipient_refuses_a_representative_when_none_is_recorded() -> None:
    who = person(status=BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 11, 15))
    assert refused(check_recipient, who, representative(), TODAY).code == "no_representative"


def test_death_related_line_for_a_living_person_is_blocked() -> None:
    funeral = line("funeral", kind=LineKind.DEATH_RELATED)
    state = assess_line(person(), funeral, SESSION)
    assert block_of(state) == "death_line_but_alive"
    assert refused(pay, person(), [funeral], request(funeral.key)).code == "death_line_but_alive"


def test_a_representative_cannot_collect_for_a_living_person() -> None:
    monthly = line()
    error = refused(pay, person(), [monthly], request(monthly.key, recipient=representative()))
    assert error.code == "representative_only_deceased"


# --- proxy -------------------------------------------------------------------------------------------------------


def test_proxy_with_a_valid_authorisation_is_accepted() -> None:
    monthly = line()
    assert pay(person(), [monthly], request(monthly.key, recipient=proxy())) == (monthly,)


def test_proxy_id_with_spaces_is_accepted() -> None:
    check_recipient(person(), proxy(id_number="079 201 000 123"), TODAY)


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        ({"name": "  "}, "họ tên"),
        ({"id_number": ""}, "số CCCD"),
        ({"authorisation_number": " "}, "số giấy ủy quyền"),
        ({"authorisation_valid_until": None}, "ngày hết hạn"),
    ],
    ids=["name", "id", "number", "validity"],
)
def test_proxy_with_a_missing_field_is_refused(changes: dict[str, object], label: str) -> None:
    error = refused(check_recipient, person(), proxy(**changes), TODAY)
    assert error.code == "proxy_missing_fields"
    assert label in error.message("vi")


def test_proxy_missing_every_field_names_them_all() -> None:
    error = refused(check_recipient, person(), Recipient(kind=RecipientKind.PROXY), TODAY)
    assert error.code == "proxy_missing_fields"
    assert dict(error.params)["fields"] == "họ tên, số CCCD, số giấy ủy quyền, ngày hết hạn"


@pytest.mark.parametrize("bad_id", ["07920100012", "0792010001234", "07920100012A", "CMND123456"])
def test_proxy_with_a_non_12_digit_id_is_refused(bad_id: str) -> None:
    assert refused(check_recipient, person(), proxy(id_number=bad_id), TODAY).code == "proxy_bad_id"


def test_expired_authorisation_is_refused_with_its_date() -> None:
    expired = proxy(authorisation_valid_until=TODAY - dt.timedelta(days=1))
    monthly = line()
    error = refused(pay, person(), [monthly], request(monthly.key, recipient=expired))
    assert error.code == "authorisation_expired"
    assert "09/12/2026" in error.message("vi")
    assert "09/12/2026" in error.message("en")
    assert "12/UQ-UBND" in error.message("vi")


def test_authorisation_valid_through_today_is_accepted() -> None:
    check_recipient(person(), proxy(authorisation_valid_until=TODAY), TODAY)


def test_authorisation_not_yet_valid_is_refused() -> None:
    early = proxy(authorisation_valid_from=TODAY + dt.timedelta(days=1))
    error = refused(check_recipient, person(), early, TODAY)
    assert error.code == "authorisation_not_yet_valid"
    assert "11/12/2026" in error.message("vi")


def test_authorisation_valid_from_today_is_accepted() -> None:
    check_recipient(person(), proxy(authorisation_valid_from=TODAY), TODAY)


def test_self_needs_no_authorisation() -> None:
    check_recipient(person(), Recipient(), TODAY)


# --- identity and evidence ---------------------------------------------------------------------------------------


def test_missing_identity_check_is_refused() -> None:
    monthly = line()
    error = refused(pay, person(), [monthly], request(monthly.key, identity=None))
    assert error.code == "identity_check_missing"


def test_an_identity_check_that_is_not_one_of_the_known_ways_is_refused() -> None:
    monthly = line()
    error = refused(pay, person(), [monthly], request(monthly.key, identity="looked at him"))  # type: ignore[arg-type]
    assert error.code == "identity_check_missing"


@pytest.mark.parametrize("identity", list(IdentityCheck))
def test_every_identity_check_is_accepted(identity: IdentityCheck) -> None:
    monthly = line()
    assert pay(person(), [monthly], request(monthly.key, identity=identity)) == (monthly,)


def test_signature_with_no_strokes_is_refused() -> None:
    monthly = line()
    error = refused(pay, person(), [monthly], request(monthly.key, evidence=Evidence(EvidenceKind.SIGNATURE)))
    assert error.code == "signature_missing"


def test_signature_with_blank_strokes_is_refused() -> None:
    monthly = line()
    error = refused(pay, person(), [monthly], request(monthly.key), blank=True)
    assert error.code == "signature_missing"


def test_signature_with_ink_is_accepted() -> None:
    check_evidence(SIGNED, signature_is_blank=False)


@pytest.mark.parametrize("kind", [EvidenceKind.THUMBPRINT, EvidenceKind.PAPER])
@pytest.mark.parametrize(
    ("reason", "witness"),
    [("", "Cán bộ xã Lê Văn An"), ("Không ký được", ""), ("  ", "  "), ("", "")],
    ids=["no-reason", "no-witness", "blank-both", "empty-both"],
)
def test_thumbprint_or_paper_without_reason_or_witness_is_refused(kind: EvidenceKind, reason: str,
                                                                 witness: str) -> None:
    error = refused(check_evidence, Evidence(kind, reason=reason, witness=witness), False)
    assert error.code == "evidence_needs_reason_witness"


@pytest.mark.parametrize("kind", [EvidenceKind.THUMBPRINT, EvidenceKind.PAPER])
def test_thumbprint_or_paper_with_reason_and_witness_is_accepted(kind: EvidenceKind) -> None:
    monthly = line()
    evidence = Evidence(kind, reason="Tay run, không ký được", witness="Cán bộ xã Lê Văn An")
    # the blank-signature flag is about on-screen strokes only
    assert pay(person(), [monthly], request(monthly.key, evidence=evidence), blank=True) == (monthly,)


# --- request shape -----------------------------------------------------------------------------------------------


def test_no_lines_selected_is_refused() -> None:
    assert refused(pay, person(), [line()], request()).code == "no_lines_selected"


def test_an_unknown_line_key_is_refused_and_named() -> None:
    monthly = line()
    error = refused(pay, person(), [monthly], request(monthly.key, "QNH-LS-0001|2026-12|uu_dai|nope"))
    assert error.code == "line_not_found"
    assert "QNH-LS-0001|2026-12|uu_dai|nope" in error.message("vi")


def test_a_line_id_key_is_used_when_the_list_has_one() -> None:
    with_id = line(line_id="L-0042")
    assert with_id.key == "id:L-0042"
    assert pay(person(), [with_id], request("id:L-0042")) == (with_id,)


def test_one_blocked_line_refuses_the_whole_payment() -> None:
    monthly, acct = line(), line("supplement", method=PaymentMethod.ACCOUNT)
    error = refused(pay, person(), [monthly, acct], request(monthly.key, acct.key))
    assert error.code == "paid_to_account"


def test_check_payment_accepts_states_as_a_one_shot_iterator() -> None:
    lines = [line("monthly"), line("supplement")]
    states = iter(assess_lines(person(), lines, SESSION, {}))
    req = request(lines[1].key)
    assert check_payment(req, person(), states, TODAY, False) == (lines[1],)
