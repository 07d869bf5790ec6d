"""Vietnamese alphabetical order: ``sort_key``, ``person_name_key`` and ``place_key`` in app.domain.text.

The examples are the issue's (An, Ăn, Âm, Ba; Dương, Đông, Nam; Ngô before Nguyễn; Hà Phong before Hoàng Quế); the
properties check that the key is a total order that only ties equal text, and that it agrees with ICU's Vietnamese
collation (Qt's QCollator, bundled with PySide6) on Vietnamese words.
"""

from __future__ import annotations

import unicodedata
from functools import cmp_to_key

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCollator, QLocale

from app.domain.text import key_bytes, person_name_bytes, person_name_key, place_key, sort_key


def vi_sorted(items: list[str]) -> list[str]:
    return sorted(items, key=sort_key)


def test_the_issue_examples() -> None:
    assert vi_sorted(["Ba", "Âm", "Ăn", "An"]) == ["An", "Ăn", "Âm", "Ba"]
    assert vi_sorted(["Nam", "Đông", "Dương"]) == ["Dương", "Đông", "Nam"]
    assert vi_sorted(["Nguyễn", "Ngô"]) == ["Ngô", "Nguyễn"]
    assert vi_sorted(["Thôn Tây Xá", "Thôn Đông Xá"]) == ["Thôn Đông Xá", "Thôn Tây Xá"]
    assert sorted(["Nguyễn Văn Đức", "Ngô Văn Đức"], key=person_name_key) == ["Ngô Văn Đức", "Nguyễn Văn Đức"]


def test_the_whole_alphabet_in_order() -> None:
    alphabet = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô", "ơ", "p", "q",
                "r", "s", "t", "u", "ư", "v", "x", "y"]
    shuffled = alphabet[::-1]
    assert vi_sorted(shuffled) == alphabet
    assert vi_sorted([letter.upper() for letter in shuffled]) == [letter.upper() for letter in alphabet]


def test_tones_are_a_secondary_difference_in_their_order() -> None:
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]  # none, huyền, hỏi, ngã, sắc, nặng
    assert vi_sorted(tones[::-1]) == tones
    # a letter difference anywhere outweighs a tone difference earlier in the word
    assert vi_sorted(["mạc", "mab"]) == ["mab", "mạc"]
    assert vi_sorted(["Lê Vân", "Lê Văn"]) == ["Lê Văn", "Lê Vân"]  # ă before â


def test_case_and_spacing() -> None:
    assert vi_sorted(["An", "an"]) == ["an", "An"]  # lower case first, as ICU does
    assert vi_sorted(["Ba", "an"]) == ["an", "Ba"]  # case never outweighs a letter
    assert sort_key("  Lê \t Văn\u00a0Tám ") == sort_key("Lê Văn Tám")
    assert sort_key(unicodedata.normalize("NFD", "Đỗ Thị Ánh")) == sort_key("Đỗ Thị Ánh")
    assert vi_sorted(["Lê Văn An", "Lê Văn", "LêVăn"]) == ["Lê Văn", "Lê Văn An", "LêVăn"]  # a space sorts first


def test_numbers_sort_by_value() -> None:
    assert vi_sorted(["Thôn 10", "Thôn 2", "Thôn 1", "Thôn 02"]) == ["Thôn 1", "Thôn 2", "Thôn 02", "Thôn 10"]
    assert vi_sorted(["Khu a", "Khu 9"]) == ["Khu 9", "Khu a"]  # numbers before letters


def test_people_by_given_name_then_family_then_middle() -> None:
    people = ["Trần Văn Bình", "Lê Thị An", "Nguyễn Bình", "Lê Ánh", "Trần Anh", "Lê Văn Bình", "Bình"]
    assert sorted(people, key=person_name_key) == [
        "Lê Thị An",  # An
        "Trần Anh",  # Anh before Ánh: the tone of the given name comes before the family name
        "Lê Ánh",
        "Bình",  # no family name
        "Lê Văn Bình",  # Bình: Lê, Nguyễn, Trần
        "Nguyễn Bình",
        "Trần Văn Bình",
    ]
    assert sorted(["Đặng Văn Đức", "Dương Văn Đức"], key=person_name_key) == ["Dương Văn Đức", "Đặng Văn Đức"]
    assert person_name_key("  Lê  Văn Tám ") == person_name_key("Lê Văn Tám")
    assert person_name_key("") == person_name_key("   ")


def test_places_by_their_name() -> None:
    communes = ["Xã Hoàng Quế", "Phường Yên Thanh", "Xã Hà Phong", "Phường Đông Mai", "Xã Yên Đức", "Xã Ba Chẽ"]
    assert sorted(communes, key=place_key) == [
        "Xã Ba Chẽ", "Phường Đông Mai", "Xã Hà Phong", "Xã Hoàng Quế", "Xã Yên Đức", "Phường Yên Thanh"]
    villages = ["Thôn Tây Xá", "Thôn Đông Xá", "Khu 10", "Tổ dân phố 2", "Thôn 1"]
    assert sorted(villages, key=place_key) == ["Thôn 1", "Tổ dân phố 2", "Khu 10", "Thôn Đông Xá", "Thôn Tây Xá"]
    # the kind of place breaks a tie; a first word that only looks like one stays ("Quan" is not "Quận")
    assert sorted(["Xã Hà An", "Phường Hà An"], key=place_key) == ["Phường Hà An", "Xã Hà An"]
    assert place_key("Quan Lạn")[0] == sort_key("Quan Lạn")
    assert place_key("Xã")[0] == sort_key("Xã")  # nothing left after the kind: the name itself


def canonical(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12), st.text(max_size=12))
def test_the_key_ties_only_equal_text(a: str, b: str) -> None:
    assert (sort_key(a) == sort_key(b)) == (canonical(a) == canonical(b))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=8), min_size=3, max_size=3))
def test_the_order_is_transitive(texts: list[str]) -> None:
    a, b, c = sorted(texts, key=sort_key)
    assert sort_key(a) <= sort_key(b) <= sort_key(c)
    assert sort_key(a) <= sort_key(c)


# Vietnamese syllables: a letter from the alphabet, in either case, with or without a tone.
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
_letter = st.builds(lambda ch, tone, upper: unicodedata.normalize("NFC", (ch.upper() if upper else ch) + tone),
                    st.sampled_from(_LETTERS), st.sampled_from(_TONE_MARKS), st.booleans())
_word = st.one_of(st.lists(_letter, min_size=1, max_size=5).map("".join),
                  st.integers(min_value=0, max_value=2000).map(str))
_phrase = st.lists(_word, min_size=1, max_size=3).map(" ".join)


def _icu() -> QCollator:
    collator = QCollator(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    collator.setNumericMode(True)
    return collator


@settings(max_examples=400, deadline=None)
@given(_phrase, _phrase)
def test_agrees_with_icu_vietnamese_collation(a: str, b: str) -> None:
    icu = _icu().compare(a, b)
    ours = (sort_key(a) > sort_key(b)) - (sort_key(a) < sort_key(b))
    assert ours == (icu > 0) - (icu < 0), (a, b)


def test_a_list_sorted_like_icu() -> None:
    names = ["Ông", "ơi", "Ưng", "uống", "Đào", "dao", "Dạo", "Gia", "Giang", "Ghi", "Ngà", "Nga", "Ngả", "Nhà",
             "Ánh", "Anh", "ảnh", "Ấn", "Ẩn", "ăn", "Y", "ý", "Xuân", "Thủy", "Thuỷ", "Hòa", "Hoà"]
    collator = _icu()
    assert vi_sorted(names) == sorted(names, key=cmp_to_key(collator.compare))


_NAME_PARTS = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬáàả"
                               "ãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789 -'",
                      max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.lists(_NAME_PARTS, min_size=2, max_size=2))
def test_the_stored_name_key_orders_bytes_as_the_key_orders_names(names: list[str]) -> None:
    """``person_name_bytes`` (what ``beneficiaries.name_key`` holds, what SQL sorts) keeps the order of
    ``person_name_key`` for any two names, ties included."""
    first, second = names
    keys, stored = (person_name_key(first), person_name_key(second)), (person_name_bytes(first),
                                                                        person_name_bytes(second))
    assert (keys[0] < keys[1]) == (stored[0] < stored[1])
    assert (keys[0] == keys[1]) == (stored[0] == stored[1])


def test_key_bytes_writes_lengths_and_ends_each_sequence():
    assert key_bytes(((0,), (256, 70_000))) == bytes([1, 0, 0, 2, 1, 0, 3, 1, 0x11, 0x70, 0])
    assert key_bytes(((1,), ())) < key_bytes(((1, 0), ()))  # a sequence sorts before a longer one it begins
    assert key_bytes(((255,),)) < key_bytes(((256,),))  # a longer number is a larger one
