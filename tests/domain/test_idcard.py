"""Tests for app.domain.idcard: reading CCCD QR scans, garbled or not."""

import datetime
import unicodedata

import pytest

from app.domain.idcard import IdCardQr, IdCardQrError, is_id_number, looks_like_id_card_qr, parse_id_card_qr

GOOD = "001089012345|123456789|Nguyễn Văn Đức|15031960|Nam|Thôn 3, Xã Yên Phong, Tỉnh Bắc Ninh|10082021"


def _with_name(name: str, address: str = "Thôn 3, Xã Yên Phong, Tỉnh Bắc Ninh") -> str:
    return f"001089012345|123456789|{name}|15031960|Nam|{address}|10082021"


def test_parse_clean_scan() -> None:
    assert parse_id_card_qr(GOOD) == IdCardQr(
        id_number="001089012345",
        old_id="123456789",
        full_name="Nguyễn Văn Đức",
        birth_date=datetime.date(1960, 3, 15),
        gender="Nam",
        address="Thôn 3, Xã Yên Phong, Tỉnh Bắc Ninh",
        issued=datetime.date(2021, 8, 10),
        raw=GOOD,
    )


def test_parse_keeps_raw_and_normalises_name_to_nfc() -> None:
    text = unicodedata.normalize("NFD", GOOD) + "\r\n"
    result = parse_id_card_qr(text)
    assert result.raw == text
    assert result.full_name == "Nguyễn Văn Đức"
    assert result.address == "Thôn 3, Xã Yên Phong, Tỉnh Bắc Ninh"


@pytest.mark.parametrize(
    "garbled",
    [
        "Nguy?n V?n ??c",
        "NguyÃªn VÄƒn Ä Ã¢Ì",
        "Nguyn Vn c",
        "Nguy\ufffdn V\ufffdn \ufffd\ufffdc",
        "NguyÄn Van Duc",
        "NguyÆ°n Van Duc",
        "Nguyá»…n Văn Đức",
    ],
)
def test_garbled_name_becomes_none_but_id_survives(garbled: str) -> None:
    result = parse_id_card_qr(_with_name(garbled))
    assert result.id_number == "001089012345"
    assert result.full_name is None
    assert result.address is None  # the same scanner garbles the address too
    assert result.birth_date == datetime.date(1960, 3, 15)
    assert result.issued == datetime.date(2021, 8, 10)
    assert result.gender == "Nam"


@pytest.mark.parametrize("name", ["NGUYỄN VĂN ĐỨC", "HÃN Thị Mai", "Ksor H'Mai", "Y Moan", "Lê Văn Tám"])
def test_legitimate_names_are_kept(name: str) -> None:
    assert parse_id_card_qr(_with_name(name)).full_name == name


def test_garbled_address_alone_becomes_none() -> None:
    result = parse_id_card_qr(_with_name("Nguyễn Văn Đức", "Th?n 3, X? Y?n Phong"))
    assert result.full_name == "Nguyễn Văn Đức"
    assert result.address is None


def test_garbled_gender_and_dates_become_none() -> None:
    text = "001089012345|12345|Trần Thị Hoa|31021960|N?|Hà Nội|1008202"
    result = parse_id_card_qr(text)
    assert result.old_id is None
    assert result.birth_date is None
    assert result.gender is None
    assert result.issued is None
    assert result.full_name == "Trần Thị Hoa"


def test_female_gender_and_missing_old_id() -> None:
    result = parse_id_card_qr("001089012345||Trần Thị Hoa|01011950|Nữ|Hà Nội|01012022")
    assert result.old_id is None
    assert result.gender == "Nữ"
    assert result.birth_date == datetime.date(1950, 1, 1)


def test_missing_trailing_fields_are_none_and_extra_fields_ignored() -> None:
    short = parse_id_card_qr("001089012345|123456789|Trần Thị Hoa")
    assert short.full_name == "Trần Thị Hoa"
    assert short.birth_date is None and short.gender is None and short.address is None and short.issued is None
    long = parse_id_card_qr(GOOD + "|extra|fields")
    assert long.issued == datetime.date(2021, 8, 10)


def test_leading_garbage_and_aim_prefix_are_skipped() -> None:
    assert parse_id_card_qr("\ufeff  " + GOOD).id_number == "001089012345"
    assert parse_id_card_qr("]Q1" + GOOD).id_number == "001089012345"
    assert parse_id_card_qr("xy" + GOOD).id_number == "001089012345"


def test_broken_bar_and_other_separator_are_accepted() -> None:
    assert parse_id_card_qr(GOOD.replace("|", "¦")).full_name == "Nguyễn Văn Đức"
    other = parse_id_card_qr(GOOD.replace("|", "\\"))
    assert other.id_number == "001089012345"
    assert other.birth_date == datetime.date(1960, 3, 15)


@pytest.mark.parametrize("blank", ["", "   ", "\r\n"])
def test_empty(blank: str) -> None:
    with pytest.raises(IdCardQrError) as info:
        parse_id_card_qr(blank)
    assert info.value.code == "empty"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("text", ["001089012345", "nguyen van duc", "QNH/LS-01234-TCM", "abc|def|ghi|jkl|mno"])
def test_not_id_card_qr(text: str) -> None:
    with pytest.raises(IdCardQrError) as info:
        parse_id_card_qr(text)
    assert info.value.code == "not_id_card_qr"
    assert str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "00108901234|123456789|Nguyễn Văn Đức|15031960|Nam|x|10082021",
        "0010890123456|123456789|Nguyễn Văn Đức|15031960|Nam|x|10082021",
        "00108901234X|123456789|Nguyễn Văn Đức|15031960|Nam|x|10082021",
        "001 089 012 345|123456789|Nguyễn Văn Đức|15031960|Nam|x|10082021",
    ],
)
def test_bad_id_number(text: str) -> None:
    with pytest.raises(IdCardQrError) as info:
        parse_id_card_qr(text)
    assert info.value.code == "bad_id_number"
    assert "12 digits" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        "  " + GOOD,
        "xyz" + GOOD,
        "]Q1" + GOOD,
        _with_name("Nguy?n V?n ??c"),
        "001089012345||||",
    ],
)
def test_looks_like_id_card_qr_true(text: str) -> None:
    assert looks_like_id_card_qr(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nguyen van duc",
        "QNH/LS-01234-TCM",
        "001089012345",
        "001089012345|123456789|Nguyễn",
        "abcd" + GOOD,
        "00108901234|1|2|3|4",
        "0010890123456|1|2|3|4",
        "a|b|c|d|e",
    ],
)
def test_looks_like_id_card_qr_false(text: str) -> None:
    assert not looks_like_id_card_qr(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("001089012345", True),
        (" 001089012345 ", True),
        ("001 089 012 345", True),
        ("00108901234", False),
        ("0010890123456", False),
        ("00108901234a", False),
        ("", False),
        ("００１０８９０１２３４５", False),
    ],
)
def test_is_id_number(text: str, expected: bool) -> None:
    assert is_id_number(text) is expected
