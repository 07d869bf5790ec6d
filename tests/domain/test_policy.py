"""Behaviour tests for the policy reference (app.domain.policy, loaded by app.lists.policy.load_policy)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pytest

from app.domain.model import DEFAULT_PROGRAMME, LineKind
from app.domain.policy import PolicyReference, parse_denominations
from app.lists.policy import load_policy


@pytest.fixture(scope="module")
def policy() -> PolicyReference:
    return load_policy()


def test_load_policy_loads_the_bundled_files(policy: PolicyReference) -> None:
    assert isinstance(policy, PolicyReference)
    assert {"monthly", "supplement", "arrears", "funeral", "death_allowance", "pension"} <= set(policy.regimes)
    assert {"uu_dai", "luong_huu", "bao_tro_xa_hoi"} <= set(policy.programmes)
    assert {"LS", "AQ", "BM", "BB", "TT"} <= set(policy.categories)


def test_load_policy_is_cached(policy: PolicyReference) -> None:
    assert load_policy() is policy


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mai táng phí", "funeral"),
        ("mai tang phi", "funeral"),
        ("MAI TÁNG PHÍ", "funeral"),
        ("TRUY LĨNH", "arrears"),
        ("truy linh", "arrears"),
        ("Trợ cấp hằng tháng", "monthly"),
        ("tro cap hang thang", "monthly"),
        ("  Trợ   cấp hằng  tháng ", "monthly"),
        ("Lương hưu", "pension"),
        ("Quà Tết", "gift"),
        ("Điều dưỡng", "convalescence"),
        ("funeral", "funeral"),
        ("Funeral allowance", "funeral"),
    ],
)
def test_match_regime_by_name_alias_code_with_or_without_accents(policy: PolicyReference, text: str, code: str) -> None:
    found = policy.match_regime(text)
    assert found is not None
    assert found.code == code


def test_match_regime_accepts_nfd_text(policy: PolicyReference) -> None:
    found = policy.match_regime(unicodedata.normalize("NFD", "Mai táng phí"))
    assert found is not None and found.code == "funeral"


@pytest.mark.parametrize("text", ["", "   ", "trợ cấp không có", "mai tang phi phi", "xyz"])
def test_match_regime_returns_none_for_unknown_text(policy: PolicyReference, text: str) -> None:
    assert policy.match_regime(text) is None


def test_every_regime_is_found_by_its_own_names(policy: PolicyReference) -> None:
    for code, info in policy.regimes.items():
        for text in (code, info.name, info.name_en):
            found = policy.match_regime(text)
            assert found is not None and found.code == code, (text, found)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("funeral", LineKind.DEATH_RELATED),
        ("death_allowance", LineKind.DEATH_RELATED),
        ("arrears", LineKind.ARREARS),
        ("monthly", LineKind.RECURRING),
        ("supplement", LineKind.RECURRING),
        ("carer", LineKind.RECURRING),
        ("one_time", LineKind.ONE_TIME),
        ("gift", LineKind.ONE_TIME),
    ],
)
def test_regime_kinds(policy: PolicyReference, code: str, kind: LineKind) -> None:
    info = policy.regime(code)
    assert info is not None
    assert info.kind is kind


def test_pension_belongs_to_the_pension_programme(policy: PolicyReference) -> None:
    assert policy.regime("pension").programme == "luong_huu"  # type: ignore[union-attr]
    assert policy.regime("social_insurance").programme == "luong_huu"  # type: ignore[union-attr]
    assert policy.regime("monthly").programme == DEFAULT_PROGRAMME  # type: ignore[union-attr]


def test_every_regime_programme_is_known(policy: PolicyReference) -> None:
    for info in policy.regimes.values():
        assert info.programme in policy.programmes, info.code


def test_every_regime_has_a_vietnamese_explanation_and_legal_basis(policy: PolicyReference) -> None:
    for info in policy.regimes.values():
        assert info.name.strip(), info.code
        assert info.explanation.strip(), info.code
        assert info.explanation_en.strip(), info.code
        assert info.legal_basis.strip(), info.code
        assert unicodedata.is_normalized("NFC", info.explanation), info.code


def test_every_category_has_a_vietnamese_name(policy: PolicyReference) -> None:
    assert policy.categories
    for code, info in policy.categories.items():
        assert code == info.code == code.upper()
        assert info.name.strip(), code
        assert info.name_en.strip(), code
        assert policy.category_name(code) == info.name
        assert policy.category_name(code, "en") == info.name_en


def test_category_lookup_ignores_case_and_spaces(policy: PolicyReference) -> None:
    info = policy.category(" ls ")
    assert info is not None and info.code == "LS"
    assert policy.category_name("ls") == "Thân nhân liệt sĩ"
    assert policy.category_name("LS", "en") == "Relative of a martyr"


def test_category_name_falls_back_to_the_code(policy: PolicyReference) -> None:
    assert policy.category("ZZ") is None
    assert policy.category_name("ZZ") == "ZZ"
    assert policy.category_name("ZZ", "en") == "ZZ"


@pytest.mark.parametrize(
    ("text", "code"),
    [("Lương hưu", "luong_huu"), ("BHXH", "luong_huu"), ("ưu đãi", "uu_dai"), ("NCC", "uu_dai"),
     ("btxh", "bao_tro_xa_hoi")],
)
def test_match_programme(policy: PolicyReference, text: str, code: str) -> None:
    found = policy.match_programme(text)
    assert found is not None and found.code == code


def test_match_programme_unknown(policy: PolicyReference) -> None:
    assert policy.match_programme("chương trình khác") is None


def test_a_province_folder_overrides_the_bundled_reference(tmp_path: Path) -> None:
    (tmp_path / "categories.json").write_text('{"categories": {"xx": {"name": "Loại X"}}}', encoding="utf-8")
    (tmp_path / "regimes.json").write_text(
        '{"programmes": {"uu_dai": {"name": "Ưu đãi"}},'
        ' "regimes": {"tet": {"name": "Quà Tết tỉnh", "kind": "one_time", "aliases": ["qua tinh"]}}}',
        encoding="utf-8",
    )
    custom = load_policy(tmp_path)
    assert set(custom.categories) == {"XX"}
    assert custom.category_name("xx", "en") == "Loại X"  # name_en defaults to the name
    assert custom.match_regime("QUÀ TỈNH").code == "tet"  # type: ignore[union-attr]
    assert custom.match_regime("Mai táng phí") is None
    assert custom.regime("tet").programme == DEFAULT_PROGRAMME  # type: ignore[union-attr]
    assert custom.denominations == load_policy().denominations  # no cash.json there: the bundled banknotes
    (tmp_path / "cash.json").write_text('{"denominations": [1000, 500000, 2000]}', encoding="utf-8")
    load_policy.cache_clear()
    assert load_policy(tmp_path).denominations == (500_000, 2_000, 1_000)
    load_policy.cache_clear()


def test_the_cash_count_offers_every_legal_tender_note_from_the_policy_data(policy: PolicyReference) -> None:
    assert policy.denominations == (500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500,
                                    200, 100)


def test_a_provinces_cash_file_is_read_in_any_order_and_checked() -> None:
    assert parse_denominations({"denominations": [100, 500_000, 200]}) == (500_000, 200, 100)
    bad: Mapping[str, object]
    for bad in ({}, {"denominations": []}, {"denominations": [500, 500]}, {"denominations": [0]},
                {"denominations": [-200]}, {"denominations": [200.5]}, {"denominations": ["500"]},
                {"denominations": [True]}, {"denominations": [20_000_000]},
                {"denominations": list(range(1, 40))}):
        with pytest.raises(ValueError, match=r"cash\.json"):
            parse_denominations(bad)


def test_a_martyrs_relative_is_not_told_of_injury_or_illness(policy: PolicyReference) -> None:
    """The monthly allowance is explained for the person's category where the general words would mislead: a
    martyr's relative is paid as a relative (by how many martyrs), a war invalid by the degree of injury."""
    monthly = policy.regime("monthly")
    assert monthly is not None
    relative = monthly.explain("LS")
    assert "thân nhân liệt sĩ" in relative and "2.789.000" in relative
    assert "thương tật" not in relative and "bệnh tật" not in relative
    assert "injur" not in monthly.explain("ls", "en") and "martyr" in monthly.explain("LS", "en")
    assert "tổn thương cơ thể" in monthly.explain("AQ") and "injury" in monthly.explain("AQ", "en")
    general = monthly.explain("KC")
    assert general == monthly.explanation and "thương tật" not in general and "bệnh tật" not in general
    for _code, vi, en in monthly.by_category:
        assert unicodedata.is_normalized("NFC", vi) and vi.strip() and en.strip()
