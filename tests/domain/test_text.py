"""Tests for app.domain.text: storage normal form and search folding."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.text import fold, fold_tokens, nfc


def test_nfc_composes_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert decomposed != "Nguyễn Văn Đức"
    assert nfc(decomposed) == "Nguyễn Văn Đức"


def test_fold_examples() -> None:
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẶNG Thị Huệ") == "dang thi hue"


def test_fold_handles_decomposed_input_and_d_bar() -> None:
    assert fold(unicodedata.normalize("NFD", "Đỗ Thị Ánh")) == "do thi anh"
    assert fold("đĐ") == "dd"


def test_fold_collapses_and_strips_whitespace() -> None:
    assert fold("  Trần \t Thị\n\u00a0Hoa  ") == "tran thi hoa"
    assert fold("") == ""
    assert fold("   ") == ""


def test_fold_tokens_splits_record_codes() -> None:
    assert fold_tokens("QNH/LS-01234-TCM") == ["qnh", "ls", "01234", "tcm"]


def test_fold_tokens_drops_empties_and_folds() -> None:
    assert fold_tokens("  Lê--Văn__Tám, 1960  ") == ["le", "van", "tam", "1960"]
    assert fold_tokens("//--") == []
    assert fold_tokens("") == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fold_is_idempotent(s: str) -> None:
    once = fold(s)
    assert fold(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fold_tokens_are_folded_and_non_empty(s: str) -> None:
    for token in fold_tokens(s):
        assert token
        assert fold(token) == token
        assert token.isalnum()
