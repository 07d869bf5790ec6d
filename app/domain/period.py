"""Payout periods (kỳ chi trả) as ``YYYY-MM`` strings.

A period is kept as text so it sorts correctly, is readable in the database and travels unchanged on the wire;
these helpers are the only place that knows its shape.
"""

from __future__ import annotations

import datetime as dt
import re

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_LIST_PERIOD = re.compile(r"^\s*(?:T|Th[aá]ng)?\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$", re.IGNORECASE)


def is_period(text: str) -> bool:
    """True for a well-formed ``YYYY-MM`` period."""
    return bool(_PERIOD.match(text))


def check_period(text: str) -> str:
    """Return ``text`` if it is a ``YYYY-MM`` period, else raise ValueError."""
    if not is_period(text):
        raise ValueError(f"not a period (YYYY-MM): {text!r}")
    return text


def parse_list_period(text: str) -> str:
    """Parse the ``MM/YYYY`` form used on payout lists (also ``M/YYYY``, ``T12/2026``, ``YYYY-MM``)."""
    text = str(text).strip()
    if is_period(text):
        return text
    match = _LIST_PERIOD.match(text)
    if not match:
        raise ValueError(f"not a period (MM/YYYY): {text!r}")
    month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {text!r}")
    return f"{year:04d}-{month:02d}"


def period_of(day: dt.date) -> str:
    """The period a calendar day falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def add_months(period: str, months: int) -> str:
    """The period ``months`` after (or before, if negative) ``period``."""
    year, month = (int(part) for part in check_period(period).split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def display_period(period: str) -> str:
    """``2026-12`` → ``12/2026``, as printed on lists and documents."""
    year, month = check_period(period).split("-")
    return f"{month}/{year}"
