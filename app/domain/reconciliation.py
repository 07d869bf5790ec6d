"""A list reconciled with itself (issue 11, point 4): where each đồng of the list's total goes.

    list total = cash at each payout point + paid to accounts + lines that cannot be paid as listed

Each line that cannot be paid as listed is named by person with its reason, in the payout rules' own words
(``app.domain.rules.assess_line``, judged in the list's own month): a funeral allowance for a person with no date of
death, a zero amount, a suspended person, a monthly line after the month of death, a held line, a deceased person
with no representative … When the list states its own total ("Tổng cộng", ``ParsedList.stated_total``) and its lines
add up to another amount, the reconciliation says so too (the reader also warns: ``list_total_differs``).

Used by every import report (the desk's ``import-list`` and import report dialog, the server's ``import-list`` and
the console's upload job page) and by the blank payout sheet, so all of them say the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.domain.messages import render
from app.domain.model import Beneficiary, EntitlementLine, PaymentMethod
from app.domain.money import format_number, format_vnd
from app.domain.rules import assess_line

__all__ = ["PointCash", "NotPayable", "ListReconciliation", "reconcile_list"]


@dataclass(frozen=True, slots=True)
class PointCash:
    """The cash a payout point pays of the list: its payable lines, their people and amount."""

    point_id: str
    name: str
    lines: int
    people: int
    amount: int


@dataclass(frozen=True, slots=True)
class NotPayable:
    """One line the list has that cannot be paid as listed, with why (a message code of ``app.domain.messages``)."""

    record_code: str
    full_name: str
    line_key: str
    regime: str
    amount: int
    reason: str
    params: tuple[tuple[str, str], ...] = ()

    def reason_words(self, lang: str = "vi") -> str:
        return render(self.reason, lang, dict(self.params))

    def describe(self, lang: str = "vi", regime_name: str | None = None) -> str:
        """"Lê Văn Tâm (QNH/AQ-00004-TCM), Mai táng phí, 18.720.000 ₫: <why>"."""
        return (f"{self.full_name} ({self.record_code}), {regime_name or self.regime}, {format_vnd(self.amount)}: "
                f"{self.reason_words(lang)}")


@dataclass(frozen=True)
class ListReconciliation:
    """The list's total, split into where it goes; ``balanced`` when the parts add up to the total (always, unless a
    line were counted twice — the check that proves it), ``stated_total`` the list's own "Tổng cộng" if any."""

    period: str
    total_lines: int
    total_amount: int
    cash: tuple[PointCash, ...]
    account_lines: int
    account_amount: int
    not_payable: tuple[NotPayable, ...]
    stated_total: int | None = None

    @property
    def cash_amount(self) -> int:
        return sum(point.amount for point in self.cash)

    @property
    def cash_lines(self) -> int:
        return sum(point.lines for point in self.cash)

    @property
    def not_payable_amount(self) -> int:
        return sum(item.amount for item in self.not_payable)

    @property
    def balanced(self) -> bool:
        return (self.cash_lines + self.account_lines + len(self.not_payable) == self.total_lines
                and self.cash_amount + self.account_amount + self.not_payable_amount == self.total_amount)

    @property
    def stated_differs(self) -> bool:
        return self.stated_total is not None and self.stated_total != self.total_amount

    def describe(self, lang: str = "vi", regime_name: Mapping[str, str] | None = None,
                 limit: int | None = None) -> list[str]:
        """The reconciliation in words, one sentence a line: the equation, each point, each line not payable (the
        first ``limit`` of them, then how many more: a province's list is read on a page, not scrolled forever)."""
        names = regime_name or {}
        out = [render("reconcile_total", lang, {
            "total": format_vnd(self.total_amount), "lines": format_number(self.total_lines),
            "cash": format_vnd(self.cash_amount),
            "account": format_vnd(self.account_amount), "not_payable": format_vnd(self.not_payable_amount)})]
        for point in self.cash:
            out.append(render("reconcile_point", lang, {"point": point.name, "lines": format_number(point.lines),
                                                        "people": format_number(point.people),
                                                        "amount": format_vnd(point.amount)}))
        if self.account_lines:
            out.append(render("reconcile_account", lang, {"lines": format_number(self.account_lines),
                                                          "amount": format_vnd(self.account_amount)}))
        if self.not_payable:
            out.append(render("reconcile_not_payable", lang, {"lines": format_number(len(self.not_payable)),
                                                              "amount": format_vnd(self.not_payable_amount)}))
            shown = self.not_payable if limit is None else self.not_payable[:limit]
            out += [f"  - {item.describe(lang, names.get(item.regime))}" for item in shown]
            if len(shown) < len(self.not_payable):
                out.append(render("reconcile_more", lang, {"count": format_number(len(self.not_payable) - len(shown))}))
        if self.stated_differs:
            assert self.stated_total is not None
            out.append(render("list_total_differs", lang, {
                "stated": format_vnd(self.stated_total), "summed": format_vnd(self.total_amount),
                "difference": format_vnd(abs(self.stated_total - self.total_amount))}))
        return out


def reconcile_list(period: str, people: Iterable[Beneficiary], lines: Iterable[EntitlementLine], *,
                   point_names: Mapping[str, str] | None = None, stated_total: int | None = None
                   ) -> ListReconciliation:
    """Split a list (its people and lines, as imported: after the standing facts) of ``period`` into cash per
    payout point, lines paid to accounts and lines that cannot be paid as listed (judged as a payout in ``period``
    would judge them). Points keep the order they first appear in; the lines not payable keep list order."""
    by_code = {person.record_code: person for person in people}
    names = point_names or {}
    points: dict[str, list[int]] = {}
    point_people: dict[str, set[str]] = {}
    total_lines = total_amount = account_lines = account_amount = 0
    not_payable: list[NotPayable] = []
    for line in lines:
        total_lines += 1
        total_amount += line.amount
        if line.method is PaymentMethod.ACCOUNT:
            account_lines += 1
            account_amount += line.amount
            continue
        person = by_code.get(line.record_code)
        if person is None:
            not_payable.append(NotPayable(line.record_code, line.record_code, line.key, line.regime, line.amount,
                                          "person_not_found", (("record_code", line.record_code),)))
            continue
        state = assess_line(person, line, period)
        if state.block is not None:
            not_payable.append(NotPayable(person.record_code, person.full_name, line.key, line.regime, line.amount,
                                          state.block.code, state.block.params))
            continue
        point = person.point_id or ""
        figures = points.setdefault(point, [0, 0])
        figures[0] += 1
        figures[1] += line.amount
        point_people.setdefault(point, set()).add(person.record_code)
    cash = tuple(PointCash(point, names.get(point, point or "—"), lines_, len(point_people[point]), amount)
                 for point, (lines_, amount) in points.items())
    return ListReconciliation(period, total_lines, total_amount, cash, account_lines, account_amount,
                              tuple(not_payable), stated_total)
