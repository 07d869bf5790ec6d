"""Progress of a payout month, as the province reads it: per commune, per payout point, per device, and the
province summary in the pilot's terms — turns on the list and paid, % of turns, monthly + one-time turns — with lines,
people, payments and cash as their own figures, double payments as flagged cash and account lines apart (the words
are ``docs/CYCLE.md``'s).

Every figure is one set-based query over ``list_lines`` (what each month's list held, cash lines only), ``settled``
(the first unreversed payment of each line) and ``entries`` (payments and cash), so a year of the pilot
or a national month is aggregated by the database, not in Python. ``communes`` limits everything to an officer's
communes (None: the whole province).

Why the queries have the shape they have (measured by ``bench/bench_console.py``, figures in
``docs/PERFORMANCE.md``; the indexes are revision 0003's):

- **One month is an equality** (``_period``): the planner then knows every line has that period, so it neither
  sorts to group by it nor loses the line-key order of the month's index entries.
- **Listed and settled lines** are joined on (period, line key), both sides read from covering indexes. A month of
  the whole province (or country) merges ``ix_list_lines_period_key`` with ``ix_settled_key_period`` in line-key
  order; a range of months merges on (period, line key) with ``ix_settled_period_key``. An officer's communes come
  from ``ix_list_lines_scope`` (commune first) and each of their lines is looked up in ``ix_settled_key_period``:
  a province's 50,000 lines never read the country's 1.5 million settled lines.
- **People** stay ``count(DISTINCT record_code)`` per group: grouping by person first (to count the groups) was
  measured slower on PostgreSQL, since every line must then be sorted or hashed by person.
- **Carried over** (``app.domain.cycle.carried_over``: unpaid when its month ended, not paid earlier, not barred by
  a death) stays correlated lookups asked only for an unpaid line of a month before the latest list (a month has
  ended once a later month's list has arrived): a paid line is never carried over and nothing is carried past the
  latest list (the console's default month), so most lines never ask. One probe of ``ix_settled_key_period`` (paid
  in an earlier month?) and one of the line and its person by primary key (a monthly line after the month of a
  recorded death is barred, not carried).
- **Payments** (``entries``) come from covering indexes: ``ix_entries_period_kind`` (period first, for the whole
  province) and ``ix_entries_scope`` (commune first, for an officer's communes).
- **Communes covered** count distinct (period, commune) pairs read in index order
  (``ix_list_lines_period_commune_method``) rather than a ``count(DISTINCT …)`` over every line of the month.
- **Devices** count entries for the devices shown only, not for every device on each page.
- On PostgreSQL each statement runs with ``jit = off`` and ``random_page_cost = 1.1`` for its transaction
  (``_plain``): JIT compiled these statements (costed high because they may touch millions of rows) for 0.5–3 s on
  every call, longer than they run; the default ``random_page_cost`` (4, for spinning disks) made the planner read
  every settled line of the country rather than probe the index for one province's lines. No figure changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, text

from app.domain.text import person_name_key, place_key

MONTHLY = "recurring"


@dataclass(frozen=True)
class Counts:
    """Lines and people of a list, and how much of it was paid in its own month."""

    lines: int = 0
    people: int = 0
    amount: int = 0
    paid_lines: int = 0
    paid_people: int = 0
    paid_amount: int = 0
    monthly_lines: int = 0
    monthly_paid: int = 0
    one_time_lines: int = 0
    one_time_paid: int = 0
    carried_over: int = 0
    """Lines of this month's list carried over (``app.domain.cycle.carried_over``): unpaid when the month ended —
    a later month's list has arrived — not paid in an earlier month, and not barred by a recorded death."""
    barred: int = 0
    """Lines of this month's list unpaid that no later month can pay (a monthly line after the month of death)."""
    moved: int = 0
    """Lines of this month's list unpaid at its end whose person a later list puts in another commune (_MOVED): they
    follow the person, and are neither unpaid nor carried over here."""
    moved_amount: int = 0
    payments: int = 0
    """Payments (one visit, one signature) recorded in this payout month, reversals excluded. Not turns: a visit
    that pays a monthly allowance and a one-time allowance, or two months near Tết, is one payment and two turns."""
    cash_paid: int = 0
    """Cash of those payments (what left the tellers' drawers), double payments included: see ``double_cash``."""
    monthly_turns: int = 0
    """Monthly turns on the list (``docs/CYCLE.md``: person, agency, list period, kind monthly), distinct."""
    monthly_turns_paid: int = 0
    """Of them, turns a payment that stands settled a line of in the list's own month."""
    one_time_turns: int = 0
    one_time_turns_paid: int = 0
    double_lines: int = 0
    """Lines paid a second time by a payment of these months (``double_payment`` flags): never a turn, never a paid
    line; their cash is in ``cash_paid`` and shown apart as ``double_cash``."""
    double_cash: int = 0
    account_lines: int = 0
    """Lines of the list paid into a bank account (not at a payout point): outside every other figure here, shown
    apart so the totals agree with the uploaded list's."""
    account_people: int = 0
    account_amount: int = 0

    @property
    def turns(self) -> int:
        """Turns on the list: monthly + one-time (a turn is one kind, so the two never overlap)."""
        return self.monthly_turns + self.one_time_turns

    @property
    def turns_paid(self) -> int:
        return self.monthly_turns_paid + self.one_time_turns_paid

    @property
    def turns_percent(self) -> float:
        """The pilot's measure: turns paid ÷ turns on the list."""
        return 100.0 * self.turns_paid / self.turns if self.turns else 0.0

    @property
    def unpaid_turns(self) -> int:
        return self.turns - self.turns_paid

    @property
    def unpaid_lines(self) -> int:
        """Lines not paid in their month, less those that moved away with their person (not unpaid here)."""
        return self.lines - self.paid_lines - self.moved

    @property
    def unpaid_amount(self) -> int:
        return self.amount - self.paid_amount - self.moved_amount

    @property
    def percent(self) -> float:
        return 100.0 * self.paid_lines / self.lines if self.lines else 0.0


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    counts: Counts
    extra: dict[str, Any] = field(default_factory=dict)


def _scope(communes: Iterable[str] | None, agency: str | None = None) -> tuple[str, dict[str, Any]]:
    """The list lines of an officer's communes (None: every commune) and agency (None: every agency)."""
    sql, params = "", dict[str, Any]()
    if communes is not None:
        sql, params = " AND ll.commune_code IN :scope", {"scope": sorted(communes) or ["-"]}
    if agency is not None:
        sql, params = sql + " AND ll.agency = :agency", {**params, "agency": agency}
    return sql, params


def _bind(sql: str, params: dict[str, Any]) -> Any:
    statement = text(sql)
    if "scope" in params:
        statement = statement.bindparams(bindparam("scope", expanding=True))
    return statement


_LIST_SQL = """
SELECT {group} AS grp,
       count(*) AS lines,
       count(DISTINCT ll.record_code) AS people,
       coalesce(sum(ll.amount), 0) AS amount,
       count(s.line_key) AS paid_lines,
       count(DISTINCT CASE WHEN s.line_key IS NOT NULL THEN ll.record_code END) AS paid_people,
       coalesce(sum(s.amount), 0) AS paid_amount,
       sum(CASE WHEN ll.kind = 'recurring' THEN 1 ELSE 0 END) AS monthly_lines,
       sum(CASE WHEN ll.kind = 'recurring' AND s.line_key IS NOT NULL THEN 1 ELSE 0 END) AS monthly_paid,
       sum(CASE WHEN ll.kind <> 'recurring' THEN 1 ELSE 0 END) AS one_time_lines,
       sum(CASE WHEN ll.kind <> 'recurring' AND s.line_key IS NOT NULL THEN 1 ELSE 0 END) AS one_time_paid,
       count(DISTINCT CASE WHEN ll.kind = 'recurring' THEN {turn} END) AS monthly_turns,
       count(DISTINCT CASE WHEN ll.kind = 'recurring' AND s.line_key IS NOT NULL THEN {turn} END)
         AS monthly_turns_paid,
       count(DISTINCT CASE WHEN ll.kind <> 'recurring' THEN {turn} END) AS one_time_turns,
       count(DISTINCT CASE WHEN ll.kind <> 'recurring' AND s.line_key IS NOT NULL THEN {turn} END)
         AS one_time_turns_paid,
       sum(CASE WHEN s.line_key IS NULL AND ll.list_period < (SELECT max(latest.list_period) FROM list_lines latest)
                 AND NOT EXISTS (SELECT 1 FROM settled earlier
                                 WHERE earlier.line_key = ll.line_key AND earlier.payout_period < ll.list_period)
                 AND NOT {barred} AND NOT {moved}
           THEN 1 ELSE 0 END) AS carried_over,
       sum(CASE WHEN s.line_key IS NULL AND {barred} THEN 1 ELSE 0 END) AS barred,
       sum(CASE WHEN s.line_key IS NULL AND NOT {barred} AND {moved}
                 AND NOT EXISTS (SELECT 1 FROM settled earlier
                                 WHERE earlier.line_key = ll.line_key AND earlier.payout_period < ll.list_period)
           THEN 1 ELSE 0 END) AS moved,
       sum(CASE WHEN s.line_key IS NULL AND NOT {barred} AND {moved}
                 AND NOT EXISTS (SELECT 1 FROM settled earlier
                                 WHERE earlier.line_key = ll.line_key AND earlier.payout_period < ll.list_period)
           THEN ll.amount ELSE 0 END) AS moved_amount
FROM list_lines ll
LEFT JOIN settled s ON s.payout_period = ll.list_period AND s.line_key = ll.line_key
WHERE {period} AND ll.method = 'cash'{scope}
GROUP BY {group}
"""

_TURN = ("ll.record_code || '|' || ll.agency || '|' || CASE WHEN ll.line_key LIKE 'id:%' "
         "THEN (SELECT tl.period FROM lines tl WHERE tl.line_key = ll.line_key) "
         "ELSE substr(ll.line_key, length(ll.record_code) + 2, 7) END")
"""A turn of a list line ``ll`` within its kind (``app.domain.cycle.Turn``: person, agency, the line's own period; the
kind is the column's): on the server a person is one record within an agency, so distinct keys are distinct turns.
The line's period is the one its list states ("Kỳ"): a November line on December's list is a November turn, so two
months paid together are two turns (``docs/CYCLE.md``). It is read from the line's key (``record|period|programme|
regime``, ``app.domain.model.line_key``) without a join; only a line keyed by the list's own id (``id:…``) looks its
period up in ``lines``."""

_BARRED = """EXISTS (SELECT 1 FROM lines ln JOIN list_people p ON p.record_code = ll.record_code
                   AND p.list_period = ll.list_period
                 WHERE ln.line_key = ll.line_key AND ln.kind = 'recurring' AND p.status = 'deceased'
                   AND ln.period > substr(p.date_of_death, 1, 7))"""
"""``app.domain.cycle.barred_for_good`` of a list line ``ll``: a monthly line for a period after the month of a
death recorded by the time that month's list was the newest (``list_people``: a later death leaves an earlier
month as it was; asked only of unpaid lines)."""

_MOVED = """EXISTS (SELECT 1 FROM list_people nxt
                 WHERE nxt.record_code = ll.record_code AND nxt.commune_code <> ll.commune_code
                   AND nxt.list_period = (SELECT min(later.list_period) FROM list_people later
                                          WHERE later.record_code = ll.record_code
                                            AND later.list_period > ll.list_period))"""
"""A list line ``ll`` whose person the next list that has them puts in another commune (*chuyển đi*): its unpaid
lines follow the person (``docs/CYCLE.md``, "People who move"), so the old commune counts them as moved, not as
unpaid or carried over."""

_COVERED_SQL = """
SELECT pairs.list_period, count(*) AS communes
FROM (SELECT DISTINCT ll.list_period, ll.commune_code FROM list_lines ll
      WHERE {period} AND ll.method = 'cash'{scope}) pairs
GROUP BY pairs.list_period
"""


def _period(column: str, first: str, last: str) -> str:
    """The months ``first``…``last``; one month is an equality, so the planner knows every row has that period."""
    return f"{column} = :first" if first == last else f"{column} BETWEEN :first AND :last"


def _plain(conn: Connection) -> None:
    """PostgreSQL: no JIT and SSD/cache-like index costs for this transaction (why: the module docstring)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL jit = off")
        conn.exec_driver_sql("SET LOCAL random_page_cost = 1.1")


# A payment stored without a total was not applied (amounts out of range, ``server/ingest/amounts.py``): not counted.
_PAYMENTS_SQL = """
SELECT {group} AS grp, count(*) AS payments, coalesce(sum(e.total), 0) AS cash
FROM entries e
{join}
WHERE e.kind = 'payment' AND e.total IS NOT NULL AND {period}
  AND NOT EXISTS (SELECT 1 FROM reversals r WHERE r.payment_entry_id = e.entry_id){scope}
GROUP BY {group}
"""


_AGENCY_PAYMENTS_SQL = """
SELECT {group} AS grp, count(DISTINCT e.entry_id) AS payments, coalesce(sum(pl.amount), 0) AS cash
FROM entries e
JOIN paid_lines pl ON pl.entry_id = e.entry_id
JOIN lines agency_line ON agency_line.line_key = pl.line_key AND agency_line.agency = :agency
{join}
WHERE e.kind = 'payment' AND e.total IS NOT NULL AND {period}
  AND NOT EXISTS (SELECT 1 FROM reversals r WHERE r.payment_entry_id = e.entry_id){scope}
GROUP BY {group}
"""
"""Payments of one agency's lines and the cash paid for them: a payment that paid lines of two agencies (a device
from before lists named their agency pays a person's lines in one entry) counts for each, with that agency's part
of its cash, so the agencies' cash sums to the cash paid."""


_ACCOUNT_SQL = """
SELECT {group} AS grp, count(*) AS account_lines, count(DISTINCT ll.record_code) AS account_people,
       coalesce(sum(ll.amount), 0) AS account_amount
FROM list_lines ll
WHERE {period} AND ll.method <> 'cash'{scope}
GROUP BY {group}
"""
"""Lines paid into an account: not at a payout point, so not in the cash figures, but counted apart (the upload's
totals are cash and account lines together)."""

_DOUBLE_SQL = """
SELECT {group} AS grp, count(*) AS double_lines, coalesce(sum(pl.amount), 0) AS double_cash
FROM flags f
JOIN paid_lines pl ON pl.entry_id = f.entry_id AND pl.line_key = f.line_key
JOIN entries e ON e.entry_id = f.entry_id
{join}
WHERE f.kind = 'double_payment' AND e.kind = 'payment' AND e.total IS NOT NULL AND {period}
  AND NOT EXISTS (SELECT 1 FROM reversals r WHERE r.payment_entry_id = e.entry_id){scope}
GROUP BY {group}
"""
"""Lines paid again by a payment of these months that stands (its ``double_payment`` flag, one per line and earlier
payment: the line is counted once) and the cash paid for them. Flags are few: this reads them, not the payments."""


def _counts(conn: Connection, group: str, payments_group: str, first: str, last: str,
            communes: Iterable[str] | None, extra_where: str = "", params: dict[str, Any] | None = None,
            payments_join: str = "", agency: str | None = None) -> dict[Any, Counts]:
    _plain(conn)
    scope, scope_params = _scope(communes)
    agency_sql, agency_params = _scope(None, agency)
    scope_params.update(agency_params)
    values = {"first": first, "last": last, **scope_params, **(params or {})}
    period = _period("ll.list_period", first, last)
    sql = _LIST_SQL.format(group=group, period=period, scope=scope + agency_sql + extra_where, barred=_BARRED,
                           moved=_MOVED, turn=_TURN)
    rows = conn.execute(_bind(sql, values), values).mappings()
    merged: dict[Any, dict[str, int]] = {row["grp"]: {k: int(v or 0) for k, v in row.items() if k != "grp"}
                                          for row in rows}
    account_sql = _ACCOUNT_SQL.format(group=group, period=period, scope=scope + agency_sql + extra_where)
    for row in conn.execute(_bind(account_sql, values), values).mappings():
        merged.setdefault(row["grp"], {}).update({k: int(v or 0) for k, v in row.items() if k != "grp"})
    payments_scope = scope.replace("ll.commune_code", "e.commune_code")
    payments_where = extra_where.replace("ll.", "e.") if not payments_join else extra_where
    for row in conn.execute(
        _bind((_PAYMENTS_SQL if agency is None else _AGENCY_PAYMENTS_SQL).format(
            group=payments_group, period=_period("e.payout_period", first, last),
            scope=payments_scope + payments_where, join=payments_join), values), values
    ).mappings():
        target = merged.setdefault(row["grp"], {})
        target["payments"], target["cash_paid"] = int(row["payments"]), int(row["cash"])
    double_agency = " AND EXISTS (SELECT 1 FROM lines dl WHERE dl.line_key = f.line_key AND dl.agency = :agency)" \
        if agency is not None else ""
    for row in conn.execute(
        _bind(_DOUBLE_SQL.format(group=payments_group, period=_period("e.payout_period", first, last),
                                 scope=payments_scope + payments_where + double_agency, join=payments_join), values),
        values
    ).mappings():
        target = merged.setdefault(row["grp"], {})
        target["double_lines"], target["double_cash"] = int(row["double_lines"]), int(row["double_cash"])
    return {key: Counts(**value) for key, value in merged.items()}


def communes(conn: Connection, first: str, last: str | None = None,
             scope: Iterable[str] | None = None, agency: str | None = None) -> list[Row]:
    """One row per commune with lines on the list (or payments) in the months ``first``…``last`` (of one agency's
    lists, when given)."""
    counts = _counts(conn, "ll.commune_code", "e.commune_code", first, last or first, scope, agency=agency)
    names = {code: (name, district) for code, name, district in
             conn.execute(text("SELECT code, name, district FROM communes"))}
    rows = [Row(code, names.get(code, (code, None))[0], value, {"district": names.get(code, ("", None))[1]})
            for code, value in counts.items() if code is not None]
    return sorted(rows, key=lambda row: (place_key(row.name), row.key))  # Vietnamese order of the communes' names


def points(conn: Connection, period: str, commune: str, agency: str | None = None) -> list[Row]:
    """One row per payout point of a commune."""
    counts = _counts(conn, "ll.point_id", "p.point_id", period, period, [commune],
                     payments_join="JOIN people p ON p.record_code = e.record_code", agency=agency)
    names = point_names(conn, commune)
    return sorted((Row(key or "-", names.get(key, key or "—"), value) for key, value in counts.items()),
                  key=lambda row: (place_key(row.name), row.key))


def point_names(conn: Connection, commune: str) -> dict[str, str]:
    """The names of a commune's payout points by their ids (what people read instead of an id)."""
    import json

    places = conn.execute(text("SELECT places FROM communes WHERE code = :c"), {"c": commune}).scalar()
    return {point["point_id"]: point["name"] for point in (json.loads(places)["points"] if places else [])}


def by_regime(conn: Connection, first: str, scope: Iterable[str] | None, agency: str | None = None,
              last: str | None = None) -> list[Row]:
    """Totals by programme and regime over the months ``first``…``last``: what was listed and paid of it, in lines,
    people, turns (a turn with lines of two regimes counts in each) and cash paid for its lines (``paid_amount``).
    Payments are not split by regime (one visit pays several): ``payments`` and ``cash_paid`` stay 0 here."""
    _plain(conn)
    last = last or first
    scope_sql, params = _scope(scope, agency)
    values = {"first": first, "last": last, **params}
    sql = _LIST_SQL.format(group="ll.programme || '/' || ll.regime", period=_period("ll.list_period", first, last),
                           scope=scope_sql, barred=_BARRED, moved=_MOVED, turn=_TURN)
    return sorted((Row(row["grp"], row["grp"], Counts(**{k: int(v or 0) for k, v in row.items() if k != "grp"}))
                   for row in conn.execute(_bind(sql, values), values).mappings()), key=lambda row: row.key)


def summary(conn: Connection, first: str, last: str | None = None, scope: Iterable[str] | None = None,
            agency: str | None = None) -> list[Row]:
    """The province summary per month of the range (the pilot's terms), plus communes covered in ``extra``."""
    last = last or first
    counts = _counts(conn, "ll.list_period", "e.payout_period", first, last, scope, agency=agency)
    scope_sql, params = _scope(scope, agency)
    values = {"first": first, "last": last, **params}
    covered_sql = _COVERED_SQL.format(period=_period("ll.list_period", first, last), scope=scope_sql)
    covered = dict(conn.execute(_bind(covered_sql, values), values).all())
    return [Row(period, period, value, {"communes": int(covered.get(period, 0))})
            for period, value in sorted(counts.items()) if period is not None]


def total(rows: Iterable[Row]) -> Counts:
    """Sums of rows (people are summed too: a person is listed in one commune)."""
    fields = Counts.__dataclass_fields__
    sums = dict.fromkeys(fields, 0)
    for row in rows:
        for name in fields:
            sums[name] += getattr(row.counts, name)
    return Counts(**sums)


def latest_list_period(conn: Connection) -> str | None:
    """The newest month any list covers (None before the first list): what the console shows first."""
    return conn.execute(text("SELECT max(list_period) FROM list_lines")).scalar()


def devices(conn: Connection, scope: Iterable[str] | None) -> list[dict[str, Any]]:
    """Each device with its last contact, the entries it said it still had to send, and its open flags."""
    import json

    _plain(conn)
    flag_counts: dict[str, int] = dict(conn.execute(text(
        "SELECT f.device_id, count(*) FROM flags f WHERE NOT EXISTS (SELECT 1 FROM flag_resolutions r "
        "WHERE r.flag_id = f.flag_id AND (r.write_off = 0 OR EXISTS (SELECT 1 FROM resolution_approvals a "
        "WHERE a.resolution_id = r.resolution_id AND a.approved))) GROUP BY f.device_id")).all())
    wanted = set(scope) if scope is not None else None
    rows: list[dict[str, Any]] = []
    for row in conn.execute(text(
            "SELECT device_id, label, communes, status, enrolled_at, revoked_at, last_seq, last_seen_at, "
            "clock_skew_seconds, pending_reported FROM devices ORDER BY label, device_id")).mappings():
        device_communes = json.loads(row["communes"])
        if wanted is not None and not wanted & set(device_communes):
            continue
        rows.append({**row, "communes": device_communes, "open_flags": int(flag_counts.get(row["device_id"], 0))})
    # Entries are counted for the devices shown only (an index-only count on ix_entries_device_seq), not for every
    # device of the country on each page.
    if wanted is None:
        entry_counts: dict[str, int] = dict(
            conn.execute(text("SELECT device_id, count(*) FROM entries GROUP BY device_id")).all())
    else:
        entry_counts = dict(conn.execute(text(
            "SELECT device_id, count(*) FROM entries WHERE device_id IN :ids GROUP BY device_id").bindparams(
            bindparam("ids", expanding=True)), {"ids": [row["device_id"] for row in rows] or ["-"]}).all())
    for device in rows:
        device["entries"] = int(entry_counts.get(device["device_id"], 0))
    return rows


def people(conn: Connection, period: str, commune: str, state: str = "all", point: str | None = None,
           scope: Iterable[str] | None = None, agency: str | None = None) -> list[dict[str, Any]]:
    """The people behind a number: each listed line of the month with its state (paid / unpaid / carried over)."""
    scope_sql, params = _scope(scope, agency)
    values: dict[str, Any] = {"first": period, "last": period, "commune": commune, **params}
    point_sql = ""
    if point:
        point_sql = " AND ll.point_id = :point"
        values["point"] = point
    rows = conn.execute(_bind(
        "SELECT ll.record_code, p.full_name, ll.point_id, ll.line_key, ll.kind, ll.programme, ll.regime, ll.amount, "
        "s.entry_id, s.device_id, s.payout_period, "
        "ll.list_period < (SELECT max(latest.list_period) FROM list_lines latest) AS ended, "
        f"{_BARRED} AS barred, {_MOVED} AS moved "
        "FROM list_lines ll JOIN people p ON p.record_code = ll.record_code "
        "LEFT JOIN settled s ON s.line_key = ll.line_key "
        "WHERE ll.list_period BETWEEN :first AND :last AND ll.method = 'cash' AND ll.commune_code = :commune"
        + scope_sql + point_sql + " ORDER BY ll.record_code, ll.line_key", values), values).mappings()
    out: list[dict[str, Any]] = []
    for row in rows:
        row_state = line_state(row["payout_period"] if row["entry_id"] is not None else None, period,
                               bool(row["ended"]), bool(row["barred"]), bool(row["moved"]))
        if state in ("all", row_state) or (state == "unpaid" and row_state == "carried"):
            out.append({**row, "state": row_state})
    out.sort(key=lambda row: person_name_key(row["full_name"]))  # stable: a person's lines stay in key order
    return out


def line_state(settled_in: str | None, period: str, ended: bool, barred: bool, moved: bool = False) -> str:
    """A list line of ``period`` in the words of ``docs/CYCLE.md``: paid (in its month), paid_earlier, barred (no
    later month can pay it), moved (a later list puts its person in another commune: the line follows them), carried
    (its month has ended: a later list arrived), or unpaid."""
    if settled_in == period:
        return "paid"
    if settled_in is not None and settled_in < period:
        return "paid_earlier"
    if barred:
        return "barred"
    if moved:
        return "moved"
    return "carried" if ended else "unpaid"
