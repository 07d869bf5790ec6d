"""Flags grouped by incident, one decision and one second-officer approval per incident, self-approval refused by
name, and words not codes on the flag, audit and amendment pages — over real HTTP on SQLite and PostgreSQL, and in
a real headless Chromium at 1366×768 (SQLite only: the pages do not depend on the engine)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import text

from app.domain.model import PaymentMethod
from server import db
from server import flags as review
from server.settlement import settlement
from server.web.audit import record
from tests.builders.chromium import sign_in
from tests.builders.console import OfficerSession
from tests.builders.province import Province, key
from tests.builders.store import DUC, HUE, NOW, line, lines, parsed_list

DUC_LINES = [key(DUC, "monthly"), key(DUC, "supplement"), key(DUC, "pension", programme="luong_huu"),
             key(DUC, "convalescence")]
HUE_LINES = [key(HUE, "monthly"), key(HUE, "gift"), key(HUE, "monthly", period="2026-11")]
DUC_CASH = 4_389_000 + 1_399_000 + 5_120_000 + 2_510_100  # 13.418.100 ₫ paid twice
HUE_CASH = 5_578_000 + 600_000 + 5_578_000  # 11.756.000 ₫ paid twice

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LINE_KEY = re.compile(r"QNH/[A-Z]+-\d+-TCM\|")
CODES = ("uu_dai", "luong_huu", "double_payment", "write_off", "recurring", "one_time", "other_device",
         "amend_death", "flag_resolve", "(officer)", "giaodich", "('", "{", "None")


def seven_flags_list() -> object:
    """The small commune's list where Đặng Thị Huệ also has her gift in cash and November's allowance carried over:
    Nguyễn Văn Đức has 4 cash lines, she has 3."""
    the_lines = [dataclasses.replace(item, method=PaymentMethod.CASH) if item.record_code == HUE else item
                 for item in lines()]
    the_lines.append(line(HUE, "monthly", 5_578_000, period="2026-11"))
    return parsed_list(the_lines=the_lines)


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    yield from running_province(database_url, tmp_path)


def running_province(database_url: str, folder: Path) -> Iterator[Province]:
    from tests.builders.store import Clock

    running = Province(database_url, folder, clock=Clock(NOW), first_list=seven_flags_list())  # type: ignore[arg-type]
    running.add_officer("tinh")
    running.add_officer("tinh2")
    yield running
    running.close()


def paid_twice(province: Province) -> None:
    """Both people paid on laptop A, then again on laptop B (lines already paid): 7 flagged lines."""
    first, second = province.device("may-a"), province.device("may-b")
    first.pay(DUC, DUC_LINES)
    first.pay(HUE, HUE_LINES)
    second.pay(DUC, DUC_LINES)
    second.pay(HUE, HUE_LINES)
    assert first.sync().ok and second.sync().ok


def officer(province: Province, username: str) -> OfficerSession:
    session = OfficerSession(province.url)
    assert session.sign_in(username, f"pw-{username}").status_code == 200
    return session


def incident_ids(session: OfficerSession, state: str) -> list[int]:
    page = session.get(f"/console/flags?state={state}").text
    return [int(found) for found in re.findall(r'data-incident="(\d+)"', page)]


def test_two_double_paid_people_make_two_incidents_each_resolved_and_approved_once(province: Province) -> None:
    paid_twice(province)
    assert len(province.flags()) == 7
    tinh = officer(province, "tinh")
    opened = incident_ids(tinh, "open")
    assert len(opened) == 2
    with province.engine.connect() as conn:  # the progress page's tile counts incidents too, as the queue lists
        assert review.counts(conn, None) == {"open": 2, "pending": 0, "resolved": 0}
    queue = tinh.get("/console/flags").text
    assert "13.418.100 ₫" in queue and "11.756.000 ₫" in queue  # each incident's lines summed
    assert "Nguyễn Văn Đức" in queue and "Đặng Thị Huệ" in queue and "Xã Yên Đức" in queue
    for number in opened:
        page = tinh.get(f"/console/flags/{number}").text
        assert page.count('class="card evidence"') == 2  # both payments
        assert "Nguyễn Thị Giao Dịch" in page and "Nhà văn hóa thôn Đông" in page and "may-a" in page
        assert "← Danh sách cờ" in page

    duc, hue = sorted(opened)
    answer = tinh.post(f"/console/flags/{duc}/resolve", {"outcome": "write_off", "write_off": "13.418.100",
                                                         "reason": "Người nhận đã chuyển đi"})
    assert answer.status_code == 303
    assert tinh.post(f"/console/flags/{hue}/resolve", {"outcome": "recovered", "reason": "Đã thu lại tiền"}
                     ).status_code == 303
    assert incident_ids(tinh, "pending") == [duc] and incident_ids(tinh, "resolved") == [hue]
    with province.engine.connect() as conn:
        assert review.counts(conn, None) == {"open": 0, "pending": 1, "resolved": 1}

    own = tinh.get(f"/console/flags/{duc}").text
    assert 'id="approve-form"' not in own and "Cách xử lý này do Cán bộ tinh đề xuất" in own
    refused = tinh.post(f"/console/flags/{duc}/approve", {"decision": "approve", "reason": "tự duyệt"})
    assert refused.status_code == 400
    assert "Bạn đã đề xuất cách xử lý này; cần một cán bộ khác phê duyệt" in refused.text
    assert "Không tìm thấy" not in refused.text and "second officer" not in refused.text

    second = officer(province, "tinh2")
    assert 'id="approve-form"' in second.get(f"/console/flags/{duc}").text
    assert second.post(f"/console/flags/{duc}/approve", {"decision": "approve", "reason": "Đồng ý"}
                       ).status_code == 303
    assert incident_ids(second, "resolved") == [hue, duc] and incident_ids(second, "open") == []

    with province.engine.connect() as conn:
        states = [review.flag(conn, row["flag_id"])["state"] for row in province.flags()]  # type: ignore[index]
        assert states == ["resolved"] * 7  # each flag decided
        shares = conn.execute(text("SELECT write_off FROM flag_resolutions WHERE write_off > 0")).scalars().all()
        actions = conn.execute(text("SELECT action FROM audit_log WHERE action LIKE 'flag_%' ORDER BY audit_id")
                               ).scalars().all()
        report = settlement(conn, "2026-12")
    assert len(shares) == 4 and sum(shares) == DUC_CASH  # the write-off shared by line, to the đồng
    assert actions == ["flag_resolve", "flag_resolve", "flag_approve"]  # audited once per decision
    assert report.total.flags.written_off == DUC_CASH and report.total.flags.resolved == 7
    for device in province.devices:  # the devices learn every flag's resolution
        assert device.sync().ok
        assert all(seen.resolution for seen in device.store.sync.flags(DUC))
        assert all(seen.resolution for seen in device.store.sync.flags(HUE))


def test_a_write_off_smaller_than_its_lines_is_refused_and_the_split_adds_up() -> None:
    assert review.split_write_off(10, [4_389_000, 1_399_000, 0]) == [6, 3, 1]  # 1 each, 7 by remainders
    assert sum(review.split_write_off(13_418_100, [4_389_000, 1_399_000, 5_120_000, 2_510_100])) == DUC_CASH
    assert review.split_write_off(3, [0, 0, 0]) == [1, 1, 1]
    with pytest.raises(review.FlagError):
        review.split_write_off(2, [1, 1, 1])


# --- in Chromium at 1366×768 ----------------------------------------------------------------------------------------


def words_only(page: Page) -> str:
    """The page's visible text, checked for codes: no UUID, no line key, no enum value, no Python text."""
    shown = page.inner_text("main")
    assert not UUID.search(shown), UUID.search(shown)
    assert not LINE_KEY.search(shown), LINE_KEY.search(shown)
    for code in CODES:
        assert code not in shown, code
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    return shown


def test_flag_audit_and_amendment_pages_say_words_and_fit_1366(browser: Browser, tmp_path: Path) -> None:
    province = next(running_province(f"sqlite:///{tmp_path}/server.db", tmp_path))
    try:
        paid_twice(province)
        tinh = officer(province, "tinh")
        duc = min(incident_ids(tinh, "open"))
        tinh.post(f"/console/flags/{duc}/resolve", {"outcome": "write_off", "write_off": "13.418.100",
                                                    "reason": "Không thu hồi được"})
        tinh.post("/console/amend", {"record_code": HUE, "action": "death", "date_of_death": "04/12/2026",
                                     "representative": "Đặng Văn Bình", "representative_id": "022170000333",
                                     "reason": "Giấy báo tử"})
        with db.transaction(province.engine) as conn:  # as the log kept an amendment before details were plain
            record(conn, "tinh", "amend_amount", DUC, "Quyết định 12",
                   {"amount": f"('{key(DUC, 'monthly')}', 4500000)"}, now=NOW)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        sign_in(page, province.url, "tinh")

        page.goto(f"{province.url}/console/flags?state=all")
        # 2 double payments, and each of her 2 payments after her death: 4 incidents (were 13 flags)
        expect(page.locator("#flag-queue tbody tr")).to_have_count(4)
        words_only(page)
        page.goto(f"{province.url}/console/flags/{duc}")
        expect(page.locator("#flag-state")).to_have_text("Chờ phê duyệt")
        expect(page.locator("#own-proposal")).to_contain_text("Cán bộ tinh")
        expect(page.locator("#approve-form")).to_have_count(0)
        expect(page.locator("#incident-lines tbody tr")).to_have_count(4)
        shown = words_only(page)
        assert "Trợ cấp hằng tháng kỳ 12/2026" in shown and "13.418.100 ₫" in shown
        page.screenshot(path=str(tmp_path / "console-flag.png"), full_page=False)
        page.click("#back-to-flags")
        expect(page.locator("h1")).to_have_text("Cờ cần xem xét")

        page.goto(f"{province.url}/console/flags/{duc}?lang=en")
        expect(page.locator("#back-to-flags")).to_have_text("← Flags")
        shown = words_only(page)
        assert "13,418,100 ₫" in shown and "4,389,000 ₫" in shown and "13.418.100" not in shown

        page.goto(f"{province.url}/console/audit?lang=vi")
        shown = words_only(page)
        assert "Ghi nhận đối tượng mất" in shown and "Ngày mất: 04/12/2026" in shown
        assert "Người đại diện gia đình: Đặng Văn Bình — 022170000333" in shown
        assert "Số tiền xóa nợ: 13.418.100 ₫" in shown and "Cán bộ tinh" in shown
        assert "Khoản: Trợ cấp hằng tháng kỳ 12/2026" in shown and "Số tiền: 4.500.000 ₫" in shown
        page.goto(f"{province.url}/console/audit?lang=en")
        shown = words_only(page)
        assert "Death recorded" in shown and "Amount written off: 13,418,100 ₫" in shown
        page.goto(f"{province.url}/console/audit?lang=vi")

        page.goto(f"{province.url}/console/amend?record_code={HUE}")
        expect(page.locator("#person-status")).to_have_text("Đã mất")
        status = page.inner_text(".card p")
        assert status.count("Đã mất") == 1 and "Ngày mất: 04/12/2026" in status
        expect(page.locator("#person-representative")).to_contain_text("Đặng Văn Bình")
        expect(page.locator("#death-form")).to_have_count(0)
        expect(page.locator("#person-payments tbody tr")).to_have_count(2)
        expect(page.locator("#person-payments")).to_contain_text("Nhà văn hóa thôn Đông")
        expect(page.locator("#amendment-history")).to_contain_text("Cán bộ tinh")
        words_only(page)
        page.goto(f"{province.url}/console/amend?record_code={DUC}")
        expect(page.locator("#death-form")).to_be_visible()
        words_only(page)
        context.close()
    finally:
        province.close()
