"""Which agency's list a file is, and the layout it is read with.

Why: the post office pays several agencies' money, each sending its own list. The Department's (Sở Nội vụ) list has a
"Loại đối tượng" column and record codes like ``QNH/LS-01234-TCM``; BHXH's chi trả list has "Mã số BHXH", "Số định
danh cá nhân", "Loại chế độ", "Số tiền tháng này", "Truy lĩnh", "Tổng số tiền được nhận", often no commune column
(its title or each person's "Địa chỉ" names the commune) and no category at all. The reader is told the agency, or
detects it from the header row and the title rows with the hints in ``regimes.json`` (data a province can extend);
telling always wins over detection.

Detection: a header row with "Loại đối tượng" is the standard layout (BHXH's lists have no category). Otherwise each
agency whose layout differs from the standard one scores one point per header hint the header row
has and one when a title row holds one of its title words; two points or more and the best score make the list that
agency's. A list in the standard layout is never assigned an agency by its look (the Department's and the commune's
lists look alike, and lists from before agencies were named mix programmes): unless told, its agency is that of its
lines' programmes, or none when they belong to several agencies.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.domain.errors import BadInputError
from app.domain.policy import BHXH_LAYOUT, STANDARD_LAYOUT, PolicyReference
from app.domain.text import fold
from app.lists.columns import BHXH_HEADERS, BHXH_REQUIRED, HEADERS, REQUIRED, match_header, normalise_header

__all__ = ["Layout", "DETECTION_THRESHOLD", "told_agency", "choose_layout", "title_commune", "title_province",
           "address_place"]

DETECTION_THRESHOLD = 2
"""Points an agency's hints must reach for an untold list to be read as that agency's."""

_REQUIRED_BY_LAYOUT: dict[str, tuple[str, ...]] = {STANDARD_LAYOUT: REQUIRED, BHXH_LAYOUT: BHXH_REQUIRED}

_PLACE = re.compile(r"(?<![\w])(xã|phường|thị trấn|đặc khu)\s+([^\W\d_][^,;:()\[\]\n]*)", re.IGNORECASE)
_VILLAGE_WORDS = ("thon ", "to ", "khu ", "ap ", "xom ", "ban ", "to dan pho ", "khom ", "buon ", "lang ")


@dataclass(frozen=True)
class Layout:
    """How a list is read: its layout kind, the columns it cannot do without, and its agency (None: untold and in
    the standard layout, so its lines' programmes say it)."""

    kind: str
    required: tuple[str, ...]
    agency: str | None
    told: bool = False

    def required_headers(self) -> str:
        """The required columns in the words of the layout's own lists (for "no header" refusals)."""
        names = BHXH_HEADERS if self.kind == BHXH_LAYOUT else {}
        return ", ".join(names.get(column) or HEADERS[column] for column in self.required)


def told_agency(policy: PolicyReference, agency: str | None) -> str | None:
    """The agency code a caller told (stripped), checked against the policy; BadInputError naming the known ones."""
    if agency is None or not agency.strip():
        return None
    code = agency.strip()
    if policy.agency(code) is None:
        raise BadInputError("unknown_agency", value=code, known=", ".join(policy.agencies))
    return code


def _header_texts(row: Iterable[object]) -> set[str]:
    return {normalise_header(value) for value in row if isinstance(value, str) and value.strip()}


def _title_text(rows: Iterable[Sequence[object]]) -> str:
    return " | ".join(fold(value) for row in rows for value in row if isinstance(value, str) and value.strip())


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None


def choose_layout(policy: PolicyReference, told: str | None, header_row: Sequence[object],
                  title_rows: Sequence[Sequence[object]]) -> Layout:
    """The layout a list with this header row and title block is read with (see the module docstring)."""
    if told is not None:
        info = policy.agency(told)
        kind = info.layout if info is not None else STANDARD_LAYOUT
        return Layout(kind, _REQUIRED_BY_LAYOUT[kind], told, told=True)
    if any(match_header(value) == "category" for value in header_row):
        return Layout(STANDARD_LAYOUT, REQUIRED, None)  # a "Loại đối tượng" column: the Department's layout
    headers = _header_texts(header_row)
    title = _title_text(title_rows)
    best: tuple[int, str, str] | None = None
    for code, info in policy.agencies.items():
        if info.layout == STANDARD_LAYOUT:
            continue
        score = sum(hint in headers for hint in info.header_hints)
        score += any(_has_word(title, word) for word in info.title_hints)
        if score >= DETECTION_THRESHOLD and (best is None or score > best[0]):
            best = (score, code, info.layout)
    if best is None:
        return Layout(STANDARD_LAYOUT, REQUIRED, None)
    return Layout(best[2], _REQUIRED_BY_LAYOUT[best[2]], best[1])


def _place_name(kind: str, name: str) -> str:
    """"PHƯỜNG" + "HỒNG HẢI" → "Phường Hồng Hải"; a name already in mixed case keeps its own capitals."""
    text = unicodedata.normalize("NFC", f"{kind} {' '.join(name.split())}").strip(" .-–")
    if text.upper() == text:
        return text.title()
    return text[:1].upper() + text[1:]


def _first_place(text: str) -> str | None:
    for match in _PLACE.finditer(unicodedata.normalize("NFC", text)):
        name = match.group(2).strip()
        if not name or fold(name).startswith("hoi"):  # "Bảo hiểm xã hội" names no commune
            continue
        return _place_name(match.group(1), name)
    return None


def title_commune(rows: Iterable[Sequence[object]]) -> str | None:
    """The commune a list's title block names ("Xã Quảng La", "ĐIỂM CHI TRẢ: PHƯỜNG HỒNG HẢI"), if any."""
    for row in rows:
        for value in row:
            if isinstance(value, str) and value.strip():
                found = _first_place(value)
                if found is not None:
                    return found
    return None


_PROVINCE = re.compile(r"(?<![\w])(tỉnh|thành phố)\s+([^\W\d_][^,;:()\[\]\n]*)", re.IGNORECASE)


def title_province(rows: Iterable[Sequence[object]]) -> str | None:
    """The province a title block names ("BẢO HIỂM XÃ HỘI TỈNH QUẢNG NINH" → "Tỉnh Quảng Ninh"), if any: the name of
    a list that has no province column."""
    for row in rows:
        for value in row:
            if isinstance(value, str) and value.strip():
                match = _PROVINCE.search(unicodedata.normalize("NFC", value))
                if match is not None:
                    return _place_name(match.group(1), match.group(2).strip())
    return None


@lru_cache(maxsize=16384)
def address_place(address: str) -> tuple[str | None, str | None]:
    """(commune, village) of an address such as "Khu 3, Phường Hồng Hải, Tỉnh Quảng Ninh": the part naming a xã,
    phường, thị trấn or đặc khu, and a first part naming a thôn, tổ, khu, ấp, xóm or bản. Cached: a village's
    people share one address."""
    parts = [" ".join(part.split()) for part in unicodedata.normalize("NFC", address).split(",")]
    commune: str | None = None
    for part in parts:
        found = _first_place(part)
        if found is not None and fold(part).startswith(("xa ", "phuong ", "thi tran ", "dac khu ")):
            commune = found
            break
    village: str | None = None
    if parts and fold(parts[0]).startswith(_VILLAGE_WORDS) and len(parts) > 1:
        village = parts[0]
    return commune, village
