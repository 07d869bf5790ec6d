"""The invariants of a simulated year (``tests/builders/year.py``), each a named step, checked after every month.

Each check states the required behaviour and compares the province's and the laptops' own figures with a direct count
of the facts: the test's ledger (what it paid, how, to whom) and the lists it wrote. ``Checks`` runs every step of a
month and keeps going after a failed one, so that one run names every step that fails (and the month it first
fails in); the test then fails with that list. Nothing is skipped and nothing is weakened.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.documents.api import document_info
from app.documents.data import DocumentKind
from app.documents.fingerprint import monthly_content
from app.domain.cycle import TurnKind, turn_kind
from app.domain.errors import BadInputError
from app.domain.model import LineKind, RecipientKind
from app.domain.period import period_of
from app.lists.policy import load_policy
from server import facts, schema
from server import province as service
from server import settlement as settlements
from tests.builders.year import ListLine, Paid, Year, period

NO_CASH_TO_THE_DEAD = "no cash to a dead person after the month of death (but death-related lines to the recorded " \
                      "representative), unless flagged"
AMENDMENTS_STAND = "every standing amendment still stands (province and laptops)"
NO_LINE_PAID_TWICE = "no line paid twice unflagged"
PROVINCE_FIGURES = "the province's settlement of every month (lines, cash) equals a direct count of the facts"
DESK_FIGURES = "each laptop's monthly report of every month (turns, lines, cash) equals a direct count of the facts " \
               "[needs point 3: each month's list kept]"
REPORTS_UNCHANGED = "re-printed reports of every earlier month are unchanged (data and fingerprint) " \
                    "[needs point 3; for the move, point 6]"
MONTH_NOT_FINISHED = "a person who comes after next month's list arrived (the 22nd) is paid the month's lines: " \
                     "an early list must not shut the month"
MOVED_PERSON = "a person who moved commune is paid his carried-over line at the new commune [point 6's rule]"

CLOSING = ("listed", "listed_monthly", "listed_one_time", "paid", "paid_monthly", "paid_one_time", "paid_earlier",
           "carried_over", "barred", "moved", "paid_off_list", "cash")
"""The settlement's figures that close a month. ``paid_later``, ``carried_relisted`` and the flags grow afterwards by
definition (a carried-over line paid next month; a death recorded later flags earlier payments)."""


@dataclass
class Checks:
    failures: dict[str, list[str]] = field(default_factory=dict)

    @contextlib.contextmanager
    def step(self, name: str, month: int) -> Iterator[None]:
        try:
            yield
        except AssertionError as failed:
            self.failures.setdefault(name, []).append(f"{period(month)}: {str(failed)[:600]}")

    def summary(self) -> str:
        return "\n".join(f"- {name} — first failed after {failures[0]}" + (f" (and {len(failures) - 1} later months)"
                                                                          if len(failures) > 1 else "")
                         for name, failures in self.failures.items())


# --- the facts, counted directly -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """The facts of the year so far, counted once per round of checks: every listed line by key, the first payment
    of each line, the standing deaths, the ledger by payment."""

    lines: Mapping[str, ListLine]
    first: Mapping[str, tuple[str, int, str]]
    deaths: Mapping[str, Any]
    payments: Mapping[str, Paid]

    @classmethod
    def of(cls, year: Year) -> Counted:
        return cls(line_index(year), first_settlement(year), standing_deaths(year),
                   {paid.entry_id: paid for paid in year.ledger})


def line_index(year: Year) -> dict[str, ListLine]:
    """Every line the lists carried, by key (a carried-over line keeps its key and its own period)."""
    out: dict[str, ListLine] = {}
    for lines in year.lists.values():
        for line in lines:
            out.setdefault(line.key, line)
    return out


def first_settlement(year: Year) -> dict[str, tuple[str, int, str]]:
    """Line key → (payout period, amount, entry id) of the first payment that paid it (the ledger is in time order;
    both February payments of the double payment are in February)."""
    out: dict[str, tuple[str, int, str]] = {}
    for paid in year.ledger:
        for key, amount in paid.lines.items():
            out.setdefault(key, (paid.session_period, amount, paid.entry_id))
    return out


def standing_deaths(year: Year) -> dict[str, Any]:
    with year.province.engine.connect() as conn:
        return {code: stand for code, stand in facts.standings(conn, year.by_code).items() if stand.death is not None}


def flags(year: Year) -> list[dict[str, Any]]:
    return year.province.flags()


# --- the invariants ---------------------------------------------------------------------------------------------------


def no_cash_to_the_dead(year: Year) -> None:
    """Every payment of a dead person's line after the death (a monthly line for a period after the month of death,
    a death-related line to anyone but the recorded representative, anything paid on or after the date of death to
    the person or a proxy) is flagged ``paid_after_death`` on the province."""
    deaths = standing_deaths(year)
    lines = line_index(year)
    flagged = {(f["entry_id"], f["line_key"]) for f in flags(year) if f["kind"] == "paid_after_death"}
    flagged_entries = {entry for entry, _ in flagged}
    unflagged = []
    for paid in year.ledger:
        stand = deaths.get(paid.record_code)
        if stand is None:
            continue
        died = stand.death.date_of_death
        rep = stand.representative.representative if stand.representative else None
        for key in paid.lines:
            line = lines[key]
            after_month = line.kind is LineKind.RECURRING and line.period > period_of(died)
            wrong_hands = line.kind is LineKind.DEATH_RELATED and (
                paid.recipient is not RecipientKind.REPRESENTATIVE or rep is None or paid.recipient_id != rep.id_number)
            after_day = paid.on >= died and paid.recipient is not RecipientKind.REPRESENTATIVE
            if (after_month or wrong_hands or after_day) and (paid.entry_id, key) not in flagged \
                    and paid.entry_id not in flagged_entries:
                unflagged.append((year.by_code[paid.record_code], key, paid.on.isoformat(), paid.recipient.value))
    assert unflagged == [], f"paid after death, not flagged: {unflagged}"


def amendments_stand(year: Year) -> None:
    """What the facts say stands is what the province and every laptop holding the person show."""
    with year.province.engine.connect() as conn:
        standing = facts.standings(conn, year.by_code)
        rows = {code: service.person_row(conn, code) for code in standing}
    wrong: list[tuple[Any, ...]] = []
    for code, stand in standing.items():
        row = rows[code]
        assert row is not None  # the province holds everyone it has facts about
        if stand.death is not None:
            assert stand.death.date_of_death is not None  # a death fact has its date
            want = {"status": "deceased", "date_of_death": stand.death.date_of_death.isoformat()}
        elif stand.suspension is not None:
            want = {"status": "suspended"}
        else:  # a suspension ended
            want = {"status": "active"}
        got = {name: row[name] for name in want}
        if got != want:
            wrong.append(("province", year.by_code[code], got, want))
        for device in year.devices.values():
            try:
                person = device.store.payouts.person(code).beneficiary
            except BadInputError:  # not in this laptop's communes
                continue
            held = {"status": person.status.value,
                    "date_of_death": person.date_of_death.isoformat() if person.date_of_death else None}
            if any(held[name] != value for name, value in want.items()):
                wrong.append((device.name, year.by_code[code], held, want))
            if stand.representative is not None and stand.death is not None:
                rep = stand.representative.representative
                if person.representative is None or rep is None or person.representative.id_number != rep.id_number:
                    wrong.append((device.name, year.by_code[code], "representative", person.representative, rep))
    assert wrong == [], f"standing amendments not held: {wrong}"


def no_line_paid_twice_unflagged(year: Year) -> None:
    """The province holds exactly the ledger's payments, and every payment of a line already paid by another payment
    that stands is flagged ``double_payment``."""
    e, p = schema.entries.c, schema.paid_lines.c
    with year.province.engine.connect() as conn:
        rows = conn.execute(select(p.line_key, p.entry_id, e.id).join(schema.entries, e.entry_id == p.entry_id)
                            .where(e.entry_id.not_in(select(schema.reversals.c.payment_entry_id)))
                            .order_by(e.id)).all()
    held = sorted((key, entry) for key, entry, _ in rows)
    ledger = sorted((key, paid.entry_id) for paid in year.ledger for key in paid.lines)
    assert held == ledger, "the province's paid lines differ from the payments made"
    double = {(f["entry_id"], f["line_key"]) for f in flags(year) if f["kind"] == "double_payment"}
    double_entries = {entry for entry, _ in double}
    seen: set[str] = set()
    twice = []
    for key, entry, _ in rows:
        if key in seen and (entry, key) not in double and entry not in double_entries:
            twice.append((key, entry))
        seen.add(key)
    assert twice == [], f"lines paid twice without a flag: {twice}"


def expected_settlement(year: Year, counted: Counted, month: int, commune: str) -> dict[str, tuple[int, int]]:
    """The closing figures of ``month`` in ``commune`` counted from the list the test wrote and its ledger: (lines,
    amount) per group, and (payments, cash paid out)."""
    p = period(month)
    first, deaths = counted.first, counted.deaths
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(group: str, amount: int) -> None:
        out[group][0] += 1
        out[group][1] += amount

    listed = [line for line in year.lists[p] if line.commune == commune]
    on_list = {line.key for line in listed}
    for line in listed:
        kind = "monthly" if line.kind is LineKind.RECURRING else "one_time"
        add("listed", line.amount)
        add(f"listed_{kind}", line.amount)
        settled = first.get(line.key)
        if settled is not None and settled[0] == p:
            add("paid", settled[1])
            add(f"paid_{kind}", settled[1])
        elif settled is not None and settled[0] < p:
            add("paid_earlier", line.amount)
        else:
            stand = deaths.get(line.record_code)
            died = stand.death.date_of_death if stand else None
            if died is not None and line.kind is LineKind.RECURRING and line.period > period_of(died):
                add("barred", line.amount)
            elif moved_away(year, month, line.record_code, commune):
                add("moved", line.amount)  # point 6: the line followed the person to the new commune
            else:
                add("carried_over", line.amount)
    for key, (payout, amount, entry) in first.items():
        paid = counted.payments[entry]
        if payout == p and paid.commune == commune and key not in on_list:
            add("paid_off_list", amount)
    cash = [paid for paid in year.ledger if paid.session_period == p and paid.commune == commune]
    out["payments"] = [len(cash), sum(sum(paid.lines.values()) for paid in cash)]
    return {name: (values[0], values[1]) for name, values in out.items()}


def moved_away(year: Year, month: int, record_code: str, commune: str) -> bool:
    """Whether the next list the test wrote that has the person puts them in another commune than ``commune``."""
    for later in range(month + 1, max(int(p[5:7]) for p in year.lists) + 1):
        communes = {line.commune for line in year.lists.get(period(later), []) if line.record_code == record_code}
        if communes:
            return commune not in communes
    return False


def settlement_figures(figures: settlements.Figures) -> dict[str, tuple[int, int]]:
    out = {name: (getattr(figures, name).lines, getattr(figures, name).amount) for name in CLOSING if name != "cash"}
    out["payments"] = (figures.cash.payments, figures.cash.paid_out)
    return {name: value for name, value in out.items() if value != (0, 0)}


def province_settlement(year: Year, month: int) -> settlements.Settlement:
    with year.province.engine.connect() as conn:
        return settlements.settlement(conn, period(month), now=year.clock())


def province_figures(year: Year, counted: Counted, month: int, settlement: settlements.Settlement) -> None:
    by_commune = {row.code: row.figures for row in settlement.communes}
    wrong = []
    for commune in year.commune_codes:
        got = settlement_figures(by_commune.get(commune, settlements.Figures()))
        want = {name: value for name, value in expected_settlement(year, counted, month, commune).items()
                if value != (0, 0)}
        if got != want:
            wrong.append((commune, {k: (got.get(k), want.get(k)) for k in set(got) | set(want)
                                    if got.get(k) != want.get(k)}))
    assert wrong == [], f"{period(month)}: settlement ≠ direct count (got, want): {wrong}"


def desk_report(year: Year, device_name: str, commune: str, month: int) -> Any:
    return year.devices[device_name].store.reports.monthly_report(commune, period(month))


def expected_desk_report(year: Year, counted: Counted, device_name: str, commune: str, month: int
                         ) -> dict[str, int]:
    """The month as the laptop's monthly report counts it: the cash lines of the month's list in the commune and the
    lines its own sessions of the month paid; turns are (person, agency, period, monthly or one-time)."""
    p = period(month)
    lines = counted.lines
    mine = [paid for paid in year.ledger
            if paid.device == device_name and paid.commune == commune and paid.session_period == p]
    paid_keys = {key for paid in mine for key in paid.lines}
    universe = {line.key: line for line in year.lists[p] if line.commune == commune}
    universe.update({key: lines[key] for key in paid_keys})
    agency = load_policy().agency_of

    def turns(keys: set[str], kind: TurnKind) -> int:
        return len({(lines[k].record_code, agency("uu_dai"), lines[k].period) for k in keys
                    if turn_kind(lines[k].kind) is kind})

    return {
        "lines_listed": len(universe), "lines_paid": len(paid_keys),
        "amount_listed": sum(line.amount for line in universe.values()),
        "amount_paid": sum(sum(paid.lines.values()) for paid in mine),
        "monthly_turns_listed": turns(set(universe), TurnKind.MONTHLY),
        "monthly_turns_paid": turns(paid_keys, TurnKind.MONTHLY),
        "one_time_turns_listed": turns(set(universe), TurnKind.ONE_TIME),
        "one_time_turns_paid": turns(paid_keys, TurnKind.ONE_TIME),
        "people_listed": len({line.record_code for line in universe.values()}),
        "people_paid": len({paid.record_code for paid in mine}),
    }


def desk_figures(year: Year, counted: Counted, month: int, reports: Mapping[tuple[str, str], Any]) -> None:
    wrong = []
    for (device_name, commune), data in reports.items():
        want = expected_desk_report(year, counted, device_name, commune, month)
        got = {name: getattr(data, name) for name in want}
        if got != want:
            wrong.append((device_name, commune, {k: (got[k], want[k]) for k in want if got[k] != want[k]}))
    assert wrong == [], f"{period(month)}: monthly reports ≠ direct count (got, want): {wrong}"


def desk_reports(year: Year, month: int) -> dict[tuple[str, str], Any]:
    out = {}
    for name, communes in (("laptop-a", year.a_communes), ("laptop-b", year.b_communes)):
        for commune in communes:
            out[(name, commune)] = desk_report(year, name, commune, month)
    return out


def printed(reports: Mapping[tuple[str, str], Any], settlement: settlements.Settlement) -> dict[str, Any]:
    """What a re-print must repeat: each laptop report's content and fingerprint, the settlement's closing figures."""
    out: dict[str, Any] = {}
    for (device_name, commune), data in reports.items():
        out[f"{device_name} {commune}"] = (monthly_content(data), document_info(DocumentKind.MONTHLY, data).fingerprint)
    for row in settlement.communes:
        out[f"settlement {row.code}"] = {name: dataclasses.asdict(getattr(row.figures, name)) for name in CLOSING}
    return out


def unchanged(before: Mapping[str, Any], now: Mapping[str, Any], month: int) -> None:
    changed = sorted(name for name in set(before) | set(now) if before.get(name) != now.get(name))
    detail: list[tuple[Any, ...]] = []
    for name in changed[:3]:
        old, new = before.get(name), now.get(name)
        if isinstance(old, tuple) and isinstance(new, tuple):
            old, new = old[0], new[0]
            keys = [k for k in set(old) | set(new) if old.get(k) != new.get(k)]
            detail.append((name, {k: (old.get(k), new.get(k)) for k in keys}))
        elif isinstance(old, dict) and isinstance(new, dict):
            detail.append((name, {k: (old.get(k), new.get(k)) for k in old if old.get(k) != new.get(k)}))
        else:
            detail.append((name, old, new))
    assert changed == [], f"the reports of {period(month)} changed: {changed} — {json.dumps(detail, default=str)[:900]}"


@dataclass
class Archive:
    """Each closed month's reports as first printed, to compare the re-prints with."""

    first_print: dict[int, dict[str, Any]] = field(default_factory=dict)


def after_month(year: Year, month: int, checks: Checks, archive: Archive) -> None:
    """Every invariant, after ``month`` closed, over every month so far."""
    with checks.step(NO_CASH_TO_THE_DEAD, month):
        no_cash_to_the_dead(year)
    with checks.step(AMENDMENTS_STAND, month):
        amendments_stand(year)
    with checks.step(NO_LINE_PAID_TWICE, month):
        no_line_paid_twice_unflagged(year)
    with checks.step(MONTH_NOT_FINISHED, month):
        late = [item for item in year.shut_out if item[0] == period(month)]
        assert late == [], f"late payers refused every line they were owed (month, person, why): {late}"
    counted = Counted.of(year)
    for earlier in range(1, month + 1):
        settlement = province_settlement(year, earlier)
        reports = desk_reports(year, earlier)
        with checks.step(PROVINCE_FIGURES, month):
            province_figures(year, counted, earlier, settlement)
        with checks.step(DESK_FIGURES, month):
            desk_figures(year, counted, earlier, reports)
        now = printed(reports, settlement)
        if earlier == month:
            archive.first_print[month] = now
        else:
            with checks.step(REPORTS_UNCHANGED, month):
                unchanged(archive.first_print[earlier], now, earlier)
