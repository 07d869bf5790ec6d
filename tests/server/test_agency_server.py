"""Several agencies' lists on the province server (issue 12): each list replaces only its own agency's lines, one
human on two lists is one person (or a conflict an officer decides, sent to the devices), a death on one agency's
record flags another agency's payment after it — over real HTTP, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.model import Beneficiary, EntitlementLine
from app.lists.parsed import ParsedList
from server import accounts, db, persons, province, schema
from server.cli import main as server_main
from tests.builders.chromium import CHROMIUM_ARGS, chromium_path
from tests.builders.console import OfficerSession
from tests.builders.province import Province, key
from tests.builders.sheets import write_parsed
from tests.builders.store import COMMUNE, DUC, HUE, line, parsed_list, people

BH_DUC = "QNH/BH-0001"  # Nguyễn Văn Đức's pension record: same CCCD, same name → one person with DUC
BH_HUE = "QNH/BH-0002"  # "Đặng Thị Thu Huệ": Huệ's CCCD with another name → a conflict
DUC_MONTHLY, DUC_SUPPLEMENT, HUE_MONTHLY = key(DUC, "monthly"), key(DUC, "supplement"), key(HUE, "monthly")
BH_DUC_PENSION = key(BH_DUC, "pension", programme="luong_huu")
BH_HUE_PENSION = key(BH_HUE, "pension", programme="luong_huu")


def department_list(*, without: tuple[str, ...] = ()) -> ParsedList:
    """The Department's (Sở Nội vụ) December list: Đức's and Huệ's người có công lines."""
    wanted = [person for person in people() if person.record_code in (DUC, HUE)]
    the_lines = [item for item in (line(DUC, "monthly", 4_389_000), line(DUC, "supplement", 1_399_000),
                                   line(HUE, "monthly", 5_578_000)) if item.key not in without]
    return dataclasses.replace(parsed_list(the_people=wanted, the_lines=the_lines, source="ds-snv-12.xlsx"),
                               agency="so_noi_vu", authorisations=())


def bhxh_list(rows: tuple[tuple[str, str, int, str], ...] = ((BH_DUC, "Nguyễn Văn Đức", 1952, "022052000123"),
                                                             (BH_HUE, "Đặng Thị Thu Huệ", 1948, "022148000456")),
              ) -> ParsedList:
    """BHXH's December pension list of the same commune."""
    the_people = [Beneficiary(code, name, COMMUNE, "AQ", year, None, number, "Thôn Đông", people()[0].point_id)
                  for code, name, year, number in rows]
    the_lines: list[EntitlementLine] = [line(code, "pension", 5_120_000, programme="luong_huu")
                                        for code, *_ in rows]
    return dataclasses.replace(parsed_list(the_people=the_people, the_lines=the_lines, source="ds-bhxh-12.xlsx"),
                               agency="bhxh", authorisations=())


def bhxh_csv(path: Path) -> Path:
    """BHXH's list as a file the console uploads: the two records, and a row bringing the Department's record code
    (refused for that row)."""
    from app.lists.demo import DemoSpec, generate_demo_rows
    from app.lists.policy import load_policy
    from app.lists.writer import write_list_csv

    template = generate_demo_rows(DemoSpec(communes=1))[0]
    pensioner = "HT" if load_policy().category("HT") is not None else "AQ"  # BHXH's, where the catalogue has it
    rows = [dict(template, record_code=code, full_name=name, birth_year=year, id_number=number, commune="Xã Yên Đức",
                 category=pensioner, programme="Lương hưu, trợ cấp BHXH", regime="Lương hưu", amount=5_120_000,
                 point="Nhà văn hóa thôn Đông", proxy_name=None, proxy_id=None, authorisation_number=None,
                 authorisation_until=None)
            for code, name, year, number in ((BH_DUC, "Nguyễn Văn Đức", 1952, "022052000123"),
                                             (BH_HUE, "Đặng Thị Thu Huệ", 1948, "022148000456"),
                                             (DUC, "Nguyễn Văn Đức", 1952, "022052000123"))]
    write_list_csv(path, rows, payout_period="2026-12")
    return path


@pytest.fixture
def two_lists(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path, first_list=department_list())
    try:
        yield running
    finally:
        running.close()


def _kept(running: Province) -> dict[str, Any]:
    ll, ln, lp = schema.list_lines.c, schema.lines.c, schema.list_people.c
    with running.engine.connect() as conn:
        return {
            "list_lines": {k: a for k, a in
                           conn.execute(select(ll.line_key, ll.agency).where(ll.list_period == "2026-12"))},
            "withdrawn": set(conn.execute(select(ln.line_key).where(ln.withdrawn.is_(True))).scalars()),
            "list_people": {c: a for c, a in conn.execute(select(lp.record_code, lp.agency))},
        }


def _changes(running: Province, kind: str) -> list[dict[str, Any]]:
    c = schema.changes.c
    with running.engine.connect() as conn:
        return [dict(json.loads(payload), commune=commune) for payload, commune in
                conn.execute(select(c.payload, c.commune_code).where(c.kind == kind).order_by(c.change_id))]


def test_each_agency_s_list_keeps_the_other_s_and_one_human_is_one_person(two_lists: Province,
                                                                          tmp_path: Path) -> None:
    running = two_lists
    running.add_officer("tinh")
    tinh = OfficerSession(running.url)
    assert tinh.sign_in("tinh", "pw-tinh").status_code == 200
    form = tinh.get("/console/lists").text
    assert 'name="agency"' in form and "Bảo hiểm xã hội" in form and "Theo mẫu danh sách" in form

    # BHXH's December list after the Department's, for the same commune: both are kept
    page = tinh.upload_list(bhxh_csv(tmp_path / "ds-bhxh-12.csv"), agency="bhxh")
    assert page.status_code == 200 and "list-result" in page.text, page.text[-2000:]
    assert "Bảo hiểm xã hội" in page.text
    assert ("Mã hồ sơ «QNH/AQ-00001-TCM» đã thuộc một hồ sơ của Sở Nội vụ: dòng này không được nhập"
            in page.text)  # a record code another agency holds is refused for that row
    kept = _kept(running)
    assert kept["list_lines"] == {DUC_MONTHLY: "so_noi_vu", DUC_SUPPLEMENT: "so_noi_vu", HUE_MONTHLY: "so_noi_vu",
                                  BH_DUC_PENSION: "bhxh", BH_HUE_PENSION: "bhxh"}
    assert not kept["withdrawn"]
    assert kept["list_people"] == {DUC: "so_noi_vu", HUE: "so_noi_vu", BH_DUC: "bhxh", BH_HUE: "bhxh"}
    # the province's progress, and filtered by agency
    assert "21.606.000" in tinh.get("/console/progress").text
    for agency, amount in (("bhxh", "10.240.000"), ("so_noi_vu", "11.366.000")):
        filtered = tinh.get(f"/console/progress?agency={agency}").text
        assert amount in filtered and "21.606.000" not in filtered, agency

    # the Department's corrected list (through the command line) withdraws its own line only; BHXH's likewise
    corrected_file = write_parsed(tmp_path / "ds-snv-12-sua.xlsx", department_list(without=(HUE_MONTHLY,)))
    command = ["--data", str(running.settings.data_dir), "--db", running.settings.database_url, "import-list",
               str(corrected_file)]
    assert server_main([*command, "--agency", "bo_quoc_phong"]) == 2  # not in the catalogue: nothing imported
    assert _kept(running)["withdrawn"] == set()
    assert server_main([*command, "--agency", "so_noi_vu"]) == 0
    with db.transaction(running.engine) as conn:
        corrected = bhxh_list(((BH_DUC, "Nguyễn Văn Đức", 1952, "022052000123"),))
        assert province.import_list(conn, corrected, running.clock())["withdrawn"] == 1
    kept = _kept(running)
    assert kept["withdrawn"] == {HUE_MONTHLY, BH_HUE_PENSION}
    assert set(kept["list_lines"]) == {DUC_MONTHLY, DUC_SUPPLEMENT, BH_DUC_PENSION}
    assert kept["list_people"] == {DUC: "so_noi_vu", BH_DUC: "bhxh"}  # each list kept its own people

    # one person: Đức's page shows both agencies' record codes; Huệ's two records are a conflict with the evidence
    duc = tinh.get(f"/console/amend?record_code={DUC}").text
    assert "person-records" in duc and BH_DUC in duc and "Bảo hiểm xã hội" in duc and "Sở Nội vụ" in duc
    conflicts = tinh.get("/console/persons").text
    assert "conflict-1" in conflicts and "conflict-2" not in conflicts
    for evidence in ("Đặng Thị Huệ", "Đặng Thị Thu Huệ", HUE, BH_HUE, "022148000456", "ds-bhxh-12.csv", "dòng 3",
                     "ds-snv-12.xlsx", "Bảo hiểm xã hội", "Sở Nội vụ", "1948"):
        assert evidence in conflicts, evidence

    # an officer links them (reason required, CSRF checked); the devices of the commune receive the decision
    assert tinh.post("/console/persons/decide", {"first": HUE, "second": BH_HUE, "action": "link"}).status_code == 400
    assert tinh.post("/console/persons/decide", {"first": HUE, "second": BH_HUE, "action": "link", "reason": "x"},
                     csrf=False).status_code == 403
    linked = tinh.post("/console/persons/decide", {"first": HUE, "second": BH_HUE, "action": "link",
                                                   "reason": "Cùng CCCD, tên sai dấu trên danh sách BHXH"})
    assert linked.status_code == 303
    assert "no-conflicts" in tinh.get("/console/persons").text
    with running.engine.connect() as conn:  # what a device that gains the commune later receives with its snapshot
        assert [(link.pair, link.action.value) for link in persons.standing_in_commune(conn, COMMUNE)] == [
            ((BH_HUE, HUE), "link")]
    hue = tinh.get(f"/console/amend?record_code={HUE}").text
    assert "person-records" in hue and BH_HUE in hue and "Cùng CCCD, tên sai dấu" in hue
    # ... and undoes it from the person's page: the conflict is back, the devices told again
    undone = tinh.post("/console/persons/decide", {"first": BH_HUE, "second": HUE, "action": "clear",
                                                   "back": f"record:{HUE}"})
    assert undone.status_code == 303 and f"record_code={HUE}" in undone.headers["location"]
    assert "conflict-1" in tinh.get("/console/persons").text
    with running.engine.connect() as conn:
        assert persons.standing_in_commune(conn, COMMUNE) == []
    assert tinh.post("/console/persons/decide", {"first": HUE, "second": BH_HUE, "action": "clear"}
                     ).status_code == 400  # nothing left to undo
    assert [(item["first"], item["second"], item["action"], item["commune"]) for item in
            _changes(running, "person_link")] == [(BH_HUE, HUE, "link", COMMUNE), (BH_HUE, HUE, "clear", COMMUNE)]
    log = tinh.get("/console/audit").text
    assert "Gộp hai hồ sơ là một người" in log and "Hủy quyết định gộp/tách" in log
    # a device of the commune syncs the feed with the decisions on it (a device not yet updated ignores the kind)
    assert running.device("may-1").sync().ok


def test_each_agency_settles_its_own_and_a_death_on_one_agency_s_record_flags_the_other_s_payment(
        two_lists: Province) -> None:
    import io

    from openpyxl import load_workbook

    from server.settlement import settlement
    from server.settlement_pdf import render_settlement_pdf
    from server.settlement_xlsx import render_settlement_xlsx

    running = two_lists
    device = running.device("may-1")
    device.pay(DUC, [DUC_MONTHLY, DUC_SUPPLEMENT])  # the Department's lines
    pensions = bhxh_list()  # and a monthly social-insurance allowance of Đức's, not paid this month
    allowance = line(BH_DUC, "social_insurance", 1_000_000, programme="luong_huu")
    with db.transaction(running.engine) as conn:  # BHXH's list arrives in the month
        province.import_list(conn, dataclasses.replace(pensions, lines=(*pensions.lines, allowance)), running.clock())
    assert device.sync().ok
    device.pay(BH_DUC, [BH_DUC_PENSION])  # BHXH's pension
    assert device.sync().ok
    assert not [flag for flag in running.flags() if flag["kind"] == "paid_after_death"]

    # each agency's figures; their cash sums to the cash paid
    with running.engine.begin() as conn:
        report = settlement(conn, "2026-12", now=running.clock())
        bhxh_only = settlement(conn, "2026-12", now=running.clock(), agency="bhxh")
    by_agency = {item.agency: item for item in report.by_agency}
    assert {code: (item.listed.lines, item.listed.amount, item.paid.amount, item.payments, item.cash_paid)
            for code, item in by_agency.items()} == {
        "so_noi_vu": (3, 4_389_000 + 1_399_000 + 5_578_000, 5_788_000, 1, 5_788_000),
        "bhxh": (3, 11_240_000, 5_120_000, 1, 5_120_000)}
    assert sum(item.cash_paid for item in report.by_agency) == report.total.cash.paid_out == 10_908_000
    # an officer of BHXH: BHXH's lines and cash only
    assert (bhxh_only.total.listed.lines, bhxh_only.total.paid.amount, bhxh_only.total.cash.paid_out,
            bhxh_only.total.cash.advances) == (3, 5_120_000, 5_120_000, 0)
    assert [item.agency for item in bhxh_only.by_agency] == ["bhxh"]
    assert bhxh_only.document_code != report.document_code
    sheet = load_workbook(io.BytesIO(render_settlement_xlsx(report)))["Theo cơ quan"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=1)]
    assert ["so_noi_vu", "Sở Nội vụ", 3, 11_366_000, 2, 5_788_000, 1, 5_788_000] in values
    assert ["bhxh", "Bảo hiểm xã hội", 3, 11_240_000, 1, 5_120_000, 1, 5_120_000] in values
    assert [None, "Tổng cộng", 6, 22_606_000, 3, 10_908_000, None, 10_908_000] in values
    assert (report.total.barred.lines, report.total.carried_over.lines) == (0, 3)  # nobody has died yet
    assert render_settlement_pdf(report).startswith(b"%PDF")

    # the Department records Đức's death in November: BHXH's December pension paid since is flagged too
    running.amend(DUC, death=dt.date(2026, 11, 20), by="tinh")
    flags = {flag["line_key"]: flag for flag in running.flags() if flag["kind"] == "paid_after_death"}
    assert set(flags) == {DUC_MONTHLY, DUC_SUPPLEMENT, BH_DUC_PENSION}
    pension = flags[BH_DUC_PENSION]
    assert pension["record_code"] == BH_DUC
    assert pension["detail"]["death_elsewhere"] == {"record_code": DUC, "agency": "so_noi_vu", "date": "2026-11-20"}
    assert "death_elsewhere" not in flags[DUC_MONTHLY]["detail"]  # the Department's own record's death
    # December keeps Đức's BHXH record as dead too: its unpaid monthly allowance is barred, never carried over
    with running.engine.begin() as conn:
        kept = conn.execute(select(schema.list_people.c.status, schema.list_people.c.date_of_death)
                            .where(schema.list_people.c.record_code == BH_DUC)).one()
        after = settlement(conn, "2026-12", now=running.clock())
    assert tuple(kept) == ("deceased", "2026-11-20")
    assert (after.total.barred.lines, after.total.barred.amount, after.total.carried_over.lines) == (1, 1_000_000, 2)
    # BHXH's officers see it on their record's page and in the flag, and only their agency's flags
    with db.transaction(running.engine) as conn:
        accounts.add_user(conn, "bhxh", "Cán bộ BHXH", "officer", "pw-bhxh", ["*"], running.clock(), "bhxh")
    officer = OfficerSession(running.url)
    officer.sign_in("bhxh", "pw-bhxh")
    page = officer.get(f"/console/amend?record_code={BH_DUC}").text
    assert "death-elsewhere" in page and f"Đã mất theo hồ sơ {DUC} của Sở Nội vụ (ngày mất 20/11/2026)" in page
    flag_page = officer.get(f"/console/flags/{pension['flag_id']}").text
    assert "Đã mất theo hồ sơ" in flag_page and "Sở Nội vụ" in flag_page
    queue = officer.get("/console/flags?state=all").text
    assert f"/console/flags/{pension['flag_id']}\"" in queue
    assert f"/console/flags/{flags[DUC_MONTHLY]['flag_id']}\"" not in queue
    assert officer.get(f"/console/flags/{flags[DUC_MONTHLY]['flag_id']}").status_code == 403
    download = officer.get("/console/reports/settlement.xlsx?period=2026-12")
    assert download.status_code == 200 and "bhxh" in download.headers["content-disposition"]
    agencies = load_workbook(io.BytesIO(download.content))["Theo cơ quan"]
    assert [row[0] for row in agencies.iter_rows(min_row=1, values_only=True) if row[0] in by_agency] == ["bhxh"]
    # the Department's list, prepared before the death, still lists Đức: a contradiction of the Department's record,
    # which BHXH's officer does not see
    with db.transaction(running.engine) as conn:
        assert province.import_list(conn, department_list(), running.clock())["contradictions"]
    assert "contradiction-queue" in officer.get("/console/contradictions").text
    assert DUC not in officer.get("/console/contradictions?state=all").text
    running.add_officer("tinh")
    province_officer = OfficerSession(running.url)
    province_officer.sign_in("tinh", "pw-tinh")
    assert DUC in province_officer.get("/console/contradictions?state=all").text


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # the SQL is tested on both engines above
def test_an_officer_of_bhxh_sees_bhxh_s_lines_only_in_chromium(two_lists: Province) -> None:
    import os

    from playwright.sync_api import expect, sync_playwright

    running = two_lists
    with db.transaction(running.engine) as conn:
        province.import_list(conn, bhxh_list(), running.clock())
    running.add_officer("quantri", role="admin")
    shots = os.environ.get("AGENCY_SCREENSHOTS")  # a folder: the pages at 1366×768, to look at

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()

        def sign_in(username: str, password: str) -> None:
            page.goto(f"{running.url}/console/signin")
            page.fill("#username", username)
            page.fill("#password", password)
            page.click("button[type=submit]")
            expect(page).to_have_url(f"{running.url}/console/progress")

        def shot(name: str) -> None:
            if shots:
                page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)

        # the administrator makes an officer of BHXH on the staff page
        sign_in("quantri", "pw-quantri")
        page.goto(f"{running.url}/console/staff")
        page.fill("#s-user", "bhxh")
        page.fill("#s-name", "Cán bộ BHXH")
        page.fill("#s-password", "pw-bhxh-1")
        page.select_option("#s-role", "officer")
        page.fill("#s-communes", "*")
        page.select_option("#s-agency", "bhxh")
        shot("staff")
        page.click("form[action$=\"/console/staff\"] button[type=submit]")
        expect(page.locator("table").first).to_contain_text("Bảo hiểm xã hội")
        page.click("header form button")

        sign_in("bhxh", "pw-bhxh-1")
        expect(page.locator("#officer-agency")).to_have_text("Bảo hiểm xã hội")
        shot("progress-bhxh")
        expect(page.locator("#listed-amount")).to_have_text("10.240.000 ₫")  # BHXH's two pensions only
        expect(page.locator("#communes tbody tr").first.locator("td.turns")).to_have_text("2")  # two people's turns
        page.goto(f"{running.url}/console/people?commune={COMMUNE}")
        people_table = page.locator("#people")
        expect(people_table).to_contain_text(BH_DUC)
        expect(people_table).not_to_contain_text(DUC)
        expect(people_table).not_to_contain_text("Trợ cấp hằng tháng")
        page.goto(f"{running.url}/console/amend?record_code={BH_DUC}")
        expect(page.locator("#person-records")).to_contain_text(DUC)  # the person's other record is named
        shot("person-bhxh")
        refused = page.goto(f"{running.url}/console/amend?record_code={DUC}")
        assert refused is not None and refused.status == 403  # not BHXH's record
        page.goto(f"{running.url}/console/lists")
        expect(page.locator("#agency option")).to_have_count(1)
        expect(page.locator("tbody")).not_to_contain_text("ds-snv-12.xlsx")
        shot("lists-bhxh")
        page.goto(f"{running.url}/console/persons")
        expect(page.locator("#conflict-1")).to_contain_text(BH_HUE)
        shot("persons-bhxh")
        browser.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # every other server test migrates SQLite
def test_a_province_upgraded_to_0009_has_each_line_and_record_in_its_programme_s_agency(database_url: str) -> None:
    """Revision 0009: a line's agency is its programme's; a record's is its lines' when they have one agency."""
    from alembic import command
    from alembic.config import Config

    engine = db.make_engine(database_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0008")
            conn.execute(schema.communes.insert().values(code=COMMUNE, name="Xã Yên Đức", province_code="QNH",
                                                         province_name="Tỉnh Quảng Ninh", places="{}"))
            for code in (DUC, HUE):
                conn.execute(schema.people.insert().values(record_code=code, commune_code=COMMUNE, full_name=code,
                                                           status="active", data="{}", agency=""))
                conn.execute(schema.list_people.insert().values(list_period="2026-12", record_code=code,
                                                                commune_code=COMMUNE, full_name=code,
                                                                status="active", agency=""))
            for item in (line(DUC, "monthly", 1), line(DUC, "pension", 1, programme="luong_huu"),
                         line(HUE, "monthly", 1)):
                row = {"line_key": item.key, "record_code": item.record_code, "commune_code": COMMUNE,
                       "period": item.period, "list_period": item.list_period, "programme": item.programme,
                       "regime": item.regime, "kind": item.kind.value, "amount": 1, "method": "cash", "agency": ""}
                conn.execute(schema.lines.insert().values(**row, withdrawn=False, data="{}"))
                conn.execute(schema.list_lines.insert().values(
                    **{key: value for key, value in row.items() if key not in ("period",)}))
        db.migrate(engine)
        with engine.connect() as conn:
            lines_agency = dict(conn.execute(select(schema.lines.c.line_key, schema.lines.c.agency)).all())
            kept_agency = dict(conn.execute(select(schema.list_lines.c.line_key, schema.list_lines.c.agency)).all())
            people_agency = dict(conn.execute(select(schema.people.c.record_code, schema.people.c.agency)).all())
            kept_people = dict(conn.execute(select(schema.list_people.c.record_code,
                                                   schema.list_people.c.agency)).all())
    finally:
        engine.dispose()
    expected = {DUC_MONTHLY: "so_noi_vu", key(DUC, "pension", programme="luong_huu"): "bhxh",
                HUE_MONTHLY: "so_noi_vu"}
    assert lines_agency == kept_agency == expected
    assert people_agency == kept_people == {DUC: "", HUE: "so_noi_vu"}  # Đức's lines are of two agencies
