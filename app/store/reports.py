"""Read-only gathering of what printed documents show: frozen ``app.documents.data`` values, never ORM rows.

Each method reads in one snapshot (``database.read``) and returns the complete input of one document, including the
journal range it depends on, so ``app.documents`` can render and fingerprint it without touching the store — and
``verify-document`` can rebuild the same value later from the journal as it then stands.

What a payout sheet of point P on day D holds (the same rule at print time and at verification time):
- people: the beneficiaries listed at P, plus anyone paid in P's sessions of D;
- lines: for people of P, every line due in the sheet's period that is unpaid and payable (``app.domain.rules``),
  or was paid in P's sessions of D; for people of other points only the lines paid here; lines settled by a payment
  elsewhere belong to that other sheet;
- journal range: the sessions of P on D (opened and closed entries), every payment that settled or settles one of
  these lines (also reversed ones), and their reversals.

Per agency (issue 12): a line's agency is its programme's (``PolicyReference.agency_of``), whatever the record or the
payment that carries it. ``payout_sheet(..., agency=A)`` is the same rule over A's lines only — A's voucher, with its
own totals, reconciliation and journal range; ``sheet_bundle`` is every agency's sheet of the point-day (what the
desk prints); the minutes, a visit's receipt and the monthly report group what was paid by agency the same way.

Every list of people a document prints (sheet, notice, who did not come) is in Vietnamese order: by village, then
given name, family name and middle names (``person_order``), so a person is found at the same place on the notice
and on the sheet. Payments and reversals keep the order they happened in.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from app.documents.data import (
    AgencyFigure,
    EarlierSession,
    EvidenceCounts,
    JournalRange,
    LineItem,
    MinutesData,
    MonthlyReportData,
    NoticeData,
    NoticePerson,
    NotPayableLine,
    PaymentMark,
    PayoutSheetData,
    Place,
    ReceiptData,
    ReceiptLine,
    RegimeFigure,
    ReversalItem,
    SessionSummary,
    SheetBundle,
    SheetPerson,
    SheetReconciliation,
    UnpaidItem,
    agency_totals,
)
from app.documents.errors import DocumentInputError
from app.domain import journal as canon
from app.domain.cycle import Turn, TurnKind, carried_over, turns_of
from app.domain.errors import BadInputError
from app.domain.journal import GENESIS_HASH
from app.domain.messages import render
from app.domain.model import (
    Beneficiary,
    BeneficiaryStatus,
    EntitlementLine,
    EvidenceKind,
    LineKind,
    PaymentMethod,
    PayoutSession,
    RecipientKind,
    ScheduleSlot,
    SessionStatus,
)
from app.domain.period import check_period, display_period, period_of
from app.domain.policy import PolicyReference
from app.domain.rules import assess_line
from app.domain.text import person_name_key, place_key
from app.lists.policy import load_policy
from app.store import database, kept
from app.store.payouts import load_reopening, load_session
from app.store.rows import LINE_FIELDS, PERSON_FIELDS, beneficiary_of, columns, line_of
from app.store.sql import chunks, in_clause

if TYPE_CHECKING:
    from app.documents import DocumentRequest
    from app.store.store import Store

__all__ = ["ReportService"]

NOT_COLLECTED = "Không đến nhận"
"""Why a person is unpaid once the day is over (a closed session, a past month)."""
NOT_YET_COLLECTED = "Chưa nhận"
"""Why a person is unpaid while the session is still open: they may yet come."""
MAX_VISIT_PAYMENTS = 20
"""The most payments one visit's receipt lists (one per record of the person: a handful at most)."""
MOVED_AWAY = "Chuyển đi"
"""Why a person's lines are not unpaid here: a later list puts them in another commune, and the lines follow them."""


def moved_away(commune_name: str) -> str:
    """The reason printed for a person who moved: "Chuyển đi: Xã Hải Đông"."""
    return f"{MOVED_AWAY}: {commune_name}"

_PERSON_COLUMNS = columns(PERSON_FIELDS, "b")
_LINE_COLUMNS = columns(LINE_FIELDS, "l")


class _Journal:
    """Collects the entries a document depends on and turns them into a ``JournalRange``."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        self.seqs: set[int] = set()

    def add(self, *seqs: int | None) -> None:
        self.seqs.update(seq for seq in seqs if seq)

    def range(self, conn: Connection) -> JournalRange:
        if not self.seqs:
            return JournalRange(self.device_id, 0, 0, GENESIS_HASH)
        first, last = min(self.seqs), max(self.seqs)
        last_hash = conn.execute(text("SELECT entry_hash FROM journal WHERE seq = :s"), {"s": last}).scalar_one()
        return JournalRange(self.device_id, first, last, last_hash)


class ReportService:
    """Builds the inputs of every document from the store (read-only). ``Store.reports`` returns one."""

    def __init__(self, store: Store, policy: PolicyReference | None = None) -> None:
        self.store = store
        self.policy = policy or load_policy()

    @property
    def is_demo(self) -> bool:
        return self.store.is_demo

    @property
    def device_id(self) -> str:
        return self.store.device_id

    # --- small look-ups ---------------------------------------------------------------------------------------------

    def _place(self, conn: Connection, commune_code: str, point_id: str = "") -> Place:
        row = conn.execute(
            text(
                "SELECT c.name, c.district, p.name FROM communes c JOIN provinces p ON p.code = c.province_code "
                "WHERE c.code = :c"
            ),
            {"c": commune_code},
        ).first()
        if row is None:
            raise DocumentInputError("doc_commune_not_found", commune=commune_code)
        point_name = point_address = ""
        if point_id:
            point = conn.execute(
                text("SELECT name, address FROM payout_points WHERE point_id = :p"), {"p": point_id}
            ).first()
            if point is None:
                raise DocumentInputError("doc_point_not_found", point=point_id)
            point_name, point_address = point
        return Place(row[2], row[0], commune_code, point_id, point_name, point_address, row[1],
                     time_zone=self.store.province_time.zone)

    def _point_commune(self, conn: Connection, point_id: str) -> str:
        commune = conn.execute(
            text("SELECT commune_code FROM payout_points WHERE point_id = :p"), {"p": point_id}
        ).scalar()
        if commune is None:
            raise DocumentInputError("doc_point_not_found", point=point_id)
        return str(commune)

    def _staff_name(self, conn: Connection, username: str) -> str:
        if not username:
            return ""
        name = conn.execute(text("SELECT full_name FROM staff WHERE username = :u"), {"u": username}).scalar()
        return str(name) if name else username

    def _regime_name(self, code: str) -> str:
        info = self.policy.regime(code)
        return info.name if info else code

    def _programme_name(self, code: str) -> str:
        info = self.policy.programmes.get(code)
        return info.name if info else code

    def _item(self, line: EntitlementLine, paid_by: str | None = None) -> LineItem:
        return LineItem(line.key, line.period, line.programme, line.regime, self._regime_name(line.regime), line.kind,
                        line.amount, paid_by)

    def _people(self, conn: Connection, where: str, params: dict[str, Any]) -> dict[str, Beneficiary]:
        rows = conn.execute(
            text(f"SELECT {_PERSON_COLUMNS} FROM beneficiaries b WHERE {where} ORDER BY b.person_id"), params
        )
        return {row[0]: beneficiary_of(row) for row in rows}

    def _people_by_code(self, conn: Connection, codes: Iterable[str]) -> dict[str, Beneficiary]:
        found: dict[str, Beneficiary] = {}
        for chunk in chunks(sorted(set(codes))):
            placeholders, params = in_clause(chunk, "rc")
            found.update(self._people(conn, f"b.record_code IN ({placeholders})", params))
        return found

    def _lines_of(self, conn: Connection, where: str, params: dict[str, Any]) -> dict[str, list[EntitlementLine]]:
        lines: dict[str, list[EntitlementLine]] = defaultdict(list)
        rows = conn.execute(
            text(
                f"SELECT {_LINE_COLUMNS} FROM entitlement_lines l "
                "JOIN beneficiaries b ON b.record_code = l.record_code "
                f"WHERE {where} ORDER BY b.person_id, l.period, l.position"
            ),
            params,
        )
        for row in rows:
            lines[row[1]].append(line_of(row))
        return lines

    def _lines_by_code(self, conn: Connection, codes: Iterable[str]) -> dict[str, list[EntitlementLine]]:
        found: dict[str, list[EntitlementLine]] = {}
        for chunk in chunks(sorted(set(codes))):
            placeholders, params = in_clause(chunk, "rc")
            found.update(self._lines_of(conn, f"b.record_code IN ({placeholders})", params))
        return found

    def _settlements(self, conn: Connection, keys: Iterable[str], up_to: str | None = None) -> dict[str, str]:
        """line key → the standing payment that settled it; with ``up_to``, only payments of a payout month up to
        it (a line settled in a later month was unpaid then)."""
        found: dict[str, str] = {}
        later = "" if up_to is None else (
            " AND entry_id IN (SELECT p.entry_id FROM payments p JOIN payout_sessions ps ON ps.session_id = "
            "p.session_id WHERE ps.period <= :up_to)")
        for chunk in chunks(sorted(set(keys))):
            placeholders, params = in_clause(chunk, "k")
            found.update(conn.execute(
                text(f"SELECT line_key, entry_id FROM line_settlements WHERE line_key IN ({placeholders}){later}"),
                {**params, "up_to": up_to} if up_to else params,
            ).all())
        return found

    def _payments_touching(self, conn: Connection, keys: Iterable[str], up_to: str
                           ) -> dict[str, tuple[int, str | None]]:
        """entry id → (seq, reversing entry id) of every payment (standing or reversed) that paid one of ``keys`` in
        a session of a payout month up to ``up_to``: a document of a month depends on what was paid by its end, so a
        carried-over line paid in a later month leaves it (and its fingerprint) as it was."""
        found: dict[str, tuple[int, str | None]] = {}
        for chunk in chunks(sorted(set(keys))):
            placeholders, params = in_clause(chunk, "k")
            rows = conn.execute(
                text(
                    "SELECT DISTINCT p.entry_id, j.seq, p.reversed_by FROM payment_lines pl "
                    "JOIN payments p ON p.entry_id = pl.entry_id JOIN journal j ON j.entry_id = p.entry_id "
                    "JOIN payout_sessions ps ON ps.session_id = p.session_id "
                    f"WHERE pl.line_key IN ({placeholders}) AND ps.period <= :up_to"
                ),
                {**params, "up_to": up_to},
            )
            for entry_id, seq, reversed_by in rows:
                found[entry_id] = (seq, reversed_by)
        return found

    def _seq_of(self, conn: Connection, entry_ids: Iterable[str | None]) -> dict[str, int]:
        ids = sorted({entry for entry in entry_ids if entry})
        found: dict[str, int] = {}
        for chunk in chunks(ids):
            placeholders, params = in_clause(chunk, "e")
            found.update(conn.execute(
                text(f"SELECT entry_id, seq FROM journal WHERE entry_id IN ({placeholders})"), params
            ).all())
        return found

    def _marks(self, conn: Connection, where: str, params: dict[str, Any]) -> list[tuple[PaymentMark, str | None]]:
        """Payments (with their strokes) matching ``where`` over ``payments p``, in journal order, each with the entry
        id of its reversal (or None)."""
        rows = conn.execute(
            text(
                "SELECT j.payload, j.entry_hash, s.strokes, p.reversed_by, p.receipt_no FROM payments p "
                "JOIN journal j ON j.entry_id = p.entry_id LEFT JOIN signatures s ON s.entry_id = p.entry_id "
                f"WHERE {where} ORDER BY j.seq"
            ),
            params,
        )
        result = []
        for payload, entry_hash, strokes, reversed_by, receipt_no in rows:
            result.append((self._mark(json.loads(bytes(payload)), entry_hash, strokes, receipt_no or 0), reversed_by))
        return result

    @staticmethod
    def _mark(payload: dict[str, Any], entry_hash: str, strokes: bytes | None, receipt_no: int = 0) -> PaymentMark:
        payment = canon.payment_from_payload(payload, entry_hash)
        return PaymentMark(
            entry_id=payment.entry_id, seq=payment.seq, entry_hash=entry_hash, recorded_at=payment.recorded_at,
            total=payment.total, recipient=payment.recipient, evidence=payment.evidence_kind,
            identity_check=payment.identity_check, staff=payment.staff, strokes=bytes(strokes) if strokes else b"",
            witness=payment.witness, reason=payment.evidence_reason, back_entry=payment.back_entry,
            line_keys=tuple(line.key for line in payment.lines), receipt_no=receipt_no,
            paid_lines=tuple((line.programme, line.amount) for line in payment.lines),
        )

    def _sessions(self, conn: Connection, where: str, params: dict[str, Any]) -> list[PayoutSession]:
        ids = [row[0] for row in conn.execute(
            text(f"SELECT session_id FROM payout_sessions WHERE {where} ORDER BY day, rowid"), params
        )]
        sessions = []
        for session_id in ids:
            session = load_session(conn, session_id)
            if session is not None:
                sessions.append(session)
        return sessions

    def _session_entries(self, conn: Connection, session_ids: list[str]) -> list[int]:
        seqs: list[int] = []
        for chunk in chunks(session_ids):
            placeholders, params = in_clause(chunk, "s")
            rows = conn.execute(
                text(
                    "SELECT o.seq, c.seq FROM payout_sessions ps JOIN journal o ON o.entry_id = ps.opened_entry "
                    f"LEFT JOIN journal c ON c.entry_id = ps.closed_entry WHERE ps.session_id IN ({placeholders})"
                ),
                params,
            )
            for opened, closed in rows:
                seqs.extend(seq for seq in (opened, closed) if seq)
        return seqs

    def _hint(self, conn: Connection, person: Beneficiary, day: dt.date) -> str:
        if person.status is BeneficiaryStatus.DECEASED and person.representative is not None:
            rep = person.representative
            return f"Đại diện: {rep.name}" + (f"\nCCCD {rep.id_number}" if rep.id_number else "")
        row = conn.execute(
            text(
                "SELECT proxy_name, proxy_id_number, number, valid_until FROM authorisations WHERE record_code = :rc "
                "AND valid_until >= :d AND (valid_from IS NULL OR valid_from <= :d) ORDER BY valid_until DESC LIMIT 1"
            ),
            {"rc": person.record_code, "d": day.isoformat()},
        ).first()
        if row is None:
            return ""
        until = dt.date.fromisoformat(row[3]).strftime("%d/%m/%Y")
        return f"Ủy quyền: {row[0]}\nCCCD {row[1]}\nGUQ {row[2]}, hạn {until}"

    # --- payout sheet -----------------------------------------------------------------------------------------------

    # --- agencies ---------------------------------------------------------------------------------------------------

    def agency_order(self) -> tuple[str, ...]:
        """The agencies in the policy's order (Sở Nội vụ, BHXH, the commune): the order of sheets and figures."""
        return tuple(self.policy.agencies)

    def agency_name(self, agency: str) -> str:
        """An agency in words: its name from the policy; an agency the policy does not know is a programme's own
        (``PolicyReference.agency_of``), named by that programme."""
        if agency in self.policy.agencies:
            return self.policy.agency_name(agency)
        return self._programme_name(agency)

    def agency_names(self) -> dict[str, str]:
        return {code: self.agency_name(code) for code in self.policy.agencies}

    def _agency_rank(self, agency: str) -> tuple[int, str]:
        order = self.agency_order()
        return (order.index(agency) if agency in order else len(order), agency)

    def _programmes_of(self, agency: str) -> tuple[str, ...]:
        found = tuple(code for code in self.policy.programmes if self.policy.agency_of(code) == agency)
        return found or (agency,)

    def sheet_bundle(self, point_id: str, day: dt.date, period: str | None = None) -> SheetBundle:
        """The point-day's payout sheets, one per agency with a line there (see ``SheetBundle``)."""
        whole = self.payout_sheet(point_id, day, period)
        sections = tuple(replace(self.payout_sheet(point_id, day, whole.period, agency=agency),
                                 printed_at=whole.printed_at) for agency in whole.agencies)
        return SheetBundle(sections, whole)

    def payout_sheet(self, point_id: str, day: dt.date, period: str | None = None, *,
                     agency: str = "") -> PayoutSheetData:
        """The sheet of ``point_id`` on ``day`` (see the module docstring for what it holds); with ``agency``, only
        that agency's lines (a line's agency is its programme's, ``PolicyReference.agency_of``), its people, the
        payments that paid them and the journal entries they depend on: that agency's voucher.

        ``period`` defaults to the period of the point's sessions that day, else the month of ``day``.
        """
        with database.read(self.store.engine) as conn:
            commune = self._point_commune(conn, point_id)
            place = self._place(conn, commune, point_id)
            sessions = self._sessions(conn, "point_id = :p AND day = :d", {"p": point_id, "d": day.isoformat()})
            if period is None:
                period = max((s.period for s in sessions), default=period_of(day))
            check_period(period)
            session_ids = [s.session_id for s in sessions]
            journal = _Journal(self.store.device_id)
            journal.add(*self._session_entries(conn, session_ids))
            placeholders, params = in_clause(session_ids, "s")
            here = {mark.entry_id: mark for mark, reversed_by in self._marks(
                conn, f"p.session_id IN ({placeholders}) AND p.reversed_by IS NULL", params)}
            # the lists as kept up to the sheet's month (``app.store.kept``): the people the newest list of then put
            # at this point, as it gave them, and their lines as listed then — later lists, amendments and payments
            # of later months leave an earlier month's sheet as it was
            people = self._people_kept_at(conn, point_id, period)
            lines = kept.lines_up_to(conn, period, list(people))
            visitors = {code for code in self._codes_of(conn, list(here)) if code not in people}
            people.update(self._people_by_code(conn, visitors))
            lines.update(self._lines_by_code(conn, visitors))
            paid_here = {key for mark in here.values() for key in mark.line_keys}
            agency_of = self.policy.agency_of
            agencies = sorted({agency_of(line.programme) for code, items in lines.items() for line in items
                               if code not in visitors or line.key in paid_here}, key=self._agency_rank)
            if agency:  # that agency's voucher: only its lines (a person with none is not on it)
                lines = {code: [line for line in items if agency_of(line.programme) == agency]
                         for code, items in lines.items()}
                own = {line.key for items in lines.values() for line in items}
                here = {entry: mark for entry, mark in here.items() if any(key in own for key in mark.line_keys)}
            considered = [line.key for code, items in lines.items() for line in items
                          if code not in visitors or line.key in paid_here]
            settled = self._settlements(conn, considered, up_to=period)
            touching = self._payments_touching(conn, considered, up_to=period)
            reversal_seqs = self._seq_of(conn, (rev for _, rev in touching.values()))
            journal.add(*(seq for seq, _ in touching.values()), *reversal_seqs.values())
            rows: list[SheetPerson] = []
            figures = _SheetFigures()
            for code, person in sorted(people.items(), key=lambda item: person_order(item[1].village,
                                                                                     item[1].full_name, item[0])):
                items: list[LineItem] = []
                newest = max((line.list_period for line in lines.get(code, ())), default="")
                for line in lines.get(code, ()):
                    paid_by = settled.get(line.key)
                    # reconciled: the person's lines on the month's list, and any older one still unpaid
                    counted = code not in visitors and (line.list_period == newest or paid_by is None
                                                        or paid_by in here)
                    if counted:
                        figures.listed(line)
                    if paid_by is not None:
                        if paid_by in here:
                            items.append(self._item(line, paid_by))
                            if counted:
                                figures.on_sheet(line)
                        elif counted:
                            figures.settled(line)
                        continue
                    if code in visitors:
                        continue
                    state = assess_line(person, line, period)
                    if state.payable:
                        items.append(self._item(line))
                        figures.on_sheet(line)
                    elif line.method is PaymentMethod.ACCOUNT:
                        figures.account(line)
                    else:
                        assert state.block is not None
                        figures.not_payable.append(NotPayableLine(
                            code, person.full_name, self._regime_name(line.regime), line.amount,
                            render(state.block.code, "vi", dict(state.block.params))))
                if not items:
                    continue
                marks = tuple(mark for mark in here.values()
                              if any(item.paid_by == mark.entry_id for item in items))
                unpaid = any(item.paid_by is None for item in items)
                rows.append(SheetPerson(
                    record_code=code, full_name=person.full_name, category=person.category,
                    category_name=self.policy.category_name(person.category), lines=tuple(items), payments=marks,
                    birth_year=person.birth_year, village=person.village,
                    hint=self._hint(conn, person, day) if unpaid else "",
                ))
            first = sessions[0] if sessions else None
            closed = [s for s in sessions if s.witness]
            return PayoutSheetData(
                place=place, day=day, period=period, people=tuple(rows), journal=journal.range(conn),
                printed_at=self.store.clock(), session_ids=tuple(session_ids),
                teller=self._staff_name(conn, first.opened_by) if first else "",
                officer=closed[-1].witness if closed else "", officer_role=closed[-1].witness_role if closed else "",
                reconciliation=figures.result(), agency=agency,
                agency_name=self.agency_name(agency) if agency else "",
                programme_names=tuple(self._programme_name(code) for code in self._programmes_of(agency))
                if agency else (), main_programme=self._programmes_of(agency)[0] if agency else "",
                agencies=tuple(agencies),
            )

    @staticmethod
    def _commune_name(conn: Connection, code: str) -> str:
        return conn.execute(text("SELECT name FROM communes WHERE code = :c"), {"c": code}).scalar() or code

    @staticmethod
    def _people_kept_at(conn: Connection, point_id: str, period: str) -> dict[str, Beneficiary]:
        """The people the newest kept list up to ``period`` put at ``point_id``, each as that list gave them."""
        by_list: dict[str, list[str]] = defaultdict(list)
        for code, list_period in kept.newest_periods(conn, period, point_id=point_id).items():
            by_list[list_period].append(code)
        people: dict[str, Beneficiary] = {}
        for list_period, codes in sorted(by_list.items()):
            people.update(kept.people_listed(conn, list_period, record_codes=codes))
        return people

    def _codes_of(self, conn: Connection, entry_ids: list[str]) -> set[str]:
        codes: set[str] = set()
        for chunk in chunks(entry_ids):
            placeholders, params = in_clause(chunk, "e")
            codes.update(code for (code,) in conn.execute(
                text(f"SELECT record_code FROM payments WHERE entry_id IN ({placeholders})"), params
            ))
        return codes

    # --- receipt ----------------------------------------------------------------------------------------------------

    def receipt(self, payment_entry_id: str | Sequence[str]) -> ReceiptData:
        """The receipt of one payment (also after a reversal, which the receipt then shows), or of one visit: the
        entry ids of the payments committed together for one person (one per record, so per agency — issue 12),
        printed as one receipt whose lines are grouped by agency. The caller names the visit's payments (the desk
        knows what it committed together); they must be of one session."""
        ids = [payment_entry_id] if isinstance(payment_entry_id, str) else list(dict.fromkeys(payment_entry_id))
        if not ids or len(ids) > MAX_VISIT_PAYMENTS:
            raise DocumentInputError("doc_visit_payments", count=len(ids), most=MAX_VISIT_PAYMENTS)
        with database.read(self.store.engine) as conn:
            found: list[tuple[PaymentMark, str | None, str, str]] = []
            for entry_id in ids:
                marks = self._marks(conn, "p.entry_id = :e", {"e": entry_id})
                if not marks:
                    raise BadInputError("payment_not_found", entry=entry_id)
                code, session_id = conn.execute(
                    text("SELECT record_code, session_id FROM payments WHERE entry_id = :e"), {"e": entry_id}
                ).one()
                found.append((marks[0][0], marks[0][1], code, session_id))
            found.sort(key=lambda item: item[0].seq)
            sessions = {item[3] for item in found}
            if len(sessions) > 1:
                raise DocumentInputError("doc_visit_sessions", count=len(sessions))
            session_id = found[0][3]
            session = load_session(conn, session_id)
            if session is None:
                raise BadInputError("session_not_found", session=session_id)
            codes = list(dict.fromkeys(item[2] for item in found))
            people = self._people_by_code(conn, codes)
            known = {line.key: line for items in self._lines_by_code(conn, codes).values() for line in items}
            journal = _Journal(self.store.device_id)
            items: list[LineItem] = []
            reversals: list[ReversalItem] = []
            for mark, reversed_by, code, _session in found:
                payload = json.loads(bytes(conn.execute(
                    text("SELECT payload FROM journal WHERE entry_id = :e"), {"e": mark.entry_id}).scalar_one()))
                for paid in canon.payment_from_payload(payload).lines:
                    line = known.get(paid.key)
                    if line:
                        kind = line.kind
                    else:
                        regime = self.policy.regime(paid.regime)
                        kind = regime.kind if regime else LineKind.ONE_TIME
                    items.append(LineItem(paid.key, paid.period, paid.programme, paid.regime,
                                          self._regime_name(paid.regime), kind, paid.amount, mark.entry_id))
                journal.add(mark.seq)
                if reversed_by:
                    person = people.get(code)
                    reversal = self._reversal(conn, reversed_by, mark, code, person.full_name if person else code)
                    reversals.append(reversal)
                    journal.add(reversal.seq)
            if len(found) > 1:  # a visit: its lines by agency (the policy's order), each payment's in journal order
                items.sort(key=lambda line: self._agency_rank(self.policy.agency_of(line.programme)))
            first = people[codes[0]]
            visit = len(found) > 1
            return ReceiptData(
                place=self._place(conn, session.commune_code, session.point_id),
                record_code=", ".join(codes) if visit else codes[0], full_name=first.full_name,
                category_name="; ".join(dict.fromkeys(
                    name for name in (self.policy.category_name(people[code].category) for code in codes
                                      if code in people) if name)) if visit
                else self.policy.category_name(first.category),
                payment=found[0][0], lines=tuple(items), teller=self._staff_name(conn, found[0][0].staff),
                session_day=session.day, period=session.period, journal=journal.range(conn),
                printed_at=self.store.clock(), birth_year=first.birth_year, village=first.village,
                reversal=reversals[0] if reversals and not visit else None,
                visit=tuple(item[0] for item in found) if visit else (), reversals=tuple(reversals) if visit else (),
                agencies=tuple((agency, self.agency_name(agency))
                               for agency in (self.policy.agency_of(line.programme) for line in items)),
            )

    def _reversal(self, conn: Connection, entry_id: str, mark: PaymentMark, code: str, name: str) -> ReversalItem:
        payload = json.loads(bytes(conn.execute(
            text("SELECT payload FROM journal WHERE entry_id = :e"), {"e": entry_id}).scalar_one()))
        reversal = canon.reversal_from_payload(payload)
        return ReversalItem(
            entry_id=reversal.entry_id, seq=reversal.seq, recorded_at=reversal.recorded_at,
            payment_entry_id=mark.entry_id, payment_seq=mark.seq, record_code=code, full_name=name,
            amount=reversal.total, reason=reversal.reason, supervisor=self._staff_name(conn, reversal.supervisor),
            payment_receipt=mark.receipt_no,
        )

    # --- end-of-day minutes -----------------------------------------------------------------------------------------

    def minutes(self, session_id: str) -> MinutesData:
        """The end-of-day minutes of one session (a draft while the session is still open)."""
        with database.read(self.store.engine) as conn:
            session = load_session(conn, session_id)
        if session is None:
            raise BadInputError("session_not_found", session=session_id)
        sheet = self.payout_sheet(session.point_id, session.day, session.period)
        with database.read(self.store.engine) as conn:
            journal = _Journal(self.store.device_id)
            journal.add(*self._session_entries(conn, [session_id]))
            marks = self._marks(conn, "p.session_id = :s", {"s": session_id})
            codes = self._codes_by_entry(conn, [mark.entry_id for mark, _ in marks])
            people = self._people_by_code(conn, set(codes.values()))
            paid = []
            reversals = []
            for mark, reversed_by in marks:
                journal.add(mark.seq)
                code = codes[mark.entry_id]
                name = people[code].full_name if code in people else code
                if reversed_by:
                    reversal = self._reversal(conn, reversed_by, mark, code, name)
                    reversals.append(reversal)
                    journal.add(reversal.seq)
                else:
                    paid.append((mark, code, name))
            unpaid = []
            # "did not come" only once the day is closed; while it is open they may still come
            why = NOT_COLLECTED if session.status is SessionStatus.CLOSED else NOT_YET_COLLECTED
            for person in sheet.people:
                due = sum(line.amount for line in person.lines if line.paid_by is None)
                if due:
                    unpaid.append(UnpaidItem(person.record_code, person.full_name, due, why, person.village,
                                             sum(1 for line in person.lines if line.paid_by is None)))
            counts = EvidenceCounts(
                signature=sum(1 for m, _, _ in paid if m.evidence is EvidenceKind.SIGNATURE),
                thumbprint=sum(1 for m, _, _ in paid if m.evidence is EvidenceKind.THUMBPRINT),
                paper=sum(1 for m, _, _ in paid if m.evidence is EvidenceKind.PAPER),
                proxy=sum(1 for m, _, _ in paid if m.recipient.kind is RecipientKind.PROXY),
                representative=sum(1 for m, _, _ in paid if m.recipient.kind is RecipientKind.REPRESENTATIVE),
                back_entries=sum(1 for m, _, _ in paid if m.back_entry is not None),
            )
            closed_by = session.closed_by
            paid_by_agency = self.paid_by_agency((mark, code) for mark, code, _name in paid)
            reopening = load_reopening(conn, session_id)
            earlier = self._earlier_sessions(conn, reopening.earlier) if reopening else ()
            journal.add(*self._session_entries(conn, [item.session.session_id for item in earlier]))
            return MinutesData(
                place=sheet.place, session=session, teller=self._staff_name(conn, session.opened_by),
                closed_by=self._staff_name(conn, closed_by) if closed_by else "", paid=tuple(paid),
                unpaid=tuple(unpaid), reversals=tuple(reversals), counts=counts, journal=journal.range(conn),
                printed_at=self.store.clock(), denominations=self.policy.denominations, earlier=earlier,
                reopened_at=self._entry_time(conn, session_id, "opened_entry") if reopening else None,
                reopened_by=self._staff_name(conn, reopening.supervisor) if reopening else "",
                reopen_reason=reopening.reason if reopening else "", paid_by_agency=paid_by_agency,
            )

    def paid_by_agency(self, paid: Iterable[tuple[PaymentMark, str]]) -> tuple[AgencyFigure, ...]:
        """What payments (each with its record code) paid per agency — their lines grouped by the agency of their
        programme, whatever the payment (one payment of a record's lines of two programmes, or one per agency)."""
        return agency_totals(((self.policy.agency_of(programme), code, amount)
                              for mark, code in paid for programme, amount in mark.paid_lines),
                             {**self.agency_names(), **self._programme_agency_names()}, self.agency_order())

    def _programme_agency_names(self) -> dict[str, str]:
        """Names of the 'agencies' that are a programme's own (a programme the policy gives no agency)."""
        return {code: self._programme_name(code) for code in self.policy.programmes
                if self.policy.agency_of(code) == code}

    def _earlier_sessions(self, conn: Connection, session_ids: Iterable[str]) -> tuple[EarlierSession, ...]:
        """The sessions a reopened day closed before, with their standing payments and when they were closed."""
        found = []
        for earlier_id in session_ids:
            earlier = load_session(conn, earlier_id)
            if earlier is None:
                continue
            payments, people = conn.execute(text(
                "SELECT count(*), count(DISTINCT record_code) FROM payments "
                "WHERE session_id = :s AND reversed_by IS NULL"
            ), {"s": earlier_id}).one()
            found.append(EarlierSession(earlier, int(payments), int(people),
                                        self._entry_time(conn, earlier_id, "closed_entry"),
                                        self._staff_name(conn, earlier.closed_by)))
        return tuple(found)

    def _entry_time(self, conn: Connection, session_id: str, column: str) -> dt.datetime | None:
        """When a session's opening or closing entry was recorded (``column``: opened_entry or closed_entry)."""
        assert column in ("opened_entry", "closed_entry")
        recorded = conn.execute(text(
            f"SELECT j.recorded_at FROM payout_sessions s JOIN journal j ON j.entry_id = s.{column} "
            "WHERE s.session_id = :s"
        ), {"s": session_id}).scalar()
        return canon.parse_timestamp(recorded) if recorded else None

    def _codes_by_entry(self, conn: Connection, entry_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in chunks(entry_ids):
            placeholders, params = in_clause(chunk, "e")
            found.update(conn.execute(
                text(f"SELECT entry_id, record_code FROM payments WHERE entry_id IN ({placeholders})"), params
            ).all())
        return found

    # --- public notice ----------------------------------------------------------------------------------------------

    def notice(self, point_id: str, day: dt.date | None = None, *, period: str | None = None, contact: str = "",
               show_regimes: bool = False, show_amounts: bool = False) -> NoticeData:
        """The public notice of a point: its schedule and who may collect there (name and village only by default)."""
        with database.read(self.store.engine) as conn:
            commune = self._point_commune(conn, point_id)
            place = self._place(conn, commune, point_id)
            if period is None:
                period = period_of(day) if day else conn.execute(
                    text("SELECT max(list_period) FROM entitlement_lines")).scalar() \
                    or self.store.province_time.period_of(self.store.clock())
            check_period(period)
            slots = [
                ScheduleSlot(point_id, dt.date.fromisoformat(d), dt.time.fromisoformat(s), dt.time.fromisoformat(e))
                for d, s, e in conn.execute(
                    text('SELECT day, start, "end" FROM schedule WHERE point_id = :p ORDER BY day, start'),
                    {"p": point_id},
                )
            ]
            slots = [slot for slot in slots if (slot.day == day if day else period_of(slot.day) == period)]
            people = self._people(conn, "b.point_id = :p", {"p": point_id})
            lines = self._lines_of(conn, "b.point_id = :p", {"p": point_id})
            listed = []
            for code, person in people.items():
                # everyone on the period's list with a cash line they may collect, paid yet or not: a notice
                # announces, it does not track
                due = [line for line in lines.get(code, ()) if line.list_period == period
                       and assess_line(person, line, period).payable]
                if not due:
                    continue
                regimes = tuple(dict.fromkeys(self._regime_name(line.regime) for line in due)) if show_regimes else None
                amount = sum(line.amount for line in due) if show_amounts else None
                listed.append((person_order(person.village, person.full_name, code),
                               NoticePerson(person.full_name, person.village, regimes, amount)))
            listed.sort(key=lambda item: item[0])
            if not contact:
                contact = f"UBND {place.commune} hoặc bưu điện phụ trách điểm chi trả"
            return NoticeData(place, period, tuple(slots), tuple(person for _, person in listed), contact,
                              self.store.clock(), show_regimes, show_amounts)

    # --- sessions and the monthly report ----------------------------------------------------------------------------

    def sessions(self, *, commune_code: str | None = None, period: str | None = None, point_id: str | None = None,
                 day: dt.date | None = None) -> tuple[SessionSummary, ...]:
        """Sessions matching the filters, each with its counts (payments, people, reversals, back-entries)."""
        where, params = ["1 = 1"], {}
        for column, value in (("commune_code", commune_code), ("period", period), ("point_id", point_id),
                              ("day", day.isoformat() if day else None)):
            if value is not None:
                where.append(f"{column} = :{column}")
                params[column] = value
        with database.read(self.store.engine) as conn:
            return tuple(self._summary(conn, session) for session in self._sessions(conn, " AND ".join(where), params))

    def _summary(self, conn: Connection, session: PayoutSession) -> SessionSummary:
        payments, people, reversals, paid, first, last = conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE reversed_by IS NULL), "
                "count(DISTINCT record_code) FILTER (WHERE reversed_by IS NULL), "
                "count(reversed_by), coalesce(sum(total) FILTER (WHERE reversed_by IS NULL), 0), "
                "min(receipt_no), max(receipt_no) FROM payments WHERE session_id = :s"
            ),
            {"s": session.session_id},
        ).one()
        back = 0
        for (payload,) in conn.execute(
            text("SELECT j.payload FROM payments p JOIN journal j ON j.entry_id = p.entry_id "
                 "WHERE p.session_id = :s AND p.reversed_by IS NULL"), {"s": session.session_id}
        ):
            if json.loads(bytes(payload))["body"].get("back_entry"):
                back += 1
        name = conn.execute(text("SELECT name FROM payout_points WHERE point_id = :p"),
                            {"p": session.point_id}).scalar() or session.point_id
        return SessionSummary(session, str(name), payments, people, reversals, back, paid,
                              (first, last) if first is not None else None,
                              self._entry_time(conn, session.session_id, "closed_entry"))

    # --- what the command line lists and finds ----------------------------------------------------------------------

    def recent_sessions(self, limit: int = 60) -> tuple[SessionSummary, ...]:
        """This device's latest payout days' sessions (``limit`` at most): the newest day first, and within a day
        by point in Vietnamese order, then in the order they were opened."""
        limit = max(1, min(int(limit), 500))
        with database.read(self.store.engine) as conn:
            days = [row[0] for row in conn.execute(
                text("SELECT DISTINCT day FROM payout_sessions ORDER BY day DESC LIMIT :n"), {"n": limit})]
            if not days:
                return ()
            summaries = [self._summary(conn, session) for session in self._sessions(
                conn, "day >= :first", {"first": days[-1]})]
        summaries.sort(key=lambda item: place_key(item.point_name))
        summaries.sort(key=lambda item: item.session.day, reverse=True)
        return tuple(summaries[:limit])

    def latest_session(self) -> str | None:
        """The session the desk works in or worked in last: the latest opened that is still open, else the latest."""
        with database.read(self.store.engine) as conn:
            found = conn.execute(text(
                "SELECT s.session_id FROM payout_sessions s JOIN journal j ON j.entry_id = s.opened_entry "
                "ORDER BY s.status = 'open' DESC, j.seq DESC LIMIT 1")).scalar()
        return str(found) if found else None

    def receipts(self, session_id: str) -> tuple[ReceiptLine, ...]:
        """A session's payments by receipt number (reversed ones too, marked), for the command line."""
        with database.read(self.store.engine) as conn:
            if load_session(conn, session_id) is None:
                raise BadInputError("session_not_found", session=session_id)
            rows = conn.execute(text(
                "SELECT p.receipt_no, p.day, p.entry_id, p.recorded_at, p.record_code, b.full_name, p.total, "
                "p.reversed_by IS NOT NULL, j.payload FROM payments p JOIN journal j ON j.entry_id = p.entry_id "
                "LEFT JOIN beneficiaries b ON b.record_code = p.record_code "
                "WHERE p.session_id = :s ORDER BY p.receipt_no, j.seq"), {"s": session_id}).all()
        return tuple(
            ReceiptLine(number or 0, dt.date.fromisoformat(day) if day else dt.date.min, entry_id,
                        canon.parse_timestamp(recorded_at), code, name or code, total, bool(reversed_),
                        bool(json.loads(bytes(payload))["body"].get("back_entry")))
            for number, day, entry_id, recorded_at, code, name, total, reversed_, payload in rows
        )

    def find_payment(self, ref: str, day: dt.date | None = None) -> str:
        """The payment entry id a person names, as the screen and the paper show it: a receipt number ("7",
        "số 7") of ``day`` — by default the latest payout day this device paid on —, or the first characters of the
        payment's id (six at least: the short id shown by earlier versions), or the whole id."""
        wanted = " ".join(ref.split()).casefold()
        for prefix in ("biên nhận", "bien nhan", "số", "so", "#"):
            wanted = wanted.removeprefix(prefix).strip()
        with database.read(self.store.engine) as conn:
            if wanted.isdigit() and len(wanted) <= 6:
                if day is None:
                    latest = conn.execute(text("SELECT max(day) FROM payments")).scalar()
                    if latest is None:
                        raise BadInputError("receipt_none")
                    day = dt.date.fromisoformat(latest)
                found = conn.execute(text("SELECT entry_id FROM payments WHERE day = :d AND receipt_no = :n"),
                                     {"d": day.isoformat(), "n": int(wanted)}).scalar()
                if found is None:
                    last = conn.execute(text("SELECT max(receipt_no) FROM payments WHERE day = :d"),
                                        {"d": day.isoformat()}).scalar()
                    raise BadInputError("receipt_not_found", number=int(wanted), day=day.strftime("%d/%m/%Y"),
                                        last=last or 0)
                return str(found)
            return self._by_prefix(conn, "payments", "entry_id", wanted, ref, "payment")

    def find_session(self, ref: str) -> str:
        """The session a person names: its whole id or its first characters (six at least, as ``sessions`` shows)."""
        with database.read(self.store.engine) as conn:
            return self._by_prefix(conn, "payout_sessions", "session_id", " ".join(ref.split()).casefold(), ref,
                                   "session")

    @staticmethod
    def _by_prefix(conn: Connection, table: str, column: str, wanted: str, ref: str, what: str) -> str:
        if len(wanted) < 6 or not all(ch in "0123456789abcdef-" for ch in wanted):
            raise BadInputError(f"{what}_reference_not_found", ref=ref)
        found = [row[0] for row in conn.execute(
            text(f"SELECT {column} FROM {table} WHERE {column} >= :p AND {column} < :q ORDER BY {column} LIMIT 2"),
            {"p": wanted, "q": wanted + "\uffff"})]
        if not found:
            raise BadInputError(f"{what}_reference_not_found", ref=ref)
        if len(found) > 1:
            raise BadInputError(f"{what}_reference_ambiguous", ref=ref)
        return str(found[0])

    def monthly_report(self, commune_code: str, period: str) -> MonthlyReportData:
        """The commune's month from this device's journal (definitions in ``MonthlyReportData``)."""
        check_period(period)
        with database.read(self.store.engine) as conn:
            place = self._place(conn, commune_code)
            sessions = self._sessions(conn, "commune_code = :c AND period = :p", {"c": commune_code, "p": period})
            session_ids = [s.session_id for s in sessions]
            summaries = tuple(self._summary(conn, s) for s in sessions)
            journal = _Journal(self.store.device_id)
            journal.add(*self._session_entries(conn, session_ids))
            placeholders, params = in_clause(session_ids, "s")
            marks = self._marks(conn, f"p.session_id IN ({placeholders})", params)
            standing = {mark.entry_id: mark for mark, reversed_by in marks if not reversed_by}
            paid_keys = {key for mark in standing.values() for key in mark.line_keys}
            # the month's list as it was kept (``app.store.kept``), never the current lines: a carried-over line has
            # moved on to a newer list, a person may have died or moved since — the month re-prints the same
            people = kept.people_listed(conn, period, commune_code=commune_code)
            all_lines = kept.lines_listed(conn, period, people)
            listed_keys = {line.key for items in all_lines.values() for line in items}
            off_list = self._lines_by_code(conn, self._codes_of(conn, list(standing)))
            universe: list[EntitlementLine] = []
            account = [0, 0]
            for items in all_lines.values():
                for line in items:
                    if line.method is PaymentMethod.ACCOUNT:
                        account[0] += 1
                        account[1] += line.amount
                        continue
                    universe.append(line)
            for code, items in off_list.items():  # paid in the month but not on its list (an earlier list's line)
                off = [line for line in items if line.key in paid_keys and line.key not in listed_keys]
                if off and code not in people:
                    people.update(kept.people_listed(conn, period, record_codes=[code])
                                  or self._people_by_code(conn, [code]))
                universe.extend(off)
            settled = self._settlements(conn, [line.key for line in universe])
            touching = self._payments_touching(conn, [line.key for line in universe], up_to=period)
            reversal_seqs = self._seq_of(conn, (rev for _, rev in touching.values()))
            journal.add(*(seq for seq, _ in touching.values()), *reversal_seqs.values())
            paid = [line for line in universe if settled.get(line.key) in standing]
            paid_set = {line.key for line in paid}
            unpaid = [line for line in universe if line.key not in paid_set]

            def turns(lines: Iterable[EntitlementLine]) -> tuple[set[Turn], set[Turn]]:
                """The turns (``app.domain.cycle``) the lines make: monthly ones, one-time ones."""
                made = turns_of(lines, self.policy.agency_of)
                return ({t for t in made if t.kind is TurnKind.MONTHLY},
                        {t for t in made if t.kind is TurnKind.ONE_TIME})

            monthly_listed, once_listed = turns(universe)
            monthly_paid, once_paid = turns(paid)  # a turn is paid once a line of it is settled
            agencies = self._month_by_agency(universe, paid_set, monthly_listed | once_listed,
                                             monthly_paid | once_paid)
            figures: dict[tuple[str, str], list[int]] = {}
            kinds: dict[tuple[str, str], LineKind] = {}
            for line in universe:
                key = (line.programme, line.regime)
                row = figures.setdefault(key, [0, 0, 0, 0])
                kinds[key] = line.kind
                row[0] += 1
                row[1] += line.amount
                if line.key in paid_set:
                    row[2] += 1
                    row[3] += line.amount
            regimes = tuple(
                RegimeFigure(programme, self._programme_name(programme), regime, self._regime_name(regime),
                             kinds[(programme, regime)], *values)
                for (programme, regime), values in sorted(figures.items(), key=lambda item: _regime_order(self.policy,
                                                                                                         item[0]))
            )
            unpaid_by_person: dict[str, list[EntitlementLine]] = defaultdict(list)
            for line in unpaid:
                unpaid_by_person[line.record_code].append(line)
            unpaid_items = []
            carried = [0, 0]
            moved_lines = [0, 0]
            # people a later list puts in another commune: their unpaid lines follow them (docs/CYCLE.md)
            moved = kept.moved_to(conn, period, commune_code, list(unpaid_by_person))
            moved_items = []
            for code, items in unpaid_by_person.items():
                person = people.get(code)
                if code in moved:  # shown apart, as moved (chuyển đi), never as unpaid or carried over here
                    moved_lines[0] += len(items)
                    moved_lines[1] += sum(line.amount for line in items)
                    moved_items.append(UnpaidItem(
                        code, person.full_name if person else code, sum(line.amount for line in items),
                        moved_away(self._commune_name(conn, moved[code])), person.village if person else None,
                        len(items)))
                    continue
                reasons = []
                for line in items:
                    state = assess_line(person, line, period) if person else None
                    if state is None or state.payable:
                        reasons.append(NOT_COLLECTED)
                    else:
                        assert state.block is not None
                        reasons.append(render(state.block.code, "vi", dict(state.block.params)))
                    if carried_over(line, period, None, person):  # still payable later (not barred by a death)
                        carried[0] += 1
                        carried[1] += line.amount
                unpaid_items.append(UnpaidItem(
                    code, person.full_name if person else code, sum(line.amount for line in items),
                    "; ".join(dict.fromkeys(reasons)), person.village if person else None, len(items),
                ))
            unpaid_items.sort(key=lambda item: person_order(item.village, item.full_name, item.record_code))
            moved_items.sort(key=lambda item: person_order(item.village, item.full_name, item.record_code))
            reversal_count = sum(1 for _, reversed_by in marks if reversed_by)
            return MonthlyReportData(
                place=place, period=period,
                people_listed=len({line.record_code for line in universe}),
                people_paid=len({line.record_code for line in paid}),
                lines_listed=len(universe), lines_paid=len(paid),
                amount_listed=sum(line.amount for line in universe), amount_paid=sum(line.amount for line in paid),
                monthly_turns_listed=len(monthly_listed), monthly_turns_paid=len(monthly_paid),
                one_time_turns_listed=len(once_listed), one_time_turns_paid=len(once_paid),
                monthly_amount_paid=sum(line.amount for line in paid if line.kind is LineKind.RECURRING),
                one_time_amount_paid=sum(line.amount for line in paid if line.kind is not LineKind.RECURRING),
                carried_in_lines=sum(1 for line in universe if line.period < period),
                carried_in_amount=sum(line.amount for line in universe if line.period < period),
                carried_over_lines=carried[0], carried_over_amount=carried[1],
                account_lines=account[0], account_amount=account[1], regimes=regimes, unpaid=tuple(unpaid_items),
                sessions=summaries, reversals=reversal_count, journal=journal.range(conn),
                printed_at=self.store.clock(), moved_lines=moved_lines[0], moved_amount=moved_lines[1],
                moved=tuple(moved_items), agencies=agencies,
            )

    def _month_by_agency(self, universe: list[EntitlementLine], paid: set[str], turns_listed: set[Turn],
                         turns_paid: set[Turn]) -> tuple[AgencyFigure, ...]:
        """The month per agency: its lines and amount listed and paid, its turns listed and paid (turns carry the
        agency, ``app.domain.cycle``), in the policy's order — the agencies' amounts add up to the month's."""
        agency_of = self.policy.agency_of
        figures: dict[str, list[int]] = {}
        people: dict[str, set[str]] = defaultdict(set)
        for line in universe:
            row = figures.setdefault(agency_of(line.programme), [0, 0, 0, 0])
            row[0] += 1
            row[1] += line.amount
            if line.key in paid:
                row[2] += 1
                row[3] += line.amount
                people[agency_of(line.programme)].add(line.record_code)
        listed: dict[str, int] = defaultdict(int)
        for turn in turns_listed:
            listed[turn.agency] += 1
        done: dict[str, int] = defaultdict(int)
        for turn in turns_paid:
            done[turn.agency] += 1
        names = {**self.agency_names(), **self._programme_agency_names()}
        return tuple(
            AgencyFigure(agency, names.get(agency, agency), row[2], len(people[agency]), row[3], row[0], row[1],
                         listed[agency], done[agency])
            for agency, row in sorted(figures.items(), key=lambda item: self._agency_rank(item[0]))
        )

    # --- for verification by fingerprint text -----------------------------------------------------------------------

    def document_candidates(self) -> Iterator[DocumentRequest]:
        """Every fingerprinted document this journal can make, for finding one by its fingerprint alone: the sheets
        (both forms; each agency's, the file of all and the whole point-day, ``verify_text``) and minutes of every
        session's point and day, each payment's receipt, each printed visit's receipt, each commune's month."""
        from app.documents import DocumentKind, DocumentRequest

        with database.read(self.store.engine) as conn:
            sessions = conn.execute(
                text("SELECT session_id, point_id, day, period, commune_code FROM payout_sessions ORDER BY day")
            ).all()
            payments = [entry for (entry,) in conn.execute(text("SELECT entry_id FROM payments ORDER BY rowid"))]
            # the receipts of visits (several payments on one receipt) that left this device: the log knows them
            visits = [json.loads(locator).get("payment", "") for (locator,) in conn.execute(text(
                "SELECT DISTINCT locator FROM printed_documents WHERE kind = 'receipt' AND locator LIKE '%,%'"))]
        seen: set[tuple[str, ...]] = set()
        for session_id, point_id, day, period, _commune in sessions:
            for kind in (DocumentKind.SHEET_SIGNED, DocumentKind.SHEET_BLANK):
                key = (kind.value, point_id, day, period)
                if key not in seen:
                    seen.add(key)
                    yield DocumentRequest(kind, point_id=point_id, day=dt.date.fromisoformat(day), period=period)
            yield DocumentRequest(DocumentKind.MINUTES, session_id=session_id)
        for commune, period in sorted({(row[4], row[3]) for row in sessions}):
            yield DocumentRequest(DocumentKind.MONTHLY, commune_code=commune, period=period)
        for entry in payments:
            yield DocumentRequest(DocumentKind.RECEIPT, payment_id=entry)
        for visit in visits:
            yield DocumentRequest(DocumentKind.RECEIPT, payment_ids=tuple(str(visit).split(",")))

    def default_day(self, point_id: str, period: str | None = None) -> dt.date:
        """The point's scheduled day in ``period`` (or its latest session or scheduled day)."""
        with database.read(self.store.engine) as conn:
            self._point_commune(conn, point_id)
            rows = [dt.date.fromisoformat(d) for (d,) in conn.execute(
                text("SELECT day FROM schedule WHERE point_id = :p UNION SELECT day FROM payout_sessions "
                     "WHERE point_id = :p ORDER BY 1"), {"p": point_id})]
        if period:
            rows = [day for day in rows if period_of(day) == period]
        if not rows:
            raise DocumentInputError("doc_no_schedule", point=point_id,
                                     period=display_period(period) if period else "-")
        return rows[-1]


class _SheetFigures:
    """Adds up a sheet's ``SheetReconciliation`` as the sheet's lines are sorted out."""

    def __init__(self) -> None:
        self.counts = {name: [0, 0] for name in ("listed", "on_sheet", "settled", "account")}
        self.not_payable: list[NotPayableLine] = []

    def _add(self, name: str, line: EntitlementLine) -> None:
        self.counts[name][0] += 1
        self.counts[name][1] += line.amount

    def listed(self, line: EntitlementLine) -> None:
        self._add("listed", line)

    def on_sheet(self, line: EntitlementLine) -> None:
        self._add("on_sheet", line)

    def settled(self, line: EntitlementLine) -> None:
        self._add("settled", line)

    def account(self, line: EntitlementLine) -> None:
        self._add("account", line)

    def result(self) -> SheetReconciliation:
        c = self.counts
        return SheetReconciliation(c["listed"][0], c["listed"][1], c["on_sheet"][0], c["on_sheet"][1],
                                   c["settled"][0], c["settled"][1], c["account"][0], c["account"][1],
                                   tuple(self.not_payable))


def person_order(village: str | None, full_name: str, record_code: str) -> tuple[object, ...]:
    """The order people are printed in: village (by name), then the person's name as Vietnamese lists sort it
    (given name, family name, middle names); the record code keeps namesakes in a fixed order."""
    return place_key(village or ""), person_name_key(full_name), record_code


def _regime_order(policy: PolicyReference, key: tuple[str, str]) -> tuple[int, int, str]:
    programmes = list(policy.programmes)
    regimes = list(policy.regimes)
    programme, regime = key
    return (
        programmes.index(programme) if programme in programmes else len(programmes),
        regimes.index(regime) if regime in regimes else len(regimes),
        regime,
    )
