"""The paper key: the province recovery key code on one A4 sheet, in Vietnamese (English second), for the safe.

The sheet carries the **encrypted** key code (``server.recovery_key``) as text in groups of four and as a QR code,
the public key it belongs to and when it was made; never the passphrase. Whoever restores from it scans the QR code
(or types the code) into a text file and passes that file as ``--key`` with the passphrase.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from server.settlement_pdf import RED, SANS, SANS_BOLD, _style, fmt_datetime, nfc, register_fonts

QR_SIZE = 70 * mm


def _qr(code: str) -> Drawing:
    widget = QrCodeWidget(code.replace(" ", ""), barLevel="M")  # base32 is QR's alphanumeric set: a small code
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def code_lines(code: str, groups_per_line: int = 6) -> list[str]:
    """The code's groups of four, ``groups_per_line`` to a line, the prefix on the first."""
    prefix, *groups = code.split(" ")
    lines = [" ".join(groups[i:i + groups_per_line]) for i in range(0, len(groups), groups_per_line)]
    return [f"{prefix}  {lines[0]}", *(" " * (len(prefix) + 2) + line for line in lines[1:])]


def render_paper_key(code: str, public_key: str, made: dt.datetime, province: str = "") -> bytes:
    """The A4 PDF of the paper key."""
    register_fonts()
    title = _style("title", SANS_BOLD, 15, TA_CENTER, leading=19)
    subtitle = _style("subtitle", SANS, 9.5, TA_CENTER, leading=13, after=8)
    body = _style("body", SANS, 9.5, leading=13, after=4)
    english = _style("english", SANS, 8, leading=10.5, after=6)
    warn = _style("warn", SANS_BOLD, 9.5, color=RED, leading=13, after=6)
    mono = _style("mono", "Courier-Bold", 11.5, leading=16)
    sign = _style("sign", SANS_BOLD, 9, TA_CENTER, leading=12)

    def p(text: str, style: object) -> Paragraph:
        return Paragraph(escape(nfc(text)), style)  # type: ignore[arg-type]

    story = [
        p("KHÓA KHÔI PHỤC CỦA TỈNH — BẢN GIẤY", title),
        p("Province recovery key — paper copy" + (f" · {province}" if province else ""), subtitle),
        p("Khóa này mở được khóa cơ sở dữ liệu của mọi máy chi trả đã đăng ký và các tệp nhật ký mang về bằng USB. "
          "Nó đã được mã hóa bằng cụm mật khẩu do cán bộ chọn: tờ giấy này vô dụng nếu thiếu cụm mật khẩu, và cụm "
          "mật khẩu không được ghi ở đây.", body),
        p("This key opens every enrolled laptop's database key and the journal files carried on USB sticks. It is "
          "encrypted under a passphrase the officer chose: this sheet is useless without it, and the passphrase is "
          "not written here.", english),
        p("Cất tờ giấy này trong két. Cụm mật khẩu do người khác giữ, ở nơi khác. Không chụp ảnh, không gửi qua mạng.",
          warn),
        p("Keep this sheet in the safe, the passphrase with another person, elsewhere. Do not photograph or send it.",
          english),
        p("Cách dùng: quét mã QR (hoặc gõ mã khóa bên dưới) vào một tệp văn bản, rồi chạy "
          "«payout-server recover-backup … --key TỆP» hoặc «payout-server import-batch … --key TỆP» và nhập cụm "
          "mật khẩu.", body),
        p("To use it: scan the QR code (or type the key code below) into a text file, then run payout-server "
          "recover-backup … --key FILE or import-batch … --key FILE and give the passphrase.", english),
        Spacer(1, 4 * mm),
        p("Mã khóa (đã mã hóa) / key code (encrypted):", body),
        *[Paragraph(escape(line).replace(" ", "&nbsp;"), mono) for line in code_lines(code)],
        Spacer(1, 5 * mm),
    ]
    details = Table([
        [_qr(code), [p("Khóa công khai / public key:", body),
                     Paragraph(escape(public_key[:32]) + "<br/>" + escape(public_key[32:]), mono),
                     Spacer(1, 3 * mm),
                     p(f"Tạo lúc / made: {fmt_datetime(made)} (giờ Việt Nam)", body),
                     p("Khóa công khai phải trùng với dòng «khóa khôi phục công khai» mà máy chủ in ra.", english)]],
    ], colWidths=[QR_SIZE + 6 * mm, None])
    details.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    signatures = Table([[p("Người lập", sign), p("Người nhận bảo quản", sign)],
                        [p("(ký, ghi rõ họ tên, ngày)", body), p("(ký, ghi rõ họ tên, ngày)", body)]],
                       colWidths=["50%", "50%"])
    story += [details, Spacer(1, 12 * mm), signatures]
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                 bottomMargin=16 * mm, title="Khóa khôi phục của tỉnh", author="Payout Desk")
    document.build(story)
    return out.getvalue()
