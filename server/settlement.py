"""The monthly settlement (quyết toán) of a payout period: what the provider reports before the 20th, per commune.

Thông tư 44/2022/TT-BTC, art. 8: the provider reports who was paid and who was not (the unpaid are carried to next
month), returns the unspent cash and the signed lists. This module computes those figures from what the province
server holds — the lists (``list_lines``), the settled lines (``settled``), the journal entries the devices sent
(``entries``, ``reversals``) and the flags with their resolutions — as frozen dataclasses with money in integer VND.
Rendering lives in ``settlement_pdf`` and ``settlement_xlsx``; nothing here knows about the web.

What each figure means, for a period P (``YYYY-MM``) and a commune:

Lines (``LineFigures``: lines, distinct people, amount):
- ``listed``: the cash lines of P's list (``list_lines`` with list_period = P and method = 'cash'; lines paid into
  an account never reach a payout point). ``listed_monthly``: kind 'recurring'; ``listed_one_time``: every other
  kind (one-time, arrears, death-related). Amounts are the listed amounts.
- ``paid``: lines of P's list settled in P (``settled.payout_period`` = P: paid in a session of P by a payment that
  was not reversed; the first such payment of a line counts, a second one is a flagged double payment).
  ``paid_monthly`` / ``paid_one_time`` split it like the list. Amounts are what was paid (``settled.amount``),
  which differs from the listed amount only where an ``amount_mismatch`` flag says so.
- ``paid_earlier``: lines of P's list already settled in an earlier payout period (two months paid together near
  Tết, or a list that repeated a paid line); neither paid in P nor owed.
- ``carried_over`` (``app.domain.cycle.carried_over``, ``docs/CYCLE.md``): lines of P's list not settled by the
  end of P (unsettled, or settled only in a later period) and still payable later: the "unpaid, carried to next
  month" of the report; listed amounts. ``carried_relisted``: those of them on a later month's list
  (``list_lines`` of a period after P).
- ``barred``: lines of P's list unpaid at the end of P that no later month can pay — a monthly line for a period
  after the month of a recorded death (``cycle.barred_for_good``); not carried over.
  ``paid_later``: lines of P's list settled since, in a later payout period (paid amounts).
- ``moved``: lines of P's list unpaid at the end of P, not barred, whose person the next list that has them puts in
  another commune (``list_people``): they follow the person and are paid there (``docs/CYCLE.md``), so they are
  neither carried over nor unpaid here.
  So ``listed.lines = paid.lines + paid_earlier.lines + carried_over.lines + barred.lines + moved.lines``.
- ``paid_off_list``: lines settled in P that are not on P's cash list (e.g. a line paid before the list that carries
  it over was imported); their cash is in ``cash.paid_out``.

Cash (``CashFigures``), over the payout sessions of P in the commune (sessions whose opening entry says period P):
- ``advances``: the cash advances (tạm ứng) recorded when the sessions were opened (``session_opened``).
- ``paid_out``: the totals of the payments of P's sessions, less the payments reversed by a supervisor
  (``reversals``); ``payments`` counts them. Double payments are in it: the cash did leave twice.
- ``reversed_payments`` / ``reversed_amount``: the payments of P's sessions that were reversed (not in paid_out).
- ``unspent`` = advances − paid_out: the cash to return (or account for) at settlement.
- ``counted``: the cash counted at the closure of the closed sessions (``session_closed`` counted_total);
  ``closure_difference``: the differences the tellers declared at closure (counted − expected, with a reason).
  Comparable with ``unspent`` only once every session is closed.
- ``sessions_opened`` / ``sessions_closed`` / ``sessions_open``.
- ``paid_twice`` (on ``Figures``) = paid_out − paid.amount − paid_off_list.amount: cash paid for lines that another
  payment had already settled — the double payments, each of them also a flag.

Flags (``FlagFigures``): flags raised on entries of P (payments, sessions and closures of P's sessions, reversals of
P's payments) in the commune, by kind. A flag is *resolved* when it has a resolution without write-off
(write_off = 0), or a resolution with a write-off (write_off > 0) that an approver approved; otherwise it is *open*
(``awaiting_approval`` counts the open flags whose write-off waits for its approval). ``written_off`` sums the approved
write-offs (money the provider will not recover); ``pending_write_off`` the write-offs not yet approved.

Province totals (``Settlement.total``) are sums over the communes, except ``people``, which counts distinct people.

Every figure comes from four set-based statements — the lines (P's list with its settlement, plus the lines settled
off the list; per person, then per commune), the cash (entries of P's sessions), the flag counts and the flag list —
with GROUP BY, never a loop over rows in Python. The same SQL runs on PostgreSQL and SQLite; only reading the count
out of a closure's stored JSON differs. With the Quảng Ninh pilot's volume (174 communes, ≈13,000 people, a year of
lists and ≈165,000 payments) the province report of the heaviest month takes about 0.2–0.4 s on PostgreSQL, one
commune's about 0.05 s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Text,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB

from app.domain.clock import VIETNAM, ProvinceTime
from app.domain.journal import canonical_json, parse_timestamp
from app.domain.messages import render
from app.domain.model import BeneficiaryStatus, EntryKind, LineKind
from app.domain.period import check_period
from app.domain.text import place_key
from app.wire import constants
from server import schema

__all__ = [
    "SettlementError",
    "LineFigures",
    "CashFigures",
    "TurnFigures",
    "FlagCount",
    "FlagFigures",
    "Figures",
    "CommuneSettlement",
    "FlagRow",
    "Settlement",
    "AgencyFigures",
    "settlement",
    "month_figures",
    "FOLLOW_UPS",
    "flag_label",
    "FLAG_LABELS",
    "FLAG_OPEN",
    "FLAG_AWAITING_APPROVAL",
    "FLAG_RESOLVED",
    "STATE_LABELS",
]

FLAG_OPEN = "open"
FLAG_AWAITING_APPROVAL = "awaiting_approval"
FLAG_RESOLVED = "resolved"
STATE_LABELS = {
    FLAG_OPEN: "Chưa xử lý",
    FLAG_AWAITING_APPROVAL: "Chờ duyệt (không thu hồi)",
    FLAG_RESOLVED: "Đã xử lý",
}

CASH = "cash"
RECURRING = LineKind.RECURRING.value


class SettlementError(ValueError):
    """A report that cannot be made (bad period, unknown commune), said in the officer's words.

    ``code`` and ``params`` name the refusal for the console, which says it in the page's language.
    """

    def __init__(self, message: str, code: str, **params: str) -> None:
        super().__init__(message)
        self.code, self.params = code, params


FLAG_LABELS = {
    constants.FLAG_DOUBLE_PAYMENT: "Chi trùng (khoản đã được chi)",
    constants.FLAG_AFTER_DEATH: "Chi sau khi đối tượng đã mất",
    constants.FLAG_WHILE_SUSPENDED: "Chi khi đối tượng đang bị tạm dừng",
    constants.FLAG_AMOUNT_MISMATCH: "Số tiền khác danh sách",
    constants.FLAG_UNKNOWN_LINE: "Khoản không có trong danh sách",
    constants.FLAG_AUTHORISATION_EXPIRED: "Giấy ủy quyền đã hết hạn",
    constants.FLAG_PROXY_OVERUSE: "Người được ủy quyền nhận cho quá nhiều người",
    constants.FLAG_FORK: "Nhật ký rẽ nhánh (máy khôi phục từ sao lưu)",
    constants.FLAG_CHAIN_BREAK: "Chuỗi nhật ký bị đứt",
    constants.FLAG_REVOKED_DEVICE: "Gửi từ máy đã bị thu hồi",
    constants.FLAG_CLOCK_SKEW: "Đồng hồ máy lệch quá 5 phút",
    constants.FLAG_CLOSURE_MISMATCH: "Số liệu chốt phiên khác máy chủ",
    constants.FLAG_OTHER_COMMUNE: "Khoản của xã khác",
    constants.FLAG_AMOUNT_OUT_OF_RANGE: "Số tiền âm hoặc vượt mức tối đa (không tính)",
}
"""Short names of the flag kinds for reports (the devices show a sentence: ``app.domain.messages``)."""


def flag_label(kind: str) -> str:
    """A flag kind in Vietnamese, short enough for a table; an unknown kind falls back to the devices' sentence."""
    return FLAG_LABELS.get(kind) or render(f"flag_{kind}", "vi", {})


# --- the figures ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineFigures:
    """Lines of a list: how many, for how many distinct people, how much (VND)."""

    lines: int = 0
    people: int = 0
    amount: int = 0

    def __add__(self, other: LineFigures) -> LineFigures:
        """Sums lines and amounts; ``people`` is summed too (callers replace it with a distinct count)."""
        return LineFigures(self.lines + other.lines, self.people + other.people, self.amount + other.amount)


@dataclass(frozen=True)
class TurnFigures:
    """Turns (``docs/CYCLE.md``: person, agency, the line's period, kind) of P's cash list and those paid in P — the
    pilot's measure — with the lines paid twice (flagged cash, never a turn) and the lines paid into an account
    (not at a payout point, outside every other figure), from the same queries as the console's progress page
    (``server.progress``), so both agree."""

    monthly: int = 0
    monthly_paid: int = 0
    one_time: int = 0
    one_time_paid: int = 0
    double_lines: int = 0
    double_cash: int = 0
    account_lines: int = 0
    account_people: int = 0
    account_amount: int = 0

    @property
    def listed(self) -> int:
        return self.monthly + self.one_time

    @property
    def paid(self) -> int:
        return self.monthly_paid + self.one_time_paid

    def __add__(self, other: TurnFigures) -> TurnFigures:
        return TurnFigures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class CashFigures:
    """The cash of P's sessions (see the module docstring)."""

    advances: int = 0
    paid_out: int = 0
    payments: int = 0
    reversed_payments: int = 0
    reversed_amount: int = 0
    counted: int = 0
    closure_difference: int = 0
    sessions_opened: int = 0
    sessions_closed: int = 0

    @property
    def unspent(self) -> int:
        """Advances less the cash paid out: what the provider returns or accounts for."""
        return self.advances - self.paid_out

    @property
    def sessions_open(self) -> int:
        return self.sessions_opened - self.sessions_closed

    def __add__(self, other: CashFigures) -> CashFigures:
        return CashFigures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class FlagCount:
    """The flags of one kind: open (of which awaiting a write-off approval), resolved, and the write-offs."""

    kind: str
    open: int = 0
    awaiting_approval: int = 0
    resolved: int = 0
    written_off: int = 0
    pending_write_off: int = 0

    @property
    def label(self) -> str:
        return flag_label(self.kind)

    @property
    def total(self) -> int:
        return self.open + self.resolved

    def __add__(self, other: FlagCount) -> FlagCount:
        return FlagCount(self.kind, self.open + other.open, self.awaiting_approval + other.awaiting_approval,
                         self.resolved + other.resolved, self.written_off + other.written_off,
                         self.pending_write_off + other.pending_write_off)


@dataclass(frozen=True)
class FlagFigures:
    """Flags of P's entries by kind (kinds in ``constants.FLAG_KINDS`` order), with totals."""

    by_kind: tuple[FlagCount, ...] = ()

    def _sum(self, name: str) -> int:
        return sum(getattr(count, name) for count in self.by_kind)

    @property
    def open(self) -> int:
        return self._sum("open")

    @property
    def awaiting_approval(self) -> int:
        return self._sum("awaiting_approval")

    @property
    def resolved(self) -> int:
        return self._sum("resolved")

    @property
    def total(self) -> int:
        return self.open + self.resolved

    @property
    def written_off(self) -> int:
        return self._sum("written_off")

    @property
    def pending_write_off(self) -> int:
        return self._sum("pending_write_off")

    def of(self, kind: str) -> FlagCount:
        return next((count for count in self.by_kind if count.kind == kind), FlagCount(kind))

    def __add__(self, other: FlagFigures) -> FlagFigures:
        merged: dict[str, FlagCount] = {}
        for count in (*self.by_kind, *other.by_kind):
            merged[count.kind] = merged[count.kind] + count if count.kind in merged else count
        return FlagFigures(_ordered_kinds(merged.values()))


@dataclass(frozen=True)
class Figures:
    """Every figure of a commune (or of the province) for one period; see the module docstring."""

    listed: LineFigures = LineFigures()
    listed_monthly: LineFigures = LineFigures()
    listed_one_time: LineFigures = LineFigures()
    paid: LineFigures = LineFigures()
    paid_monthly: LineFigures = LineFigures()
    paid_one_time: LineFigures = LineFigures()
    paid_earlier: LineFigures = LineFigures()
    carried_over: LineFigures = LineFigures()
    carried_relisted: LineFigures = LineFigures()
    barred: LineFigures = LineFigures()
    paid_later: LineFigures = LineFigures()
    paid_off_list: LineFigures = LineFigures()
    moved: LineFigures = LineFigures()
    """Lines of P's list unpaid at the end of P whose person the next list that has them puts in another commune:
    they follow the person (``docs/CYCLE.md``, "People who move"), so they are not carried over here."""
    cash: CashFigures = CashFigures()
    flags: FlagFigures = FlagFigures()
    turns: TurnFigures = TurnFigures()

    @property
    def paid_twice(self) -> int:
        """Cash paid for lines another payment had already settled (double payments)."""
        return self.cash.paid_out - self.paid.amount - self.paid_off_list.amount

    @property
    def is_empty(self) -> bool:
        return self == Figures()

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


LINE_GROUPS = ("listed", "listed_monthly", "listed_one_time", "paid", "paid_monthly", "paid_one_time", "paid_earlier",
               "carried_over", "carried_relisted", "barred", "paid_later", "paid_off_list", "moved")
"""The ``LineFigures`` fields of ``Figures``."""


@dataclass(frozen=True)
class CommuneSettlement:
    code: str
    name: str
    district: str | None
    figures: Figures


@dataclass(frozen=True)
class FlagRow:
    """One flag of the period, for the list of flags."""

    flag_id: int
    kind: str
    commune_code: str | None
    commune_name: str
    entry_id: str
    entry_kind: str
    device_id: str
    device_label: str
    record_code: str | None
    line_key: str | None
    created_at: dt.datetime
    state: str
    written_off: int
    pending_write_off: int

    @property
    def label(self) -> str:
        return flag_label(self.kind)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class AgencyFigures:
    """One agency's part of a settlement (issue 12): its cash lines listed and paid in P, and the cash paid for its
    lines by the payments of P's sessions (``paid_lines``: a payment that paid two agencies' lines counts its part
    for each), so the agencies' ``cash_paid`` sum to ``cash.paid_out``. ``agency`` "" gathers paid lines the
    province's lines do not know (their agency cannot be told)."""

    agency: str
    name: str
    listed: LineFigures = LineFigures()
    paid: LineFigures = LineFigures()
    payments: int = 0
    cash_paid: int = 0


@dataclass(frozen=True)
class Settlement:
    """The settlement of one period, for one commune or the whole province."""

    period: str
    commune: str | None  # the commune asked for; None for the province report
    province_code: str
    province_name: str
    generated_at: dt.datetime
    communes: tuple[CommuneSettlement, ...]
    total: Figures
    flags: tuple[FlagRow, ...] = field(default=())
    by_agency: tuple[AgencyFigures, ...] = field(default=())
    """The figures per agency (``AgencyFigures``), in the catalogue's order; their cash sums to the cash paid."""
    agency: str | None = None
    clock: ProvinceTime = VIETNAM
    """The province's clock (the server's ``settings.province_time``): every date and time the PDF and the
    spreadsheet print is on it, labelled with its name."""
    """The one agency the report is limited to (an officer of one agency), None for every agency."""

    @property
    def title(self) -> str:
        year, month = self.period.split("-")
        return f"BÁO CÁO QUYẾT TOÁN CHI TRẢ THÁNG {month}/{year}"

    @property
    def document_code(self) -> str:
        """``3F2A-9C01-77BE-0D4E``: sha256 of the figures as printed (not of the time of printing), like the desktop's
        document codes: two copies with the same code carry the same figures."""
        content = {
            "v": 1, "kind": "settlement", "period": self.period, "commune": self.commune,
            "communes": [[c.code, c.name, c.district, _plain(c.figures)] for c in self.communes],
            "total": _plain(self.total),
            "flags": [[f.flag_id, f.state, f.written_off] for f in self.flags],
        }
        if len(self.by_agency) > 1 or self.agency is not None:  # a report of one agency's lines keeps its code
            content["agencies"] = [[a.agency, *(getattr(a.listed, g.name) for g in fields(a.listed)),
                                    *(getattr(a.paid, g.name) for g in fields(a.paid)), a.payments, a.cash_paid]
                                   for a in self.by_agency]
            content["agency"] = self.agency
        code = hashlib.sha256(canonical_json(content)).hexdigest()[:16].upper()
        return "-".join(code[i:i + 4] for i in range(0, 16, 4))

    @property
    def month_code(self) -> str:
        """Like ``document_code``, over the month's own figures only (``month_figures``: no follow-ups, no flag
        list): equal for every re-print of the month once its next list has arrived — what a simulated year
        compares month after month."""
        content = {
            "v": 1, "kind": "settlement-month", "period": self.period, "commune": self.commune,
            "communes": [[c.code, c.name, c.district, _plain(month_figures(c.figures))] for c in self.communes],
            "total": _plain(month_figures(self.total)),
        }
        code = hashlib.sha256(canonical_json(content)).hexdigest()[:16].upper()
        return "-".join(code[i:i + 4] for i in range(0, 16, 4))


FOLLOW_UPS = ("carried_relisted", "paid_later", "flags")
"""What a settlement says about what happened *after* its month — carried-over lines on a later list or paid in a
later month, the flags' resolutions. They follow later lists, payments and decisions by design; every other figure is
the month's own and re-prints the same (``Settlement.month_code``; ``docs/CYCLE.md``, "Each month's list is kept")."""


def month_figures(figures: Figures) -> Figures:
    """``figures`` without the follow-ups (``FOLLOW_UPS``): the month's own figures, which never change once the next
    month's list has arrived, whatever lists, amendments and payments come later."""
    return replace(figures, carried_relisted=LineFigures(), paid_later=LineFigures(), flags=FlagFigures())


def _plain(figures: Figures) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(figures):
        value = getattr(figures, f.name)
        if isinstance(value, FlagFigures):
            out[f.name] = [[c.kind, c.open, c.awaiting_approval, c.resolved, c.written_off, c.pending_write_off]
                           for c in value.by_kind]
        elif f.name == "moved" and value == LineFigures():
            continue  # added with issue 11: a report where nobody moved keeps the document code it had
        else:
            out[f.name] = [getattr(value, g.name) for g in fields(value)]
    return out


def _ordered_kinds(counts: Iterable[FlagCount]) -> tuple[FlagCount, ...]:
    order = {kind: i for i, kind in enumerate(constants.FLAG_KINDS)}
    return tuple(sorted(counts, key=lambda c: (order.get(c.kind, len(order)), c.kind)))


# --- the queries ------------------------------------------------------------------------------------------------------


def settlement(conn: Connection, period: str, commune: str | None = None, now: dt.datetime | None = None,
               agency: str | None = None, clock: ProvinceTime = VIETNAM) -> Settlement:
    """The settlement of ``period`` for ``commune`` (or every commune with anything in that period).

    ``agency``: the report of one agency's lines only (an officer of that agency): its lines listed, paid, carried
    over…; as cash, the payments of its lines and the cash paid for them only — the sessions' advances, counts and
    closures serve every agency at once and are left out of one agency's report."""
    try:
        check_period(period)
    except ValueError:
        raise SettlementError(f"kỳ không hợp lệ / bad period: {period!r} (YYYY-MM)", "bad_period",
                              value=str(period)) from None
    now = now or dt.datetime.now(dt.UTC)
    if conn.dialect.name == "postgresql":
        # The line query's estimated cost (a correlated lookup per settled line, of which almost none survive the
        # anti-join) triggers JIT compilation, which takes longer than the query itself: off for this transaction.
        conn.exec_driver_sql("SET LOCAL jit = off")
    c = schema.communes.c
    query = select(c.code, c.name, c.district, c.province_code, c.province_name).order_by(c.code)  # first = province
    if commune is not None:
        query = query.where(c.code == commune)
    places = {row["code"]: row for row in conn.execute(query).mappings()}
    if commune is not None and commune not in places:
        raise SettlementError(f"không có xã mã «{commune}» / no commune {commune}", "unknown_commune",
                              commune=commune)

    lines, people = _line_figures(conn, period, commune, agency)
    turns = _turn_figures(conn, period, commune, agency)
    cash = _cash(conn, period, commune) if agency is None else _agency_cash(conn, period, commune, agency)
    flag_counts = _flag_counts(conn, period, commune)
    codes = set(lines) | set(cash) | set(flag_counts) | set(turns)
    if commune is not None:
        codes = {commune}
    rows = []
    for code in sorted(codes, key=lambda value: _commune_order(places, value)):  # communes by name, Vietnamese order
        place = places.get(code) if code is not None else None
        figures = Figures(
            **{name: (lines.get(code, {}) if code is not None else {}).get(name, LineFigures())
               for name in LINE_GROUPS},
            cash=cash.get(code, CashFigures()),
            flags=FlagFigures(_ordered_kinds(flag_counts.get(code, {}).values())),
            turns=turns.get(code, TurnFigures()) if code is not None else TurnFigures(),
        )
        name = place["name"] if place else (code or "(không rõ xã)")
        rows.append(CommuneSettlement(code or "", name, place["district"] if place else None, figures))

    total = Figures()
    for row in rows:
        total = total + row.figures
    total = _with_people(total, people)

    if commune is not None:
        province_code, province_name = places[commune]["province_code"], places[commune]["province_name"]
    elif places:
        first = next(iter(places.values()))
        province_code, province_name = first["province_code"], first["province_name"]
    else:
        province_code, province_name = "", ""
    names = {code: place["name"] for code, place in places.items()}
    return Settlement(period, commune, province_code, province_name, now, tuple(rows), total,
                      _flag_rows(conn, period, commune, names),
                      tuple(item for item in _by_agency(conn, period, commune) if agency in (None, item.agency)),
                      agency, clock)


def _agency_payments(conn: Connection, period: str, commune: str | None) -> list[Any]:
    """Per commune and agency of the paid lines (None: a paid line the province's lines do not know), the unreversed
    payments of P's sessions that paid the agency's lines and the cash paid for those lines (``paid_lines``)."""
    e, pl, ln = schema.entries.c, schema.paid_lines.c, schema.lines.c
    query = (
        select(e.commune_code.label("commune"), ln.agency.label("agency"),
               func.count(distinct(e.entry_id)).label("payments"), func.coalesce(func.sum(pl.amount), 0).label("cash"))
        .select_from(schema.entries.join(schema.paid_lines, pl.entry_id == e.entry_id)
                     .outerjoin(schema.lines, ln.line_key == pl.line_key))
        .where(and_(e.payout_period == period, e.kind == EntryKind.PAYMENT.value, e.total.is_not(None),
                    e.entry_id.not_in(select(schema.reversals.c.payment_entry_id))))
        .group_by(e.commune_code, ln.agency)
    )
    if commune is not None:
        query = query.where(e.commune_code == commune)
    return list(conn.execute(query).mappings())


def _agency_cash(conn: Connection, period: str, commune: str | None, agency: str) -> dict[str | None, CashFigures]:
    """Per commune, the payments of P's sessions that paid ``agency``'s lines and the cash paid for those lines."""
    return {row["commune"]: CashFigures(paid_out=_int(row["cash"]), payments=_int(row["payments"]))
            for row in _agency_payments(conn, period, commune) if row["agency"] == agency}


def _by_agency(conn: Connection, period: str, commune: str | None) -> tuple[AgencyFigures, ...]:
    """Each agency's listed and paid cash lines of P and its part of the cash of P's payments (see AgencyFigures)."""
    from app.lists.policy import load_policy

    policy = load_policy()
    ll, st = schema.list_lines.c, schema.settled.c
    lines = (
        select(ll.agency, func.count().label("lines"), func.count(distinct(ll.record_code)).label("people"),
               func.coalesce(func.sum(ll.amount), 0).label("amount"),
               func.count(st.line_key).label("paid_lines"),
               func.count(distinct(case((st.line_key.is_not(None), ll.record_code)))).label("paid_people"),
               func.coalesce(func.sum(st.amount), 0).label("paid_amount"))
        .select_from(schema.list_lines.outerjoin(schema.settled, and_(st.line_key == ll.line_key,
                                                                      st.payout_period == ll.list_period)))
        .where(and_(ll.list_period == period, ll.method == CASH))
        .group_by(ll.agency)
    )
    if commune is not None:
        lines = lines.where(ll.commune_code == commune)
    figures: dict[str, dict[str, Any]] = {}
    for row in conn.execute(lines).mappings():
        figures[row["agency"] or ""] = {
            "listed": LineFigures(_int(row["lines"]), _int(row["people"]), _int(row["amount"])),
            "paid": LineFigures(_int(row["paid_lines"]), _int(row["paid_people"]), _int(row["paid_amount"]))}
    for row in _agency_payments(conn, period, commune):  # a payment is in one commune: per-commune counts add up
        target = figures.setdefault(row["agency"] or "", {})
        target["payments"] = target.get("payments", 0) + _int(row["payments"])
        target["cash_paid"] = target.get("cash_paid", 0) + _int(row["cash"])
    order = {code: index for index, code in enumerate(policy.agencies)}
    return tuple(AgencyFigures(code, policy.agency_name(code) if code else "(không rõ cơ quan)", **values)
                 for code, values in sorted(figures.items(), key=lambda item: (order.get(item[0], len(order)),
                                                                               item[0])))


def _turn_figures(conn: Connection, period: str, commune: str | None, agency: str | None
                  ) -> dict[str, TurnFigures]:
    """Per commune, the turns of P's cash list and those paid in P, the lines paid twice and the account lines."""
    from server import progress

    rows = progress.communes(conn, period, period, [commune] if commune is not None else None, agency)
    return {row.key: TurnFigures(row.counts.monthly_turns, row.counts.monthly_turns_paid, row.counts.one_time_turns,
                                 row.counts.one_time_turns_paid, row.counts.double_lines, row.counts.double_cash,
                                 row.counts.account_lines, row.counts.account_people, row.counts.account_amount)
            for row in rows}


def _with_people(total: Figures, people: Mapping[str, LineFigures]) -> Figures:
    """The province total with ``people`` counted distinct (a person is counted once even if listed in two communes)."""
    replaced = {name: LineFigures(getattr(total, name).lines, people.get(name, LineFigures()).people,
                                  getattr(total, name).amount) for name in LINE_GROUPS}
    return Figures(**{f.name: replaced.get(f.name, getattr(total, f.name)) for f in fields(total)})


def _int(value: Any) -> int:
    return int(value or 0)  # PostgreSQL answers SUM(bigint) as numeric (Decimal)


def _line_figures(conn: Connection, period: str, commune: str | None, agency: str | None = None
                  ) -> tuple[dict[str, dict[str, LineFigures]], dict[str, LineFigures]]:
    """LINE_GROUPS and ``paid_off_list`` per commune, and the same groups' distinct people over all the communes.

    One statement: the lines of P's cash list joined to their settlement (and whether a later list holds them), plus
    the lines settled in P that P's list lacks; summed per person, then per commune — and per person across the
    communes, for the province's distinct people. Two-level sums instead of COUNT(DISTINCT) keep every step a hash
    aggregate.
    """
    ll = schema.list_lines.c
    s = schema.settled.c
    later = schema.list_lines.alias("later_list")
    listed_in_p = schema.list_lines.alias("listed_in_p")
    on_p = select(ll.line_key).where(and_(ll.list_period == period, ll.method == CASH))
    if commune is not None:
        on_p = on_p.where(ll.commune_code == commune)
    if agency is not None:
        on_p = on_p.where(ll.agency == agency)
    relisted = (
        select(later.c.line_key)
        .where(and_(later.c.list_period > period, later.c.line_key.in_(on_p)))
        .distinct()
        .subquery("relisted")
    )
    # the person as P's list kept them (``list_people``), not as they stand now: a death recorded after P's month
    # leaves P's report as it was (``docs/CYCLE.md``, "Each month's list is kept"); the line's own period never changes
    line_now, person_then = schema.lines.alias("line_now"), schema.list_people.alias("person_then")
    barred = and_(line_now.c.kind == RECURRING, person_then.c.status == BeneficiaryStatus.DECEASED.value,
                  person_then.c.date_of_death.is_not(None),
                  line_now.c.period > func.substr(person_then.c.date_of_death, 1, 7))  # cycle.barred_for_good
    # the person's next kept list after P puts them in another commune: their unpaid lines moved with them
    later_people, next_people = schema.list_people.alias("later_people"), schema.list_people.alias("next_people")
    next_period = (select(func.min(later_people.c.list_period))
                   .where(and_(later_people.c.record_code == ll.record_code, later_people.c.list_period > period))
                   .scalar_subquery())
    moved = exists().where(and_(next_people.c.record_code == ll.record_code,
                                next_people.c.list_period == next_period,
                                next_people.c.commune_code != ll.commune_code))
    listed_rows = (
        select(ll.commune_code.label("commune"), ll.record_code.label("record"), literal(1).label("on_list"),
               ll.kind.label("kind"), ll.amount.label("listed"), s.payout_period.label("settled_in"),
               s.amount.label("paid"), case((relisted.c.line_key.is_not(None), 1), else_=0).label("relisted"),
               case((barred, 1), else_=0).label("barred"), case((moved, 1), else_=0).label("moved"))
        .select_from(schema.list_lines.outerjoin(schema.settled, s.line_key == ll.line_key)
                     .outerjoin(relisted, relisted.c.line_key == ll.line_key)
                     .outerjoin(line_now, line_now.c.line_key == ll.line_key)
                     .outerjoin(person_then, and_(person_then.c.record_code == ll.record_code,
                                                  person_then.c.list_period == ll.list_period)))
        .where(and_(ll.list_period == period, ll.method == CASH))
    )
    if agency is not None:
        listed_rows = listed_rows.where(ll.agency == agency)
    # Lines settled in P that P's list lacks (few), with the commune and person of their paying entry. For the province
    # the anti-join runs first and each survivor's entry is read by its unique index (a join would read every entry
    # first); for one commune, its entries are the narrower side.
    paying = schema.entries.alias("paying")
    not_listed = ~exists().where(and_(listed_in_p.c.list_period == period, listed_in_p.c.line_key == s.line_key,
                                      listed_in_p.c.method == CASH))
    rest = (literal(0), literal(""), literal(0), s.payout_period, s.amount, literal(0), literal(0), literal(0))
    if commune is None:
        commune_of = select(paying.c.commune_code).where(paying.c.entry_id == s.entry_id).scalar_subquery()
        person_of = select(paying.c.record_code).where(paying.c.entry_id == s.entry_id).scalar_subquery()
        off_list_rows = select(commune_of, person_of, *rest).where(and_(s.payout_period == period, not_listed))
    else:
        listed_rows = listed_rows.where(ll.commune_code == commune)
        off_list_rows = (
            select(paying.c.commune_code, paying.c.record_code, *rest)
            .select_from(schema.settled.join(paying, paying.c.entry_id == s.entry_id))
            .where(and_(s.payout_period == period, paying.c.commune_code == commune, not_listed))
        )
    if agency is not None:  # an agency's lines settled off its list: their stored line says the agency
        of_agency = schema.lines.alias("of_agency")
        off_list_rows = off_list_rows.where(exists().where(and_(of_agency.c.line_key == s.line_key,
                                                                of_agency.c.agency == agency)))
    base = union_all(listed_rows, off_list_rows).cte("base")
    b = base.c
    on = b.on_list == 1
    settled_in = b.settled_in
    unpaid_at_end = and_(on, or_(settled_in.is_(None), settled_in > period))
    still_payable = and_(unpaid_at_end, b.barred == 0)  # app.domain.cycle.carried_over …
    carried = and_(still_payable, b.moved == 0)  # … here, unless the person moved away (then "moved")
    conditions: dict[str, tuple[Any, Any]] = {  # group → (condition, amount)
        "listed": (on, b.listed),
        "listed_monthly": (and_(on, b.kind == RECURRING), b.listed),
        "listed_one_time": (and_(on, b.kind != RECURRING), b.listed),
        "paid": (and_(on, settled_in == period), b.paid),
        "paid_monthly": (and_(on, settled_in == period, b.kind == RECURRING), b.paid),
        "paid_one_time": (and_(on, settled_in == period, b.kind != RECURRING), b.paid),
        "paid_earlier": (and_(on, settled_in < period), b.paid),
        "carried_over": (carried, b.listed),
        "carried_relisted": (and_(carried, b.relisted == 1), b.listed),
        "barred": (and_(unpaid_at_end, b.barred == 1), b.listed),
        "paid_later": (and_(on, settled_in > period), b.paid),
        "paid_off_list": (b.on_list == 0, b.paid),
        "moved": (and_(still_payable, b.moved == 1), b.listed),
    }
    per_person_columns = []
    for name, (condition, amount) in conditions.items():
        per_person_columns += [func.sum(case((condition, 1), else_=0)).label(f"{name}_lines"),
                               func.sum(case((condition, amount), else_=0)).label(f"{name}_amount")]
    person = select(b.commune, b.record, *per_person_columns).group_by(b.commune, b.record).cte("per_person")
    p = person.c
    by_commune = select(
        literal("commune").label("level"), p.commune,
        *(column for name in conditions for column in (
            func.sum(p[f"{name}_lines"]).label(f"{name}_lines"),
            func.sum(case((p[f"{name}_lines"] > 0, 1), else_=0)).label(f"{name}_people"),
            func.sum(p[f"{name}_amount"]).label(f"{name}_amount"),
        )),
    ).group_by(p.commune)
    anyone = select(p.record, *(func.sum(p[f"{name}_lines"]).label(name) for name in conditions)) \
        .group_by(p.record).subquery("per_record")
    everyone = select(
        literal("province"), literal(None),
        *(column for name in conditions for column in (
            literal(0), func.sum(case((anyone.c[name] > 0, 1), else_=0)), literal(0),
        )),
    )
    communes: dict[str, dict[str, LineFigures]] = {}
    people: dict[str, LineFigures] = {}
    for row in conn.execute(union_all(by_commune, everyone)).mappings():
        figures = {
            name: LineFigures(_int(row[f"{name}_lines"]), _int(row[f"{name}_people"]), _int(row[f"{name}_amount"]))
            for name in conditions
        }
        if row["level"] == "province":
            people = figures
        else:
            communes[row["commune"]] = figures
    return communes, people


def _closure_field(conn: Connection, name: str) -> Any:
    """An integer field of a closure entry's body, read from the stored canonical JSON in SQL."""
    payload = schema.entries.c.payload
    if conn.dialect.name == "postgresql":
        document = cast(func.convert_from(payload, literal("UTF8")), JSONB)
        return cast(func.jsonb_extract_path_text(document, literal("body"), literal(name)), BigInteger)
    return cast(func.json_extract(cast(payload, Text), literal(f"$.body.{name}")), BigInteger)


def _cash(conn: Connection, period: str, commune: str | None) -> dict[str | None, CashFigures]:
    """Sessions, advances, payments, reversals and closure counts of P's sessions, per commune."""
    e = schema.entries.c
    reversed_ = select(schema.reversals.c.payment_entry_id).distinct().subquery("reversed")
    opened = e.kind == EntryKind.SESSION_OPENED.value
    closed = e.kind == EntryKind.SESSION_CLOSED.value
    payment = e.kind == EntryKind.PAYMENT.value
    is_reversed = reversed_.c.payment_entry_id.is_not(None)
    kept = and_(payment, reversed_.c.payment_entry_id.is_(None), e.total.is_not(None))  # no total: not applied
    dropped = and_(payment, is_reversed)
    total = func.coalesce(e.total, 0)
    query = (
        select(
            e.commune_code.label("commune"),
            func.sum(case((opened, total), else_=0)).label("advances"),
            func.sum(case((kept, total), else_=0)).label("paid_out"),
            func.sum(case((kept, 1), else_=0)).label("payments"),
            func.sum(case((dropped, 1), else_=0)).label("reversed_payments"),
            func.sum(case((dropped, total), else_=0)).label("reversed_amount"),
            func.sum(case((closed, func.coalesce(_closure_field(conn, "counted_total"), 0)), else_=0)).label("counted"),
            func.sum(case((closed, func.coalesce(_closure_field(conn, "difference"), 0)), else_=0))
            .label("closure_difference"),
            func.count(distinct(case((opened, e.session_id)))).label("sessions_opened"),
            func.count(distinct(case((closed, e.session_id)))).label("sessions_closed"),
        )
        .select_from(schema.entries.outerjoin(reversed_, reversed_.c.payment_entry_id == e.entry_id))
        .where(and_(e.payout_period == period,
                    e.kind.in_([EntryKind.SESSION_OPENED.value, EntryKind.SESSION_CLOSED.value,
                                EntryKind.PAYMENT.value])))
        .group_by(e.commune_code)
    )
    if commune is not None:
        query = query.where(e.commune_code == commune)
    names = [f.name for f in fields(CashFigures)]
    return {row["commune"]: CashFigures(*(_int(row[name]) for name in names)) for row in conn.execute(query).mappings()}


def _flags_of_period(period: str, commune: str | None) -> Any:
    """Flags on entries of P (a reversal belongs to its payment's period) with their state and write-offs."""
    f = schema.flags.c
    e = schema.entries.alias("flagged")
    paid = schema.entries.alias("reversed_payment")
    r = schema.reversals.c
    fr = schema.flag_resolutions.c
    ra = schema.resolution_approvals.c
    approved = ra.approved.is_(True)
    write_off = fr.write_off > 0
    awaiting = and_(write_off, ra.resolution_id.is_(None))
    outcome = (
        select(
            fr.flag_id,
            func.max(case((or_(fr.write_off == 0, and_(write_off, approved)), 1), else_=0)).label("resolved"),
            func.max(case((awaiting, 1), else_=0)).label("awaiting"),
            func.sum(case((and_(write_off, approved), fr.write_off), else_=0)).label("written_off"),
            func.sum(case((awaiting, fr.write_off), else_=0)).label("pending"),
        )
        .select_from(schema.flag_resolutions.outerjoin(schema.resolution_approvals,
                                                       ra.resolution_id == fr.resolution_id))
        .group_by(fr.flag_id)
        .subquery("outcome")
    )
    resolved = func.coalesce(outcome.c.resolved, 0) == 1
    state = case((resolved, FLAG_RESOLVED), (func.coalesce(outcome.c.awaiting, 0) == 1, FLAG_AWAITING_APPROVAL),
                 else_=FLAG_OPEN)
    query = (
        select(
            f.flag_id, f.kind, f.commune_code, f.entry_id, e.c.kind.label("entry_kind"), f.device_id,
            schema.devices.c.label.label("device_label"), f.record_code, f.line_key, f.created_at,
            state.label("state"),
            func.coalesce(outcome.c.written_off, 0).label("written_off"),
            case((resolved, 0), else_=func.coalesce(outcome.c.pending, 0)).label("pending"),
        )
        .select_from(
            schema.flags.join(e, e.c.entry_id == f.entry_id)
            .outerjoin(schema.reversals, r.reversal_entry_id == f.entry_id)
            .outerjoin(paid, paid.c.entry_id == r.payment_entry_id)
            .outerjoin(outcome, outcome.c.flag_id == f.flag_id)
            .outerjoin(schema.devices, schema.devices.c.device_id == f.device_id)
        )
        .where(func.coalesce(e.c.payout_period, paid.c.payout_period) == period)
    )
    if commune is not None:
        query = query.where(f.commune_code == commune)
    return query.subquery("period_flags")


def _flag_counts(conn: Connection, period: str, commune: str | None) -> dict[str | None, dict[str, FlagCount]]:
    flags = _flags_of_period(period, commune)
    query = (
        select(
            flags.c.commune_code, flags.c.kind,
            func.sum(case((flags.c.state != FLAG_RESOLVED, 1), else_=0)).label("open"),
            func.sum(case((flags.c.state == FLAG_AWAITING_APPROVAL, 1), else_=0)).label("awaiting"),
            func.sum(case((flags.c.state == FLAG_RESOLVED, 1), else_=0)).label("resolved"),
            func.sum(flags.c.written_off).label("written_off"),
            func.sum(flags.c.pending).label("pending"),
        )
        .group_by(flags.c.commune_code, flags.c.kind)
    )
    out: dict[str | None, dict[str, FlagCount]] = {}
    for row in conn.execute(query).mappings():
        out.setdefault(row["commune_code"], {})[row["kind"]] = FlagCount(
            row["kind"], _int(row["open"]), _int(row["awaiting"]), _int(row["resolved"]), _int(row["written_off"]),
            _int(row["pending"]))
    return out


def _commune_order(places: Mapping[str, Any], code: str | None) -> tuple[object, ...]:
    """Communes as people look them up: by name in Vietnamese order (``place_key``), the unknown commune last."""
    place = places.get(code) if code is not None else None
    return (code is None, place is None, place_key(place["name"]) if place else place_key(""), code or "")


def _flag_rows(conn: Connection, period: str, commune: str | None, names: Mapping[str, str]) -> tuple[FlagRow, ...]:
    """The period's flags, commune by commune (by name, as the summary), each commune's in the order raised."""
    flags = _flags_of_period(period, commune)
    query = select(flags).order_by(flags.c.commune_code, flags.c.created_at, flags.c.flag_id)
    rows = tuple(
        FlagRow(
            flag_id=int(row["flag_id"]), kind=row["kind"], commune_code=row["commune_code"],
            commune_name=names.get(row["commune_code"] or "", row["commune_code"] or ""), entry_id=row["entry_id"],
            entry_kind=row["entry_kind"], device_id=row["device_id"], device_label=row["device_label"] or "",
            record_code=row["record_code"], line_key=row["line_key"], created_at=parse_timestamp(row["created_at"]),
            state=row["state"], written_off=_int(row["written_off"]), pending_write_off=_int(row["pending"]),
        )
        for row in conn.execute(query).mappings()
    )
    return tuple(sorted(rows, key=lambda row: (row.commune_code is None, place_key(row.commune_name),
                                               row.commune_code or "", row.created_at, row.flag_id)))
