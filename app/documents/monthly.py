"""Báo cáo tháng: one commune's month from this device's journal, A4 portrait.

The figures of the pilot's evaluation — payment turns paid and their share of the list, monthly vs one-time — and
what the Thông tư 44/2022 cycle asks the provider to report before the 20th: people and lines on the list, paid,
unpaid with the reason, carried over to next month, totals by programme and regime, and the sessions held.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4

from app.documents.data import MonthlyReportData
from app.documents.fingerprint import DocumentInfo, content_hash, monthly_content
from app.documents.flow import Column, Flow, national_header
from app.documents.layout import GREY, SANS, SANS_BOLD, Doc, fmt_date
from app.domain.money import amount_in_words, format_number, format_vnd
from app.domain.period import display_period

__all__ = ["render_monthly_report", "monthly_info", "percent"]

PAGE = A4
MARGIN = 36.0


def percent(part: int, whole: int) -> str:
    """"99,98 %" (Vietnamese decimal comma), "—" when nothing was listed; integer arithmetic, rounded half up."""
    if whole <= 0:
        return "—"
    hundredths = (part * 10000 * 2 + whole) // (2 * whole)
    return f"{hundredths // 100},{hundredths % 100:02d} %"


def monthly_info(data: MonthlyReportData, *, reprint_at: dt.datetime | None = None, demo: bool = False) -> DocumentInfo:
    options = {"agencies": 1} if len(data.agencies) > 1 else {}  # rebuilt the same way (``by_agency``)
    return DocumentInfo("monthly", {"commune": data.place.commune_code, "period": data.period},
                        content_hash(monthly_content(data)), data.journal, data.printed_at, reprint_at, demo, options)


def _draw(data: MonthlyReportData, doc: Doc, pages: int) -> int:
    place = data.place

    def header(page: int) -> float:
        y = doc.height - MARGIN - 4
        if page > 1:
            doc.text(doc.margin, y, f"Báo cáo kết quả chi trả tháng {display_period(data.period)} — {place.commune} "
                                    "(tiếp)", SANS_BOLD, 9)
            return y - 14
        y = national_header(doc, [place.province, f"Điểm giao dịch chi trả — {place.commune}"], y)
        doc.text(doc.width / 2, y - 16, f"BÁO CÁO KẾT QUẢ CHI TRẢ THÁNG {display_period(data.period)}", SANS_BOLD, 14,
                 "center")
        doc.text(doc.width / 2, y - 31, f"Trợ cấp ưu đãi người có công và các khoản chi kèm — {place.commune}",
                 SANS, 9.5, "center")
        doc.text(doc.width / 2, y - 44, f"Số liệu từ sổ nhật ký của thiết bị {data.journal.device_id[:8]}, "
                                        f"đến ngày {doc.clock.format_date(data.printed_at)}", SANS, 8.5, "center", GREY)
        return y - 52

    flow = Flow(doc, header, pages)
    flow.heading("I. Tổng hợp")
    rows = [
        ["Người hưởng trong danh sách chi tiền mặt", str(data.people_listed), str(data.people_paid),
         percent(data.people_paid, data.people_listed)],
        ["Số khoản", str(data.lines_listed), str(data.lines_paid), percent(data.lines_paid, data.lines_listed)],
        ["Số tiền (đồng)", format_number(data.amount_listed), format_number(data.amount_paid),
         percent(data.amount_paid, data.amount_listed)],
        ["Lượt chi trả hằng tháng", str(data.monthly_turns_listed), str(data.monthly_turns_paid),
         percent(data.monthly_turns_paid, data.monthly_turns_listed)],
        ["Lượt chi trả một lần, truy lĩnh, mai táng phí", str(data.one_time_turns_listed),
         str(data.one_time_turns_paid), percent(data.one_time_turns_paid, data.one_time_turns_listed)],
    ]
    flow.table([Column("Chỉ tiêu", 230), Column("Theo danh sách", 95, "right"), Column("Đã chi", 95, "right"),
                Column("Tỷ lệ", 70, "right")], rows, size=8.8,
               total=["Tổng số lượt chi trả", str(data.turns_listed), str(data.turns_paid),
                      percent(data.turns_paid, data.turns_listed)])
    flow.pairs([
        ("Đã chi hằng tháng", format_vnd(data.monthly_amount_paid)),
        ("Đã chi một lần, truy lĩnh", format_vnd(data.one_time_amount_paid)),
        ("Tổng đã chi", f"{format_vnd(data.amount_paid)} — {amount_in_words(data.amount_paid)}"),
        ("Chưa chi", format_vnd(data.amount_listed - data.amount_paid - data.moved_amount)),
        ("Chuyển từ kỳ trước", f"{data.carried_in_lines} khoản, {format_vnd(data.carried_in_amount)}"),
        ("Chuyển sang kỳ sau", f"{data.carried_over_lines} khoản, {format_vnd(data.carried_over_amount)}"),
        *([("Chuyển đi (theo người hưởng)", f"{data.moved_lines} khoản, {format_vnd(data.moved_amount)}")]
          if data.moved_lines else []),
        ("Chi qua tài khoản",
         f"{data.account_lines} khoản, {format_vnd(data.account_amount)} (không qua điểm chi trả)"),
        ("Khoản chi bị hủy", str(data.reversals)),
    ], size=8.8, label_width=150)
    flow.paragraph("Lượt: một người, một cơ quan chi, một kỳ, một loại. Lượt hằng tháng: mọi khoản hằng tháng của "
                   "người đó trong kỳ (trợ cấp, phụ cấp, người phục vụ) là một lượt; lượt một lần: mọi khoản khác "
                   "(một lần, truy lĩnh, mai táng phí) của người đó trong kỳ là một lượt. Đã chi khi một lần chi trả "
                   "còn hiệu lực đã chi một khoản của lượt. Tỷ lệ: đã chi trên danh sách.", SANS, 7.5, color=GREY)
    if len(data.agencies) > 1:  # several agencies' money: each agency's figures (issue 12)
        flow.heading("Tổng hợp theo cơ quan chi trả")
        flow.table(
            [Column("Cơ quan chi trả", 150), Column("Số khoản DS", 50, "right"), Column("Số tiền DS", 78, "right"),
             Column("Số khoản đã chi", 50, "right"), Column("Số tiền đã chi", 78, "right"),
             Column("Lượt DS", 42, "right"), Column("Lượt đã chi", 42, "right")],
            [[a.name, str(a.listed_lines), format_number(a.listed_amount), str(a.lines), format_number(a.amount),
              str(a.turns_listed), str(a.turns_paid)] for a in data.agencies],
            size=8.3,
            total=["Cộng", str(data.lines_listed), format_number(data.amount_listed), str(data.lines_paid),
                   format_number(data.amount_paid), str(data.turns_listed), str(data.turns_paid)])
    flow.heading("II. Theo chương trình và chế độ")
    regime_rows = [
        [f"{r.programme_name} — {r.regime_name}", str(r.lines_listed), format_number(r.amount_listed),
         str(r.lines_paid),
         format_number(r.amount_paid), percent(r.amount_paid, r.amount_listed)]
        for r in data.regimes
    ]
    flow.table([Column("Chương trình — chế độ", 200), Column("Số khoản DS", 55, "right"),
                Column("Số tiền DS", 80, "right"), Column("Số khoản đã chi", 55, "right"),
                Column("Số tiền đã chi", 80, "right"), Column("Tỷ lệ", 50, "right")], regime_rows, size=8.3,
               total=["Cộng", str(data.lines_listed), format_number(data.amount_listed), str(data.lines_paid),
                      format_number(data.amount_paid), percent(data.amount_paid, data.amount_listed)])
    flow.heading(f"III. Phiên chi trả ({len(data.sessions)})")
    if data.sessions:
        flow.table(
            [Column("Ngày", 60), Column("Điểm chi trả", 160), Column("Lượt", 40, "right"),
             Column("Người", 40, "right"), Column("Đã chi (đồng)", 90, "right"), Column("Hủy", 35, "right"),
             Column("Nhập bù", 45, "right"), Column("Trạng thái", 55)],
            [[fmt_date(s.session.day), s.point_name, str(s.payments), str(s.people), format_number(s.paid_total),
              str(s.reversals), str(s.back_entries), "đã đóng" if s.session.status.value == "closed" else "đang mở"]
             for s in data.sessions],
            size=8.3,
        )
    else:
        flow.paragraph("Chưa có phiên chi trả nào trong tháng.", size=9)
    flow.heading(f"IV. Người chưa nhận ({len(data.unpaid)})")
    if data.unpaid:
        flow.table(
            [Column("STT", 28, "center"), Column("Họ và tên", 120), Column("Mã hồ sơ", 100), Column("Thôn", 55),
             Column("Số tiền", 70, "right"), Column("Lý do", 150)],
            [[str(i), u.full_name, u.record_code, u.village or "", format_number(u.amount), u.reason]
             for i, u in enumerate(data.unpaid, start=1)],
            size=8.2, total=["", "Cộng", "", "", format_number(sum(u.amount for u in data.unpaid)), ""],
        )
    else:
        flow.paragraph("Không có.", size=9)
    if data.moved:
        flow.heading(f"V. Người chuyển đi ({len(data.moved)})")
        flow.paragraph("Danh sách kỳ sau ghi những người này ở xã khác: các khoản chưa chi đi theo người hưởng, "
                       "được chi ở xã mới, không chi ở đây.", SANS, 7.5, color=GREY)
        flow.table(
            [Column("STT", 28, "center"), Column("Họ và tên", 120), Column("Mã hồ sơ", 100), Column("Thôn", 55),
             Column("Số tiền", 70, "right"), Column("Chuyển đến", 150)],
            [[str(i), u.full_name, u.record_code, u.village or "", format_number(u.amount), u.reason]
             for i, u in enumerate(data.moved, start=1)],
            size=8.2, total=["", "Cộng", "", "", format_number(data.moved_amount), ""],
        )
    flow.space(6)
    flow.signatures([("NGƯỜI LẬP BIỂU", ""), ("KIỂM SOÁT", ""), ("THỦ TRƯỞNG ĐƠN VỊ", "")],
                    note="(Ký, ghi rõ họ tên)")
    flow.finish()
    return flow.page


def render_monthly_report(data: MonthlyReportData, *, reprint_at: dt.datetime | None = None,
                          demo: bool = False) -> bytes:
    """The monthly report as PDF bytes (A4 portrait)."""
    info = monthly_info(data, reprint_at=reprint_at, demo=demo)
    title = f"Báo cáo tháng {display_period(data.period)} — {data.place.commune}"
    pages = _draw(data, Doc(PAGE, info, title=title, clock=data.place.clock, margin=MARGIN), 0)
    doc = Doc(PAGE, info, title=title, clock=data.place.clock, margin=MARGIN)
    _draw(data, doc, pages)
    return doc.finish()
