"""The policy reference: categories, programmes and regimes with plain explanations, and the banknotes of the cash
count, as data a province can edit.

Rates and codes change by decree and differ by province, so nothing here is hard-coded: ``PolicyReference`` is built
from the JSON files in ``resources/policy`` (loaded by ``app.lists.policy``) and answers lookups by code or by the
free text a list puts in its columns.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.model import DEFAULT_PROGRAMME, LineKind
from app.domain.text import fold

DEFAULT_CATEGORY_AGENCY = "so_noi_vu"
"""The agency of a category ``categories.json`` gives none: the list codes were the người có công's first."""

STANDARD_LAYOUT = "standard"
"""The Department's list layout: a "Loại đối tượng" column, record codes like ``QNH/LS-01234-TCM``."""
BHXH_LAYOUT = "bhxh"
"""BHXH's chi trả list: "Mã số BHXH", "Loại chế độ", "Số tiền tháng này", "Truy lĩnh", "Tổng số tiền được nhận", no
category column (the record's category comes from its regime)."""
LAYOUTS = (STANDARD_LAYOUT, BHXH_LAYOUT)
"""The layouts the reader knows; an agency a province adds in data names one of them."""


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    code: str
    name: str
    name_en: str
    to_confirm: bool = False
    agency: str = DEFAULT_CATEGORY_AGENCY
    """Whose lists use the category (``categories.json`` "agency")."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A day of a month relative to the payout month M (``month_offset`` -1: the month before)."""

    day: int
    month_offset: int
    to_confirm: bool = False


@dataclass(frozen=True, slots=True)
class ReportingCalendar:
    """An agency's monthly cycle (``regimes.json`` "calendar"): when its list and money reach the post office, when
    the post office reports back, the days it pays on; ``source`` says where each comes from, in words."""

    list_and_money: Deadline | None = None
    report: Deadline | None = None
    payout_days: tuple[int, int] | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """An agency whose money and list the post office pays (Sở Nội vụ, BHXH, the commune)."""

    code: str
    name: str
    name_en: str
    programmes: tuple[str, ...] = ()
    """The programmes its list carries; a line of another programme on its list is refused for that row."""
    layout: str = STANDARD_LAYOUT
    """The reader's layout for its list (``LAYOUTS``)."""
    header_hints: tuple[str, ...] = ()
    """Folded header texts that point to this agency's list (detection)."""
    title_hints: tuple[str, ...] = ()
    """Folded words in the title rows that point to this agency's list (detection)."""
    authorisation_months: int | None = None
    """The longest an authorisation letter to collect for someone may run under this agency's rule; None: no rule."""
    authorisation_source: str = ""
    calendar: ReportingCalendar = ReportingCalendar()


@dataclass(frozen=True, slots=True)
class ProgrammeInfo:
    code: str
    name: str
    name_en: str
    agency: str = ""
    """The agency whose list carries this programme's lines (``regimes.json``); empty: the programme's own."""


@dataclass(frozen=True, slots=True)
class RegimeInfo:
    code: str
    name: str
    name_en: str
    kind: LineKind
    explanation: str
    explanation_en: str
    legal_basis: str
    programme: str = DEFAULT_PROGRAMME
    by_category: tuple[tuple[str, str, str], ...] = ()
    """(category, Vietnamese, English) explanations for the categories the general one would mislead."""
    category: str = ""
    """The category a record takes from this regime when its list has no "Loại đối tượng" (BHXH's lists)."""
    to_confirm: bool = False
    """The legal basis or explanation is a sensible default still to be checked against the text."""

    def explain(self, category: str = "", lang: str = "vi") -> str:
        """The plain explanation a teller reads to a person of ``category`` (the category's own where the policy
        gives one: a martyr's relative is not paid by degree of injury), in ``lang``."""
        wanted = category.strip().upper()
        for code, vi, en in self.by_category:
            if code == wanted:
                return en if lang == "en" else vi
        return self.explanation_en if lang == "en" else self.explanation


DEFAULT_MAX_LINE_AMOUNT = 1_000_000_000
"""The largest amount one line of a list may carry when ``limits.json`` says nothing: one billion đồng, far above any
allowance or arrears (a Heroic Mother's month is about 10 million) and far below what a database integer holds."""
MAX_LINE_AMOUNT_CEILING = 2**62
"""``limits.json`` keeps the line ceiling below this, far from the 2^63 of a database integer (the server's ingest
checks the same file with the same bound)."""


def parse_line_ceiling(data: Mapping[str, Any]) -> int:
    """The per-line amount ceiling of ``limits.json`` ("max_line_amount", whole đồng); ValueError naming what is
    wrong."""
    value = data.get("max_line_amount", DEFAULT_MAX_LINE_AMOUNT)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_LINE_AMOUNT_CEILING:
        raise ValueError(f"limits.json: \"max_line_amount\" must be a whole number of đồng from 1 to below 2^62: "
                         f"{value!r}")
    return value


MAX_DENOMINATIONS = 30
MAX_DENOMINATION = 10_000_000
"""Bounds on ``cash.json``: a handful of notes, none larger than ten million đồng (the largest note is 500,000)."""


def parse_denominations(cash: Mapping[str, Any]) -> tuple[int, ...]:
    """The banknotes of ``cash.json`` ("denominations": whole đồng), largest first; ValueError naming what is wrong."""
    values = cash.get("denominations")
    if not isinstance(values, list) or not values:
        raise ValueError("cash.json: \"denominations\" must be a non-empty list of amounts in đồng")
    if len(values) > MAX_DENOMINATIONS:
        raise ValueError(f"cash.json: at most {MAX_DENOMINATIONS} denominations, found {len(values)}")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_DENOMINATION:
            raise ValueError(f"cash.json: a denomination must be a whole number of đồng from 1 to "
                             f"{MAX_DENOMINATION:,}: {value!r}")
    if len(set(values)) != len(values):
        raise ValueError("cash.json: a denomination is listed twice")
    return tuple(sorted(values, reverse=True))


def add_months_to_date(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept within the month (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


MAX_AUTHORISATION_MONTHS = 120
"""Bound on an agency's "authorisation" "max_months" in ``regimes.json`` (ten years: far above any real rule)."""


def _int_in(value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"regimes.json: {what} must be a whole number from {low} to {high}: {value!r}")
    return value


def _deadline(data: Mapping[str, Any] | None, what: str) -> Deadline | None:
    if data is None:
        return None
    return Deadline(_int_in(data.get("day"), 1, 31, f"{what} day"),
                    _int_in(data.get("month_offset", 0), -2, 2, f"{what} month_offset"), bool(data.get("to_confirm")))


def parse_agency(code: str, item: Mapping[str, Any]) -> AgencyInfo:
    """One agency of ``regimes.json``; ValueError naming what is wrong (a province edits this file by hand)."""
    layout = item.get("layout", {})
    kind = str(layout.get("kind", STANDARD_LAYOUT))
    if kind not in LAYOUTS:
        raise ValueError(f"regimes.json: agency {code!r}: layout kind must be one of {', '.join(LAYOUTS)}: {kind!r}")
    authorisation = item.get("authorisation", {})
    months = authorisation.get("max_months")
    if months is not None:
        months = _int_in(months, 1, MAX_AUTHORISATION_MONTHS, f"agency {code!r} authorisation max_months")
    calendar = item.get("calendar", {})
    days = calendar.get("payout_days")
    payout_days = None
    if days is not None:
        payout_days = (_int_in(days.get("from"), 1, 31, f"agency {code!r} payout_days from"),
                       _int_in(days.get("to"), 1, 31, f"agency {code!r} payout_days to"))
    return AgencyInfo(
        code=code,
        name=item["name"],
        name_en=item.get("name_en", item["name"]),
        programmes=tuple(str(programme) for programme in item.get("programmes", ())),
        layout=kind,
        header_hints=tuple(fold(text) for text in layout.get("headers", ())),
        title_hints=tuple(fold(text) for text in layout.get("title", ())),
        authorisation_months=months,
        authorisation_source=str(authorisation.get("source", "")),
        calendar=ReportingCalendar(
            list_and_money=_deadline(calendar.get("list_and_money"), f"agency {code!r} list_and_money"),
            report=_deadline(calendar.get("report"), f"agency {code!r} report"),
            payout_days=payout_days,
            source=str(calendar.get("source", "")),
        ),
    )


@dataclass(frozen=True)
class PolicyReference:
    categories: Mapping[str, CategoryInfo]
    programmes: Mapping[str, ProgrammeInfo]
    regimes: Mapping[str, RegimeInfo]
    regime_aliases: Mapping[str, str]
    """Folded text → regime code over every agency's catalogue (the first agency's regime wins a shared name): for
    lists read before lists named their agency."""
    programme_aliases: Mapping[str, str]
    denominations: tuple[int, ...] = ()
    """Banknotes the end-of-day count offers, largest first (``cash.json``); every one legal tender."""
    max_line_amount: int = DEFAULT_MAX_LINE_AMOUNT
    """The largest amount one line of a list may carry (``limits.json``); a list line above it is refused."""
    agencies: Mapping[str, AgencyInfo] = field(default_factory=dict)
    agency_regime_aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Agency → folded text → regime code within that agency's catalogue: a BHXH list's "Tuất hằng tháng" is BHXH's
    survivors' allowance, a Department list's the người có công one."""

    def agency_of(self, programme: str) -> str:
        """A line's agency, from its programme (``cycle.Turn``); a programme the reference does not know, or one
        without an agency, is its own (its figures are never merged into another agency's)."""
        info = self.programmes.get(programme)
        return info.agency if info is not None and info.agency else programme

    def agency_name(self, code: str, lang: str = "vi") -> str:
        info = self.agencies.get(code)
        if info is None:
            return code
        return info.name_en if lang == "en" else info.name

    def agency(self, code: str) -> AgencyInfo | None:
        """The agency of ``code`` (``regimes.json`` "agencies"), or None when the reference does not know it."""
        return self.agencies.get(code)

    def agency_programmes(self, code: str) -> tuple[str, ...]:
        """The programmes ``code``'s list carries: those the agency names, else those whose agency it is."""
        info = self.agencies.get(code)
        if info is not None and info.programmes:
            return info.programmes
        return tuple(programme for programme, item in self.programmes.items() if item.agency == code)

    def authorisation_months(self, code: str) -> int | None:
        """The longest an authorisation letter may run under ``code``'s rule, in months; None: no rule in data."""
        info = self.agencies.get(code)
        return info.authorisation_months if info is not None else None

    def authorisation_too_long(self, agency: str, valid_until: dt.date, *, payout_period: str,
                               valid_from: dt.date | None = None) -> int | None:
        """The months of ``agency``'s rule when a letter valid until ``valid_until`` runs longer than it allows, else
        None (also when the agency has no rule).

        With the day the letter starts, its length is measured; without it (most lists give only the end), the letter
        is on file for the month ``payout_period`` so it was made by that month's last day at the latest: an end
        later than that day plus the rule's months cannot fit the rule whenever it was made.
        """
        months = self.authorisation_months(agency)
        if months is None:
            return None
        if valid_from is not None:
            start = valid_from
        else:
            year, month = (int(part) for part in payout_period.split("-"))
            start = dt.date(year, month, calendar.monthrange(year, month)[1])
        return months if valid_until > add_months_to_date(start, months) else None

    def regimes_of(self, agency: str) -> tuple[RegimeInfo, ...]:
        """The regimes of ``agency``'s catalogue (those of its programmes), in file order."""
        programmes = set(self.agency_programmes(agency))
        return tuple(info for info in self.regimes.values() if info.programme in programmes)

    @classmethod
    def from_data(cls, categories: Mapping[str, Any], regimes: Mapping[str, Any],
                  cash: Mapping[str, Any] | None = None, lists: Mapping[str, Any] | None = None) -> PolicyReference:
        """Build from the parsed ``categories.json``, ``regimes.json``, ``cash.json`` (without it, no count) and
        ``limits.json`` (without it, the default line ceiling)."""
        category_map = {
            code.upper(): CategoryInfo(code.upper(), item["name"], item.get("name_en", item["name"]),
                                       bool(item.get("to_confirm")), str(item.get("agency", DEFAULT_CATEGORY_AGENCY)))
            for code, item in categories["categories"].items()
        }
        programme_map: dict[str, ProgrammeInfo] = {}
        programme_aliases: dict[str, str] = {}
        for code, item in regimes["programmes"].items():
            programme_map[code] = ProgrammeInfo(code, item["name"], item.get("name_en", item["name"]),
                                                str(item.get("agency", "")))
            for alias in (code, item["name"], item.get("name_en", ""), *item.get("aliases", ())):
                if alias:
                    programme_aliases[fold(alias)] = code
        agencies = {code: parse_agency(code, item)
                    for code, item in regimes.get("agencies", {}).items() if not code.startswith("_")}
        regime_map: dict[str, RegimeInfo] = {}
        regime_aliases: dict[str, str] = {}
        agency_aliases: dict[str, dict[str, str]] = {}
        for code, item in regimes["regimes"].items():
            info = RegimeInfo(
                code=code,
                name=item["name"],
                name_en=item.get("name_en", item["name"]),
                kind=LineKind(item["kind"]),
                explanation=item.get("explanation", ""),
                explanation_en=item.get("explanation_en", ""),
                legal_basis=item.get("legal_basis", ""),
                programme=item.get("programme", DEFAULT_PROGRAMME),
                by_category=tuple(
                    (category.upper(), text["explanation"], text.get("explanation_en", text["explanation"]))
                    for category, text in item.get("by_category", {}).items()
                ),
                category=str(item.get("category", "")).upper(),
                to_confirm=bool(item.get("to_confirm")),
            )
            if info.category and info.category not in category_map:
                raise ValueError(f"regimes.json: regime {code!r} names the category {info.category!r}, which "
                                 f"categories.json does not have")
            regime_map[code] = info
            programme = programme_map.get(info.programme)
            agency = programme.agency if programme is not None and programme.agency else info.programme
            own = agency_aliases.setdefault(agency, {})
            for alias in (code, item["name"], item.get("name_en", ""), *item.get("aliases", ())):
                if alias:
                    regime_aliases.setdefault(fold(alias), code)
                    own.setdefault(fold(alias), code)
        denominations = parse_denominations(cash) if cash is not None else ()
        ceiling = parse_line_ceiling(lists) if lists is not None else DEFAULT_MAX_LINE_AMOUNT
        return cls(category_map, programme_map, regime_map, regime_aliases, programme_aliases, denominations, ceiling,
                   agencies, agency_aliases)

    def match_regime(self, text: str, agency: str | None = None) -> RegimeInfo | None:
        """The regime a list's 'Chế độ' cell names (by code, name or alias, ignoring accents and case); with
        ``agency``, only within that agency's catalogue (a BHXH list's "Hưu trí" is judged against BHXH's regimes)."""
        aliases = self.regime_aliases if agency is None else self.agency_regime_aliases.get(agency, {})
        code = aliases.get(fold(text))
        return self.regimes.get(code) if code else None

    def match_programme(self, text: str) -> ProgrammeInfo | None:
        code = self.programme_aliases.get(fold(text))
        return self.programmes.get(code) if code else None

    def category(self, code: str, agency: str | None = None) -> CategoryInfo | None:
        """The category of ``code``; with ``agency``, only one that agency's lists use."""
        info = self.categories.get(code.strip().upper())
        if info is not None and agency is not None and info.agency != agency:
            return None
        return info

    def regime(self, code: str) -> RegimeInfo | None:
        return self.regimes.get(code)

    def category_name(self, code: str, lang: str = "vi") -> str:
        """The category in words, or the code itself when the reference does not know it."""
        info = self.category(code)
        if info is None:
            return code
        return info.name_en if lang == "en" else info.name
