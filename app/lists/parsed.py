"""What reading a payout list produces: domain values ready for the store (or the server), nothing half-parsed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.messages import render
from app.domain.model import (
    Authorisation,
    Beneficiary,
    Commune,
    EntitlementLine,
    PayoutPoint,
    Province,
    ScheduleSlot,
    Village,
)


@dataclass(frozen=True)
class ListWarning:
    """Something about one row a person should know, which does not stop the list: e.g. a zero amount, which imports
    but cannot be paid as listed. ``code`` names a sentence of ``app.domain.messages`` and ``params`` fill it, so
    checks added later (the list's totals against its own total row) report through the same channel."""

    row: int
    column: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "vi") -> str:
        where = render("row_column", lang, {"row": self.row, "column": self.column})
        return f"{where}: {render(self.code, lang, self.params)}"


@dataclass(frozen=True)
class ParsedList:
    """A whole, valid payout list. ``payout_period`` is the month the list is for (``YYYY-MM``)."""

    source: str
    sha256: str
    payout_period: str
    province: Province
    communes: tuple[Commune, ...]
    villages: tuple[Village, ...]
    points: tuple[PayoutPoint, ...]
    schedule: tuple[ScheduleSlot, ...]
    beneficiaries: tuple[Beneficiary, ...]
    authorisations: tuple[Authorisation, ...]
    lines: tuple[EntitlementLine, ...]
    row_of_line: Mapping[str, int] = field(default_factory=dict)
    """Line key → row number in the source file, for reports."""
    warnings: tuple[ListWarning, ...] = ()
    """The first warnings by row (``LIMITS.warnings_kept``); the list imports with them."""
    warnings_total: int = 0
    """Every warning, listed or not."""
    agency: str = ""
    """The source agency of the list (``regimes.json`` "agencies"), told or detected by the reader; every record of the
    list belongs to it. "" for a list read before lists named their agency."""
    stated_total: int | None = None
    """The amount of the list's own "Tổng cộng" row, when it has one (``list_total_differs`` warns if the lines sum
    to another amount)."""

    @property
    def warnings_more(self) -> int:
        """Warnings counted but not listed."""
        return max(0, self.warnings_total - len(self.warnings))


def describe_warnings(warnings: Sequence[ListWarning], total: int, lang: str = "vi") -> list[str]:
    """What a person reads about a list's warnings (CLI, console): a heading with the count, each listed warning,
    and how many more were counted; nothing when there are none."""
    if not total:
        return []
    lines = [render("list_warnings", lang, {"count": total})]
    lines += [warning.message(lang) for warning in warnings]
    more = total - len(warnings)
    if more > 0:
        lines.append(render("list_more_warnings", lang, {"count": more, "shown": len(warnings)}))
    return lines
