"""One call per document: ``make_document(source, DocumentRequest(...))`` gathers, renders and names it.

``source`` is anything shaped like ``ReportSource`` — in the app ``store.reports``
(``app.store.reports.ReportService``); in tests a fake. The desktop client's preview / print / save-as-PDF buttons and
the CLI's ``print`` both go through here, so a document looks the same whichever way it was made.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from pypdf import PdfReader, PdfWriter

from app.documents.data import (
    DocumentKind,
    MinutesData,
    MonthlyReportData,
    NoticeData,
    PayoutSheetData,
    ReceiptData,
    SheetBundle,
)
from app.documents.errors import DocumentInputError
from app.documents.fingerprint import (
    DocumentInfo,
    bundle_content,
    bundle_journal,
    content_hash,
    format_fingerprint,
)
from app.documents.layout import fmt_date, nfc
from app.documents.minutes import minutes_info, render_minutes
from app.documents.monthly import monthly_info, render_monthly_report
from app.documents.notice import notice_info, render_notice
from app.documents.receipt import receipt_info, render_receipt
from app.documents.sheet import render_payout_sheet, sheet_info, sheet_locator
from app.domain.period import check_period, display_period

__all__ = [
    "DocumentRequest",
    "ReportSource",
    "RenderedDocument",
    "DocumentData",
    "gather",
    "render",
    "document_info",
    "make_document",
    "REPRINT_MARK",
    "request_for",
    "describe",
    "ALL_AGENCIES",
    "bundle_info",
    "render_bundle",
]

DocumentData = PayoutSheetData | SheetBundle | ReceiptData | MinutesData | NoticeData | MonthlyReportData

ALL_AGENCIES = "*"
"""The locator's ``agency`` of a file holding every agency's sheet of a point-day (``SheetBundle``)."""


@dataclass(frozen=True)
class DocumentRequest:
    """What to print. Which fields a kind needs:

    - ``sheet-blank`` / ``sheet-signed``: ``point_id`` and ``day`` (``period`` optional); ``agency``: None (the
      default) prints one sheet per agency in one file, an agency code that agency's sheet, "" the whole point-day
      in one table (the form printed before sheets were per agency: how its papers are rebuilt to verify them);
    - ``receipt``: ``payment_id`` (the payment's entry id), or ``payment_ids`` — every payment of one visit (one
      per record, so per agency, committed together): one receipt listing their lines by agency;
    - ``minutes``: ``session_id``;
    - ``notice``: ``point_id`` (``day`` or ``period`` optional; ``contact``, ``show_regimes``, ``show_amounts``);
    - ``monthly``: ``commune_code`` and ``period``.

    ``reprint_at`` marks the document "BẢN IN LẠI" with that time (the caller knows it printed it before).

    ``by_agency``: the minutes, the receipt and the monthly report print what each agency was paid when their lines
    are of several agencies (issue 12). False makes them as they were printed before that — how a paper printed then
    is rebuilt to verify it (its record carries no ``agencies`` option; the fingerprint is the same either way).
    """

    kind: DocumentKind
    point_id: str | None = None
    day: dt.date | None = None
    period: str | None = None
    session_id: str | None = None
    payment_id: str | None = None
    commune_code: str | None = None
    contact: str = ""
    show_regimes: bool = False
    show_amounts: bool = False
    reprint_at: dt.datetime | None = None
    agency: str | None = None
    payment_ids: tuple[str, ...] = ()
    by_agency: bool = True


class ReportSource(Protocol):
    """What documents need from the data (``app.store.reports.ReportService`` provides it)."""

    @property
    def is_demo(self) -> bool: ...

    @property
    def device_id(self) -> str: ...

    def payout_sheet(self, point_id: str, day: dt.date, period: str | None = None, *,
                     agency: str = "") -> PayoutSheetData: ...

    def sheet_bundle(self, point_id: str, day: dt.date, period: str | None = None) -> SheetBundle: ...

    def agency_name(self, agency: str) -> str: ...

    def receipt(self, payment_entry_id: str | Sequence[str]) -> ReceiptData: ...

    def minutes(self, session_id: str) -> MinutesData: ...

    def notice(self, point_id: str, day: dt.date | None = None, *, period: str | None = None, contact: str = "",
               show_regimes: bool = False, show_amounts: bool = False) -> NoticeData: ...

    def monthly_report(self, commune_code: str, period: str) -> MonthlyReportData: ...

    def document_candidates(self) -> Iterator[DocumentRequest]: ...

    def default_day(self, point_id: str, period: str | None = None) -> dt.date: ...


@dataclass(frozen=True)
class RenderedDocument:
    """A made document. ``locator`` names it (point + day, payment, session, commune + month — the same as in its
    fingerprint); ``reprint_at`` is set when its pages carry the "BẢN IN LẠI" mark (the title says so too)."""

    kind: DocumentKind
    pdf: bytes
    pages: int
    fingerprint: str | None
    filename: str
    title: str
    locator: Mapping[str, Any] = field(default_factory=dict)
    reprint_at: dt.datetime | None = None
    sections: tuple[tuple[str, str], ...] = ()
    """A file of a point-day's sheets: (agency name, fingerprint) of each agency's sheet, as its pages show it."""


def _need(request: DocumentRequest, option: str, value: Any) -> Any:
    if value in (None, ""):
        raise DocumentInputError("doc_option_required", kind=request.kind.value, option=option)
    return value


def gather(source: ReportSource, request: DocumentRequest) -> DocumentData:
    """The document's input from the data, as of now."""
    kind = request.kind
    if request.period is not None:
        check_period(request.period)
    if kind in (DocumentKind.SHEET_BLANK, DocumentKind.SHEET_SIGNED):
        point = _need(request, "--point", request.point_id)
        day = request.day or source.default_day(point, request.period)
        if request.agency is None:
            return source.sheet_bundle(point, day, request.period)
        return source.payout_sheet(point, day, request.period, agency=request.agency)
    if kind is DocumentKind.RECEIPT:
        if len(request.payment_ids) > 1:
            receipt = source.receipt(request.payment_ids)
        else:
            receipt = source.receipt(_need(request, "--payment", request.payment_id or "".join(request.payment_ids)))
        return receipt if request.by_agency or receipt.visit else replace(receipt, agencies=())
    if kind is DocumentKind.MINUTES:
        minutes = source.minutes(_need(request, "--session", request.session_id))
        return minutes if request.by_agency else replace(minutes, paid_by_agency=())
    if kind is DocumentKind.NOTICE:
        return source.notice(_need(request, "--point", request.point_id), request.day, period=request.period,
                             contact=request.contact, show_regimes=request.show_regimes,
                             show_amounts=request.show_amounts)
    if kind is DocumentKind.MONTHLY:
        month = source.monthly_report(_need(request, "--commune", request.commune_code),
                                      _need(request, "--period", request.period))
        return month if request.by_agency else replace(month, agencies=())
    raise DocumentInputError("doc_bad_kind", kind=str(kind))


def document_info(kind: DocumentKind, data: DocumentData, *, reprint_at: dt.datetime | None = None,
                  demo: bool = False) -> DocumentInfo:
    """The fingerprint record of a document, without rendering it."""
    if isinstance(data, SheetBundle):
        return bundle_info(data, signed=kind is DocumentKind.SHEET_SIGNED, reprint_at=reprint_at, demo=demo)
    if isinstance(data, PayoutSheetData):
        return sheet_info(data, signed=kind is DocumentKind.SHEET_SIGNED, reprint_at=reprint_at, demo=demo)
    if isinstance(data, ReceiptData):
        return receipt_info(data, reprint_at=reprint_at, demo=demo)
    if isinstance(data, MinutesData):
        return minutes_info(data, reprint_at=reprint_at, demo=demo)
    if isinstance(data, NoticeData):
        return notice_info(data, demo=demo)
    return monthly_info(data, reprint_at=reprint_at, demo=demo)


def render(kind: DocumentKind, data: DocumentData, *, reprint_at: dt.datetime | None = None,
           demo: bool = False) -> bytes:
    if isinstance(data, SheetBundle):
        return render_bundle(data, signed=kind is DocumentKind.SHEET_SIGNED, reprint_at=reprint_at, demo=demo)
    if isinstance(data, PayoutSheetData):
        return render_payout_sheet(data, signed=kind is DocumentKind.SHEET_SIGNED, reprint_at=reprint_at, demo=demo)
    if isinstance(data, ReceiptData):
        return render_receipt(data, reprint_at=reprint_at, demo=demo)
    if isinstance(data, MinutesData):
        return render_minutes(data, reprint_at=reprint_at, demo=demo)
    if isinstance(data, NoticeData):
        return render_notice(data, demo=demo)
    return render_monthly_report(data, reprint_at=reprint_at, demo=demo)


def _slug(text: str) -> str:
    from app.domain.text import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def describe(kind: DocumentKind, data: DocumentData) -> tuple[str, str]:
    """(title in Vietnamese, file name) of a document."""
    if isinstance(data, (PayoutSheetData, SheetBundle)):
        form = "bản đã ký" if kind is DocumentKind.SHEET_SIGNED else "bản trắng"
        agency = ""
        if isinstance(data, SheetBundle) and data.sections:
            agency = " — " + ", ".join(section.agency_name for section in data.sections)
        elif isinstance(data, PayoutSheetData) and data.agency:
            agency = f" — {data.agency_name}"
        return (f"Danh sách chi trả ({form}){agency} — {data.place.point_name}, {fmt_date(data.day)}",
                f"danh-sach-chi-tra-{_slug(data.place.point_name)}-{data.day.isoformat()}-"
                f"{'da-ky' if kind is DocumentKind.SHEET_SIGNED else 'ban-trang'}"
                f"{'-' + _slug(data.agency_name) if isinstance(data, PayoutSheetData) and data.agency else ''}.pdf")
    if isinstance(data, ReceiptData):
        numbers = ", ".join(str(mark.receipt_no) for mark in data.payments)
        files = "-".join(str(mark.receipt_no) for mark in data.payments)
        return (f"Biên nhận số {numbers} ngày {fmt_date(data.session_day)} — {data.full_name}",
                f"bien-nhan-{data.session_day.isoformat()}-so-{files}-{_slug(data.full_name)}.pdf")
    if isinstance(data, MinutesData):
        return (f"Biên bản đối chiếu cuối ngày — {data.place.point_name}, {fmt_date(data.session.day)}",
                f"bien-ban-cuoi-ngay-{_slug(data.place.point_name)}-{data.session.day.isoformat()}.pdf")
    if isinstance(data, NoticeData):
        return (f"Thông báo công khai — {data.place.point_name}, kỳ {display_period(data.period)}",
                f"thong-bao-{_slug(data.place.point_name)}-{data.period}.pdf")
    return (f"Báo cáo tháng {display_period(data.period)} — {data.place.commune}",
            f"bao-cao-thang-{_slug(data.place.commune)}-{data.period}.pdf")


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


REPRINT_MARK = "BẢN IN LẠI"


def make_document(source: ReportSource, request: DocumentRequest, *,
                  data: DocumentData | None = None) -> RenderedDocument:
    """Gather, render and name one document — the single call behind every print, preview and save button.

    ``data`` is the document's input when the caller has already gathered it (to look up whether it was printed
    before, see ``app.store.printing``). The public notice carries no reprint mark: posting several copies is normal.
    """
    if data is None:
        data = gather(source, request)
    demo = source.is_demo
    info = document_info(request.kind, data, reprint_at=request.reprint_at, demo=demo)
    pdf = render(request.kind, data, reprint_at=request.reprint_at, demo=demo)
    title, filename = describe(request.kind, data)
    if info.reprint_at is not None:
        title = f"{title} — {REPRINT_MARK}"
    sections: tuple[tuple[str, str], ...] = ()
    if isinstance(data, SheetBundle):
        sections = tuple((section.agency_name, sheet_info(section, signed=request.kind is DocumentKind.SHEET_SIGNED)
                          .fingerprint or "") for section in data.sections)
    return RenderedDocument(request.kind, pdf, page_count(pdf), info.fingerprint, filename, title,
                            dict(info.locator), info.reprint_at, sections)


def request_for(kind: str, locator: Mapping[str, Any], options: Mapping[str, Any] | None = None) -> DocumentRequest:
    """The request that rebuilds a document from its locator (metadata or QR text)."""
    options = options or {}
    try:
        doc_kind = DocumentKind(kind)
    except ValueError:
        raise DocumentInputError("doc_bad_kind", kind=kind) from None
    day = locator.get("day")
    agency = locator.get("agency")
    payments = tuple(str(locator.get("payment") or "").split(","))
    return DocumentRequest(
        doc_kind,
        # a sheet's locator without an agency is a whole-point-day sheet printed before sheets were per agency
        agency=None if agency == ALL_AGENCIES else str(agency or ""),
        payment_ids=payments if len(payments) > 1 else (),
        point_id=locator.get("point") or None,
        day=dt.date.fromisoformat(day) if day else None,
        period=locator.get("period") or None,
        session_id=locator.get("session") or None,
        payment_id=payments[0] or None,
        commune_code=locator.get("commune") or None,
        contact=str(options.get("contact") or ""),
        show_regimes=bool(options.get("regimes")),
        show_amounts=bool(options.get("amounts")),
        by_agency=bool(options.get("agencies")),
    )


def with_printed_at(data: DocumentData, printed_at: dt.datetime) -> DocumentData:
    if isinstance(data, SheetBundle):
        return SheetBundle(tuple(replace(section, printed_at=printed_at) for section in data.sections),
                           replace(data.whole, printed_at=printed_at))
    return replace(data, printed_at=printed_at)


# --- a file of several sheets (one per agency) --------------------------------------------------------------------


def bundle_info(data: SheetBundle, *, signed: bool, reprint_at: dt.datetime | None = None, demo: bool = False,
                pages: Sequence[int] = ()) -> DocumentInfo:
    """The record of a file holding a point-day's sheets, one per agency: it commits to each section's fingerprint;
    ``pages`` (each section's page count, known once rendered) lists the sections in the file's metadata."""
    if not data.sections:  # no agency's line at all: the file is the empty whole sheet, as before
        return sheet_info(data.whole, signed=signed, reprint_at=reprint_at, demo=demo)
    infos = [sheet_info(section, signed=signed, reprint_at=reprint_at, demo=demo) for section in data.sections]
    journal = bundle_journal([section.journal for section in data.sections], data.whole.journal.device_id)
    kind = DocumentKind.SHEET_SIGNED.value if signed else DocumentKind.SHEET_BLANK.value
    locator = {**sheet_locator(data.whole), "agency": ALL_AGENCIES}
    sections = tuple(zip(pages, infos, strict=True)) if pages else ()
    return DocumentInfo(kind, locator, content_hash(bundle_content([info.fingerprint for info in infos])), journal,
                        data.printed_at, reprint_at, demo, sections=sections)


def render_bundle(data: SheetBundle, *, signed: bool, reprint_at: dt.datetime | None = None,
                  demo: bool = False) -> bytes:
    """Each agency's sheet rendered on its own (its pages, totals, fingerprint and QR code), then put into one file
    whose metadata lists the sections, so the teller prints every agency's voucher at once and each verifies."""
    parts = [render_payout_sheet(section, signed=signed, reprint_at=reprint_at, demo=demo) for section in data.sheets]
    if len(parts) == 1 and not data.sections:
        return parts[0]  # no agency's line at all: the empty whole sheet, as before
    readers = [PdfReader(io.BytesIO(part)) for part in parts]
    info = bundle_info(data, signed=signed, reprint_at=reprint_at, demo=demo,
                       pages=[len(reader.pages) for reader in readers])
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    writer.add_metadata({
        "/Title": nfc(describe(DocumentKind.SHEET_SIGNED if signed else DocumentKind.SHEET_BLANK, data)[0]),
        "/Author": "Payout Desk",
        "/Creator": "Payout Desk",
        "/Subject": nfc("Danh sách chi trả theo cơ quan: " + "; ".join(
            f"{section.agency_name} — mã xác thực {format_fingerprint(code.fingerprint or '')}"
            for section, (_pages, code) in zip(data.sections, info.sections, strict=True))),
        "/Keywords": info.to_metadata(),
    })
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
