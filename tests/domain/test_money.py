"""Tests for app.domain.money: integer VND formatting, words and strict parsing."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.money import amount_in_words, format_number, format_vnd, parse_vnd


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (2789000, "2.789.000 ₫"),
        (-2789000, "-2.789.000 ₫"),
        (0, "0 ₫"),
        (5, "5 ₫"),
        (999, "999 ₫"),
        (1000, "1.000 ₫"),
        (1_000_000_000_000, "1.000.000.000.000 ₫"),
    ],
)
def test_format_vnd(amount: int, text: str) -> None:
    assert format_vnd(amount) == text


def test_format_vnd_uses_a_normal_space() -> None:
    assert format_vnd(2789000)[-2] == " "


def test_format_number() -> None:
    assert format_number(2789000) == "2.789.000"
    assert format_number(-1000) == "-1.000"
    assert format_number(0) == "0"


@pytest.mark.parametrize("bad", [True, False, 2789000.0, "2789000", None])
def test_format_rejects_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        format_vnd(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_number(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amount_in_words(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (2789000, "Hai triệu bảy trăm tám mươi chín nghìn đồng"),
        (0, "Không đồng"),
        (1000, "Một nghìn đồng"),
        (1005000, "Một triệu không trăm linh năm nghìn đồng"),
        (21, "Hai mươi mốt đồng"),
        (15, "Mười lăm đồng"),
        (25, "Hai mươi lăm đồng"),
        (24, "Hai mươi tư đồng"),
        (14, "Mười bốn đồng"),
        (11, "Mười một đồng"),
        (10, "Mười đồng"),
        (5, "Năm đồng"),
        (101, "Một trăm linh một đồng"),
        (104, "Một trăm linh bốn đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (8367000, "Tám triệu ba trăm sáu mươi bảy nghìn đồng"),
        (2510100, "Hai triệu năm trăm mười nghìn một trăm đồng"),
        (1000000, "Một triệu đồng"),
        (1000001, "Một triệu không trăm linh một đồng"),
        (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
        (1_005_000_000, "Một tỷ không trăm linh năm triệu đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
        (1_000_000_000_000_000, "Một triệu tỷ đồng"),
        (1878000, "Một triệu tám trăm bảy mươi tám nghìn đồng"),
        (-2789000, "Âm hai triệu bảy trăm tám mươi chín nghìn đồng"),
    ],
)
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_amount_in_words_never_empty_and_ends_with_dong(amount: int) -> None:
    words = amount_in_words(amount)
    assert words.endswith(" đồng")
    assert len(words) > len(" đồng")
    assert words[0].isupper()
    assert "  " not in words


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        (2789000, 2789000),
        (-5, -5),
        (2789000.0, 2789000),
        ("2.789.000", 2789000),
        ("2,789,000", 2789000),
        ("2 789 000", 2789000),
        ("2\u00a0789\u00a0000", 2789000),
        ("2789000", 2789000),
        ("2.789.000 đ", 2789000),
        ("2.789.000đ", 2789000),
        ("2.789.000 ₫", 2789000),
        ("2.789.000 VND", 2789000),
        ("2.789.000 vnđ", 2789000),
        (" 1.673.000 ", 1673000),
        ("-1.000", -1000),
        ("1.000", 1000),
        ("0", 0),
        ("999", 999),
    ],
)
def test_parse_vnd_accepts(value: object, amount: int) -> None:
    result = parse_vnd(value)
    assert result == amount
    assert type(result) is int


@pytest.mark.parametrize(
    "value",
    [
        "2.5",
        "2,5",
        "abc",
        "",
        "   ",
        "1.23.4",
        "2.789,000",
        "2.789.000,00",
        "2789000.00",
        "0.500",
        "1.0000",
        ".000",
        "-",
        "đ",
        "2.789.000 USD",
        "١٢٣",
        2.5,
        float("nan"),
        float("inf"),
        True,
        False,
        None,
        [1000],
    ],
)
def test_parse_vnd_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_vnd(value)


def test_parse_vnd_error_message_is_clear() -> None:
    with pytest.raises(ValueError, match="not a whole VND amount"):
        parse_vnd("1.23.4")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_parse_round_trip(amount: int) -> None:
    assert parse_vnd(format_vnd(amount)) == amount
    assert parse_vnd(format_number(amount)) == amount
    assert parse_vnd(str(amount)) == amount
