"""The inputs of every printed document: frozen domain values, gathered by ``app.store.reports.ReportService``.

Documents never query anything: each ``...Data`` holds exactly what its pages show (and the journal range it covers,
for the fingerprint), so the same value renders the same PDF and can be built in tests without a store.
Money is ``int`` VND; times are timezone-aware UTC instants, shown in the province's time zone (``Place.clock``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.clock import DEFAULT_TIME_ZONE, ProvinceTime
from app.domain.journal import GENESIS_HASH
from app.domain.model import (
    DEFAULT_PROGRAMME,
    BackEntry,
    EvidenceKind,
    IdentityCheck,
    LineKind,
    PayoutSession,
    Recipient,
    RecipientKind,
    ScheduleSlot,
)

__all__ = [
    "DocumentKind",
    "AmountGroup",
    "amount_group",
    "Place",
    "JournalRange",
    "LineItem",
    "PaymentMark",
    "SheetPerson",
    "PayoutSheetData",
    "ReceiptData",
    "ReversalItem",
    "UnpaidItem",
    "EarlierSession",
    "EvidenceCounts",
    "MinutesData",
    "NoticePerson",
    "NoticeData",
    "RegimeFigure",
    "MonthlyReportData",
    "SessionSummary",
    "ReceiptLine",
    "AgencyFigure",
    "SheetBundle",
    "agency_totals",
]


class DocumentKind(StrEnum):
    """The printable documents; the values are the CLI's ``print KIND`` names."""

    SHEET_BLANK = "sheet-blank"
    SHEET_SIGNED = "sheet-signed"
    RECEIPT = "receipt"
    MINUTES = "minutes"
    NOTICE = "notice"
    MONTHLY = "monthly"


class AmountGroup(StrEnum):
    """The three amount columns of a payout sheet."""

    MONTHLY = "monthly"  # recurring lines of the preferential-allowance programme
    ONE_TIME = "one_time"  # one-time, arrears and death-related lines of that programme
    OTHER = "other"  # every line of another programme (pension, social assistance...)


def amount_group(programme: str, kind: LineKind) -> AmountGroup:
    if programme != DEFAULT_PROGRAMME:
        return AmountGroup.OTHER
    return AmountGroup.MONTHLY if kind is LineKind.RECURRING else AmountGroup.ONE_TIME


@dataclass(frozen=True, slots=True)
class Place:
    """Where a document belongs: province, commune and (for point documents) the payout point."""

    province: str
    commune: str
    commune_code: str
    point_id: str = ""
    point_name: str = ""
    point_address: str = ""
    district: str | None = None
    time_zone: str = DEFAULT_TIME_ZONE
    """The province's time zone (IANA name): every time on the document is shown in it."""

    @property
    def clock(self) -> ProvinceTime:
        return ProvinceTime(self.time_zone)


@dataclass(frozen=True, slots=True)
class JournalRange:
    """The journal entries a document covers: first and last sequence number and the chain hash of the last.

    The last hash commits to every entry up to it (the chain), so a restored or forked journal gives another range
    even at the same sequence numbers. ``first_seq == last_seq == 0`` with the genesis hash when no entry is covered.
    """

    device_id: str
    first_seq: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH


@dataclass(frozen=True, slots=True)
class LineItem:
    """One entitlement line as printed; ``paid_by`` is the entry id of the payment that settled it (if any)."""

    key: str
    period: str
    programme: str
    regime: str
    regime_name: str
    kind: LineKind
    amount: int
    paid_by: str | None = None

    @property
    def group(self) -> AmountGroup:
        return amount_group(self.programme, self.kind)


@dataclass(frozen=True, slots=True)
class PaymentMark:
    """A committed payment as documents show it, with the signature strokes (PDS1) when signed on screen."""

    entry_id: str
    seq: int
    entry_hash: str
    recorded_at: dt.datetime
    total: int
    recipient: Recipient
    evidence: EvidenceKind
    identity_check: IdentityCheck
    staff: str
    strokes: bytes = b""
    witness: str = ""
    reason: str = ""
    back_entry: BackEntry | None = None
    line_keys: tuple[str, ...] = ()
    receipt_no: int = 0
    """The receipt number of its payout day (``Payment.receipt_no``): what the teller says aloud, what paper shows."""
    paid_lines: tuple[tuple[str, int], ...] = ()
    """(programme, amount) of each line it paid, in its order: what it paid per agency (``agency_of(programme)``)."""

    @property
    def by_proxy(self) -> bool:
        return self.recipient.kind is not RecipientKind.SELF


@dataclass(frozen=True, slots=True)
class SheetPerson:
    """One row of a payout sheet: the person, their lines on this sheet and the payments made for them here.

    ``hint`` is what the blank form prints in the recipient column before anyone came (the recorded family
    representative of a deceased person, or a valid authorisation on file).
    """

    record_code: str
    full_name: str
    category: str
    category_name: str
    lines: tuple[LineItem, ...]
    payments: tuple[PaymentMark, ...] = ()
    birth_year: int | None = None
    village: str | None = None
    hint: str = ""


@dataclass(frozen=True, slots=True)
class NotPayableLine:
    """A line of the point's list that cannot be paid as listed, with why in words (``app.domain.rules``)."""

    record_code: str
    full_name: str
    regime_name: str
    amount: int
    reason: str


@dataclass(frozen=True)
class SheetReconciliation:
    """The point's part of the list reconciled with the sheet (issue 11, point 4):

        listed = on this sheet + paid before or elsewhere + paid to accounts + cannot be paid as listed

    ``listed``: the lines of the kept list (up to the sheet's month) of the people listed at the point; the lines
    that cannot be paid as listed are named by person with their reason. Derived from the kept list and the journal
    range the sheet already commits to, so it is not part of the sheet's fingerprint content."""

    listed_lines: int
    listed_amount: int
    on_sheet_lines: int
    on_sheet_amount: int
    settled_lines: int
    settled_amount: int
    account_lines: int
    account_amount: int
    not_payable: tuple[NotPayableLine, ...] = ()

    @property
    def not_payable_amount(self) -> int:
        return sum(item.amount for item in self.not_payable)

    @property
    def balanced(self) -> bool:
        return (self.on_sheet_lines + self.settled_lines + self.account_lines + len(self.not_payable)
                == self.listed_lines
                and self.on_sheet_amount + self.settled_amount + self.account_amount + self.not_payable_amount
                == self.listed_amount)


@dataclass(frozen=True, slots=True)
class PayoutSheetData:
    """Everything a payout sheet (danh sách chi trả) of one point and day shows, in both forms.

    ``people`` holds every line due at the point in ``period`` that is unpaid or was paid in this point's sessions of
    that day; the blank form prints only the unpaid ones, the signed form all of them.
    """

    place: Place
    day: dt.date
    period: str
    people: tuple[SheetPerson, ...]
    journal: JournalRange
    printed_at: dt.datetime
    session_ids: tuple[str, ...] = ()
    teller: str = ""
    officer: str = ""
    officer_role: str = ""
    """The witness named when the day was closed, and in what role ("Cán bộ UBND xã", "Trưởng thôn" …)."""

    reconciliation: SheetReconciliation | None = None
    """The point's part of the list reconciled with the sheet (printed on the blank form's last page)."""
    agency: str = ""
    """The agency whose lines this sheet holds (issue 12: each agency gets its own voucher); "" is the whole
    point-day in one table — the form printed before sheets were per agency, kept so those papers still verify."""
    agency_name: str = ""
    programme_names: tuple[str, ...] = ()
    """The agency's programmes as the sheet's heading names them ("Lương hưu, trợ cấp BHXH")."""
    main_programme: str = ""
    """The agency's first programme: its lines fill the monthly and one-time columns, any other the third."""
    agencies: tuple[str, ...] = ()
    """The agencies whose lines the point-day has (every agency with a line listed at the point or paid there), in
    the policy's order: one sheet each. Not part of the fingerprint (it is derived from the rows)."""

    def rows(self, signed: bool) -> tuple[SheetPerson, ...]:
        """The rows a form prints: every person (signed), or only unpaid lines and their people (blank)."""
        if signed:
            return tuple(person for person in self.people if person.lines)
        rows = []
        for person in self.people:
            unpaid = tuple(line for line in person.lines if line.paid_by is None)
            if unpaid:
                rows.append(replace(person, lines=unpaid, payments=()))
        return tuple(rows)


@dataclass(frozen=True)
class SheetBundle:
    """The payout sheets of one point and day, one per agency, printed as one file: each section is a whole
    sheet — its own heading, page numbers, totals, fingerprint and QR code — so each agency's voucher can be handed
    to that agency and verified on its own (``verify-document`` checks every section of the file)."""

    sections: tuple[PayoutSheetData, ...]
    whole: PayoutSheetData
    """The point-day as one sheet (``agency`` ""): its place, day and period name the bundle, and it stands in when
    the point-day has no line at all (an empty sheet)."""

    @property
    def place(self) -> Place:
        return self.whole.place

    @property
    def day(self) -> dt.date:
        return self.whole.day

    @property
    def period(self) -> str:
        return self.whole.period

    @property
    def printed_at(self) -> dt.datetime:
        return self.whole.printed_at

    @property
    def sheets(self) -> tuple[PayoutSheetData, ...]:
        """What is printed: one sheet per agency, or the whole (empty) sheet when there is no agency's line."""
        return self.sections or (self.whole,)


@dataclass(frozen=True, slots=True)
class AgencyFigure:
    """What one agency's lines add up to in a document: lines, people (records) and amount; ``listed_*`` where the
    document also shows what the list held."""

    agency: str
    name: str
    lines: int
    people: int
    amount: int
    listed_lines: int = 0
    listed_amount: int = 0
    turns_listed: int = 0
    turns_paid: int = 0


def agency_totals(lines: Iterable[tuple[str, str, int]], names: Mapping[str, str],
                  order: Sequence[str]) -> tuple[AgencyFigure, ...]:
    """Figures per agency from (agency, record code, amount) per line, in ``order`` (the policy's agencies, unknown
    ones after by code): what the minutes, the receipt and the close-day screen print per agency."""
    amounts: dict[str, int] = {}
    counts: dict[str, int] = {}
    people: dict[str, set[str]] = {}
    for agency, record_code, amount in lines:
        amounts[agency] = amounts.get(agency, 0) + amount
        counts[agency] = counts.get(agency, 0) + 1
        people.setdefault(agency, set()).add(record_code)
    ranked = sorted(amounts, key=lambda code: (order.index(code) if code in order else len(order), code))
    return tuple(AgencyFigure(code, names.get(code, code), counts[code], len(people[code]), amounts[code])
                 for code in ranked)


@dataclass(frozen=True, slots=True)
class ReversalItem:
    """A reversal entry with the payment it corrects."""

    entry_id: str
    seq: int
    recorded_at: dt.datetime
    payment_entry_id: str
    payment_seq: int
    record_code: str
    full_name: str
    amount: int
    reason: str
    supervisor: str
    payment_receipt: int = 0
    """The reversed payment's receipt number."""


@dataclass(frozen=True, slots=True)
class ReceiptData:
    """A receipt (biên nhận) for one payment."""

    place: Place
    record_code: str
    full_name: str
    category_name: str
    payment: PaymentMark
    lines: tuple[LineItem, ...]
    teller: str
    session_day: dt.date
    period: str
    journal: JournalRange
    printed_at: dt.datetime
    birth_year: int | None = None
    village: str | None = None
    reversal: ReversalItem | None = None
    visit: tuple[PaymentMark, ...] = ()
    """A receipt of one visit (issue 12): every payment committed together for the person — one per record, so
    per agency — with ``payment`` the first of them; empty for the receipt of one payment."""
    reversals: tuple[ReversalItem, ...] = ()
    """The reversals of a visit's payments (``reversal`` stays the one of a single payment)."""
    agencies: tuple[tuple[str, str], ...] = ()
    """(agency code, agency name) of each line, in the order of ``lines``: the receipt groups its lines by agency."""

    @property
    def payments(self) -> tuple[PaymentMark, ...]:
        return self.visit or (self.payment,)

    @property
    def total(self) -> int:
        return sum(payment.total for payment in self.payments)


@dataclass(frozen=True, slots=True)
class UnpaidItem:
    """A person (or line) not paid, with the amount and why."""

    record_code: str
    full_name: str
    amount: int
    reason: str
    village: str | None = None
    lines: int = 1


@dataclass(frozen=True, slots=True)
class EvidenceCounts:
    signature: int = 0
    thumbprint: int = 0
    paper: int = 0
    proxy: int = 0
    representative: int = 0
    back_entries: int = 0


@dataclass(frozen=True, slots=True)
class EarlierSession:
    """A session closed earlier the same day at the same point, printed in the minutes of the session that reopened
    the day: its advance, what it paid (standing payments, people), its count and difference, when and by whom it was
    closed."""

    session: PayoutSession
    payments: int
    people: int
    closed_at: dt.datetime | None
    closed_by: str


@dataclass(frozen=True, slots=True)
class MinutesData:
    """End-of-day minutes (biên bản đối chiếu cuối ngày) of one session.

    ``session`` carries the cash advance and, once closed, the count by denomination, the difference, its reason and
    the witness. ``paid`` are the session's payments still standing; ``reversals`` every reversal of a payment of this
    session (also those made after closing).
    """

    place: Place
    session: PayoutSession
    teller: str
    closed_by: str
    paid: tuple[tuple[PaymentMark, str, str], ...]  # (payment, record code, full name)
    unpaid: tuple[UnpaidItem, ...]
    reversals: tuple[ReversalItem, ...]
    counts: EvidenceCounts
    journal: JournalRange
    printed_at: dt.datetime
    paid_total_at_close: int | None = None
    denominations: tuple[int, ...] = ()
    """The banknotes the count offers (policy data), printed as rows with any other note counted."""
    earlier: tuple[EarlierSession, ...] = ()
    """When this session reopened a closed point-day: the sessions closed before it that day (oldest first)."""
    reopened_at: dt.datetime | None = None
    reopened_by: str = ""
    """The supervisor who approved reopening the day (full name), and ``reopen_reason`` why."""
    reopen_reason: str = ""
    paid_by_agency: tuple[AgencyFigure, ...] = ()
    """What the session's standing payments paid per agency (their lines grouped by ``agency_of(programme)``): the
    one cash advance accounted per agency — advance − Σ agencies = cash that should be in hand."""

    @property
    def count_rows(self) -> tuple[int, ...]:
        """The denominations the minutes print, largest first: every one offered, and any note counted that the
        policy no longer lists (a reprint after a province's change still shows the count as it was)."""
        counted = {value for value, _count in self.session.counted.notes} if self.session.counted else set()
        return tuple(sorted(set(self.denominations) | counted, reverse=True))

    @property
    def back_entries(self) -> tuple[tuple[PaymentMark, str, str], ...]:
        return tuple(item for item in self.paid if item[0].back_entry is not None)

    @property
    def paid_total(self) -> int:
        return sum(payment.total for payment, _, _ in self.paid)


@dataclass(frozen=True, slots=True)
class NoticePerson:
    """One beneficiary on a public notice: name and village only, unless the province chose to show more."""

    full_name: str
    village: str | None = None
    regimes: tuple[str, ...] | None = None
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class NoticeData:
    """A public notice (thông báo công khai) for one payout point."""

    place: Place
    period: str
    slots: tuple[ScheduleSlot, ...]
    people: tuple[NoticePerson, ...]
    contact: str
    printed_at: dt.datetime
    show_regimes: bool = False
    show_amounts: bool = False


@dataclass(frozen=True, slots=True)
class RegimeFigure:
    """Listed and paid figures of one programme and regime in a month."""

    programme: str
    programme_name: str
    regime: str
    regime_name: str
    kind: LineKind
    lines_listed: int
    amount_listed: int
    lines_paid: int
    amount_paid: int


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A payout session with its counts, for lists of sessions and the monthly report."""

    session: PayoutSession
    point_name: str
    payments: int
    people: int
    reversals: int
    back_entries: int
    paid_total: int
    receipts: tuple[int, int] | None = None
    """The first and last receipt numbers its payments got (of its payout day), None when it paid nobody."""
    closed_at: dt.datetime | None = None
    """When it was closed (F9), None while open."""


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """One payment as the command line lists it: its receipt number (of the payout day), when, for whom, how much,
    and whether it still stands."""

    number: int
    day: dt.date
    entry_id: str
    recorded_at: dt.datetime
    record_code: str
    full_name: str
    total: int
    reversed: bool = False
    back_entry: bool = False


@dataclass(frozen=True, slots=True)
class MonthlyReportData:
    """The monthly report (báo cáo tháng) of one commune, from this device's journal.

    The words are ``app.domain.cycle``'s (``docs/CYCLE.md``): a *turn* is (person, agency, period, monthly or
    one-time) — a person's monthly lines of one month from one agency are one turn, their other lines of that period
    from that agency another; a turn is paid once a line of it is settled; "% of the list" is turns paid over turns
    listed. Carried in: lines of an earlier month still on this month's list. Carried over: the month's unpaid lines
    that are still payable later (not barred by a death; a suspended person's or a held line is carried over), and
    not moved away with their person.
    """

    place: Place
    period: str
    people_listed: int
    people_paid: int
    lines_listed: int
    lines_paid: int
    amount_listed: int
    amount_paid: int
    monthly_turns_listed: int
    monthly_turns_paid: int
    one_time_turns_listed: int
    one_time_turns_paid: int
    monthly_amount_paid: int
    one_time_amount_paid: int
    carried_in_lines: int
    carried_in_amount: int
    carried_over_lines: int
    carried_over_amount: int
    account_lines: int
    account_amount: int
    regimes: tuple[RegimeFigure, ...]
    unpaid: tuple[UnpaidItem, ...]
    sessions: tuple[SessionSummary, ...]
    reversals: int
    journal: JournalRange
    printed_at: dt.datetime
    moved_lines: int = 0
    """Cash lines of the month unpaid whose person a later list puts in another commune (*chuyển đi*): they follow
    the person (``docs/CYCLE.md``, "People who move"), so they are neither "not collected" nor carried over here."""
    moved_amount: int = 0
    moved: tuple[UnpaidItem, ...] = ()
    """The people who moved away, each with their lines' total and where to ("Chuyển đi: Xã Hải Đông")."""
    agencies: tuple[AgencyFigure, ...] = ()
    """The month per agency (lines, amount, turns listed and paid): the agencies' paid amounts sum to
    ``amount_paid``, their listed amounts to ``amount_listed``."""

    @property
    def turns_listed(self) -> int:
        return self.monthly_turns_listed + self.one_time_turns_listed

    @property
    def turns_paid(self) -> int:
        return self.monthly_turns_paid + self.one_time_turns_paid
