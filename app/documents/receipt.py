"""Biên nhận: the receipt of one payment, A5 portrait — printed only after the payment has committed.

Who was paid, every line and the total (figures and words), who took the cash (self, proxy or representative, with
ID), how receipt was acknowledged (the signature drawn from its strokes, or thumbprint / paper with the witness),
the identity check, time, point, teller, and the fingerprint as text and QR code. The receipt is named by one
number, the one the teller says aloud: its number within the payout day ("Số 7 ngày 12/03/2026").
A reversed payment's receipt says so in red with the reason.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A5

from app.documents.data import LineItem, ReceiptData
from app.documents.fingerprint import DocumentInfo, content_hash, receipt_content
from app.documents.flow import Column, Flow
from app.documents.layout import GREY, RED, SANS, SANS_BOLD, Doc, fmt_date
from app.documents.strokes import draw_strokes, points_of
from app.domain.model import EvidenceKind, IdentityCheck, RecipientKind
from app.domain.money import amount_in_words, format_vnd
from app.domain.period import display_period
from app.domain.signature import SignatureFormatError

__all__ = ["render_receipt", "receipt_info"]

PAGE = A5
MARGIN = 26.0

IDENTITY = {
    IdentityCheck.QR_MATCHED: "Quét mã QR trên CCCD, khớp danh sách",
    IdentityCheck.CARD_INSPECTED: "Đối chiếu CCCD",
    IdentityCheck.VOUCHED: "Cán bộ xã xác nhận nhân thân",
}
EVIDENCE = {
    EvidenceKind.SIGNATURE: "Ký trên màn hình",
    EvidenceKind.THUMBPRINT: "Điểm chỉ",
    EvidenceKind.PAPER: "Ký trên giấy",
}


def receipt_info(data: ReceiptData, *, reprint_at: dt.datetime | None = None, demo: bool = False) -> DocumentInfo:
    # a visit's receipt is found by every payment of it (the locator of one payment's receipt is as it always was)
    locator = {"payment": ",".join(mark.entry_id for mark in data.payments)}
    options = {"agencies": 1} if len({code for code, _name in data.agencies}) > 1 else {}  # see ``by_agency``
    return DocumentInfo("receipt", locator, content_hash(receipt_content(data)), data.journal, data.printed_at,
                        reprint_at, demo, options)


def agency_groups(data: ReceiptData) -> list[tuple[str, list[LineItem]]]:
    """The receipt's lines by agency (name, lines), in the order the lines come (the policy's agencies first)."""
    groups: dict[str, list[LineItem]] = {}
    names = [name for _code, name in data.agencies] or [""] * len(data.lines)
    for name, line in zip(names, data.lines, strict=True):
        groups.setdefault(name, []).append(line)
    return list(groups.items())


def _draw(data: ReceiptData, doc: Doc, pages: int) -> int:
    payment = data.payment
    place = data.place
    qr = doc.qr_side
    doc.qr_origin = (doc.width - MARGIN - qr, doc.height - MARGIN - qr + 4)

    def header(page: int) -> float:
        y = doc.height - MARGIN - 4
        doc.text(MARGIN, y, place.province.upper(), SANS_BOLD, 8)
        doc.text(MARGIN, y - 10, place.commune.upper(), SANS_BOLD, 8)
        doc.text(MARGIN, y - 20, f"Điểm chi trả: {place.point_name}", SANS, 7.5, color=GREY)
        if page > 1:
            doc.text(doc.width / 2, y - 44, "BIÊN NHẬN (tiếp)", SANS_BOLD, 10, "center")
            return y - 54
        doc.text(doc.width / 2, y - 66, "BIÊN NHẬN CHI TRẢ TRỢ CẤP", SANS_BOLD, 14, "center")
        numbers = ", ".join(str(mark.receipt_no) for mark in data.payments)
        doc.text(doc.width / 2, y - 82, f"Số {numbers} ngày {fmt_date(data.session_day)}", SANS_BOLD, 11,
                 "center")
        same_day = doc.clock.day_of(payment.recorded_at) == data.session_day
        when = (doc.clock.format_time(payment.recorded_at) if same_day
                else doc.clock.format_datetime(payment.recorded_at))
        doc.text(doc.width / 2, y - 95, f"Chi lúc {when} · Kỳ {display_period(data.period)}", SANS, 8.5, "center")
        return y - 104

    flow = Flow(doc, header, pages)
    if data.reversal is not None:
        r = data.reversal
        flow.paragraph(f"KHOẢN CHI NÀY ĐÃ BỊ HỦY lúc {doc.clock.format_datetime(r.recorded_at)} — lý do: "
                       f"{r.reason}; giám sát: {r.supervisor}", SANS_BOLD, 9, color=RED)
        flow.space(4)
    for r in data.reversals:  # a visit: each reversed payment by its receipt number
        flow.paragraph(f"KHOẢN CHI SỐ {r.payment_receipt} ({format_vnd(r.amount)}) ĐÃ BỊ HỦY lúc "
                       f"{doc.clock.format_datetime(r.recorded_at)} — lý do: {r.reason}; giám sát: {r.supervisor}",
                       SANS_BOLD, 9, color=RED)
        flow.space(4)
    details = [("Người hưởng", data.full_name), ("Mã hồ sơ", data.record_code), ("Loại đối tượng", data.category_name)]
    if data.birth_year or data.village:
        details.append(("Năm sinh · Thôn", " · ".join(str(v) for v in (data.birth_year, data.village) if v)))
    flow.pairs(details, size=9, label_width=92)
    flow.space(4)
    groups = agency_groups(data)
    total = data.total
    if len(groups) > 1:  # lines of several agencies: each agency's lines and subtotal (issue 12)
        for name, lines in groups:
            rows = [[f"{line.regime_name} — kỳ {display_period(line.period)}", format_vnd(line.amount)]
                    for line in lines]
            flow.table([Column(name, 250), Column("Số tiền", 96, "right")], rows, size=8.8,
                       total=[f"Cộng {name}", format_vnd(sum(line.amount for line in lines))])
        flow.paragraph(f"Tổng cộng ({len(groups)} cơ quan chi trả): {format_vnd(total)}", SANS_BOLD, 10)
    else:  # one agency: as a receipt always looked
        rows = [[f"{line.regime_name} — kỳ {display_period(line.period)}", format_vnd(line.amount)]
                for line in data.lines]
        flow.table([Column("Khoản chi", 250), Column("Số tiền", 96, "right")], rows, size=8.8,
                   total=["Tổng cộng", format_vnd(total)])
    flow.paragraph(f"Bằng chữ: {amount_in_words(total)}.", SANS_BOLD, 9)
    flow.space(4)
    recipient = payment.recipient
    if recipient.kind is RecipientKind.SELF:
        who = f"Bản thân người hưởng ({data.full_name})"
    else:
        label = "Người được ủy quyền" if recipient.kind is RecipientKind.PROXY else "Người đại diện gia đình"
        who = f"{label}: {recipient.name}" + (f", CCCD {recipient.id_number}" if recipient.id_number else "")
        if recipient.authorisation_number:
            until = (f", hạn {fmt_date(recipient.authorisation_valid_until)}"
                     if recipient.authorisation_valid_until else "")
            who += f"; giấy ủy quyền số {recipient.authorisation_number}{until}"
    pairs = [("Người nhận tiền", who),
             ("Nhận dạng", IDENTITY.get(payment.identity_check, payment.identity_check.value)),
             ("Xác nhận", EVIDENCE[payment.evidence] + (f"; người làm chứng: {payment.witness}" if payment.witness
                                                       else ""))]
    if payment.reason:
        pairs.append(("Lý do", payment.reason))
    if payment.back_entry is not None:
        pairs.append(("Nhập bù", f"chi ngày {fmt_date(payment.back_entry.paid_on)} theo danh sách giấy "
                                 f"{payment.back_entry.sheet_reference}"))
    pairs.append(("Giao dịch viên", data.teller))
    flow.pairs(pairs, size=8.6, label_width=92)
    if payment.evidence is EvidenceKind.SIGNATURE and payment.strokes:
        flow.ensure(70)
        flow.space(4)
        doc.text(flow.left, flow.y - 9, "Chữ ký người nhận:", SANS, 8.6, color=GREY)
        try:
            strokes = points_of(payment.strokes)
        except SignatureFormatError:
            doc.text(flow.left + 92, flow.y - 9, "[chữ ký không đọc được]", SANS, 8.6, color=GREY)
        else:
            c = doc.canvas
            c.setLineWidth(0.4)
            c.setStrokeColor(GREY)
            c.rect(flow.left + 92, flow.y - 62, 180, 60, stroke=1, fill=0)
            c.setStrokeColorRGB(0, 0, 0)
            draw_strokes(c, strokes, flow.left + 98, flow.y - 58, 168, 52, line_width=1.0)
        flow.space(66)
    else:
        flow.signatures([("NGƯỜI NHẬN TIỀN", ""), ("GIAO DỊCH VIÊN", data.teller)], height=64)
    flow.space(6)
    flow.paragraph("Biên nhận in sau khi khoản chi đã được ghi vào sổ nhật ký. Xin giữ lại để đối chiếu khi cần.",
                   SANS, 7.5, color=GREY)
    flow.finish()
    return flow.page


def render_receipt(data: ReceiptData, *, reprint_at: dt.datetime | None = None, demo: bool = False) -> bytes:
    """The receipt as PDF bytes (A5 portrait); ``reprint_at`` marks "BẢN IN LẠI"; ``demo`` the watermark."""
    info = receipt_info(data, reprint_at=reprint_at, demo=demo)
    pages = _draw(data, Doc(PAGE, info, title="Biên nhận chi trả", clock=data.place.clock, margin=MARGIN,
                            qr_side=60), 0)
    doc = Doc(PAGE, info, title=f"Biên nhận chi trả — {data.full_name}", clock=data.place.clock, margin=MARGIN,
              qr_side=60)
    _draw(data, doc, pages)
    return doc.finish()
