"""One citizen across several agencies' lists: records grouped into one person by the 12-digit personal ID number.

Each agency's list names a person by its own record code (the Department's hồ sơ code, BHXH's "Mã số BHXH", the
commune's code). A human on two lists is two *records*; this module decides which records are one *person*, so the
teller sees them once and pays every line with one signature (issue 12):

- Records with the same 12-digit number (CCCD / thẻ căn cước; VNeID shows the same number), the same name after
  folding and no contradicting birth year are one person, automatically.
- The same number with another name or birth year is a **conflict**: never merged silently. Until a supervisor or
  an officer decides, the records stay separate and each stays payable on its own (a spelling difference must never
  withhold a pension).
- A record without a valid number is matched by nothing automatically.
- A **decision** about a pair of records (``PersonLink``) overrides the automatic rule: ``LINK`` (one person),
  ``SEPARATE`` (not one person, even with one number) or ``CLEAR`` (back to the automatic rule; how a decision is
  undone). Decisions are a log: the latest one about a pair stands, and every one is kept for the audit.

A **death** recorded on any record of a person applies to the person (``with_person_death``); a suspension stays on
the record — the agency and regime — that recorded it.

Pure: the desk (``app.store``) and the province server group the same records with the same decisions and get the
same persons.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.model import Beneficiary, BeneficiaryStatus
from app.domain.text import fold

_ID_NUMBER = re.compile(r"^[0-9]{12}$")

MAX_DECISION_TEXT = 500
"""Bound on a decision's reason and author: what the desk accepts, the wire carries (``app.wire.codec``)."""


def personal_number(id_number: str | None) -> str | None:
    """The 12-digit personal ID number in ``id_number`` (spaces removed), or None when it is not one: an old 9-digit
    CMND, a blank or a typo never matches anybody."""
    if not id_number:
        return None
    digits = "".join(id_number.split())
    return digits if _ID_NUMBER.match(digits) else None


@dataclass(frozen=True, slots=True)
class RecordIdentity:
    """What grouping looks at in one record."""

    record_code: str
    agency: str
    full_name: str
    birth_year: int | None
    id_number: str | None

    @classmethod
    def of(cls, person: Beneficiary) -> RecordIdentity:
        return cls(person.record_code, person.agency, person.full_name, person.birth_year, person.id_number)

    @property
    def folded_name(self) -> str:
        return " ".join(fold(self.full_name).split())


class LinkAction(StrEnum):
    LINK = "link"  # the two records are one person
    SEPARATE = "separate"  # the two records are two people, whatever their numbers say
    CLEAR = "clear"  # undo an earlier decision: the automatic rule again


@dataclass(frozen=True, slots=True)
class PersonLink:
    """A supervisor's or officer's decision about two records (audited; undone by a later ``CLEAR``)."""

    first: str
    second: str
    action: LinkAction
    by: str
    at: dt.datetime
    reason: str = ""

    @property
    def pair(self) -> tuple[str, str]:
        return pair_of(self.first, self.second)


def pair_of(first: str, second: str) -> tuple[str, str]:
    """A pair of record codes in one order, so (a, b) and (b, a) are one pair."""
    return (first, second) if first <= second else (second, first)


@dataclass(frozen=True, slots=True)
class IdentityConflict:
    """Two records with one personal number but another name or birth year: reported, not merged."""

    id_number: str
    first: RecordIdentity
    second: RecordIdentity

    @property
    def differs_in(self) -> tuple[str, ...]:
        """What differs, as field names: "full_name", "birth_year"."""
        fields = []
        if self.first.folded_name != self.second.folded_name:
            fields.append("full_name")
        if _years_differ(self.first.birth_year, self.second.birth_year):
            fields.append("birth_year")
        return tuple(fields)


@dataclass(frozen=True)
class Grouping:
    """Which records are one person.

    ``group_of`` maps each record code grouped with at least one other to its person key — the smallest record code
    of the group, so the key stays the same while the group does; a record alone is its own person and is not in the
    map (``person_key``). ``members`` maps a person key to its record codes, sorted.
    """

    group_of: Mapping[str, str]
    members: Mapping[str, tuple[str, ...]]
    conflicts: tuple[IdentityConflict, ...]

    def person_key(self, record_code: str) -> str:
        return self.group_of.get(record_code, record_code)

    def records_of(self, record_code: str) -> tuple[str, ...]:
        """Every record of the person ``record_code`` belongs to (itself alone when ungrouped)."""
        return self.members.get(self.person_key(record_code), (record_code,))


def _years_differ(first: int | None, second: int | None) -> bool:
    return first is not None and second is not None and first != second


def same_person(first: RecordIdentity, second: RecordIdentity) -> bool:
    """The automatic rule: one valid personal number, one folded name, no contradicting birth year."""
    number = personal_number(first.id_number)
    return (
        number is not None
        and number == personal_number(second.id_number)
        and first.folded_name == second.folded_name
        and not _years_differ(first.birth_year, second.birth_year)
    )


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, code: str) -> str:
        root = code
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while code != root:  # path compression
            self.parent[code], code = root, self.parent.get(code, code)
        return root

    def union(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def latest_decisions(decisions: Iterable[PersonLink]) -> dict[tuple[str, str], PersonLink]:
    """The standing decision about each pair: the latest by time (a later ``CLEAR`` removes it)."""
    standing: dict[tuple[str, str], PersonLink] = {}
    for decision in sorted(decisions, key=lambda item: item.at):
        if decision.action is LinkAction.CLEAR:
            standing.pop(decision.pair, None)
        else:
            standing[decision.pair] = decision
    return standing


def group_records(records: Iterable[RecordIdentity], decisions: Iterable[PersonLink] = ()) -> Grouping:
    """Group ``records`` into persons by the automatic rule and the standing decisions (see the module docstring).

    Records a decision names but ``records`` lacks are ignored (a decision outlives a list that dropped a record).
    Linear in the records, except within one personal number (a handful of records at most).
    """
    by_code: dict[str, RecordIdentity] = {}
    by_number: dict[str, list[RecordIdentity]] = {}
    for record in records:
        by_code[record.record_code] = record
        number = personal_number(record.id_number)
        if number is not None:
            by_number.setdefault(number, []).append(record)
    standing = latest_decisions(decisions)
    union = _Union()
    conflicts: list[IdentityConflict] = []
    for number, same_number in by_number.items():
        if len(same_number) < 2:
            continue
        same_number.sort(key=lambda item: item.record_code)
        for index, first in enumerate(same_number):
            for second in same_number[index + 1:]:
                decision = standing.get(pair_of(first.record_code, second.record_code))
                if decision is not None:
                    continue  # decided below
                if same_person(first, second):
                    union.union(first.record_code, second.record_code)
                elif not _already_reported(conflicts, number, first, second, union):
                    conflicts.append(IdentityConflict(number, first, second))
    for (first_code, second_code), decision in standing.items():
        if decision.action is LinkAction.LINK and first_code in by_code and second_code in by_code:
            union.union(first_code, second_code)
    # a conflict two records' link has settled since (directly or through a third record) is no longer one
    conflicts = [item for item in conflicts
                 if union.find(item.first.record_code) != union.find(item.second.record_code)]
    members: dict[str, list[str]] = {}
    for code in by_code:
        members.setdefault(union.find(code), []).append(code)
    members = {root: codes for root, codes in members.items() if len(codes) > 1}
    group_of: dict[str, str] = {}
    member_map: dict[str, tuple[str, ...]] = {}
    for codes in members.values():
        ordered = tuple(sorted(codes))
        member_map[ordered[0]] = ordered
        for code in ordered:
            group_of[code] = ordered[0]
    return Grouping(group_of, member_map, tuple(conflicts))


def _already_reported(conflicts: Sequence[IdentityConflict], number: str, first: RecordIdentity,
                      second: RecordIdentity, union: _Union) -> bool:
    """One conflict per pair of differing clusters of one number: a third record that is the same person as one
    already in conflict with ``second`` adds no new conflict."""
    for item in conflicts:
        if item.id_number != number:
            continue
        if {union.find(item.first.record_code), union.find(item.second.record_code)} == {
                union.find(first.record_code), union.find(second.record_code)}:
            return True
    return False


def death_of(records: Iterable[Beneficiary]) -> Beneficiary | None:
    """The record of a person that recorded their death (the earliest date where several did), or None."""
    dead = [record for record in records if record.status is BeneficiaryStatus.DECEASED]
    if not dead:
        return None
    return min(dead, key=lambda record: (record.date_of_death or dt.date.max, record.record_code))


def with_person_death(records: Sequence[Beneficiary]) -> tuple[Beneficiary, ...]:
    """The records of one person with a death any of them recorded applied to all of them: every agency's monthly
    lines after the month of death are then blocked by the rules. A record's own representative is kept; one without
    takes the recording record's. Records without a death anywhere come back unchanged."""
    dead = death_of(records)
    if dead is None:
        return tuple(records)
    return tuple(
        record if record.status is BeneficiaryStatus.DECEASED else replace(
            record,
            status=BeneficiaryStatus.DECEASED,
            status_reason=dead.status_reason or record.status_reason,
            date_of_death=dead.date_of_death,
            representative=record.representative or dead.representative,
        )
        for record in records
    )
