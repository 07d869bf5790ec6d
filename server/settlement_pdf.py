"""The settlement report as a PDF (A4 portrait, reportlab): for one commune, or for the province with a row per commune.

It looks like the desktop's monthly report (national header, bold title, ruled tables, signature blocks, "Trang n/N"
and a document code in the footer) but is drawn here: the server may not import ``app.documents``. Text is set in the
bundled DejaVu fonts, which carry every Vietnamese letter (ệ, ở, ữ, Đ) and the ₫ sign; all text is NFC.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app.domain.clock import VIETNAM, ProvinceTime
from app.domain.money import amount_in_words, format_number, format_vnd
from app.domain.period import display_period
from app.resources import resource_path
from server.settlement import Figures, Settlement

__all__ = ["render_settlement_pdf", "register_fonts", "FONT_DIR"]

SANS, SANS_BOLD, COND, COND_BOLD = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansCondensed", "DejaVuSansCondensed-Bold"
_FONT_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf", COND: "DejaVuSansCondensed.ttf",
               COND_BOLD: "DejaVuSansCondensed-Bold.ttf"}
FONT_DIR = resource_path("fonts")
"""The bundled fonts (with their licence), package data of ``app.resources``: the same files as the desk's."""

MARGIN = 36.0
GREY = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.92, 0.92, 0.92)
RED = colors.Color(0.7, 0.05, 0.05)
WIDTH = A4[0] - 2 * MARGIN
SMALL_TABLE = 40
"""Communes whose table is kept on one page."""


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the DejaVu fonts with reportlab once per process."""
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD)
    pdfmetrics.registerFontFamily(COND, normal=COND, bold=COND_BOLD, italic=COND, boldItalic=COND_BOLD)


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text))


def fmt_date(moment: dt.datetime | dt.date, clock: ProvinceTime = VIETNAM) -> str:
    """A calendar date as it is; an instant as the province's day (``clock``: the report's)."""
    return clock.format_date(moment)


def fmt_datetime(moment: dt.datetime, clock: ProvinceTime = VIETNAM) -> str:
    return clock.format_datetime(moment)


def percent(part: int, whole: int) -> str:
    """"99,98 %" (decimal comma, rounded half up in integers), "—" when there is nothing to divide by."""
    if whole <= 0:
        return "—"
    hundredths = (part * 10000 * 2 + whole) // (2 * whole)
    return f"{hundredths // 100},{hundredths % 100:02d} %"


def vnd(amount: int) -> str:
    """``2.789.000 ₫``, with a true minus sign for a shortfall."""
    return format_vnd(amount).replace("-", "−")


def number(amount: int) -> str:
    return format_number(amount).replace("-", "−")


# --- styles -----------------------------------------------------------------------------------------------------------


def _style(name: str, font: str = SANS, size: float = 9, align: Literal[0, 1, 2, 4] = TA_LEFT,
           color: Any = colors.black,
           leading: float | None = None, before: float = 0, after: float = 0) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.3, alignment=align,
                          textColor=color, spaceBefore=before, spaceAfter=after)


class _Styles:
    def __init__(self) -> None:
        self.head = _style("head", SANS_BOLD, 8.5, TA_CENTER, leading=11)
        self.motto = _style("motto", SANS_BOLD, 9, TA_CENTER, leading=11)
        self.place = _style("place", SANS, 8.5, TA_CENTER, leading=11, color=GREY)
        self.title = _style("title", SANS_BOLD, 14, TA_CENTER, leading=18, before=10)
        self.subtitle = _style("subtitle", SANS, 9.5, TA_CENTER, leading=13)
        self.note = _style("note", SANS, 8, TA_CENTER, GREY, leading=11)
        self.heading = _style("heading", SANS_BOLD, 10.5, leading=14, before=10, after=4)
        self.body = _style("body", SANS, 9, leading=12)
        self.small = _style("small", SANS, 7.5, TA_LEFT, GREY, leading=10, before=2)
        self.warn = _style("warn", SANS, 8.5, color=RED, leading=11, before=3)
        self.cell = _style("cell", SANS, 8.5, leading=10.5)
        self.cell_bold = _style("cell_bold", SANS_BOLD, 8.5, leading=10.5)
        self.narrow = _style("narrow", COND, 7, leading=8.6)
        self.narrow_bold = _style("narrow_bold", COND_BOLD, 7, leading=8.6)
        self.narrow_head = _style("narrow_head", COND_BOLD, 6.8, TA_CENTER, leading=8.2)
        self.head_cell = _style("head_cell", SANS_BOLD, 8, TA_CENTER, leading=10)
        self.sign = _style("sign", SANS_BOLD, 8.5, TA_CENTER, leading=11)
        self.sign_note = _style("sign_note", SANS, 7.5, TA_CENTER, GREY, leading=10)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(nfc(text)), style)


# --- pages ------------------------------------------------------------------------------------------------------------


def _canvas_class(report: Settlement, code: str) -> type[Canvas]:
    """A canvas that holds its pages until the end, so every footer can say "Trang n/N"."""
    generated = fmt_datetime(report.generated_at, report.clock)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset, not in its stubs

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width = self._pagesize[0]  # type: ignore[attr-defined]  # the page size reportlab keeps, not in its stubs
            y = MARGIN - 14
            self.setStrokeColor(colors.Color(0.7, 0.7, 0.7))
            self.setLineWidth(0.4)
            self.line(MARGIN, y + 10, width - MARGIN, y + 10)
            self.setFillColor(GREY)
            self.setFont(SANS, 7)
            self.drawString(MARGIN, y, nfc(f"Mã báo cáo {code} · lập lúc {generated} ({report.clock.label()}) "
                                           "· Payout Desk — máy chủ tỉnh"))
            self.drawRightString(width - MARGIN, y, f"Trang {self.getPageNumber()}/{total}")

    return NumberedCanvas


def _scope(report: Settlement) -> str:
    if report.commune is not None and report.communes:
        place = report.communes[0]
        district = f", {place.district}" if place.district else ""
        return f"{place.name}{district} — {report.province_name}"
    return f"{report.province_name or 'Tỉnh'} — toàn tỉnh, {len(report.communes)} xã có số liệu"


def _what(report: Settlement) -> str:
    """What the report covers: the người có công allowances (the one agency of the first lists), one agency's lines,
    or every agency's."""
    agencies = {item.agency for item in report.by_agency}
    if report.agency is not None:
        name = report.by_agency[0].name if report.by_agency else report.agency
        return f"Các khoản của {name} — chi trả bằng tiền mặt"
    if agencies <= {"so_noi_vu"}:
        return "Trợ cấp ưu đãi người có công với cách mạng — chi trả bằng tiền mặt"
    return "Các khoản của các cơ quan chi trả (mỗi cơ quan quyết toán phần của mình) — chi trả bằng tiền mặt"


def _later_header(report: Settlement) -> Any:
    text = nfc(f"Báo cáo quyết toán chi trả tháng {display_period(report.period)} — {_scope(report)} (tiếp)")

    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(SANS_BOLD, 8.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, A4[1] - MARGIN + 8, text)
        canvas.restoreState()

    return draw


def _national_header(report: Settlement, styles: _Styles) -> list[Flowable]:
    province = report.province_name or "Tỉnh"
    left = [_p(province.upper(), styles.head)]
    if report.commune is not None and report.communes:
        left.append(_p(report.communes[0].name.upper(), styles.head))
    else:
        left.append(_p("Đơn vị chi trả", styles.head))
    short = province
    for prefix in ("Tỉnh ", "Thành phố ", "TP. "):
        if short.startswith(prefix):
            short = short[len(prefix):]
    local = report.clock.to_local(report.generated_at)
    right = [_p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", styles.head), _p("Độc lập - Tự do - Hạnh phúc", styles.motto),
             _Rule(110), _p(f"{short}, ngày {local:%d} tháng {local:%m} năm {local:%Y}", styles.place)]
    table = Table([[left, right]], colWidths=[WIDTH * 0.42, WIDTH * 0.58])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


class _Rule(Flowable):
    """A short centred line under the national motto."""

    def __init__(self, length: float) -> None:
        super().__init__()
        self.length = length
        self.height = 8

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        self.canv.line((self.width - self.length) / 2, 3, (self.width + self.length) / 2, 3)


def _grid(rows: list[list[Any]], widths: Sequence[float], *, header_rows: int = 1, total: bool = False,
          right_from: int = 1, font: str = SANS, size: float = 8.5, indent_rows: Sequence[int] = ()) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.Color(0.3, 0.3, 0.3)),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (right_from, header_rows), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total:
        style += [("BACKGROUND", (0, -1), (-1, -1), SHADE), ("FONT", (0, -1), (-1, -1), SANS_BOLD if font == SANS
                                                                                   else COND_BOLD, size)]
    for row in indent_rows:
        style.append(("LEFTPADDING", (0, row), (0, row), 14))
    table.setStyle(TableStyle(style))
    return table


# --- sections ---------------------------------------------------------------------------------------------------------


def _lines_section(figures: Figures, period: str, styles: _Styles) -> list[Flowable]:
    head = [_p(t, styles.head_cell) for t in ("Chỉ tiêu", "Số khoản", "Số người", "Số tiền (đồng)", "Tỷ lệ số khoản")]
    listed = figures.listed.lines

    def row(label: str, group: Any, share: bool = False) -> list[Any]:
        return [label, number(group.lines), number(group.people), number(group.amount),
                percent(group.lines, listed) if share else ""]

    rows = [
        head,
        row(f"1. Danh sách chi tiền mặt tháng {display_period(period)}", figures.listed),
        row("– Trợ cấp hằng tháng", figures.listed_monthly),
        row("– Một lần, truy lĩnh, mai táng phí", figures.listed_one_time),
        row("2. Đã chi trong kỳ", figures.paid, True),
        row("– Trợ cấp hằng tháng", figures.paid_monthly),
        row("– Một lần, truy lĩnh, mai táng phí", figures.paid_one_time),
        row("3. Đã chi ở kỳ trước", figures.paid_earlier, True),
        row("4. Chưa chi, chuyển sang kỳ sau", figures.carried_over, True),
        row("– trong đó: có trong danh sách kỳ sau", figures.carried_relisted),
        row("– trong đó: đã chi ở kỳ sau", figures.paid_later),
        row("5. Không chi: tháng sau tháng đối tượng mất", figures.barred, True),
        row("6. Chi khoản ngoài danh sách kỳ này", figures.paid_off_list),
        *([row("7. Chuyển đi: người hưởng sang xã khác (khoản chưa chi theo người hưởng)", figures.moved, True)]
          if figures.moved.lines else []),
    ]
    indents = [2, 3, 5, 6, 9, 10]
    table = _grid(rows, [WIDTH * w for w in (0.44, 0.11, 0.11, 0.20, 0.14)], indent_rows=indents)
    table.setStyle(TableStyle([("FONT", (0, r), (0, r), SANS_BOLD, 8.5)
                               for r in (1, 4, 7, 8, 11, 12, *((13,) if figures.moved.lines else ()))]))
    words = amount_in_words(figures.paid.amount)
    return [
        _p("I. Kết quả chi trả theo danh sách", styles.heading), table,
        Spacer(1, 4),
        _p(f"Tổng số tiền đã chi theo danh sách: {vnd(figures.paid.amount)} ({words}).", styles.body),
        _p("Số khoản, số người và số tiền của danh sách là số tiền theo danh sách; số đã chi là số tiền thực chi. "
           f"Dòng 1 = dòng 2 + dòng 3 + dòng 4 + dòng 5{' + dòng 7' if figures.moved.lines else ''}. "
           "Khoản chi qua tài khoản không tính ở đây.", styles.small),
    ]


def _turns_section(figures: Figures, period: str, styles: _Styles) -> list[Flowable]:
    """The pilot's measure first: turns on the list and paid, monthly + one-time; then what is not a turn (lines
    paid twice: flagged cash) and what is not at a payout point (lines paid into an account)."""
    turns = figures.turns
    head = [_p(t, styles.head_cell) for t in ("Lượt chi trả", "Trong danh sách", "Đã chi trong kỳ", "Tỷ lệ")]
    rows: list[list[Any]] = [
        head,
        [f"Lượt tháng {display_period(period)}", number(turns.listed), number(turns.paid),
         percent(turns.paid, turns.listed)],
        ["– Lượt hằng tháng", number(turns.monthly), number(turns.monthly_paid),
         percent(turns.monthly_paid, turns.monthly)],
        ["– Lượt một lần", number(turns.one_time), number(turns.one_time_paid),
         percent(turns.one_time_paid, turns.one_time)],
    ]
    table = _grid(rows, [WIDTH * w for w in (0.46, 0.18, 0.18, 0.18)], indent_rows=[2, 3])
    table.setStyle(TableStyle([("FONT", (0, 1), (-1, 1), SANS_BOLD, 8.5)]))
    notes = ("Một lượt là một người, một cơ quan chi trả, một kỳ của khoản và một loại (hằng tháng hoặc một lần): "
             "lượt hằng tháng + lượt một lần = lượt. "
             f"Chi trùng không tính thành lượt: {number(turns.double_lines)} khoản, {vnd(turns.double_cash)} (có cờ). "
             f"Chi qua tài khoản (không qua điểm chi, không tính trong báo cáo này): {number(turns.account_lines)} "
             f"khoản, {number(turns.account_people)} người, {vnd(turns.account_amount)}.")
    return [KeepTogether([_p("Kết quả theo lượt chi trả", styles.heading), table, _p(notes, styles.small)])]


def _cash_section(figures: Figures, styles: _Styles) -> list[Flowable]:
    cash = figures.cash
    head = [_p("Chỉ tiêu", styles.head_cell), _p("Số tiền", styles.head_cell)]
    rows: list[list[Any]] = [
        head,
        [f"1. Tạm ứng nhận khi mở phiên ({cash.sessions_opened} phiên)", vnd(cash.advances)],
        [f"2. Đã chi bằng tiền mặt ({cash.payments} lần chi, không kể lần chi đã hủy)", vnd(cash.paid_out)],
        ["– trong đó: chi trùng khoản đã chi (có cờ chi trùng)", vnd(figures.paid_twice)],
        [f"3. Lần chi đã hủy ({cash.reversed_payments}), không tính vào số đã chi", vnd(cash.reversed_amount)],
        ["4. Tiền mặt còn lại phải nộp trả (1 − 2)", vnd(cash.unspent)],
        [f"5. Kiểm đếm khi chốt phiên ({cash.sessions_closed}/{cash.sessions_opened} phiên đã đóng)",
         vnd(cash.counted)],
        ["6. Chênh lệch người chi khai khi chốt phiên (thực đếm − phải còn)", vnd(cash.closure_difference)],
    ]
    table = _grid(rows, [WIDTH * 0.70, WIDTH * 0.30], indent_rows=[3])
    table.setStyle(TableStyle([("FONT", (0, 5), (-1, 5), SANS_BOLD, 8.5)]))
    out: list[Flowable] = [_p("II. Tiền mặt", styles.heading), table]
    if cash.sessions_open:
        out.append(_p(f"Còn {cash.sessions_open} phiên chi trả chưa đóng: số kiểm đếm chưa đủ để đối chiếu với số "
                      "tiền còn lại.", styles.warn))
    return [KeepTogether(out)]


def _flags_section(figures: Figures, heading: str, styles: _Styles) -> list[Flowable]:
    flags = figures.flags
    out: list[Flowable] = [_p(heading, styles.heading)]
    if not flags.by_kind:
        out.append(_p("Không có cờ cảnh báo nào trong kỳ.", styles.body))
        return out
    head = [_p(t, styles.head_cell) for t in ("Loại cờ", "Chưa xử lý", "trong đó chờ duyệt",
                                             "Đã xử lý", "Không thu hồi đã duyệt (đồng)")]
    rows: list[list[Any]] = [head]
    for count in flags.by_kind:
        rows.append([_p(count.label, styles.cell), str(count.open), str(count.awaiting_approval), str(count.resolved),
                     number(count.written_off)])
    rows.append([_p("Cộng", styles.cell_bold), str(flags.open), str(flags.awaiting_approval), str(flags.resolved),
                 number(flags.written_off)])
    out.append(_grid(rows, [WIDTH * w for w in (0.46, 0.11, 0.12, 0.11, 0.20)], total=True))
    out.append(_p("Cờ đã xử lý: có kết luận không ghi giảm, hoặc khoản không thu hồi đã được phê duyệt. "
                  f"Khoản không thu hồi đang chờ duyệt: {vnd(flags.pending_write_off)}.", styles.small))
    return out


CommuneColumn = tuple[str, float, Callable[[Figures], str]]

LINE_COLUMNS: tuple[CommuneColumn, ...] = (
    ("Lượt theo DS", 38, lambda f: number(f.turns.listed)),
    ("Lượt đã chi", 38, lambda f: number(f.turns.paid)),
    ("Tỷ lệ lượt", 42, lambda f: percent(f.turns.paid, f.turns.listed)),
    ("Số khoản theo DS", 40, lambda f: number(f.listed.lines)),
    ("Số tiền theo DS", 76, lambda f: number(f.listed.amount)),
    ("Số khoản đã chi", 40, lambda f: number(f.paid.lines)),
    ("Số tiền đã chi", 76, lambda f: number(f.paid.amount)),
    ("Tỷ lệ số khoản", 44, lambda f: percent(f.paid.lines, f.listed.lines)),
    ("Số khoản chuyển kỳ sau", 44, lambda f: number(f.carried_over.lines)),
    ("Số tiền chuyển kỳ sau", 76, lambda f: number(f.carried_over.amount)),
)
CASH_COLUMNS: tuple[CommuneColumn, ...] = (
    ("Tạm ứng", 74, lambda f: number(f.cash.advances)),
    ("Tiền mặt đã chi", 74, lambda f: number(f.cash.paid_out)),
    ("Trong đó chi trùng", 62, lambda f: number(f.paid_twice)),
    ("Tiền mặt còn lại", 74, lambda f: number(f.cash.unspent)),
    ("Kiểm đếm khi chốt phiên", 74, lambda f: number(f.cash.counted)),
    ("Phiên đã đóng / đã mở", 40, lambda f: f"{f.cash.sessions_closed}/{f.cash.sessions_opened}"),
    ("Cờ chưa xử lý", 34, lambda f: number(f.flags.open)),
)


def _communes_table(report: Settlement, columns: Sequence[CommuneColumn], styles: _Styles) -> Table:
    """One row per commune and the province's total; the header repeats on every page."""
    rows: list[list[Any]] = [[_p(t, styles.narrow_head) for t in ("STT", "Xã", *(c[0] for c in columns))]]
    for i, place in enumerate(report.communes, start=1):
        name = place.name + (f" ({place.district})" if place.district else "")
        rows.append([str(i), _p(name, styles.narrow), *(c[2](place.figures) for c in columns)])
    rows.append(["", _p("Toàn tỉnh", styles.narrow_bold), *(c[2](report.total) for c in columns)])
    weights = (20, 96 if len(columns) < 9 else 130, *(c[1] for c in columns))
    scale = WIDTH / sum(weights)
    table = _grid(rows, [w * scale for w in weights], total=True, right_from=2, font=COND, size=7.5)
    table.setStyle(TableStyle([("ALIGN", (0, 1), (0, -1), "CENTER"), ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2.5)]))
    return table


def _agencies_section(report: Settlement, styles: _Styles) -> list[Flowable]:
    """Each agency's lines and cash (issue 12): one cash advance pays every agency's lines; each agency settles its
    own, and their cash sums to the cash paid."""
    if not report.by_agency:
        return []
    head = [_p(t, styles.head_cell) for t in ("Cơ quan chi trả", "Khoản DS", "Số tiền DS", "Khoản đã chi",
                                              "Số tiền đã chi", "Số lần chi", "Tiền mặt đã chi")]
    rows: list[list[Any]] = [head]
    for item in report.by_agency:
        rows.append([item.name, number(item.listed.lines), number(item.listed.amount),
                     number(item.paid.lines), number(item.paid.amount), number(item.payments), number(item.cash_paid)])
    rows.append(["Cộng", number(sum(a.listed.lines for a in report.by_agency)),
                 number(sum(a.listed.amount for a in report.by_agency)),
                 number(sum(a.paid.lines for a in report.by_agency)),
                 number(sum(a.paid.amount for a in report.by_agency)), "",
                 number(sum(a.cash_paid for a in report.by_agency))])
    widths = [WIDTH * 0.25] + [WIDTH * 0.125] * 6
    note = ("Tiền mặt đã chi của các cơ quan cộng lại bằng mục II.2 (một lần chi trả nhiều cơ quan tính cho mỗi "
            "cơ quan).")
    return [KeepTogether([_p("Theo cơ quan chi trả", styles.heading), _grid(rows, widths, total=True, size=8),
                          _p(note, styles.small)])]


def _signatures(styles: _Styles) -> list[Flowable]:
    blocks = [("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"), ("KẾ TOÁN", "(Ký, ghi rõ họ tên)"),
              ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, họ tên, đóng dấu)")]
    row = [[_p(title, styles.sign), _p(note, styles.sign_note)] for title, note in blocks]
    table = Table([row, ["", "", ""]], colWidths=[WIDTH / 3] * 3, rowHeights=[None, 56])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 8), table]


# --- the document -----------------------------------------------------------------------------------------------------


def _story(report: Settlement, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = list(_national_header(report, styles))
    story.append(_p(report.title, styles.title))
    story.append(_p(_what(report), styles.subtitle))
    story.append(_p(_scope(report), styles.subtitle))
    generated = fmt_datetime(report.generated_at, report.clock)
    story.append(_p(f"Số liệu của máy chủ tỉnh đến {generated} ({report.clock.label()}), "
                    f"theo sổ nhật ký các thiết bị đã đồng bộ", styles.note))
    story.append(Spacer(1, 4))
    if not report.communes:
        story.append(_p(f"Không có số liệu chi trả nào cho tháng {display_period(report.period)}.", styles.body))
        story.append(KeepTogether(_signatures(styles)))
        return story
    figures = report.total
    story += _turns_section(figures, report.period, styles)
    story += _lines_section(figures, report.period, styles)
    story += _cash_section(figures, styles)
    story += _agencies_section(report, styles)
    if report.commune is None:
        count = len(report.communes)
        for title, columns, note in (
            ("III. Theo xã ({count} xã): danh sách và kết quả chi trả", LINE_COLUMNS,
             "DS: danh sách chi tiền mặt của kỳ; tỷ lệ lượt: lượt đã chi trên lượt theo danh sách; tỷ lệ số khoản: "
             "số khoản đã chi trên số khoản theo danh sách."),
            ("IV. Theo xã ({count} xã): tiền mặt và cờ cảnh báo", CASH_COLUMNS,
             "Tiền mặt còn lại = tạm ứng − tiền mặt đã chi; chi trùng: tiền chi cho khoản đã được chi trước đó "
             "(có cờ chi trùng)."),
        ):
            section = [_p(title.format(count=count), styles.heading), _communes_table(report, columns, styles),
                       _p(note, styles.small)]
            # a table that fits on a page is kept whole (no total row alone on the next page); a long one flows on
            story += [KeepTogether(section)] if count <= SMALL_TABLE else section
        closing = _flags_section(figures, "V. Cờ cảnh báo của kỳ", styles)
    else:
        closing = _flags_section(figures, "III. Cờ cảnh báo của kỳ", styles)
    story.append(KeepTogether(closing + _signatures(styles)))  # never signatures alone on the last page
    return story


def render_settlement_pdf(report: Settlement) -> bytes:
    """The settlement as PDF bytes (A4 portrait): commune layout when ``report.commune`` is set, else province."""
    register_fonts()
    styles = _Styles()
    code = report.document_code
    buffer = io.BytesIO()
    title = nfc(f"{report.title} — {_scope(report)}")
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 6,
        title=title, author="Payout Desk", creator="Payout Desk — máy chủ tỉnh", subject=nfc(f"Mã báo cáo {code}"),
        keywords=[f"payout-desk-settlement:{report.period}:{report.commune or '*'}:{code}"], invariant=1,
    )
    doc.build(_story(report, styles), onLaterPages=_later_header(report),
              canvasmaker=_canvas_class(report, code))
    return buffer.getvalue()
