"""The payout sheet from domain values: content, pagination, totals, Vietnamese text, vector signatures, fingerprint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import unicodedata

import pytest

from app.documents import format_fingerprint, render_payout_sheet
from app.documents.fingerprint import sheet_content
from app.documents.sheet import sheet_info
from app.documents.strokes import points_of
from app.domain.money import amount_in_words, format_number, format_vnd
from app.domain.signature import SignaturePoint, decode_strokes, encode_strokes
from tests.builders.documents import amount_of, page_sizes, page_texts, sheet_data

A4_LANDSCAPE = (842, 595)
SUBTOTAL = re.compile(r"Cộng trang (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)(?: Đã nhận: ([\d.]+))?")
GRAND = re.compile(r"TỔNG CỘNG ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)(?: Đã nhận: ([\d.]+))?")


@pytest.fixture(scope="module")
def small():
    return sheet_data(40, paid_every=1)


@pytest.fixture(scope="module")
def small_signed_pdf(small):
    return render_payout_sheet(small, signed=True, demo=True)


def test_signed_sheet_shows_every_person_amount_and_total(small, small_signed_pdf):
    texts = page_texts(small_signed_pdf)
    text = "\n".join(texts)
    assert page_sizes(small_signed_pdf) == [A4_LANDSCAPE] * len(texts)
    for person in small.people:
        assert person.full_name in text
        assert person.record_code in text
        assert format_number(sum(line.amount for line in person.lines)) in text
    total = sum(line.amount for person in small.people for line in person.lines)
    assert f"Tổng số tiền phải chi: {format_vnd(total)}" in text
    assert amount_in_words(total) in text.replace("\n", " ")
    assert f"Đã chi: {format_vnd(total)}" in text
    assert "Tỉnh Quảng Ninh".upper() in text and "Nhà văn hóa khu 3" in text and "07/12/2026" in text
    assert "Điểm chỉ" in text and "Ký trên giấy" in text and "Ủy quyền: Vũ Văn Hải" in text
    assert "Nhập bù 07/12/2026" in text
    assert "GIAO DỊCH VIÊN CHI TRẢ" in text and "CÁN BỘ UBND XÃ GIÁM SÁT" in text
    assert "KIỂM SOÁT VIÊN NHẬN DANH SÁCH" in text
    code = format_fingerprint(sheet_info(small, signed=True).fingerprint or "")
    assert all(code in page for page in texts)
    assert all("DỮ LIỆU THỬ" in page for page in texts)
    assert all(f"Trang {i}/{len(texts)}" in page for i, page in enumerate(texts, start=1))


def test_blank_sheet_lists_only_unpaid_lines_with_an_empty_signature_column():
    data = sheet_data(30, paid_every=3)  # every third person paid
    pdf = render_payout_sheet(data, signed=False)
    text = "\n".join(page_texts(pdf))
    for person in data.people:
        if person.payments:
            assert person.record_code not in text
        else:
            assert person.record_code in text
    assert "BẢN TRẮNG" in text and "Chưa nhận" not in text and "Đã nhận" not in text
    assert "DỮ LIỆU THỬ" not in text
    unpaid = sum(line.amount for p in data.people for line in p.lines if line.paid_by is None)
    assert f"Tổng số tiền phải chi: {format_vnd(unpaid)}" in text
    assert b"/Subtype /Image" not in pdf


def test_unpaid_people_say_chua_nhan_on_the_signed_sheet():
    data = sheet_data(12, paid_every=2)
    text = "\n".join(page_texts(render_payout_sheet(data, signed=True)))
    assert text.count("Chưa nhận") >= sum(1 for p in data.people if not p.payments)


def test_reprint_is_marked_and_keeps_the_fingerprint(small):
    again = dt.datetime(2026, 12, 8, 2, 5, tzinfo=dt.UTC)
    texts = page_texts(render_payout_sheet(small, signed=True, reprint_at=again))
    assert all("BẢN IN LẠI — in lại lúc 08/12/2026 09:05" in page for page in texts)
    assert sheet_info(small, signed=True, reprint_at=again).fingerprint == sheet_info(small, signed=True).fingerprint


def test_fingerprint_follows_content_and_journal_range(small):
    base = sheet_info(small, signed=True).fingerprint
    assert base is not None and re.fullmatch(r"[0-9A-F]{16}", base)
    assert sheet_info(small, signed=False).fingerprint != base
    first = small.people[0]
    line = dataclasses.replace(first.lines[0], amount=first.lines[0].amount + 1000)
    changed = dataclasses.replace(small, people=(dataclasses.replace(first, lines=(line, *first.lines[1:])),
                                                 *small.people[1:]))
    assert sheet_info(changed, signed=True).fingerprint != base
    moved = dataclasses.replace(small, journal=dataclasses.replace(small.journal, last_seq=small.journal.last_seq + 1))
    assert sheet_info(moved, signed=True).fingerprint != base
    later = dataclasses.replace(small, printed_at=small.printed_at + dt.timedelta(hours=3))
    assert sheet_info(later, signed=True).fingerprint == base
    assert sheet_content(small, True) == sheet_content(later, True)


def test_rendering_is_deterministic(small, small_signed_pdf):
    assert render_payout_sheet(small, signed=True, demo=True) == small_signed_pdf


def test_signatures_are_vector_paths_not_images(small_signed_pdf):
    assert b"/Subtype /Image" not in small_signed_pdf


def test_vietnamese_text_survives_extraction_unchanged():
    data = sheet_data(3, paid_every=1)
    names = ("Nguyễn Thị Ngọc Hưởng", "Đặng Văn Bảy", "Lưu Thị Ánh Nguyệt")
    people = tuple(
        dataclasses.replace(person, full_name=unicodedata.normalize("NFD", name), village="Thôn Yên Lập Đông")
        for person, name in zip(data.people, names)
    )
    text = "\n".join(page_texts(render_payout_sheet(dataclasses.replace(data, people=people), signed=True)))
    for name in names:
        assert name in text  # decomposed input comes out as the NFC spelling
    for phrase in ("DANH SÁCH CHI TRẢ TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG", "Thôn Yên Lập Đông", "Người hoạt động kháng chiến",
                   "Trợ cấp hằng", "Chương trình", "Ký nhận / điểm chỉ"):
        assert phrase in text
    assert unicodedata.is_normalized("NFC", text)


def test_3000_people_paginate_with_repeated_headers_and_subtotals_adding_up():
    data = sheet_data(3000, paid_every=1, signatures=False)  # signatures as paths are tested on small sheets
    pdf = render_payout_sheet(data, signed=True)
    texts = page_texts(pdf)
    pages = len(texts)
    assert pages > 150
    assert page_sizes(pdf) == [A4_LANDSCAPE] * pages
    code = format_fingerprint(sheet_info(data, signed=True).fingerprint or "")
    sums = [0, 0, 0, 0, 0]
    seen = 0
    for number, page in enumerate(texts, start=1):
        assert "DANH SÁCH CHI TRẢ TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG" in page
        assert "Mã hồ sơ" in page and "Loại đối tượng" in page and "Ký nhận / điểm chỉ" in page
        assert f"Trang {number}/{pages}" in page and code in page
        match = SUBTOTAL.search(page)
        assert match is not None, f"page {number} has no rows"  # the total never stands on a page of its own
        assert int(match.group(1)) == number
        values = [amount_of(group) for group in match.groups()[1:]]
        assert values[0] + values[1] + values[2] == values[3]
        for i, value in enumerate(values):
            sums[i] += value
        seen += 1
    grand = GRAND.search(texts[-1])
    assert grand is not None
    grand_values = [amount_of(group) for group in grand.groups()]
    assert sums == grand_values
    expected = sum(line.amount for person in data.people for line in person.lines)
    assert grand_values[3] == expected
    assert amount_in_words(expected) in " ".join(texts[-1].split())
    assert seen == pages
    # every row is there once, in order
    all_text = "\n".join(texts)
    positions = [all_text.find(person.record_code) for person in data.people]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


@pytest.mark.parametrize("signed", [True, False])
def test_the_total_and_signatures_keep_with_the_last_rows(signed: bool):
    """Whatever the number of rows, the last page has rows above its total and signature blocks — at least
    ``KEEP_WITH_TOTAL`` of them when they had to move — and no page is left with its total and signatures alone."""
    from app.documents.sheet import KEEP_WITH_TOTAL

    moved = 0
    full_page = 0
    for count in range(8, 36):
        data = sheet_data(count, paid_every=1 if signed else 10**6, signatures=False)
        texts = page_texts(render_payout_sheet(data, signed=signed))
        rows = [[person for person in data.people if person.record_code in page] for page in texts]
        full_page = max(full_page, len(rows[0]))
        assert "TỔNG CỘNG" in texts[-1] and "GIAO DỊCH VIÊN CHI TRẢ" in texts[-1], count
        assert rows[-1] and rows[-1][-1] is data.people[-1], count
        assert all(SUBTOTAL.search(page) for page in texts), count  # every page has rows (and their subtotal)
        if len(texts) > 1 and len(rows[-2]) < full_page:  # the page before ended early: rows went with the total
            assert len(rows[-1]) == KEEP_WITH_TOTAL, count
            moved += 1
    assert moved, "no row count made the total move: the test does not reach the case it is about"


def _random_signature(rng: random.Random) -> bytes:
    strokes = []
    t = 0
    for _ in range(rng.randint(1, 4)):
        x, y = rng.randrange(0, 600), rng.randrange(0, 200)
        stroke = []
        for _ in range(rng.randint(1, 80)):
            step = rng.choice((3, 3, 3, 90))  # sometimes a jump that needs a multi-byte varint
            x = min(599, max(0, x + rng.randint(-step, step)))
            y = min(199, max(0, y + rng.randint(-step, step)))
            t += rng.choice((8, 16, 16, 400))
            stroke.append(SignaturePoint(x, y, t))
        strokes.append(stroke)
    return encode_strokes(600, 200, strokes)


def test_fast_stroke_reader_matches_the_domain_decoder():
    rng = random.Random(5)
    for _ in range(300):
        data = _random_signature(rng)
        width, height, strokes = points_of(data)
        expected = decode_strokes(data)
        assert (width, height) == (expected.width, expected.height)
        assert strokes == [([p.x for p in s], [p.y for p in s]) for s in expected.strokes]


def test_unreadable_signature_is_shown_not_fatal():
    data = sheet_data(2, paid_every=1)
    person = data.people[0]
    broken = dataclasses.replace(person.payments[0], strokes=b"PDS1\x00")
    bad = dataclasses.replace(data, people=(dataclasses.replace(person, payments=(broken,)), *data.people[1:]))
    text = "\n".join(page_texts(render_payout_sheet(bad, signed=True)))
    assert "[chữ ký không đọc được]" in text
