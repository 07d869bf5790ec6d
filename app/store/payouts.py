"""Payout use cases: open a session, see a person's lines, pay, reverse, close the day.

Every mutation is one ``BEGIN IMMEDIATE`` transaction that re-reads the state, re-checks the rules
(``app.domain.rules``) and writes the journal entry, its derived rows and its outbox row together; the caller gets
the committed fact back only after COMMIT.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from app.domain import journal as canon
from app.domain.errors import BadInputError, PaymentRefused
from app.domain.identity import with_person_death
from app.domain.model import (
    Authorisation,
    Beneficiary,
    CashCount,
    EntitlementLine,
    EntryKind,
    EvidenceKind,
    PaidLine,
    Payment,
    PaymentRequest,
    PayoutSession,
    RecipientKind,
    Reopening,
    Reversal,
    Role,
    SessionStatus,
)
from app.domain.period import period_of
from app.domain.rules import LineState, assess_lines, check_payment, default_selection
from app.domain.signature import SignatureFormatError, decode_strokes, is_blank, signature_digest
from app.store import database, persons
from app.store import journal as store_journal
from app.store.rows import LINE_FIELDS, PERSON_FIELDS, beneficiary_of, columns, line_of
from app.store.sql import chunks, fast, in_clause

if TYPE_CHECKING:
    from app.store.store import Store


@dataclass(frozen=True)
class PersonView:
    """Everything the payout screen shows for one person in one session: every record of the person (one per
    agency's list, ``app.store.persons``) with every line, each with its agency, pre-selected together so one visit
    pays them all with one identity check and one signature."""

    beneficiary: Beneficiary
    """The record the teller opened (a death any record of the person recorded applied to it)."""
    lines: tuple[LineState, ...]
    """Every line of every record of the person, record by record (the opened one first)."""
    selected: frozenset[str]
    authorisations: tuple[Authorisation, ...]
    """Every record's authorisation letters (each letter belongs to one record: its agency's)."""
    payments: tuple[Payment, ...]
    records: tuple[Beneficiary, ...] = ()
    """Every record of the person, the opened one first (just ``beneficiary`` when the person has one record)."""
    line_agencies: Mapping[str, str] = field(default_factory=dict)
    """Line key → the line's agency (``PolicyReference.agency_of`` its programme)."""

    @property
    def payable_total(self) -> int:
        return sum(state.line.amount for state in self.lines if state.line.key in self.selected)

    @property
    def all_records(self) -> tuple[Beneficiary, ...]:
        return self.records or (self.beneficiary,)

    def agency_of(self, line_key: str) -> str:
        return self.line_agencies.get(line_key, "")

    def record(self, record_code: str) -> Beneficiary | None:
        return next((record for record in self.all_records if record.record_code == record_code), None)


# --- reading ---------------------------------------------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


_PERSON_SELECT = f"SELECT {columns(PERSON_FIELDS)} FROM beneficiaries"
_LINE_SELECT = f"SELECT {columns(LINE_FIELDS)} FROM entitlement_lines"


def load_beneficiary(conn: Connection, record_code: str) -> Beneficiary | None:
    row = fast(conn).execute((f"{_PERSON_SELECT} WHERE record_code = :rc"), {"rc": record_code}).first()
    return beneficiary_of(row) if row is not None else None


def load_beneficiaries(conn: Connection, record_codes: list[str]) -> dict[str, Beneficiary]:
    out: dict[str, Beneficiary] = {}
    for chunk in chunks(record_codes):
        placeholders, params = in_clause(chunk)
        for row in fast(conn).execute((f"{_PERSON_SELECT} WHERE record_code IN ({placeholders})"), params):
            out[row[0]] = beneficiary_of(row)
    return out


def _records_of(conn: Connection, record_code: str) -> tuple[str, ...]:
    """Every record of the person ``record_code`` belongs to, itself first (``app.store.persons``), on the payment
    path's DBAPI shortcut."""
    others = fast(conn).execute(persons.RECORDS_OF_SQL, {"rc": record_code}).all()
    return (record_code, *(code for (code,) in others))


def load_lines(conn: Connection, record_code: str) -> tuple[EntitlementLine, ...]:
    rows = fast(conn).execute(f"{_LINE_SELECT} WHERE record_code = :rc ORDER BY period, position", {"rc": record_code})
    return tuple(line_of(row) for row in rows)


def load_lines_of(conn: Connection, record_codes: list[str]) -> dict[str, tuple[EntitlementLine, ...]]:
    out: dict[str, list[EntitlementLine]] = {}
    for chunk in chunks(record_codes):
        placeholders, params = in_clause(chunk)
        rows = fast(conn).execute(
            (f"{_LINE_SELECT} WHERE record_code IN ({placeholders}) ORDER BY record_code, period, position"),
            params,
        )
        for row in rows:
            out.setdefault(row[1], []).append(line_of(row))
    return {code: tuple(lines) for code, lines in out.items()}


def load_settlements(conn: Connection, keys: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in chunks(keys):
        placeholders, params = in_clause(chunk)
        rows = fast(conn).execute(
            (f"SELECT line_key, entry_id FROM line_settlements WHERE line_key IN ({placeholders})"), params
        )
        out.update({key: entry_id for key, entry_id in rows})
    return out


def load_session(conn: Connection, session_id: str) -> PayoutSession | None:
    row = fast(conn).execute(
        (
            "SELECT session_id, commune_code, point_id, day, period, cash_advance, opened_by, status, paid_total, "
            "closed_entry FROM payout_sessions WHERE session_id = :id"
        ),
        {"id": session_id},
    ).first()
    if row is None:
        return None
    session = PayoutSession(
        session_id=row[0],
        commune_code=row[1],
        point_id=row[2],
        day=dt.date.fromisoformat(row[3]),
        period=row[4],
        cash_advance=row[5],
        opened_by=row[6],
        status=SessionStatus(row[7]),
        paid_total=row[8],
    )
    if row[9]:
        loaded = store_journal.load_payload(conn, row[9])
        if loaded:
            body = loaded[0]["body"]
            session = PayoutSession(
                **_session_fields(session),
                counted=CashCount(tuple((value, count) for value, count in body["notes"])),
                difference=body["difference"],
                difference_reason=body["reason"],
                witness=body["witness"],
                closed_by=loaded[0]["staff"],
                witness_role=str(body.get("witness_role", "")),
            )
    return session


def load_reopening(conn: Connection, session_id: str) -> Reopening | None:
    """Whether a session reopened a closed point-day, from its session-opened entry (None for a first opening)."""
    row = conn.execute(
        text("SELECT j.payload FROM payout_sessions s JOIN journal j ON j.entry_id = s.opened_entry "
             "WHERE s.session_id = :s"), {"s": session_id},
    ).first()
    return canon.reopening_from_payload(json.loads(bytes(row[0]))) if row is not None else None


def _session_fields(session: PayoutSession) -> dict[str, Any]:
    return {
        "session_id": session.session_id,
        "commune_code": session.commune_code,
        "point_id": session.point_id,
        "day": session.day,
        "period": session.period,
        "cash_advance": session.cash_advance,
        "opened_by": session.opened_by,
        "status": session.status,
        "paid_total": session.paid_total,
    }


def _staff_role(conn: Connection, username: str) -> Role | None:
    role = fast(conn).execute(
        ("SELECT role FROM staff WHERE username = :u AND active = 1"), {"u": username}
    ).scalar()
    return Role(role) if role else None


def _payments_of(conn: Connection, record_code: str) -> tuple[Payment, ...]:
    rows = fast(conn).execute(
        (
            "SELECT j.payload, j.entry_hash, p.receipt_no FROM payments p JOIN journal j ON j.entry_id = p.entry_id "
            "WHERE p.record_code = :rc ORDER BY j.seq"
        ),
        {"rc": record_code},
    )
    return tuple(replace(canon.payment_from_payload(json.loads(bytes(payload)), entry_hash), receipt_no=number)
                 for payload, entry_hash, number in rows)


def load_receipts(conn: Connection, entry_ids: list[str]) -> dict[str, tuple[int, dt.date]]:
    """Payment entry id → (receipt number, payout day): how a paid line names the payment that settled it."""
    out: dict[str, tuple[int, dt.date]] = {}
    for chunk in chunks(list(dict.fromkeys(entry_ids))):
        placeholders, params = in_clause(chunk)
        for entry_id, number, day in fast(conn).execute(
            (f"SELECT entry_id, receipt_no, day FROM payments WHERE entry_id IN ({placeholders})"), params
        ):
            if number is not None and day:
                out[entry_id] = (number, dt.date.fromisoformat(day))
    return out


def next_receipt_number(conn: Connection, day: dt.date) -> int:
    """The next receipt number of a payout day on this device (inside the payment's write transaction, so the
    numbers of a day are 1, 2, 3 … with no gap and no repeat — a unique index holds them to it)."""
    return int(fast(conn).execute(
        ("SELECT coalesce(max(receipt_no), 0) + 1 FROM payments WHERE day = :d"), {"d": day.isoformat()}
    ).scalar_one())


def _authorisations(conn: Connection, record_code: str) -> tuple[Authorisation, ...]:
    rows = fast(conn).execute(
        (
            "SELECT record_code, proxy_name, proxy_id_number, number, valid_until, valid_from FROM authorisations "
            "WHERE record_code = :rc ORDER BY valid_until DESC"
        ),
        {"rc": record_code},
    )
    return tuple(
        Authorisation(row[0], row[1], row[2], row[3], dt.date.fromisoformat(row[4]), _date(row[5])) for row in rows
    )


def _with_registered_letter(request: PaymentRequest, letters: tuple[Authorisation, ...]) -> PaymentRequest:
    """A proxy's letter that the commune registered on the list is judged by its registered dates too.

    The screen pre-fills them, but what counts is the stricter of the typed and the registered validity, so a date
    typed by hand can never extend a registered letter. Letters not on the list are judged by the typed dates.
    """
    recipient = request.recipient
    if recipient.kind is not RecipientKind.PROXY:
        return request
    for letter in letters:
        if letter.number.strip() != recipient.authorisation_number.strip():
            continue
        until = min(filter(None, (recipient.authorisation_valid_until, letter.valid_until)))
        since = max(filter(None, (recipient.authorisation_valid_from, letter.valid_from)), default=None)
        return replace(request, recipient=replace(recipient, authorisation_valid_until=until,
                                                  authorisation_valid_from=since))
    return request


# --- the service ----------------------------------------------------------------------------------------------------


class PayoutService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # sessions

    def open_session(
        self,
        *,
        commune_code: str,
        point_id: str,
        day: dt.date,
        cash_advance: int,
        staff: str,
        period: str | None = None,
        supervisor: str | None = None,
        reopen_reason: str = "",
    ) -> PayoutSession:
        """Start a payout day at a point with the cash advance received (a journal entry).

        A point-day whose session was closed (F9: counted, witnessed) opens again only with a ``supervisor``'s
        approval and a ``reopen_reason``, both recorded in the entry with the sessions closed before; otherwise a
        second advance could be taken for a day already counted, with nobody the wiser.
        """
        if not isinstance(cash_advance, int) or isinstance(cash_advance, bool) or cash_advance < 0:
            raise BadInputError("bad_cash_advance")
        period = period or period_of(day)
        with database.write(self.store.engine) as conn:
            same_day = conn.execute(
                text("SELECT s.session_id, s.status FROM payout_sessions s "
                     "JOIN journal j ON j.entry_id = s.opened_entry "
                     "WHERE s.point_id = :p AND s.day = :d ORDER BY j.seq"),
                {"p": point_id, "d": day.isoformat()},
            ).all()
            if any(status == SessionStatus.OPEN.value for _id, status in same_day):
                raise BadInputError("session_already_open", date=day.strftime("%d/%m/%Y"))
            reopening = None
            if same_day:
                if not supervisor:
                    raise BadInputError("session_day_closed", date=day.strftime("%d/%m/%Y"))
                if _staff_role(conn, supervisor) is not Role.SUPERVISOR:
                    raise BadInputError("reopen_needs_supervisor")
                if not reopen_reason.strip():
                    raise BadInputError("reopen_needs_reason")
                reopening = Reopening(supervisor, reopen_reason.strip(), tuple(row[0] for row in same_day))
            session_id = str(uuid.uuid4())
            entry = store_journal.append(
                conn,
                device_id=self.store.device_id,
                kind=EntryKind.SESSION_OPENED,
                staff=staff,
                body=canon.session_opened_body(
                    session_id=session_id,
                    commune_code=commune_code,
                    point_id=point_id,
                    day=day,
                    period=period,
                    cash_advance=cash_advance,
                    reopening=reopening,
                ),
                recorded_at=self.store.clock(),
            )
            conn.execute(
                text(
                    "INSERT INTO payout_sessions (session_id, commune_code, point_id, day, period, cash_advance, "
                    "opened_by, status, paid_total, opened_entry) VALUES (:id, :commune, :point, :day, :period, "
                    ":advance, :staff, 'open', 0, :entry)"
                ),
                {
                    "id": session_id,
                    "commune": commune_code,
                    "point": point_id,
                    "day": day.isoformat(),
                    "period": period,
                    "advance": cash_advance,
                    "staff": staff,
                    "entry": entry.entry_id,
                },
            )
        return PayoutSession(session_id, commune_code, point_id, day, period, cash_advance, staff)

    def session(self, session_id: str) -> PayoutSession:
        with database.read(self.store.engine) as conn:
            session = load_session(conn, session_id)
        if session is None:
            raise BadInputError("session_not_found", session=session_id)
        return session

    def close_session(
        self,
        session_id: str,
        *,
        counted: CashCount,
        witness: str,
        staff: str,
        reason: str = "",
        witness_role: str = "",
    ) -> PayoutSession:
        """Close the day with a count by denomination (the banknotes of the policy data, ``cash.json``); any difference
        needs a reason, closing needs a witness (and says in what role they witnessed, when known)."""
        from app.lists.policy import load_policy

        denominations = load_policy().denominations
        for value, count in counted.notes:
            if value not in denominations or not isinstance(count, int) or count < 0:
                raise BadInputError("bad_denomination", value=value)
        if not witness.strip():
            raise BadInputError("witness_required")
        with database.write(self.store.engine) as conn:
            session = load_session(conn, session_id)
            if session is None:
                raise BadInputError("session_not_found", session=session_id)
            if session.status is SessionStatus.CLOSED:
                raise BadInputError("session_closed")
            difference = counted.total - session.cash_expected
            if difference != 0 and not reason.strip():
                raise BadInputError("difference_needs_reason", difference=difference)
            payments = conn.execute(
                text("SELECT count(*) FROM payments WHERE session_id = :s AND reversed_by IS NULL"), {"s": session_id}
            ).scalar_one()
            entry = store_journal.append(
                conn,
                device_id=self.store.device_id,
                kind=EntryKind.SESSION_CLOSED,
                staff=staff,
                body=canon.session_closed_body(
                    session_id=session_id,
                    counted=counted,
                    cash_advance=session.cash_advance,
                    paid_total=session.paid_total,
                    difference=difference,
                    reason=reason.strip(),
                    witness=witness.strip(),
                    payments=payments,
                    witness_role=" ".join(witness_role.split())[:80],
                ),
                recorded_at=self.store.clock(),
            )
            conn.execute(
                text("UPDATE payout_sessions SET status = 'closed', closed_entry = :e WHERE session_id = :s"),
                {"e": entry.entry_id, "s": session_id},
            )
            closed = load_session(conn, session_id)
        assert closed is not None
        return closed

    # people

    def person(self, record_code: str, session_id: str | None = None, period: str | None = None) -> PersonView:
        """A person's identity, every line of every record of the person (each agency's) with whether it is payable
        now and why not, and their payments. A death any record recorded applies to all of them
        (``with_person_death``); a suspension stays on its record."""
        from app.lists.policy import load_policy

        with database.read(self.store.engine) as conn:
            codes = _records_of(conn, record_code)
            found = load_beneficiaries(conn, list(codes))
            if record_code not in found:
                raise BadInputError("person_not_found", record_code=record_code)
            commune: str | None = None
            if session_id:
                session = load_session(conn, session_id)
                if session is None:
                    raise BadInputError("session_not_found", session=session_id)
                period, commune = session.period, session.commune_code
            period = period or self.store.province_time.period_of(self.store.clock())
            records = with_person_death([found[code] for code in codes if code in found])
            lines_of = load_lines_of(conn, [record.record_code for record in records])
            keys = [line.key for lines in lines_of.values() for line in lines]
            paid = load_settlements(conn, keys)
            receipts = load_receipts(conn, list(paid.values()))
            states = tuple(state for record in records for state in assess_lines(
                record, lines_of.get(record.record_code, ()), period, paid, receipts))
            policy = load_policy()
            # a record another commune pays (the person's other agency registered them elsewhere) is not paid here
            elsewhere = {record.record_code for record in records[1:] if commune and record.commune_code != commune}
            selected = frozenset(key for key in default_selection(states)
                                 if not elsewhere or next(state.line.record_code for state in states
                                                          if state.line.key == key) not in elsewhere)
            return PersonView(
                records[0], states, selected,
                tuple(letter for record in records for letter in _authorisations(conn, record.record_code)),
                tuple(sorted((payment for record in records for payment in _payments_of(conn, record.record_code)),
                             key=lambda payment: payment.seq)),
                records if len(records) > 1 else (),
                {state.line.key: policy.agency_of(state.line.programme) for state in states},
            )

    # paying

    def pay(self, request: PaymentRequest) -> Payment:
        """Record a payment of one record's lines: re-check everything inside ``BEGIN IMMEDIATE``, write, COMMIT,
        then return the fact. (A visit paying several records of one person: ``pay_visit``.)"""
        return self._pay(request, visit=False)[0]

    def pay_visit(self, request: PaymentRequest) -> tuple[Payment, ...]:
        """One visit of a person: ``request.line_keys`` may name lines of every record of the person (each agency's
        list). One payment entry per record — the server, sync, double-payment detection and settlement stay per
        record — with the same identity check, recipient and signature strokes, each with its own receipt number,
        all in ONE write transaction: all are paid or none. The opened record's payment comes first."""
        return self._pay(request, visit=True)

    def _pay(self, request: PaymentRequest, *, visit: bool) -> tuple[Payment, ...]:
        strokes_blank = True
        digest: str | None = None
        if request.evidence.kind is EvidenceKind.SIGNATURE and request.evidence.strokes:
            try:
                strokes_blank = is_blank(decode_strokes(request.evidence.strokes))
            except SignatureFormatError:
                raise PaymentRefused("signature_missing") from None
            digest = signature_digest(request.evidence.strokes)
        now = self.store.clock()
        with database.write(self.store.engine) as conn:
            session = load_session(conn, request.session_id)
            if session is None:
                raise PaymentRefused("session_required")
            if session.status is SessionStatus.CLOSED:
                raise PaymentRefused("session_closed")
            if request.back_entry is not None:
                if _staff_role(conn, request.staff) is not Role.SUPERVISOR:
                    raise PaymentRefused("back_entry_needs_supervisor")
                if not request.back_entry.sheet_reference.strip():
                    raise PaymentRefused("back_entry_needs_reference")
                if request.back_entry.paid_on > self.store.province_time.day_of(now):
                    raise PaymentRefused("back_entry_in_future", date=request.back_entry.paid_on.strftime("%d/%m/%Y"))
            today = request.back_entry.paid_on if request.back_entry else self.store.province_time.day_of(now)
            parts = self._visit_parts(conn, request) if visit else self._single_part(conn, request)
            for beneficiary, _lines, _part in parts:
                if beneficiary.commune_code != session.commune_code:
                    raise PaymentRefused("wrong_commune", commune=beneficiary.commune_code)
            receipts_paid: list[Payment] = []
            for beneficiary, lines, part in parts:
                paid = load_settlements(conn, [line.key for line in lines])
                states = assess_lines(beneficiary, lines, session.period, paid,
                                      load_receipts(conn, list(paid.values())))
                part = _with_registered_letter(part, _authorisations(conn, beneficiary.record_code))
                to_pay = check_payment(part, beneficiary, states, today, strokes_blank)
                receipts_paid.append(self._write_payment(conn, session, beneficiary, part, to_pay, digest, now))
        return tuple(receipts_paid)

    def _single_part(self, conn: Connection, request: PaymentRequest
                     ) -> list[tuple[Beneficiary, tuple[EntitlementLine, ...], PaymentRequest]]:
        beneficiary = load_beneficiary(conn, request.record_code)
        if beneficiary is None:
            raise PaymentRefused("person_not_found", record_code=request.record_code)
        codes = _records_of(conn, request.record_code)
        if len(codes) > 1:  # a death another record of the person recorded blocks this one's monthly lines too
            beneficiary = with_person_death(
                [beneficiary, *load_beneficiaries(conn, list(codes[1:])).values()])[0]
        return [(beneficiary, load_lines(conn, request.record_code), request)]

    def _visit_parts(self, conn: Connection, request: PaymentRequest
                     ) -> list[tuple[Beneficiary, tuple[EntitlementLine, ...], PaymentRequest]]:
        """The request split by record: each record of the person with lines selected, its lines, and the request
        for those lines alone (the expected amounts filtered alike)."""
        codes = _records_of(conn, request.record_code)
        found = load_beneficiaries(conn, list(codes))
        if request.record_code not in found:
            raise PaymentRefused("person_not_found", record_code=request.record_code)
        records = with_person_death([found[code] for code in codes if code in found])
        lines_of = load_lines_of(conn, [record.record_code for record in records])
        owner = {line.key: code for code, lines in lines_of.items() for line in lines}
        wanted: dict[str, list[str]] = {}
        for key in request.line_keys:
            code = owner.get(key)
            if code is None:
                raise PaymentRefused("line_not_found", line=key)
            wanted.setdefault(code, []).append(key)
        if not wanted:
            raise PaymentRefused("no_lines_selected")
        expected = dict(request.expected_amounts) if request.expected_amounts is not None else None
        parts = []
        for record in records:
            keys = wanted.get(record.record_code)
            if not keys:
                continue
            part = replace(request, record_code=record.record_code, line_keys=tuple(keys),
                           expected_amounts=None if expected is None else tuple(
                               (key, expected[key]) for key in keys if key in expected))
            parts.append((record, lines_of.get(record.record_code, ()), part))
        return parts

    def _write_payment(self, conn: Connection, session: PayoutSession, beneficiary: Beneficiary,
                       request: PaymentRequest, to_pay: tuple[EntitlementLine, ...], digest: str | None,
                       now: dt.datetime) -> Payment:
        """Write one record's payment entry and its derived rows inside the caller's transaction."""
        paid_lines = tuple(PaidLine(due.key, due.period, due.programme, due.regime, due.amount) for due in to_pay)
        evidence = request.evidence
        body = canon.payment_body(
            session_id=session.session_id,
            record_code=beneficiary.record_code,
            lines=paid_lines,
            recipient=request.recipient,
            identity_check=request.identity_check,  # type: ignore[arg-type]  # checked by the rules
            evidence_kind=evidence.kind,
            signature_digest=digest,
            evidence_reason=evidence.reason.strip(),
            witness=evidence.witness.strip(),
            back_entry=request.back_entry,
        )
        entry = store_journal.append(
            conn, device_id=self.store.device_id, kind=EntryKind.PAYMENT, staff=request.staff, body=body,
            recorded_at=now,
        )
        fast(conn).execute(
            ("INSERT INTO payment_lines (entry_id, line_key, amount) VALUES (:e, :k, :a)"),
            [{"e": entry.entry_id, "k": line.key, "a": line.amount} for line in paid_lines],
        )
        fast(conn).execute(
            ("INSERT INTO line_settlements (line_key, entry_id) VALUES (:k, :e)"),
            [{"e": entry.entry_id, "k": line.key} for line in paid_lines],
        )
        if digest is not None:
            fast(conn).execute(
                ("INSERT INTO signatures (entry_id, strokes, png, digest) VALUES (:e, :s, :p, :d)"),
                {"e": entry.entry_id, "s": evidence.strokes, "p": evidence.png, "d": digest},
            )
        receipt_no = next_receipt_number(conn, session.day)
        fast(conn).execute(
            (
                "INSERT INTO payments (entry_id, session_id, record_code, total, recorded_at, day, receipt_no) "
                "VALUES (:e, :s, :rc, :t, :at, :day, :no)"
            ),
            {"e": entry.entry_id, "s": session.session_id, "rc": beneficiary.record_code, "t": body["total"],
             "at": entry.payload["recorded_at"], "day": session.day.isoformat(), "no": receipt_no},
        )
        fast(conn).execute(
            ("UPDATE payout_sessions SET paid_total = paid_total + :t WHERE session_id = :s"),
            {"t": body["total"], "s": session.session_id},
        )
        return replace(canon.payment_from_payload(entry.payload, entry.entry_hash), receipt_no=receipt_no)

    def reverse(self, payment_entry_id: str, *, reason: str, supervisor: str) -> Reversal:
        """Correct a mistaken payment by a reversal entry (the lines become payable again); nothing is edited."""
        if not reason.strip():
            raise BadInputError("reversal_needs_reason")
        with database.write(self.store.engine) as conn:
            if _staff_role(conn, supervisor) is not Role.SUPERVISOR:
                raise BadInputError("reversal_needs_supervisor")
            row = conn.execute(
                text("SELECT session_id, total, reversed_by FROM payments WHERE entry_id = :e"), {"e": payment_entry_id}
            ).first()
            if row is None:
                raise BadInputError("payment_not_found", entry=payment_entry_id)
            session_id, total, reversed_by = row
            if reversed_by:
                raise BadInputError("payment_already_reversed", entry=payment_entry_id)
            keys = [key for (key,) in conn.execute(
                text("SELECT line_key FROM payment_lines WHERE entry_id = :e ORDER BY line_key"),
                {"e": payment_entry_id},
            )]
            entry = store_journal.append(
                conn,
                device_id=self.store.device_id,
                kind=EntryKind.REVERSAL,
                staff=supervisor,
                body=canon.reversal_body(payment_entry_id=payment_entry_id, reason=reason.strip(), line_keys=keys,
                                         total=total),
                recorded_at=self.store.clock(),
            )
            conn.execute(text("DELETE FROM line_settlements WHERE entry_id = :e"), {"e": payment_entry_id})
            conn.execute(
                text("UPDATE payments SET reversed_by = :r WHERE entry_id = :e"),
                {"r": entry.entry_id, "e": payment_entry_id},
            )
            conn.execute(
                text("UPDATE payout_sessions SET paid_total = paid_total - :t "
                     "WHERE session_id = :s AND status = 'open'"),
                {"t": total, "s": session_id},
            )
        return canon.reversal_from_payload(entry.payload)
