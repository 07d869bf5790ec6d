"""``verify-document``: does a printed document (its PDF, its QR text, or its fingerprint typed from paper) still
match the journal?

Design. The PDF's metadata (``/Keywords``) holds the document record written at printing (``DocumentInfo``): kind,
locator (which point and day, payment, session, commune and month), the sha256 of the canonical content, the journal
range and the fingerprint, plus printing time and reprint mark. Verifying a PDF:

1. the record must be intact: its fingerprint recomputes from its own fields, and every page shows that fingerprint
   (so neither the metadata nor a printed code was changed on its own);
2. the record must match the journal *now*: the document is rebuilt from the current data with the same locator and
   its fingerprint recomputed — a payment made, reversed or back-entered after printing changes the journal range
   (and usually the rows) and is reported as such; a replaced/restored journal changes the hash of the last entry;
3. the pages must be what the journal makes: the rebuilt document is rendered again with the original printing time
   and marks. Rendering is deterministic, so an untouched page has exactly the same (decompressed) content stream;
   a page that differs is compared as extracted text to say how: the fingerprint missing from it, its text (a name,
   amount, row or total) edited, or only its drawing (e.g. a signature) changed. A PDF re-saved by another program
   may rewrite its streams and is then judged by its text and drawing alike — a verifier errs on the strict side.

A file of a point-day's sheets, one per agency (``SheetBundle``), carries one record per section (with its page
count) under the file's record, which commits to the sections' fingerprints: each section is checked as above against
its agency's sheet, and the file as a whole against the agencies the point-day now has. A sheet printed before sheets
were per agency has no agency in its locator and is rebuilt as the whole point-day in one table, as it was printed.

Verifying a fingerprint typed from paper recomputes every document this journal can make (sheets of every session's
point and day in both forms, minutes, receipts, monthly reports) and looks for it; the QR text carries the locator, so
a scan goes straight to step 2.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.documents.api import (
    DocumentData,
    DocumentRequest,
    ReportSource,
    describe,
    document_info,
    gather,
    render,
    request_for,
    with_printed_at,
)
from app.documents.data import DocumentKind, SheetBundle
from app.documents.errors import document_message
from app.documents.fingerprint import DocumentInfo, format_fingerprint, normalise_fingerprint, parse_qr_text
from app.domain.errors import PayoutError

__all__ = ["Verification", "verify_pdf", "verify_text"]


@dataclass(frozen=True)
class Verification:
    """The verdict: ``ok`` only when the document matches the current journal; ``code``/``params`` say why."""

    ok: bool
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    kind: str | None = None
    fingerprint: str | None = None

    def message(self, lang: str = "vi") -> str:
        said = document_message(self.code, lang, self.params)
        agency = self.params.get("agency")  # a section of a file of several agencies' sheets: say whose
        return f"{agency} — {said}" if agency else said


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _rebuild(source: ReportSource, info: DocumentInfo) -> tuple[Any, DocumentInfo, DocumentRequest]:
    request = request_for(info.kind, info.locator, info.options)
    data = gather(source, request)
    current = document_info(request.kind, data, reprint_at=info.reprint_at, demo=info.demo)
    return data, current, request


def _mismatch(printed: DocumentInfo, current: DocumentInfo) -> Verification:
    code = format_fingerprint(printed.fingerprint or "")
    before, now = printed.journal, current.journal
    assert before is not None and now is not None
    params: dict[str, Any] = {"code": code, "printed_last": before.last_seq, "current_last": now.last_seq}
    if now.last_seq > before.last_seq:
        reason = "verify_journal_changed"
    elif now.last_seq < before.last_seq or now.last_hash != before.last_hash:
        reason = "verify_journal_replaced"
    else:
        reason = "verify_content_changed"
    return Verification(False, reason, params, printed.kind, printed.fingerprint)


def _match(printed: DocumentInfo, data: Any, request: DocumentRequest) -> Verification:
    title, _ = describe(request.kind, data)
    journal = printed.journal
    assert journal is not None
    params = {"title": title, "code": format_fingerprint(printed.fingerprint or ""), "first": journal.first_seq,
              "last": journal.last_seq}
    verdict = "verify_match" if journal.last_seq else "verify_match_no_entries"
    return Verification(True, verdict, params, printed.kind, printed.fingerprint)


def _contents(reader: PdfReader) -> list[bytes]:
    result = []
    for page in reader.pages:
        contents = page.get_contents()
        result.append(contents.get_data() if contents is not None else b"")
    return result


def verify_pdf(source: ReportSource, pdf: bytes) -> Verification:
    """Check a PDF printed by Payout Desk against the current journal (see the module docstring). A file of several
    sheets (one per agency, ``SheetBundle``) is checked section by section, each against its own record."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        keywords = reader.metadata.get("/Keywords") if reader.metadata is not None else None
        count = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        return Verification(False, "verify_not_pdf", {"detail": str(error) or type(error).__name__})
    if not keywords:
        return Verification(False, "verify_not_document")
    try:
        printed, claimed = DocumentInfo.from_metadata(str(keywords))
    except ValueError:
        return Verification(False, "verify_not_document")
    actual = printed.fingerprint
    if actual is None:
        return Verification(False, "verify_no_fingerprint", {"kind": printed.kind}, printed.kind)
    if claimed != actual:
        return Verification(False, "verify_record_altered",
                            {"claimed": format_fingerprint(str(claimed or "?")), "actual": format_fingerprint(actual)},
                            printed.kind, claimed)
    assert printed.journal is not None
    if printed.journal.device_id != source.device_id:
        return Verification(False, "verify_other_device",
                            {"device": printed.journal.device_id[:8], "here": source.device_id[:8]}, printed.kind,
                            actual)
    if printed.sections:
        return _verify_sections(source, reader, count, printed)
    return _verify_one(source, reader, count, printed)


def _verify_one(source: ReportSource, reader: PdfReader, count: int, printed: DocumentInfo) -> Verification:
    """One document (the whole file) against the journal: its record rebuilt from the current data, then its pages
    rendered again and compared."""
    actual = printed.fingerprint
    assert actual is not None
    try:
        data, current, request = _rebuild(source, printed)
    except (PayoutError, ValueError) as error:
        detail = error.message() if isinstance(error, PayoutError) else str(error)
        return Verification(False, "verify_cannot_rederive", {"detail": detail}, printed.kind, actual)
    if current.fingerprint != actual:
        return _mismatch(printed, current)
    return _pages(reader, 0, count, printed, data, request) or _match(printed, data, request)


def _pages(reader: PdfReader, offset: int, count: int, printed: DocumentInfo, data: DocumentData,
           request: DocumentRequest) -> Verification | None:
    """The ``count`` pages after ``offset`` compared with the pages ``data`` makes (None when they are the same).

    The record matches the journal; now the pages must be the ones that record makes. Rendering is deterministic,
    so an untouched page has exactly the content stream of the page rendered again; only pages that differ are
    compared as text (to say what changed), which keeps a 200-page signed sheet quick to verify."""
    actual = printed.fingerprint
    assert actual is not None
    again = PdfReader(io.BytesIO(render(request.kind, with_printed_at(data, printed.printed_at),
                                        reprint_at=printed.reprint_at, demo=printed.demo)))
    code = format_fingerprint(actual)
    try:
        found_streams = _contents(reader)[offset:offset + count]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        return Verification(False, "verify_not_pdf", {"detail": str(error) or type(error).__name__})
    expected_streams = _contents(again)
    without_code: list[str] = []
    text_changed: list[str] = []
    drawing_changed: list[str] = []
    sample = ""
    for number in range(1, max(len(found_streams), len(expected_streams)) + 1):
        page = str(offset + number)
        if number > len(found_streams) or number > len(expected_streams):
            text_changed.append(page)
            continue
        if found_streams[number - 1] == expected_streams[number - 1]:
            continue
        found = _normalise(reader.pages[offset + number - 1].extract_text() or "")
        expected = _normalise(again.pages[number - 1].extract_text() or "")
        if code not in found:
            without_code.append(page)
        elif found != expected:
            text_changed.append(page)
            if not sample:
                known = set(expected.split(" "))
                sample = " ".join([word for word in found.split(" ") if word not in known][:8])
        else:
            drawing_changed.append(page)
    if without_code:
        return Verification(False, "verify_page_code_altered", {"pages": ", ".join(without_code[:10]), "code": code},
                            printed.kind, actual)
    if text_changed:
        return Verification(False, "verify_pages_altered", {"pages": ", ".join(text_changed[:10]),
                                                            "sample": sample or "-"}, printed.kind, actual)
    if drawing_changed:
        return Verification(False, "verify_drawing_altered", {"pages": ", ".join(drawing_changed[:10])},
                            printed.kind, actual)
    return None


def _verify_sections(source: ReportSource, reader: PdfReader, count: int, printed: DocumentInfo) -> Verification:
    """A file of a point-day's sheets, one per agency: the point-day is rebuilt once; every section must match its
    agency's sheet as the journal now makes it (its record, then its pages), and the file must hold every agency's
    sheet the journal makes (a sheet of a new agency's payments made after printing is a change like any other)."""
    actual = printed.fingerprint
    if sum(pages for pages, _info in printed.sections) != count:
        return Verification(False, "verify_pages_altered", {"pages": str(count), "sample": "-"}, printed.kind,
                            actual)
    try:
        data, current, request = _rebuild(source, printed)
    except (PayoutError, ValueError) as error:
        detail = error.message() if isinstance(error, PayoutError) else str(error)
        return Verification(False, "verify_cannot_rederive", {"detail": detail}, printed.kind, actual)
    assert isinstance(data, SheetBundle)
    sheets = {section.agency: section for section in data.sections}
    offset = 0
    said: list[str] = []
    for pages, section in printed.sections:
        agency = str(section.locator.get("agency") or "")
        name = _agency_name(source, section)
        rebuilt = sheets.get(agency)
        part_request = replace(request, agency=agency)
        now = document_info(request.kind, rebuilt, reprint_at=section.reprint_at, demo=section.demo) \
            if rebuilt is not None else None
        verdict: Verification | None
        if now is None or now.fingerprint != section.fingerprint:
            verdict = (_mismatch(section, now) if now is not None else
                       Verification(False, "verify_content_changed", {}, printed.kind, actual))
        else:
            assert rebuilt is not None
            verdict = _pages(reader, offset, pages, section, rebuilt, part_request)
        if verdict is not None:
            return Verification(False, verdict.code, {**verdict.params, "agency": name}, printed.kind, actual)
        said.append(f"{name} {format_fingerprint(section.fingerprint or '')}")
        offset += pages
    if current.fingerprint != actual:  # every section matches, yet the point-day now has another agency's sheet
        return _mismatch(printed, current)
    title, _ = describe(request.kind, data)
    return Verification(True, "verify_match_sheets", {"title": title, "count": len(said), "sheets": "; ".join(said),
                                                      "code": format_fingerprint(actual or "")},
                        printed.kind, actual)


def _agency_name(source: ReportSource, info: DocumentInfo) -> str:
    agency = str(info.locator.get("agency") or "")
    return source.agency_name(agency) if agency else ""


def verify_text(source: ReportSource, text: str) -> Verification:
    """Check a fingerprint typed from paper, or a QR code's text, against the current journal."""
    scanned = parse_qr_text(text)
    if scanned is not None:
        kind, code, locator = scanned
        try:
            request = request_for(kind, locator)
            data = gather(source, request)
        except (PayoutError, ValueError) as error:
            detail = error.message() if isinstance(error, PayoutError) else str(error)
            return Verification(False, "verify_cannot_rederive", {"detail": detail}, kind, code)
        current = document_info(request.kind, data)
        if current.fingerprint == code:
            return _match(current, data, request)
        return Verification(False, "verify_unknown_code", {"code": format_fingerprint(code)}, kind, code)
    typed = normalise_fingerprint(text)
    if typed is None:
        return Verification(False, "verify_bad_text", {"text": text.strip()[:40]})
    sheets: dict[tuple[Any, ...], DocumentData] = {}  # both forms of a sheet come from the same data
    for request in source.document_candidates():
        is_sheet = request.kind in (DocumentKind.SHEET_BLANK, DocumentKind.SHEET_SIGNED)
        key = (request.point_id, request.day, request.period, request.agency)
        try:
            data = sheets[key] if is_sheet and key in sheets else gather(source, request)
        except (PayoutError, ValueError):
            continue
        if is_sheet:
            sheets[key] = data
        parts: list[tuple[DocumentRequest, DocumentData]] = [(request, data)]
        if isinstance(data, SheetBundle):
            # each agency's sheet, and the whole point-day sheet printed before sheets were per agency: all made
            # from the same data as the file of every agency's sheet
            parts += [(replace(request, agency=""), data.whole),
                      *((replace(request, agency=section.agency), section) for section in data.sections)]
        for part_request, part in parts:
            current = document_info(part_request.kind, part)
            if current.fingerprint == typed:
                return _match(current, part, part_request)
    return Verification(False, "verify_unknown_code", {"code": format_fingerprint(typed)}, None, typed)
