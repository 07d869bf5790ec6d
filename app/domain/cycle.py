"""The words of the monthly cycle, each with one meaning, in code (``docs/CYCLE.md`` says them for people).

- **list** — one agency's payout list for one period (``ParsedList``): the lines of a commune or a province.
- **line** — one entitlement of one person on a list (``EntitlementLine``), with its stable key (DESIGN §3 rule 0).
- **turn** — (person, agency, period, kind: monthly or one-time) — the pilot's *lượt*: a person paid in a month for
  a kind of payment; a turn is paid once a line of it is settled. The period is the one the list states for the
  line (its "Kỳ"), which a carried-over line keeps: two months paid together near Tết are two turns. The agency comes
  from the line's programme (policy data: ``uu_dai`` → Sở Nội vụ, ``luong_huu`` → BHXH) until lists carry their own
  source agency.
- **settled** — a line paid by a payment that stands (not reversed, its amounts counted).
- **carried over** — a line of a month's list unpaid when that month's payouts end and still payable later: not
  settled in that month or before, not withdrawn, not barred for good (a monthly line for a period after the month
  of death). A suspension or a hold is not for good: such a line is carried over.
- **withdrawn** — an unpaid line of a period that a corrected list for the same period no longer has.
- **amendment**, **contradiction** — ``app.domain.amendments``.

Pure functions over domain values; the server's SQL counts the same things (``server/progress.py``,
``server/settlement.py``), and the tests compare the two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.model import Beneficiary, EntitlementLine, LineKind, PaymentMethod
from app.domain.rules import month_after_death


class TurnKind(StrEnum):
    MONTHLY = "monthly"
    ONE_TIME = "one_time"


def turn_kind(kind: LineKind) -> TurnKind:
    """A monthly line (allowance, supplement, carer) makes a monthly turn; everything else a one-time turn."""
    return TurnKind.MONTHLY if kind is LineKind.RECURRING else TurnKind.ONE_TIME


@dataclass(frozen=True, slots=True, order=True)
class Turn:
    """A person paid (or to be paid) by one agency for one period and kind (see the module docstring)."""

    record_code: str
    agency: str
    period: str
    kind: TurnKind


AgencyOf = Callable[[str], str]
"""Programme code → agency code (``PolicyReference.agency_of``)."""


def turn_of(line: EntitlementLine, agency_of: AgencyOf) -> Turn:
    return Turn(line.record_code, agency_of(line.programme), line.period, turn_kind(line.kind))


def turns_of(lines: Iterable[EntitlementLine], agency_of: AgencyOf) -> frozenset[Turn]:
    """The turns a set of lines makes (several lines of one person, agency, period and kind are one turn)."""
    return frozenset(turn_of(line, agency_of) for line in lines)


def settled_turns(lines: Iterable[EntitlementLine], settled: Iterable[str], agency_of: AgencyOf) -> frozenset[Turn]:
    """The turns paid: those with a line settled (``settled``: the keys of the settled lines) — a person paid for
    that agency, period and kind, as the pilot counted them (the desk pays a person's lines together)."""
    paid = set(settled)
    return turns_of((line for line in lines if line.key in paid), agency_of)


def barred_for_good(person: Beneficiary | None, line: EntitlementLine) -> bool:
    """A line no later month can pay: a monthly line for a period after the month of a standing death."""
    return person is not None and month_after_death(person, line.kind, line.period)


def carried_over(line: EntitlementLine, month: str, settled_in: str | None, person: Beneficiary | None,
                 withdrawn: bool = False) -> bool:
    """Whether a cash line of ``month``'s list is carried over: unpaid when the month's payouts end (``settled_in``,
    the payout month of the payment that settled it, is None or later), not withdrawn, and not barred for good."""
    if withdrawn or line.method is not PaymentMethod.CASH:
        return False
    if settled_in is not None and settled_in <= month:
        return False
    return not barred_for_good(person, line)


def withdrawn_keys(stored: Iterable[tuple[str, str, bool]], payout_period: str, listed: Iterable[str]) -> list[str]:
    """The lines a corrected list of ``payout_period`` withdraws: ``stored`` gives (key, list period, settled) of the
    lines it covers; the unpaid ones of that period it no longer lists are withdrawn (a paid line never is)."""
    keep = set(listed)
    return [key for key, list_period, settled in stored
            if list_period == payout_period and not settled and key not in keep]


def agencies_of(programmes: Mapping[str, str]) -> AgencyOf:
    """An ``AgencyOf`` from a programme → agency map; a programme it does not know is its own agency (never merged
    into another's figures)."""
    return lambda programme: programmes.get(programme, programme)
