"""Biên bản đối chiếu cuối ngày: the end-of-day minutes of one payout session, A4 portrait.

Cash advance, paid total, cash that should be in hand, the count by denomination, the difference and its reason;
people paid and not paid; reversals and back-entries with their reasons; how many signed on screen, thumbprinted,
signed on paper, came by proxy or as representative; and the signature blocks. While the session is still open the
count table is printed empty (to be filled by hand) and the page says it is a draft.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4

from app.documents.data import MinutesData
from app.documents.fingerprint import DocumentInfo, content_hash, minutes_content
from app.documents.flow import Column, Flow, national_header
from app.documents.layout import RED, SANS, SANS_BOLD, Doc, fmt_date, wrap
from app.domain.model import SessionStatus
from app.domain.money import amount_in_words, format_number, format_vnd
from app.domain.period import display_period

__all__ = ["render_minutes", "minutes_info"]

PAGE = A4
MARGIN = 36.0
SIGNATURE_HEIGHT = 78.0


def minutes_info(data: MinutesData, *, reprint_at: dt.datetime | None = None, demo: bool = False) -> DocumentInfo:
    # minutes that print each agency's part say so in their record, to be rebuilt the same way (``by_agency``)
    options = {"agencies": 1} if len(data.paid_by_agency) > 1 else {}
    return DocumentInfo("minutes", {"session": data.session.session_id}, content_hash(minutes_content(data)),
                        data.journal, data.printed_at, reprint_at, demo, options)


def _draw(data: MinutesData, doc: Doc, pages: int) -> int:
    session = data.session
    place = data.place
    closed = session.status is SessionStatus.CLOSED
    agencies = data.paid_by_agency if len(data.paid_by_agency) > 1 else ()
    """Several agencies paid from the one advance: each one's part is printed (one agency: as minutes always were)."""

    def header(page: int) -> float:
        y = doc.height - MARGIN - 4
        if page > 1:
            doc.text(doc.margin, y, f"Biên bản đối chiếu cuối ngày {fmt_date(session.day)} — {place.point_name} (tiếp)",
                     SANS_BOLD, 9)
            return y - 14
        y = national_header(doc, [place.province, place.commune], y)
        doc.text(doc.width / 2, y - 16, "BIÊN BẢN ĐỐI CHIẾU CUỐI NGÀY", SANS_BOLD, 14, "center")
        names = [item.name for item in agencies]
        what = ("Chi trả cho " + ", ".join(names[:-1]) + " và " + names[-1] + " —" if agencies
                else "Chi trả trợ cấp ưu đãi người có công")
        doc.text(doc.width / 2, y - 31,
                 f"{what} kỳ {display_period(session.period)} — ngày {fmt_date(session.day)}",
                 SANS, 9.5, "center")
        if not closed:
            doc.text(doc.width / 2, y - 45, "BẢN NHÁP — phiên chi trả chưa đóng, số liệu chưa chốt", SANS_BOLD, 9,
                     "center", RED)
            return y - 55
        return y - 42

    flow = Flow(doc, header, pages)
    point = place.point_name + (f" ({place.point_address})" if place.point_address else "")
    witness = ""
    if session.witness:
        witness = (f"; {_in_sentence(session.witness_role)} {session.witness} (người chứng kiến)"
                   if session.witness_role else f"; người chứng kiến {session.witness}")
    flow.paragraph(
        f"Hôm nay, ngày {fmt_date(session.day)}, tại điểm chi trả {point}, {place.commune}, {place.province}, "
        f"chúng tôi gồm: giao dịch viên chi trả {data.teller or '…'}{witness}"
        f", cùng đối chiếu kết quả chi trả trong ngày như sau:", size=9.5)
    if data.earlier:
        _reopened_day(flow, doc, data)
    flow.heading("1. Tiền mặt")
    expected = session.cash_advance - session.paid_total
    paid_rows = [["Đã chi trong ngày (theo sổ nhật ký)", format_vnd(session.paid_total)]]
    if agencies:  # the one advance accounted per agency: advance − Σ agencies = cash that should be in hand
        paid_rows = [*([f"Đã chi cho {item.name}", format_vnd(item.amount)] for item in agencies),
                     ["Cộng đã chi các cơ quan (theo sổ nhật ký)", format_vnd(session.paid_total)]]
    rows = [
        ["Tạm ứng nhận đầu ngày", format_vnd(session.cash_advance)],
        *paid_rows,
        ["Tiền mặt phải còn" + (" (tạm ứng − cộng đã chi các cơ quan)" if agencies else ""), format_vnd(expected)],
        ["Tiền mặt kiểm đếm thực tế", format_vnd(session.counted.total) if session.counted else ""],
        ["Chênh lệch (thực tế − phải còn)",
         (("+" if (session.difference or 0) > 0 else "") + format_vnd(session.difference))
         if session.difference is not None else ""],
        ["Lý do chênh lệch", session.difference_reason or ("Không có chênh lệch" if session.difference == 0 else "")],
    ]
    flow.table([Column("Nội dung", 300), Column("Số tiền", 200, "right", bold=True)], rows, size=9)
    flow.paragraph(f"Đã chi bằng chữ: {amount_in_words(session.paid_total)}.", size=9)
    flow.heading("2. Kiểm đếm tiền mặt theo mệnh giá")
    notes = dict(session.counted.notes) if session.counted else {}
    count_rows = [
        [format_number(value), str(notes.get(value, 0)) if closed else "", format_number(value * notes.get(value, 0))
         if closed else ""]
        for value in data.count_rows
    ]
    total = session.counted.total if session.counted else None
    flow.table([Column("Mệnh giá (đồng)", 160, "right"), Column("Số tờ", 120, "right"),
                Column("Thành tiền (đồng)", 200, "right")], count_rows, size=9,
               total=["Cộng", "", format_number(total) if total is not None else ""])
    flow.heading("3. Kết quả chi trả")
    paid_people = len({code for _, code, _ in data.paid})
    unpaid_amount = sum(item.amount for item in data.unpaid)
    counts = data.counts
    flow.table(
        [Column("Chỉ tiêu", 320), Column("Số lượng", 180, "right", bold=True)],
        [
            ["Số người đã nhận", f"{paid_people} người ({len(data.paid)} lần chi trả, {format_vnd(data.paid_total)})"],
            ["Số người chưa nhận", f"{len(data.unpaid)} người ({format_vnd(unpaid_amount)})"],
            ["Ký trên màn hình", str(counts.signature)],
            ["Điểm chỉ (có người làm chứng)", str(counts.thumbprint)],
            ["Ký trên giấy (có người làm chứng)", str(counts.paper)],
            ["Nhận thay theo giấy ủy quyền", str(counts.proxy)],
            ["Người đại diện gia đình (đối tượng đã mất)", str(counts.representative)],
            ["Nhập bù từ danh sách giấy", str(counts.back_entries)],
            ["Khoản chi bị hủy/điều chỉnh", str(len(data.reversals))],
        ],
        size=9,
    )
    if agencies:
        flow.table(
            [Column("Cơ quan chi trả", 230), Column("Số người", 80, "right"), Column("Số khoản", 80, "right"),
             Column("Số tiền (đồng)", 110, "right", bold=True)],
            [[item.name, str(item.people), str(item.lines), format_number(item.amount)] for item in agencies],
            size=9, total=["Cộng", "", str(sum(item.lines for item in agencies)),
                           format_number(sum(item.amount for item in agencies))],
        )
    flow.heading(f"4. Người chưa nhận ({len(data.unpaid)})")
    if data.unpaid:
        flow.table(
            [Column("STT", 30, "center"), Column("Họ và tên", 150), Column("Mã hồ sơ", 110), Column("Thôn", 70),
             Column("Số tiền", 80, "right"), Column("Lý do", 90)],
            [[str(i), item.full_name, item.record_code, item.village or "", format_number(item.amount), item.reason]
             for i, item in enumerate(data.unpaid, start=1)],
            size=8.5, total=["", "Cộng", "", "", format_number(unpaid_amount), ""],
        )
    else:
        flow.paragraph("Không có.", size=9)
    flow.heading(f"5. Khoản chi bị hủy/điều chỉnh ({len(data.reversals)})")
    if data.reversals:
        flow.table(
            [Column("Biên nhận", 48, "center"), Column("Lúc", 60), Column("Người hưởng", 130),
             Column("Số tiền", 70, "right"), Column("Lý do", 130), Column("Giám sát", 80)],
            [[f"số {r.payment_receipt}" if r.payment_receipt else "", doc.clock.format_datetime(r.recorded_at),
              f"{r.full_name} ({r.record_code})", format_number(r.amount), r.reason, r.supervisor]
             for r in data.reversals],
            size=8.5,
        )
    else:
        flow.paragraph("Không có.", size=9)
    back = data.back_entries
    # the closing sentence and the signature blocks stay with the last rows of the minutes (never alone on a page)
    closing = (f"Biên bản lập lúc {doc.clock.format_time(data.printed_at)} "
               f"ngày {doc.clock.format_date(data.printed_at)}, "
               "thành 02 bản có giá trị như nhau; các bên đã đọc lại và thống nhất ký tên.")
    tail = 6 + len(wrap(closing, SANS, 9, flow.width)) * 9 * 1.35 + SIGNATURE_HEIGHT + 18
    flow.heading(f"6. Nhập bù từ danh sách giấy ({len(back)})", keep_with_next=48.0 if back else 14 + tail)
    if back:
        flow.table(
            [Column("Biên nhận", 48, "center"), Column("Người hưởng", 140), Column("Số tiền", 70, "right"),
             Column("Ngày chi", 62), Column("Danh sách giấy", 80), Column("Xác nhận, người làm chứng", 120)],
            [[f"số {mark.receipt_no}" if mark.receipt_no else "", f"{name} ({code})", format_number(mark.total),
              fmt_date(mark.back_entry.paid_on) if mark.back_entry else "",
              mark.back_entry.sheet_reference if mark.back_entry else "",
              "; ".join(part for part in (mark.reason, mark.witness) if part)] for mark, code, name in back],
            size=8.5, keep_with=tail,
        )
    else:
        flow.paragraph("Không có.", size=9)
    flow.space(6)
    flow.paragraph(closing, size=9)
    flow.signatures(height=SIGNATURE_HEIGHT, blocks=[("GIAO DỊCH VIÊN CHI TRẢ", data.teller),
                     ((session.witness_role or "Người chứng kiến").upper(), session.witness),
                     ("KIỂM SOÁT VIÊN", data.closed_by if data.closed_by != data.teller else "")])
    flow.finish()
    return flow.page


def _in_sentence(role: str) -> str:
    """A role inside a sentence: "Cán bộ UBND xã" → "cán bộ UBND xã" (an acronym first, "UBND …", stays)."""
    first = role.split(" ", 1)[0]
    return role if first.isupper() else role[:1].lower() + role[1:]


def _reopened_day(flow: Flow, doc: Doc, data: MinutesData) -> None:
    """A day reopened after it was closed: who approved it and why, every session of the day side by side, and the
    day's totals — so the second advance and what it paid can never hide behind a first count that balanced."""
    session = data.session
    when = (f" lúc {doc.clock.format_time(data.reopened_at)} ngày {doc.clock.format_date(data.reopened_at)}"
            if data.reopened_at else "")
    flow.heading("Ngày chi trả được mở lại sau khi đã kết thúc")
    flow.paragraph(f"Ngày chi trả đã kết thúc (đóng phiên, kiểm đếm) {len(data.earlier)} lần và được mở lại{when}, "
                   f"giám sát viên {data.reopened_by or '…'} duyệt; lý do: {data.reopen_reason or '…'}. "
                   "Số liệu các phiên trong ngày:", size=9)
    rows = []
    for number, item in enumerate(data.earlier, start=1):
        earlier = item.session
        closed = f" (đóng lúc {doc.clock.format_time(item.closed_at)})" if item.closed_at else ""
        rows.append([f"Phiên {number}{closed}", format_number(earlier.cash_advance), format_number(earlier.paid_total),
                     str(item.payments), format_number(earlier.counted.total) if earlier.counted else "",
                     format_number(earlier.difference) if earlier.difference is not None else ""])
    this = "Phiên này" + ("" if session.status is SessionStatus.CLOSED else " (chưa đóng)")
    rows.append([this, format_number(session.cash_advance), format_number(session.paid_total), str(len(data.paid)),
                 format_number(session.counted.total) if session.counted else "",
                 format_number(session.difference) if session.difference is not None else ""])
    advances = session.cash_advance + sum(item.session.cash_advance for item in data.earlier)
    paid = session.paid_total + sum(item.session.paid_total for item in data.earlier)
    flow.table([Column("Phiên", 130), Column("Tạm ứng", 80, "right"), Column("Đã chi", 80, "right"),
                Column("Số khoản", 50, "right"), Column("Kiểm đếm", 80, "right"), Column("Chênh lệch", 70, "right")],
               rows, size=8.5,
               total=["Cả ngày", format_number(advances), format_number(paid),
                      str(len(data.paid) + sum(item.payments for item in data.earlier)), "", ""])


def render_minutes(data: MinutesData, *, reprint_at: dt.datetime | None = None, demo: bool = False) -> bytes:
    """The end-of-day minutes as PDF bytes (A4 portrait)."""
    info = minutes_info(data, reprint_at=reprint_at, demo=demo)
    title = f"Biên bản đối chiếu cuối ngày — {data.place.point_name} — {fmt_date(data.session.day)}"
    pages = _draw(data, Doc(PAGE, info, title=title, clock=data.place.clock, margin=MARGIN), 0)
    doc = Doc(PAGE, info, title=title, clock=data.place.clock, margin=MARGIN)
    _draw(data, doc, pages)
    return doc.finish()
