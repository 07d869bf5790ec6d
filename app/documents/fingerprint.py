"""Document fingerprints: what a printed page commits to, and how it is written into the PDF.

A fingerprint names one document's content *and* the stretch of the journal it was made from:

    content_hash = sha256( canonical_json(content) )              # the rows / figures as printed (see *_content)
    fingerprint  = sha256( canonical_json({
                       "v": 1, "kind": kind, "locator": locator,   # which document (point + day, payment, ...)
                       "content": content_hash,
                       "journal": {"device": device_id, "first": first_seq, "last": last_seq, "hash": last_hash},
                   }) )[:16], upper-case hex, printed as four groups "3F2A-9C01-77BE-0D4E"

``canonical_json`` is the journal's own encoding (NFC, sorted keys, integers only), so the same data always gives
the same hash on any machine. The journal range is the first and last sequence number of the entries the document
depends on (sessions opened/closed, payments, their reversals) and the chain hash of the last one, which commits to
the whole journal before it: a restored or forked journal gives another fingerprint even with equal numbers.
Printing time and the reprint mark are *not* part of it, so a reprint carries the same fingerprint as the original.

64 bits are enough for what the code is for — a person comparing a paper with the journal, or a scanner reading the
QR code; the full content hash travels in the PDF's metadata. The QR code holds a *locator* text
(``PD1|kind|fingerprint|k=v;...``) so that a scan finds the document without a search.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.documents.data import (
    DocumentKind,
    JournalRange,
    MinutesData,
    MonthlyReportData,
    PayoutSheetData,
    ReceiptData,
)
from app.domain.journal import canonical_json, format_timestamp, parse_timestamp

__all__ = [
    "FINGERPRINT_VERSION",
    "DocumentInfo",
    "fingerprint",
    "format_fingerprint",
    "normalise_fingerprint",
    "sheet_content",
    "receipt_content",
    "minutes_content",
    "monthly_content",
    "content_hash",
    "bundle_content",
    "bundle_journal",
    "qr_text",
    "parse_qr_text",
    "METADATA_PREFIX",
]

FINGERPRINT_VERSION = 1
METADATA_PREFIX = "payout-desk-document:"
_QR_PREFIX = "PD1"
_FP_RE = re.compile(r"^[0-9A-F]{16}$")


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _journal(journal: JournalRange) -> dict[str, Any]:
    return {"device": journal.device_id, "first": journal.first_seq, "last": journal.last_seq,
            "hash": journal.last_hash}


def fingerprint(kind: str, locator: Mapping[str, Any], content_sha: str, journal: JournalRange) -> str:
    """The 16-hex-digit fingerprint (upper case, no dashes) of a document; see the module docstring."""
    material = {
        "v": FINGERPRINT_VERSION,
        "kind": kind,
        "locator": dict(locator),
        "content": content_sha,
        "journal": _journal(journal),
    }
    return hashlib.sha256(canonical_json(material)).hexdigest()[:16].upper()


def format_fingerprint(code: str) -> str:
    """``3F2A9C0177BE0D4E`` → ``3F2A-9C01-77BE-0D4E`` (easier to read aloud and compare)."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_fingerprint(text: str) -> str | None:
    """A fingerprint typed by a person (any case, with or without dashes/spaces), or None if it is not one."""
    cleaned = re.sub(r"[\s\-–.]", "", text).upper()
    return cleaned if _FP_RE.match(cleaned) else None


# --- what each document commits to ----------------------------------------------------------------------------------


def sheet_content(data: PayoutSheetData, signed: bool) -> dict[str, Any]:
    """The rows of a payout sheet as printed: person, category, every line (key, amount, paying entry), the payments
    (entry id and chain hash, which commit to recipient, evidence and signature digest), totals."""
    rows = []
    total = paid = 0
    for person in data.rows(signed):
        lines = [[line.key, line.amount, line.paid_by if signed else None] for line in person.lines]
        total += sum(line.amount for line in person.lines)
        paid += sum(line.amount for line in person.lines if signed and line.paid_by)
        rows.append(
            {
                "record": person.record_code,
                "name": person.full_name,
                "category": person.category,
                "lines": lines,
                "payments": [[mark.entry_id, mark.entry_hash] for mark in person.payments] if signed else [],
                "hint": "" if signed else person.hint,
            }
        )
    content: dict[str, Any] = {
        "doc": DocumentKind.SHEET_SIGNED.value if signed else DocumentKind.SHEET_BLANK.value,
        "place": [data.place.province, data.place.commune, data.place.point_id, data.place.point_name],
        "day": data.day.isoformat(),
        "period": data.period,
        "rows": rows,
        "total": total,
        "paid": paid,
    }
    if data.agency:  # additive: a whole-point-day sheet printed before sheets were per agency keeps its fingerprint
        content["agency"] = data.agency
    return content


def bundle_content(fingerprints: Sequence[str | None]) -> dict[str, Any]:
    """A file of several sheets (one per agency) commits to its sections' fingerprints, in their order."""
    return {"doc": "sheets", "sections": [code or "" for code in fingerprints]}


def bundle_journal(journals: Sequence[JournalRange], device_id: str) -> JournalRange:
    """The journal range a file of several sheets covers: from the first entry of any to the last of any (whose
    chain hash commits to every entry before it)."""
    used = [journal for journal in journals if journal.last_seq]
    if not used:
        return JournalRange(device_id)
    last = max(used, key=lambda journal: journal.last_seq)
    return JournalRange(last.device_id, min(journal.first_seq for journal in used), last.last_seq, last.last_hash)


def receipt_content(data: ReceiptData) -> dict[str, Any]:
    if data.visit:  # the receipt of a visit: every payment of it, each with its chain hash
        return {
            "doc": DocumentKind.RECEIPT.value,
            "payments": [[mark.entry_id, mark.entry_hash] for mark in data.visit],
            "record": data.record_code,
            "name": data.full_name,
            "lines": [[line.key, line.amount] for line in data.lines],
            "total": data.total,
            "reversals": [item.entry_id for item in data.reversals],
        }
    return {
        "doc": DocumentKind.RECEIPT.value,
        "payment": [data.payment.entry_id, data.payment.entry_hash],
        "record": data.record_code,
        "name": data.full_name,
        "lines": [[line.key, line.amount] for line in data.lines],
        "total": data.payment.total,
        "reversal": data.reversal.entry_id if data.reversal else None,
    }


def minutes_content(data: MinutesData) -> dict[str, Any]:
    session = data.session
    content: dict[str, Any] = {
        "doc": DocumentKind.MINUTES.value,
        "session": session.session_id,
        "status": session.status.value,
        "cash_advance": session.cash_advance,
        "counted": [[value, count] for value, count in session.counted.notes] if session.counted else None,
        "difference": session.difference,
        "reason": session.difference_reason,
        "witness": session.witness,
        "paid": [[mark.entry_id, mark.entry_hash] for mark, _, _ in data.paid],
        "unpaid": [[item.record_code, item.amount, item.reason] for item in data.unpaid],
        "reversals": [[item.entry_id, item.payment_entry_id, item.amount] for item in data.reversals],
    }
    if session.witness_role:  # additive: minutes of a closure recorded without a role keep their fingerprint
        content["witness_role"] = session.witness_role
    if data.earlier:  # a reopened day (additive: the minutes of every other session keep their fingerprint)
        content["earlier"] = [
            [item.session.session_id, item.session.cash_advance, item.session.paid_total,
             item.session.counted.total if item.session.counted else None, item.session.difference, item.payments]
            for item in data.earlier
        ]
        content["reopening"] = [data.reopened_by, data.reopen_reason]
    return content


def monthly_content(data: MonthlyReportData) -> dict[str, Any]:
    return {
        "doc": DocumentKind.MONTHLY.value,
        "commune": data.place.commune_code,
        "period": data.period,
        "figures": [
            data.people_listed, data.people_paid, data.lines_listed, data.lines_paid, data.amount_listed,
            data.amount_paid, data.monthly_turns_listed, data.monthly_turns_paid, data.one_time_turns_listed,
            data.one_time_turns_paid, data.monthly_amount_paid, data.one_time_amount_paid, data.carried_in_lines,
            data.carried_in_amount, data.carried_over_lines, data.carried_over_amount, data.account_lines,
            data.account_amount, data.reversals,
        ],
        "regimes": [
            [r.programme, r.regime, r.lines_listed, r.amount_listed, r.lines_paid, r.amount_paid] for r in data.regimes
        ],
        "unpaid": [[item.record_code, item.amount, item.reason] for item in data.unpaid],
        "sessions": [[s.session.session_id, s.payments, s.paid_total] for s in data.sessions],
        # only when someone moved away: the fingerprints of every other report stay what they were
        **({"moved": [data.moved_lines, data.moved_amount,
                      [[item.record_code, item.amount, item.reason] for item in data.moved]]}
           if data.moved_lines else {}),
    }


# --- the record written into the PDF --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInfo:
    """What a rendered PDF says about itself (in its metadata): enough to find, re-derive and re-render it."""

    kind: str
    locator: Mapping[str, Any]
    content_sha: str | None
    journal: JournalRange | None
    printed_at: dt.datetime
    reprint_at: dt.datetime | None = None
    demo: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    sections: tuple[tuple[int, DocumentInfo], ...] = ()
    """A file of several documents (the sheets of a point-day, one per agency): each section's page count and
    record, in page order. The file's own record then names the whole (``bundle_content``)."""

    @property
    def fingerprint(self) -> str | None:
        if self.content_sha is None or self.journal is None:
            return None
        return fingerprint(self.kind, self.locator, self.content_sha, self.journal)

    def to_metadata(self) -> str:
        return METADATA_PREFIX + json.dumps(self._record(), ensure_ascii=True, sort_keys=True, separators=(",", ":"))

    def _record(self) -> dict[str, Any]:
        record = {
            "v": FINGERPRINT_VERSION,
            "kind": self.kind,
            "locator": dict(self.locator),
            "content": self.content_sha,
            "journal": _journal(self.journal) if self.journal else None,
            "fingerprint": self.fingerprint,
            "printed_at": format_timestamp(self.printed_at),
            "reprint_at": format_timestamp(self.reprint_at) if self.reprint_at else None,
            "demo": self.demo,
            "options": dict(self.options),
        }
        if self.sections:  # additive: a one-document file's record is as it always was
            record["sections"] = [{"pages": pages, "record": info._record()} for pages, info in self.sections]
        return record

    @classmethod
    def from_metadata(cls, text: str) -> tuple[DocumentInfo, str | None]:
        """Parse what ``to_metadata`` wrote; returns the info and the fingerprint the file *claims*.

        Raises ValueError when the text is not a Payout Desk document record.
        """
        if not text.startswith(METADATA_PREFIX):
            raise ValueError("not a Payout Desk document")
        try:
            record = json.loads(text[len(METADATA_PREFIX):])
        except ValueError as error:
            raise ValueError(f"damaged document record: {error}") from None
        return cls._from_record(record)

    @classmethod
    def _from_record(cls, record: Any) -> tuple[DocumentInfo, str | None]:
        try:
            journal = record.get("journal")
            sections = []
            for item in record.get("sections") or ():
                # a section's own claim is not needed: the file's fingerprint commits to the sections' records
                section, _claimed = cls._from_record(item["record"])
                sections.append((int(item["pages"]), section))
            info = cls(
                kind=str(record["kind"]),
                locator=dict(record["locator"]),
                content_sha=record.get("content"),
                journal=(
                    JournalRange(str(journal["device"]), int(journal["first"]), int(journal["last"]),
                                 str(journal["hash"]))
                    if journal
                    else None
                ),
                printed_at=parse_timestamp(record["printed_at"]),
                reprint_at=parse_timestamp(record["reprint_at"]) if record.get("reprint_at") else None,
                demo=bool(record.get("demo")),
                options=dict(record.get("options") or {}),
                sections=tuple(sections),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"damaged document record: {error}") from None
        return info, record.get("fingerprint")


def qr_text(kind: str, code: str, locator: Mapping[str, Any]) -> str:
    """The QR code's text: ``PD1|kind|FINGERPRINT|key=value;...`` (ASCII, short enough for a small code)."""
    parts = ";".join(f"{key}={locator[key]}" for key in sorted(locator) if locator[key] not in (None, ""))
    return f"{_QR_PREFIX}|{kind}|{code}|{parts}"


def parse_qr_text(text: str) -> tuple[str, str, dict[str, str]] | None:
    """(kind, fingerprint, locator) from a scanned QR text, or None when it is not ours."""
    parts = text.strip().split("|")
    if len(parts) != 4 or parts[0] != _QR_PREFIX:
        return None
    code = normalise_fingerprint(parts[2])
    if code is None:
        return None
    locator: dict[str, str] = {}
    for item in filter(None, parts[3].split(";")):
        key, sep, value = item.partition("=")
        if not sep:
            return None
        locator[key] = value
    return parts[1], code, locator
