"""A small flowing layout for the portrait documents (minutes, notice, monthly report, receipt): a cursor moving down
the page, paragraphs, key–value blocks, tables whose header repeats after a page break, and signature blocks.

Pages are laid out twice — once to count them, once to draw with "Trang n/N" — which costs nothing for documents of
a few pages and keeps the code one straight pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color

from app.documents.layout import GREY, SANS, SANS_BOLD, Doc, nfc, wrap

__all__ = ["Column", "Flow"]

SHADE = Color(0.92, 0.92, 0.92)


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "left"  # left | right | center
    bold: bool = False


class Flow:
    """Draws top to bottom; ``page_header`` is called on every new page and returns the y where content starts."""

    def __init__(self, doc: Doc, page_header: Callable[[int], float], pages: int = 0) -> None:
        self.doc = doc
        self.page_header = page_header
        self.page = 1
        self.pages = pages
        self.left = doc.margin
        self.right = doc.width - doc.margin
        self.bottom = doc.margin + doc.footer_height + 6
        self.y = page_header(1)

    @property
    def width(self) -> float:
        return self.right - self.left

    def page_header_room(self) -> float:
        """The height a fresh page offers below its header (the first page's header is taller: this is a bound)."""
        return self.doc.height - 2 * self.doc.margin - 60 - self.bottom

    def new_page(self) -> None:
        self.doc.finish_page(self.page, self.pages)
        self.page += 1
        self.y = self.page_header(self.page)

    def ensure(self, height: float) -> bool:
        """Start a new page unless ``height`` points fit; True when a page was started."""
        if self.y - height < self.bottom:
            self.new_page()
            return True
        return False

    def space(self, height: float) -> None:
        self.y -= height

    def heading(self, text: str, size: float = 10.5, keep_with_next: float = 48.0) -> None:
        """A section title, never left alone at the foot of a page (``keep_with_next`` points must follow it)."""
        self.ensure(size * 2.3 + keep_with_next)
        self.y -= size * 0.6
        self.doc.text(self.left, self.y - size, text, SANS_BOLD, size)
        self.y -= size * 1.7

    def paragraph(self, text: str, font: str = SANS, size: float = 9.5, indent: float = 0.0,
                  color: Color | None = None, align: str = "left") -> None:
        leading = size * 1.35
        for line in wrap(text, font, size, self.width - indent):
            self.ensure(leading)
            anchor = self.left + indent
            if align == "center":
                anchor = self.left + self.width / 2
            self.doc.text(anchor, self.y - size, line, font, size, align, color)
            self.y -= leading

    def bullets(self, items: Sequence[str], size: float = 9.5) -> None:
        leading = size * 1.35
        for item in items:
            lines = wrap(item, SANS, size, self.width - 14)
            self.ensure(leading * min(len(lines), 2))
            self.doc.text(self.left + 4, self.y - size, "•", SANS, size)
            for line in lines:
                self.ensure(leading)
                self.doc.text(self.left + 14, self.y - size, line, SANS, size)
                self.y -= leading

    def pairs(self, items: Sequence[tuple[str, str]], size: float = 9.5, label_width: float = 150.0) -> None:
        """Label: value lines (value wrapped beside the label)."""
        leading = size * 1.35
        for label, value in items:
            lines = wrap(value, SANS_BOLD, size, self.width - label_width) or [""]
            self.ensure(leading * len(lines))
            self.doc.text(self.left, self.y - size, label, SANS, size, color=GREY)
            for line in lines:
                self.doc.text(self.left + label_width, self.y - size, line, SANS_BOLD, size)
                self.y -= leading

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], *, size: float = 8.5,
              total: Sequence[str] | None = None, max_lines: int = 6, keep_with: float = 0.0,
              keep_rows: int = 3) -> None:
        """A ruled table; its header repeats on every page it runs onto; ``total`` is a shaded, bold last row.

        ``keep_with``: the height of what must follow the table on the same page (the signature blocks): when it would
        not fit under the last rows, the last ``keep_rows`` rows and the total go to the next page with it, so a
        page never holds the closing blocks alone."""
        leading = size * 1.3
        pad = 3.0
        x = [self.left]
        scale = self.width / sum(column.width for column in columns)
        widths = [column.width * scale for column in columns]
        for width in widths:
            x.append(x[-1] + width)
        header_lines = [wrap(column.title, SANS_BOLD, size - 0.5, widths[i] - 2 * pad, 3)
                        for i, column in enumerate(columns)]
        header_height = max(len(lines) for lines in header_lines) * leading + 2 * pad

        def header() -> None:
            c = self.doc.canvas
            c.setFillColor(SHADE)
            c.rect(x[0], self.y - header_height, x[-1] - x[0], header_height, stroke=0, fill=1)
            c.setFillColor(Color(0, 0, 0))
            for i, lines in enumerate(header_lines):
                base = self.y - pad - size + 1
                for line in lines:
                    self.doc.text((x[i] + x[i + 1]) / 2, base, line, SANS_BOLD, size - 0.5, "center")
                    base -= leading
            self._box(x, self.y, header_height)
            self.y -= header_height

        def measure(cells: Sequence[str], bold: bool) -> tuple[list[list[str]], float]:
            wrapped = [
                wrap(nfc(cell), SANS_BOLD if (bold or columns[i].bold) else SANS, size, widths[i] - 2 * pad, max_lines)
                for i, cell in enumerate(cells)
            ]
            return wrapped, max(len(lines) for lines in wrapped) * leading + 2 * pad

        def draw_row(cells: Sequence[str], bold: bool) -> None:
            wrapped, height = measure(cells, bold)
            if self.ensure(height):
                header()
            if bold:
                c = self.doc.canvas
                c.setFillColor(SHADE)
                c.rect(x[0], self.y - height, x[-1] - x[0], height, stroke=0, fill=1)
                c.setFillColor(Color(0, 0, 0))
            for i, lines in enumerate(wrapped):
                align = columns[i].align
                anchor = (x[i] + pad if align == "left" else x[i + 1] - pad if align == "right"
                          else (x[i] + x[i + 1]) / 2)
                base = self.y - pad - size + 1
                for line in lines:
                    self.doc.text(anchor, base, line, SANS_BOLD if (bold or columns[i].bold) else SANS, size, align)
                    base -= leading
            self._box(x, self.y, height)
            self.y -= height

        self.ensure(header_height + leading * 2 + 2 * pad)
        header()
        kept_from = max(0, len(rows) - keep_rows) if keep_with else len(rows)
        for index, cells in enumerate(rows):
            if index == kept_from:
                tail = sum(measure(row, False)[1] for row in rows[index:]) + keep_with + 6
                tail += measure(total, True)[1] if total is not None else 0.0
                room = self.page_header_room() - header_height
                if self.y - tail < self.bottom and tail <= room:
                    self.new_page()
                    header()
            draw_row(cells, False)
        if total is not None:
            draw_row(total, True)
        self.y -= 6

    def _box(self, x: Sequence[float], top: float, height: float) -> None:
        c = self.doc.canvas
        c.setLineWidth(0.4)
        path = c.beginPath()
        for edge in x:
            path.moveTo(edge, top)
            path.lineTo(edge, top - height)
        for y in (top, top - height):
            path.moveTo(x[0], y)
            path.lineTo(x[-1], y)
        c.drawPath(path, stroke=1, fill=0)

    def signatures(self, blocks: Sequence[tuple[str, str]], height: float = 78.0,
                   note: str = "(Ký, ghi rõ họ tên)") -> None:
        """Side-by-side signature blocks: title, note, room to sign, and the name when known."""
        self.ensure(height + 10)
        self.y -= 8
        column = self.width / len(blocks)
        for i, (title, name) in enumerate(blocks):
            centre = self.left + column * i + column / 2
            lines = wrap(title, SANS_BOLD, 8.5, column - 8, 2)
            base = self.y - 9
            for line in lines:
                self.doc.text(centre, base, line, SANS_BOLD, 8.5, "center")
                base -= 10.5
            self.doc.text(centre, base, note, SANS, 7.5, "center", GREY)
            if name:
                self.doc.text(centre, self.y - height + 4, name, SANS_BOLD, 9, "center")
        self.y -= height

    def finish(self) -> None:
        self.doc.finish_page(self.page, self.pages)


def national_header(doc: Doc, left_lines: Sequence[str], y: float) -> float:
    """The usual head of a Vietnamese administrative document: issuing body left, national motto right."""
    width = doc.width - 2 * doc.margin
    left_centre = doc.margin + width * 0.22
    right_centre = doc.margin + width * 0.70
    base = y
    for line in left_lines:
        for part in wrap(line.upper(), SANS_BOLD, 8.5, width * 0.44):
            doc.text(left_centre, base, part, SANS_BOLD, 8.5, "center")
            base -= 11
    doc.text(right_centre, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SANS_BOLD, 8.5, "center")
    doc.text(right_centre, y - 11, "Độc lập - Tự do - Hạnh phúc", SANS_BOLD, 9, "center")
    doc.rule(right_centre - 58, y - 15.5, right_centre + 58, 0.6)
    return min(base, y - 22) - 6
