"""Printed documents as PDF (reportlab), built from frozen domain values — no Qt, no SQL.

Documents: the payout sheet (blank and signed), the receipt, the end-of-day minutes, the public notice and the monthly
report. ``app.store.reports.ReportService`` (``store.reports``) gathers their inputs; everything here is pure
rendering, fingerprinting and verification.

For a button or a command, one call does it all::

    doc = make_document(store.reports, DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=..., day=...))
    doc.pdf, doc.filename, doc.pages, doc.fingerprint

and ``verify_pdf(store.reports, pdf_bytes)`` / ``verify_text(store.reports, code_or_qr_text)`` check a document
against the journal (design in ``app.documents.verify``; the fingerprint in ``app.documents.fingerprint``).

Each agency gets its own voucher (issue 12): a sheet request without ``agency`` makes one file holding one sheet per
agency (``SheetBundle``), each a whole document with its own fingerprint and QR code; ``agency="bhxh"`` makes that
agency's sheet alone; ``agency=""`` the whole point-day in one table, as sheets were printed before.
"""

from app.documents.api import (
    DocumentRequest,
    RenderedDocument,
    ReportSource,
    describe,
    document_info,
    gather,
    make_document,
    render,
    request_for,
)
from app.documents.data import (
    AgencyFigure,
    DocumentKind,
    JournalRange,
    LineItem,
    MinutesData,
    MonthlyReportData,
    NoticeData,
    NoticePerson,
    PaymentMark,
    PayoutSheetData,
    Place,
    ReceiptData,
    SheetBundle,
    SheetPerson,
)
from app.documents.errors import DocumentInputError, document_message
from app.documents.fingerprint import DocumentInfo, format_fingerprint
from app.documents.minutes import render_minutes
from app.documents.monthly import render_monthly_report
from app.documents.notice import render_notice
from app.documents.receipt import render_receipt
from app.documents.sheet import render_payout_sheet
from app.documents.verify import Verification, verify_pdf, verify_text

__all__ = [
    "DocumentKind",
    "DocumentRequest",
    "RenderedDocument",
    "ReportSource",
    "DocumentInfo",
    "DocumentInputError",
    "Verification",
    "make_document",
    "gather",
    "render",
    "document_info",
    "describe",
    "request_for",
    "verify_pdf",
    "verify_text",
    "document_message",
    "format_fingerprint",
    "render_payout_sheet",
    "render_receipt",
    "render_minutes",
    "render_notice",
    "render_monthly_report",
    "PayoutSheetData",
    "ReceiptData",
    "MinutesData",
    "NoticeData",
    "MonthlyReportData",
    "NoticePerson",
    "SheetPerson",
    "SheetBundle",
    "AgencyFigure",
    "LineItem",
    "PaymentMark",
    "Place",
    "JournalRange",
]
