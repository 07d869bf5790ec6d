"""Finding people the way a teller types: no accents, any word order, prefixes, codes, ID numbers, QR scans."""

from __future__ import annotations

import pytest

from tests.builders.store import DUC, HUE, NAM


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van duc", DUC),
        ("duc nguyen", DUC),
        ("NGUYEN V", DUC),
        ("Nguyễn Văn Đức", DUC),
        ("dang thi hue", HUE),
        ("Đặng thị huệ", HUE),
        ("hue dang", HUE),
        ("QNH/LS-00002", HUE),
        ("ls 00002", HUE),
        ("022052000123", DUC),
        ("0220520", DUC),
        ("pham nam tay", NAM),  # name plus village
    ],
)
def test_search_finds_the_person(store, query, expected):
    hits = store.search.search(query).hits
    assert hits and hits[0].record_code == expected, [hit.full_name for hit in hits]


def test_name_matches_rank_before_village_matches(store):
    hits = store.search.search("dong").hits  # "Thôn Đông" village; nobody is named Đông
    assert {hit.village for hit in hits} == {"Thôn Đông"}


def test_nothing_found_and_odd_input(store):
    assert store.search.search("xyz khong co").hits == ()
    assert store.search.search("   ").hits == ()
    assert store.search.search('"*)(^').hits == ()


def test_qr_scan_finds_the_person_even_with_garbled_accents(store):
    clean = "022052000123|123456789|Nguyễn Văn Đức|15031952|Nam|Thôn Đông, Xã Yên Đức, Quảng Ninh|10082021"
    garbled = "022052000123|123456789|Nguy?n V?n ??c|15031952|Nam|Th?n ??ng, X? Y?n ??c|10082021"
    for scan in (clean, garbled):
        result = store.search.search(scan)
        assert result.qr is not None and result.qr.id_number == "022052000123"
        assert [hit.record_code for hit in result.hits] == [DUC]


def test_qr_scan_of_someone_not_on_the_list(store):
    result = store.search.search("001099012345||Người Lạ|01011960|Nam|Hà Nội|01012022")
    assert result.qr is not None and result.hits == ()


def test_search_can_be_limited_to_a_commune(store):
    assert store.search.search("nguyen", commune_code="QNH-0001").hits
    assert store.search.search("nguyen", commune_code="QNH-9999").hits == ()
