"""verify-document: an untouched document matches; altered records, pages or a journal changed after printing do not."""

from __future__ import annotations

import dataclasses
import io

from pypdf import PdfWriter
from reportlab.pdfgen.canvas import Canvas

from app.documents import (
    DocumentKind,
    DocumentRequest,
    format_fingerprint,
    make_document,
    verify_pdf,
    verify_text,
)
from app.documents.fingerprint import METADATA_PREFIX, qr_text
from app.documents.sheet import _SheetRenderer, sheet_info
from app.domain.model import Evidence, EvidenceKind, IdentityCheck, PaymentRequest, Recipient
from tests.builders.document_world import DAY, POINT, World


def _signed(world: World):
    return make_document(world.store.reports, DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=POINT, day=DAY))


def _with_keywords(pdf: bytes, keywords: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_metadata({"/Keywords": keywords})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_untouched_documents_match(world: World):
    reports = world.store.reports
    for request in (
        DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=POINT, day=DAY),
        DocumentRequest(DocumentKind.SHEET_BLANK, point_id=POINT, day=DAY),
        DocumentRequest(DocumentKind.MINUTES, session_id=world.session_id),
        DocumentRequest(DocumentKind.RECEIPT, payment_id=next(iter(world.payments.values())).entry_id,
                        reprint_at=world.clock.now),
        DocumentRequest(DocumentKind.MONTHLY, commune_code="QNH-0001", period="2026-12"),
    ):
        doc = make_document(reports, request)
        result = verify_pdf(reports, doc.pdf)
        assert result.ok, (request.kind, result.message())
        sheets = request.kind in (DocumentKind.SHEET_SIGNED, DocumentKind.SHEET_BLANK)
        # a point-day's sheets are one file of one sheet per agency, each section verified against its own record
        assert result.code == ("verify_match_sheets" if sheets else "verify_match")
        assert result.fingerprint == doc.fingerprint
        assert format_fingerprint(doc.fingerprint or "") in result.message()


def test_fingerprint_text_and_qr_text_match(world: World):
    doc = _signed(world)
    reports = world.store.reports
    for typed in (format_fingerprint(doc.fingerprint or ""), (doc.fingerprint or "").lower(),
                  " ".join(format_fingerprint(doc.fingerprint or "").split("-"))):
        result = verify_text(reports, typed)
        assert result.ok and result.kind == "sheet-signed", result.message()
    bundle = reports.sheet_bundle(POINT, DAY)
    for section in bundle.sections:  # each agency's sheet: its printed code, and its QR code (which names the agency)
        info = sheet_info(section, signed=True)
        assert info.locator["agency"] == section.agency
        result = verify_text(reports, format_fingerprint(info.fingerprint or ""))
        assert result.ok and section.agency_name in result.message(), result.message()
        assert verify_text(reports, qr_text("sheet-signed", info.fingerprint or "", info.locator)).ok
    # a whole-point-day sheet printed before sheets were per agency: its QR code has no agency, and still verifies
    whole = sheet_info(reports.payout_sheet(POINT, DAY), signed=True)
    assert "agency" not in whole.locator
    assert verify_text(reports, qr_text("sheet-signed", whole.fingerprint or "", whole.locator)).ok
    assert verify_text(reports, format_fingerprint(whole.fingerprint or "")).ok


def test_altered_fingerprint_is_rejected(world: World):
    doc = _signed(world)
    reports = world.store.reports
    code = doc.fingerprint or ""
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    result = verify_text(reports, format_fingerprint(wrong))
    assert not result.ok and result.code == "verify_unknown_code"
    # the fingerprint in the file's record changed, nothing else
    keywords = _keywords(doc.pdf)
    tampered = _with_keywords(doc.pdf, keywords.replace(f'"fingerprint":"{code}"', f'"fingerprint":"{wrong}"'))
    result = verify_pdf(reports, tampered)
    assert not result.ok and result.code == "verify_record_altered", result.message()
    # the record's content hash changed to match other rows
    tampered = _with_keywords(doc.pdf, keywords.replace('"content":"', '"content":"0'))
    assert verify_pdf(reports, tampered).code == "verify_record_altered"


def _keywords(pdf: bytes) -> str:
    from pypdf import PdfReader

    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    value = metadata["/Keywords"]
    assert isinstance(value, str) and value.startswith(METADATA_PREFIX)
    return str(value)


def test_altered_rows_are_rejected(world: World):
    """A forger re-renders the sheet with one amount changed and copies the genuine record and fingerprint in."""
    reports = world.store.reports
    data = reports.payout_sheet(POINT, DAY)
    genuine = sheet_info(data, signed=True, demo=True)
    first = data.people[0]
    line = dataclasses.replace(first.lines[0], amount=first.lines[0].amount + 500_000)
    forged = dataclasses.replace(data, people=(dataclasses.replace(first, lines=(line, *first.lines[1:])),
                                               *data.people[1:]))
    pdf = _SheetRenderer(forged, True, genuine).render()  # pages show the genuine fingerprint, rows the forged amount
    result = verify_pdf(reports, pdf)
    assert not result.ok and result.code == "verify_pages_altered", result.message()
    assert "1" in result.params["pages"]
    # the same forgery printed with its own fingerprint but the genuine record: the pages lack the genuine code
    pdf = _with_keywords(_SheetRenderer(forged, True, sheet_info(forged, signed=True, demo=True)).render(),
                         genuine.to_metadata())
    result = verify_pdf(reports, pdf)
    assert not result.ok and result.code == "verify_page_code_altered", result.message()


def test_changed_signature_drawing_is_rejected(world: World):
    reports = world.store.reports
    data = reports.payout_sheet(POINT, DAY)
    genuine = sheet_info(data, signed=True, demo=True)
    index, person = next((i, p) for i, p in enumerate(data.people)
                         if p.payments and p.payments[0].evidence is EvidenceKind.SIGNATURE)
    other = next(p for p in data.people[index + 1:] if p.payments and p.payments[0].strokes)
    swapped = dataclasses.replace(person, payments=(dataclasses.replace(person.payments[0],
                                                                        strokes=other.payments[0].strokes),))
    people = list(data.people)
    people[index] = swapped
    pdf = _SheetRenderer(dataclasses.replace(data, people=tuple(people)), True, genuine).render()
    result = verify_pdf(reports, pdf)
    assert not result.ok and result.code == "verify_drawing_altered", result.message()


def test_payment_reversed_after_printing_is_rejected(fresh_world: World):
    store = fresh_world.store
    doc = make_document(store.reports, DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=POINT, day=DAY))
    receipt = make_document(store.reports, DocumentRequest(
        DocumentKind.RECEIPT, payment_id=next(iter(fresh_world.payments.values())).entry_id))
    assert verify_pdf(store.reports, doc.pdf).ok and verify_pdf(store.reports, receipt.pdf).ok
    fresh_world.clock.tick()
    store.payouts.reverse(next(iter(fresh_world.payments.values())).entry_id, reason="Trả nhầm số tiền",
                          supervisor="giamsat")
    result = verify_pdf(store.reports, doc.pdf)
    assert not result.ok and result.code == "verify_journal_changed", result.message()
    assert result.params["current_last"] > result.params["printed_last"]
    assert verify_pdf(store.reports, receipt.pdf).code == "verify_journal_changed"
    assert verify_text(store.reports, doc.fingerprint or "").code == "verify_unknown_code"


def test_payment_added_after_printing_is_rejected(fresh_world: World):
    store = fresh_world.store
    blank = make_document(store.reports, DocumentRequest(DocumentKind.SHEET_BLANK, point_id=POINT, day=DAY))
    signed = make_document(store.reports, DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=POINT, day=DAY))
    assert verify_pdf(store.reports, signed.pdf).ok
    code = fresh_world.unpaid[0]
    view = store.payouts.person(code, session_id=fresh_world.session_id)
    fresh_world.clock.tick()
    store.payouts.pay(PaymentRequest(fresh_world.session_id, code, tuple(view.selected), Recipient(),
                                     IdentityCheck.CARD_INSPECTED,
                                     Evidence(EvidenceKind.THUMBPRINT, reason="Không ký được", witness="Hoàng Văn Xã"),
                                     "giaodich"))
    for pdf in (signed.pdf, blank.pdf):
        result = verify_pdf(store.reports, pdf)
        assert not result.ok and result.code == "verify_journal_changed", result.message()


def test_not_a_document(world: World):
    reports = world.store.reports
    assert verify_pdf(reports, b"not a pdf").code == "verify_not_pdf"
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 72, "Hello")
    canvas.save()
    assert verify_pdf(reports, buffer.getvalue()).code == "verify_not_document"
    notice = make_document(reports, DocumentRequest(DocumentKind.NOTICE, point_id=POINT))
    assert verify_pdf(reports, notice.pdf).code == "verify_no_fingerprint"
    assert verify_text(reports, "xin chào").code == "verify_bad_text"
