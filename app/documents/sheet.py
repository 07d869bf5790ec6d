"""Danh sách chi trả: the payout sheet of one point and day, blank (for signing on paper) or signed.

A4 landscape. Every page repeats the title block and the column headers, ends with the page's subtotal row and
carries the fingerprint as text and QR code; the last page adds the grand total in figures and words and the
signature blocks (teller, the day's witness or supervising commune officer, receiving supervisor). Rows are measured
first, then paginated, so each page knows "Trang n/N" and its subtotal before it is drawn. The total and the
signature blocks never stand alone on a page: when they do not fit under the last rows, the last few rows
(``KEEP_WITH_TOTAL``) go with them to the next page, as paper forms do.

Signed form, per row: the captured signature drawn as vector paths from its PDS1 strokes, or "Điểm chỉ" / "Ký trên
giấy" with the witness (and "Nhập bù" for a back-entry), or "Chưa nhận".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape

from app.documents.data import AmountGroup, LineItem, PaymentMark, PayoutSheetData, SheetPerson
from app.documents.fingerprint import DocumentInfo, content_hash, sheet_content
from app.documents.layout import COND, COND_BOLD, GREY, SANS, SANS_BOLD, Doc, fmt_date, nfc, wrap
from app.documents.strokes import StrokeData, draw_strokes, points_of
from app.domain.model import EvidenceKind, LineKind, RecipientKind
from app.domain.money import amount_in_words, format_number, format_vnd
from app.domain.period import display_period
from app.domain.signature import SignatureFormatError

__all__ = ["render_payout_sheet", "sheet_info", "sheet_locator", "line_group", "SheetPageTotals"]

PAGE = landscape(A4)
MARGIN = 24.0
QR_SIDE = 46.0
# STT, name, record code, category, monthly, one-time/arrears, other programmes, total, recipient, signature
WIDTHS = (24.0, 120.0, 82.0, 100.0, 64.0, 64.0, 64.0, 68.0, 98.0, 110.0)
HEADERS = (
    "STT", "Họ và tên\nNăm sinh · Thôn", "Mã hồ sơ", "Loại đối tượng", "Trợ cấp hằng tháng\n(đồng)",
    "Một lần, truy lĩnh\n(đồng)", "Chương trình khác\n(đồng)", "Tổng cộng\n(đồng)", "Người nhận", "Ký nhận",
)
GROUPS = (AmountGroup.MONTHLY, AmountGroup.ONE_TIME, AmountGroup.OTHER)
PAD = 3.0
SIZE = 7.6
SMALL = 6.4
LEADING = 8.6
SMALL_LEADING = 7.4
MIN_ROW = 30.0
HEADER_ROW = 28.0
TOTAL_ROW = 15.0
SHADE = Color(0.93, 0.93, 0.93)
KEEP_WITH_TOTAL = 3
"""Rows that go with the total and the signature blocks to a new page when those do not fit under the last rows."""


def _x_positions() -> tuple[float, ...]:
    xs = [MARGIN]
    for width in WIDTHS:
        xs.append(xs[-1] + width)
    return tuple(xs)


XS = _x_positions()


AGENCY_HEADERS = {4: "Hằng tháng\n(đồng)", 6: "Khoản khác\n(đồng)"}
"""An agency's sheet (issue 12) names its amount columns for any agency: its main programme's monthly and one-time
lines, and its other programmes' lines ("Khoản khác")."""


def sheet_locator(data: PayoutSheetData) -> dict[str, str]:
    locator = {"point": data.place.point_id, "day": data.day.isoformat(), "period": data.period}
    if data.agency:  # one agency's voucher; a sheet printed before sheets were per agency has no agency
        locator["agency"] = data.agency
    return locator


def line_group(line: LineItem, main_programme: str) -> AmountGroup:
    """The amount column of a line: on the whole point-day sheet by the người có công programme (as it always
    was); on an agency's sheet by that agency's main programme."""
    if not main_programme:
        return line.group
    if line.programme != main_programme:
        return AmountGroup.OTHER
    return AmountGroup.MONTHLY if line.kind is LineKind.RECURRING else AmountGroup.ONE_TIME


def sheet_info(data: PayoutSheetData, *, signed: bool, reprint_at: dt.datetime | None = None,
               demo: bool = False) -> DocumentInfo:
    """The document record (fingerprint inputs) of a sheet, without rendering it."""
    kind = "sheet-signed" if signed else "sheet-blank"
    return DocumentInfo(kind, sheet_locator(data), content_hash(sheet_content(data, signed)), data.journal,
                        data.printed_at, reprint_at, demo)


@lru_cache(maxsize=512)
def _wrapped(text: str, font: str, size: float, width: float, max_lines: int) -> tuple[str, ...]:
    return tuple(wrap(text, font, size, width, max_lines))


@dataclass
class _Row:
    number: int
    person: SheetPerson
    amounts: tuple[int, int, int]
    total: int
    paid: int
    name_lines: tuple[str, ...]
    sub_lines: tuple[str, ...]
    category_lines: tuple[str, ...]
    recipient_lines: tuple[str, ...]
    marks: tuple[PaymentMark, ...]
    strokes: dict[str, StrokeData | None] = field(default_factory=dict)
    height: float = MIN_ROW


@dataclass(frozen=True)
class SheetPageTotals:
    """The subtotal row of one page (also what tests add up)."""

    monthly: int
    one_time: int
    other: int
    total: int
    paid: int


def _recipient_text(mark: PaymentMark) -> str:
    recipient = mark.recipient
    if recipient.kind is RecipientKind.SELF:
        return "Bản thân"
    label = "Ủy quyền" if recipient.kind is RecipientKind.PROXY else "Đại diện"
    text = f"{label}: {recipient.name}"
    if recipient.id_number:
        text += f"\nCCCD {recipient.id_number}"
    if recipient.authorisation_number:
        text += f"\nGUQ {recipient.authorisation_number}"
    return text


def _measure(number: int, person: SheetPerson, period: str, signed: bool, main_programme: str = "") -> _Row:
    sums = dict.fromkeys(GROUPS, 0)
    for line in person.lines:
        sums[line_group(line, main_programme)] += line.amount
    total = sum(sums.values())
    paid = sum(line.amount for line in person.lines if signed and line.paid_by)
    name_lines = _wrapped(nfc(person.full_name), COND_BOLD, SIZE + 0.4, WIDTHS[1] - 2 * PAD, 2)
    sub = " · ".join(part for part in (f"SN {person.birth_year}" if person.birth_year else "", person.village or "")
                     if part)
    other_periods = sorted({line.period for line in person.lines if line.period != period})
    if other_periods:
        sub = (sub + "\n" if sub else "") + "Gồm khoản kỳ " + ", ".join(display_period(p) for p in other_periods)
    sub_lines = _wrapped(sub, COND, SMALL, WIDTHS[1] - 2 * PAD, 3) if sub else ()
    category_lines = _wrapped(nfc(person.category_name or person.category), COND, SMALL, WIDTHS[3] - 2 * PAD, 4)
    marks = person.payments if signed else ()
    if marks:
        recipient = "\n".join(_recipient_text(mark) for mark in marks)
    else:
        recipient = person.hint
    recipient_lines = _wrapped(nfc(recipient), COND, SMALL, WIDTHS[8] - 2 * PAD, 6) if recipient else ()
    text_height = max(
        len(name_lines) * LEADING + len(sub_lines) * SMALL_LEADING,
        len(category_lines) * SMALL_LEADING,
        len(recipient_lines) * SMALL_LEADING,
        LEADING,
    ) + 2 * PAD + 2
    row = _Row(number, person, (sums[GROUPS[0]], sums[GROUPS[1]], sums[GROUPS[2]]), total, paid, name_lines,
               sub_lines, category_lines, recipient_lines, marks)
    row.height = max(MIN_ROW, text_height)
    if signed:
        for mark in marks:
            if mark.evidence is EvidenceKind.SIGNATURE and mark.strokes:
                try:
                    row.strokes[mark.entry_id] = points_of(mark.strokes)
                except SignatureFormatError:
                    row.strokes[mark.entry_id] = None
    return row


class _SheetRenderer:
    def __init__(self, data: PayoutSheetData, signed: bool, info: DocumentInfo) -> None:
        self.data = data
        self.signed = signed
        self.doc = Doc(PAGE, info, title=self._title(), clock=data.place.clock, margin=MARGIN, qr_side=QR_SIDE)
        self.c = self.doc.canvas
        self.top = PAGE[1] - MARGIN - 6
        self.doc.qr_origin = (PAGE[0] - MARGIN - QR_SIDE, self.top + 8 - QR_SIDE)
        self.table_top = self.top - 45
        self.bottom = MARGIN + self.doc.footer_height + 2
        self.other_periods = sorted({line.period for person in data.rows(signed) for line in person.lines}
                                    - {data.period})

    def _title(self) -> str:
        form = "bản đã ký nhận" if self.signed else "bản trắng để ký trên giấy"
        agency = f" — {self.data.agency_name}" if self.data.agency else ""
        return (f"Danh sách chi trả{agency} — {self.data.place.point_name} — {fmt_date(self.data.day)} ({form})")

    # --- pagination --------------------------------------------------------------------------------------------------

    def paginate(self, rows: list[_Row]) -> tuple[list[list[_Row]], bool]:
        """Split rows into pages, the last rows kept with the total and the signatures; the second value says whether
        the summary still needs a page of its own (only if even a few rows and the summary cannot share a page)."""
        room = self.table_top - HEADER_ROW - TOTAL_ROW - self.bottom
        pages: list[list[_Row]] = []
        current: list[_Row] = []
        used = 0.0
        for row in rows:
            if current and used + row.height > room:
                pages.append(current)
                current, used = [], 0.0
            current.append(row)
            used += row.height
        pages.append(current)
        summary = TOTAL_ROW + self._summary_height()
        if used + summary <= room:
            return pages, False
        carried = current[-KEEP_WITH_TOTAL:] if len(current) > KEEP_WITH_TOTAL else current[-1:]
        if sum(row.height for row in carried) + summary > room:
            return pages, True
        pages[-1] = current[:len(current) - len(carried)]
        if not pages[-1]:
            pages.pop()
        pages.append(carried)
        return pages, False

    def _summary_height(self) -> float:
        return 40.0 + (22.0 if self.signed else 0.0) + 92.0

    # --- drawing -----------------------------------------------------------------------------------------------------

    def header(self) -> None:
        d, doc = self.data, self.doc
        place = d.place
        left = " — ".join(part.upper() for part in (place.province, place.district or "", place.commune) if part)
        doc.text(MARGIN, self.top, left, SANS_BOLD, 8.5)
        form = "BẢN ĐÃ KÝ NHẬN" if self.signed else "BẢN TRẮNG — KÝ NHẬN TRÊN GIẤY"
        doc.text(PAGE[0] - MARGIN - QR_SIDE - 8, self.top, form, SANS_BOLD, 8.5, "right")
        if d.agency:  # one agency's voucher: its programmes in the title, the agency named under it
            title = "DANH SÁCH CHI TRẢ " + "; ".join(name.upper() for name in d.programme_names)
            doc.text(PAGE[0] / 2, self.top - 17, title, SANS_BOLD, 13, "center")
        else:
            doc.text(PAGE[0] / 2, self.top - 17, "DANH SÁCH CHI TRẢ TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG", SANS_BOLD, 13,
                     "center")
        period_text = display_period(d.period)
        if self.other_periods:
            period_text += " (gồm cả khoản kỳ " + ", ".join(display_period(p) for p in self.other_periods) + ")"
        point = place.point_name + (f", {place.point_address}" if place.point_address else "")
        line = f"Điểm chi trả: {point} · Kỳ chi trả: {period_text} · Ngày chi trả: {fmt_date(d.day)}"
        if d.agency:
            line = f"Cơ quan chi trả: {d.agency_name} · {line}"
        doc.text(PAGE[0] / 2, self.top - 31, line, SANS, 9, "center")

    def column_headers(self, y: float) -> float:
        c = self.c
        c.setFillColor(SHADE)
        c.rect(XS[0], y - HEADER_ROW, XS[-1] - XS[0], HEADER_ROW, stroke=0, fill=1)
        c.setFillColor(Color(0, 0, 0))
        for i, title in enumerate(HEADERS):
            if self.data.agency:
                title = AGENCY_HEADERS.get(i, title)
            if i == 9 and self.signed:
                title = "Ký nhận / điểm chỉ"
            lines = [part for piece in title.split("\n")
                     for part in _wrapped(piece, COND_BOLD, 7.2, WIDTHS[i] - 2 * PAD + 2, 3)]
            base = y - HEADER_ROW / 2 + (len(lines) - 1) * 4.2 - 2.5
            for line in lines:
                self.doc.text((XS[i] + XS[i + 1]) / 2, base, line, COND_BOLD, 7.2, "center")
                base -= 8.4
        return y - HEADER_ROW

    def row(self, row: _Row, y: float) -> None:
        doc = self.doc
        first = y - PAD - SIZE + 0.5
        doc.text((XS[0] + XS[1]) / 2, first, str(row.number), COND, SIZE, "center")
        line_y = first
        for text in row.name_lines:
            doc.text(XS[1] + PAD, line_y, text, COND_BOLD, SIZE + 0.4)
            line_y -= LEADING
        for text in row.sub_lines:
            doc.text(XS[1] + PAD, line_y, text, COND, SMALL, color=GREY)
            line_y -= SMALL_LEADING
        doc.text(XS[2] + PAD, first, row.person.record_code, COND, SIZE)
        line_y = first
        for text in row.category_lines:
            doc.text(XS[3] + PAD, line_y, text, COND, SMALL)
            line_y -= SMALL_LEADING
        for i, amount in enumerate(row.amounts):
            if amount:
                doc.text(XS[5 + i] - PAD, first, format_number(amount), COND, SIZE, "right")
        doc.text(XS[8] - PAD, first, format_number(row.total), COND_BOLD, SIZE, "right")
        line_y = first
        for text in row.recipient_lines:
            doc.text(XS[8] + PAD, line_y, text, COND, SMALL)
            line_y -= SMALL_LEADING
        if self.signed:
            self.signature_cell(row, y)

    def signature_cell(self, row: _Row, y: float) -> None:
        doc = self.doc
        x0, width, height = XS[9], WIDTHS[9], row.height
        unpaid = row.total - row.paid
        marks = row.marks
        if not marks:
            doc.text(x0 + width / 2, y - height / 2 - 2.5, "Chưa nhận", COND_BOLD, SIZE, "center", GREY)
            return
        foot = f"Chưa nhận: {format_number(unpaid)}" if unpaid else ""
        slot = width / len(marks)
        for i, mark in enumerate(marks):
            left = x0 + i * slot
            when = self.doc.clock.format_time(mark.recorded_at)
            if mark.receipt_no:  # the receipt the person holds ("biên nhận số 7")
                when += f" · BN số {mark.receipt_no}"
            doc.text(left + slot - PAD, y - height + 2.5, when, COND, 5.2, "right", GREY)
            box_bottom = y - height + 8.5 + (6 if foot else 0)
            box_top = y - PAD
            if mark.back_entry is not None:
                text = f"Nhập bù {fmt_date(mark.back_entry.paid_on)}\nsổ {mark.back_entry.sheet_reference}"
                self._cell_lines(left, slot, box_top, text, "Ký trên giấy" if mark.evidence is EvidenceKind.PAPER
                                 else _evidence_label(mark.evidence))
                continue
            if mark.evidence is EvidenceKind.SIGNATURE:
                strokes = row.strokes.get(mark.entry_id)
                if strokes is None:
                    doc.text(left + slot / 2, (box_top + box_bottom) / 2, "[chữ ký không đọc được]", COND, SMALL,
                             "center", GREY)
                else:
                    draw_strokes(self.c, strokes, left + PAD, box_bottom, slot - 2 * PAD, box_top - box_bottom)
                continue
            witness = f"Người làm chứng: {mark.witness}" if mark.witness else ""
            self._cell_lines(left, slot, box_top, witness, _evidence_label(mark.evidence))
        if foot:
            doc.text(x0 + PAD, y - height + 9, foot, COND, 5.6, color=GREY)

    def _cell_lines(self, left: float, width: float, top: float, text: str, label: str) -> None:
        doc = self.doc
        base = top - SIZE + 0.5
        doc.text(left + PAD, base, label, COND_BOLD, SIZE)
        base -= LEADING
        for line in _wrapped(nfc(text), COND, 5.8, width - 2 * PAD, 3) if text else ():
            doc.text(left + PAD, base, line, COND, 5.8)
            base -= 6.6

    def total_row(self, y: float, label: str, totals: SheetPageTotals, bold: bool) -> float:
        c, doc = self.c, self.doc
        font = COND_BOLD if bold else COND
        c.setFillColor(SHADE)
        c.rect(XS[0], y - TOTAL_ROW, XS[-1] - XS[0], TOTAL_ROW, stroke=0, fill=1)
        c.setFillColor(Color(0, 0, 0))
        base = y - TOTAL_ROW + 4.5
        doc.text(XS[1] + PAD, base, label, COND_BOLD, SIZE)
        for i, amount in enumerate((totals.monthly, totals.one_time, totals.other, totals.total)):
            doc.text(XS[5 + i] - PAD, base, format_number(amount), font, SIZE, "right")
        if self.signed:
            doc.text(XS[8] + PAD, base, f"Đã nhận: {format_number(totals.paid)}", font, SIZE)
        c.setLineWidth(0.4)
        c.rect(XS[0], y - TOTAL_ROW, XS[-1] - XS[0], TOTAL_ROW, stroke=1, fill=0)
        return y - TOTAL_ROW

    def grid(self, top: float, bottom: float, row_lines: list[float]) -> None:
        c = self.c
        c.setLineWidth(0.4)
        c.setStrokeColor(Color(0, 0, 0))
        path = c.beginPath()
        for x in XS:
            path.moveTo(x, top)
            path.lineTo(x, bottom)
        for y in [top, *row_lines, bottom]:
            path.moveTo(XS[0], y)
            path.lineTo(XS[-1], y)
        c.drawPath(path, stroke=1, fill=0)

    def summary(self, y: float, grand: SheetPageTotals, rows: list[_Row]) -> None:
        doc = self.doc
        width = XS[-1] - XS[0]
        y -= 14
        y = doc.paragraph(XS[0], y, width,
                          f"Tổng số tiền phải chi: {format_vnd(grand.total)} — {len(rows)} người. "
                          f"Bằng chữ: {amount_in_words(grand.total)}.", SANS_BOLD, 9)
        if self.signed:
            paid_people = sum(1 for row in rows if row.paid)
            unpaid_people = sum(1 for row in rows if row.total - row.paid)
            y = doc.paragraph(XS[0], y, width,
                              f"Đã chi: {format_vnd(grand.paid)} cho {paid_people} người. "
                              f"Bằng chữ: {amount_in_words(grand.paid)}. "
                              f"Chưa chi: {format_vnd(grand.total - grand.paid)} ({unpaid_people} người).",
                              SANS, 9)
        y -= 8
        blocks = (
            ("GIAO DỊCH VIÊN CHI TRẢ", self.data.teller),
            # the witness named when the day was closed, in their role; before that, the commune's supervisor
            (f"{self.data.officer_role.upper()} CHỨNG KIẾN" if self.data.officer_role else "CÁN BỘ UBND XÃ GIÁM SÁT",
             self.data.officer),
            ("KIỂM SOÁT VIÊN NHẬN DANH SÁCH", ""),
        )
        column = width / 3
        for i, (title, name) in enumerate(blocks):
            centre = XS[0] + column * i + column / 2
            doc.text(centre, y, title, SANS_BOLD, 8.5, "center")
            doc.text(centre, y - 11, "(Ký, ghi rõ họ tên)", SANS, 7.5, "center", GREY)
            if name:
                doc.text(centre, y - 62, name, SANS_BOLD, 8.5, "center")

    def _reconciled(self) -> list[str]:
        """The blank form's last page: the point's part of the list reconciled with this sheet, in words."""
        r = self.data.reconciliation
        if self.signed or r is None or not r.listed_lines:
            return []
        said = [
            f"Tổng các khoản của danh sách tại điểm này: {format_number(r.listed_lines)} khoản, "
            f"{format_vnd(r.listed_amount)}",
            f"= trên bảng kê này: {format_number(r.on_sheet_lines)} khoản, {format_vnd(r.on_sheet_amount)}",
            f"+ đã chi trước hoặc ở nơi khác: {format_number(r.settled_lines)} khoản, {format_vnd(r.settled_amount)}",
            f"+ chi qua tài khoản: {format_number(r.account_lines)} khoản, {format_vnd(r.account_amount)}",
            f"+ không chi được theo danh sách: {format_number(len(r.not_payable))} khoản, "
            f"{format_vnd(r.not_payable_amount)}" + (":" if r.not_payable else ""),
        ]
        room = int((self.table_top - self.bottom) / 12) - len(said) - 2
        shown = r.not_payable[:max(room, 1)]
        said += [f"   {i}. {item.full_name} ({item.record_code}), {item.regime_name}, {format_vnd(item.amount)}: "
                 f"{item.reason}" for i, item in enumerate(shown, start=1)]
        if len(shown) < len(r.not_payable):
            said.append(f"   … và {len(r.not_payable) - len(shown)} khoản khác")
        return said

    def reconciliation_page(self, said: list[str]) -> None:
        self.header()
        width = XS[-1] - XS[0]
        y = self.doc.paragraph(XS[0], self.table_top, width, "ĐỐI CHIẾU VỚI DANH SÁCH", SANS_BOLD, 10)
        y -= 4
        for line in said:
            y = self.doc.paragraph(XS[0], y, width, line, SANS, 9)
            if y < self.bottom:
                break

    def render(self) -> bytes:
        rows = [_measure(i, person, self.data.period, self.signed, self.data.main_programme)
                for i, person in enumerate(self.data.rows(self.signed), start=1)]
        pages, summary_alone = self.paginate(rows)
        reconciled = self._reconciled()
        page_count = len(pages) + (1 if summary_alone else 0) + (1 if reconciled else 0)
        grand = SheetPageTotals(0, 0, 0, 0, 0)
        for number, page_rows in enumerate(pages, start=1):
            self.header()
            y = self.column_headers(self.table_top)
            table_top = self.table_top
            row_lines = []
            for row in page_rows:
                self.row(row, y)
                y -= row.height
                row_lines.append(y)
            self.grid(table_top, y, row_lines)
            totals = _totals(page_rows)
            grand = _add(grand, totals)
            y = self.total_row(y, f"Cộng trang {number}", totals, bold=False)
            if number == len(pages):
                if summary_alone:
                    self.doc.finish_page(number, page_count)
                    self.header()
                    y = self.table_top
                y = self.total_row(y, "TỔNG CỘNG", grand, bold=True)
                self.summary(y, grand, rows)
                if reconciled:
                    self.doc.finish_page(page_count - 1, page_count)
                    self.reconciliation_page(reconciled)
                self.doc.finish_page(page_count, page_count)
            else:
                self.doc.finish_page(number, page_count)
        return self.doc.finish()


def _evidence_label(kind: EvidenceKind) -> str:
    return {EvidenceKind.THUMBPRINT: "Điểm chỉ", EvidenceKind.PAPER: "Ký trên giấy"}.get(kind, "Ký trên màn hình")


def _totals(rows: list[_Row]) -> SheetPageTotals:
    return SheetPageTotals(
        sum(row.amounts[0] for row in rows),
        sum(row.amounts[1] for row in rows),
        sum(row.amounts[2] for row in rows),
        sum(row.total for row in rows),
        sum(row.paid for row in rows),
    )


def _add(a: SheetPageTotals, b: SheetPageTotals) -> SheetPageTotals:
    return SheetPageTotals(a.monthly + b.monthly, a.one_time + b.one_time, a.other + b.other, a.total + b.total,
                           a.paid + b.paid)


def render_payout_sheet(data: PayoutSheetData, *, signed: bool, reprint_at: dt.datetime | None = None,
                        demo: bool = False) -> bytes:
    """The payout sheet as PDF bytes: ``signed=False`` is the blank form (unpaid lines, empty signature column),
    ``signed=True`` the record of what was paid with each signature or mark; ``reprint_at`` marks a reprint;
    ``demo`` adds the "DỮ LIỆU THỬ" watermark."""
    info = sheet_info(data, signed=signed, reprint_at=reprint_at, demo=demo)
    return _SheetRenderer(data, signed, info).render()

