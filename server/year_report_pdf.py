"""The 12-month report as a PDF (A4 portrait): the pilot's table per commune, per month and per regime.

Drawn with the settlement PDF's helpers (fonts with every Vietnamese letter, national header, ruled tables, "Trang
n/N" and the document code in the footer), so both reports look alike on paper.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus.flowables import Flowable

from app.domain.period import display_period
from app.domain.text import place_key
from server.progress import Counts
from server.settlement_pdf import (
    COND,
    MARGIN,
    WIDTH,
    _canvas_class,
    _grid,
    _national_header,
    _p,
    _signatures,
    _Styles,
    fmt_datetime,
    nfc,
    number,
    percent,
    register_fonts,
)
from server.year_report import YearReport

__all__ = ["render_year_report_pdf", "COLUMNS"]

Column = tuple[str, float, Callable[[Counts], str]]

COLUMNS: tuple[Column, ...] = (
    ("Lượt trong danh sách", 52, lambda c: number(c.turns)),
    ("Lượt đã chi", 52, lambda c: number(c.turns_paid)),
    ("Tỷ lệ lượt đã chi", 46, lambda c: percent(c.turns_paid, c.turns)),
    ("Lượt hằng tháng đã chi", 52, lambda c: number(c.monthly_turns_paid)),
    ("Lượt một lần đã chi", 46, lambda c: number(c.one_time_turns_paid)),
    ("Tiền mặt đã chi (đồng)", 84, lambda c: number(c.cash_paid)),
)
"""The pilot's columns: turns (person, agency, month, kind) on the lists and paid, and the cash paid."""

REGIME_COLUMNS: tuple[Column, ...] = (
    *COLUMNS[:5],
    ("Tiền đã chi cho các khoản (đồng)", 84, lambda c: number(c.paid_amount)),
)


def _table(rows: Sequence[tuple[str, Counts]], total: Counts | None, columns: Sequence[Column], first_title: str,
           styles: _Styles) -> Any:
    header = [_p(t, styles.narrow_head) for t in ("STT", first_title, *(c[0] for c in columns))]
    body: list[list[Any]] = [header]
    for i, (name, counts) in enumerate(rows, start=1):
        body.append([str(i), _p(name, styles.narrow), *(c[2](counts) for c in columns)])
    if total is not None:
        body.append(["", _p("Toàn tỉnh", styles.narrow_bold), *(c[2](total) for c in columns)])
    weights = (20, 100, *(c[1] for c in columns))
    scale = WIDTH / sum(weights)
    table = _grid(body, [w * scale for w in weights], total=total is not None, right_from=2, font=COND, size=7.5)
    table.setStyle(TableStyle([("ALIGN", (0, 1), (0, -1), "CENTER")]))
    return table


def _range(report: YearReport) -> str:
    return f"từ tháng {display_period(report.first)} đến tháng {display_period(report.last)}"


def _story(report: YearReport, styles: _Styles, regime_name: Callable[[str], str]) -> list[Flowable]:
    story: list[Flowable] = list(_national_header(report, styles))  # type: ignore[arg-type]  # the same header fields
    story.append(_p("BÁO CÁO KẾT QUẢ CHI TRẢ", styles.title))  # the range on a line of its own: it fits A4
    story.append(_p(report.title.removeprefix("BÁO CÁO KẾT QUẢ CHI TRẢ "), styles.motto))
    what = f"Các khoản của {report.agency_name}" if report.agency_name else "Các khoản của mọi cơ quan chi trả"
    story.append(_p(f"{what} — chi trả bằng tiền mặt — {report.province_name or 'toàn tỉnh'}", styles.subtitle))
    generated = fmt_datetime(report.generated_at, report.clock)
    story.append(_p(f"Số liệu của máy chủ tỉnh đến {generated} ({report.clock.label()})", styles.note))
    story.append(Spacer(1, 6))
    t = report.total
    summary = [
        ["Xã có đối tượng", number(report.communes_with_beneficiaries)],
        ["Lượt trong danh sách", number(t.turns)],
        ["Lượt đã chi", number(t.turns_paid)],
        ["Tỷ lệ lượt đã chi trên lượt trong danh sách", percent(t.turns_paid, t.turns)],
        ["trong đó: lượt hằng tháng đã chi", number(t.monthly_turns_paid)],
        ["trong đó: lượt một lần đã chi", number(t.one_time_turns_paid)],
        ["Tiền mặt đã chi (đồng)", number(t.cash_paid)],
        ["trong đó: chi trùng, có cờ (đồng; không tính thành lượt)", number(t.double_cash)],
        ["Khoản chi qua tài khoản (không qua điểm chi, không tính ở trên)",
         f"{number(t.account_lines)} khoản · {number(t.account_amount)} đồng"],
    ]
    story.append(KeepTogether([_p(f"I. Tổng hợp {_range(report)}", styles.heading),
                               _grid([["Chỉ tiêu", "Số liệu"], *summary], [WIDTH * 0.62, WIDTH * 0.38],
                                     indent_rows=(5, 6, 8))]))
    story.append(_p("Một lượt là một người, một cơ quan chi trả, một tháng của danh sách và một loại (hằng tháng "
                    "hoặc một lần); lượt hằng tháng + lượt một lần = lượt.", styles.small))
    months = [(display_period(row.key), row.counts) for row in report.months]
    story.append(KeepTogether([_p("II. Theo tháng", styles.heading),
                               _table(months, report.total, COLUMNS, "Tháng", styles),
                               _p("Dòng toàn tỉnh đếm mỗi lượt một lần: một lượt chuyển kỳ sau có trong danh sách "
                                  "của hai tháng, nên có thể nhỏ hơn cộng các tháng.", styles.small)]))
    communes = [(row.name, row.counts) for row in report.communes]
    section = [_p(f"III. Theo xã ({len(communes)} xã)", styles.heading),
               _table(communes, report.total, COLUMNS, "Xã", styles)]
    story += [KeepTogether(section)] if len(communes) <= 40 else section
    regimes = sorted(((regime_name(row.key), row.counts) for row in report.regimes),
                     key=lambda item: place_key(item[0]))  # Vietnamese order of the names
    story.append(KeepTogether([
        _p("IV. Theo chế độ", styles.heading), _table(regimes, None, REGIME_COLUMNS, "Chế độ", styles),
        _p("Một lượt có khoản của hai chế độ được tính ở cả hai; tiền là tiền đã chi cho các khoản của chế độ trong "
           "tháng của danh sách.", styles.small)]))
    story.append(KeepTogether(_signatures(styles)))
    return story


def render_year_report_pdf(report: YearReport, regime_name: Callable[[str], str] = str) -> bytes:
    """The report as PDF bytes; ``regime_name`` says a "programme/regime" code in words (the policy's names)."""
    register_fonts()
    styles = _Styles()
    code = report.document_code
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 6,
        title=nfc(report.title), author="Payout Desk", creator="Payout Desk — máy chủ tỉnh",
        subject=nfc(f"Mã báo cáo {code}"), keywords=[f"payout-desk-year:{report.first}:{report.last}:{code}"],
        invariant=1,
    )
    doc.build(_story(report, styles, regime_name), canvasmaker=_canvas_class(report, code))  # type: ignore[arg-type]
    return buffer.getvalue()
