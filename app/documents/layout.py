"""Shared page machinery for every document: fonts, Vietnamese text, dates, wrapping, and the page frame.

Documents are drawn directly on a reportlab canvas with a small amount of our own layout (measured rows, explicit
page breaks) rather than platypus tables: a 3,000-row sheet then costs little more than its text, every page can say
"Trang 3/200", and the page decorations (watermark, reprint mark, fingerprint text and QR code) are drawn once as PDF
form objects and stamped on each page.

Fonts: DejaVu Sans and DejaVu Sans Condensed (regular and bold), bundled under ``resources/fonts`` with their licence;
they cover Vietnamese fully (precomposed letters with two diacritics such as ệ, ở, ữ). All text passes through ``nfc``
so decomposed input still maps to those glyphs and extracts back unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from functools import lru_cache

from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.documents.fingerprint import DocumentInfo, format_fingerprint, qr_text
from app.domain.clock import ProvinceTime
from app.resources import resource_path

__all__ = [
    "SANS",
    "SANS_BOLD",
    "COND",
    "COND_BOLD",
    "register_fonts",
    "nfc",
    "fmt_date",
    "wrap",
    "Doc",
]

SANS, SANS_BOLD, COND, COND_BOLD = "PD-Sans", "PD-Sans-Bold", "PD-SansCond", "PD-SansCond-Bold"
_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    COND: "DejaVuSansCondensed.ttf",
    COND_BOLD: "DejaVuSansCondensed-Bold.ttf",
}
GREY = Color(0.35, 0.35, 0.35)
LIGHT = Color(0.85, 0.85, 0.85)
RED = Color(0.75, 0.05, 0.05)
WATERMARK = "DỮ LIỆU THỬ"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the bundled fonts with reportlab once per process (and turn off ASCII85 stream encoding).

    reportlab wraps every compressed stream in ASCII85 by default, in pure Python: for a 3,000-row sheet that is a
    quarter of the time for no benefit (PDF readers take binary streams), so ``rl_config.useA85`` is off in this
    process.
    """
    rl_config.useA85 = 0
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD)
    pdfmetrics.registerFontFamily(COND, normal=COND, bold=COND_BOLD, italic=COND, boldItalic=COND_BOLD)


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text))


def fmt_date(day: dt.date) -> str:
    """A calendar date (a payout day, a date of death) as ``dd/MM/yyyy``. Instants (payments, printing) are shown
    with the document's ``Doc.clock``, in the province's time zone."""
    if isinstance(day, dt.datetime):
        raise TypeError("an instant is shown with the province clock (Doc.clock), not as a calendar date")
    return day.strftime("%d/%m/%Y")


@lru_cache(maxsize=65536)
def width_of(text: str, font: str, size: float) -> float:
    """Width in points (cached: amounts, labels and names repeat a lot on long sheets)."""
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str, font: str, size: float, width: float, max_lines: int | None = None) -> list[str]:
    """Greedy word wrap to ``width`` points; a word longer than a line is cut by characters; with ``max_lines``
    the last line ends in "…" when text is left over (never silently dropped without a mark)."""
    text = nfc(text)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if width_of(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while width_of(word, font, size) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and width_of(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and width_of(last + "…", font, size) > width:
            last = last[:-1]
        kept[-1] = last.rstrip() + "…"
        return kept
    return lines


class Doc:
    """One PDF being drawn: metadata, the stamped page decorations, and text helpers."""

    def __init__(self, pagesize: tuple[float, float], info: DocumentInfo, *, title: str, clock: ProvinceTime,
                 margin: float = 28.0, qr: bool = True, qr_side: float = 0.0) -> None:
        """``clock`` is the province's (``Place.clock``): every time on the paper is shown in its zone."""
        register_fonts()
        self.clock = clock
        self.buffer = io.BytesIO()
        self.width, self.height = pagesize
        self.margin = margin
        self.info = info
        self.code = info.fingerprint
        c = Canvas(self.buffer, pagesize=pagesize, invariant=1, pageCompression=1)
        c.setTitle(nfc(title))
        c.setAuthor("Payout Desk")
        c.setCreator("Payout Desk")
        c.setSubject(nfc(f"{title} — mã xác thực {format_fingerprint(self.code)}" if self.code else title))
        c.setKeywords(info.to_metadata())
        self.canvas = c
        self._texts: list[tuple[float, float, str, str, float, str, Color | None]] = []
        self.qr_side = 0.0
        self.qr_origin: tuple[float, float] | None = None
        """Lower-left corner of the QR code on each page; None puts it at the bottom right, in the footer."""
        if qr and self.code:
            self.qr_side = qr_side or (54.0 if self.width > 400 else 46.0)
            self._make_qr_form(qr_text(info.kind, self.code, info.locator))

    # --- forms stamped on every page -------------------------------------------------------------------------------

    def _make_qr_form(self, text: str) -> None:
        widget = QrCodeWidget(text, barLevel="M", barBorder=0)
        x1, y1, x2, y2 = widget.getBounds()
        side = self.qr_side
        drawing = Drawing(side, side, transform=[side / (x2 - x1), 0, 0, side / (y2 - y1), -x1, -y1])
        drawing.add(widget)
        c = self.canvas
        c.beginForm("pd-qr")
        renderPDF.draw(drawing, c, 0, 0)
        c.endForm()

    def _watermark(self) -> None:
        """"DỮ LIỆU THỬ" across the page, on top of the content but translucent (drawn per page: an ExtGState
        inside a form object is not honoured by every viewer)."""
        c = self.canvas
        c.saveState()
        c.setFillColor(Color(0.8, 0.1, 0.1))
        c.setFillAlpha(0.13)
        size = min(self.width, self.height) / 5.2
        c.setFont(SANS_BOLD, size)
        c.translate(self.width / 2, self.height / 2)
        c.rotate(28 if self.width > self.height else 50)
        c.drawCentredString(0, -size / 3, WATERMARK)
        c.restoreState()

    # --- text ------------------------------------------------------------------------------------------------------

    def text(self, x: float, y: float, text: str, font: str = SANS, size: float = 9, align: str = "left",
             color: Color | None = None) -> None:
        """Queue one line of text; the page's text is written as one PDF text object when the page is finished.

        Batching matters for long sheets: one text object per page instead of one per string saves most of the
        per-string overhead (a 3,000-row sheet has ~40,000 strings). Text is drawn above the page's graphics.
        """
        self._texts.append((x, y, nfc(text), font, size, align, color))

    def flush_text(self) -> None:
        if not self._texts:
            return
        c = self.canvas
        batch = c.beginText()
        current: tuple[str, float] | None = None
        colour: Color | None = black
        for x, y, value, font, size, align, color in self._texts:
            if (font, size) != current:
                batch.setFont(font, size)
                current = (font, size)
            wanted = color or black
            if wanted is not colour:
                batch.setFillColor(wanted)
                colour = wanted
            if align != "left":
                width = width_of(value, font, size)
                x -= width if align == "right" else width / 2
            batch.setTextOrigin(x, y)
            batch.textOut(value)
        c.drawText(batch)
        if colour is not black:
            c.setFillColor(black)
        self._texts.clear()

    def paragraph(self, x: float, y: float, width: float, text: str, font: str = SANS, size: float = 9,
                  leading: float | None = None, align: str = "left", color: Color | None = None) -> float:
        """Draw wrapped text with its first baseline at ``y``; returns the baseline after the last line."""
        leading = leading or size * 1.3
        for line in wrap(text, font, size, width):
            anchor = x + width if align == "right" else x + width / 2 if align == "center" else x
            self.text(anchor, y, line, font, size, align, color)
            y -= leading
        return y

    def rule(self, x1: float, y: float, x2: float, width: float = 0.5) -> None:
        c = self.canvas
        c.setLineWidth(width)
        c.line(x1, y, x2, y)

    # --- page frame ------------------------------------------------------------------------------------------------

    @property
    def footer_height(self) -> float:
        """Room the footer takes above the bottom margin (more when the QR code sits there)."""
        if self.qr_side and self.qr_origin is None:
            return self.qr_side + 4
        return 18.0

    def finish_page(self, page: int, pages: int) -> None:
        """Stamp the page frame (QR code, footer, reprint mark, watermark) and start a new page."""
        c = self.canvas
        m = self.margin
        if self.qr_side:
            x, y = self.qr_origin or (self.width - m - self.qr_side, m - 6)
            c.saveState()
            c.translate(x, y)
            c.doForm("pd-qr")
            c.restoreState()
        small = self.width < 450
        size = 6.0 if small else 7.0
        y = m - 4
        reserve = self.qr_side + 8 if self.qr_side and self.qr_origin is None else 0
        page_text = f"Trang {page}/{pages}"
        self.text(self.width - m - reserve, y, page_text, SANS, size, "right")
        parts = []
        if self.code:
            parts.append(f"Mã xác thực {format_fingerprint(self.code)}")
            journal = self.info.journal
            if journal is not None:
                span = f"#{journal.first_seq}–#{journal.last_seq}" if journal.last_seq else "chưa có bút toán"
                parts.append(f"sổ nhật ký {span}, thiết bị {journal.device_id[:8]}")
        parts.append(f"in lúc {self.clock.format_datetime(self.info.printed_at)}")
        left_width = self.width - 2 * m - reserve - width_of(f"Trang {pages}/{pages}", SANS, size) - 12
        lines = wrap(" · ".join(parts), SANS, size, left_width)
        if self.code:
            lines += wrap("Kiểm tra: payout-desk verify-document <tệp PDF hoặc mã xác thực>", SANS, size, left_width)
        line_y = y + size * 1.25 * (len(lines) - 1)
        for line in lines:
            self.text(m, line_y, line, SANS, size, color=GREY)
            line_y -= size * 1.25
        if self.info.reprint_at is not None:
            mark = f"BẢN IN LẠI — in lại lúc {self.clock.format_datetime(self.info.reprint_at)}"
            self.text(self.width - m - (self.qr_side + 6 if self.qr_origin else 0), self.height - m + 8, mark,
                      SANS_BOLD, 7.5 if small else 8.5, "right", RED)
        self.flush_text()
        if self.info.demo:
            self._watermark()
        c.showPage()

    def finish(self) -> bytes:
        """Close the PDF and return its bytes (every page must have been finished with ``finish_page``)."""
        self.flush_text()
        self.canvas.save()
        return self.buffer.getvalue()

