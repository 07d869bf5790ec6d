"""The payout rules: what may be paid now, to whom, and with what evidence.

Pure functions over domain values, so the store can re-check them inside the payment transaction, the UI can show the
reasons, and the server can judge uploaded payments with the same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from app.domain.errors import PaymentRefused
from app.domain.idcard import is_id_number
from app.domain.model import (
    Beneficiary,
    BeneficiaryStatus,
    EntitlementLine,
    Evidence,
    EvidenceKind,
    Hold,
    IdentityCheck,
    LineKind,
    PaymentMethod,
    PaymentRequest,
    Recipient,
    RecipientKind,
    Suspension,
)
from app.domain.period import display_period, period_of
from app.domain.text import fold


def _display_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- the sub-rules, shared by the desk (before paying) and the server (judging a payment already made) -------------
#
# Each takes an optional day. The desk asks about now (no day): the status on file decides, because a death or a
# suspension on file has begun. The server asks about the day the cash left, and judges by the recorded dates, so a
# payment made before a death notice or a suspension arrived is not held against the teller.


def dead_on(person: Beneficiary, day: dt.date | None = None) -> bool:
    """Whether ``person`` was dead on ``day`` (on or after the recorded date of death), or now when no day is given."""
    if person.status is not BeneficiaryStatus.DECEASED:
        return False
    if day is None:
        return True
    return person.date_of_death is not None and day >= person.date_of_death


def month_after_death(person: Beneficiary, kind: LineKind | None, period: str) -> bool:
    """A monthly line for a period after the month of death: never payable, to anyone (death-related lines are)."""
    death = person.date_of_death
    return (
        person.status is BeneficiaryStatus.DECEASED
        and death is not None
        and kind is LineKind.RECURRING
        and period > period_of(death)
    )


def status_history(person: Beneficiary) -> tuple[Suspension, ...]:
    """The suspension history a status implies where no dated history is kept: open since an unknown day, or none."""
    if person.status is BeneficiaryStatus.SUSPENDED:
        return (Suspension(person.status_reason),)
    return ()


def suspension_on(
    person: Beneficiary, day: dt.date | None = None, history: Iterable[Suspension] | None = None
) -> Suspension | None:
    """The suspension in force on ``day`` (the lasting one when no day is given), from ``history`` if kept."""
    for suspension in status_history(person) if history is None else history:
        if suspension.lasting if day is None else suspension.covers(day):
            return suspension
    return None


def history_after(history: tuple[Suspension, ...], person: Beneficiary, day: dt.date) -> tuple[Suspension, ...]:
    """A dated suspension history once ``person``'s status is recorded on ``day``.

    A suspension begins the day the status turns suspended and ends (``end``, the first day payable again) the day
    it stops; recording the same status again changes nothing.
    """
    lasting = history[-1] if history and history[-1].lasting else None
    suspended = person.status is BeneficiaryStatus.SUSPENDED
    if suspended and lasting is None:
        return (*history, Suspension(person.status_reason, start=day))
    if not suspended and lasting is not None:
        return (*history[:-1], replace(lasting, end=day))
    return history


def authorisation_expired(valid_until: dt.date | None, day: dt.date) -> bool:
    """A proxy's letter valid until a day before ``day`` no longer allows collecting on ``day``."""
    return valid_until is not None and valid_until < day


@dataclass(frozen=True, slots=True)
class Block:
    """Why a line cannot be paid now: a message code and its parameters."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def as_error(self) -> PaymentRefused:
        return PaymentRefused(self.code, **dict(self.params))


@dataclass(frozen=True, slots=True)
class LineState:
    """A line as the payout screen shows it: payable or blocked (with why), and who may collect it."""

    line: EntitlementLine
    block: Block | None = None
    representative_only: bool = False

    @property
    def payable(self) -> bool:
        return self.block is None


def assess_line(
    beneficiary: Beneficiary,
    line: EntitlementLine,
    session_period: str,
    paid_by: str | None = None,
    receipt: tuple[int, dt.date] | None = None,
) -> LineState:
    """Decide whether ``line`` is payable in a session of ``session_period``.

    ``paid_by`` is the entry id of the payment that settled the line (None when unpaid or reversed); ``receipt`` that
    payment's receipt number and payout day, which the refusal names ("biên nhận số 7 ngày 12/03/2026").
    """
    if paid_by:
        number, day = (str(receipt[0]), _display_date(receipt[1])) if receipt else (paid_by[:8], "?")
        return LineState(line, Block("already_paid", (("entry", paid_by[:8]), ("number", number), ("day", day))))
    if line.method is PaymentMethod.ACCOUNT:
        return LineState(line, Block("paid_to_account"))
    if line.amount <= 0:
        return LineState(line, Block("zero_amount"))
    if min(line.period, line.list_period) > session_period:
        # A line opens with its own month or the list that carried it, whichever is earlier: next month's list
        # arrives before this month is over (TT 44/2022: by the 25th), and a December line it carries over unpaid
        # stays payable to someone who comes on 27 December; January's own lines wait for January.
        return LineState(line, Block("period_not_open", (("list_period", line.list_period),)))
    suspension = suspension_on(beneficiary)
    if suspension is not None:
        return LineState(line, Block("suspended", (("reason", suspension.reason or "-"),)))
    death = beneficiary.date_of_death
    if dead_on(beneficiary) and death is not None and month_after_death(beneficiary, line.kind, line.period):
        return LineState(
            line,
            Block("deceased_after_death", (("death_date", _display_date(death)), ("period", line.period))),
        )
    if line.hold is not None:
        return LineState(line, held_block(line.hold))
    if dead_on(beneficiary):
        if beneficiary.representative is None:
            return LineState(line, Block("no_representative"))
        return LineState(line, None, representative_only=True)
    if line.kind is LineKind.DEATH_RELATED:
        return LineState(line, Block("death_line_but_alive"))
    return LineState(line)


def held_block(hold: Hold) -> Block:
    """A held line's block, with the two values in words: what the list says, what stands, since when, who."""
    return Block(f"held_{hold.subject.value}", (
        ("list_period", display_period(hold.list_period)), ("listed", hold.listed), ("standing", hold.standing),
        ("since", _display_date(hold.since)), ("by", hold.by),
    ))


def assess_lines(
    beneficiary: Beneficiary,
    lines: Iterable[EntitlementLine],
    session_period: str,
    paid: Mapping[str, str],
    receipts: Mapping[str, tuple[int, dt.date]] | None = None,
) -> tuple[LineState, ...]:
    """Every line of one person, in list order, with ``paid`` mapping line key → paying entry id and ``receipts``
    paying entry id → (receipt number, payout day)."""
    receipts = receipts or {}
    return tuple(assess_line(beneficiary, line, session_period, paid.get(line.key),
                             receipts.get(paid.get(line.key) or "")) for line in lines)


def default_selection(states: Iterable[LineState]) -> frozenset[str]:
    """All payable lines, pre-selected together so the person is paid everything in one visit."""
    return frozenset(state.line.key for state in states if state.payable)


def check_recipient(beneficiary: Beneficiary, recipient: Recipient, today: dt.date) -> None:
    """Refuse a recipient the rules do not allow (raises ``PaymentRefused``)."""
    deceased = dead_on(beneficiary)
    if recipient.kind is RecipientKind.REPRESENTATIVE:
        _check_representative(beneficiary, recipient)
        return
    if deceased:
        raise PaymentRefused("deceased_needs_representative")
    if recipient.kind is RecipientKind.PROXY:
        missing = [
            label
            for label, value in (
                ("họ tên", recipient.name.strip()),
                ("số CCCD", recipient.id_number.strip()),
                ("số giấy ủy quyền", recipient.authorisation_number.strip()),
                ("ngày hết hạn", recipient.authorisation_valid_until),
            )
            if not value
        ]
        if missing:
            raise PaymentRefused("proxy_missing_fields", fields=", ".join(missing))
        if not is_id_number(recipient.id_number):
            raise PaymentRefused("proxy_bad_id")
        until = recipient.authorisation_valid_until
        assert until is not None
        if authorisation_expired(until, today):
            raise PaymentRefused(
                "authorisation_expired", number=recipient.authorisation_number, valid_until=_display_date(until)
            )
        since = recipient.authorisation_valid_from
        if since is not None and since > today:
            raise PaymentRefused(
                "authorisation_not_yet_valid", number=recipient.authorisation_number, valid_from=_display_date(since)
            )


def _digits(text: str) -> str:
    """An ID number as typed ("022 175 000 127") reduced to its digits, for comparing numbers."""
    return "".join(text.split())


def _check_representative(beneficiary: Beneficiary, recipient: Recipient) -> None:
    """The family representative of a deceased person collects with a name and a 12-digit personal ID number (CCCD;
    VNeID shows the same number): it must match the number on file, or, when none is on file, the name on file.

    The number is required even when only the name is on file, so the minutes and the province know who took the
    cash; the commune officers' fraud the field knows ("collecting for the deceased") needs exactly that trail.
    """
    if not dead_on(beneficiary):
        raise PaymentRefused("representative_only_deceased")
    expected = beneficiary.representative
    if expected is None:
        raise PaymentRefused("no_representative")
    missing = [label for label, value in (("họ tên", recipient.name.strip()), ("số CCCD", recipient.id_number.strip()))
               if not value]
    if missing:
        raise PaymentRefused("representative_missing_fields", fields=", ".join(missing))
    if not is_id_number(recipient.id_number):
        raise PaymentRefused("representative_bad_id")
    if expected.id_number:
        matches = _digits(recipient.id_number) == _digits(expected.id_number)
    else:  # no number on file: the name must be the recorded one (accents and case aside)
        matches = fold(recipient.name) == fold(expected.name)
    if not matches:
        raise PaymentRefused("representative_mismatch", name=expected.name)


def check_evidence(evidence: Evidence, signature_is_blank: bool) -> None:
    """An on-screen signature must have ink; a thumbprint or paper mark needs a reason and a witness."""
    if evidence.kind is EvidenceKind.SIGNATURE:
        if not evidence.strokes or signature_is_blank:
            raise PaymentRefused("signature_missing")
        return
    if not evidence.reason.strip() or not evidence.witness.strip():
        raise PaymentRefused("evidence_needs_reason_witness")


def check_payment(
    request: PaymentRequest,
    beneficiary: Beneficiary,
    states: Iterable[LineState],
    today: dt.date,
    signature_is_blank: bool,
) -> tuple[EntitlementLine, ...]:
    """Check a whole payment request; return the lines to pay (in list order) or raise ``PaymentRefused``.

    Called by the store inside the payment's ``BEGIN IMMEDIATE`` transaction with states read in that transaction,
    so a double click or a death notice arriving mid-confirm cannot pay twice.
    """
    if not request.line_keys:
        raise PaymentRefused("no_lines_selected")
    if request.identity_check is None or not isinstance(request.identity_check, IdentityCheck):
        raise PaymentRefused("identity_check_missing")
    by_key = {state.line.key: state for state in states}
    wanted = set(request.line_keys)
    for key in request.line_keys:
        state = by_key.get(key)
        if state is None:
            raise PaymentRefused("line_not_found", line=key)
        if state.block is not None:
            raise state.block.as_error()
    if request.expected_amounts is not None:
        shown = dict(request.expected_amounts)
        for key in request.line_keys:
            line = by_key[key].line
            if shown.get(key) != line.amount:
                raise PaymentRefused("amount_changed", line=line.regime, shown=shown.get(key, "?"), now=line.amount)
    check_recipient(beneficiary, request.recipient, today)
    check_evidence(request.evidence, signature_is_blank)
    return tuple(state.line for state in by_key.values() if state.line.key in wanted)
