"""The values of the payout domain: places, people, entitlements, payments and sessions.

All frozen: the UI, the documents and the sync code receive these from services and can never change the store by
accident. Money is ``int`` VND; periods are ``YYYY-MM`` strings (see ``period.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

DEFAULT_PROGRAMME = "uu_dai"
"""Programme code of the preferential allowances for people with meritorious services (the default on a list)."""

class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class BeneficiaryStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DECEASED = "deceased"


class PaymentMethod(StrEnum):
    CASH = "cash"
    ACCOUNT = "account"


class LineKind(StrEnum):
    """What a line is for, which decides how death and carry-over treat it."""

    RECURRING = "recurring"  # monthly allowance, supplement, carer: belongs to a month
    ONE_TIME = "one_time"  # one-time allowance, gifts, convalescence
    ARREARS = "arrears"  # truy lĩnh: back pay for earlier months
    DEATH_RELATED = "death_related"  # funeral allowance, the 3-month allowance on death: to the representative only


class Role(StrEnum):
    TELLER = "teller"
    SUPERVISOR = "supervisor"


class IdentityCheck(StrEnum):
    """How the teller knew the recipient was who they said."""

    QR_MATCHED = "qr_matched"  # chip ID card QR scanned and matched the list
    CARD_INSPECTED = "card_inspected"  # ID card looked at
    VOUCHED = "vouched"  # vouched for by the commune officer


class EvidenceKind(StrEnum):
    """How the recipient acknowledged receipt."""

    SIGNATURE = "signature"  # signed on the screen
    THUMBPRINT = "thumbprint"  # điểm chỉ on the paper sheet
    PAPER = "paper"  # signed on the paper sheet


class RecipientKind(StrEnum):
    SELF = "self"
    PROXY = "proxy"  # người được ủy quyền with an authorisation letter
    REPRESENTATIVE = "representative"  # family representative of a deceased beneficiary


class EntryKind(StrEnum):
    """The facts in the journal that money depends on."""

    SESSION_OPENED = "session_opened"
    PAYMENT = "payment"
    REVERSAL = "reversal"
    SESSION_CLOSED = "session_closed"
    # issue 13 (posting-and-survey work): facts the province reports on, journalled only once the server says it
    # accepts them (``app.wire.constants.OPTIONAL_ENTRY_KINDS``); no money depends on them.
    PUBLIC_POSTING = "public_posting"
    SURVEY_ANSWERS = "survey_answers"


class SessionStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


# --- places -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Commune:
    code: str
    name: str
    province_code: str
    district: str | None = None  # districts were abolished on 1/7/2025: optional, never required


@dataclass(frozen=True, slots=True)
class Village:
    commune_code: str
    name: str


@dataclass(frozen=True, slots=True)
class PayoutPoint:
    point_id: str
    commune_code: str
    name: str
    address: str = ""


@dataclass(frozen=True, slots=True)
class ScheduleSlot:
    """One announced payout day at a point, with its hours."""

    point_id: str
    day: dt.date
    start: dt.time
    end: dt.time


# --- people and entitlements ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Representative:
    """The family member recorded to receive death-related payments for a deceased beneficiary."""

    name: str
    id_number: str | None = None


@dataclass(frozen=True, slots=True)
class Authorisation:
    """A letter authorising a proxy to collect for a beneficiary (confirmed by the commune)."""

    record_code: str
    proxy_name: str
    proxy_id_number: str
    number: str
    valid_until: dt.date
    valid_from: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Suspension:
    """A stretch of time a person's payments were suspended: from ``start`` until the day before ``end``.

    The province server keeps each person's history of these (a suspension begins the day it is recorded and ends the
    day it is lifted), so a payment is judged by the day the cash left, not by the status when it arrives. Where no
    history is kept — on a device — a suspended status stands for an open suspension of unknown start
    (``start`` None), which covers every day.
    """

    reason: str = ""
    start: dt.date | None = None
    end: dt.date | None = None  # the first day payable again; None while the suspension lasts

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    @property
    def lasting(self) -> bool:
        return self.end is None


@dataclass(frozen=True, slots=True)
class Beneficiary:
    record_code: str
    full_name: str
    commune_code: str
    category: str
    birth_year: int | None = None
    gender: Gender | None = None
    id_number: str | None = None
    village: str | None = None
    point_id: str | None = None
    status: BeneficiaryStatus = BeneficiaryStatus.ACTIVE
    status_reason: str = ""
    date_of_death: dt.date | None = None
    representative: Representative | None = None
    agency: str = ""
    """The agency whose list carries this record (``regimes.json`` "agencies": so_noi_vu, bhxh, ubnd_xa …); "" on a
    record stored before lists named their agency (its lines' programmes then say it, ``PolicyReference.agency_of``).
    One human on several agencies' lists is several records, grouped into one person by ``app.domain.identity``."""


def person_values(person: Beneficiary) -> dict[str, object]:
    """A person as flat plain values (enums as their values, a date as ISO text, the representative as two fields):
    the desk's ``beneficiaries`` columns (``app.store``), and the wire's person before it nests the representative
    (``app.wire.codec.person_to_wire``). One mapping, so a new field reaches both."""
    rep = person.representative
    return {
        "record_code": person.record_code,
        "full_name": person.full_name,
        "commune_code": person.commune_code,
        "category": person.category,
        "birth_year": person.birth_year,
        "gender": person.gender.value if person.gender else None,
        "id_number": person.id_number,
        "village": person.village,
        "point_id": person.point_id,
        "status": person.status.value,
        "status_reason": person.status_reason,
        "date_of_death": person.date_of_death.isoformat() if person.date_of_death else None,
        "representative_name": rep.name if rep else None,
        "representative_id_number": rep.id_number if rep else None,
        "agency": person.agency,
    }


class HoldSubject(StrEnum):
    """What a list contradicted about a line, so the line is held (not payable) until an officer decides."""

    AMOUNT = "amount"  # the list gives another amount than an amendment recorded
    REPRESENTATIVE = "representative"  # a death-related line, and the list drops or changes the recorded representative
    LINE_DROPPED = "line_dropped"  # a corrected list no longer has a line an amendment added


@dataclass(frozen=True, slots=True)
class Hold:
    """Why a line is held: a list contradicted a standing amendment about it (``app.domain.amendments``).

    The line keeps the standing value; it is not payable until an officer (a supervisor on a desk without a province
    server) decides. ``listed`` and ``standing`` are the two values in words (an amount as ``2.789.000 ₫``, a
    representative's name); ``since`` and ``by`` say when and by whom the standing amendment was recorded.
    """

    subject: HoldSubject
    list_period: str
    listed: str
    standing: str
    since: dt.date
    by: str


@dataclass(frozen=True, slots=True)
class EntitlementLine:
    """One amount due to one person for one regime and period, as the province listed it.

    ``key`` is the stable identity shared by the list reader, the store, the wire and the server: the province's line
    id where the list has one, otherwise (record code, period, programme, regime). A line carried over unpaid keeps
    its original ``period``, so it has one key and can never be paid twice under two periods; ``list_period`` is the
    payout period of the latest list that carried it.
    """

    key: str
    record_code: str
    period: str
    list_period: str
    programme: str
    regime: str
    kind: LineKind
    amount: int
    method: PaymentMethod = PaymentMethod.CASH
    line_id: str | None = None
    note: str = ""
    hold: Hold | None = None
    """Set while a list contradicts a standing amendment about this line (not payable until decided)."""


def line_key(line_id: str | None, record_code: str, period: str, programme: str, regime: str) -> str:
    """The stable key of an entitlement line (see ``EntitlementLine``)."""
    if line_id:
        return f"id:{line_id.strip()}"
    return f"{record_code.strip().upper()}|{period}|{programme}|{regime}"


# --- staff and devices ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Staff:
    username: str
    full_name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    name: str = ""


# --- payments -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who took the cash: the person, an authorised proxy, or the representative of a deceased person."""

    kind: RecipientKind = RecipientKind.SELF
    name: str = ""
    id_number: str = ""
    authorisation_number: str = ""
    authorisation_valid_until: dt.date | None = None
    authorisation_valid_from: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """The acknowledgement of receipt: encoded signature strokes and their PNG, or a thumbprint / paper mark."""

    kind: EvidenceKind
    strokes: bytes = b""
    png: bytes = b""
    reason: str = ""
    witness: str = ""


@dataclass(frozen=True, slots=True)
class BackEntry:
    """A payment made on the paper sheet while the laptop was unusable, entered later by a supervisor."""

    paid_on: dt.date
    sheet_reference: str


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """What the teller confirms; the store re-checks it against the rules inside the transaction."""

    session_id: str
    record_code: str
    line_keys: tuple[str, ...]
    recipient: Recipient
    identity_check: IdentityCheck | None
    evidence: Evidence
    staff: str
    back_entry: BackEntry | None = None
    expected_amounts: tuple[tuple[str, int], ...] | None = None
    """(line key, amount) as the screen showed them; a line whose amount changed since is refused, not paid."""


@dataclass(frozen=True, slots=True)
class PaidLine:
    key: str
    period: str
    programme: str
    regime: str
    amount: int


@dataclass(frozen=True, slots=True)
class Payment:
    """A committed payment: a fact in the journal, never edited."""

    entry_id: str
    seq: int
    device_id: str
    recorded_at: dt.datetime
    session_id: str
    record_code: str
    lines: tuple[PaidLine, ...]
    total: int
    recipient: Recipient
    identity_check: IdentityCheck
    evidence_kind: EvidenceKind
    signature_digest: str | None
    evidence_reason: str
    witness: str
    staff: str
    back_entry: BackEntry | None = None
    entry_hash: str = ""
    receipt_no: int | None = None
    """The receipt number the teller says aloud: gap-free per payout day on the device that paid (its store numbers
    it; not part of the journal entry). None where unknown (a payment read from the wire)."""


@dataclass(frozen=True, slots=True)
class Reversal:
    entry_id: str
    seq: int
    payment_entry_id: str
    reason: str
    supervisor: str
    recorded_at: dt.datetime
    line_keys: tuple[str, ...] = ()
    total: int = 0


@dataclass(frozen=True, slots=True)
class CashCount:
    """Banknotes counted at the end of a day: denomination → number of notes."""

    notes: tuple[tuple[int, int], ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(value * count for value, count in self.notes)


@dataclass(frozen=True, slots=True)
class PayoutSession:
    """One payout day at one point: opened with a cash advance, closed with a count and a witness."""

    session_id: str
    commune_code: str
    point_id: str
    day: dt.date
    period: str
    cash_advance: int
    opened_by: str
    status: SessionStatus = SessionStatus.OPEN
    paid_total: int = 0
    counted: CashCount | None = None
    difference: int | None = None
    difference_reason: str = ""
    witness: str = ""
    closed_by: str = ""
    witness_role: str = ""
    """In what capacity the witness of the closing count signed ("Cán bộ UBND xã", "Trưởng thôn" …); "" when the
    closure did not say (the minutes then call them "người chứng kiến")."""

    @property
    def cash_expected(self) -> int:
        """Cash that should be in hand: the advance less what was paid."""
        return self.cash_advance - self.paid_total


@dataclass(frozen=True, slots=True)
class Reopening:
    """A point-day opened again after its session was closed (F9): the supervisor who approved it, why, and the
    sessions closed earlier that day at that point (oldest first).

    Recorded in the session-opened journal entry (additive fields), so the province sees who reopened a counted day
    and the minutes can show every session of the day.
    """

    supervisor: str
    reason: str
    earlier: tuple[str, ...]
