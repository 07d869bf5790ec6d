"""Reading the QR code of a Vietnamese chip ID card (CCCD) as a USB scanner types it.

The QR text is `id_number|old_id|full name|ddmmyyyy birth|gender|address|ddmmyyyy issued` (newer cards may add
fields; extra fields are ignored). A scanner acts as a keyboard, so with the wrong keyboard layout or code page
the accented fields arrive garbled ("Nguy?n V?n ??c", "NguyÃªn VÄƒn", "Nguyn Vn c") while the 12-digit ID, being
ASCII, survives. Only the ID is needed to find the person, so the ID is strict and every other field is
best-effort: a field that does not read cleanly becomes None rather than showing or storing garbage.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from app.domain.text import fold

__all__ = ["IdCardQr", "IdCardQrError", "looks_like_id_card_qr", "parse_id_card_qr", "is_id_number"]

_SEPARATOR = "|"
# Look-alikes of "|" produced by other code pages or a full-width input method.
_SEPARATOR_VARIANTS = str.maketrans({"\u00a6": _SEPARATOR, "\uff5c": _SEPARATOR})
# Some scanners prefix the AIM symbology identifier, "]Q1" for QR codes; it contains a digit, so drop it first.
_AIM_PREFIX_RE = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
# Up to 3 stray non-digits (whitespace, a dead key, a BOM) may precede the ID.
_LEADING_ID_RE = re.compile(r"[^0-9]{0,3}([0-9]+)")
_ID_FIRST_RE = re.compile(r"[^0-9]{0,3}[0-9]{12}(?![0-9])")
_ID_NUMBER_RE = re.compile(r"[0-9]{12}")
_OLD_ID_RE = re.compile(r"[0-9]{9}|[0-9]{12}")
_DATE_RE = re.compile(r"[0-9]{8}")

# Vietnamese letters are Latin letters carrying only these marks (plus đ/Đ): grave, acute, circumflex, tilde,
# breve, hook above, horn, dot below. Anything else in a name (Ä, Æ, ª, », ?, U+FFFD) is a decoding accident.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323")
_VOWELS = frozenset("aeiouy")
_ADDRESS_PUNCTUATION = frozenset(" ,.;:/-()'#&+\"")
_NAME_PUNCTUATION = frozenset(" '-.")
_GENDERS = {"nam": "Nam", "nữ": "Nữ"}


class IdCardQrError(ValueError):
    """The text is not a usable ID-card QR; `code` lets the UI choose its own translated message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class IdCardQr:
    """What could be read from one scan; only `id_number` is guaranteed, `raw` keeps the text as scanned."""

    id_number: str
    old_id: str | None
    full_name: str | None
    birth_date: datetime.date | None
    gender: str | None
    address: str | None
    issued: datetime.date | None
    raw: str


def _prepare(text: str) -> str:
    """One normal form for both the cheap check and the parser, so they never disagree about a scan."""
    cleaned = unicodedata.normalize("NFC", text).translate(_SEPARATOR_VARIANTS).strip()
    return _AIM_PREFIX_RE.sub("", cleaned)


def looks_like_id_card_qr(text: str) -> bool:
    """Cheap test run on each burst of keystrokes: ≥ 4 separators and a 12-digit first field.

    Deliberately false for a bare ID number or any ordinary search text, which the search box handles itself.
    """
    if text.count(_SEPARATOR) + text.count("\u00a6") + text.count("\uff5c") < 4:
        return False
    return _ID_FIRST_RE.match(_prepare(text)) is not None


def is_id_number(text: str) -> bool:
    """True for a CCCD number: exactly 12 ASCII digits once spaces are removed (people type "001 089 012 345")."""
    return _ID_NUMBER_RE.fullmatch("".join(text.split())) is not None


def _find_separator(text: str) -> str | None:
    """Return the field separator: "|" normally; rarely the scanner types it as another symbol, which we accept
    when it directly follows the leading digits and occurs at least 4 times."""
    if _SEPARATOR in text:
        return _SEPARATOR
    match = _LEADING_ID_RE.match(text)
    if match is None or match.end() >= len(text):
        return None
    candidate = text[match.end()]
    if candidate.isalnum() or candidate.isspace() or text.count(candidate) < 4:
        return None
    return candidate


def _is_vietnamese_letter(ch: str) -> bool:
    """True for a Latin letter whose only marks are Vietnamese ones, or đ/Đ."""
    if ch in "đĐ":
        return True
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    return base.isascii() and base.isalpha() and all(m in _VIETNAMESE_MARKS for m in marks)


def _clean_text(field: str, allowed_punctuation: frozenset[str], allow_digits: bool) -> str | None:
    """Return the field in NFC with single spaces, or None if any character shows a decoding accident."""
    value = " ".join(unicodedata.normalize("NFC", field).split())
    if not value:
        return None
    for ch in value:
        if _is_vietnamese_letter(ch) or ch in allowed_punctuation or (allow_digits and "0" <= ch <= "9"):
            continue
        return None
    return value


def _clean_name(field: str) -> str | None:
    """A name reads cleanly when it has only Vietnamese letters and every word has a vowel.

    Every Vietnamese syllable has a vowel, so a word without one ("Vn", "c") means the scanner dropped the
    accented letters, as in "Nguyn Vn c".
    """
    value = _clean_text(field, _NAME_PUNCTUATION, allow_digits=False)
    if value is None:
        return None
    for word in fold(value).split():
        if not _VOWELS.intersection(word):
            return None
    return value


def _parse_date(field: str) -> datetime.date | None:
    """ddmmyyyy → date; anything else (garbled, impossible date) → None."""
    value = field.strip()
    if not _DATE_RE.fullmatch(value):
        return None
    try:
        date = datetime.date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        return None
    return date if date.year >= 1900 else None


def parse_id_card_qr(text: str) -> IdCardQr:
    """Parse a scan; raises IdCardQrError ("empty", "not_id_card_qr", "bad_id_number") only about the ID itself.

    When the name is garbled the address is dropped too (the same scanner garbles both, and a dropped letter in an
    address is not detectable on its own); gender is kept only if it reads exactly "Nam" or "Nữ".
    """
    prepared = _prepare(text)
    if not prepared:
        raise IdCardQrError("empty", "The scanned text is empty.")
    separator = _find_separator(prepared)
    if separator is None:
        raise IdCardQrError("not_id_card_qr", "The scanned text has no field separators; it is not an ID-card QR code.")
    fields = prepared.split(separator)
    first = fields[0].strip()
    match = _LEADING_ID_RE.match(first)
    if match is None:
        if any("0" <= ch <= "9" for ch in first):
            raise IdCardQrError("bad_id_number", f"The ID number in the scan is not 12 digits: {first!r}.")
        raise IdCardQrError("not_id_card_qr", "The scanned text does not start with an ID number.")
    if match.end() != len(first) or not _ID_NUMBER_RE.fullmatch(match.group(1)):
        raise IdCardQrError("bad_id_number", f"The ID number in the scan is not 12 digits: {first!r}.")

    def field(index: int) -> str:
        return fields[index] if index < len(fields) else ""

    old_id = field(1).strip()
    full_name = _clean_name(field(2))
    name_garbled = full_name is None and bool(field(2).strip())
    gender = _GENDERS.get(unicodedata.normalize("NFC", field(4)).strip().casefold())
    address = None if name_garbled else _clean_text(field(5), _ADDRESS_PUNCTUATION, allow_digits=True)
    return IdCardQr(
        id_number=match.group(1),
        old_id=old_id if _OLD_ID_RE.fullmatch(old_id) else None,
        full_name=full_name,
        birth_date=_parse_date(field(3)),
        gender=gender,
        address=address,
        issued=_parse_date(field(6)),
        raw=text,
    )
