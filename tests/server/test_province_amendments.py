"""Amendments are facts a later list cannot silently undo, on SQLite and PostgreSQL over real HTTP: the reproduction
through the command line (a death on 01/12, then January's list still paying the person), an amount contradiction
held on the desk and decided both ways, and a death recorded after the payments flagged in either order."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.amendments import Choice, FactKind, FactSource, Subject
from app.domain.errors import PaymentRefused
from app.domain.model import BeneficiaryStatus, Recipient, RecipientKind
from server import db, facts
from server import province as service
from server.cli import main as server_main
from tests.builders.province import (
    DUC_MONTHLY,
    DUC_SUPPLEMENT,
    Device,
    Province,
    january_list,
    key,
    later,
    payable_to_the_person,
)
from tests.builders.province import (
    JANUARY as JAN,
)
from tests.builders.sheets import write_parsed
from tests.builders.store import DUC, NAM, TAM, parsed_list

DEATH = dt.date(2026, 12, 1)
HOA = ("Nguyễn Thị Hoa", "022180000999")


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    yield running
    running.close()


def server(province: Province, *args: str) -> int:
    return server_main(["--data", str(province.settings.data_dir), "--db", province.settings.database_url, *args])


def never_payable_to_him(device: Device, period: str) -> None:
    """The desk shows the person deceased: no line of his is payable to him, January's monthly lines not at all."""
    view = device.store.payouts.person(DUC, period=period)
    assert view.beneficiary.status is BeneficiaryStatus.DECEASED
    assert view.beneficiary.date_of_death == DEATH
    assert payable_to_the_person(device, DUC, period) == []
    for state in view.lines:
        if state.line.period == JAN and state.line.kind.value == "recurring":
            assert state.block is not None and state.block.code == "deceased_after_death"
    with pytest.raises(PaymentRefused) as refused:
        device.pay(DUC, [DUC_MONTHLY])
    assert refused.value.code == "deceased_needs_representative"


def test_the_reproduction_a_death_then_a_list_still_paying_the_person_through_the_command_line(
        province: Province, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    device = province.device("laptop")
    assert server(province, "amend", DUC, "--death", "01/12/2026", "--representative", HOA[0],
                  "--representative-id", HOA[1], "--reason", "Giấy báo tử của UBND xã", "--by", "tinh") == 0
    capsys.readouterr()
    listed = write_parsed(tmp_path / "ds-01-2027.xlsx", january_list())

    assert server(province, "import-list", str(listed)) == 0
    out = capsys.readouterr().out
    assert "mâu thuẫn với điều chỉnh đang giữ (1)" in out
    assert ("Nguyễn Văn Đức (QNH/AQ-00001-TCM): danh sách kỳ 01/2027 ghi tình trạng «Đang hưởng», nhưng đang giữ "
            "«Đã mất»: đã mất ngày 01/12/2026, người đại diện Nguyễn Thị Hoa (CCCD 022180000999)") in out
    assert "bởi tinh, bằng dòng lệnh; lý do: Giấy báo tử của UBND xã" in out
    # the list reconciled with itself: his January allowance cannot be paid as listed, and it says why, by name
    assert "Đối chiếu danh sách: tổng" in out
    assert re.search(r"  - Nguyễn Văn Đức \(QNH/AQ-00001-TCM\), [^:]+, 4\.389\.000 ₫: ", out)

    with province.engine.connect() as conn:
        row = service.person_row(conn, DUC)
        assert row is not None and (row["status"], row["date_of_death"]) == ("deceased", "2026-12-01")
        open_ = facts.listing(conn, None)
    assert [(item.contradiction.record_code, item.contradiction.subject) for item in open_] == [(DUC, Subject.DEATH)]
    assert server(province, "contradictions", "--lang", "en") == 0
    assert "Nguyễn Văn Đức" in capsys.readouterr().out

    assert device.sync().ok
    never_payable_to_him(device, JAN)
    # The same list imported again is the same contradiction, not a second one; keeping it stays decided.
    assert server(province, "import-list", str(listed)) == 0
    assert f"[{open_[0].contradiction.contradiction_id}]" in capsys.readouterr().out
    assert server(province, "decide", str(open_[0].contradiction.contradiction_id), "--keep", "--by", "tinh") == 0
    assert server(province, "import-list", str(listed)) == 0
    assert "mâu thuẫn" not in capsys.readouterr().out
    assert device.sync().ok
    never_payable_to_him(device, JAN)


def test_a_list_may_add_a_death_or_a_suspension_never_lift_one(province: Province) -> None:
    with db.transaction(province.engine) as conn:  # December's list put Lê Văn Tâm's death on file as a fact
        assert [(f.kind, f.source) for f in facts.facts_of(conn, [TAM])[TAM]] == [(FactKind.DEATH, FactSource.LIST)]
        alive = [dataclasses.replace(p, status=BeneficiaryStatus.ACTIVE, date_of_death=None, representative=None)
                 if p.record_code == TAM else p for p in january_list().beneficiaries]
        result = service.import_list(conn, dataclasses.replace(january_list(), beneficiaries=tuple(alive)),
                                     province.clock())
        assert [(c.record_code, c.subject, c.listed) for c in result["contradictions"]] == [
            (TAM, Subject.DEATH, "active")]
        row = service.person_row(conn, TAM)
        assert row is not None and row["status"] == "deceased"


def test_an_amount_contradiction_holds_the_line_on_the_desk_until_decided_either_way(province: Province) -> None:
    device = province.device("laptop")
    province.amend(DUC, amount=(DUC_MONTHLY, 4_500_000), by="tinh", reason="Quyết định điều chỉnh 15/QĐ")
    province.amend(DUC, amount=(DUC_SUPPLEMENT, 1_500_000), by="tinh", reason="Quyết định điều chỉnh 16/QĐ")
    later(province.clock, 60)
    corrected = parsed_list(source="ds-12-2026-sua.xlsx")  # the same month, still at the amounts before
    with db.transaction(province.engine) as conn:
        found = service.import_list(conn, corrected, province.clock())["contradictions"]
    assert [(c.subject, c.line_key, c.listed, c.standing) for c in found] == [
        (Subject.AMOUNT, DUC_MONTHLY, 4_389_000, 4_500_000), (Subject.AMOUNT, DUC_SUPPLEMENT, 1_399_000, 1_500_000)]

    assert device.sync().ok
    view = device.store.payouts.person(DUC)
    held = {s.line.key: s for s in view.lines if s.block is not None and s.block.code == "held_amount"}
    assert set(held) == {DUC_MONTHLY, DUC_SUPPLEMENT}
    assert held[DUC_MONTHLY].line.amount == 4_500_000  # the desk has the standing value, never the list's
    block = held[DUC_MONTHLY].block
    assert block is not None
    reason = block.as_error().message("vi")
    assert "4.389.000 ₫" in reason and "4.500.000 ₫" in reason and "05/12/2026" in reason and "tinh" in reason

    with db.transaction(province.engine) as conn:
        service.decide(conn, found[0].contradiction_id, Choice.KEEP, "", "tinh", province.clock())
        with pytest.raises(service.AmendError) as refused:
            service.decide(conn, found[1].contradiction_id, Choice.ACCEPT, "", "tinh", province.clock())
        assert refused.value.code == "decision_needs_reason"
        service.decide(conn, found[1].contradiction_id, Choice.ACCEPT, "Danh sách đúng, điều chỉnh nhầm", "tinh2",
                       province.clock())
        last = facts.facts_of(conn, [DUC])[DUC][-1]
    assert (last.kind, last.amount, last.recorded_by, last.source) == (
        FactKind.AMOUNT, 1_399_000, "tinh2", FactSource.DECISION)
    assert device.sync().ok
    view = device.store.payouts.person(DUC)
    amounts = {s.line.key: (s.line.amount, s.payable) for s in view.lines}
    assert amounts[DUC_MONTHLY] == (4_500_000, True) and amounts[DUC_SUPPLEMENT] == (1_399_000, True)
    paid = device.pay(DUC, [DUC_MONTHLY, DUC_SUPPLEMENT])
    report = device.sync()
    assert report.ok and report.flagged == 0 and paid.total == 5_899_000


# --- a death recorded after the payments (point 2) -----------------------------------------------------------------

FUNERAL = key(TAM, "funeral")
HOA_TAM = Recipient(RecipientKind.REPRESENTATIVE, "Lê Thị Hoa", "022175000111")


def pay_then_sync(device: Device, province: Province) -> list[str]:
    """On 05/12: Đức is paid his monthly line and supplement himself; Tâm's funeral allowance goes to Lê Thị Hoa,
    the representative on the list."""
    paid = [device.pay(DUC, [DUC_MONTHLY, DUC_SUPPLEMENT]).entry_id,
            device.pay(TAM, [FUNERAL], recipient=HOA_TAM).entry_id]
    assert device.sync().ok
    return paid


def record_deaths(province: Province) -> None:
    """Đức died on 20/11 (so December's allowance, paid to him, is after his death); Tâm's representative is in
    fact Lê Văn Hải (the funeral allowance went to someone else)."""
    province.amend(DUC, death=dt.date(2026, 11, 20), representative=("Nguyễn Thị Hoa", "022180000999"), by="tinh")
    province.amend(TAM, death=dt.date(2026, 11, 3), representative=("Lê Văn Hải", "022160000444"), by="tinh")


def flagged(province: Province) -> set[tuple[str, str | None, str]]:
    return {(f["kind"], f["line_key"], f["detail"].get("reason", "")) for f in province.flags()}


EXPECTED = {("paid_after_death", DUC_MONTHLY, ""), ("paid_after_death", DUC_SUPPLEMENT, ""),
            ("paid_after_death", FUNERAL, "not_representative")}


@pytest.mark.parametrize("order", ["payments_then_death", "death_then_payments"])
def test_a_death_flags_the_payments_after_it_whichever_order_they_arrive_in(province: Province, order: str) -> None:
    device = province.device("laptop")
    if order == "payments_then_death":
        paid = pay_then_sync(device, province)
        assert province.flags() == []
        later(province.clock, 60)
        record_deaths(province)
    else:
        other = province.device("other")  # synced before the deaths: it still pays as on 05/12
        record_deaths(province)
        paid = pay_then_sync(other, province)
        device = other
    assert flagged(province) == EXPECTED
    assert {f["entry_id"] for f in province.flags()} == set(paid)
    # Recording a death again raises nothing twice.
    province.amend(DUC, death=dt.date(2026, 11, 20), by="tinh")
    assert len(province.flags()) == 3
    # The devices hear of the flags; the console's queue shows them.
    assert device.sync().ok
    assert sorted(f.kind for f in device.store.sync.flags(DUC)) == ["paid_after_death", "paid_after_death"]
    assert [f.kind for f in device.store.sync.flags(TAM)] == ["paid_after_death"]
    from tests.builders.console import OfficerSession

    province.add_officer("tinh")
    console = OfficerSession(province.url)
    console.sign_in("tinh", "pw-tinh")
    queue = console.get("/console/flags?kind=paid_after_death").text
    assert queue.count("Chi sau khi đối tượng đã mất") >= 3  # the option and the three flags
    funeral_flag = next(f["flag_id"] for f in province.flags() if f["line_key"] == FUNERAL)
    page = console.get(f"/console/flags/{funeral_flag}").text
    assert "chi cho người không phải người đại diện đã ghi nhận" in page and "Lê Thị Hoa" in page
    assert ("phát hiện khi ghi nhận ngày mất" in page) is (order == "payments_then_death")


def test_a_province_upgraded_from_0006_keeps_its_deaths_and_suspensions_as_facts(database_url: str) -> None:
    """Revision 0007 makes each death and suspension already on file a fact of source "earlier"."""
    import json

    from alembic import command
    from alembic.config import Config

    from app.wire import codec
    from server import schema
    from tests.builders.store import NAM, people

    engine = db.make_engine(database_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0006")
            conn.execute(schema.communes.insert().values(code="QNH-0001", name="Xã Yên Đức", province_code="QNH",
                                                         province_name="Tỉnh Quảng Ninh", places="{}"))
            for person in people():
                conn.execute(schema.people.insert().values(
                    record_code=person.record_code, commune_code=person.commune_code, full_name=person.full_name,
                    id_number=person.id_number, status=person.status.value,
                    date_of_death=person.date_of_death.isoformat() if person.date_of_death else None,
                    data=json.dumps(codec.person_to_wire(person), ensure_ascii=False), point_id=None))
        db.migrate(engine)
        with engine.connect() as conn:
            on_file = facts.facts_of(conn, [TAM, NAM, DUC])
        for statement in ("UPDATE amendments SET reason = 'x'", "DELETE FROM amendments"):
            with pytest.raises(Exception, match="append-only"):
                with engine.begin() as conn:
                    conn.execute(text(statement))
    finally:
        engine.dispose()
    assert [(f.kind, f.source, f.date_of_death, f.representative and f.representative.name) for f in on_file[TAM]] == [
        (FactKind.DEATH, FactSource.EARLIER, dt.date(2026, 11, 3), "Lê Thị Hoa")]
    assert [(f.kind, f.reason) for f in on_file[NAM]] == [(FactKind.SUSPENSION, "Vắng mặt tại địa phương")]
    assert DUC not in on_file


def test_a_commune_officer_decides_only_the_contradictions_of_their_communes(province: Province) -> None:
    from tests.builders.console import OfficerSession

    province.add_officer("xa", communes=["QNH-0001"])
    province.add_officer("xakhac", communes=[province.add_other_commune()])
    province.amend(DUC, death=DEATH, representative=HOA, by="tinh")
    with db.transaction(province.engine) as conn:
        [found] = service.import_list(conn, january_list(), province.clock())["contradictions"]
    number = found.contradiction_id
    other = OfficerSession(province.url)
    other.sign_in("xakhac", "pw-xakhac")
    assert "Nguyễn Văn Đức" not in other.get("/console/contradictions").text
    assert other.get(f"/console/contradictions/{number}").status_code == 403
    own = OfficerSession(province.url)
    own.sign_in("xa", "pw-xa")
    assert "Nguyễn Văn Đức" in own.get("/console/contradictions").text
    page = own.get(f"/console/contradictions/{number}").text
    assert "đã mất ngày 01/12/2026" in page
    refused = own.post(f"/console/contradictions/{number}", {"choice": "accept", "reason": ""})
    assert refused.status_code == 400 and "cần ghi lý do" in refused.text
    assert own.post(f"/console/contradictions/{number}", {"choice": "accept",
                                                         "reason": "Giấy báo tử nhầm người"}).status_code == 303
    with province.engine.connect() as conn:
        row = service.person_row(conn, DUC)
        assert row is not None and row["status"] == "active"  # the list was right: the death cancelled
        last = facts.facts_of(conn, [DUC])[DUC][-1]
        audited = conn.execute(text("SELECT username, reason FROM audit_log WHERE action = 'contradiction_accept'"))
        assert audited.all() == [("xa", "Giấy báo tử nhầm người")]
    assert (last.kind, last.recorded_by, last.source) == (FactKind.DEATH_CANCELLED, "xa", FactSource.DECISION)


def test_a_recorded_death_stands_whatever_suspension_is_asked_for(province: Province,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A dead person is never made payable again by a suspension and its end: suspending or resuming them is refused
    (console and command line), and a death recorded with a suspension, or while suspended, leaves them deceased."""
    device = province.device("laptop")
    province.amend(DUC, death=DEATH, representative=HOA, by="tinh")
    for asked in ({"suspend": "Kiểm tra hồ sơ"}, {"resume": True}):
        with pytest.raises(service.AmendError) as refused:
            province.amend(DUC, by="tinh", **asked)
        assert refused.value.code == "person_deceased"
    assert server(province, "amend", DUC, "--resume", "--by", "tinh") != 0
    assert "đã mất" in capsys.readouterr().err
    assert device.sync().ok
    never_payable_to_him(device, "2026-12")

    with pytest.raises(service.AmendError):  # Tâm: dead by December's list, the same
        province.amend(TAM, suspend="Chờ xác minh", by="tinh")


def test_a_death_recorded_with_a_suspension_or_after_one_leaves_the_person_deceased(province: Province) -> None:
    device = province.device("laptop")
    pay_then_sync(device, province)
    later(province.clock, 60)
    province.amend(DUC, death=dt.date(2026, 11, 20), suspend="Chờ xác minh", by="tinh")
    province.amend(NAM, suspend="Chờ xác minh", by="tinh")
    province.amend(NAM, death=dt.date(2026, 11, 20), by="tinh")
    with province.engine.connect() as conn:
        for code in (DUC, NAM):
            row = service.person_row(conn, code)
            assert row is not None and (row["status"], row["date_of_death"]) == ("deceased", "2026-11-20")
    assert ("paid_after_death", DUC_MONTHLY, "") in flagged(province)


def test_a_death_recorded_while_an_upload_of_payments_after_it_arrives_is_flagged(province: Province) -> None:
    """The death and the upload at the same moment: the upload waits for the death's transaction (a lock on the
    person on PostgreSQL, the single writer on SQLite), so it is judged against the death and flagged."""
    import threading

    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])  # 05/12, to him; not uploaded yet
    later(province.clock, 60)
    uploaded: list[bool] = []
    with province.engine.connect() as conn, conn.begin():
        service.amend(conn, DUC, province.clock(), death=dt.date(2026, 11, 20), by="tinh")  # sees no payment yet
        upload = threading.Thread(target=lambda: uploaded.append(device.sync().ok))
        upload.start()
        upload.join(1.0)
        assert upload.is_alive(), "the upload did not wait for the death being recorded"
    upload.join(60)
    assert uploaded == [True]
    assert ("paid_after_death", DUC_MONTHLY, "") in flagged(province)


def test_a_line_held_for_its_amount_and_its_representative_stays_held_until_both_are_decided(
        province: Province) -> None:
    device = province.device("laptop")
    province.amend(TAM, representative=("Lê Văn Hải", "022160000444"), by="tinh")
    province.amend(TAM, amount=(FUNERAL, 20_000_000), by="tinh")
    later(province.clock, 60)
    with db.transaction(province.engine) as conn:
        found = {c.subject: c for c in service.import_list(conn, parsed_list(source="ds-12-sua.xlsx"),
                                                           province.clock())["contradictions"]}
    assert set(found) == {Subject.AMOUNT, Subject.REPRESENTATIVE}
    with db.transaction(province.engine) as conn:
        service.decide(conn, found[Subject.AMOUNT].contradiction_id, Choice.KEEP, "", "tinh", province.clock())
    assert device.sync().ok
    funeral = next(s for s in device.store.payouts.person(TAM).lines if s.line.key == FUNERAL)
    assert not funeral.payable and funeral.block is not None and funeral.block.code == "held_representative"
    with db.transaction(province.engine) as conn:
        service.decide(conn, found[Subject.REPRESENTATIVE].contradiction_id, Choice.KEEP, "", "tinh",
                       province.clock())
    assert device.sync().ok
    funeral = next(s for s in device.store.payouts.person(TAM).lines if s.line.key == FUNERAL)
    assert funeral.line.hold is None and funeral.line.amount == 20_000_000


def test_a_representative_recorded_after_the_funeral_allowance_was_paid_to_someone_else_flags_it(
        province: Province) -> None:
    device = province.device("laptop")
    paid = device.pay(TAM, [FUNERAL], recipient=HOA_TAM).entry_id  # to Lê Thị Hoa, the list's representative
    assert device.sync().ok and province.flags() == []
    later(province.clock, 60)
    province.amend(TAM, representative=("Lê Văn Hải", "022160000444"), by="tinh", reason="Giấy ủy quyền gia đình")
    assert flagged(province) == {("paid_after_death", FUNERAL, "not_representative")}
    assert [f["entry_id"] for f in province.flags()] == [paid]


def test_a_contradiction_whose_amendment_changed_since_cannot_be_decided_and_says_what_stands(
        province: Province) -> None:
    province.amend(DUC, amount=(DUC_MONTHLY, 4_500_000), by="tinh", reason="QĐ 15")
    later(province.clock, 60)
    with db.transaction(province.engine) as conn:
        [found] = service.import_list(conn, parsed_list(source="ds-12-sua.xlsx"), province.clock())["contradictions"]
    later(province.clock, 60)
    province.amend(DUC, amount=(DUC_MONTHLY, 4_700_000), by="tinh", reason="QĐ 20")
    for choice in (Choice.ACCEPT, Choice.KEEP):
        with pytest.raises(service.AmendError) as refused, db.transaction(province.engine) as conn:
            service.decide(conn, found.contradiction_id, choice, "danh sách đúng", "tinh2", province.clock())
        assert refused.value.code == "contradiction_superseded"
        assert "4.700.000" in refused.value.params["stands_vi"] and "QĐ 20" in refused.value.params["stands_en"]
    with province.engine.connect() as conn:
        assert conn.execute(text("SELECT amount FROM lines WHERE line_key = :k"), {"k": DUC_MONTHLY}).scalar() == \
            4_700_000
    from tests.builders.console import OfficerSession

    province.add_officer("tinh")
    console = OfficerSession(province.url)
    console.sign_in("tinh", "pw-tinh")
    page = console.post(f"/console/contradictions/{found.contradiction_id}",
                        {"choice": "accept", "reason": "danh sách đúng"})
    assert page.status_code == 400
    assert "không quyết định được nữa" in page.text and "4.700.000" in page.text


def test_the_command_line_logs_amendments_and_decisions_like_the_console_and_says_the_status_in_words(
        province: Province, capsys: pytest.CaptureFixture[str]) -> None:
    assert server(province, "amend", DUC, "--death", "01/12/2026", "--representative", HOA[0],
                  "--representative-id", HOA[1], "--reason", "Giấy báo tử", "--by", "tinh") == 0
    assert "Nguyễn Văn Đức — Đã mất / deceased" in capsys.readouterr().out
    with db.transaction(province.engine) as conn:
        [found] = service.import_list(conn, january_list(), province.clock())["contradictions"]
    assert server(province, "decide", str(found.contradiction_id), "--keep", "--by", "tinh2") == 0
    with province.engine.connect() as conn:
        logged = conn.execute(text("SELECT username, action, target, reason FROM audit_log ORDER BY audit_id")).all()
    assert [tuple(row) for row in logged][-2:] == [("tinh", "amend_death", DUC, "Giấy báo tử"),
                                                   ("tinh2", "contradiction_keep", DUC, "")]


def test_a_corrected_list_that_no_longer_names_a_person_names_them_from_the_file(
        province: Province, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.builders.store import lines, people

    province.amend(NAM, new_line={"period": "2026-12", "programme": "uu_dai", "regime": "arrears",
                                  "kind": "arrears", "amount": 100_000}, by="tinh")
    without = parsed_list(the_people=[p for p in people() if p.record_code != NAM],
                          the_lines=[line for line in lines() if line.record_code != NAM], source="ds-12-sua.xlsx")
    assert server(province, "import-list", str(write_parsed(tmp_path / "ds-12-sua.xlsx", without))) == 0
    out = capsys.readouterr().out
    assert "Phạm Văn Nam (QNH/BB-00005-TCM): danh sách kỳ 12/2026 không còn khoản «Truy lĩnh kỳ 12/2026»" in out
    assert "|arrears" not in out


def test_a_corrected_list_dropping_a_line_an_officer_amended_keeps_it_held_until_decided(
        province: Province) -> None:
    from tests.builders.store import lines

    device = province.device("laptop")
    province.amend(DUC, amount=(DUC_MONTHLY, 4_500_000), by="tinh", reason="QĐ 15")
    later(province.clock, 60)
    corrected = parsed_list(the_lines=[line for line in lines() if line.key != DUC_MONTHLY], source="ds-12-sua.xlsx")
    with db.transaction(province.engine) as conn:
        result = service.import_list(conn, corrected, province.clock())
    [found] = result["contradictions"]
    assert (found.subject, found.line_key, found.standing, result["withdrawn"]) == (
        Subject.LINE_DROPPED, DUC_MONTHLY, 4_500_000, 0)
    assert device.sync().ok
    held = next(s for s in device.store.payouts.person(DUC).lines if s.line.key == DUC_MONTHLY)
    assert not held.payable and held.line.amount == 4_500_000
    assert held.block is not None and held.block.code == "held_line_dropped"
    with db.transaction(province.engine) as conn:
        service.decide(conn, found.contradiction_id, Choice.ACCEPT, "Danh sách sửa đã bỏ khoản", "tinh",
                       province.clock())
        assert conn.execute(text("SELECT withdrawn FROM lines WHERE line_key = :k"), {"k": DUC_MONTHLY}).scalar()
    with db.transaction(province.engine) as conn:  # the same list again: nothing more to decide
        assert service.import_list(conn, corrected, province.clock())["contradictions"] == []
