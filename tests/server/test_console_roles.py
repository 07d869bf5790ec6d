"""Console roles, CSRF, sign-in limits, the audit log and second-officer approval — over real HTTP, both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.builders.console import OfficerSession
from tests.builders.province import DUC_MONTHLY, OTHER_COMMUNE, Province
from tests.builders.store import COMMUNE, DUC, HUE


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    running.add_other_commune()
    running.add_officer("tinh")  # province officer
    running.add_officer("tinh2")  # a second province officer, for approvals
    running.add_officer("xa2", communes=[OTHER_COMMUNE])  # commune officer of the other commune
    running.add_officer("quantri", role="admin")
    yield running
    running.close()


def officer(province: Province, username: str) -> OfficerSession:
    session = OfficerSession(province.url)
    response = session.sign_in(username, f"pw-{username}")
    assert response.status_code == 200 and "/console/progress" in response.url
    return session


def double_payment(province: Province) -> int:
    first, second = province.device("a"), province.device("b")
    first.pay(DUC, [DUC_MONTHLY])
    second.pay(DUC, [DUC_MONTHLY])
    assert first.sync().ok and second.sync().ok
    return province.flags()[0]["flag_id"]


def audit(province: Province) -> list[tuple[str, str, str]]:
    with province.engine.connect() as conn:
        rows = conn.execute(text("SELECT username, action, target FROM audit_log ORDER BY audit_id"))
        return [tuple(row) for row in rows]


def test_a_commune_officer_sees_and_changes_only_their_commune(province: Province) -> None:
    flag_id = double_payment(province)
    xa2 = officer(province, "xa2")
    progress = xa2.get("/console/progress?first=2026-12")
    assert progress.status_code == 200 and "Xã Khác" in progress.text and "Xã Yên Đức" not in progress.text
    for path in ("/console/communes/QNH-0001?period=2026-12", "/console/people?commune=QNH-0001&period=2026-12",
                 f"/console/flags/{flag_id}", f"/console/amend?record_code={DUC}", "/console/staff", "/console/audit"):
        assert xa2.get(path).status_code == 403, path
    assert "QNH-0001" not in xa2.get("/console/flags?state=all").text
    xa2.get(f"/console/amend?record_code={'QNH/AQ-09999-TCM'}")
    refused = xa2.post("/console/amend", {"record_code": HUE, "action": "suspend", "reason": "thử"})
    assert refused.status_code == 403
    assert xa2.post(f"/console/flags/{flag_id}/resolve", {"outcome": "legitimate", "reason": "x"}).status_code == 403
    assert xa2.post("/console/lists", files={"file": ("ds.csv", b"x")}).status_code == 403
    with province.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM people WHERE record_code = :r"), {"r": HUE}).scalar() == "active"
        assert conn.execute(text("SELECT count(*) FROM flag_resolutions")).scalar() == 0
    allowed = xa2.post("/console/amend", {"record_code": "QNH/AQ-09999-TCM", "action": "suspend", "reason": "Xác minh"})
    assert allowed.status_code == 303


def test_forms_without_their_csrf_token_are_refused(province: Province) -> None:
    tinh = officer(province, "tinh")
    tinh.get(f"/console/amend?record_code={HUE}")
    for token in (None, "forged-token"):
        data = {"record_code": HUE, "action": "suspend", "reason": "Xác minh"}
        if token:
            data["csrf"] = token
        response = tinh.post("/console/amend", data, csrf=False)
        assert response.status_code == 403 and "Biểu mẫu" in response.text
    no_token_signin = tinh.http.post(province.url + "/console/signin", data={"username": "tinh", "password": "pw-tinh"},
                                     timeout=10)
    assert no_token_signin.status_code == 403
    with province.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM people WHERE record_code = :r"), {"r": HUE}).scalar() == "active"
    suspended = tinh.post("/console/amend", {"record_code": HUE, "action": "suspend", "reason": "Xác minh"})
    assert suspended.status_code == 303


def test_session_cookie_is_http_only_and_same_site(province: Province) -> None:
    session = OfficerSession(province.url)
    form = session.http.get(province.url + "/console/signin", timeout=10)
    token = form.text.split('name="csrf" value="')[1].split('"')[0]
    response = session.http.post(province.url + "/console/signin", timeout=10, allow_redirects=False,
                                 data={"csrf": token, "username": "tinh", "password": "pw-tinh"})
    cookie = [value for key, value in response.raw.headers.items()
              if key.lower() == "set-cookie" and "pd_console=" in value]
    assert cookie and "httponly" in cookie[0].lower() and "samesite=strict" in cookie[0].lower()
    assert session.http.get(province.url + "/console/progress", timeout=10).status_code == 200
    assert OfficerSession(province.url).get("/console/progress").url.endswith("/console/signin")


def test_sign_in_is_rate_limited_and_tellers_cannot_use_the_console(province: Province) -> None:
    for _ in range(5):
        assert OfficerSession(province.url).sign_in("tinh", "wrong").status_code == 401
    limited = OfficerSession(province.url).sign_in("tinh", "pw-tinh")
    assert limited.status_code == 429 and "15 phút" in limited.text
    province.clock.now = province.clock.now.replace(hour=province.clock.now.hour + 1)
    assert OfficerSession(province.url).sign_in("tinh", "pw-tinh").status_code == 200
    teller = OfficerSession(province.url).sign_in("giaodich", "pw-teller")
    assert teller.status_code == 401 and "không dùng bảng điều khiển" in teller.text


def test_a_write_off_needs_a_second_officer_and_devices_learn_the_resolution(province: Province) -> None:
    flag_id = double_payment(province)
    tinh = officer(province, "tinh")
    tinh.get(f"/console/flags/{flag_id}")
    proposed = tinh.post(f"/console/flags/{flag_id}/resolve",
                         {"outcome": "write_off", "write_off": "4.389.000", "reason": "Không thu hồi được"})
    assert proposed.status_code == 303
    assert "Chờ phê duyệt" in tinh.get(f"/console/flags/{flag_id}").text
    same = tinh.post(f"/console/flags/{flag_id}/approve", {"decision": "approve", "reason": "tự duyệt"})
    assert same.status_code == 400 and "cán bộ khác" in same.text
    second = officer(province, "tinh2")
    second.get(f"/console/flags/{flag_id}")
    approved = second.post(f"/console/flags/{flag_id}/approve", {"decision": "approve", "reason": "Đồng ý"})
    assert approved.status_code == 303
    assert "Đã xử lý" in second.get(f"/console/flags/{flag_id}").text
    for device in province.devices:
        assert device.sync().ok
        (seen,) = device.store.sync.flags(DUC)
        assert seen.resolution and "Không thu hồi được" in seen.resolution


def test_every_action_is_in_the_audit_log_which_cannot_be_edited(province: Province) -> None:
    flag_id = double_payment(province)
    tinh = officer(province, "tinh")
    tinh.get(f"/console/flags/{flag_id}")
    tinh.post(f"/console/flags/{flag_id}/resolve", {"outcome": "legitimate", "reason": "Đúng người đại diện"})
    tinh.post("/console/amend", {"record_code": HUE, "action": "death", "date_of_death": "05/12/2026",
                                 "representative": "Đặng Văn Bình", "reason": "Giấy báo tử"})
    tinh.post("/console/enrol-codes", {"commune": "QNH-0001", "label": "máy mới"})
    tinh.post(f"/console/devices/{province.devices[1].store.device_id}/revoke", {"reason": "mất máy"})
    admin = officer(province, "quantri")
    admin.post("/console/staff", {"username": "lan", "full_name": "Trần Thị Lan", "role": "teller",
                                  "communes": "QNH-0001", "password": "matkhau-lan"})
    admin.post("/console/staff/lan/active", {"active": "0", "reason": "nghỉ việc"})
    tinh.post("/console/signout", {})
    actions = audit(province)
    for expected in [("tinh", "sign_in", ""), ("tinh", "flag_resolve", f"flag {flag_id}"), ("tinh", "amend_death", HUE),
                     ("tinh", "enrol_code", "QNH-0001"), ("tinh", "device_revoke", province.devices[1].store.device_id),
                     ("quantri", "staff_save", "lan"), ("quantri", "staff_disable", "lan"), ("tinh", "sign_out", "")]:
        assert expected in actions
    with province.engine.connect() as conn:
        reason = conn.execute(text("SELECT reason FROM audit_log WHERE action = 'amend_death'")).scalar()
    assert reason == "Giấy báo tử"
    for statement in ("UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            with province.engine.begin() as conn:
                conn.execute(text(statement))
    page = officer(province, "quantri").get("/console/audit").text
    assert "Ghi nhận đối tượng mất" in page and "Giấy báo tử" in page  # the action in words, with its reason
    revoked = province.devices[1].store.device_id
    for code in ("amend_death", "device_revoke", "enrol_code", revoked, f"flag {flag_id}"):
        assert code not in page  # people, devices and flags by name, never by code alone


def test_the_audit_log_shows_times_on_the_provinces_clock(province: Province) -> None:
    """The server keeps instants in UTC; an officer reads them as the teller's screen shows them (UTC+7)."""
    province.clock.now = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    officer(province, "tinh")
    page = officer(province, "quantri").get("/console/audit").text
    assert "01/12/2026 06:30" in page and "30/11/2026 23:30" not in page


def test_settlement_reports_download_within_the_officers_scope(province: Province) -> None:
    from io import BytesIO

    from openpyxl import load_workbook
    from pypdf import PdfReader

    double_payment(province)
    tinh = officer(province, "tinh")
    assert "Toàn tỉnh" in tinh.get("/console/reports?period=2026-12").text
    pdf = tinh.get("/console/reports/settlement.pdf?period=2026-12")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "BÁO CÁO QUYẾT TOÁN" in "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    sheet = tinh.get("/console/reports/settlement.xlsx?period=2026-12&commune=QNH-0001")
    assert sheet.status_code == 200 and load_workbook(BytesIO(sheet.content)).sheetnames
    xa2 = officer(province, "xa2")
    assert xa2.get("/console/reports/settlement.pdf?period=2026-12").status_code == 403  # the province's: not theirs
    assert xa2.get("/console/reports/settlement.pdf?period=2026-12&commune=QNH-0001").status_code == 403
    assert xa2.get(f"/console/reports/settlement.xlsx?period=2026-12&commune={OTHER_COMMUNE}").status_code == 200
    assert ("tinh", "report_download", "province") in audit(province)


def test_next_months_list_uploaded_in_the_console_reaches_the_devices_and_a_bad_one_changes_nothing(
        province: Province, tmp_path: Path) -> None:
    from app.lists.demo import DemoSpec, generate_demo_rows
    from app.lists.writer import write_list_csv

    device = province.device("laptop")
    tinh = officer(province, "tinh")
    tinh.get("/console/lists")
    good = tmp_path / "danh-sach-01-2027.csv"
    write_list_csv(good, generate_demo_rows(DemoSpec(communes=1, payout_period="2027-01")), payout_period="2027-01")
    import csv

    rows = list(csv.reader(good.read_text(encoding="utf-8-sig").splitlines()))
    amount = next(i for i, name in enumerate(rows[0]) if name.startswith("Số tiền"))
    rows[1][amount], rows[2][amount] = "mười nghìn", "-5"
    bad = tmp_path / "sai.csv"
    with open(bad, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows[:4])
    with province.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM list_imports")).scalar()
    refused = tinh.upload_list(bad)
    assert refused.status_code == 400 and "không nhập dòng nào" in refused.text and "Dòng" in refused.text
    with province.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM list_imports")).scalar() == before
    tinh.get("/console/lists")
    accepted = tinh.upload_list(good, "2027-01")
    assert accepted.status_code == 200 and "list-result" in accepted.text
    assert ("tinh", "list_import", good.name) in audit(province)
    assert device.sync().ok
    assert device.store.payouts.person("QNH/AQ-00001-TCM").beneficiary.full_name == "Nguyễn Văn Đức"


def test_people_are_listed_and_found_in_vietnamese_order(province: Province) -> None:
    """By given name, then family name, Đ after D: never the byte order that puts "Đặng" after "Trần"."""
    tinh = officer(province, "tinh")
    page = tinh.get(f"/console/people?commune={COMMUNE}").text
    names = ["Nguyễn Văn Đức", "Đặng Thị Huệ", "Phạm Văn Nam", "Lê Văn Tâm"]
    assert all(name in page for name in names)
    assert sorted(names, key=page.index) == names
    found = tinh.get("/console/amend?q=van").text  # Văn: Đức, Nam, Tâm, Khác (proxies are not people)
    assert sorted(["Vũ Văn Khác", "Nguyễn Văn Đức", "Phạm Văn Nam", "Lê Văn Tâm"], key=found.index) == [
        "Nguyễn Văn Đức", "Vũ Văn Khác", "Phạm Văn Nam", "Lê Văn Tâm"]


def test_flags_name_the_line_in_words_not_by_its_key(province: Province) -> None:
    flag_id = double_payment(province)
    tinh = officer(province, "tinh")
    queue, page = tinh.get("/console/flags").text, tinh.get(f"/console/flags/{flag_id}").text
    assert "Nguyễn Văn Đức" in queue and "4.389.000 ₫" in queue  # an incident: the person, the amount at stake
    assert "Trợ cấp hằng tháng kỳ 12/2026" in page
    assert DUC_MONTHLY not in queue and DUC_MONTHLY not in page
