"""Issue 12 on the desk: one citizen on two agencies' lists is one person — found once, shown with every line and its
agency, paid in one visit with one signature (one journal entry per record, one transaction) — while each list is
scoped by (commune, period, agency), a conflict is reported and never merged, and a supervisor's or officer's decision
links or separates records (audited, undone by a CLEAR)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main as desk_cli
from app.domain.errors import BadInputError, PaymentRefused
from app.domain.identity import LinkAction, PersonLink
from app.domain.model import Beneficiary, Role
from app.store import database
from app.store.feed import PersonLinkChange
from app.store.store import Store
from app.sync.feed import changes_from_wire
from app.wire.codec import person_link_to_wire
from app.wire.constants import CHANGE_PERSON_LINK
from tests.builders.agencies import (
    BHXH,
    DEPARTMENT,
    DUC,
    DUC_BHXH,
    HOA_BHXH,
    HUE,
    SAU_BHXH,
    TAM,
    TAM_BHXH,
    bhxh_lines,
    bhxh_list,
    bhxh_people,
    department_lines,
    department_list,
    duc_december_keys,
)
from tests.builders.sheets import write_parsed
from tests.builders.store import COMMUNE, DAY, POINT, Clock, request

JANUARY = "2027-01"


@pytest.fixture
def two_lists(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data", clock=clock)
    opened.staff.add("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER, "pw-teller")
    opened.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    opened.lists.import_parsed(department_list())
    opened.lists.import_parsed(bhxh_list())
    yield opened
    opened.close()


def _session(store: Store, day: dt.date = DAY) -> str:
    return store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=day, cash_advance=80_000_000,
                                      staff="giaodich").session_id


def _line_keys(store: Store) -> set[str]:
    with database.read(store.engine) as conn:
        return {key for (key,) in conn.execute(text("SELECT line_key FROM entitlement_lines"))}


def test_a_person_on_both_lists_is_one_hit_found_by_either_code_name_number_or_qr(two_lists: Store) -> None:
    expected = ((DUC, DEPARTMENT), (DUC_BHXH, BHXH))
    for query in ("022052000123", DUC_BHXH, "nguyen van duc", DUC.lower()):
        hits = two_lists.search.search(query).hits
        assert len(hits) == 1, query
        assert sorted(hits[0].records) == sorted(expected)
    qr = "022052000123|123456789|Nguyễn Văn Đức|01011952|Nam|Thôn Đông|01012021"
    assert [sorted(hit.records) for hit in two_lists.search.search(qr).hits] == [sorted(expected)]
    # the point's list shows the person once, with both codes
    rows = [row for row in two_lists.desk.people(_session(two_lists)) if row.full_name == "Nguyễn Văn Đức"]
    assert len(rows) == 1 and sorted(rows[0].records) == sorted(expected)
    assert rows[0].due == sum(item.amount for item in department_lines() + bhxh_lines()
                              if item.record_code in (DUC, DUC_BHXH) and item.kind.value != "death_related")


def test_the_person_view_holds_every_records_lines_with_their_agency_preselected(two_lists: Store) -> None:
    view = two_lists.payouts.person(DUC_BHXH, _session(two_lists))
    assert view.beneficiary.record_code == DUC_BHXH
    assert [record.record_code for record in view.all_records] == [DUC_BHXH, DUC]
    assert {state.line.key for state in view.lines} == set(duc_december_keys())
    assert view.selected == set(duc_december_keys())
    assert {view.agency_of(key) for key in duc_december_keys()} == {DEPARTMENT, BHXH}
    assert view.agency_of(bhxh_lines()[0].key) == BHXH


def test_one_visit_pays_both_agencies_with_one_signature_in_one_transaction(two_lists: Store) -> None:
    session = _session(two_lists)
    change = two_lists.desk.pay(request(session, DUC, duc_december_keys()))
    visit = change.visit
    assert [payment.record_code for payment in visit] == [DUC, DUC_BHXH]  # one entry per record, the opened first
    assert len({payment.signature_digest for payment in visit}) == 1 and visit[0].signature_digest
    assert sorted(payment.receipt_no or 0 for payment in visit) == [1, 2]  # each its own receipt number
    assert change.session is not None and sum(payment.total for payment in visit) == change.session.paid_total
    assert change.rows[0].due == 0 and change.delta is not None and change.delta.payments == 2
    with database.read(two_lists.engine) as conn:
        entries = conn.execute(text("SELECT count(*), count(DISTINCT p.recorded_at) FROM journal j "
                                    "JOIN payments p ON p.entry_id = j.entry_id")).one()
    assert tuple(entries) == (2, 1)  # two journal entries, written together
    assert not two_lists.payouts.person(DUC, session).selected  # nothing left to pay


def test_a_visit_is_paid_whole_or_not_at_all(two_lists: Store) -> None:
    session = _session(two_lists)
    pension = bhxh_lines()[0]
    shown = tuple((item.key, item.amount) for item in department_lines() if item.record_code == DUC) + \
        ((pension.key, pension.amount - 1),)  # the pension changed since the screen showed it
    with pytest.raises(PaymentRefused):
        two_lists.payouts.pay_visit(request(session, DUC, duc_december_keys(), expected_amounts=shown))
    with database.read(two_lists.engine) as conn:
        assert conn.execute(text("SELECT count(*) FROM payments")).scalar_one() == 0
    # and a line of somebody else is not part of this person's visit
    with pytest.raises(PaymentRefused):
        two_lists.payouts.pay_visit(request(session, DUC, (bhxh_lines()[3].key,)))


def test_a_death_on_the_departments_list_blocks_bhxhs_monthly_lines_after_the_month(two_lists: Store) -> None:
    session = _session(two_lists)
    view = two_lists.payouts.person(TAM_BHXH, session)
    pension = next(state for state in view.lines if state.line.record_code == TAM_BHXH)
    assert pension.block is not None and pension.block.code == "deceased_after_death"
    assert view.beneficiary.date_of_death == dt.date(2026, 11, 3)
    for pay in (two_lists.payouts.pay, two_lists.payouts.pay_visit):
        with pytest.raises(PaymentRefused) as refused:
            pay(request(session, TAM_BHXH, (pension.line.key,)))
        assert refused.value.code == "deceased_after_death"


def test_a_conflict_is_reported_at_import_never_merged_and_each_record_stays_payable(tmp_path: Path,
                                                                                    clock: Clock) -> None:
    with Store.open(tmp_path / "data", clock=clock) as store:
        store.lists.import_parsed(department_list())
        report = store.lists.import_parsed(bhxh_list())
        assert [(item.row, item.listed_code, item.listed_name, item.other_code, item.other_name, item.differs)
                for item in report.conflicts] == [(10, HOA_BHXH, "Đặng Thị Hoa", HUE, "Đặng Thị Huệ", ("full_name",))]
        assert "Dòng 10" in report.conflicts[0].message() and "họ tên" in report.conflicts[0].message()
        assert [(row.first_code, row.second_code) for row in store.persons.conflicts()] == [(HOA_BHXH, HUE)]
        assert len(store.search.search("022148000456").hits) == 2  # two people until someone decides
        session = _session(store)
        assert store.payouts.person(HOA_BHXH, session).selected == {bhxh_lines()[2].key}
        assert store.persons.records_of(SAU_BHXH) == (SAU_BHXH,)  # no number: matched by nothing


def test_a_supervisor_links_and_unlinks_records_with_a_reason_audited(two_lists: Store) -> None:
    persons = two_lists.persons
    for supervisor, reason, code in (("giaodich", "cùng một người", "person_link_needs_supervisor"),
                                     ("giamsat", "  ", "person_link_needs_reason")):
        with pytest.raises(BadInputError) as refused:
            persons.decide(HUE, HOA_BHXH, LinkAction.LINK, supervisor=supervisor, reason=reason)
        assert refused.value.code == code
    assert persons.decide(HUE, HOA_BHXH, LinkAction.LINK, supervisor="giamsat",
                          reason="Hoa là tên gọi khác của bà Huệ (CCCD đã xem)") == (HUE, HOA_BHXH)
    assert not persons.conflicts()
    assert len(two_lists.search.search("022148000456").hits) == 1
    # a person without a number, linked by hand
    assert persons.decide(SAU_BHXH, HUE, LinkAction.LINK, supervisor="giamsat", reason="thử") == \
        (SAU_BHXH, HOA_BHXH, HUE)
    persons.decide(SAU_BHXH, HUE, LinkAction.CLEAR, supervisor="giamsat", reason="nhầm")
    assert persons.records_of(SAU_BHXH) == (SAU_BHXH,)
    persons.decide(HUE, HOA_BHXH, LinkAction.CLEAR, supervisor="giamsat", reason="hủy để kiểm tra lại")
    assert [(row.first_code, row.second_code) for row in persons.conflicts()] == [(HOA_BHXH, HUE)]
    # separating one person's two records makes two people of them
    persons.decide(DUC, DUC_BHXH, LinkAction.SEPARATE, supervisor="giamsat", reason="hai người trùng số")
    assert len(two_lists.search.search("022052000123").hits) == 2
    log = persons.decisions()
    assert [(item.link.action, item.link.by, item.origin) for item in log] == [
        (LinkAction.LINK, "giamsat", "desk"), (LinkAction.LINK, "giamsat", "desk"),
        (LinkAction.CLEAR, "giamsat", "desk"), (LinkAction.CLEAR, "giamsat", "desk"),
        (LinkAction.SEPARATE, "giamsat", "desk")]
    with pytest.raises(BadInputError) as refused:
        persons.decide(TAM, DUC, LinkAction.CLEAR, supervisor="giamsat", reason="x")
    assert refused.value.code == "person_link_nothing_to_clear"


def test_decisions_from_the_feed_are_kept_and_regroup(two_lists: Store, clock: Clock) -> None:
    link = PersonLink(HOA_BHXH, HUE, LinkAction.LINK, "canbo.tinh", clock() - dt.timedelta(hours=1), "đã xác minh")
    changes = changes_from_wire([{"kind": CHANGE_PERSON_LINK, "payload": person_link_to_wire(link)}])
    assert changes == [PersonLinkChange(link)]
    applied = two_lists.sync.apply_changes(changes, 7)
    assert applied.person_links == 1
    assert two_lists.persons.records_of(HUE) == (HUE, HOA_BHXH)
    assert two_lists.sync.apply_changes(changes, 8).person_links == 0  # the same decision again is kept once
    assert [(item.link, item.origin) for item in two_lists.persons.decisions()] == [(link, "province")]
    undo = replace(link, action=LinkAction.CLEAR, at=clock())
    two_lists.sync.apply_changes([PersonLinkChange(undo)], 9)
    assert two_lists.persons.records_of(HUE) == (HUE,)


def test_each_agencys_list_replaces_only_its_own_lines(tmp_path: Path, clock: Clock) -> None:
    """Department list, BHXH list, corrected Department list, next month's BHXH list only: the people of both stay
    payable; the Department's lines of January appear when its list arrives."""
    with Store.open(tmp_path / "data", clock=clock) as store:
        store.lists.import_parsed(department_list())
        store.lists.import_parsed(bhxh_list())
        bhxh_keys = {item.key for item in bhxh_lines()}
        dropped = next(item for item in department_lines() if item.record_code == DUC and item.regime == "supplement")
        corrected = store.lists.import_parsed(department_list(
            the_lines=[item for item in department_lines() if item.key != dropped.key]))
        assert corrected.removed == (dropped.key,)  # the Department's correction withdraws its own line only
        assert bhxh_keys <= _line_keys(store)
        corrected_bhxh = store.lists.import_parsed(bhxh_list(the_lines=bhxh_lines()[1:]))
        assert corrected_bhxh.removed == (bhxh_lines()[0].key,)
        assert {item.key for item in department_lines() if item.key != dropped.key} <= _line_keys(store)
        store.lists.import_parsed(bhxh_list())
        with database.read(store.engine) as conn:  # December's list as kept still has both agencies' people
            kept = {code for (code,) in conn.execute(text("SELECT record_code FROM list_people"))}
        assert {DUC, DUC_BHXH, TAM, TAM_BHXH} <= kept
        january = store.lists.import_parsed(bhxh_list(JANUARY))
        assert not january.removed
        clock.now = dt.datetime(2027, 1, 5, 8, 0, tzinfo=dt.UTC)
        session = _session(store, dt.date(2027, 1, 5))
        view = store.payouts.person(DUC, session)
        due = {(state.line.record_code, state.line.period) for state in view.lines if state.payable}
        assert {(DUC, "2026-12"), (DUC_BHXH, "2026-12"), (DUC_BHXH, JANUARY)} <= due
        assert (DUC, JANUARY) not in {(state.line.record_code, state.line.period) for state in view.lines}
        store.lists.import_parsed(department_list(JANUARY))
        view = store.payouts.person(DUC, session)
        assert (DUC, JANUARY) in {(state.line.record_code, state.line.period) for state in view.lines
                                  if state.payable}


def test_a_record_code_held_by_another_agencys_record_is_refused_for_its_row(two_lists: Store) -> None:
    thief = Beneficiary(DUC, "Nguyễn Văn Đức", COMMUNE, "HT", 1952, None, "022052000123", None, POINT)
    taken = replace(bhxh_lines()[0], key="bhxh-duc", record_code=DUC)
    report = two_lists.lists.import_parsed(bhxh_list(the_people=[*bhxh_people(), thief],
                                                     the_lines=[*bhxh_lines(), taken]))
    assert [(item.record_code, item.held_by_agency, item.row) for item in report.refused] == [(DUC, DEPARTMENT, 12)]
    assert "Sở Nội vụ" in report.refused[0].message() and "Dòng 12" in report.refused[0].message()
    assert "bhxh-duc" not in _line_keys(two_lists)
    view = two_lists.payouts.person(DUC)
    assert view.beneficiary.agency == DEPARTMENT and view.beneficiary.category == "AQ"


def test_the_command_line_links_unlinks_and_lists_conflicts(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.staff.add("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER, "pw-teller")
        store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
        store.lists.import_parsed(department_list())
    listed = bhxh_list()  # written with a category the Department's catalogue knows: the file's reader judges it
    listed = replace(listed, beneficiaries=tuple(replace(person, category="AQ") for person in listed.beneficiaries))
    assert desk_cli(["import-list", str(write_parsed(tmp_path / "bhxh.xlsx", listed)), "--data-dir", str(data)]) == 0
    said = capsys.readouterr().out
    assert "1 trường hợp trùng số định danh" in said and "Đặng Thị Hoa (2201000456) và Đặng Thị Huệ" in said
    assert desk_cli(["identity-conflicts", "--data-dir", str(data), "--lang", "en"]) == 0
    assert "Đặng Thị Hoa" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-teller\n"))
    assert desk_cli(["link", HUE, HOA_BHXH, "--reason", "một người", "--data-dir", str(data), "--as", "giaodich",
                     "--password-stdin"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-supervisor\n"))
    assert desk_cli(["link", HUE, HOA_BHXH, "--reason", "một người", "--data-dir", str(data), "--as", "giamsat",
                     "--password-stdin", "--lang", "en"]) == 0
    assert f"Now one person: {HUE}, {HOA_BHXH}" in capsys.readouterr().out
    assert desk_cli(["search", "022148000456", "--data-dir", str(data)]) == 0
    assert HOA_BHXH in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-supervisor\n"))
    assert desk_cli(["unlink", HUE, HOA_BHXH, "--reason", "nhầm", "--data-dir", str(data), "--as", "giamsat",
                     "--password-stdin"]) == 0
    assert "Đã hủy quyết định" in capsys.readouterr().out
    with Store.open(data) as store:
        assert store.persons.records_of(HUE) == (HUE,)


def test_regrouping_a_lists_records_gives_what_regrouping_everyone_gives(two_lists: Store, clock: Clock) -> None:
    """The import, the feed and a decision regroup only the records they touched and those reachable from them; the
    result is the full regrouping's."""
    from app.store import persons

    two_lists.persons.decide(SAU_BHXH, HUE, LinkAction.LINK, supervisor="giamsat", reason="đã xác minh")
    two_lists.lists.import_parsed(department_list())  # Huệ's list again: her link with Sáu stands

    def snapshot() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        with database.read(two_lists.engine) as conn:
            return (sorted(tuple(row) for row in conn.execute(text("SELECT * FROM person_groups"))),
                    sorted(tuple(row[:2]) for row in conn.execute(text("SELECT * FROM identity_conflicts"))))

    partial = snapshot()
    assert (HUE, SAU_BHXH) in partial[0] and partial[1] == [(HOA_BHXH, HUE)]
    with database.write(two_lists.engine) as conn:
        persons.regroup(conn, clock())
    assert snapshot() == partial


def test_the_feed_applies_each_agencys_fragment_to_its_own_lines(tmp_path: Path, clock: Clock) -> None:
    """Whole-commune fragments of two agencies in one page are never merged into one list: BHXH's corrected fragment
    withdraws its own line, never the Department's."""
    from app.store.feed import ListFragment

    with Store.open(tmp_path / "data", clock=clock) as store:
        store.sync.apply_changes([ListFragment(department_list(), True), ListFragment(bhxh_list(), True)], 1)
        assert len(store.search.search("022052000123").hits) == 1
        store.sync.apply_changes([ListFragment(department_list(), True),
                                  ListFragment(bhxh_list(the_lines=bhxh_lines()[1:]), True)], 2)
        keys = _line_keys(store)
        assert {item.key for item in department_lines()} <= keys and bhxh_lines()[0].key not in keys


def test_a_suspension_stays_on_the_agency_that_recorded_it(tmp_path: Path, clock: Clock) -> None:
    from app.domain.model import BeneficiaryStatus

    suspended = [replace(person, status=BeneficiaryStatus.SUSPENDED, status_reason="Chưa xác nhận sinh tồn")
                 if person.record_code == DUC_BHXH else person for person in bhxh_people()]
    with Store.open(tmp_path / "data", clock=clock) as store:
        store.lists.import_parsed(department_list())
        store.lists.import_parsed(bhxh_list(the_people=suspended))
        view = store.payouts.person(DUC, _session(store))
        blocks = {state.line.record_code: state.block.code if state.block else None for state in view.lines
                  if state.line.kind.value == "recurring"}
        assert blocks == {DUC: None, DUC_BHXH: "suspended"}
        assert view.selected == {key for key in duc_december_keys() if key != bhxh_lines()[0].key}


def test_a_record_another_commune_pays_is_shown_but_not_preselected(tmp_path: Path, clock: Clock) -> None:
    moved = [replace(person, commune_code="QNH-0002") if person.record_code == DUC_BHXH else person
             for person in bhxh_people()]
    with Store.open(tmp_path / "data", clock=clock) as store:
        store.lists.import_parsed(department_list())
        listed = bhxh_list(the_people=moved)
        store.lists.import_parsed(replace(listed, communes=(*listed.communes, replace(listed.communes[0],
                                                                                     code="QNH-0002"))))
        session = _session(store)
        view = store.payouts.person(DUC, session)
        assert bhxh_lines()[0].key in {state.line.key for state in view.lines}
        assert view.selected == {key for key in duc_december_keys() if key != bhxh_lines()[0].key}
        paid = store.payouts.pay_visit(request(session, DUC, tuple(view.selected)))
        assert [payment.record_code for payment in paid] == [DUC]
