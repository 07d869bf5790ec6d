"""Vietnamese text helpers: one normal form for storage and one folded form for search.

Names arrive from spreadsheets, keyboards and ID-card scanners in mixed Unicode forms (NFC, NFD, legacy
input methods) and people search without tone marks ("nguyen van duc"). Storage uses NFC so equal names compare
equal; search indexes and queries use `fold` so "Đức", "ĐỨC" and "duc" all meet. SQLite's FTS5 `remove_diacritics`
does not fold Đ/đ, which is why folding is done here and the folded text is indexed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["nfc", "fold", "fold_tokens", "sort_key", "person_name_key", "person_name_bytes", "key_bytes", "place_key",
           "SortKey"]

# Đ/đ are letters of their own (no decomposition), so dropping combining marks does not touch them.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})
# A token is a run of letters or digits; "_" is a word character for `re` but a separator for us.
_TOKEN_RE = re.compile(r"[^\W_]+")


def nfc(s: str) -> str:
    """Return the NFC form, the one form we store, so equal text compares equal whatever its source."""
    return unicodedata.normalize("NFC", s)


def fold(s: str) -> str:
    """Fold text for search: no tone or vowel marks, đ→d, case-folded, single spaces, trimmed.

    Case folding runs before and after mark removal so that the result is a fixed point
    (`fold(fold(s)) == fold(s)`), which lets the index and the query be folded independently.
    """
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", s).casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    folded = stripped.translate(_D_MAP).casefold()
    return " ".join(folded.split())


def fold_tokens(s: str) -> list[str]:
    """Fold, then split on every non-alphanumeric character, so record codes like "QNH/LS-01234" match by part."""
    return _TOKEN_RE.findall(fold(s))


# --- Vietnamese alphabetical order ------------------------------------------------------------------------------------
#
# `sorted()` on code points puts Đ after Y and "Ăn" after "Ba"; people read lists in the order of the Vietnamese
# alphabet. `sort_key` is the one key every sorted list uses (desk, documents, server reports), pure Python so it
# behaves the same on every platform and needs no ICU. It follows CLDR's Vietnamese collation (what ICU and Qt's
# QCollator do for vi_VN, which the tests compare against):
#
# - primary: letters in the order a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (the foreign letters
#   f j w z in their Latin places); a space sorts before everything, then punctuation, then numbers, then letters;
#   a run of digits compares by its value, so "Thôn 2" comes before "Thôn 10";
# - secondary: the tone of each letter, none < huyền < hỏi < ngã < sắc < nặng (other accents after them);
# - tertiary: lower case before upper case (then leading zeros, then the code point of a symbol).
#
# Text is taken in NFC with runs of white space made one space and the ends trimmed, so "Lê  Văn" and "Lê Văn" are
# the same key; two texts that differ after that never get the same key (the order is total).

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_WEIGHT = {letter: 100 + index for index, letter in enumerate(_ALPHABET)}
_OTHER_CHAR = 1_000  # letters of other scripts: after every Vietnamese letter, by code point
_SPACE, _SYMBOL, _NUMBER = 1, 2, 10
# Marks that make a letter of its own (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
                 ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
# huyền (grave), hỏi (hook above), ngã (tilde), sắc (acute), nặng (dot below)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_DIGITS = frozenset("0123456789")

Weights = tuple[int, int, int]
SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


_MARK_BASE = 0x110000  # more than any code point: marks are digits of one number, so every sequence is distinct


def _with_mark(secondary: int, mark: str) -> int:
    """Add one accent to a letter's secondary weight: a tone is 1–5, any other accent comes after all tones."""
    return secondary * _MARK_BASE + _TONES.get(mark, 6 + ord(mark))


@lru_cache(maxsize=4096)
def _char_weights(ch: str) -> Weights:
    """(primary, secondary, tertiary) of one NFC code point that is neither white space nor an ASCII digit."""
    lower = ch.lower()
    upper = int(lower != ch)
    decomposed = unicodedata.normalize("NFD", lower if len(lower) == 1 else ch)
    base, marks = decomposed[0], decomposed[1:]
    if unicodedata.category(base) == "Mn":  # a combining mark with no letter before it
        return (_SYMBOL, 0, ord(ch))
    letter = base
    secondary = 0
    foreign = False
    for mark in marks:
        combined = _LETTER_MARKS.get((letter, mark))
        if combined is not None:
            letter = combined
        else:
            foreign = foreign or mark not in _TONES
            secondary = _with_mark(secondary, mark)
    weight = _LETTER_WEIGHT.get(letter)
    if weight is not None:
        # with a foreign accent the code point itself tells such letters apart (tertiary ≥ 2, after both cases)
        return (weight, secondary, 2 + ord(ch) if foreign else upper)
    if ch.isalpha():
        # a letter of another alphabet: primary from its base, marks and code point keep it distinct
        return (_OTHER_CHAR + ord(base), secondary, ord(ch))
    return (_SYMBOL, 0, ord(ch))


@lru_cache(maxsize=65_536)
def sort_key(text: str) -> SortKey:
    """The key that sorts text in Vietnamese alphabetical order (see above): ``sorted(names, key=sort_key)``.

    Total and deterministic: equal keys mean equal text after NFC and white-space normalisation. Cached, since the
    same names and places are sorted again and again.
    """
    canonical = " ".join(nfc(text).split())
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    index, length = 0, len(canonical)
    while index < length:
        ch = canonical[index]
        if ch == " ":
            primary.append(_SPACE)
            secondary.append(0)
            tertiary.append(0)
            index += 1
        elif ch in _DIGITS:
            end = index
            while end < length and canonical[end] in _DIGITS:
                end += 1
            digits = canonical[index:end]
            value = digits.lstrip("0") or "0"
            primary.extend((_NUMBER, len(value), *(int(d) for d in value)))
            secondary.extend(0 for _ in range(len(value) + 2))
            tertiary.extend((len(digits) - len(value), *(0 for _ in range(len(value) + 1))))
            index = end
        elif primary and primary[-1] != _SPACE and unicodedata.category(ch) == "Mn":
            # an accent NFC could not join to the character before it (a tone on a consonant): it still belongs there
            secondary[-1] = _with_mark(secondary[-1], ch)
            index += 1
        else:
            first, second, third = _char_weights(ch)
            primary.append(first)
            secondary.append(second)
            tertiary.append(third)
            index += 1
    return tuple(primary), tuple(secondary), tuple(tertiary)


@lru_cache(maxsize=65_536)
def person_name_key(full_name: str) -> tuple[SortKey, ...]:
    """Sort people as Vietnamese lists do: by given name (the last word), then family name (the first word), then
    the middle names; each part in Vietnamese order (``sort_key``), tones included, so all the "Anh" come before all
    the "Ánh". "Trần Văn An" < "Lê Thị Bình" < "Nguyễn Bình"."""
    words = nfc(full_name).split()
    if not words:
        return (sort_key(""),)
    given, family, middle = words[-1], words[0] if len(words) > 1 else "", " ".join(words[1:-1])
    return sort_key(given), sort_key(family), sort_key(middle)


def key_bytes(key: SortKey | tuple[SortKey, ...]) -> bytes:
    """A key of non-negative integers in tuples, or tuples of tuples (``sort_key``, ``person_name_key``), as bytes that
    compare, byte by byte, exactly as the key compares — so a database can keep it in a column and ``ORDER BY`` it
    (SQLite compares BLOBs with ``memcmp``, shorter first on a tie) instead of reading a whole list to sort it.

    Each integer is written as its length in bytes (1–255) and then its big-endian bytes (no leading zeros, so a longer
    number is a larger one); each sequence of integers ends with a 0 byte, which sorts before any integer, so a
    sequence sorts before every longer one it begins. Sequences are written one after another in key order.
    """
    out = bytearray()
    append = out.append
    for part in key:
        for sequence in (part if part and isinstance(part[0], tuple) else (part,)):
            for value in sequence:
                if value < 256:  # nearly every weight: one byte of length, one of value
                    append(1)
                    append(value)
                else:
                    size = (value.bit_length() + 7) // 8
                    append(size)
                    out.extend(value.to_bytes(size, "big"))
            append(0)
    return bytes(out)


def person_name_bytes(full_name: str) -> bytes:
    """``person_name_key`` as bytes (``key_bytes``): stored beside a person, so a point's people are listed in
    Vietnamese order by the database (``beneficiaries.name_key``)."""
    return key_bytes(person_name_key(full_name))


# The words that say what kind of place a name is ("Xã Hà Phong", "Thôn Đông Xá"), matched with their tones so
# that "Quan Lạn" keeps its first word (unlike "Quận"); a place sorts by the name after them, so "Phường Hà Tu" and
# "Xã Hà Phong" sit together under H.
_PLACE_KINDS = tuple(sorted(
    ("tỉnh", "thành phố", "quận", "huyện", "thị xã", "thị trấn", "xã", "phường", "đặc khu", "thôn", "xóm", "ấp",
     "bản", "buôn", "làng", "khu", "khu phố", "khu dân cư", "tổ", "tổ dân phố", "khối", "khóm", "sóc", "plei"),
    key=len, reverse=True))


@lru_cache(maxsize=16_384)
def place_key(name: str) -> tuple[SortKey, SortKey]:
    """Sort places (provinces, communes, villages, payout points) by their name in Vietnamese order, leaving out the
    word that says what kind of place it is: "Xã Hà Phong" < "Phường Hoàng Quế", "Thôn Đông Xá" < "Thôn Tây Xá",
    "Thôn 2" < "Thôn 10"; the full name breaks ties ("Phường Hà An" < "Xã Hà An")."""
    words = nfc(name).split()
    proper = words
    for kind in _PLACE_KINDS:
        size = kind.count(" ") + 1
        if len(words) > size and " ".join(words[:size]).casefold() == kind:
            proper = words[size:]
            break
    return sort_key(" ".join(proper)), sort_key(name)
