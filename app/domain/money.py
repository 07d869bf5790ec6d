"""Money as integer VND: display, words for receipts, and strict parsing of spreadsheet cells.

VND has no minor unit in practice and a float would silently lose đồng on large sums, so every amount in the app
is an `int`. Parsing is strict on purpose: a cell like "2.5" could mean 2,5 or 2.500 and a wrong guess pays the
wrong amount in cash, so anything ambiguous is refused and shown to the operator instead.
"""

from __future__ import annotations

import math
import re
import unicodedata

__all__ = ["format_vnd", "format_number", "amount_in_words", "parse_vnd"]

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9


def _require_int(amount: object) -> int:
    """Reject floats, bools and everything else early: a bool or float amount is always a bug upstream."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amount must be an int (VND), not {type(amount).__name__}")
    return amount


def format_number(amount: int) -> str:
    """Format with Vietnamese thousands dots, e.g. 2789000 → "2.789.000" (lists and tables)."""
    value = _require_int(amount)
    digits = f"{abs(value):,}".replace(",", ".")
    return f"-{digits}" if value < 0 else digits


def format_vnd(amount: int) -> str:
    """Format for people, e.g. 2789000 → "2.789.000 ₫"; the symbol follows a normal space as Vietnamese does."""
    return f"{format_number(amount)} ₫"


def _tens_and_units(tens: int, units: int) -> list[str]:
    """Read the last two digits of a group (not both zero), without the "linh" that only follows a hundreds."""
    if tens == 0:
        return [_DIGITS[units]]
    words = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units:
        words.append(_DIGITS[units])
    return words


def _group(value: int, full: bool) -> list[str]:
    """Read 1..999; `full` reads "không trăm"/"linh" as every group after the leading one must."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if rest:
        if tens == 0 and words:
            words.append("linh")
        words += _tens_and_units(tens, units)
    return words


def _below_billion(value: int, full: bool) -> list[str]:
    """Read 1..999,999,999 as triệu / nghìn / units groups, skipping groups that are zero."""
    words: list[str] = []
    for group, name in ((value // 1_000_000, "triệu"), (value // 1000 % 1000, "nghìn"), (value % 1000, "")):
        if group:
            words += _group(group, full or bool(words))
            if name:
                words.append(name)
    return words


def _words(value: int, full: bool) -> list[str]:
    """Read any positive int; above a billion the count of tỷ is itself read, giving "nghìn tỷ", "triệu tỷ"."""
    high, low = divmod(value, _BILLION)
    words: list[str] = []
    if high:
        words += _words(high, full)
        words.append("tỷ")
    if low:
        words += _below_billion(low, full or bool(high))
    return words


def amount_in_words(amount: int) -> str:
    """Spell an amount in Vietnamese for receipts and minutes, e.g. 2789000 → "Hai triệu bảy trăm tám mươi chín
    nghìn đồng".

    Convention (the usual one on Vietnamese accounting documents and invoices):
    - groups of three digits named nghìn, triệu, tỷ; above a tỷ the number of tỷ is read again ("một nghìn tỷ",
      "một triệu tỷ"); groups that are all zero are left out (1000000 → "Một triệu", 1000001 → "Một triệu không
      trăm linh một");
    - the leading group is read as it is (21 → "hai mươi mốt"); every later non-zero group is read with all three
      digits, so a zero hundreds is "không trăm" (1005000 → "một triệu không trăm linh năm nghìn");
    - "linh" for a zero tens after a hundreds (101 → "một trăm linh một"); "mười" for 10–19; "mươi" for 20–90;
    - units: "mốt" for 1 and "tư" for 4 after mươi (21, 24), "lăm" for 5 after mười or mươi (15, 25), otherwise
      the plain digit (11 → "mười một", 14 → "mười bốn");
    - 0 → "Không đồng"; negative amounts get the prefix "Âm"; the first letter is capitalised.
    """
    value = _require_int(amount)
    if value == 0:
        words = ["không"]
    else:
        words = _words(abs(value), full=False)
        if value < 0:
            words.insert(0, "âm")
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]


# Currency marks accepted after the number; compared after NFC + casefold.
_CURRENCY_SUFFIX_RE = re.compile(r"\s*(?:₫|đ|đồng|vnd|vnđ)\.?$")
# Spaces that spreadsheets and word processors use as thousands separators.
_SPACE_SEPARATORS = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_PLAIN_RE = re.compile(r"[0-9]+")
_GROUPED_RE = re.compile(r"[1-9][0-9]{0,2}(?P<sep>[., ])[0-9]{3}(?:(?P=sep)[0-9]{3})*")


def parse_vnd(value: object) -> int:
    """Parse an amount as a spreadsheet cell holds it, refusing anything that could be misread.

    Accepted: int; an integral float (Excel stores numbers as floats); text of ASCII digits, either plain or grouped
    by one kind of separator ("." "," or a space) where every group after the first has exactly three digits, with an
    optional leading "-" and an optional trailing ₫ / đ / đồng / VND. Refused with ValueError: bool, fractions,
    "2.5", "2,5", mixed separators, bad grouping ("1.23.4"), empty or non-numeric text.
    """
    if isinstance(value, bool):
        raise ValueError("amount must be a number, not a true/false value")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"amount {value!r} is not a whole number of đồng")
        return int(value)
    if not isinstance(value, str):
        raise ValueError(f"amount must be a number or text, not {type(value).__name__}")
    text = unicodedata.normalize("NFC", value).translate(_SPACE_SEPARATORS).strip().casefold()
    if not text:
        raise ValueError("amount is empty")
    text = _CURRENCY_SUFFIX_RE.sub("", text)
    negative = text[:1] in ("-", "\u2212")
    if negative:
        text = text[1:].lstrip()
    if _PLAIN_RE.fullmatch(text):
        number = int(text)
    elif _GROUPED_RE.fullmatch(text):
        number = int(re.sub(r"[., ]", "", text))
    else:
        raise ValueError(
            f"amount {value.strip()!r} is not a whole VND amount "
            "(use digits, optionally grouped by 3 with '.', ',' or spaces, e.g. 2.789.000)"
        )
    return -number if negative else number
