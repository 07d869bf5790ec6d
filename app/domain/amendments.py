"""Amendments: facts recorded between lists, and what a later list may and may not change of them.

A death, a suspension or its end, a representative, an amount or a new line recorded at the province (or, on a desk
without a province server, taken from an earlier list or decided by a supervisor) is an **amendment**: an append-only
fact saying who recorded what, when and why. Folded in order, a person's facts give their **standing** value. A later
list may make it safer — add a death or a suspension — but never lift one: where the list says otherwise, the list
**contradicts** the standing value, the standing value holds (dead stays dead, suspended stays suspended), a line
whose amount or representative the list contradicts is held (not payable), and the contradiction is reported by
person, in words, until an officer decides it (keep the amendment, or accept the list's value — which becomes a new
amendment). This is how the dead stop being paid for years by a list prepared weeks before the death was recorded.

Pure functions over domain values, used by the server's import and the desk's alike (written once): ``standing_of``
folds facts, ``compare`` finds the contradictions of one listed person, ``apply_standing`` makes the person and lines
the devices receive, ``facts_from_list`` says which of a list's statuses become facts, ``accepting`` turns an
officer's choice of the list's value into the new fact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any

from app.domain.clock import VIETNAM, ProvinceTime
from app.domain.model import (
    Beneficiary,
    BeneficiaryStatus,
    EntitlementLine,
    Hold,
    HoldSubject,
    LineKind,
    Representative,
)
from app.domain.money import format_vnd
from app.domain.period import display_period
from app.domain.policy import PolicyReference
from app.domain.text import fold


class FactKind(StrEnum):
    """What an amendment records."""

    DEATH = "death"  # the date of death, and the family representative when recorded with it
    DEATH_CANCELLED = "death_cancelled"  # a death recorded in error: the person is alive
    SUSPENSION = "suspension"  # payments suspended, with the reason
    RESUMPTION = "resumption"  # the suspension ends
    REPRESENTATIVE = "representative"  # the family representative (None: no representative stands)
    AMOUNT = "amount"  # one line's amount
    NEW_LINE = "new_line"  # a line the province added between lists
    LINE_WITHDRAWN = "line_withdrawn"  # a line added by amendment, withdrawn (a list that dropped it, accepted)
    NEW_PERSON = "new_person"  # a beneficiary the province added between lists (nothing a list can contradict)


class FactSource(StrEnum):
    """Where an amendment came from."""

    CONSOLE = "console"  # an officer in the province console
    CLI = "cli"  # ``payout-server amend``
    LIST = "list"  # a list that added a death or a suspension (a list may make things safer)
    DECISION = "decision"  # an officer (or a desk's supervisor) accepted a list's value over a standing one
    EARLIER = "earlier"  # a status already on file when amendments began to be kept


@dataclass(frozen=True, slots=True)
class Amendment:
    """One fact about one person (or one of their lines): what, who, when, why. Never edited, never deleted."""

    record_code: str
    kind: FactKind
    recorded_at: dt.datetime  # UTC
    recorded_by: str  # a username, or for a list's fact the list's file
    source: FactSource
    reason: str = ""
    date_of_death: dt.date | None = None
    representative: Representative | None = None
    line_key: str | None = None
    amount: int | None = None
    line: EntitlementLine | None = None  # a new line as added
    fact_id: int | None = None  # the store's number, once stored


@dataclass(frozen=True, slots=True)
class Standing:
    """What stands for one person after their facts, each value with the fact behind it."""

    record_code: str
    death: Amendment | None = None
    suspension: Amendment | None = None
    representative: Amendment | None = None  # from an officer's fact only (a list's representative is data)
    amounts: Mapping[str, Amendment] = field(default_factory=dict)
    new_lines: Mapping[str, Amendment] = field(default_factory=dict)

    @property
    def anything(self) -> bool:
        return bool(self.death or self.suspension or self.representative or self.amounts or self.new_lines)


def standing_of(record_code: str, facts: Iterable[Amendment]) -> Standing:
    """Fold a person's facts, oldest first, into what stands now."""
    death = suspension = representative = None
    amounts: dict[str, Amendment] = {}
    new_lines: dict[str, Amendment] = {}
    for fact in facts:
        kind = fact.kind
        if kind is FactKind.DEATH:
            death = fact
            if fact.representative is not None:
                representative = fact
        elif kind is FactKind.DEATH_CANCELLED:
            death = None
        elif kind is FactKind.SUSPENSION:
            suspension = fact
        elif kind is FactKind.RESUMPTION:
            suspension = None
        elif kind is FactKind.REPRESENTATIVE:
            representative = fact
        elif kind is FactKind.AMOUNT and fact.line_key:
            amounts[fact.line_key] = fact
        elif kind is FactKind.NEW_LINE and fact.line is not None:
            new_lines[fact.line.key] = fact
        elif kind is FactKind.LINE_WITHDRAWN and fact.line_key:
            new_lines.pop(fact.line_key, None)
            amounts.pop(fact.line_key, None)
    return Standing(record_code, death, suspension, representative, amounts, new_lines)


class Subject(StrEnum):
    """What a list contradicts."""

    DEATH = "death"  # lists a dead person as receiving (or suspended)
    DEATH_DATE = "death_date"  # lists the death with another date
    SUSPENSION = "suspension"  # lists a suspended person as receiving
    REPRESENTATIVE = "representative"  # drops or changes the recorded representative
    AMOUNT = "amount"  # lists a line at another amount than the amendment's
    LINE_DROPPED = "line_dropped"  # a corrected list of the period lacks a line an amendment added


HOLDS = {Subject.AMOUNT: HoldSubject.AMOUNT, Subject.REPRESENTATIVE: HoldSubject.REPRESENTATIVE,
         Subject.LINE_DROPPED: HoldSubject.LINE_DROPPED}
"""Contradictions that hold lines; the others keep the standing status, which blocks by itself."""


@dataclass(frozen=True, slots=True)
class Contradiction:
    """A list that says otherwise than a standing amendment: what it says, what stands, since when, who recorded it.

    ``listed`` and ``standing`` are the two values in machine form (a status, an ISO date, an amount, a
    representative as ``{"name", "id_number"}``, None for nothing) so an officer's choice can apply either; ``words``
    says them in Vietnamese or English. ``fact`` is the standing amendment.
    """

    record_code: str
    full_name: str
    subject: Subject
    list_period: str
    source: str  # the list's file
    listed: Any
    standing: Any
    fact: Amendment
    line_key: str | None = None
    regime: str | None = None
    contradiction_id: int | None = None  # the store's number, once stored

    def same_as(self, other: Contradiction) -> bool:
        """Whether two contradictions say the same thing about the same standing fact (a list imported again)."""
        return (self.record_code, self.subject, self.line_key, self.listed, self.fact.fact_id) == (
            other.record_code, other.subject, other.line_key, other.listed, other.fact.fact_id)


def _rep_value(rep: Representative | None) -> dict[str, Any] | None:
    return {"name": rep.name, "id_number": rep.id_number} if rep is not None else None


def rep_from_value(value: Any) -> Representative | None:
    """A representative from a contradiction's machine value."""
    if not value:
        return None
    return Representative(str(value["name"]), value.get("id_number"))


def _digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


def same_representative(a: Representative | None, b: Representative | None) -> bool:
    """The same person: names equal without accents and case; ID numbers compared only when both give one."""
    if a is None or b is None:
        return a is b
    if fold(a.name) != fold(b.name):
        return False
    return not (a.id_number and b.id_number) or _digits(a.id_number) == _digits(b.id_number)


def compare(
    standing: Standing,
    listed: Beneficiary | None,
    lines: Sequence[EntitlementLine],
    *,
    list_period: str,
    source: str,
    dropping: Iterable[str] = (),
    name: str = "",
) -> tuple[Contradiction, ...]:
    """Where one person's entry on a list contradicts what stands, in a fixed order (status, representative, lines).

    ``listed`` is the person as the list gives them (None when a whole-commune list no longer has them); ``lines``
    their lines on it; ``dropping`` the keys of their unpaid lines of ``list_period`` the list would withdraw;
    ``name`` the person's name on file, for one the list no longer has (a contradiction names the person in words).
    """
    found: list[Contradiction] = []
    name = listed.full_name if listed is not None else name

    def add(subject: Subject, said: Any, stands: Any, fact: Amendment, line: EntitlementLine | None = None,
            key: str | None = None) -> None:
        found.append(Contradiction(
            standing.record_code, name, subject, list_period, source, said, stands, fact,
            line.key if line is not None else key, line.regime if line is not None else _regime_of(key),
        ))

    if listed is not None:
        death = standing.death
        if death is not None and listed.status is not BeneficiaryStatus.DECEASED:
            add(Subject.DEATH, listed.status.value, BeneficiaryStatus.DECEASED.value, death)
        elif (death is not None and listed.date_of_death is not None and death.date_of_death is not None
              and listed.date_of_death != death.date_of_death):
            add(Subject.DEATH_DATE, listed.date_of_death.isoformat(), death.date_of_death.isoformat(), death)
        suspension = standing.suspension
        if suspension is not None and death is None and listed.status is BeneficiaryStatus.ACTIVE:
            add(Subject.SUSPENSION, listed.status.value, BeneficiaryStatus.SUSPENDED.value, suspension)
        rep = standing.representative
        says_rep = listed.status is BeneficiaryStatus.DECEASED or listed.representative is not None
        if rep is not None and says_rep and not same_representative(listed.representative, rep.representative):
            add(Subject.REPRESENTATIVE, _rep_value(listed.representative), _rep_value(rep.representative), rep)
    for line in lines:
        fact = standing.amounts.get(line.key)
        if fact is not None and fact.amount is not None and line.amount != fact.amount:
            add(Subject.AMOUNT, line.amount, fact.amount, fact, line)
    for key in sorted(set(dropping)):
        fact = standing.new_lines.get(key)
        amended = standing.amounts.get(key)
        if fact is not None and fact.line is not None:
            add(Subject.LINE_DROPPED, None, fact.line.amount, fact, fact.line)
        elif amended is not None and amended.amount is not None:  # a line whose amount an officer set
            add(Subject.LINE_DROPPED, None, amended.amount, amended, key=key)
    return tuple(found)


def facts_from_list(standing: Standing, listed: Beneficiary, *, at: dt.datetime, source: str,
                    list_period: str) -> tuple[Amendment, ...]:
    """What a list adds that stands from then on: a death or a suspension the person did not have (a list may make
    things safer, never the reverse). The list's representative stays data: only an officer's stands."""
    facts: list[Amendment] = []
    reason = f"Danh sách kỳ {display_period(list_period)}"
    if listed.status is BeneficiaryStatus.DECEASED and standing.death is None and listed.date_of_death is not None:
        facts.append(Amendment(listed.record_code, FactKind.DEATH, at, source, FactSource.LIST, reason,
                               date_of_death=listed.date_of_death))
    if (listed.status is BeneficiaryStatus.SUSPENDED and standing.suspension is None and standing.death is None):
        facts.append(Amendment(listed.record_code, FactKind.SUSPENSION, at, source, FactSource.LIST,
                               listed.status_reason or reason))
    return tuple(facts)


def apply_standing(standing: Standing, listed: Beneficiary, lines: Sequence[EntitlementLine],
                   contradictions: Sequence[Contradiction], clock: ProvinceTime = VIETNAM
                   ) -> tuple[Beneficiary, tuple[EntitlementLine, ...]]:
    """The person and lines as the desk must see them: the standing status, date of death and representative over
    the list's; each amended line at its standing amount; the lines the list contradicts held, with why."""
    person = listed
    if standing.death is not None:
        fact = standing.death
        person = dataclasses.replace(person, status=BeneficiaryStatus.DECEASED, date_of_death=fact.date_of_death,
                                     status_reason=person.status_reason if listed.status is BeneficiaryStatus.DECEASED
                                     else "Đã mất")
    elif standing.suspension is not None and person.status is not BeneficiaryStatus.DECEASED:
        person = dataclasses.replace(person, status=BeneficiaryStatus.SUSPENDED,
                                     status_reason=standing.suspension.reason or person.status_reason)
    if standing.representative is not None:
        person = dataclasses.replace(person, representative=standing.representative.representative)
    out = []
    for line in lines:
        amended = standing.amounts.get(line.key)
        if amended is not None and amended.amount is not None:
            line = dataclasses.replace(line, amount=amended.amount)
        holder = holding(contradictions, line)
        out.append(dataclasses.replace(line, hold=hold_of(holder, clock) if holder is not None else None))
    return person, tuple(out)


def holding(contradictions: Sequence[Contradiction], line: EntitlementLine) -> Contradiction | None:
    """The contradiction a line is held for, of those given: its own (an amount, a dropped line) before the
    person's representative (which holds the death-related lines); None when none holds it."""
    own = [c for c in contradictions if c.subject in (Subject.AMOUNT, Subject.LINE_DROPPED) and c.line_key == line.key]
    if own:
        return own[-1]
    if line.kind is LineKind.DEATH_RELATED:
        return next((c for c in contradictions if c.subject is Subject.REPRESENTATIVE), None)
    return None


def hold_of(contradiction: Contradiction, clock: ProvinceTime = VIETNAM) -> Hold:
    """The hold a contradiction puts on a line, with both values in words (said the same in either language)."""
    def words(value: Any) -> str:  # amounts and names read the same in both languages; nothing is a dash
        return "—" if value is None else value_words(contradiction.subject, value)

    return Hold(
        HOLDS[contradiction.subject], contradiction.list_period, words(contradiction.listed),
        words(contradiction.standing),
        clock.day_of(contradiction.fact.recorded_at), contradiction.fact.recorded_by,
    )


@dataclass(frozen=True, slots=True)
class Reconciled:
    """A list held against what stands: the people and lines to store and send (standing values, held lines), the
    facts the list adds (deaths, suspensions), and the contradictions to record and report."""

    people: tuple[Beneficiary, ...]
    lines: tuple[EntitlementLine, ...]
    facts: tuple[Amendment, ...]
    contradictions: tuple[Contradiction, ...]


def reconcile(
    people: Sequence[Beneficiary],
    lines: Sequence[EntitlementLine],
    standings: Mapping[str, Standing],
    *,
    list_period: str,
    source: str,
    at: dt.datetime,
    kept: Callable[[Contradiction], bool] = lambda _c: False,
    dropping: Mapping[str, Sequence[str]] | None = None,
    clock: ProvinceTime = VIETNAM,
    names: Mapping[str, str] | None = None,
    stored: Mapping[str, EntitlementLine] | None = None,
) -> Reconciled:
    """Hold a whole list against the standing facts — the one step both the server's import and the desk's take.

    ``standings``: record code → standing (people without facts may be absent); ``kept``: whether an officer already
    decided to keep the amendment against this same contradiction (then it is neither held nor reported again);
    ``dropping``: record code → keys of their unpaid lines of the period the list would withdraw (a whole-commune
    list), including people the list no longer has; ``names``: record code → name on file of those people;
    ``stored``: line key → the line as stored, for the dropped lines (one whose amount an officer set is kept held).
    """
    lines_of: dict[str, list[EntitlementLine]] = {}
    for line in lines:
        lines_of.setdefault(line.record_code, []).append(line)
    dropping = dropping or {}
    out_people: list[Beneficiary] = []
    out_lines: list[EntitlementLine] = []
    facts: list[Amendment] = []
    found: list[Contradiction] = []
    for person in people:
        code = person.record_code
        standing = standings.get(code) or Standing(code)
        own = lines_of.pop(code, [])
        contradictions = [c for c in compare(standing, person, own, list_period=list_period, source=source,
                                             dropping=dropping.get(code, ())) if not kept(c)]
        facts.extend(facts_from_list(standing, person, at=at, source=source, list_period=list_period))
        if standing.anything:
            person, adjusted = apply_standing(standing, person, own, contradictions, clock)
            own = list(adjusted)
            own.extend(_held_dropped(standing, contradictions, clock, stored or {}))
        found.extend(contradictions)
        out_people.append(person)
        out_lines.extend(own)
    for own in lines_of.values():  # lines of people the list does not name (never from the reader)
        out_lines.extend(own)
    for code, keys in dropping.items():  # people the whole-commune list no longer has
        if any(person.record_code == code for person in people):
            continue
        dropped = standings.get(code)
        if dropped is None or not (dropped.new_lines or dropped.amounts):
            continue
        contradictions = [c for c in compare(dropped, None, (), list_period=list_period, source=source,
                                             dropping=keys, name=(names or {}).get(code, "")) if not kept(c)]
        found.extend(contradictions)
        out_lines.extend(_held_dropped(dropped, contradictions, clock, stored or {}))
    return Reconciled(tuple(out_people), tuple(out_lines), tuple(facts), tuple(found))


def _held_dropped(standing: Standing, contradictions: Sequence[Contradiction], clock: ProvinceTime,
                  stored: Mapping[str, EntitlementLine]) -> list[EntitlementLine]:
    """The lines an amendment added, or whose amount an officer set, that the list drops: kept, held, at the
    standing value."""
    held = []
    for contradiction in contradictions:
        key = contradiction.line_key or ""
        if contradiction.subject is not Subject.LINE_DROPPED:
            continue
        fact = standing.new_lines.get(key)
        line = fact.line if fact is not None and fact.line is not None else stored.get(key)
        if line is None:
            continue
        amended = standing.amounts.get(line.key)
        amount = amended.amount if amended is not None and amended.amount is not None else line.amount
        held.append(dataclasses.replace(line, amount=amount, hold=hold_of(contradiction, clock)))
    return held


# --- as stored (both ends keep facts and holds as JSON) -----------------------------------------------------------


def hold_data(hold: Hold) -> dict[str, Any]:
    """A hold as JSON-ready data: the feed's ``hold`` on a line, and the desk's ``entitlement_lines.hold``."""
    return {"subject": hold.subject.value, "list_period": hold.list_period, "listed": hold.listed,
            "standing": hold.standing, "since": hold.since.isoformat(), "by": hold.by}


def hold_from_data(data: Mapping[str, Any]) -> Hold:
    return Hold(HoldSubject(data["subject"]), str(data.get("list_period", "")), str(data.get("listed", "")),
                str(data.get("standing", "")), dt.date.fromisoformat(data["since"]), str(data.get("by", "")))


def fact_data(fact: Amendment) -> dict[str, Any]:
    """A fact's values as JSON-ready data (a new line's own data is the caller's: the wire codec's line)."""
    rep = fact.representative
    detail: dict[str, Any] = {}
    if fact.date_of_death is not None:
        detail["date_of_death"] = fact.date_of_death.isoformat()
    if rep is not None or fact.kind in (FactKind.REPRESENTATIVE, FactKind.DEATH):
        detail["representative"] = {"name": rep.name, "id_number": rep.id_number} if rep else None
    if fact.line_key is not None:
        detail["line_key"] = fact.line_key
    if fact.amount is not None:
        detail["amount"] = fact.amount
    return detail


def fact_from_data(record_code: str, kind: str, source: str, recorded_at: dt.datetime, recorded_by: str,
                   reason: str, detail: Mapping[str, Any], *, line: EntitlementLine | None = None,
                   fact_id: int | None = None) -> Amendment:
    death = detail.get("date_of_death")
    return Amendment(
        record_code=record_code, kind=FactKind(kind), recorded_at=recorded_at, recorded_by=recorded_by,
        source=FactSource(source), reason=reason, date_of_death=dt.date.fromisoformat(death) if death else None,
        representative=rep_from_value(detail.get("representative")), line_key=detail.get("line_key"),
        amount=detail.get("amount"), line=line, fact_id=fact_id,
    )


# --- an officer's decision ----------------------------------------------------------------------------------------


class Choice(StrEnum):
    KEEP = "keep"  # the amendment stands; the list's value is set aside
    ACCEPT = "accept"  # the list is right: its value becomes a new amendment


def accepting(contradiction: Contradiction, *, at: dt.datetime, by: str, reason: str) -> Amendment:
    """The new amendment that accepting the list's value records (a reason is required by the caller)."""
    subject, said = contradiction.subject, contradiction.listed
    make = partial(Amendment, contradiction.record_code, recorded_at=at, recorded_by=by,
                               source=FactSource.DECISION, reason=reason)
    if subject is Subject.DEATH:
        return make(FactKind.DEATH_CANCELLED)
    if subject is Subject.DEATH_DATE:  # the date only: the representative that stands (perhaps a later one) stays
        return make(FactKind.DEATH, date_of_death=dt.date.fromisoformat(said))
    if subject is Subject.SUSPENSION:
        return make(FactKind.RESUMPTION)
    if subject is Subject.REPRESENTATIVE:
        return make(FactKind.REPRESENTATIVE, representative=rep_from_value(said))
    if subject is Subject.AMOUNT:
        return make(FactKind.AMOUNT, line_key=contradiction.line_key, amount=int(said))
    return make(FactKind.LINE_WITHDRAWN, line_key=contradiction.line_key)


Decided = Iterable[tuple[Contradiction, "Choice | None"]]
"""Contradictions already recorded, each with the choice made about it (None while open)."""


def kept_before(earlier: Decided) -> Callable[[Contradiction], bool]:
    """Whether an officer already kept the amendment against this same contradiction (a list imported again): it is
    then neither held nor reported again (``reconcile``'s ``kept``)."""
    kept = [old for old, choice in earlier if choice is Choice.KEEP]
    return lambda found: any(found.same_as(old) for old in kept)


def open_twin(found: Contradiction, earlier: Decided) -> Contradiction | None:
    """The open contradiction already recorded that says the same (a list imported again): reported again under
    its number rather than recorded twice."""
    return next((old for old, choice in earlier if choice is None and found.same_as(old)), None)


def standing_fact(contradiction: Contradiction, standing: Standing) -> Amendment | None:
    """The fact that stands now for what a contradiction is about (None when nothing stands any more)."""
    subject, key = contradiction.subject, contradiction.line_key or ""
    if subject in (Subject.DEATH, Subject.DEATH_DATE):
        return standing.death
    if subject is Subject.SUSPENSION:
        return standing.suspension
    if subject is Subject.REPRESENTATIVE:
        return standing.representative
    if subject is Subject.AMOUNT:
        return standing.amounts.get(key)
    return standing.new_lines.get(key) or standing.amounts.get(key)


def superseded(contradiction: Contradiction, standing: Standing) -> bool:
    """Whether what stood when the list was held has changed since (a newer amendment, a decision): deciding it
    would weigh the list against a value that no longer stands, so it is refused."""
    now = standing_fact(contradiction, standing)
    return now is None or now.fact_id != contradiction.fact.fact_id


def after_decision(
    contradiction: Contradiction, choice: Choice, person: Beneficiary, lines: Sequence[EntitlementLine],
    still_open: Sequence[Contradiction] = (), clock: ProvinceTime = VIETNAM,
) -> tuple[Beneficiary, tuple[EntitlementLine, ...], tuple[str, ...]]:
    """A person and their lines once a contradiction is decided: the lines it held are released — unless another
    of ``still_open`` (the person's other open contradictions) holds them too, which then holds them — and, when
    the list's value is accepted, that value is taken. Returns the person, the lines, and the keys to withdraw."""
    c = contradiction
    subject = HOLDS.get(c.subject)
    others = [other for other in still_open if other.contradiction_id != c.contradiction_id]

    def released(line: EntitlementLine) -> bool:
        if line.hold is None or line.hold.subject is not subject:
            return False
        return line.key == c.line_key or (c.subject is Subject.REPRESENTATIVE and line.kind is LineKind.DEATH_RELATED)

    def rehold(line: EntitlementLine) -> EntitlementLine:
        holder = holding(others, line)
        return dataclasses.replace(line, hold=hold_of(holder, clock) if holder is not None else None)

    out = [rehold(line) if released(line) else line for line in lines]
    withdraw: tuple[str, ...] = ()
    if choice is Choice.ACCEPT:
        said = c.listed
        if c.subject is Subject.DEATH:
            person = dataclasses.replace(person, status=BeneficiaryStatus(said), date_of_death=None,
                                         status_reason="" if said == "active" else person.status_reason)
        elif c.subject is Subject.DEATH_DATE:
            person = dataclasses.replace(person, date_of_death=dt.date.fromisoformat(said))
        elif c.subject is Subject.SUSPENSION:
            person = dataclasses.replace(person, status=BeneficiaryStatus.ACTIVE, status_reason="")
        elif c.subject is Subject.REPRESENTATIVE:
            person = dataclasses.replace(person, representative=rep_from_value(said))
        elif c.subject is Subject.AMOUNT:
            out = [dataclasses.replace(line, amount=int(said)) if line.key == c.line_key else line for line in out]
        elif c.subject is Subject.LINE_DROPPED and c.line_key:
            withdraw = (c.line_key,)
            out = [line for line in out if line.key != c.line_key]
    return person, tuple(out), withdraw


# --- in words -----------------------------------------------------------------------------------------------------


STATUS_WORDS = {"active": ("Đang hưởng", "receiving"), "suspended": ("Tạm dừng", "suspended"),
                "deceased": ("Đã mất", "deceased")}

SUBJECT_WORDS = {
    Subject.DEATH: ("tình trạng", "status"),
    Subject.DEATH_DATE: ("ngày mất", "date of death"),
    Subject.SUSPENSION: ("tình trạng", "status"),
    Subject.REPRESENTATIVE: ("người đại diện", "representative"),
    Subject.AMOUNT: ("số tiền", "amount"),
    Subject.LINE_DROPPED: ("khoản do điều chỉnh thêm", "line added by amendment"),
}

SOURCE_WORDS = {
    FactSource.CONSOLE: ("trên trang quản lý", "in the console"),
    FactSource.CLI: ("bằng dòng lệnh", "on the command line"),
    FactSource.LIST: ("theo danh sách", "from a list"),
    FactSource.DECISION: ("khi xử lý mâu thuẫn", "deciding a contradiction"),
    FactSource.EARLIER: ("đã có trước khi lưu điều chỉnh", "on file before amendments were kept"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def value_words(subject: Subject, value: Any, lang: str = "vi") -> str:
    """One side of a contradiction in words: a status, a date, an amount, a representative, or 'nothing'."""
    if value is None:
        return _pick(("(không ghi)", "(none)"), lang) if subject is not Subject.LINE_DROPPED else \
            _pick(("(không có)", "(absent)"), lang)
    if subject in (Subject.DEATH, Subject.SUSPENSION):
        return _pick(STATUS_WORDS.get(str(value), (str(value), str(value))), lang)
    if subject is Subject.DEATH_DATE:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    if subject in (Subject.AMOUNT, Subject.LINE_DROPPED):
        return format_vnd(int(value))
    rep = rep_from_value(value)
    assert rep is not None
    return f"{rep.name} (CCCD {rep.id_number})" if rep.id_number else rep.name


def fact_words(fact: Amendment, lang: str = "vi", clock: ProvinceTime = VIETNAM,
               policy: PolicyReference | None = None) -> str:
    """A standing amendment in words: what it recorded, when, by whom and why (a line by regime name and period)."""
    vi = lang != "en"
    kind = fact.kind
    if kind is FactKind.DEATH:
        day = fact.date_of_death.strftime("%d/%m/%Y") if fact.date_of_death else "?"
        what = f"đã mất ngày {day}" if vi else f"died on {day}"
        if fact.representative is not None:
            rep = value_words(Subject.REPRESENTATIVE, _rep_value(fact.representative), lang)
            what += f", người đại diện {rep}" if vi else f", representative {rep}"
    elif kind is FactKind.SUSPENSION:
        what = "tạm dừng chi trả" if vi else "payments suspended"
    elif kind is FactKind.REPRESENTATIVE:
        rep = value_words(Subject.REPRESENTATIVE, _rep_value(fact.representative), lang)
        what = f"người đại diện {rep}" if vi else f"representative {rep}"
    elif kind is FactKind.AMOUNT:
        amount = format_vnd(fact.amount or 0)
        what = f"số tiền {amount}" if vi else f"amount {amount}"
    elif kind is FactKind.NEW_LINE:
        amount = format_vnd(fact.line.amount if fact.line else 0)
        what = f"thêm khoản {amount}" if vi else f"line added, {amount}"
    elif kind is FactKind.RESUMPTION:
        what = "tiếp tục chi trả" if vi else "suspension ended"
    elif kind is FactKind.DEATH_CANCELLED:
        what = "hủy báo tử (đối tượng còn sống)" if vi else "death cancelled (the person is alive)"
    elif kind is FactKind.LINE_WITHDRAWN:
        line = line_words(_regime_of(fact.line_key), fact.line_key, lang, policy)
        what = f"rút khoản «{line}»" if vi else f"line “{line}” withdrawn"
    else:
        what = "thêm đối tượng" if vi else "beneficiary added"
    when = clock.format_datetime(fact.recorded_at)
    how = _pick(SOURCE_WORDS[fact.source], lang)
    said = (f"{what} (ghi nhận {when} bởi {fact.recorded_by}, {how}" if vi
            else f"{what} (recorded {when} by {fact.recorded_by}, {how}")
    if fact.reason:
        said += f"; lý do: {fact.reason}" if vi else f"; reason: {fact.reason}"
    return said + ")"


def line_words(regime: str | None, line_key: str | None, lang: str = "vi", policy: PolicyReference | None = None,
               period: str | None = None) -> str:
    """A line in words: its regime by name (the code only when the policy does not know it) and its period — never
    the line's key."""
    info = policy.regime(regime) if policy is not None and regime else None
    name = (info.name_en if lang == "en" else info.name) if info is not None else (regime or "")
    if period is None and line_key and line_key.count("|") == 3:  # record|period|programme|regime
        period = line_key.split("|")[1]
    if period:
        name = f"{name} {'kỳ' if lang != 'en' else 'for'} {display_period(period)}".strip()
    return name or _pick(("khoản chi", "a line"), lang)


def _regime_of(key: str | None) -> str | None:
    """The regime code in a line key of the ``record|period|programme|regime`` form (None for a line ID's key)."""
    return key.split("|")[3] if key and key.count("|") == 3 else None


def describe(contradiction: Contradiction, lang: str = "vi", clock: ProvinceTime = VIETNAM,
             policy: PolicyReference | None = None) -> str:
    """A contradiction in one sentence, by person: what the list says, what stands, since when, who recorded it.
    ``policy`` names the line's regime (without it, the regime's code)."""
    vi = lang != "en"
    c = contradiction
    who = f"{c.full_name} ({c.record_code})" if c.full_name else c.record_code
    period = display_period(c.list_period)
    said = value_words(c.subject, c.listed, lang)
    stands = value_words(c.subject, c.standing, lang)
    about = _pick(SUBJECT_WORDS[c.subject], lang)
    line = line_words(c.regime, c.line_key, lang, policy, c.fact.line.period if c.fact.line is not None else None)
    if c.line_key:
        about += f" khoản «{line}»" if vi else f" of line “{line}”"
    standing_fact = fact_words(c.fact, lang, clock, policy)
    if c.subject is Subject.LINE_DROPPED:
        amended = c.fact.kind is FactKind.AMOUNT
        did = ("đã đặt số tiền khoản này" if amended else "đã thêm khoản này") if vi else \
            ("set its amount" if amended else "added it")
        text = (f"{who}: danh sách kỳ {period} không còn khoản «{line}», nhưng điều chỉnh {did} ({stands}) — "
                f"{standing_fact}" if vi else
                f"{who}: the {period} list no longer has line “{line}”, but an amendment {did} ({stands}) — "
                f"{standing_fact}")
    elif vi:
        text = f"{who}: danh sách kỳ {period} ghi {about} «{said}», nhưng đang giữ «{stands}»: {standing_fact}"
    else:
        text = f"{who}: the {period} list gives {about} “{said}”, but “{stands}” stands: {standing_fact}"
    return text


def hold_reason(hold: Hold, lang: str = "vi") -> str:
    """Why a line is held, for the import report (the desk says it through its rules' message)."""
    from app.domain.messages import render
    from app.domain.rules import held_block

    block = held_block(hold)
    return render(block.code, lang, dict(block.params))


__all__ = [
    "Amendment", "Choice", "Contradiction", "FactKind", "FactSource", "HOLDS", "Reconciled", "Standing", "Subject",
    "Decided", "accepting", "after_decision", "apply_standing", "kept_before", "open_twin", "fact_data",
    "fact_from_data", "hold_data", "hold_from_data", "holding", "standing_fact", "superseded",
    "reconcile", "compare", "describe", "fact_words", "line_words", "facts_from_list", "hold_of", "hold_reason",
    "rep_from_value", "same_representative", "standing_of", "value_words",
]
