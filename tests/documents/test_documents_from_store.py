"""Every document made from a demo store through ``make_document`` (as the UI and CLI do), checked by its text."""

from __future__ import annotations

import re

from app.documents import DocumentKind, DocumentRequest, document_info, format_fingerprint, make_document
from app.domain.model import CashCount, SessionStatus
from app.domain.money import amount_in_words, format_number, format_vnd
from app.lists.policy import load_policy
from tests.builders.document_world import COMMUNE, DAY, DUC, HUE, LANH, OTHER_POINT, PERIOD, POINT, TAM, World
from tests.builders.documents import page_sizes, page_texts

A4 = (595, 842)
A5 = (420, 595)


def _text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def _flat(pdf: bytes) -> str:
    return " ".join(_text(pdf).split())


def test_signed_sheet_from_the_store(world: World):
    doc = make_document(world.store.reports, DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=POINT, day=DAY))
    texts = page_texts(doc.pdf)
    text = "\n".join(texts)
    assert doc.pages == len(texts) and page_sizes(doc.pdf) == [(842, 595)] * doc.pages
    assert doc.filename == "danh-sach-chi-tra-nha-van-hoa-khu-3-2026-12-07-da-ky.pdf"
    data = world.store.reports.payout_sheet(POINT, DAY)
    for person in data.people:
        assert person.full_name in text and person.record_code in text
    bundle = world.store.reports.sheet_bundle(POINT, DAY)
    assert [section.agency for section in bundle.sections] == ["so_noi_vu", "bhxh"]  # one sheet per agency
    for section in bundle.sections:  # each person's row on an agency's sheet: that agency's lines of them
        for person in section.people:
            assert format_number(sum(line.amount for line in person.lines)) in text
    # the fixed people: proxy, thumbprint, representative of the deceased, and the suspended one is not on the sheet
    assert "Ủy quyền: Vũ Văn Hải" in text and "CCCD 022072000129" in text
    assert "Điểm chỉ" in text and "Người làm chứng: Hoàng Văn Xã" in text
    assert "Đại diện: Lê Thị Hoa" in text
    assert "Phạm Văn Nam" not in text
    assert "Ký trên giấy" in text and "Nhập bù 07/12/2026" in text
    paid = sum(p.total for p in world.payments.values())
    by_agency = [sum(line.amount for person in section.people for line in person.lines if line.paid_by)
                 for section in bundle.sections]
    assert sum(by_agency) == paid  # the agencies' sheets add up to the cash paid
    for amount in by_agency:
        assert f"Đã chi: {format_vnd(amount)}" in text
        assert amount_in_words(amount) in " ".join(text.split())
    assert text.count("Chưa nhận") >= len(world.unpaid)
    codes = [format_fingerprint(document_info(DocumentKind.SHEET_SIGNED, section).fingerprint or "")
             for section in bundle.sections]
    assert all(any(code in page for code in codes) for page in texts)  # every page carries its agency's sheet's
    assert all("DỮ LIỆU THỬ" in page for page in texts)
    assert "Nguyễn Thị Giao Dịch" in text and "Hoàng Văn Xã" in text
    category = load_policy().category_name("AQ")
    assert category in text


def test_blank_sheet_from_the_store_lists_who_is_still_due(world: World):
    doc = make_document(world.store.reports, DocumentRequest(DocumentKind.SHEET_BLANK, point_id=POINT, day=DAY))
    text = _text(doc.pdf)
    for code in world.unpaid:
        assert code in text
    for code in world.payments:
        assert code not in text
    blank_other = make_document(world.store.reports, DocumentRequest(DocumentKind.SHEET_BLANK, point_id=OTHER_POINT))
    other = _text(blank_other.pdf)
    assert "Nhà văn hóa khu 6" in other and "07/12/2026" in other  # the point's scheduled day by default


def test_receipt(world: World):
    payment = world.payments[HUE]
    doc = make_document(world.store.reports, DocumentRequest(DocumentKind.RECEIPT, payment_id=payment.entry_id))
    text = _flat(doc.pdf)
    assert page_sizes(doc.pdf) == [A5]
    assert "BIÊN NHẬN CHI TRẢ TRỢ CẤP" in text and "Đặng Thị Huệ" in text and HUE in text
    for line in payment.lines:
        assert format_vnd(line.amount) in text
    assert f"Tổng cộng {format_vnd(payment.total)}" in text
    assert amount_in_words(payment.total) in text
    assert "Người được ủy quyền: Vũ Văn Hải, CCCD 022072000129" in text
    assert payment.entry_id not in text and "Nguyễn Thị Giao Dịch" in text
    assert f"Số {payment.receipt_no} ngày 07/12/2026" in text  # one number, the one the teller says aloud
    assert format_fingerprint(doc.fingerprint or "") in text
    assert "Kỳ 12/2026" in text


def test_receipt_of_a_reversed_payment_says_so(world: World):
    assert world.reversed is not None
    doc = make_document(world.store.reports, DocumentRequest(DocumentKind.RECEIPT, payment_id=world.reversed.entry_id,
                                                             reprint_at=world.clock.now))
    text = _flat(doc.pdf)
    assert "KHOẢN CHI NÀY ĐÃ BỊ HỦY" in text and "Chi nhầm người, đã thu hồi tiền" in text
    assert "BẢN IN LẠI" in text


def test_minutes(world: World):
    session = world.store.payouts.session(world.session_id)
    assert session.status is SessionStatus.CLOSED
    doc = make_document(world.store.reports, DocumentRequest(DocumentKind.MINUTES, session_id=world.session_id))
    text = _flat(doc.pdf)
    assert page_sizes(doc.pdf) == [A4] * doc.pages
    assert "BIÊN BẢN ĐỐI CHIẾU CUỐI NGÀY" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"Tạm ứng nhận đầu ngày {format_vnd(session.cash_advance)}" in text
    minutes = world.store.reports.minutes(world.session_id)
    agencies = minutes.paid_by_agency
    assert [item.agency for item in agencies] == ["so_noi_vu", "bhxh"]
    assert sum(item.amount for item in agencies) == session.paid_total  # advance − Σ agencies = cash expected
    for item in agencies:
        assert f"Đã chi cho {item.name} {format_vnd(item.amount)}" in text
    assert f"Cộng đã chi các cơ quan (theo sổ nhật ký) {format_vnd(session.paid_total)}" in text
    assert (f"Tiền mặt phải còn (tạm ứng − cộng đã chi các cơ quan) {format_vnd(session.cash_expected)}" in text)
    assert session.cash_advance - sum(item.amount for item in agencies) == session.cash_expected
    assert session.counted is not None and f"Tiền mặt kiểm đếm thực tế {format_vnd(session.counted.total)}" in text
    assert f"Chênh lệch (thực tế − phải còn) {format_vnd(session.difference or 0)}" in text
    assert "Thiếu tiền lẻ khi trả lại" in text
    assert f"Cộng {format_number(session.counted.total)}" in text
    people = len(world.payments)
    assert f"Số người đã nhận {people} người ({people} lần chi trả, {format_vnd(session.paid_total)})" in text
    assert f"Số người chưa nhận {len(world.unpaid)} người" in text
    assert "Điểm chỉ (có người làm chứng) 1" in text
    assert "Nhận thay theo giấy ủy quyền 1" in text
    assert "Người đại diện gia đình (đối tượng đã mất) 1" in text
    assert "Chi nhầm người, đã thu hồi tiền" in text and "Trần Văn Giám Sát" in text
    assert world.back_entry is not None and "DS-07/12-tr.1" in text
    assert amount_in_words(session.paid_total) in text
    for code in world.unpaid:
        assert code in text
    assert format_fingerprint(doc.fingerprint or "") in text


def test_public_notice_shows_names_and_villages_only(world: World):
    doc = make_document(world.store.reports, DocumentRequest(DocumentKind.NOTICE, point_id=POINT, period=PERIOD))
    text = _text(doc.pdf)
    flat = " ".join(text.split())
    assert page_sizes(doc.pdf) == [A4] * doc.pages and doc.fingerprint is None
    assert "THÔNG BÁO" in text and "Nhà văn hóa khu 3" in text
    assert "Thứ Hai, ngày 07/12/2026, từ 07:30 đến 11:00" in flat
    assert "Căn cước (CCCD) của người hưởng" in flat and "giấy ủy quyền" in flat
    assert "Liên hệ" in text
    notice = world.store.reports.notice(POINT, period=PERIOD)
    assert notice.people
    for person in notice.people:
        assert person.full_name in text and (person.village or "") in text
    assert not re.search(r"\d{9,12}", text), "no ID numbers"
    assert not re.search(r"\d{1,3}(\.\d{3})+", text), "no amounts"
    assert "₫" not in text and "đồng" not in text.lower()
    for regime in load_policy().regimes.values():
        assert regime.name not in text, "no regimes"
    for category in load_policy().categories.values():
        assert category.name not in text
    assert "QNH/" not in text, "no record codes"


def test_public_notice_may_add_regimes_and_amounts(world: World):
    doc = make_document(world.store.reports, DocumentRequest(DocumentKind.NOTICE, point_id=POINT, period=PERIOD,
                                                             show_regimes=True, show_amounts=True,
                                                             contact="Chị Lan, bưu điện xã, 0203 3812 345"))
    text = _text(doc.pdf)
    assert "Trợ cấp hằng tháng" in text and re.search(r"\d{1,3}(\.\d{3})+", text)
    assert "Chị Lan, bưu điện xã, 0203 3812 345" in text


def test_monthly_report(world: World):
    data = world.store.reports.monthly_report(COMMUNE, PERIOD)
    doc = make_document(world.store.reports, DocumentRequest(DocumentKind.MONTHLY, commune_code=COMMUNE,
                                                             period=PERIOD))
    text = _flat(doc.pdf)
    assert page_sizes(doc.pdf) == [A4] * doc.pages
    assert "BÁO CÁO KẾT QUẢ CHI TRẢ THÁNG 12/2026" in text and "Phường Hồng Hải" in text
    paid = sum(p.total for p in world.payments.values())
    assert data.amount_paid == paid
    assert data.people_paid == len(world.payments)
    assert data.lines_paid == sum(len(p.lines) for p in world.payments.values())
    assert data.amount_listed == data.amount_paid + sum(u.amount for u in data.unpaid)
    assert data.turns_paid == data.monthly_turns_paid + data.one_time_turns_paid
    assert sum(r.amount_paid for r in data.regimes) == paid
    assert sum(r.amount_listed for r in data.regimes) == data.amount_listed
    assert data.reversals == 1 and len(data.sessions) == 1 and data.sessions[0].payments == len(world.payments)
    assert f"Số tiền (đồng) {format_number(data.amount_listed)} {format_number(data.amount_paid)}" in text
    assert f"Tổng số lượt chi trả {data.turns_listed} {data.turns_paid}" in text
    assert amount_in_words(paid) in text
    assert "Trợ cấp ưu đãi người có công — Trợ cấp hằng tháng" in text  # the demo list is the Department's only
    assert "Đối tượng đang bị tạm dừng chi trả" in text  # the suspended person, unpaid with the reason
    assert "Không đến nhận" in text
    for code in world.unpaid:
        assert code in text
    assert "%" in text and format_fingerprint(doc.fingerprint or "") in text


def test_sessions_listing_counts(world: World):
    (summary,) = world.store.reports.sessions(commune_code=COMMUNE, period=PERIOD)
    assert summary.payments == len(world.payments) and summary.reversals == 1
    assert summary.back_entries >= 1 and summary.point_name == "Nhà văn hóa khu 3"
    assert summary.paid_total == sum(p.total for p in world.payments.values())


def test_deceased_lines_go_to_the_representative(world: World):
    payment = world.payments[TAM]
    assert payment.recipient.name == "Lê Thị Hoa"
    assert {DUC, LANH, TAM} <= set(world.payments)


def test_while_the_day_is_open_the_minutes_say_not_yet_collected(fresh_world: World):
    """Mid-day (a draft of the minutes) nobody is said not to have come: they may still come."""
    draft = fresh_world.store.reports.minutes(fresh_world.session_id)
    assert draft.unpaid and {item.reason for item in draft.unpaid} == {"Chưa nhận"}
    text = _flat(make_document(fresh_world.store.reports, DocumentRequest(DocumentKind.MINUTES,
                                                                           session_id=fresh_world.session_id)).pdf)
    assert "BẢN NHÁP" in text and "Không đến nhận" not in text and "Chưa nhận" in text
    session = fresh_world.store.payouts.session(fresh_world.session_id)
    fresh_world.store.payouts.close_session(
        fresh_world.session_id, counted=CashCount(((500_000, session.cash_expected // 500_000),)),
        witness="Hoàng Văn Xã", staff="giaodich", reason="Còn tiền lẻ", witness_role="Cán bộ UBND xã")
    closed = fresh_world.store.reports.minutes(fresh_world.session_id)
    assert {item.reason for item in closed.unpaid} == {"Không đến nhận"}
    assert closed.session.witness_role == "Cán bộ UBND xã"
    text = _flat(make_document(fresh_world.store.reports, DocumentRequest(DocumentKind.MINUTES,
                                                                           session_id=fresh_world.session_id)).pdf)
    assert "cán bộ UBND xã Hoàng Văn Xã (người chứng kiến)" in text and "CÁN BỘ UBND XÃ" in text
