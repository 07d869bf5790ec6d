"""The console in a real headless Chromium (Debian's package, driven by Playwright), against the real server, with
real devices syncing in the same test: progress, a double payment resolved with a second officer's approval, a death
that blocks the person on a device, a revoked device whose downloads are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.domain.errors import PaymentRefused
from tests.builders.chromium import sign_in
from tests.builders.province import (
    DUC_MONTHLY,
    HUE_MONTHLY,
    JANUARY,
    Province,
    january_list,
    payable_to_the_person,
)
from tests.builders.sheets import write_parsed
from tests.builders.store import DUC, HUE


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    running.add_officer("tinh")
    running.add_officer("tinh2")
    running.add_officer("quantri", role="admin")
    yield running
    running.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    opened = context.new_page()
    yield opened
    context.close()


def sign_out(page: Page) -> None:
    page.click("header form button")
    expect(page.locator("#username")).to_be_visible()


def test_progress_then_a_double_payment_resolved_with_a_second_officers_approval(
        page: Page, province: Province) -> None:
    first, second = province.device("a"), province.device("b")
    first.pay(DUC, [DUC_MONTHLY])
    first.pay(HUE, [HUE_MONTHLY])
    second.pay(DUC, [DUC_MONTHLY])
    assert first.sync().ok and second.sync().ok

    sign_in(page, province.url, "tinh")
    expect(page.locator("h1")).to_contain_text("Tiến độ chi trả — Kỳ 12/2026")
    expect(page.locator("#payments-made")).to_have_text("3")
    row = page.locator("#communes tbody tr").first
    expect(row).to_contain_text("Xã Yên Đức")
    page.click("#communes tbody tr >> text=Xã Yên Đức")
    expect(page.locator("h1")).to_contain_text("Xã Yên Đức")

    page.click("header >> text=Cờ cần xem xét")
    page.click("#flag-queue >> text=Khoản này cũng đã được chi bởi máy khác")
    expect(page.locator(".evidence")).to_have_count(2)
    expect(page.locator("img.sig").first).to_be_visible()
    page.select_option("#outcome", "write_off")
    page.fill("#write_off", "4.389.000")
    page.fill("#reason", "Người nhận đã chuyển đi, không thu hồi được")
    page.click("#resolve-form button[type=submit]")
    expect(page.locator("#flag-state")).to_have_text("Chờ phê duyệt")
    sign_out(page)

    sign_in(page, province.url, "tinh2")
    page.goto(f"{province.url}/console/flags?state=pending")
    page.click("#flag-queue >> text=Khoản này cũng đã được chi bởi máy khác")
    page.fill("#approval-reason", "Đồng ý xóa nợ")
    page.click("#approve-form button[value=approve]")
    expect(page.locator("#flag-state")).to_have_text("Đã xử lý")
    expect(page.locator("#history")).to_contain_text("tinh2")


def test_a_death_recorded_in_the_console_blocks_the_person_on_a_device(page: Page, province: Province) -> None:
    device = province.device("laptop")
    sign_in(page, province.url, "tinh")
    page.click("header >> text=Điều chỉnh")
    page.fill("#q", "hue dang")
    page.click("form.bar button")
    page.click("#found >> text=QNH/LS-00002-TCM")
    expect(page.locator("#person-name")).to_contain_text("Đặng Thị Huệ")
    page.fill("#date_of_death", "04/12/2026")
    page.fill("#representative", "Đặng Văn Bình")
    page.fill("#representative_id", "022170000333")
    page.fill("#death-reason", "Giấy báo tử của UBND xã")
    page.click("#death-form button[type=submit]")
    expect(page.locator("#amend-done")).to_be_visible()
    expect(page.locator("#person-status")).to_have_text("Đã mất")

    assert device.sync().ok
    with pytest.raises(PaymentRefused) as refused:
        device.pay(HUE, [HUE_MONTHLY])
    assert refused.value.code == "deceased_needs_representative"


def test_the_reproduction_in_the_console_a_death_stands_against_januarys_list(
        page: Page, province: Province, tmp_path: Path) -> None:
    """A death recorded on 01/12 with a representative, then January's list, prepared weeks before, still listing
    the person as receiving: the rest of the list imports, the person stays deceased, the upload page names him and
    the standing death in words, the officer keeps the amendment (audited), and the desk never pays him."""
    device = province.device("laptop")
    sign_in(page, province.url, "tinh")
    page.click("header >> text=Điều chỉnh")
    page.fill("#q", "duc nguyen")
    page.click("form.bar button")
    page.click(f"#found >> text={DUC}")
    page.fill("#date_of_death", "01/12/2026")
    page.fill("#representative", "Nguyễn Thị Hoa")
    page.fill("#representative_id", "022180000999")
    page.fill("#death-reason", "Giấy báo tử của UBND xã")
    page.click("#death-form button[type=submit]")
    expect(page.locator("#person-status")).to_have_text("Đã mất")
    expect(page.locator("#amendment-history")).to_contain_text("đã mất ngày 01/12/2026")

    page.click("header >> text=Danh sách chi trả")
    page.set_input_files("#file", str(write_parsed(tmp_path / "ds-01-2027.xlsx", january_list())))
    page.fill("#period", "2027-01")
    page.click("#upload-form button[type=submit]")
    # The upload is imported by a worker process; its page refreshes itself until the outcome is there.
    expect(page.locator("#list-result")).to_contain_text("4 Người, 11 Khoản", timeout=60_000)  # the rest imported
    reconciled = page.locator("#list-reconciliation")  # the list reconciled with itself, by person
    expect(reconciled).to_contain_text("Đối chiếu danh sách: tổng")
    expect(reconciled).to_contain_text(f"Nguyễn Văn Đức ({DUC})")
    found = page.locator("#list-contradictions")
    for words in ("Nguyễn Văn Đức", "«Đang hưởng»", "«Đã mất»", "đã mất ngày 01/12/2026", "Nguyễn Thị Hoa",
                  "bởi tinh", "Giấy báo tử của UBND xã"):
        expect(found).to_contain_text(words)

    found.locator("a").first.click()
    expect(page.locator("#standing-fact")).to_contain_text("đã mất ngày 01/12/2026")
    page.check("#choice-keep")
    page.fill("#decision-reason", "Giấy báo tử đã xác minh")
    page.click("#decide-form button[type=submit]")
    expect(page.locator("#contradiction-state")).to_contain_text("Giữ điều chỉnh")
    expect(page.locator("#contradiction-state")).to_contain_text("tinh")
    page.click("header >> text=Nhật ký thao tác")
    audit = page.locator("#audit tbody tr").first
    expect(audit).to_contain_text("Giữ điều chỉnh (danh sách mâu thuẫn)")  # the action and the person in words
    expect(audit).to_contain_text(f"Nguyễn Văn Đức ({DUC})")
    expect(page.locator("main")).not_to_contain_text("contradiction_keep")

    assert device.sync().ok
    view = device.store.payouts.person(DUC, period=JANUARY)
    assert view.beneficiary.status.value == "deceased"
    assert payable_to_the_person(device, DUC, JANUARY) == []


def test_a_device_revoked_in_the_console_can_no_longer_download(page: Page, province: Province) -> None:
    device = province.device("lost-laptop")
    sign_in(page, province.url, "tinh")
    page.click("header >> text=Thiết bị")
    row = page.locator(f"tr[data-device='{device.store.device_id}']")
    expect(row).to_contain_text("Đang dùng")
    row.locator("input[name=reason]").fill("Mất máy tại điểm chi thôn Đông")
    row.locator("button").click()
    expect(page.locator(f"tr[data-device='{device.store.device_id}']")).to_contain_text("Đã thu hồi")
    report = device.sync()
    assert not report.ok and report.error_code == "sync_revoked"


WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""
"""Run before each page's own scripts: collect content-policy violations, and count prints instead of printing."""


@pytest.fixture
def sqlite_province(tmp_path: Path) -> Iterator[Province]:
    """The content policy does not depend on the database: SQLite only."""
    running = Province(f"sqlite:///{tmp_path}/server.db", tmp_path)
    running.add_officer("quantri", role="admin")
    yield running
    running.close()


def test_the_console_runs_under_its_content_policy_and_the_print_button_still_prints(
        page: Page, sqlite_province: Province) -> None:
    province = sqlite_province
    device = province.device("a")
    device.pay(DUC, [DUC_MONTHLY])
    assert device.sync().ok
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(WATCH_POLICY)
    sign_in(page, province.url, "quantri")
    for path in ("/console/progress", "/console/communes/QNH-0001", "/console/flags", f"/console/amend?record={DUC}",
                 "/console/contradictions", "/console/lists", "/console/devices", "/console/staff", "/console/audit",
                 "/console/reports"):
        page.goto(province.url + path)
        assert page.evaluate("window.__violations") == [], path
    page.goto(province.url + "/console/progress")
    bar = page.locator("#communes progress.bar-pct").first
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box is not None and box["width"] > 20  # drawn by the stylesheet, not an inline style
    page.click("#print")
    page.wait_for_function("window.__printed === 1")
    assert not [text for text in messages if "Content Security Policy" in text]
    # The policy is really on: a script put into the page by hand does not run, and the browser says why.
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                             document.body.appendChild(s); }""")
    page.wait_for_function("window.__violations.length === 1")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__violations")[0].startswith("script-src")
