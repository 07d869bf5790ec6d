"""Thông báo công khai: the public notice posted at the cultural house before a payout, A4 portrait, large type.

It says when and where (point, days and hours), what to bring (ID card; for a proxy the authorisation letter and the
proxy's own ID; for a deceased beneficiary the family representative's ID), whom to contact, and who is paid at this
point with their village. Nothing more about them by default: no ID numbers, no amounts and no regimes — a regime can
reveal health data such as a disability rate (Decree 13/2023, Law 91/2025). ``NoticeData.show_regimes`` /
``show_amounts`` add those columns where the province decides so. A public notice carries no fingerprint or QR code.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4

from app.documents.data import NoticeData
from app.documents.fingerprint import DocumentInfo
from app.documents.flow import Column, Flow, national_header
from app.documents.layout import SANS, SANS_BOLD, Doc, fmt_date
from app.domain.money import format_number
from app.domain.period import display_period

__all__ = ["render_notice", "notice_info"]

PAGE = A4
MARGIN = 36.0
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
TO_BRING = (
    "Căn cước (CCCD) của người hưởng.",
    "Nếu nhờ người nhận thay: giấy ủy quyền có xác nhận của UBND xã/phường còn hạn, và căn cước của người được ủy "
    "quyền.",
    "Nếu người hưởng đã mất: người đại diện gia đình đã được ghi nhận mang căn cước của mình.",
    "Người không ký được sẽ điểm chỉ, có cán bộ xã làm chứng.",
)


def notice_info(data: NoticeData, *, demo: bool = False) -> DocumentInfo:
    locator = {"point": data.place.point_id, "period": data.period,
               "day": data.slots[0].day.isoformat() if len(data.slots) == 1 else ""}
    options = {"regimes": data.show_regimes, "amounts": data.show_amounts, "contact": data.contact}
    return DocumentInfo("notice", locator, None, None, data.printed_at, None, demo, options)


def _slot_text(slot_day: dt.date, start: dt.time, end: dt.time) -> str:
    return (f"{WEEKDAYS[slot_day.weekday()]}, ngày {fmt_date(slot_day)}, từ {start.strftime('%H:%M')} "
            f"đến {end.strftime('%H:%M')}")


def _draw(data: NoticeData, doc: Doc, pages: int) -> int:
    place = data.place

    def header(page: int) -> float:
        y = doc.height - MARGIN - 4
        if page > 1:
            doc.text(doc.margin, y, f"Thông báo chi trả kỳ {display_period(data.period)} — {place.point_name} (tiếp)",
                     SANS_BOLD, 10)
            return y - 16
        y = national_header(doc, [f"UBND {place.commune}"], y)
        doc.text(doc.width / 2, y - 22, "THÔNG BÁO", SANS_BOLD, 20, "center")
        doc.text(doc.width / 2, y - 42, f"Chi trả trợ cấp ưu đãi người có công kỳ {display_period(data.period)}",
                 SANS_BOLD, 13, "center")
        return y - 54

    flow = Flow(doc, header, pages)
    point = place.point_name + (f", {place.point_address}" if place.point_address else "")
    flow.pairs([("Địa điểm", point)], size=12, label_width=90)
    if data.slots:
        flow.pairs([("Thời gian", _slot_text(slot.day, slot.start, slot.end)) for slot in data.slots], size=12,
                   label_width=90)
    else:
        flow.pairs([("Thời gian", "sẽ thông báo sau")], size=12, label_width=90)
    flow.heading("Khi đến nhận, xin mang theo:", size=12)
    flow.bullets(TO_BRING, size=11.5)
    flow.space(4)
    flow.pairs([("Liên hệ", data.contact)], size=11.5, label_width=90)
    flow.heading(f"Danh sách người hưởng nhận tại điểm này ({len(data.people)} người)", size=12)
    columns = [Column("STT", 34, "center"), Column("Họ và tên", 200, bold=True), Column("Thôn/khu", 110)]
    if data.show_regimes:
        columns.append(Column("Chế độ", 170))
    if data.show_amounts:
        columns.append(Column("Số tiền (đồng)", 90, "right"))
    rows = []
    for i, person in enumerate(data.people, start=1):
        row = [str(i), person.full_name, person.village or ""]
        if data.show_regimes:
            row.append(", ".join(person.regimes or ()))
        if data.show_amounts:
            row.append(format_number(person.amount) if person.amount is not None else "")
        rows.append(row)
    flow.table(columns, rows, size=11)
    flow.paragraph("Ai có tên trong danh sách nhưng không đến được vào ngày trên, xin báo cho UBND xã/phường để được "
                   "hướng dẫn; khoản chưa nhận được chuyển sang kỳ sau.", SANS, 10.5)
    flow.finish()
    return flow.page


def render_notice(data: NoticeData, *, demo: bool = False) -> bytes:
    """The public notice as PDF bytes (A4 portrait)."""
    info = notice_info(data, demo=demo)
    title = f"Thông báo chi trả — {data.place.point_name} — kỳ {display_period(data.period)}"
    pages = _draw(data, Doc(PAGE, info, title=title, clock=data.place.clock, margin=MARGIN, qr=False), 0)
    doc = Doc(PAGE, info, title=title, clock=data.place.clock, margin=MARGIN, qr=False)
    _draw(data, doc, pages)
    return doc.finish()
