"""One clock for people: stored times are UTC; screen, paper and command line show them in the province's time zone.

A teller's laptop may be set to any zone (a borrowed machine, a wrong setting, a laptop bought abroad); a payment at
06:30 on 1 December in Vietnam is 23:30 on 30 November in UTC, and on a laptop set to New York it is 18:30. If the
screen used the laptop's zone and the receipt Vietnam's, the two would disagree, and the payment could even be
counted in the wrong month. So every time a person reads goes through ``ProvinceTime``, built from the zone's IANA
name (``Asia/Ho_Chi_Minh`` unless the province sets another), never from the machine's settings.

The IANA data comes from the operating system or, where there is none (Windows), from the ``tzdata`` package, which
is a dependency and is bundled in the frozen build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.period import period_of

__all__ = ["DEFAULT_TIME_ZONE", "ProvinceTime", "UnknownTimeZone", "VIETNAM"]

DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"
"""Vietnam has one time zone, UTC+7 without daylight saving; a province may still name another for a reason of its
own (a test province, a future change), sent to its devices."""

DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"


class UnknownTimeZone(ValueError):
    """The zone name is not in the IANA database (a typing mistake, or no IANA data on this machine)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown time zone: {name!r}")
        self.name = name


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    if not name or name != name.strip():
        raise UnknownTimeZone(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:  # ValueError: a malformed key such as "../x"
        raise UnknownTimeZone(name) from error


@dataclass(frozen=True, slots=True)
class ProvinceTime:
    """The province's clock face: converts UTC instants to local time, days and payout months, and formats them.

    ``ProvinceTime()`` is Vietnam time; ``ProvinceTime("Asia/Bangkok")`` another zone (``UnknownTimeZone`` if the
    name is not an IANA zone). Naive datetimes are refused: a time without a zone cannot be placed on the clock.
    """

    zone: str = DEFAULT_TIME_ZONE

    def __post_init__(self) -> None:
        _zone(self.zone)  # fail at construction, not at the first time shown

    @property
    def tzinfo(self) -> ZoneInfo:
        return _zone(self.zone)

    def to_local(self, moment: dt.datetime) -> dt.datetime:
        """The same instant as the province's wall clock shows it."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("a naive datetime has no zone: store and pass times as aware UTC datetimes")
        return moment.astimezone(self.tzinfo)

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The province's calendar day of an instant (a payment at 23:30 UTC on 30/11 is on 01/12 in Vietnam)."""
        return self.to_local(moment).date()

    def period_of(self, moment: dt.datetime) -> str:
        """The payout month (``YYYY-MM``) the instant falls in, by the province's calendar."""
        return period_of(self.day_of(moment))

    def format_datetime(self, moment: dt.datetime) -> str:
        """``dd/MM/yyyy HH:mm`` in the province's time, as on screen and on paper."""
        return self.to_local(moment).strftime(DATETIME_FORMAT)

    def format_time(self, moment: dt.datetime, *, seconds: bool = False) -> str:
        """``HH:mm`` (or ``HH:mm:ss``) in the province's time."""
        return self.to_local(moment).strftime(TIME_FORMAT + (":%S" if seconds else ""))

    def format_date(self, moment: dt.datetime | dt.date) -> str:
        """``dd/MM/yyyy``: of the province's day for an instant; a calendar date (no time) is shown as it is."""
        day = self.day_of(moment) if isinstance(moment, dt.datetime) else moment
        return day.strftime(DATE_FORMAT)

    def label(self, lang: str = "vi") -> str:
        """The words for this clock, beside a time: "giờ Việt Nam" / "Vietnam time" for Vietnam's zone, else the
        zone's IANA name with its offset (a test province, a future change), so no time is read on a wrong clock."""
        if self.zone == DEFAULT_TIME_ZONE:
            return "Vietnam time" if lang == "en" else "giờ Việt Nam"
        offset = self.to_local(dt.datetime.now(dt.UTC)).strftime("%z")
        return f"{self.zone} (UTC{offset[:3]}:{offset[3:]})"

    def format_time_date(self, moment: dt.datetime) -> str:
        """``HH:mm dd/MM/yyyy``, the order a sentence uses ("đã chi lúc 06:30 01/12/2026")."""
        return self.to_local(moment).strftime(f"{TIME_FORMAT} {DATE_FORMAT}")


VIETNAM = ProvinceTime()
"""Vietnam time, the default province clock."""
