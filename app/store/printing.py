"""What was printed: a log of every document printed or saved, so that a second print is marked "BẢN IN LẠI".

Why. Paper is the legal evidence in the field, and a second paper copy of a payout sheet or a receipt must be told
apart from the original. Documents themselves (``app.documents``) hold no state; this service remembers what left the
device — from the desktop's Print and Save buttons and from the CLI's ``print`` — in ``printed_documents``, an
operational log beside the journal (not part of the money chain), append-only like the journal.

What counts as "the same document": the same **kind and locator** — the locator being the document's identity in its
fingerprint (point + day + period for a sheet, the payment for a receipt, the session for the minutes, commune + month
for the monthly report, point + period for the notice). Content does *not* count: a signed sheet printed again after
more payments were made is still a reprint of that point's sheet for that day (its fingerprint differs, and both
fingerprints are in the log). The blank and the signed sheet are different kinds, so the signed sheet printed after
the blank one is a first print. Saving as PDF counts as a print (the file is a copy that can be printed anywhere).
The public notice is logged but never marked (posting several copies is normal; it has no fingerprint: logged as "").
A reprint keeps its fingerprint: printing time and the reprint mark are not part of it (``app.documents.fingerprint``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Mapping

from app.documents.api import DocumentRequest, RenderedDocument, document_info, gather, make_document
from app.documents.data import DocumentKind
from app.domain.journal import canonical_json, format_timestamp, parse_timestamp
from app.store import database
from app.store.sql import sql

if TYPE_CHECKING:
    from app.store.store import Store

__all__ = ["HOW", "PrintRecord", "PrintingService", "locator_text", "prepare_document", "print_document",
           "record_output"]

HOW = ("printed", "saved", "cli")
"""How a document left the device: the desktop's print dialog, the desktop's Save as PDF, the CLI's ``print``."""


def locator_text(locator: Mapping[str, Any] | str) -> str:
    """The stored form of a locator: its canonical JSON (sorted keys, NFC), so equal locators are equal texts."""
    if isinstance(locator, str):
        return locator
    return canonical_json(dict(locator)).decode("utf-8")


def _kind(kind: DocumentKind | str) -> str:
    return kind.value if isinstance(kind, DocumentKind) else DocumentKind(kind).value


@dataclass(frozen=True)
class PrintRecord:
    print_id: int
    fingerprint: str
    kind: str
    locator: str
    printed_at: dt.datetime
    staff: str
    how: str


class PrintingService:
    def __init__(self, store: "Store") -> None:
        self.store = store

    def first_print(self, kind: DocumentKind | str, locator: Mapping[str, Any] | str) -> dt.datetime | None:
        """When the document with this kind and locator was first printed or saved, or None if never (see the module
        docstring for what counts as the same document)."""
        with database.read(self.store.engine) as conn:
            value = conn.execute(
                sql("SELECT printed_at FROM printed_documents WHERE kind = :k AND locator = :l "
                    "ORDER BY print_id LIMIT 1"),
                {"k": _kind(kind), "l": locator_text(locator)},
            ).scalar()
        return parse_timestamp(value) if value else None

    def record(self, fingerprint: str | None, kind: DocumentKind | str, locator: Mapping[str, Any] | str, staff: str,
               how: str) -> PrintRecord:
        """Append one print (or save) to the log, at the store's clock's time."""
        if how not in HOW:
            raise ValueError(f"how must be one of {HOW}, not {how!r}")
        moment = self.store.clock()
        values = {"f": fingerprint or "", "k": _kind(kind), "l": locator_text(locator), "t": format_timestamp(moment),
                  "s": staff, "h": how}
        with database.write(self.store.engine) as conn:
            print_id = conn.execute(
                sql("INSERT INTO printed_documents (fingerprint, kind, locator, printed_at, staff, how) "
                    "VALUES (:f, :k, :l, :t, :s, :h) RETURNING print_id"),
                values,
            ).scalar_one()
        return PrintRecord(print_id, values["f"], values["k"], values["l"], parse_timestamp(values["t"]), staff, how)

    def prints(self, kind: DocumentKind | str, locator: Mapping[str, Any] | str) -> list[PrintRecord]:
        """Every print of one document, oldest first."""
        with database.read(self.store.engine) as conn:
            rows = conn.execute(
                sql("SELECT print_id, fingerprint, kind, locator, printed_at, staff, how FROM printed_documents "
                    "WHERE kind = :k AND locator = :l ORDER BY print_id"),
                {"k": _kind(kind), "l": locator_text(locator)},
            ).all()
        return [PrintRecord(r[0], r[1], r[2], r[3], parse_timestamp(r[4]), r[5], r[6]) for r in rows]


def prepare_document(store: "Store", request: DocumentRequest) -> RenderedDocument:
    """Make a document, marked "BẢN IN LẠI" (with the time now) when the same document was printed before.

    Nothing is recorded: the desktop previews with this and records only once the teller prints or saves. A
    ``reprint_at`` already set on the request (the CLI's ``--reprint``) is kept.
    """
    source = store.reports
    data = gather(source, request)
    if request.reprint_at is None:
        locator = document_info(request.kind, data).locator
        if store.printing.first_print(request.kind, locator) is not None:
            request = replace(request, reprint_at=store.clock())
    return make_document(source, request, data=data)


def record_output(store: "Store", document: RenderedDocument, staff: str, how: str) -> PrintRecord:
    """Log that ``document`` was printed or saved (call it after the print dialog was accepted / the file written)."""
    return store.printing.record(document.fingerprint, document.kind, document.locator, staff, how)


def print_document(store: "Store", request: DocumentRequest, staff: str, how: str,
                   output: Callable[[RenderedDocument], object] | None = None) -> RenderedDocument:
    """Make a document for output and log it: the second and later prints of the same document are marked.

    ``output`` (e.g. writing the file) runs between making and logging, so a print that failed is not logged.
    """
    document = prepare_document(store, request)
    if output is not None:
        output(document)
    record_output(store, document, staff, how)
    return document
