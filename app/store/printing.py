"""What was printed: a log of every document printed or saved, so that a second paper copy is marked "BẢN IN LẠI".

Why. Paper is the legal evidence in the field, and a second paper copy of a payout sheet or a receipt must be told
apart from the original. Documents themselves (``app.documents``) hold no state; this service remembers what left the
device — from the desktop's Print and Save buttons and from the CLI's ``print`` — in ``printed_documents``, an
operational log beside the journal (not part of the money chain), append-only like the journal.

What counts as "the same document": the same **fingerprint** — the same rows, figures and journal entries
(``app.documents.fingerprint``; printing time and the reprint mark are not part of it, so a reprint keeps it). A
signed sheet made in the evening, after more payments, is another document than the one made at midday, and is
never marked because of it.

What counts as "printed": handed over on paper, or made for paper. The desktop's print dialog accepted is a print;
the command line's ``print`` is too (it exists to make the file that goes to the printer, and has no preview). The
desktop's **Save as PDF** is not: a file kept on the laptop hands nothing to anyone, so a receipt saved as PDF and
then printed on paper is a first print. A document whose fingerprint was printed before is marked whichever way it
leaves again (printed, or saved — the saved copy is a copy of a paper already handed over). Previews record nothing.
The public notice is logged but never marked (posting several copies is normal; it has no fingerprint: logged as "").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

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
ON_PAPER = ("printed", "cli")
"""The ways that count as printing (see the module docstring): a later output of the same fingerprint is a reprint."""


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
    def __init__(self, store: Store) -> None:
        self.store = store

    def first_print(self, fingerprint: str | None) -> dt.datetime | None:
        """When the document with this fingerprint was first printed (``ON_PAPER``), or None if never — saving it as
        PDF does not count (see the module docstring)."""
        if not fingerprint:
            return None
        with database.read(self.store.engine) as conn:
            value = conn.execute(
                sql("SELECT printed_at FROM printed_documents WHERE fingerprint = :f AND how IN ('printed', 'cli') "
                    "ORDER BY print_id LIMIT 1"),
                {"f": fingerprint},
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


def prepare_document(store: Store, request: DocumentRequest) -> RenderedDocument:
    """Make a document, marked "BẢN IN LẠI" (with the time now) when the same fingerprint was printed before.

    Nothing is recorded: the desktop previews with this and records only once the teller prints or saves. A
    ``reprint_at`` already set on the request (the CLI's ``--reprint``) is kept.
    """
    source = store.reports
    data = gather(source, request)
    if request.reprint_at is None:
        fingerprint = document_info(request.kind, data).fingerprint
        if store.printing.first_print(fingerprint) is not None:
            request = replace(request, reprint_at=store.clock())
    return make_document(source, request, data=data)


def record_output(store: Store, document: RenderedDocument, staff: str, how: str) -> PrintRecord:
    """Log that ``document`` was printed or saved (call it after the print dialog was accepted / the file written)."""
    return store.printing.record(document.fingerprint, document.kind, document.locator, staff, how)


def print_document(store: Store, request: DocumentRequest, staff: str, how: str,
                   output: Callable[[RenderedDocument], object] | None = None) -> RenderedDocument:
    """Make a document for output and log it: the second and later prints of the same document are marked.

    ``output`` (e.g. writing the file) runs between making and logging, so a print that failed is not logged.
    """
    document = prepare_document(store, request)
    if output is not None:
        output(document)
    record_output(store, document, staff, how)
    return document
