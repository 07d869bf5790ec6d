"""The pilot's 12-month report: for a range of months, per commune and for the province, the pilot's own table.

The Quảng Ninh pilot reported its year as communes with beneficiaries, turns paid, % of the turns on its lists,
monthly and one-time turns, and cash (``docs/CYCLE.md``, "The worked example"). This module gathers those figures for
any range of months (default: the 12 months up to the month being reported, ``default_range``) from the same
set-based queries as the progress page (``server.progress``), so the console, the PDF and the spreadsheet agree
with the progress page month by month. Rendering lives in ``year_report_pdf`` and ``year_report_xlsx``.

A turn's period is its line's own (``docs/CYCLE.md``): a person paid every month is twelve monthly turns. Over the
range each turn counts once: a turn carried over is on two months' lists (its own month's and the next), so the
province's total (the communes' rows added up) may be less than the months' rows added up — the report says so.
People are not summed over months (the same person each month); the report counts turns, lines and cash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, fields

from sqlalchemy import Connection, text

from app.domain.clock import VIETNAM, ProvinceTime
from app.domain.journal import canonical_json
from app.domain.period import check_period
from server import progress

__all__ = ["MAX_MONTHS", "YearReport", "YearReportError", "default_range", "months_between", "year_report"]

MAX_MONTHS = 36
"""The longest range a report covers (three years): bounded, like every input."""


class YearReportError(ValueError):
    """A range that cannot be reported; ``code`` names it for the console's words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _shift(period: str, months: int) -> str:
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> int:
    """How many months ``first``…``last`` covers (both included)."""
    (y1, m1), (y2, m2) = ((int(p) for p in first.split("-")), (int(p) for p in last.split("-")))
    return (y2 * 12 + m2) - (y1 * 12 + m1) + 1


def default_range(reported: str, months: int = 12) -> tuple[str, str]:
    """The ``months`` months ending with the month being reported."""
    return _shift(reported, -(months - 1)), reported


@dataclass(frozen=True)
class YearReport:
    """The pilot's table for ``first``…``last``: a row per commune, a row per month, a row per regime, the total."""

    first: str
    last: str
    province_code: str
    province_name: str
    generated_at: dt.datetime
    communes: tuple[progress.Row, ...]
    months: tuple[progress.Row, ...]
    regimes: tuple[progress.Row, ...]
    total: progress.Counts
    agency: str | None = None
    agency_name: str | None = None
    commune: str | None = None
    """Always None: the report is the province's (or an officer's communes'); the settlement PDF's header reads it."""
    clock: ProvinceTime = VIETNAM
    """The province's clock (``settings.province_time``) the PDF and the spreadsheet print times on."""

    @property
    def communes_with_beneficiaries(self) -> int:
        """Communes with at least one cash line on a list of the range (the pilot's "xã có đối tượng")."""
        return sum(1 for row in self.communes if row.counts.lines)

    @property
    def title(self) -> str:
        first, last = (f"{p[5:]}/{p[:4]}" for p in (self.first, self.last))
        return f"BÁO CÁO KẾT QUẢ CHI TRẢ TỪ THÁNG {first} ĐẾN THÁNG {last}"

    @property
    def document_code(self) -> str:
        """A code over the figures as printed (not the time of printing), like the settlement's."""
        def plain(rows: Iterable[progress.Row]) -> list[list[object]]:
            return [[row.key, *(getattr(row.counts, f.name) for f in fields(row.counts))] for row in rows]

        content = {"v": 1, "kind": "year", "first": self.first, "last": self.last, "agency": self.agency,
                   "communes": plain(self.communes), "months": plain(self.months), "regimes": plain(self.regimes)}
        code = hashlib.sha256(canonical_json(content)).hexdigest()[:16].upper()
        return "-".join(code[i:i + 4] for i in range(0, 16, 4))


def year_report(conn: Connection, first: str, last: str, *, scope: Iterable[str] | None = None,
                agency: str | None = None, agency_name: str | None = None,
                now: dt.datetime | None = None, clock: ProvinceTime = VIETNAM) -> YearReport:
    """The report of ``first``…``last`` (at most ``MAX_MONTHS``) for ``scope``'s communes (None: the province) and
    ``agency``'s lines (None: every agency)."""
    for value in (first, last):
        try:
            check_period(value)
        except ValueError:
            raise YearReportError("bad_period", f"bad period {value!r}") from None
    if last < first:
        first, last = last, first
    if months_between(first, last) > MAX_MONTHS:
        raise YearReportError("range_too_long", f"more than {MAX_MONTHS} months")
    scope = None if scope is None else list(scope)
    communes = progress.communes(conn, first, last, scope, agency)
    months = progress.summary(conn, first, last, scope, agency)
    regimes = progress.by_regime(conn, first, scope, agency, last=last)
    place = conn.execute(text("SELECT province_code, province_name FROM communes ORDER BY code LIMIT 1")).first()
    return YearReport(first, last, place[0] if place else "", place[1] if place else "",
                      now or dt.datetime.now(dt.UTC), tuple(communes), tuple(months), tuple(regimes),
                      progress.total(communes), agency, agency_name, clock=clock)
