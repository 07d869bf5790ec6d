"""Documents' inputs built directly as domain values (fast: no store), for layout, pagination and size tests, and
the readers that check the PDFs made from them (page texts, page sizes, amounts)."""

from __future__ import annotations

import datetime as dt
import random

from app.documents.data import JournalRange, LineItem, PaymentMark, PayoutSheetData, Place, SheetPerson
from app.domain.model import (
    BackEntry,
    EvidenceKind,
    IdentityCheck,
    LineKind,
    Recipient,
    RecipientKind,
)
from app.domain.signature import SignaturePoint, encode_strokes

PLACE = Place("Tỉnh Quảng Ninh", "Phường Hồng Hải", "QNH-0001", "QNH-0001/nha-van-hoa-khu-3", "Nhà văn hóa khu 3")
DAY = dt.date(2026, 12, 7)
PERIOD = "2026-12"
PRINTED = dt.datetime(2026, 12, 7, 9, 15, tzinfo=dt.UTC)
DEVICE = "5b0c6f1e-0000-4000-8000-000000000001"

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Ngọc", "Thanh", "Minh", "Quang", "Xuân")
GIVEN = ("Đức", "Huệ", "Lành", "Tâm", "Nam", "Hoa", "Hải", "Thịnh", "Yến", "Bình", "Hưởng", "Nguyệt", "Phượng",
         "Thủy", "Trường", "Dũng", "Cường", "Lộc", "Quý", "Nhung")
CATEGORIES = (
    ("LS", "Thân nhân liệt sĩ"),
    ("AQ", "Thương binh"),
    ("BB", "Bệnh binh"),
    ("KC", "Người hoạt động kháng chiến giải phóng dân tộc, bảo vệ Tổ quốc, làm nghĩa vụ quốc tế"),
    ("HH", "Người hoạt động kháng chiến bị nhiễm chất độc hóa học"),
)


def signature(rng: random.Random, strokes: int = 3, points: int = 60) -> bytes:
    """A plausible on-screen signature on a 600×200 pad: a few looping, rightward strokes sampled every 16 ms."""
    import math

    result = []
    t = 0
    x_start = rng.randrange(30, 90)
    for _ in range(strokes):
        loops = rng.uniform(0.35, 0.6)
        height = rng.uniform(25, 55)
        stroke = []
        for i in range(points):
            x = x_start + i * rng.uniform(2.2, 2.8) + 12 * math.cos(i * loops)
            y = 100 + height * math.sin(i * loops * 0.9) * (1 - i / (points * 1.6)) + rng.uniform(-1.5, 1.5)
            t += 16
            stroke.append(SignaturePoint(min(599, max(0, int(x))), min(199, max(0, int(y))), t))
        result.append(stroke)
        x_start = min(500, stroke[-1].x + rng.randrange(10, 30))
        t += 180
    return encode_strokes(600, 200, result)


def person(rng: random.Random, number: int, *, paid: bool, evidence: EvidenceKind = EvidenceKind.SIGNATURE,
           recipient: Recipient | None = None, seq: int = 0) -> SheetPerson:
    code, category_name = CATEGORIES[number % len(CATEGORIES)]
    record = f"QNH/{code}-{number:05d}-TCM"
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    entry = f"e-{number:06d}"
    lines = [LineItem(f"{record}|{PERIOD}|uu_dai|monthly", PERIOD, "uu_dai", "monthly", "Trợ cấp hằng tháng",
                      LineKind.RECURRING, 2_789_000 + 1000 * (number % 7), entry if paid else None)]
    if number % 4 == 0:
        lines.append(LineItem(f"{record}|{PERIOD}|uu_dai|convalescence", PERIOD, "uu_dai", "convalescence",
                              "Điều dưỡng phục hồi sức khỏe tại gia đình", LineKind.ONE_TIME, 2_510_100,
                              entry if paid else None))
    if number % 9 == 0:
        lines.append(LineItem(f"{record}|{PERIOD}|luong_huu|pension", PERIOD, "luong_huu", "pension", "Lương hưu",
                              LineKind.RECURRING, 5_120_000, entry if paid else None))
    payments: tuple[PaymentMark, ...] = ()
    if paid:
        strokes = signature(rng) if evidence is EvidenceKind.SIGNATURE else b""
        payments = (
            PaymentMark(
                entry_id=entry, seq=seq or number + 1, entry_hash=f"{number:064x}",
                recorded_at=PRINTED - dt.timedelta(minutes=90) + dt.timedelta(seconds=20 * number),
                total=sum(line.amount for line in lines), recipient=recipient or Recipient(), evidence=evidence,
                identity_check=IdentityCheck.QR_MATCHED, staff="giaodich", strokes=strokes,
                witness="" if evidence is EvidenceKind.SIGNATURE else "Trần Văn Giám Sát",
                reason="" if evidence is EvidenceKind.SIGNATURE else "Tay run, không ký được",
                line_keys=tuple(line.key for line in lines),
            ),
        )
    return SheetPerson(record, name, code, category_name, tuple(lines), payments, 1940 + number % 20,
                       f"Khu {1 + number % 6}")


def sheet_data(count: int, *, seed: int = 7, paid_every: int = 1, signatures: bool = True) -> PayoutSheetData:
    """A sheet of ``count`` people; every ``paid_every``-th person paid (signature, with a thumbprint, a paper mark, a
    proxy and a back-entry mixed in), the others unpaid. ``signatures=False`` makes every payment a thumbprint (pages
    without signature paths extract several times faster, for the pagination test)."""
    rng = random.Random(seed)
    people = []
    for number in range(1, count + 1):
        paid = number % paid_every == 0
        evidence = EvidenceKind.SIGNATURE if signatures else EvidenceKind.THUMBPRINT
        recipient = None
        if number % 50 == 7:
            evidence = EvidenceKind.THUMBPRINT
        elif number % 50 == 13:
            evidence = EvidenceKind.PAPER
        if number % 40 == 11:
            recipient = Recipient(RecipientKind.PROXY, "Vũ Văn Hải", "022072000129", "UQ-2026/0123",
                                  dt.date(2027, 3, 7))
        people.append(person(rng, number, paid=paid, evidence=evidence, recipient=recipient))
    if count >= 20 and people[19].payments:
        mark = people[19].payments[0]
        back = PaymentMark(**{**{f: getattr(mark, f) for f in mark.__slots__}, "evidence": EvidenceKind.PAPER,
                              "strokes": b"", "witness": "Trần Văn Giám Sát", "reason": "Mất điện",
                              "back_entry": BackEntry(DAY, "DS-07/12-tr.2")})
        people[19] = SheetPerson(**{**{f: getattr(people[19], f) for f in people[19].__slots__}, "payments": (back,)})
    return PayoutSheetData(
        place=PLACE, day=DAY, period=PERIOD, people=tuple(people),
        journal=JournalRange(DEVICE, 1, count + 1, "ab" * 32), printed_at=PRINTED,
        session_ids=("s-1",), teller="Nguyễn Thị Giao Dịch", officer="Hoàng Văn Xã",
    )


def page_texts(pdf: bytes) -> list[str]:
    """Each page's extracted text (pypdf), NFC as extracted — tests compare it with NFC input."""
    import io

    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    import io

    from pypdf import PdfReader

    return [(round(float(page.mediabox.width)), round(float(page.mediabox.height)))
            for page in PdfReader(io.BytesIO(pdf)).pages]


def amount_of(text: str) -> int:
    """'1.234.500' → 1234500."""
    return int(text.replace(".", ""))
