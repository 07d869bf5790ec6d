"""A deterministic demo payout list for one province: communes, villages, payout points, people and their lines.

Why: the app, its tests, the README and training sessions need a list that looks like a real province's (the Quảng
Ninh pilot: 174 communes, ≈ 13,000 monthly recipients, ≈ 75 per commune) without anyone's personal data. The same
``DemoSpec`` always gives the same rows: one ``random.Random(seed)``, drawn in a fixed order, and no iteration over
sets, so the output does not depend on Python's hash randomisation. Amounts are data (``resources/policy/
amounts.json``), name parts too (``resources/demo/``); regime and programme names come from the policy reference so
the reader always recognises them.

Rows are dicts keyed by the column ids of ``app.lists.columns.COLUMNS`` (absent values are ``None``), ready for
``app.lists.writer.write_list_xlsx``.

Fixed people, always generated whatever the seed, in commune 1 ("Phường Hồng Hải", ``{province_code}-0001``), all at
the point "Nhà văn hóa khu 3" (first weekday on or after the 5th of the payout month, 07:30-11:00). Record codes are
shown for province code QNH:

- Nguyễn Văn Đức, ``QNH/AQ-00001-TCM``, ID ``022052000123``, male, 1952, Khu 3: war invalid 81 % — monthly allowance,
  supplement and home convalescence (one-time); his pension is on BHXH's list (below).
- Đặng Thị Huệ, ``QNH/LS-00002-TCM``, ID ``022148000124``, female, 1948, Khu 1: relative of 2 martyrs — monthly
  allowance; proxy Vũ Văn Hải (ID ``022072000129``), authorisation ``UQ-{year}/0123`` valid until 3 months after the
  payout date.
- Trần Thị Lành, ``QNH/BM-00003-TCM``, ID ``022128000125``, female, 1928, Khu 2: Heroic Mother — monthly allowance,
  supplement, carer allowance.
- Lê Văn Tâm, ``QNH/BB-00004-TCM``, ID ``022049000126``, male, 1949, Khu 2: sick soldier 71 %, died on the 3rd of the
  payout month; representative Lê Thị Hoa (ID ``022175000127``) — monthly allowance for the month of death, funeral
  allowance, and the allowance on death (3 × monthly).
- Phạm Văn Nam, ``QNH/HH-00005-TCM``, ID ``022050000128``, male, 1950, Khu 3: Agent Orange 61 %, suspended ("Tạm dừng
  do vắng mặt tại địa phương") — monthly allowance.

The demo province has two agencies' lists (``demo_lists``), as the post office receives them: the Department's (Sở Nội
vụ, người có công) above, and BHXH's chi trả list of pensions and monthly social-insurance allowances
(``generate_bhxh_rows``, written in BHXH's layout by ``app.lists.bhxh_sheet``). BHXH's list has the Department's
people who also draw a pension (same CCCD, name and birth year: one person across lists), BHXH's own people (about a
third as many again), and in commune 1:

- Nguyễn Văn Đức, Mã số BHXH ``{id}12000001``: pension 4,865,300 — the same person as the Department's Đức.
- "Đặng Thị Thu Huệ", ``{id}12000002``, with Đặng Thị Huệ's CCCD and birth year: BHXH spells her name differently —
  the demo's **conflict** (reported, never merged silently; each record stays payable).
- Trần Thị Lành, ``{id}12000003``, **without a CCCD** on BHXH's list: matched by nothing until a supervisor links her
  records.

(``{id}`` is the CCCD province prefix without its leading 0: ``22`` for Quảng Ninh.)

Record-code period suffixes are read as eras (to confirm per province): CM before the 1945 revolution, CP the
resistance against France, TCM the resistance against the USA, BV defending the fatherland after 1975.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.model import LineKind
from app.domain.period import add_months, check_period, display_period
from app.lists.columns import COLUMNS
from app.lists.policy import load_policy
from app.resources import resource_path

if TYPE_CHECKING:
    from app.lists.parsed import ParsedList

__all__ = ["DemoSpec", "DemoList", "generate_demo_rows", "generate_bhxh_rows", "write_demo_lists", "demo_lists",
           "demo_summary", "BHXH_CODES"]

ACTIVE = "Đang hưởng"
SUSPENDED = "Tạm dừng"
DECEASED = "Đã mất"
CASH = "Tiền mặt"
ACCOUNT = "Tài khoản"
MALE = "Nam"
FEMALE = "Nữ"
MORNING = "07:30-11:00"
AFTERNOON = "13:30-16:30"
CARRIED_OVER_NOTE = "Chưa nhận tháng trước"

# Shares of people by category (relative weights): demo parameters, not policy.
_CATEGORY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("LS", 31.0), ("AQ", 22.0), ("TT", 15.0), ("HH", 11.0), ("BB", 7.0), ("BT", 5.5), ("CC", 2.5), ("KC", 1.5),
    ("BQ", 1.2), ("CK", 0.6), ("TKN", 0.5), ("AH", 0.3), ("BM", 0.25), ("LT", 0.15),
)
_P_SUSPENDED = 0.01
_P_DECEASED = 0.012  # drawn among people with a monthly allowance, so ≈ 1 % of all
_P_PROXY = 0.045  # drawn among active cash recipients, so ≈ 4 % of all
_P_PROXY_EXPIRED = 0.12
_P_ACCOUNT = 0.08
_P_NO_ID = 0.03
_P_PENSION = 0.05
_P_CARRIED_OVER = 0.02
_P_ARREARS = 0.015
_P_CONVALESCENCE = 0.03
_P_WORSHIP = 0.05  # of martyrs' relatives
_P_GIFT = 0.02
_LINE_ID_COMMUNE_SHARE = 0.10
_LARGE_COMMUNE_SHARE = 0.03
_FIXED_COUNT = 5

_CONVALESCENCE_CATEGORIES = ("LT", "TKN", "LS", "BM", "AH", "AQ", "BQ", "CK", "BB", "HH", "BT")
_SUSPENSION_REASONS = (
    "Tạm dừng do vắng mặt tại địa phương",
    "Tạm dừng do vắng mặt tại địa phương",
    "Tạm dừng do đang chấp hành án phạt tù",
    "Tạm dừng do xuất cảnh trái phép",
    "Tạm dừng do chưa bổ sung hồ sơ theo yêu cầu",
    "Tạm dừng do có dấu hiệu giả mạo hồ sơ, đang xác minh",
)
_STEMS = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_BRANCHES = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")


@dataclass(frozen=True)
class DemoSpec:
    """What to generate; the same spec always gives the same rows.

    ``people_per_commune`` None varies the size per commune (mostly 40-160, a few large communes of a few hundred),
    about 13,000 people at 174 communes. ``id_province`` is the 3-digit province prefix of CCCD numbers (022 =
    Quảng Ninh).
    """

    communes: int = 174
    seed: int = 1
    payout_period: str = "2026-12"
    province_code: str = "QNH"
    province_name: str = "Tỉnh Quảng Ninh"
    people_per_commune: int | None = None
    id_province: str = "022"


# --- data files -----------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _demo_data(name: str) -> dict[str, Any]:
    """A JSON file under ``resources/demo`` (cached: the files never change while running)."""
    data: dict[str, Any] = json.loads(resource_path("demo", name).read_text(encoding="utf-8"))
    return data


class _Amounts:
    """Lookups into ``resources/policy/amounts.json``, so no amount lives in code."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.monthly: Mapping[str, Any] = data["monthly"]
        self.one_time: Mapping[str, Any] = data["one_time"]

    def entry(self, category: str) -> Mapping[str, Any]:
        """The category's entry, following ``same_as`` (BQ and CK use the war-invalid table)."""
        item: Mapping[str, Any] = self.monthly[category]
        while "same_as" in item:
            item = self.monthly[item["same_as"]]
        return item

    def by_rate(self, category: str, rate: int) -> int:
        """Monthly amount for a rate, from a per-rate table or from rate bands."""
        item = self.entry(category)
        if "by_rate" in item:
            return int(item["by_rate"][str(rate)])
        for band in item["by_rate_band"]:
            if band["from"] <= rate <= band["to"]:
                return int(band["amount"])
        raise ValueError(f"no amount for {category} at {rate} %")

    def one(self, key: str, field_name: str = "amount") -> int:
        return int(self.one_time[key][field_name])


@lru_cache(maxsize=1)
def _amounts() -> _Amounts:
    return _Amounts(json.loads(resource_path("policy", "amounts.json").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _regime_names() -> dict[str, tuple[str, str]]:
    """Regime code → (regime name, programme name), from the policy reference the reader matches against."""
    policy = load_policy()
    return {code: (info.name, policy.programmes[info.programme].name) for code, info in policy.regimes.items()}


# --- internal people ------------------------------------------------------------------------------------------------


@dataclass
class _Line:
    regime: str  # regime code of regimes.json
    period: str  # YYYY-MM
    amount: int
    note: str = ""


@dataclass
class _Proxy:
    name: str
    id_number: str
    number: str
    until: dt.date


@dataclass
class _Person:
    category: str
    full_name: str
    gender: str
    birth_year: int
    id_number: str | None
    village: int
    era: str
    recurring: list[_Line] = field(default_factory=list)  # this month's recurring preferential lines
    gift_high: bool = False
    number: int | None = None
    status: str = ACTIVE
    status_note: str = ""
    death_date: dt.date | None = None
    representative: tuple[str, str] | None = None
    proxy: _Proxy | None = None
    method: str = CASH
    lines: list[_Line] = field(default_factory=list)
    pension: int = 0
    """The person's monthly pension, paid from BHXH's list (never the Department's)."""


@dataclass
class _Point:
    name: str
    day: dt.date
    hours: str


@dataclass
class _Commune:
    code: str
    name: str
    villages: list[str]
    village_point: list[int]  # village index → point index
    points: list[_Point]
    people: list[_Person] = field(default_factory=list)
    line_ids: bool = False


class _IdPool:
    """Unique 12-digit CCCD numbers: province digits, century-gender digit, 2-digit birth year, 6 random digits."""

    def __init__(self, province_digits: str) -> None:
        if len(province_digits) != 3 or not province_digits.isdigit():
            raise ValueError(f"CCCD province prefix must be 3 digits: {province_digits!r}")
        self.province = province_digits
        self.used: set[str] = set()

    def reserve(self, number: str) -> str:
        self.used.add(number)
        return number

    def new(self, rng: random.Random, gender: str, birth_year: int) -> str:
        digit = (0 if birth_year < 2000 else 2) + (0 if gender == MALE else 1)
        prefix = f"{self.province}{digit}{birth_year % 100:02d}"
        while True:
            candidate = f"{prefix}{rng.randrange(1_000_000):06d}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate


def _weighted(rng: random.Random, pairs: Sequence[Sequence[Any]]) -> Any:
    """One value from ``[[value, weight], ...]``."""
    return rng.choices([p[0] for p in pairs], weights=[float(p[1]) for p in pairs])[0]


_FIXED_NAMES = (
    "Nguyễn Văn Đức", "Đặng Thị Huệ", "Trần Thị Lành", "Lê Văn Tâm", "Phạm Văn Nam", "Lê Thị Hoa", "Vũ Văn Hải",
)
"""Kept out of random draws so a search for a documented person finds exactly one."""


def _full_name(rng: random.Random, gender: str) -> str:
    names = _demo_data("names.json")
    key = "male" if gender == MALE else "female"
    while True:
        surname = _weighted(rng, names["surnames"])
        middle = _weighted(rng, names["middle"][key])
        given = rng.choice(names["given"][key])
        name = f"{surname} {middle} {given}"
        if name not in _FIXED_NAMES:
            return name


def _child_name(rng: random.Random, parent: _Person, gender: str) -> str:
    """A child's name: the father's surname when the parent is the father, else any surname."""
    while True:
        name = _full_name(rng, gender)
        if parent.gender == MALE:
            name = parent.full_name.split(" ", 1)[0] + " " + name.split(" ", 1)[1]
        if name not in _FIXED_NAMES:
            return name


def _veteran_era(birth_year: int) -> str:
    if birth_year <= 1930:
        return "CP"
    return "TCM" if birth_year <= 1957 else "BV"


def _relative_era(rng: random.Random, birth_year: int) -> str:
    if birth_year >= 1976:
        return "BV"
    if birth_year <= 1950 and rng.random() < 0.2:
        return "CP"
    return "TCM" if rng.random() < 0.92 else "BV"


def _rate(rng: random.Random, bands: Sequence[tuple[int, int, float]]) -> int:
    low, high, _ = rng.choices(bands, weights=[b[2] for b in bands])[0]
    return rng.randint(low, high)


def _draw_person(rng: random.Random, category: str, period: str, amounts: _Amounts) -> _Person:
    """A random person of ``category`` with a fitting gender, birth year, era and this month's recurring lines."""
    male_share, years = 0.85, (1940, 1962)
    recurring: list[_Line] = []
    gift_high = False
    era = ""
    item = amounts.entry(category)

    def add(regime: str, amount: int) -> None:
        recurring.append(_Line(regime, period, amount))

    if category == "LT":
        years = (1921, 1929)
        if rng.random() < 0.6:
            add("monthly", int(item["amount"]))
            add("supplement", int(item["seniority_per_year"]) * rng.randint(1, 6))
        else:
            add("monthly", int(item["not_full_time"]))
        era, gift_high = "CM", True
    elif category == "TKN":
        years = (1925, 1931)
        add("monthly", int(item["amount"]))
        era, gift_high = "CM", True
    elif category == "LS":
        role = rng.random()
        if role < 0.08:  # parent of the martyr
            male_share, years = 0.15, (1924, 1936)
        elif role < 0.45:  # spouse
            male_share, years = 0.08, (1936, 1958)
        else:  # child
            male_share, years = 0.5, (1950, 1980)
        martyrs = rng.choices((1, 2, 3), weights=(85, 12, 3))[0]
        add("monthly", int(item["by_martyrs"][str(martyrs)]))
        gift_high = martyrs >= 2
    elif category == "BM":
        male_share, years = 0.0, (1922, 1934)
        add("monthly", int(item["amount"]))
        add("supplement", int(item["supplement"]))
        if rng.random() < 0.6:
            add("carer", int(item["carer"]))
        gift_high = True
    elif category == "AH":
        male_share, years = 0.9, (1935, 1955)
        add("monthly", int(item["amount"]))
        gift_high = True
    elif category in ("AQ", "BQ", "CK"):
        male_share, years = 0.96, (1940, 1968)
        rate = _rate(rng, ((21, 40, 50), (41, 60, 27), (61, 80, 15), (81, 100, 8)))
        add("monthly", amounts.by_rate(category, rate))
        if rate >= int(item["supplement_from_rate"]):
            severe = rate >= 91 and rng.random() < 0.25
            add("supplement", int(item["supplement_especially_severe" if severe else "supplement"]))
            if rng.random() < 0.8:
                add("carer", int(item["carer_especially_severe" if severe else "carer"]))
            gift_high = True
    elif category == "BB":
        male_share, years = 0.95, (1935, 1962)
        rate = _rate(rng, ((41, 60, 55), (61, 80, 35), (81, 100, 10)))
        add("monthly", amounts.by_rate(category, rate))
        if rate >= int(item["carer_from_rate"]) and rng.random() < 0.7:
            add("carer", int(item["carer"]))
    elif category == "HH":
        if rng.random() < 0.12:  # affected child of a resistance participant
            male_share, years = 0.5, (1966, 1995)
            add("monthly", int(rng.choices(item["affected_child"], weights=(70, 30))[0]))
            era = "TCM"
        else:
            rate = _rate(rng, ((21, 40, 40), (41, 60, 30), (61, 80, 20), (81, 100, 10)))
            add("monthly", amounts.by_rate(category, rate))
            if rate >= int(item["carer_from_rate"]) and rng.random() < 0.6:
                add("carer", int(item["carer"]))
    elif category == "BT":
        years = (1932, 1956)
        add("monthly", int(item["amount"]))
    elif category == "KC":
        years = (1938, 1960)  # one-time payments only: no monthly allowance for resistance participants
    elif category == "CC":
        male_share, years = 0.5, (1925, 1945)
        distinction = "fatherland_honour" if rng.random() < 0.4 else "resistance_medal"
        add("monthly", int(item["by_distinction"][distinction]))
        era = "CP" if rng.random() < 0.3 else "TCM"
    elif category == "TT":
        male_share, years = 0.25, (1936, 1975)
        add("survivor", int(rng.choices(item["amounts"], weights=(80, 20))[0]))
    else:
        raise ValueError(f"no demo profile for category {category!r}")

    gender = MALE if rng.random() < male_share else FEMALE
    birth_year = rng.randint(*years)
    if not era:
        era = _relative_era(rng, birth_year) if category in ("LS", "BM", "TT") else _veteran_era(birth_year)
    return _Person(category, _full_name(rng, gender), gender, birth_year, None, 0, era, recurring, gift_high)


# --- places ---------------------------------------------------------------------------------------------------------


def _weekdays(period: str) -> list[dt.date]:
    """Payout days allowed in the month: weekdays between the 2nd and the 15th."""
    year, month = (int(p) for p in period.split("-"))
    days = (dt.date(year, month, d) for d in range(2, 16))
    return [d for d in days if d.weekday() < 5]


def _commune_names(rng: random.Random, count: int) -> list[str]:
    """``count`` unique names: the reserved commune 1, then curated names, then syllable combinations."""
    places = _demo_data("places.json")
    reserved: str = places["reserved_commune"]
    reserved_stem = reserved.split(" ", 1)[1]
    curated = [n for n in places["communes"] if n != reserved_stem]
    rng.shuffle(curated)
    combos = [f"{a} {b}" for a in places["first"] for b in places["second"] if a != b]
    rng.shuffle(combos)
    seen = {reserved_stem}
    stems: list[str] = []
    for stem in curated + combos:
        if len(stems) >= count - 1:
            break
        if stem not in seen:
            seen.add(stem)
            stems.append(stem)
    if len(stems) < count - 1:
        raise ValueError(f"at most {len(stems) + 1} distinct demo commune names are available")
    ward_share = float(places["ward_share"])
    return [reserved] + [("Phường " if rng.random() < ward_share else "Xã ") + s for s in stems]


def _villages(rng: random.Random, commune_name: str, count: int) -> list[str]:
    places = _demo_data("places.json")
    style = rng.random()
    if commune_name.startswith("Phường"):
        if style < 0.5:
            return [f"Khu {i}" for i in range(1, count + 1)]
        if style < 0.8:
            return [f"Tổ {i}" for i in range(1, count + 1)]
        return ["Khu " + n for n in rng.sample(places["village_names"], count)]
    if style < 0.55:
        return [f"Thôn {i}" for i in range(1, count + 1)]
    return ["Thôn " + n for n in rng.sample(places["village_names"], count)]


def _point_name(village: str) -> str:
    """Name a point after its village's cultural house, where most payouts happen: "Thôn Đông" → "Nhà văn hóa thôn
    Đông"."""
    kind, rest = village.split(" ", 1)
    return f"Nhà văn hóa {kind.lower()} {rest}"


def _make_commune(rng: random.Random, code: str, name: str, size: int, period: str) -> _Commune:
    n_villages = max(3, min(8, 3 + size // 40 + rng.randint(-1, 1)))
    n_points = 1 if size < 60 else 2 if size < 140 else 3
    n_points = max(1, min(3, n_points + rng.choice((-1, 0, 0, 0, 1))))
    villages = _villages(rng, name, n_villages)
    # Contiguous groups of villages, one point each, hosted by one village of the group.
    cuts = sorted(rng.sample(range(1, n_villages), n_points - 1))
    bounds = [0, *cuts, n_villages]
    village_point = [0] * n_villages
    days = _weekdays(period)
    start = rng.randint(0, len(days) - 2)
    points: list[_Point] = []
    for p in range(n_points):
        for v in range(bounds[p], bounds[p + 1]):
            village_point[v] = p
        host = villages[rng.randrange(bounds[p], bounds[p + 1])]
        point_name = _point_name(host)
        if n_points == 1 and rng.random() < 0.15:
            kind, stem = name.split(" ", 1)
            point_name = f"Hội trường UBND {kind.lower()} {stem}"
        points.append(_Point(point_name, days[start + p // 2], MORNING if p % 2 == 0 else AFTERNOON))
    return _Commune(code, name, villages, village_point, points)


def _fixed_commune(code: str, period: str) -> _Commune:
    """Commune 1, the same for every seed: the fixed people's home, for tests and the README."""
    year, month = (int(p) for p in period.split("-"))
    day = dt.date(year, month, 5)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    villages = [f"Khu {i}" for i in range(1, 7)]
    points = [_Point("Nhà văn hóa khu 3", day, MORNING), _Point("Nhà văn hóa khu 6", day, AFTERNOON)]
    return _Commune(code, _demo_data("places.json")["reserved_commune"], villages, [0, 0, 0, 1, 1, 1], points)


def _sizes(rng: random.Random, spec: DemoSpec) -> list[int]:
    """People per commune: mostly 40-160 (mean ≈ 68), about 3 % large communes of 220-380."""
    if spec.people_per_commune is not None:
        return [spec.people_per_commune] * spec.communes
    large = set(rng.sample(range(spec.communes), round(spec.communes * _LARGE_COMMUNE_SHARE)))
    return [
        rng.randint(220, 380) if i in large else min(160, 40 + int(rng.expovariate(1 / 28)))
        for i in range(spec.communes)
    ]


# --- fixed people ---------------------------------------------------------------------------------------------------


def _add_months_to_date(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def _fixed_people(spec: DemoSpec, commune: _Commune, ids: _IdPool, amounts: _Amounts) -> list[_Person]:
    """The five documented people (see the module docstring)."""
    period = spec.payout_period
    year, month = (int(p) for p in period.split("-"))
    payout_day = commune.points[0].day

    def person(number: int, category: str, name: str, gender: str, born: int, id_number: str, village: int) -> _Person:
        return _Person(category, name, gender, born, ids.reserve(id_number), village, "TCM", number=number)

    duc = person(1, "AQ", "Nguyễn Văn Đức", MALE, 1952, "022052000123", 2)
    aq = amounts.entry("AQ")
    duc.recurring = [_Line("monthly", period, amounts.by_rate("AQ", 81)),
                     _Line("supplement", period, int(aq["supplement"]))]
    duc.pension = 4_865_300
    duc.lines = [
        *duc.recurring,
        _Line("convalescence", period, amounts.one("convalescence"), f"Điều dưỡng tại gia đình năm {year}"),
    ]

    hue = person(2, "LS", "Đặng Thị Huệ", FEMALE, 1948, "022148000124", 0)
    hue.recurring = [_Line("monthly", period, int(amounts.entry("LS")["by_martyrs"]["2"]))]
    hue.lines = list(hue.recurring)
    issued = payout_day - dt.timedelta(days=20)
    hue.proxy = _Proxy("Vũ Văn Hải", ids.reserve("022072000129"), f"UQ-{issued.year}/0123",
                       _add_months_to_date(payout_day, 3))

    lanh = person(3, "BM", "Trần Thị Lành", FEMALE, 1928, "022128000125", 1)
    bm = amounts.entry("BM")
    lanh.recurring = [
        _Line("monthly", period, int(bm["amount"])),
        _Line("supplement", period, int(bm["supplement"])),
        _Line("carer", period, int(bm["carer"])),
    ]
    lanh.lines = list(lanh.recurring)

    tam = person(4, "BB", "Lê Văn Tâm", MALE, 1949, "022049000126", 1)
    tam.status, tam.death_date = DECEASED, dt.date(year, month, 3)
    tam.representative = ("Lê Thị Hoa", ids.reserve("022175000127"))
    tam.recurring = [_Line("monthly", period, amounts.by_rate("BB", 71))]
    tam.lines = [*tam.recurring, *_death_lines(tam, period, amounts)]

    nam = person(5, "HH", "Phạm Văn Nam", MALE, 1950, "022050000128", 2)
    nam.status, nam.status_note = SUSPENDED, "Tạm dừng do vắng mặt tại địa phương"
    nam.recurring = [_Line("monthly", period, amounts.by_rate("HH", 61))]
    nam.lines = list(nam.recurring)
    return [duc, hue, lanh, tam, nam]


# --- lines ----------------------------------------------------------------------------------------------------------


def _death_lines(person: _Person, period: str, amounts: _Amounts) -> list[_Line]:
    """Funeral allowance and the allowance on death (N × the monthly allowance), for the representative."""
    assert person.death_date is not None
    note = f"Từ trần ngày {person.death_date:%d/%m/%Y}"
    months = amounts.one("death_allowance", "months")
    main = person.recurring[0].amount
    return [
        _Line("funeral", period, amounts.one("funeral"), note),
        _Line("death_allowance", period, months * main, note),
    ]


def _gift_note(period: str) -> str:
    year, month = (int(p) for p in period.split("-"))
    if month in (12, 1, 2):
        tet = year + 1 if month == 12 else year
        return f"Quà Tết Nguyên đán {_STEMS[(tet - 4) % 10]} {_BRANCHES[(tet - 4) % 12]} {tet} của Chủ tịch nước"
    if month == 7:
        return "Quà nhân ngày Thương binh - Liệt sĩ 27/7"
    return "Quà thăm hỏi của địa phương"


def _fill_random(rng: random.Random, person: _Person, spec: DemoSpec, point_day: dt.date, ids: _IdPool,
                 authorisations: list[int], amounts: _Amounts) -> None:
    """Status, proxy, payment method, ID number and every line of one random person, in a fixed draw order."""
    period = spec.payout_period
    year, month = (int(p) for p in period.split("-"))
    previous = add_months(period, -1)
    has_monthly = bool(person.recurring)
    can_die = has_monthly and person.category != "TT"

    person.id_number = None if rng.random() < _P_NO_ID else ids.new(rng, person.gender, person.birth_year)
    status = rng.random()
    if has_monthly and status < _P_SUSPENDED:
        person.status, person.status_note = SUSPENDED, rng.choice(_SUSPENSION_REASONS)
        person.lines = [_Line(line.regime, line.period, line.amount, person.status_note) for line in person.recurring]
        person.method = ACCOUNT if rng.random() < _P_ACCOUNT else CASH
        return
    if can_die and status < _P_SUSPENDED + _P_DECEASED:
        person.status = DECEASED
        if rng.random() < 0.5:  # died this month, before the payout day: this month's allowance is still due
            person.death_date = dt.date(year, month, rng.randint(1, max(1, point_day.day - 1)))
            person.lines = list(person.recurring)
        else:  # died last month: only the death-related lines
            prev_year, prev_month = (int(p) for p in previous.split("-"))
            person.death_date = dt.date(prev_year, prev_month, rng.randint(1, 28))
            person.lines = []
        rep_gender = MALE if rng.random() < 0.45 else FEMALE
        rep_year = min(2005, max(1945, person.birth_year + rng.randint(22, 38)))
        person.representative = (_child_name(rng, person, rep_gender), ids.new(rng, rep_gender, rep_year))
        person.lines += _death_lines(person, period, amounts)
        return

    person.method = ACCOUNT if rng.random() < _P_ACCOUNT else CASH
    if person.method == CASH and rng.random() < _P_PROXY:
        proxy_gender = MALE if rng.random() < 0.5 else FEMALE
        proxy_year = min(2005, max(1945, person.birth_year + rng.randint(20, 40)))
        if rng.random() < _P_PROXY_EXPIRED:
            until = point_day - dt.timedelta(days=rng.randint(3, 60))
        else:
            until = point_day + dt.timedelta(days=rng.randint(60, 100))
        issued = until - dt.timedelta(days=90)
        authorisations[0] += 1
        person.proxy = _Proxy(
            _child_name(rng, person, proxy_gender),
            ids.new(rng, proxy_gender, proxy_year),
            f"UQ-{issued.year}/{authorisations[0]:04d}",
            until,
        )
    lines = list(person.recurring)
    if has_monthly and rng.random() < _P_CARRIED_OVER:
        main = person.recurring[0]
        lines.append(_Line(main.regime, previous, main.amount, CARRIED_OVER_NOTE))
    if rng.random() < _P_PENSION:  # drawn here, in the same order as ever; paid from BHXH's list
        person.pension = rng.randint(25_000, 95_000) * 100
    if has_monthly and rng.random() < _P_ARREARS:
        months = rng.randint(1, 6)
        main_amount = person.recurring[0].amount
        if rng.random() < 0.6:  # rate adjusted: the difference for the months since the decision took effect
            per_month = max(1000, round(main_amount * rng.uniform(0.1, 0.35), -3))
        else:  # newly recognised: the whole allowance
            per_month = main_amount
        year, month = (int(p) for p in previous.split("-"))
        decided = dt.date(year, month, rng.randint(1, 28))
        arrears_period = period if rng.random() < 0.5 else add_months(period, -rng.randint(1, 3))
        note = f"Truy lĩnh theo QĐ số {rng.randint(100, 2999)}/QĐ-SNV ngày {decided:%d/%m/%Y} ({months} tháng)"
        lines.append(_Line("arrears", arrears_period, int(months * per_month), note))
    if person.category in _CONVALESCENCE_CATEGORIES and rng.random() < _P_CONVALESCENCE:
        lines.append(_Line("convalescence", period, amounts.one("convalescence"),
                           f"Điều dưỡng tại gia đình năm {year}"))
    if person.category == "LS" and rng.random() < _P_WORSHIP:
        lines.append(_Line("worship", period, amounts.one("worship"), f"Thờ cúng liệt sĩ năm {year}"))
    if not has_monthly or rng.random() < _P_GIFT:
        gifts = amounts.one_time["gift"]["amounts"]
        lines.append(_Line("gift", period, int(gifts[1] if person.gift_high else gifts[0]), _gift_note(period)))
    person.lines = lines


# --- rows -----------------------------------------------------------------------------------------------------------


def generate_demo_rows(spec: DemoSpec) -> list[dict[str, object]]:
    """All rows of the Department's (Sở Nội vụ) demo list for ``spec``, ordered by commune, point, village, person;
    identical for equal specs."""
    communes, _ids = _province(spec)
    return _rows(spec, communes)


def _province(spec: DemoSpec) -> tuple[list[_Commune], _IdPool]:
    """The demo province's communes and people (the Department's list), with the pool of CCCD numbers used."""
    check_period(spec.payout_period)
    if spec.communes < 1:
        raise ValueError("a demo list needs at least one commune")
    if spec.people_per_commune is not None and spec.people_per_commune < 0:
        raise ValueError("people_per_commune must not be negative")
    rng = random.Random(spec.seed)
    amounts = _amounts()
    ids = _IdPool(spec.id_province)
    sizes = _sizes(rng, spec)
    names = _commune_names(rng, spec.communes)
    line_id_communes: set[int] = set()
    if spec.communes >= 2:
        count = max(1, round(spec.communes * _LINE_ID_COMMUNE_SHARE))
        line_id_communes = set(rng.sample(range(2, spec.communes + 1), min(count, spec.communes - 1)))

    categories = [c for c, _ in _CATEGORY_WEIGHTS]
    weights = [w for _, w in _CATEGORY_WEIGHTS]
    authorisations = [rng.randint(150, 400)]
    communes: list[_Commune] = []
    random_people: list[_Person] = []
    for index in range(1, spec.communes + 1):
        code = f"{spec.province_code}-{index:04d}"
        size = sizes[index - 1]
        if index == 1:
            commune = _fixed_commune(code, spec.payout_period)
            commune.people = _fixed_people(spec, commune, ids, amounts)
            size = max(0, size - _FIXED_COUNT)
        else:
            commune = _make_commune(rng, code, names[index - 1], size, spec.payout_period)
        commune.line_ids = index in line_id_communes
        for _ in range(size):
            category = rng.choices(categories, weights=weights)[0]
            person = _draw_person(rng, category, spec.payout_period, amounts)
            person.village = rng.randrange(len(commune.villages))
            point_day = commune.points[commune.village_point[person.village]].day
            _fill_random(rng, person, spec, point_day, ids, authorisations, amounts)
            commune.people.append(person)
            random_people.append(person)
        communes.append(commune)

    # Record numbers: unique across the province, 00001-00005 kept for the fixed people.
    if len(random_people) > 99_900:
        raise ValueError("too many demo people for 5-digit record numbers")
    for person, number in zip(random_people, rng.sample(range(100, 100_000), len(random_people))):
        person.number = number
    return communes, ids


def _rows(spec: DemoSpec, communes: list[_Commune]) -> list[dict[str, object]]:
    regimes = _regime_names()
    empty: dict[str, object] = {column: None for column, _ in COLUMNS}
    year_month = spec.payout_period.replace("-", "")
    rows: list[dict[str, object]] = []
    line_seq = 0
    for commune in communes:
        order = sorted(range(len(commune.people)),
                       key=lambda i: (commune.village_point[commune.people[i].village], commune.people[i].village, i))
        for i in order:
            person = commune.people[i]
            point = commune.points[commune.village_point[person.village]]
            base = dict(empty)
            base.update(
                record_code=f"{spec.province_code}/{person.category}-{person.number:05d}-{person.era}",
                full_name=person.full_name,
                birth_year=person.birth_year,
                gender=person.gender,
                id_number=person.id_number,
                village=commune.villages[person.village],
                commune=commune.name,
                commune_code=commune.code,
                province=spec.province_name,
                category=person.category,
                method=person.method,
                point=point.name,
                payout_date=point.day,
                payout_hours=point.hours,
                status=person.status,
                death_date=person.death_date,
            )
            if person.representative:
                base["representative"], base["representative_id"] = person.representative
            if person.proxy:
                base.update(
                    proxy_name=person.proxy.name,
                    proxy_id=person.proxy.id_number,
                    authorisation_number=person.proxy.number,
                    authorisation_until=person.proxy.until,
                )
            for line in person.lines:
                line_seq += 1
                regime_name, programme_name = regimes[line.regime]
                row = dict(base)
                row.update(
                    stt=line_seq,
                    line_id=f"L{year_month}{line_seq:07d}" if commune.line_ids else None,
                    programme=programme_name,
                    regime=regime_name,
                    period=display_period(line.period),
                    amount=line.amount,
                    note=line.note or None,
                )
                if person.status == SUSPENDED and line.note != person.status_note:
                    row["note"] = "; ".join(n for n in (person.status_note, line.note) if n)
                rows.append(row)
    return rows


def next_month_rows(rows: Sequence[Mapping[str, object]], period: str) -> list[dict[str, object]]:
    """The next month's list as a province prepares it weeks before, from this month's ``rows``: everyone still
    living (the suspended too) with their monthly lines for ``period`` (same amounts, line ids of the new month),
    payout days a month later; no one-time, arrears or death-related lines. A person whose death is recorded after
    it was prepared is still listed as receiving — the demo's contradiction."""
    check_period(period)
    policy = load_policy()
    month = display_period(period)
    out: list[dict[str, object]] = []
    for row in rows:
        regime = policy.match_regime(str(row.get("regime") or ""))
        if row.get("status") == DECEASED or regime is None or regime.kind is not LineKind.RECURRING:
            continue
        if row.get("note") and str(row.get("note")).startswith(CARRIED_OVER_NOTE):
            continue  # last month's carried line: the new list carries it only if still unpaid (not known here)
        copy = dict(row)
        copy["period"] = month
        copy["stt"] = len(out) + 1
        if copy.get("line_id"):
            copy["line_id"] = f"L{period.replace('-', '')}{str(copy['line_id'])[7:]}"
        day = copy.get("payout_date")
        if isinstance(day, dt.date):
            year, number = (int(part) for part in add_months(f"{day.year:04d}-{day.month:02d}", 1).split("-"))
            copy["payout_date"] = dt.date(year, number, min(day.day, 28))
        out.append(copy)
    return out


def demo_summary(rows: Sequence[Mapping[str, object]]) -> dict[str, int]:
    """Counts and totals of a list's rows, for tests, the CLI and the README (monthly = recurring regimes)."""
    policy = load_policy()
    recurring: dict[str, bool] = {}
    communes: set[object] = set()
    villages: set[tuple[object, object]] = set()
    points: set[tuple[object, object]] = set()
    people: set[object] = set()
    monthly = total = cash_total = 0
    for row in rows:
        regime = str(row.get("regime") or "")
        if regime not in recurring:
            info = policy.match_regime(regime)
            recurring[regime] = info is not None and info.kind is LineKind.RECURRING
        monthly += recurring[regime]
        amount = row.get("amount")
        amount = amount if isinstance(amount, int) else 0
        total += amount
        if row.get("method") != ACCOUNT:
            cash_total += amount
        communes.add(row.get("commune_code"))
        villages.add((row.get("commune_code"), row.get("village")))
        points.add((row.get("commune_code"), row.get("point")))
        people.add(row.get("record_code"))
    return {
        "communes": len(communes),
        "villages": len(villages),
        "points": len(points),
        "people": len(people),
        "lines": len(rows),
        "monthly_lines": monthly,
        "one_time_lines": len(rows) - monthly,
        "total": total,
        "cash_total": cash_total,
    }


# --- BHXH's list ----------------------------------------------------------------------------------------------------

BHXH_AGENCY = "bhxh"
DEPARTMENT_AGENCY = "so_noi_vu"
_BHXH_SHARE = 0.35
"""BHXH's own people per commune, as a share of the Department's (demo parameter, not a statistic)."""
_P_BHXH_SECOND_REGIME = 0.04
_P_BHXH_ARREARS = 0.03
_BHXH_REGIMES: tuple[tuple[str, float, int, int], ...] = (
    # regime code, weight, lowest and highest monthly amount in hundreds of đồng (demo parameters)
    ("pension", 70.0, 25_000, 120_000),
    ("si_survivor", 12.0, 11_700, 16_380),
    ("work_capacity_loss", 6.0, 29_000, 36_000),
    ("occupational_injury", 6.0, 8_000, 40_000),
    ("monthly_qd91", 6.0, 17_000, 21_000),
)
_BHXH_WORDS = {"pension": "Hưu trí", "si_survivor": "Tuất hằng tháng", "work_capacity_loss": "Mất sức lao động",
               "occupational_injury": "Tai nạn lao động – bệnh nghề nghiệp",
               "monthly_qd91": "Trợ cấp hằng tháng theo QĐ 613"}
"""How BHXH's list words each regime ("Loại chế độ"); the reader finds each in BHXH's catalogue."""


def BHXH_CODES(spec: DemoSpec) -> dict[str, str]:  # noqa: N802 - a table, named like one
    """The Mã số BHXH of the documented people on BHXH's list: Department record code → BHXH code."""
    prefix = spec.id_province[1:]
    return {f"{spec.province_code}/AQ-00001-TCM": f"{prefix}12000001",
            f"{spec.province_code}/LS-00002-TCM": f"{prefix}12000002",
            f"{spec.province_code}/BM-00003-TCM": f"{prefix}12000003"}


CONFLICT_NAME = "Đặng Thị Thu Huệ"
"""How BHXH's demo list spells Đặng Thị Huệ (same CCCD and birth year): the demo's identity conflict."""


@dataclass
class _BhxhPerson:
    code: str
    full_name: str
    birth_year: int
    id_number: str | None
    commune: _Commune
    village: int
    lines: list[tuple[str, int, int]]  # (regime code, monthly amount, arrears)


def _bhxh_people(spec: DemoSpec, communes: list[_Commune], ids: _IdPool) -> list[_BhxhPerson]:
    """BHXH's people, commune by commune: the documented three, the Department's pensioners, BHXH's own."""
    rng = random.Random(f"bhxh-{spec.seed}")  # its own draws: the Department's list stays as it was
    prefix = spec.id_province[1:]
    used: set[str] = set(BHXH_CODES(spec).values())

    def new_code() -> str:
        while True:
            code = f"{prefix}{rng.randrange(20_000_000, 100_000_000):08d}"
            if code not in used:
                used.add(code)
                return code

    people: list[_BhxhPerson] = []
    fixed = BHXH_CODES(spec)
    for commune in communes:
        for person in commune.people:
            record = f"{spec.province_code}/{person.category}-{person.number:05d}-{person.era}"
            if record == f"{spec.province_code}/LS-00002-TCM":
                survivor = 16_380 * 100
                people.append(_BhxhPerson(fixed[record], CONFLICT_NAME, person.birth_year, person.id_number, commune,
                                          person.village, [("si_survivor", survivor, 0)]))
            elif record == f"{spec.province_code}/BM-00003-TCM":
                people.append(_BhxhPerson(fixed[record], person.full_name, person.birth_year, None, commune,
                                          person.village, [("si_survivor", 11_700 * 100, 0)]))
            elif person.pension:
                code = fixed.get(record) or new_code()
                id_number = person.id_number or ids.new(rng, person.gender, person.birth_year)
                people.append(_BhxhPerson(code, person.full_name, person.birth_year, id_number, commune,
                                          person.village, [("pension", person.pension, 0)]))
        own = round(len(commune.people) * _BHXH_SHARE)
        for _ in range(own):
            gender = MALE if rng.random() < 0.55 else FEMALE
            born = rng.randint(1938, 1966)
            regime, _weight, low, high = rng.choices(_BHXH_REGIMES, weights=[r[1] for r in _BHXH_REGIMES])[0]
            amount = rng.randint(low, high) * 100
            lines = [(regime, amount, _bhxh_arrears(rng, amount))]
            if regime == "pension" and rng.random() < _P_BHXH_SECOND_REGIME:
                lines.append(("occupational_injury", rng.randint(8_000, 30_000) * 100, 0))
            people.append(_BhxhPerson(new_code(), _full_name(rng, gender), born, ids.new(rng, gender, born), commune,
                                      rng.randrange(len(commune.villages)), lines))
    return people


def _bhxh_arrears(rng: random.Random, amount: int) -> int:
    if rng.random() >= _P_BHXH_ARREARS:
        return 0
    return rng.randint(1, 3) * int(round(amount * rng.uniform(0.05, 0.2), -2))


def generate_bhxh_rows(spec: DemoSpec) -> list[dict[str, object]]:
    """BHXH's demo chi trả list for ``spec``: rows keyed by ``app.lists.bhxh_sheet.BHXH_COLUMNS`` ids (plus
    ``village`` for summaries), one row per regime with its arrears in "Truy lĩnh"; same point and day as the
    Department's list for the same village, since the post office pays both there. Identical for equal specs."""
    communes, ids = _province(spec)
    month = display_period(spec.payout_period)
    rows: list[dict[str, object]] = []
    for person in _bhxh_people(spec, communes, ids):
        commune = person.commune
        village = commune.villages[person.village]
        point = commune.points[commune.village_point[person.village]]
        for regime, amount, arrears in person.lines:
            rows.append({
                "record_code": person.code,
                "full_name": person.full_name,
                "birth": person.birth_year,
                "id_number": person.id_number,
                "address": f"{village}, {commune.name}, {spec.province_name}",
                "village": village,
                "commune_code": commune.code,
                "regime": _BHXH_WORDS[regime],
                "period": month,
                "amount": amount,
                "arrears": arrears or None,
                "point": point.name,
                "payout_date": point.day,
                "payout_hours": point.hours,
            })
    return rows


@dataclass(frozen=True)
class DemoList:
    """One agency's demo list as a file, ready for ``read_list(path, payout_period=..., agency=agency)``."""

    agency: str
    path: Path
    payout_period: str


def write_demo_lists(folder: Path, spec: DemoSpec, *, department_xlsx: bool = False) -> tuple[DemoList, ...]:
    """Write the demo province's lists for ``spec`` into ``folder``, each once (an existing file is kept): the
    Department's ``danh-sach-thu-YYYY-MM.csv`` (``.xlsx`` with ``department_xlsx``, as the desk's own demo writes
    it) and BHXH's ``danh-sach-bhxh-YYYY-MM.xlsx`` in BHXH's layout. Returns them in import order."""
    from app.lists.bhxh_sheet import write_bhxh_xlsx
    from app.lists.writer import write_list_csv, write_list_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    period = spec.payout_period
    department = folder / f"danh-sach-thu-{period}.{'xlsx' if department_xlsx else 'csv'}"
    if not department.exists():
        if department_xlsx:
            write_list_xlsx(department, generate_demo_rows(spec), payout_period=period, demo=True)
        else:
            write_list_csv(department, generate_demo_rows(spec), payout_period=period)
    bhxh = folder / f"danh-sach-bhxh-{period}.xlsx"
    if not bhxh.exists():
        office = "BẢO HIỂM XÃ HỘI " + spec.province_name.upper()
        write_bhxh_xlsx(bhxh, generate_bhxh_rows(spec), payout_period=period, office=office, demo=True)
    return (DemoList(DEPARTMENT_AGENCY, department, period), DemoList(BHXH_AGENCY, bhxh, period))


def demo_lists(folder: Path, spec: DemoSpec, *, department_xlsx: bool = False) -> list[tuple[str, ParsedList]]:
    """The demo province's lists read through the real reader, each told its agency: [(agency, ParsedList)], the
    Department's first. What the desk's ``--demo`` and the embedded server import, one list per agency."""
    from app.lists.reader import read_list

    return [(item.agency, read_list(item.path, payout_period=item.payout_period, agency=item.agency))
            for item in write_demo_lists(folder, spec, department_xlsx=department_xlsx)]
