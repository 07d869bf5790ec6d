"""A desk without a province server: a later list cannot silently lift a death or a suspension an earlier list
recorded; what it contradicts is kept, reported by person in words, and decided by a supervisor (keep or accept)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main as desk_cli
from app.domain.amendments import Choice, FactKind, FactSource, Subject, describe
from app.domain.errors import BadInputError, PaymentRefused
from app.domain.model import BeneficiaryStatus, Role
from app.lists.parsed import ParsedList
from app.store.store import Store
from tests.builders.sheets import write_parsed
from tests.builders.store import DUC, NAM, TAM, lines, parsed_list, people, request

JAN = "2027-01"


def january(**status: BeneficiaryStatus) -> ParsedList:
    """January's list: everyone as in December, except the statuses given (record code → status, as listed)."""
    everyone = [dataclasses.replace(p, status=status[p.record_code], date_of_death=None, representative=None,
                                    status_reason="") if p.record_code in status else p for p in people()]
    return parsed_list(period=JAN, the_people=everyone, the_lines=lines(JAN), source="ds-01-2027.xlsx")


def test_a_later_list_cannot_lift_a_death_or_a_suspension_and_says_so_by_person(store: Store) -> None:
    # December's list (the fixture's) recorded Lê Văn Tâm's death and Phạm Văn Nam's suspension as facts.
    assert {f.kind for f in store.amendments.facts(TAM)} == {FactKind.DEATH}
    assert store.amendments.facts(TAM)[0].source is FactSource.LIST

    report = store.lists.import_parsed(january(**{TAM: BeneficiaryStatus.ACTIVE, NAM: BeneficiaryStatus.ACTIVE}))

    by_person = {c.record_code: c for c in report.contradictions}
    assert set(by_person) == {TAM, NAM}
    assert by_person[TAM].subject is Subject.DEATH and by_person[NAM].subject is Subject.SUSPENSION
    words = describe(by_person[TAM])
    assert "Lê Văn Tâm" in words and "Đang hưởng" in words and "đã mất ngày 03/11/2026" in words
    assert "Danh sách kỳ 12/2026" in words  # who recorded the standing death: December's list
    english = describe(by_person[NAM], "en")
    assert "Phạm Văn Nam" in english and "“receiving”" in english and "“suspended” stands" in english

    tam = store.payouts.person(TAM, period=JAN)
    assert tam.beneficiary.status is BeneficiaryStatus.DECEASED
    assert tam.beneficiary.date_of_death == dt.date(2026, 11, 3)
    january_monthly = next(s for s in tam.lines if s.line.period == JAN and s.line.regime == "monthly")
    assert january_monthly.block is not None and january_monthly.block.code == "deceased_after_death"
    assert store.payouts.person(NAM, period=JAN).beneficiary.status is BeneficiaryStatus.SUSPENDED


def test_a_supervisor_decides_each_contradiction_keep_or_accept_and_a_repeat_is_not_asked_again(
        store: Store) -> None:
    listed = january(**{TAM: BeneficiaryStatus.ACTIVE, NAM: BeneficiaryStatus.ACTIVE})
    found = {c.record_code: c.contradiction_id for c in store.lists.import_parsed(listed).contradictions
             if c.contradiction_id is not None}

    with pytest.raises(BadInputError) as refused:
        store.amendments.decide(found[NAM], Choice.ACCEPT, "Đã có quyết định tiếp tục chi", "giaodich")
    assert refused.value.code == "decision_needs_supervisor"
    with pytest.raises(BadInputError) as refused:
        store.amendments.decide(found[NAM], Choice.ACCEPT, "  ", "giamsat")
    assert refused.value.code == "decision_needs_reason"

    accepted = store.amendments.decide(found[NAM], Choice.ACCEPT, "Quyết định tiếp tục chi số 12/QĐ", "giamsat")
    kept = store.amendments.decide(found[TAM], Choice.KEEP, "", "giamsat")
    assert (accepted.choice, accepted.decided_by, kept.choice) == (Choice.ACCEPT, "giamsat", Choice.KEEP)
    assert store.amendments.facts(NAM)[-1].kind is FactKind.RESUMPTION
    assert store.amendments.facts(NAM)[-1].reason == "Quyết định tiếp tục chi số 12/QĐ"
    assert store.payouts.person(NAM, period=JAN).beneficiary.status is BeneficiaryStatus.ACTIVE
    assert store.payouts.person(TAM, period=JAN).beneficiary.status is BeneficiaryStatus.DECEASED
    assert store.amendments.contradictions() == []
    with pytest.raises(BadInputError) as refused:
        store.amendments.decide(found[TAM], Choice.ACCEPT, "đổi ý", "giamsat")
    assert refused.value.code == "contradiction_decided"

    # The same list again: the kept death is not asked about twice, the accepted resumption is now what stands.
    assert store.lists.import_parsed(listed).contradictions == ()
    with store.engine.connect() as conn:  # facts and decisions are append-only
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM amendments"))


def test_a_list_may_add_a_death_and_payments_to_the_person_are_then_blocked(store: Store) -> None:
    died = {DUC: BeneficiaryStatus.DECEASED}
    listed = january(**died)
    listed = dataclasses.replace(listed, beneficiaries=tuple(
        dataclasses.replace(p, date_of_death=dt.date(2026, 12, 20)) if p.record_code == DUC else p
        for p in listed.beneficiaries))
    report = store.lists.import_parsed(listed)
    assert report.contradictions == ()
    assert [f.kind for f in store.amendments.facts(DUC)] == [FactKind.DEATH]
    # A later list that brings him back is a contradiction.
    again = store.lists.import_parsed(dataclasses.replace(january(), source="ds-01-2027-sua.xlsx"))
    assert [(c.record_code, c.subject) for c in again.contradictions] == [(DUC, Subject.DEATH)]


def test_the_desk_command_line_reports_and_decides_contradictions(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "desk"
    with Store.open(data) as store:
        store.lists.import_parsed(parsed_list())
        store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
        store.staff.add("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER, "pw-teller")
    listed = write_parsed(tmp_path / "ds-01-2027.xlsx", january(**{TAM: BeneficiaryStatus.ACTIVE}))

    assert desk_cli(["import-list", str(listed), "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "mâu thuẫn với 1 giá trị đang giữ" in out
    assert "Lê Văn Tâm (QNH/AQ-00004-TCM): danh sách kỳ 01/2027 ghi tình trạng «Đang hưởng»" in out
    number = int(out.split("  [", 1)[1].split("]", 1)[0])

    assert desk_cli(["contradictions", "--data-dir", str(data), "--lang", "en"]) == 0
    assert "Lê Văn Tâm" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("pw-teller\n"))
    assert desk_cli(["decide", str(number), "--keep", "--data-dir", str(data), "--as", "giaodich",
                     "--password-stdin"]) == 2
    assert "giám sát viên" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("pw-supervisor\n"))
    assert desk_cli(["decide", str(number), "--keep", "--data-dir", str(data), "--as", "giamsat",
                     "--password-stdin"]) == 0
    assert f"[{number}] Lê Văn Tâm" in capsys.readouterr().out
    assert desk_cli(["contradictions", "--data-dir", str(data)]) == 0
    assert "Không có mâu thuẫn" in capsys.readouterr().out


def test_a_held_line_from_the_province_is_not_payable_and_says_why(store: Store, session_id: str) -> None:
    """A line the province holds (a list contradicted an amount amendment) arrives held; the desk refuses it with
    both amounts, since when and who, and pays the person's other lines."""
    from app.domain.model import Hold, HoldSubject

    held = [dataclasses.replace(line, hold=Hold(HoldSubject.AMOUNT, JAN, "4.389.000 ₫", "4.500.000 ₫",
                                                dt.date(2026, 12, 1), "tinh"))
            if line.record_code == DUC and line.regime == "monthly" else line for line in lines()]
    store.lists.import_parsed(parsed_list(the_lines=held))
    view = store.payouts.person(DUC, session_id)
    monthly = next(s for s in view.lines if s.line.regime == "monthly")
    assert monthly.line.key not in view.selected
    assert monthly.block is not None
    message = monthly.block.as_error().message("vi")
    assert "4.389.000 ₫" in message and "4.500.000 ₫" in message and "01/12/2026" in message and "tinh" in message
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, [monthly.line.key]))
    assert refused.value.code == "held_amount"
    assert store.payouts.pay(request(session_id, DUC, sorted(view.selected))).total > 0


def test_a_person_already_deceased_before_the_upgrade_stays_deceased_against_a_later_list(tmp_path: Path) -> None:
    """Revision 0008 makes each death and suspension on file a fact: the first list after the upgrade cannot lift
    them either."""
    from app.store import database
    from app.store.keys import new_key
    from app.store.store import DB_NAME
    from tests.builders.store import legacy_key_folder

    folder = tmp_path / "data"
    key = new_key()
    legacy_key_folder(folder, key)
    engine = database.make_engine(folder / DB_NAME, key)
    database.migrate(engine, "0007")
    with database.write(engine) as conn:  # as 0007 left it: statuses on file, no facts
        conn.execute(text("INSERT INTO meta VALUES ('device_id', 'dev-1'), ('store_id', 'old-store')"))
        conn.execute(text("INSERT INTO provinces VALUES ('QNH', 'Quảng Ninh')"))
        conn.execute(text("INSERT INTO communes (code, name, province_code) VALUES ('QNH-0001', 'Xã Yên Đức', 'QNH')"))
        conn.execute(text(
            "INSERT INTO beneficiaries (record_code, full_name, commune_code, category, status, status_reason, "
            "date_of_death, representative_name, representative_id_number) VALUES "
            "(:tam, 'Lê Văn Tâm', 'QNH-0001', 'AQ', 'deceased', '', '2026-11-03', 'Lê Thị Hoa', '022175000111'), "
            "(:nam, 'Phạm Văn Nam', 'QNH-0001', 'BB', 'suspended', 'Vắng mặt tại địa phương', NULL, NULL, NULL)"),
            {"tam": TAM, "nam": NAM})
    engine.dispose()
    with Store.open(folder) as upgraded:
        assert database.current_revision(upgraded.engine) == database.HEAD_REVISION
        assert [(f.kind, f.source, f.date_of_death) for f in upgraded.amendments.facts(TAM)] == [
            (FactKind.DEATH, FactSource.EARLIER, dt.date(2026, 11, 3))]
        assert [f.kind for f in upgraded.amendments.facts(NAM)] == [FactKind.SUSPENSION]
        report = upgraded.lists.import_parsed(january(**{TAM: BeneficiaryStatus.ACTIVE}))
        assert [(c.record_code, c.subject) for c in report.contradictions] == [(TAM, Subject.DEATH)]
        assert upgraded.payouts.person(TAM, period=JAN).beneficiary.status is BeneficiaryStatus.DECEASED


def test_an_enrolled_desk_leaves_its_contradictions_to_the_province(store: Store) -> None:
    """Once enrolled, the province decides: the desk's open contradictions are no longer offered, a decision is
    refused in words, and the standing death stays (a local "accept" would have made Tâm payable again)."""
    from app.store import database
    from app.store.sync import set_meta

    listed = january(**{TAM: BeneficiaryStatus.ACTIVE, NAM: BeneficiaryStatus.ACTIVE})
    found = {c.record_code: c.contradiction_id for c in store.lists.import_parsed(listed).contradictions}
    kept = store.amendments.decide(int(found[NAM] or 0), Choice.KEEP, "", "giamsat")
    with database.write(store.engine) as conn:
        set_meta(conn, "server_url", "https://tinh.example")
    assert store.amendments.contradictions() == []
    assert [row.contradiction.contradiction_id for row in store.amendments.contradictions(open_only=False)] == [
        kept.contradiction.contradiction_id]
    with pytest.raises(BadInputError) as refused:
        store.amendments.decide(int(found[TAM] or 0), Choice.ACCEPT, "Giấy xác nhận còn sống", "giamsat")
    assert refused.value.code == "enrolled_decisions_on_server"
    assert "the province decides" in str(refused.value)
    assert store.payouts.person(TAM, period=JAN).beneficiary.status is BeneficiaryStatus.DECEASED


def test_a_contradiction_whose_standing_value_changed_since_is_refused(store: Store) -> None:
    first = store.lists.import_parsed(january(**{TAM: BeneficiaryStatus.ACTIVE})).contradictions
    [lifted] = [c for c in first if c.record_code == TAM]
    other_date = [dataclasses.replace(p, date_of_death=dt.date(2026, 11, 5)) if p.record_code == TAM else p
                  for p in people()]
    second = store.lists.import_parsed(parsed_list(period=JAN, the_people=other_date, the_lines=lines(JAN),
                                                   source="ds-01-2027-sua.xlsx")).contradictions
    [date] = [c for c in second if c.subject is Subject.DEATH_DATE]
    store.amendments.decide(int(date.contradiction_id or 0), Choice.ACCEPT, "Giấy báo tử ghi 05/11", "giamsat")
    with pytest.raises(BadInputError) as refused:
        store.amendments.decide(int(lifted.contradiction_id or 0), Choice.ACCEPT, "Còn sống", "giamsat")
    assert refused.value.code == "contradiction_superseded"
    assert store.payouts.person(TAM, period=JAN).beneficiary.status is BeneficiaryStatus.DECEASED
