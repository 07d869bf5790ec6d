"""A simulated year of the monthly cycle (issue 11, point 7): twelve lists written as .xlsx files and read by the real
list reader, imported by the province server (over real HTTP for the devices), two enrolled laptops paying through
the store API and syncing, and the officers' amendments between lists.

``YearSpec`` sizes it (the CI test: 20 communes with a few people each; ``bench/bench_cycle_year.py``: more).
``Year`` runs it month by month (``run_month``); ``tests/cycle/test_simulated_year.py`` checks the invariants after
every month (``tests/builders/year_checks.py``).

The people with a story (all in the first communes, whatever the size):

- **Hồ Văn Một** (``D1``, commune 1, a representative): dies 10/03, recorded by an officer on 12/03 with his son as
  representative. April's list (prepared in March) still lists him as receiving — a contradiction; May's names
  another representative — a contradiction that holds his funeral allowance until an officer keeps the standing one.
- **Đỗ Thị Hai** (``D2``, commune 2, no representative): dies 15/05; June's list records the death, with no
  representative: her May allowance stays unpaid, carried over.
- **Lý Văn Ba** (``D3``, commune 3): dies 20/04, but someone collects his May and June allowances with his card; the
  officer records the death only on 03/07 (with a representative): both payments are flagged. August's list (prepared
  in July) still lists him as receiving.
- **Phan Văn Tư** (``S1``, commune 4): suspended by an officer on 02/02; March's and April's lists still list him as
  receiving; the suspension ends on 01/05 and his February–April allowances are paid, late, in May.
- **Trịnh Thị Năm** (``P1``, commune 5): collects through her nephew, whose letter expires on 30/04; May's list still
  carries the old letter and the desk refuses it; June's list brings a new letter and both months are paid.
- **Vương Văn Sáu** (``M1``, commune 2): misses August; September's list puts him in commune 12 (the other laptop),
  with August's line carried over.
- **Mai Thị Bảy** (``X1``, commune 1): in February both laptops, neither synced, pay her: a double payment.

Everyone's monthly allowance rises from July (the reference amount 2.789.000 → 3.000.000 ₫); July's and August's lists
were prepared before the rise, so September's list pays the new amounts plus the arrears of July and August.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.amendments import Choice, Contradiction, Subject
from app.domain.errors import BadInputError, PaymentRefused
from app.domain.model import (
    CashCount,
    Gender,
    LineKind,
    Recipient,
    RecipientKind,
)
from app.domain.period import period_of
from app.lists.parsed import ParsedList
from app.lists.policy import load_policy
from app.lists.reader import read_list
from app.lists.writer import write_list_xlsx
from app.store import database
from app.store.payouts import load_session
from server import db
from server import province as service
from tests.builders.province import Device, Province
from tests.builders.store import Clock, request, signature_evidence

YEAR = 2026
PROVINCE_NAME = "Tỉnh Quảng Ninh"
REFERENCE_BEFORE = 2_789_000
REFERENCE_AFTER = 3_000_000
RISE_FROM = 7  # the month the new reference amount applies from
RISE_LISTED_FROM = 9  # the first list that knows it (with the arrears of the months before)
FUNERAL = 18_720_000

COMMUNE_NAMES = (
    "Xã An Sinh", "Xã Bình Dương", "Xã Cẩm La", "Xã Đại Yên", "Xã Đông Hưng", "Xã Hạ Long", "Xã Hải Hòa",
    "Xã Hoàng Quế", "Xã Hồng Phong", "Xã Kim Sơn", "Xã Lê Lợi", "Xã Liên Vị", "Xã Minh Thành", "Xã Nam Hòa",
    "Xã Phong Cốc", "Xã Quảng La", "Xã Sông Khoai", "Xã Tân Dân", "Xã Thống Nhất", "Xã Tiền An", "Xã Uông Thượng",
    "Xã Vạn Ninh", "Xã Việt Dân", "Xã Yên Thọ",
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Đinh")
GIVEN_MALE = ("Văn An", "Văn Bình", "Đức Cường", "Văn Dũng", "Hữu Đạt", "Văn Hùng", "Quang Khải", "Văn Lâm")
GIVEN_FEMALE = ("Thị Hoa", "Thị Lan", "Thị Mai", "Thị Nga", "Thị Oanh", "Thị Phương", "Thị Quế", "Thị Thu")


def period(month: int) -> str:
    return f"{YEAR}-{month:02d}"


def day(month: int, number: int) -> dt.date:
    return dt.date(YEAR, month, number)


def at(when: dt.date, hour: int = 8) -> dt.datetime:
    """``hour`` o'clock in the province (UTC+7) on ``when``."""
    return dt.datetime(when.year, when.month, when.day, hour - 7, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class YearSpec:
    """How big a year: ``communes`` (≥ 20 for the issue; the stories use the first five and the 12th), ``people``
    ordinary people per commune, ``months`` (12)."""

    communes: int = 20
    people: int = 2
    months: int = 12

    def __post_init__(self) -> None:
        if self.communes < 12 or not 1 <= self.months <= 12 or self.people < 1:
            raise ValueError(f"a year needs at least 12 communes, a person each and 1–12 months: {self}")


@dataclass(frozen=True)
class Person:
    record_code: str
    full_name: str
    gender: Gender
    birth_year: int
    id_number: str
    commune: int  # index into the communes, where the first list puts them
    share: int  # the monthly allowance in hundredths of the reference amount
    supplement: bool = False


@dataclass(frozen=True)
class Proxy:
    name: str
    id_number: str
    number: str
    valid_until: dt.date


@dataclass(frozen=True)
class Paid:
    """One payment as the simulation made it: the test's own ledger, the "direct count" the figures must equal."""

    entry_id: str
    device: str
    session_period: str
    commune: str
    record_code: str
    lines: Mapping[str, int]  # key → amount paid
    recipient: RecipientKind
    recipient_id: str
    on: dt.date


@dataclass(frozen=True)
class ListLine:
    key: str
    record_code: str
    commune: str
    period: str
    regime: str
    kind: LineKind
    amount: int


# --- the people -----------------------------------------------------------------------------------------------------

STORY = ("D1", "D2", "D3", "S1", "P1", "M1", "X1")
STORY_COMMUNE = {"D1": 0, "D2": 1, "D3": 2, "S1": 3, "P1": 4, "M1": 1, "X1": 0}
STORY_NAMES = {"D1": ("Hồ Văn Một", Gender.MALE), "D2": ("Đỗ Thị Hai", Gender.FEMALE),
               "D3": ("Lý Văn Ba", Gender.MALE), "S1": ("Phan Văn Tư", Gender.MALE),
               "P1": ("Trịnh Thị Năm", Gender.FEMALE), "M1": ("Vương Văn Sáu", Gender.MALE),
               "X1": ("Mai Thị Bảy", Gender.FEMALE)}
MOVE_TO = 11  # M1's commune from September's list (on the other laptop)
MOVE_FROM_MONTH = 9
D1_DEATH, D1_RECORDED = day(3, 10), day(3, 12)
D1_REP = ("Hồ Văn Mười", "022075000101")
D1_LISTED_REP = ("Hồ Thị Mười Một", "022185000102")  # May's list: another representative
D2_DEATH = day(5, 15)
D3_DEATH, D3_RECORDED = day(4, 20), day(7, 3)
D3_REP = ("Lý Thị Ba", "022180000103")
S1_SUSPENDED, S1_RESUMED = day(2, 2), day(5, 1)
P1_OLD = Proxy("Trịnh Văn Cháu", "022090000104", "UQ-2026/0101", day(4, 30))
P1_NEW = Proxy("Trịnh Văn Cháu", "022090000104", "UQ-2026/0202", day(12, 31))


def record_code(number: int, category: str = "AQ") -> str:
    return f"QNH/{category}-{number:05d}-NAM"


def id_number(gender: Gender, birth_year: int, serial: int) -> str:
    return f"022{0 if gender is Gender.MALE else 1}{birth_year % 100:02d}{serial:06d}"


def make_people(spec: YearSpec) -> dict[str, Person]:
    """The story's people, then ``spec.people`` ordinary ones in every commune (deterministic)."""
    people: dict[str, Person] = {}
    number = 0
    for role in STORY:
        number += 1
        name, gender = STORY_NAMES[role]
        born = 1940 + number
        people[role] = Person(record_code(number), name, gender, born, id_number(gender, born, number),
                              STORY_COMMUNE[role], 100 + 10 * number, supplement=role in ("D1", "S1"))
    for commune in range(spec.communes):
        for index in range(spec.people):
            number += 1
            gender = Gender.MALE if number % 3 else Gender.FEMALE
            given = (GIVEN_MALE if gender is Gender.MALE else GIVEN_FEMALE)[number % 8]
            name = f"{FAMILY[number % len(FAMILY)]} {given}"
            born = 1938 + number % 20
            people[f"C{commune}-{index}"] = Person(record_code(number), name, gender, born,
                                                   id_number(gender, born, number), commune, (60, 100, 150)[number % 3])
    return people


# --- the world ------------------------------------------------------------------------------------------------------


@dataclass
class Year:
    """The province, its two laptops and the test's own ledger (what was paid, as the simulation did it)."""

    spec: YearSpec
    folder: Path
    database_url: str
    absences: Mapping[int, frozenset[str]] = field(default_factory=dict)
    """Month → the ordinary people (``C<commune>-<n>``) who miss the 5th; of them, ``late`` come on the 22nd."""
    late: Mapping[int, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.people = make_people(self.spec)
        self.by_code = {person.record_code: role for role, person in self.people.items()}
        self.commune_codes = [f"QNH-{101 + index:04d}" for index in range(self.spec.communes)]
        self.clock = Clock(at(dt.date(YEAR - 1, 12, 20)))
        self.lists: dict[str, list[ListLine]] = {}
        self.parsed: dict[str, ParsedList] = {}
        self.contradictions: dict[str, list[Contradiction]] = {}
        self.ledger: list[Paid] = []
        self.refusals: list[tuple[str, str, str]] = []  # (month, role, code)
        self.shut_out: list[tuple[str, str, tuple[str, ...]]] = []
        """Late payers (the 22nd, after next month's list arrived) who had unpaid lines of the month or before and
        could be paid none of them: (month, role, why each line was refused)."""
        self.month = 0
        self.points: dict[str, str] = {}
        first = self.read(self.write_list(1))
        self.province = Province(self.database_url, self.folder, clock=self.clock, first_list=first)
        self.keep(1, first, [])
        half = self.spec.communes // 2
        self.a_communes = self.commune_codes[:half]
        self.b_communes = [self.commune_codes[0], *self.commune_codes[half:]]
        self.a = self.province.device("laptop-a", communes=self.a_communes)
        self.b = self.province.device("laptop-b", communes=self.b_communes)
        self.devices = {"laptop-a": self.a, "laptop-b": self.b}

    def close(self) -> None:
        self.province.close()

    # -- lists

    def commune_of(self, role: str, month: int) -> int:
        person = self.people[role]
        return MOVE_TO if role == "M1" and month >= MOVE_FROM_MONTH else person.commune

    def monthly_amount(self, person: Person, month: int, listed_in: int) -> int:
        """The allowance of ``month`` as the list of ``listed_in`` states it (lists before September: the old
        reference amount)."""
        reference = REFERENCE_AFTER if month >= RISE_FROM and listed_in >= RISE_LISTED_FROM else REFERENCE_BEFORE
        return reference * person.share // 100 // 1000 * 1000

    def paid_keys(self) -> set[str]:
        return {key for paid in self.ledger for key in paid.lines}

    def listed_alive(self, role: str, month: int) -> bool:
        """Whether the list of ``month`` (prepared in the month before) still lists the person as receiving."""
        if role == "D1":
            return month <= 4  # April's list, prepared before the death was recorded
        if role == "D2":
            return month <= 5
        if role == "D3":
            return month <= 8  # August's list, prepared before the death was recorded
        return True

    def rows(self, month: int) -> list[dict[str, object]]:
        """The list of ``month`` as a province office would type it: every person still receiving with this month's
        lines, and the unpaid lines of earlier lists (carried over) with their own period."""
        paid = self.paid_keys()
        rows: list[dict[str, object]] = []
        for role, person in self.people.items():
            commune = self.commune_of(role, month)
            alive = self.listed_alive(role, month)
            lines: list[tuple[str, str, LineKind, int]] = []
            for earlier in range(1, month):  # carried over: unpaid lines of earlier lists still payable
                for item in self.lists.get(period(earlier), []):
                    if (item.record_code == person.record_code and item.key not in paid
                            and item.period == period(earlier) and not self.never_payable(role, item)):
                        lines.append((item.period, item.regime, item.kind, item.amount))
            if alive:
                lines.append((period(month), "monthly", LineKind.RECURRING, self.monthly_amount(person, month, month)))
                if person.supplement:
                    lines.append((period(month), "supplement", LineKind.RECURRING, 1_500_000))
                if month == RISE_LISTED_FROM:
                    arrears = sum(self.monthly_amount(person, m, month) - self.monthly_amount(person, m, m)
                                  for m in range(RISE_FROM, month))
                    lines.append((period(month), "arrears", LineKind.ONE_TIME, arrears))
            if role == "D1" and month == 5:
                lines.append((period(month), "funeral", LineKind.DEATH_RELATED, FUNERAL))
            seen: set[tuple[str, str]] = set()
            for line_period, regime, _kind, amount in lines:
                if (line_period, regime) in seen:
                    continue
                seen.add((line_period, regime))
                rows.append(self.row(role, person, commune, month, line_period, regime, amount, alive))
        return rows

    def never_payable(self, role: str, item: ListLine) -> bool:
        """A line the list maker knows no later month can pay (a monthly line after the month of death)."""
        death = {"D1": D1_DEATH, "D2": D2_DEATH, "D3": D3_DEATH}.get(role)
        return death is not None and item.kind is LineKind.RECURRING and item.period > period_of(death)

    def row(self, role: str, person: Person, commune: int, month: int, line_period: str, regime: str, amount: int,
            alive: bool) -> dict[str, object]:
        name = COMMUNE_NAMES[commune % len(COMMUNE_NAMES)]
        death = rep = None
        if not alive:
            death = {"D1": D1_DEATH, "D2": D2_DEATH, "D3": D3_DEATH}[role]
            rep = {"D1": D1_LISTED_REP, "D2": None, "D3": D3_REP}[role]
        proxy = None
        if role == "P1":
            proxy = P1_OLD if month <= 5 else P1_NEW
        return {
            "record_code": person.record_code, "full_name": person.full_name, "birth_year": person.birth_year,
            "gender": person.gender, "id_number": person.id_number, "village": "Thôn 1", "commune": name,
            "commune_code": self.commune_codes[commune], "province": PROVINCE_NAME,
            "category": "AQ", "programme": "uu_dai", "regime": regime, "period": line_period, "amount": amount,
            "method": "cash", "point": f"Nhà văn hóa {name.removeprefix('Xã ')}",
            "status": "Đang hưởng" if alive else "Đã mất", "death_date": death,
            "representative": rep[0] if rep else None, "representative_id": rep[1] if rep else None,
            "proxy_name": proxy.name if proxy else None, "proxy_id": proxy.id_number if proxy else None,
            "authorisation_number": proxy.number if proxy else None,
            "authorisation_until": proxy.valid_until if proxy else None,
        }

    def write_list(self, month: int) -> Path:
        path = self.folder / "lists" / f"ds-{month:02d}-{YEAR}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_list_xlsx(path, self.rows(month), payout_period=period(month))
        return path

    def read(self, path: Path) -> ParsedList:
        month = int(path.stem.split("-")[1])
        return read_list(path, policy=load_policy(), payout_period=period(month))

    def keep(self, month: int, parsed: ParsedList, found: list[Contradiction]) -> None:
        """What the simulation remembers of a list it imported: its lines (from the reader), its contradictions."""
        communes = {person.record_code: person.commune_code for person in parsed.beneficiaries}
        self.parsed[period(month)] = parsed
        self.lists[period(month)] = [
            ListLine(line.key, line.record_code, communes[line.record_code], line.period, line.regime, line.kind,
                     line.amount) for line in parsed.lines]
        self.contradictions[period(month)] = list(found)
        for point in parsed.points:
            self.points[point.commune_code] = point.point_id

    def import_list(self, month: int) -> list[Contradiction]:
        parsed = self.read(self.write_list(month))
        with db.transaction(self.province.engine) as conn:
            found = service.import_list(conn, parsed, self.clock())["contradictions"]
        self.keep(month, parsed, found)
        return found

    # -- the officers

    def amend(self, role: str, **options: Any) -> None:
        self.province.amend(self.people[role].record_code, by="tinh", **options)

    def decide(self, contradiction: Contradiction, choice: Choice, reason: str = "") -> None:
        assert contradiction.contradiction_id is not None  # a stored contradiction
        with db.transaction(self.province.engine) as conn:
            service.decide(conn, contradiction.contradiction_id, choice, reason, "tinh", self.clock())

    # -- the laptops

    def device_for(self, commune: str) -> Device:
        return self.a if commune in self.a_communes else self.b

    def sync(self) -> None:
        for device in self.devices.values():
            report = device.sync()
            assert report.ok, (device.name, report)

    def open_session(self, device: Device, commune: str, month: int, on: dt.date) -> str:
        return device.store.payouts.open_session(
            commune_code=commune, point_id=self.points[commune], day=on, cash_advance=200_000_000,
            staff="giaodich", period=period(month)).session_id

    def close_sessions(self, sessions: Iterable[tuple[Device, str]]) -> None:
        for device, session_id in sessions:
            with database.read(device.store.engine) as conn:
                session = load_session(conn, session_id)
            assert session is not None
            device.store.payouts.close_session(session_id, counted=count_notes(session.cash_expected),
                                               witness="Trần Văn Chứng", staff="giaodich")

    def payable(self, device: Device, role: str, session_id: str) -> tuple[list[str], bool]:
        """The keys the desk would pay now, and whether only to the representative."""
        try:
            view = device.store.payouts.person(self.people[role].record_code, session_id=session_id)
        except BadInputError as missing:  # the laptop does not have the person (e.g. moved from another commune)
            self.refusals.append((period(self.month), role, missing.code))
            return [], False
        states = [state for state in view.lines if state.payable]
        return [state.line.key for state in states], any(state.representative_only for state in states)

    def note_shut_out(self, device: Device, session_id: str, month: int, role: str) -> None:
        view = device.store.payouts.person(self.people[role].record_code, session_id=session_id)
        owed = [state for state in view.lines if state.line.period <= period(month) and state.block is not None
                and state.block.code != "already_paid"]
        if owed:
            codes = {state.block.code for state in owed if state.block is not None}
            self.shut_out.append((period(month), role, tuple(sorted(codes))))

    def recipient(self, role: str, on: dt.date, representative_only: bool) -> Recipient:
        if representative_only:
            name, number = {"D1": D1_REP, "D3": D3_REP}[role]
            return Recipient(RecipientKind.REPRESENTATIVE, name, number)
        if role == "P1":
            proxy = P1_OLD if on <= P1_OLD.valid_until or on.month == 5 else P1_NEW
            return Recipient(RecipientKind.PROXY, proxy.name, proxy.id_number, proxy.number, proxy.valid_until)
        return Recipient()

    def pay(self, device: Device, session_id: str, month: int, role: str, on: dt.date) -> Paid | None:
        """Pay everything the desk says is payable to ``role`` now (nothing if nothing is); a refusal is noted."""
        keys, representative_only = self.payable(device, role, session_id)
        if not keys:
            return None
        recipient = self.recipient(role, on, representative_only)
        try:
            payment = device.store.payouts.pay(request(session_id, self.people[role].record_code, keys,
                                                       recipient=recipient, evidence=EVIDENCE))
        except PaymentRefused as refused:
            self.refusals.append((period(month), role, refused.code))
            return None
        amounts = {line.key: line.amount for line in payment.lines}
        paid = Paid(payment.entry_id, device.name, period(month), self.commune_codes[self.commune_of(role, month)],
                    self.people[role].record_code, amounts, recipient.kind, recipient.id_number, on)
        self.ledger.append(paid)
        return paid

    def payout_day(self, month: int, on: dt.date, who: Iterable[str]) -> None:
        """A payout day: each laptop opens a session at the point of each commune with someone to pay, pays, closes."""
        self.clock.now = at(on)
        sessions: dict[tuple[str, str], str] = {}
        for role in who:
            commune = self.commune_codes[self.commune_of(role, month)]
            device = self.device_for(commune)
            if (device.name, commune) not in sessions:
                sessions[(device.name, commune)] = self.open_session(device, commune, month, on)
            paid = self.pay(device, sessions[(device.name, commune)], month, role, on)
            if paid is None and on.day > 5:
                self.note_shut_out(device, sessions[(device.name, commune)], month, role)
        self.clock.now = at(on, 17)
        self.close_sessions((self.devices[name], session) for (name, _), session in sessions.items())

    def everyone(self) -> list[str]:
        return list(self.people)

    def run_month(self, month: int) -> None:
        """One month of the cycle: the officers' amendments, the payout on the 5th (and the double payment in
        February), next month's list on the 20th, the late payers on the 22nd, every laptop synced."""
        self.month = month
        self.officers_before_payout(month)
        self.clock.now = at(day(month, 4))
        self.sync()
        absent = set(self.absences.get(month, frozenset()))
        absent |= self.story_absent(month)
        on_the_5th = [role for role in self.everyone() if role not in absent]
        if month == 2:
            self.double_payment()  # then laptop A, not synced either, pays her too
        self.payout_day(month, day(month, 5), on_the_5th)
        self.clock.now = at(day(month, 6))
        self.sync()
        self.officers_mid_month(month)
        if month < self.spec.months:
            self.clock.now = at(day(month, 20))
            self.import_list(month + 1)
            self.sync()
        late = [role for role in self.late.get(month, frozenset()) if role in absent]
        if late:
            self.payout_day(month, day(month, 22), late)
        self.clock.now = at(day(month, 25))
        self.sync()

    def story_absent(self, month: int) -> set[str]:
        """Who of the story does not come on the 5th: D2 in May (then dies: her May allowance has no one to collect
        it), M1 in August (his line carried over to commune 12)."""
        return {5: {"D2"}, 8: {"M1"}}.get(month, set())

    def double_payment(self) -> None:
        """Laptop B (commune 1 is on both laptops; neither synced since the 4th) pays Mai Thị Bảy her February
        allowance early on the 5th; laptop A pays her again at the commune's payout that day."""
        commune = self.commune_codes[0]
        on = day(2, 5)
        self.clock.now = at(on, 7)
        session = self.open_session(self.b, commune, 2, on)
        assert self.pay(self.b, session, 2, "X1", on) is not None
        self.close_sessions([(self.b, session)])

    def officers_before_payout(self, month: int) -> None:
        """Amendments recorded before the 5th."""
        self.clock.now = at(day(month, 1), 9)
        if month == 2:
            self.clock.now = at(S1_SUSPENDED, 9)
            self.amend("S1", suspend="Vắng mặt tại địa phương", reason="Báo cáo của UBND xã")
        if month == 5:
            self.clock.now = at(S1_RESUMED, 9)
            self.amend("S1", resume=True, reason="Đã về địa phương")
            # The representative May's list named is not the one the officer recorded: keep the recorded one.
            representative = [c for c in self.contradictions[period(5)]
                              if c.record_code == self.people["D1"].record_code and c.subject is Subject.REPRESENTATIVE]
            assert representative, self.contradictions[period(5)]
            self.decide(representative[0], Choice.KEEP)
        if month == 7:
            self.clock.now = at(D3_RECORDED, 9)
            self.amend("D3", death=D3_DEATH, representative=D3_REP, reason="Giấy báo tử của UBND xã")

    def officers_mid_month(self, month: int) -> None:
        if month == 3:
            self.clock.now = at(D1_RECORDED, 9)
            self.amend("D1", death=D1_DEATH, representative=D1_REP, reason="Giấy báo tử của UBND xã")


EVIDENCE = signature_evidence()


def count_notes(amount: int) -> CashCount:
    """The banknotes of ``amount`` counted greedily (the denominations of the policy data)."""
    notes = []
    for value in sorted(load_policy().denominations, reverse=True):
        count, amount = divmod(amount, value)
        if count:
            notes.append((value, count))
    assert amount == 0
    return CashCount(tuple(notes))


def random_absences(spec: YearSpec, seed: int) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """Month → the ordinary people who miss the 5th (about one in six), and those of them who come on the 22nd (half
    of them); the others' lines are carried over to the next month."""
    rng = random.Random(seed)
    ordinary = [f"C{c}-{i}" for c in range(spec.communes) for i in range(spec.people)]
    absences, late = {}, {}
    for month in range(1, spec.months + 1):
        missing = frozenset(role for role in ordinary if rng.random() < 1 / 6)
        absences[month] = missing
        late[month] = frozenset(role for role in missing if rng.random() < 0.5)
    return absences, late
