"""Judging a payment already made: what a province officer should look at again.

The desk refuses a payment the rules do not allow (``rules.py``). A payment that reaches the province has already been
made — the cash has left — so it is never refused there: each way it breaks a rule becomes a finding, stored with the
payment for a person to review. The findings come from the same sub-rules the desk applies (``dead_on``,
``month_after_death``, ``suspension_on``, ``authorisation_expired``), asked about the day the cash left instead of
about now, so the two ends cannot drift apart. Pure functions over domain values: the server decodes what it stored
and what the device sent, and turns findings into flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.amendments import same_representative
from app.domain.model import Beneficiary, EntitlementLine, LineKind, RecipientKind, Representative, Suspension
from app.domain.rules import authorisation_expired, dead_on, month_after_death, suspension_on


class FindingKind(StrEnum):
    """What the rules find wrong with a payment made (the same words as the server's flags)."""

    OTHER_COMMUNE = "other_commune"  # the person belongs to another commune than the session's
    DOUBLE_PAYMENT = "double_payment"  # the line was already paid by a payment that stands
    UNKNOWN_LINE = "unknown_line"  # no such line on the list, or withdrawn from it
    AMOUNT_MISMATCH = "amount_mismatch"  # paid another amount than the list's
    PAID_AFTER_DEATH = "paid_after_death"  # a month after the month of death, or to the person once dead
    PAID_WHILE_SUSPENDED = "paid_while_suspended"  # on a day the person's payments were suspended
    AUTHORISATION_EXPIRED = "authorisation_expired"  # to a proxy whose letter had expired that day


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong with a payment: its kind, the facts behind it (JSON-ready), the line and payment concerned."""

    kind: FindingKind
    detail: Mapping[str, Any]
    line_key: str | None = None
    other_entry_id: str | None = None  # the earlier payment of a double payment


@dataclass(frozen=True, slots=True)
class LinePaid:
    """One line of a payment made, as the device recorded it."""

    key: str
    period: str
    amount: int


@dataclass(frozen=True, slots=True)
class PaymentMade:
    """What a payment entry says happened, as far as the rules are concerned."""

    record_code: str
    paid_on: dt.date  # the day the cash left (a paper payment's own date, else its session's day)
    lines: tuple[LinePaid, ...]
    recipient: RecipientKind | None  # None for a kind this version does not know (judged as paid to the person)
    authorisation_number: str | None = None
    authorisation_valid_until: dt.date | None = None
    session_commune: str | None = None
    recipient_name: str = ""  # who collected, when not the person (a proxy or a representative)
    recipient_id_number: str = ""


@dataclass(frozen=True, slots=True)
class ListedLine:
    """A line as the province lists it now, as far as judging a payment needs: what it is for and its amount;
    ``withdrawn`` when a corrected list dropped it (no longer payable, but it still says what it was for)."""

    key: str
    kind: LineKind
    amount: int
    withdrawn: bool = False

    @classmethod
    def of(cls, line: EntitlementLine, withdrawn: bool = False) -> ListedLine:
        return cls(line.key, line.kind, line.amount, withdrawn)


@dataclass(frozen=True, slots=True)
class EarlierPayment:
    """A payment that stands (not reversed) and already paid a line."""

    entry_id: str
    device_id: str


def judge_commune(person: Beneficiary | None, session_commune: str | None) -> Finding | None:
    """A person paid in a session of another commune than theirs."""
    if person is None or session_commune is None or person.commune_code == session_commune:
        return None
    return Finding(
        FindingKind.OTHER_COMMUNE, {"session_commune": session_commune, "person_commune": person.commune_code}
    )


def judge_line(
    person: Beneficiary | None,
    paid: LinePaid,
    listed: ListedLine | None,
    *,
    paid_on: dt.date,
    recipient: RecipientKind | None,
    earlier: Iterable[EarlierPayment] = (),
    collector: Representative | None = None,
) -> list[Finding]:
    """Everything wrong with one line of a payment made: paid before, not listed or another amount, after death.

    After a death (``paid_after_death``): a monthly line for a period after the month of death, to anyone; any line
    to the person or a proxy on or after the date of death (an authorisation ends at death); a death-related line to
    anyone but the recorded representative (``collector``: who collected as representative, when known).
    """
    key = paid.key
    findings = [
        Finding(FindingKind.DOUBLE_PAYMENT, {"line": key, "other_device": other.device_id}, key, other.entry_id)
        for other in earlier
    ]
    if listed is None or listed.withdrawn:
        findings.append(Finding(FindingKind.UNKNOWN_LINE, {"line": key}, key))
    elif listed.amount != paid.amount:
        findings.append(
            Finding(FindingKind.AMOUNT_MISMATCH, {"line": key, "paid": paid.amount, "listed": listed.amount}, key)
        )
    if person is not None and person.date_of_death is not None:
        kind = listed.kind if listed is not None else None  # a withdrawn line still says what it was for
        to_the_person = recipient is not RecipientKind.REPRESENTATIVE
        detail: dict[str, Any] = {"line": key, "date_of_death": person.date_of_death.isoformat()}
        if month_after_death(person, kind, paid.period) or (to_the_person and dead_on(person, paid_on)):
            findings.append(Finding(FindingKind.PAID_AFTER_DEATH, detail, key))
        elif kind is LineKind.DEATH_RELATED and dead_on(person) and not _to_representative(person, recipient,
                                                                                          collector):
            detail.update(reason="not_representative", recipient=collector.name if collector else "")
            findings.append(Finding(FindingKind.PAID_AFTER_DEATH, detail, key))
    return findings


def _to_representative(person: Beneficiary, recipient: RecipientKind | None, collector: Representative | None) -> bool:
    """Whether a line went to the person's recorded representative (who collected unknown: taken as them)."""
    if recipient is not RecipientKind.REPRESENTATIVE:
        return False
    if person.representative is None:
        return False
    return collector is None or same_representative(collector, person.representative)


def judge_suspension(
    person: Beneficiary | None, history: Iterable[Suspension] | None, paid_on: dt.date
) -> Finding | None:
    """A payment on a day the person's payments were suspended (``history`` None: judged by the status)."""
    if person is None:
        return None
    suspension = suspension_on(person, paid_on, history)
    if suspension is None:
        return None
    detail: dict[str, Any] = {"reason": suspension.reason}
    if suspension.start is not None:  # a dated suspension says when it ran
        detail["from"] = suspension.start.isoformat()
        detail["to"] = suspension.end.isoformat() if suspension.end else None
    return Finding(FindingKind.PAID_WHILE_SUSPENDED, detail)


def judge_authorisation(made: PaymentMade) -> Finding | None:
    """A proxy who collected with a letter that had expired by the day of the payment."""
    if made.recipient is not RecipientKind.PROXY or not authorisation_expired(
        made.authorisation_valid_until, made.paid_on
    ):
        return None
    until = made.authorisation_valid_until
    assert until is not None
    return Finding(
        FindingKind.AUTHORISATION_EXPIRED, {"number": made.authorisation_number, "valid_until": until.isoformat()}
    )


def judge_payment(
    made: PaymentMade,
    person: Beneficiary | None,
    history: Iterable[Suspension] | None,
    listed: Mapping[str, ListedLine],
    earlier: Mapping[str, Iterable[EarlierPayment]],
) -> list[Finding]:
    """Every finding about one payment made, in a fixed order: commune, each line in turn, suspension, proxy.

    ``person`` is None when the province does not know the record code (its lines are then unknown too);
    ``listed`` maps line key → the line as listed now; ``earlier`` maps line key → payments that stand and paid it.
    """
    findings: list[Finding] = []
    commune = judge_commune(person, made.session_commune)
    if commune is not None:
        findings.append(commune)
    collector = (Representative(made.recipient_name, made.recipient_id_number or None)
                 if made.recipient is RecipientKind.REPRESENTATIVE and made.recipient_name else None)
    for paid in made.lines:
        findings.extend(
            judge_line(
                person, paid, listed.get(paid.key), paid_on=made.paid_on, recipient=made.recipient,
                earlier=earlier.get(paid.key, ()), collector=collector,
            )
        )
    for finding in (judge_suspension(person, history, made.paid_on), judge_authorisation(made)):
        if finding is not None:
            findings.append(finding)
    return findings

