"""Behaviour tests for app.domain.period: payout periods as YYYY-MM text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.period import add_months, check_period, display_period, is_period, parse_list_period, period_of


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("12/2026", "2026-12"),
        ("1/2027", "2027-01"),
        ("01/2027", "2027-01"),
        ("T12/2026", "2026-12"),
        ("t1/2027", "2027-01"),
        ("T 3 / 2026", "2026-03"),
        ("Tháng 12/2026", "2026-12"),
        ("THÁNG 5/2026", "2026-05"),
        ("thang 5/2026", "2026-05"),
        ("12.2026", "2026-12"),
        ("12-2026", "2026-12"),
        ("2026-12", "2026-12"),
        ("  12/2026  ", "2026-12"),
        (" 2026-01 ", "2026-01"),
    ],
)
def test_parse_list_period(text: str, period: str) -> None:
    assert parse_list_period(text) == period


@pytest.mark.parametrize(
    "text",
    ["", "   ", "13/2026", "0/2026", "00/2026", "2026-13", "2026-00", "2026-1", "12/26", "12/20266", "123/2026",
     "12 2026", "Q4/2026", "tháng mười hai 2026", "2026/12", "12/2026/01"],
)
def test_parse_list_period_refuses_bad_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_list_period(text)


def test_parse_list_period_refuses_a_bare_year_number() -> None:
    # a spreadsheet cell read as a number is turned into text first, then refused like text
    with pytest.raises(ValueError):
        parse_list_period(2026)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2026-12", True), ("2026-01", True), ("0999-01", True), ("2026-13", False), ("2026-1", False),
     ("12/2026", False), ("2026-12 ", False), ("", False)],
)
def test_is_period_and_check_period(text: str, ok: bool) -> None:
    assert is_period(text) is ok
    if ok:
        assert check_period(text) == text
    else:
        with pytest.raises(ValueError):
            check_period(text)


@pytest.mark.parametrize(
    ("period", "months", "result"),
    [
        ("2026-12", 1, "2027-01"),
        ("2027-01", -1, "2026-12"),
        ("2026-11", 2, "2027-01"),
        ("2026-06", 0, "2026-06"),
        ("2026-12", 12, "2027-12"),
        ("2026-12", 13, "2028-01"),
        ("2026-01", -12, "2025-01"),
        ("2026-01", -13, "2024-12"),
        ("2026-03", -3, "2025-12"),
        ("2026-12", 25, "2029-01"),
    ],
)
def test_add_months_across_year_ends(period: str, months: int, result: str) -> None:
    assert add_months(period, months) == result


def test_add_months_refuses_a_bad_period() -> None:
    with pytest.raises(ValueError):
        add_months("12/2026", 1)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(
    year=st.integers(min_value=1990, max_value=2200),
    month=st.integers(min_value=1, max_value=12),
    a=st.integers(min_value=-600, max_value=600),
    b=st.integers(min_value=-600, max_value=600),
)
def test_add_months_composes_and_stays_ordered(year: int, month: int, a: int, b: int) -> None:
    period = f"{year:04d}-{month:02d}"
    assert add_months(add_months(period, a), b) == add_months(period, a + b)
    assert add_months(add_months(period, a), -a) == period
    moved = add_months(period, a)
    assert is_period(moved)
    # text order is time order
    assert (moved > period) == (a > 0) and (moved < period) == (a < 0)


@pytest.mark.parametrize(("period", "text"), [("2026-12", "12/2026"), ("2027-01", "01/2027")])
def test_display_period(period: str, text: str) -> None:
    assert display_period(period) == text
    assert parse_list_period(text) == period


def test_display_period_refuses_a_bad_period() -> None:
    with pytest.raises(ValueError):
        display_period("2026-13")


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (dt.date(2026, 12, 31), "2026-12"),
        (dt.date(2027, 1, 1), "2027-01"),
        (dt.date(2026, 2, 28), "2026-02"),
        (dt.date(2028, 2, 29), "2028-02"),
        (dt.datetime(2026, 7, 1, 0, 0), "2026-07"),
    ],
)
def test_period_of(day: dt.date, period: str) -> None:
    assert period_of(day) == period
