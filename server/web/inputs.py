"""What an officer typed or put in a link, read into values, or refused with a key that says what was wrong.

Each refusal is a ``PageError`` whose key (``bad_period``, ``bad_date``, ``bad_amount``) and the value as typed
make the error page's sentence in the page's language.
"""

from __future__ import annotations

import datetime as dt
import re

from app.domain.money import parse_vnd
from server.web.console import PageError

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LOCAL_PERIOD = re.compile(r"^(0?[1-9]|1[0-2])/(\d{4})$")


def period(value: str | None, default: str) -> str:
    """A payout month as ``YYYY-MM`` (a month field sends it so) from that or ``MM/YYYY`` (as officers write it, and
    as every page shows it); ``default`` when none was given."""
    if value is None or value.strip() == "":
        return default
    value = value.strip()
    written = LOCAL_PERIOD.match(value)
    if written:
        value = f"{written.group(2)}-{int(written.group(1)):02d}"
    if not PERIOD.match(value):
        raise PageError(400, "bad_period", value=value)
    return value


def day(text: str) -> dt.date:
    """A date as dd/mm/yyyy (as officers write it) or yyyy-mm-dd (a date field)."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise PageError(400, "bad_date", value=text)


def amount(text: str) -> int:
    """An amount in đồng as ``parse_vnd`` reads it (2.789.000, 2789000 ₫ …)."""
    try:
        return parse_vnd(text)
    except ValueError:
        raise PageError(400, "bad_amount", value=text) from None
