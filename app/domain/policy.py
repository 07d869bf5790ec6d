"""The policy reference: categories, programmes and regimes with plain explanations, and the banknotes of the cash
count, as data a province can edit.

Rates and codes change by decree and differ by province, so nothing here is hard-coded: ``PolicyReference`` is built
from the JSON files in ``resources/policy`` (loaded by ``app.lists.policy``) and answers lookups by code or by the
free text a list puts in its columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.model import DEFAULT_PROGRAMME, LineKind
from app.domain.text import fold


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    code: str
    name: str
    name_en: str
    to_confirm: bool = False


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """An agency whose money and list the post office pays (Sở Nội vụ, BHXH, the commune)."""

    code: str
    name: str
    name_en: str


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


@dataclass(frozen=True)
class PolicyReference:
    categories: Mapping[str, CategoryInfo]
    programmes: Mapping[str, ProgrammeInfo]
    regimes: Mapping[str, RegimeInfo]
    regime_aliases: Mapping[str, str]
    programme_aliases: Mapping[str, str]
    denominations: tuple[int, ...] = ()
    """Banknotes the end-of-day count offers, largest first (``cash.json``); every one legal tender."""
    max_line_amount: int = DEFAULT_MAX_LINE_AMOUNT
    """The largest amount one line of a list may carry (``limits.json``); a list line above it is refused."""
    agencies: Mapping[str, AgencyInfo] = field(default_factory=dict)

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

    @classmethod
    def from_data(cls, categories: Mapping[str, Any], regimes: Mapping[str, Any],
                  cash: Mapping[str, Any] | None = None, lists: Mapping[str, Any] | None = None) -> PolicyReference:
        """Build from the parsed ``categories.json``, ``regimes.json``, ``cash.json`` (without it, no count) and
        ``limits.json`` (without it, the default line ceiling)."""
        category_map = {
            code.upper(): CategoryInfo(code.upper(), item["name"], item.get("name_en", item["name"]),
                                       bool(item.get("to_confirm")))
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
        regime_map: dict[str, RegimeInfo] = {}
        regime_aliases: dict[str, str] = {}
        for code, item in regimes["regimes"].items():
            regime_map[code] = RegimeInfo(
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
            )
            for alias in (code, item["name"], item.get("name_en", ""), *item.get("aliases", ())):
                if alias:
                    regime_aliases[fold(alias)] = code
        denominations = parse_denominations(cash) if cash is not None else ()
        agencies = {code: AgencyInfo(code, item["name"], item.get("name_en", item["name"]))
                    for code, item in regimes.get("agencies", {}).items() if not code.startswith("_")}
        ceiling = parse_line_ceiling(lists) if lists is not None else DEFAULT_MAX_LINE_AMOUNT
        return cls(category_map, programme_map, regime_map, regime_aliases, programme_aliases, denominations, ceiling,
                   agencies)

    def match_regime(self, text: str) -> RegimeInfo | None:
        """The regime a list's 'Chế độ' cell names (by code, name or alias, ignoring accents and case)."""
        code = self.regime_aliases.get(fold(text))
        return self.regimes.get(code) if code else None

    def match_programme(self, text: str) -> ProgrammeInfo | None:
        code = self.programme_aliases.get(fold(text))
        return self.programmes.get(code) if code else None

    def category(self, code: str) -> CategoryInfo | None:
        return self.categories.get(code.strip().upper())

    def regime(self, code: str) -> RegimeInfo | None:
        return self.regimes.get(code)

    def category_name(self, code: str, lang: str = "vi") -> str:
        """The category in words, or the code itself when the reference does not know it."""
        info = self.category(code)
        if info is None:
            return code
        return info.name_en if lang == "en" else info.name
