"""The province clock (app.domain.clock): UTC instants shown, dated and counted by the province's time zone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.clock import DEFAULT_TIME_ZONE, VIETNAM, ProvinceTime, UnknownTimeZone

# 06:30 on 1 December in Vietnam is 23:30 on 30 November in UTC (and 18:30 on 30 November in New York)
EARLY_PAYMENT = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)


def test_the_early_payment_is_on_the_first_of_december_in_vietnam(laptop_in_new_york: str) -> None:
    assert EARLY_PAYMENT.astimezone().strftime("%H:%M %d/%m") == "18:30 30/11"  # what the laptop's zone would say
    assert VIETNAM.format_datetime(EARLY_PAYMENT) == "01/12/2026 06:30"
    assert VIETNAM.format_time(EARLY_PAYMENT) == "06:30"
    assert VIETNAM.format_time(EARLY_PAYMENT, seconds=True) == "06:30:00"
    assert VIETNAM.format_date(EARLY_PAYMENT) == "01/12/2026"
    assert VIETNAM.format_time_date(EARLY_PAYMENT) == "06:30 01/12/2026"
    assert VIETNAM.day_of(EARLY_PAYMENT) == dt.date(2026, 12, 1)
    assert VIETNAM.period_of(EARLY_PAYMENT) == "2026-12"
    local = VIETNAM.to_local(EARLY_PAYMENT)
    assert local == EARLY_PAYMENT and local.utcoffset() == dt.timedelta(hours=7)


def test_default_zone_and_another_province_zone() -> None:
    assert ProvinceTime().zone == DEFAULT_TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert ProvinceTime("Europe/Paris").format_datetime(EARLY_PAYMENT) == "01/12/2026 00:30"
    assert ProvinceTime("UTC").period_of(EARLY_PAYMENT) == "2026-11"


def test_a_calendar_date_is_shown_as_it_is() -> None:
    assert VIETNAM.format_date(dt.date(2026, 12, 1)) == "01/12/2026"


def test_unknown_zones_and_naive_times_are_refused() -> None:
    for name in ("Asia/Hanoi_City", "", " Asia/Ho_Chi_Minh", "../etc/passwd"):
        with pytest.raises(UnknownTimeZone):
            ProvinceTime(name)
    with pytest.raises(ValueError, match="naive"):
        VIETNAM.format_datetime(dt.datetime(2026, 12, 1, 6, 30))


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.just(dt.UTC)))
def test_vietnam_time_is_utc_plus_seven(moment: dt.datetime) -> None:
    local = moment + dt.timedelta(hours=7)
    assert VIETNAM.format_datetime(moment) == local.strftime("%d/%m/%Y %H:%M")
    assert VIETNAM.period_of(moment) == f"{local.year:04d}-{local.month:02d}"
