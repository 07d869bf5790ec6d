"""Benchmark: the signed payout sheet of a 3,000-person point, each person with a captured signature.

Target (issue 4): ≤ 3 s. Compared, in the same run, with a bare reportlab platypus table of the same rows holding
one distinct PNG signature per row (the PNGs are rendered beforehand with ``app.domain.signature.render_png``, as the
store keeps them, so only the PDF work is timed) — the approach our vector strokes replace.

    python bench/bench_documents.py [--people 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import datetime as dt

import benchlib  # puts the repository on sys.path, isolates keys
from app.documents import render_payout_sheet
from app.documents.data import JournalRange, LineItem, PaymentMark, PayoutSheetData, Place, SheetPerson
from app.documents.layout import COND, register_fonts
from app.domain.model import EvidenceKind, IdentityCheck, LineKind, Recipient
from app.domain.money import format_number
from app.domain.signature import SignaturePoint, decode_strokes, encode_strokes, render_png

TARGET_S = 3.0
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Ngọc", "Thanh", "Minh")
GIVEN = ("Đức", "Huệ", "Lành", "Tâm", "Nam", "Hoa", "Hải", "Thịnh", "Yến", "Bình", "Hưởng", "Nguyệt")
CATEGORIES = (("LS", "Thân nhân liệt sĩ"), ("AQ", "Thương binh"), ("BB", "Bệnh binh"),
              ("HH", "Người hoạt động kháng chiến bị nhiễm chất độc hóa học"))
PRINTED = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def signature(rng: random.Random) -> bytes:
    """A distinct signature: three looping strokes of 60 points on a 600×200 pad (≈ 180 points, like a real one)."""
    import math

    strokes, t, x_start = [], 0, rng.randrange(30, 90)
    for _ in range(3):
        loops, height = rng.uniform(0.35, 0.6), rng.uniform(25, 55)
        stroke = []
        for i in range(60):
            x = x_start + i * rng.uniform(2.2, 2.8) + 12 * math.cos(i * loops)
            y = 100 + height * math.sin(i * loops * 0.9) * (1 - i / 96) + rng.uniform(-1.5, 1.5)
            t += 16
            stroke.append(SignaturePoint(min(599, max(0, int(x))), min(199, max(0, int(y))), t))
        strokes.append(stroke)
        x_start = min(500, stroke[-1].x + rng.randrange(10, 30))
        t += 180
    return encode_strokes(600, 200, strokes)


def sheet(people: int) -> PayoutSheetData:
    rng = random.Random(42)
    rows = []
    for n in range(1, people + 1):
        code, category = CATEGORIES[n % len(CATEGORIES)]
        record = f"QNH/{code}-{n:05d}-TCM"
        entry = f"e-{n:06d}"
        lines = [LineItem(f"{record}|2026-12|uu_dai|monthly", "2026-12", "uu_dai", "monthly", "Trợ cấp hằng tháng",
                          LineKind.RECURRING, 2_789_000 + 1000 * (n % 9), entry)]
        if n % 4 == 0:
            lines.append(LineItem(f"{record}|2026-12|uu_dai|one_time", "2026-12", "uu_dai", "one_time",
                                  "Trợ cấp một lần", LineKind.ONE_TIME, 2_510_100, entry))
        mark = PaymentMark(entry, n + 1, f"{n:064x}", PRINTED - dt.timedelta(seconds=20 * (people - n)),
                           sum(line.amount for line in lines), Recipient(), EvidenceKind.SIGNATURE,
                           IdentityCheck.QR_MATCHED, "giaodich", strokes=signature(rng),
                           line_keys=tuple(line.key for line in lines))
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        rows.append(SheetPerson(record, name, code, category, tuple(lines), (mark,), 1930 + n % 30, f"Khu {n % 7}"))
    place = Place("Tỉnh Quảng Ninh", "Phường Hồng Hải", "QNH-0001", "QNH-0001/p", "Nhà văn hóa khu 3")
    return PayoutSheetData(place, dt.date(2026, 12, 7), "2026-12", tuple(rows),
                           JournalRange("bench-device", 1, people + 1, "ab" * 32), PRINTED, ("s",), "Giao Dịch Viên")


def baseline(data: PayoutSheetData, pngs: list[bytes]) -> bytes:
    """The approach replaced: a platypus Table of the same rows, one Image (a distinct PNG) per row."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Image, SimpleDocTemplate, Table, TableStyle

    header = ["STT", "Họ và tên", "Mã hồ sơ", "Loại đối tượng", "Hằng tháng", "Một lần", "Khác", "Tổng cộng",
              "Người nhận", "Ký nhận"]
    rows: list[list[Any]] = [header]
    for n, (person, png) in enumerate(zip(data.people, pngs), start=1):
        monthly = sum(line.amount for line in person.lines if line.kind is LineKind.RECURRING)
        once = sum(line.amount for line in person.lines if line.kind is not LineKind.RECURRING)
        rows.append([str(n), person.full_name, person.record_code, person.category_name[:28], format_number(monthly),
                     format_number(once) if once else "", "", format_number(monthly + once), "Bản thân",
                     Image(io.BytesIO(png), width=100, height=33)])
    table = Table(rows, repeatRows=1, colWidths=(24, 120, 82, 130, 60, 60, 40, 64, 70, 110))
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), COND, 7.6), ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=24, rightMargin=24, topMargin=24,
                      bottomMargin=24).build([table])
    return out.getvalue()


def timed(function, repeat: int) -> tuple[float, bytes]:
    times, result = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    benchlib.header(f"Documents: signed payout sheet, {args.people} people with signatures")
    register_fonts()
    data = sheet(args.people)
    points = sum(len(s) for p in data.people for s in decode_strokes(p.payments[0].strokes).strokes)
    render_payout_sheet(sheet(20), signed=True)  # warm-up: font loading, imports
    ours_s, ours = timed(lambda: render_payout_sheet(data, signed=True), args.repeat)
    unpaid = dataclasses.replace(data, people=tuple(
        dataclasses.replace(p, payments=(), lines=tuple(dataclasses.replace(line, paid_by=None) for line in p.lines))
        for p in data.people))
    blank_s, blank = timed(lambda: render_payout_sheet(unpaid, signed=False), args.repeat)
    start = time.perf_counter()
    pngs = [render_png(decode_strokes(p.payments[0].strokes)) for p in data.people]
    png_s = time.perf_counter() - start
    base_s, base = timed(lambda: baseline(data, pngs), max(1, args.repeat - 1))
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(ours)).pages)
    base_pages = len(PdfReader(io.BytesIO(base)).pages)
    ratio = ours_s / base_s
    benchlib.print_table(
        ["what", "seconds (median)", "pages", "MB"],
        [
            ["signed sheet, vector signatures (ours)", round(ours_s, 3), pages, round(len(ours) / 1e6, 2)],
            ["blank sheet, same rows unpaid (ours)", round(blank_s, 3), len(PdfReader(io.BytesIO(blank)).pages),
             round(len(blank) / 1e6, 2)],
            ["bare platypus table + 1 PNG per row", round(base_s, 3), base_pages, round(len(base) / 1e6, 2)],
            ["(rendering the PNGs beforehand, not timed above)", round(png_s, 3), "-", "-"],
        ],
    )
    print(f"\nratio ours / baseline: {ratio:.2f} ({1 / ratio:.1f}× faster); {points:,} signature points drawn; "
          f"target ≤ {TARGET_S} s: {benchlib.verdict(ours_s, TARGET_S)}")
    benchlib.record("documents", {
        "people": args.people, "signed_sheet_s": round(ours_s, 3), "blank_sheet_s": round(blank_s, 3),
        "baseline_png_table_s": round(base_s, 3), "png_render_s": round(png_s, 3), "ratio": round(ratio, 3),
        "pages": pages, "baseline_pages": base_pages, "pdf_mb": round(len(ours) / 1e6, 2),
        "baseline_mb": round(len(base) / 1e6, 2), "signature_points": points, "target_s": TARGET_S,
        "verdict": benchlib.verdict(ours_s, TARGET_S),
    })


if __name__ == "__main__":
    main()
