"""One clock in a real headless Chromium at 1366×768: a payment at 06:30 on 01/12 in Vietnam (23:30 on 30/11 UTC) is
shown at 01/12/2026 06:30 and counted in December; the deadlines page and the progress card fit the screen; a policy
notice published on the policy page is stamped on the same clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.builders.province import DUC_MONTHLY, Province
from tests.builders.store import COMMUNE, DUC, POINT, Clock, request


def fits(page: Page, selector: str = "main") -> None:
    """What ``selector`` shows ends within the 1366-pixel screen (the progress page's own wide tables are the figures
    work's, so there only the card is measured)."""
    right = page.evaluate(f"Math.max(...[...document.querySelectorAll('{selector}, {selector} *')]"
                          ".map(e => e.getBoundingClientRect().right))")
    assert right <= 1366


def test_a_payment_at_0630_on_1_december_in_vietnam_is_shown_so_and_counted_in_december(
        page: Page, tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC))
    province = Province(f"sqlite:///{tmp_path}/server.db", tmp_path, clock=clock)
    try:
        province.add_officer("tinh")
        device = province.device("a")
        day = device.store.province_time.day_of(clock())
        assert day == dt.date(2026, 12, 1)
        session = device.store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=day,
                                                    cash_advance=50_000_000, staff="giaodich").session_id
        device.store.payouts.pay(request(session, DUC, [DUC_MONTHLY]))
        assert device.sync().ok

        page.goto(f"{province.url}/console/signin")
        page.fill("#username", "tinh")
        page.fill("#password", "pw-tinh")
        page.click("button[type=submit]")
        page.goto(f"{province.url}/console/progress?first=2026-12&last=2026-12")
        expect(page.locator("h1")).to_contain_text("Kỳ 12/2026")
        expect(page.locator("#payments-made")).to_have_text("1")
        expect(page.locator("#devices tbody tr").first).to_contain_text("01/12/2026 06:30")
        expect(page.locator("#clock-note")).to_have_text("Mọi thời gian trên trang theo giờ Việt Nam")
        expect(page.locator("#deadlines-card-so_noi_vu [data-count=sessions]")).to_have_text("0/1")
        fits(page, "#deadlines-card-so_noi_vu")
        page.goto(f"{province.url}/console/progress?first=2026-11&last=2026-11")
        expect(page.locator("#payments-made")).to_have_text("0")  # not in November, though 30/11 in UTC

        page.click("nav >> text=Hạn chót")
        expect(page.locator("h1")).to_have_text("Hạn chót — Kỳ 12/2026")
        # No payout day is scheduled, so the list was needed on the device by 00:00 on 01/12 in Vietnam (17:00 UTC on
        # 30/11); it arrived at 06:30 Vietnam time: late, though still 30/11 in UTC.
        expect(page.locator("#deadlines-so_noi_vu [data-count=list]")).to_have_text("0/1")
        expect(page.locator("#late-so_noi_vu")).to_contain_text("01/12/2026 06:30")
        fits(page)
        page.goto(f"{province.url}/console/devices")
        expect(page.locator("#device-list tbody tr").first).to_contain_text("01/12/2026 06:30")

        page.click("nav >> text=Chính sách")  # point 8: a notice published in the browser, stamped on the clock
        expect(page.locator("#regime-monthly")).to_contain_text("Pháp lệnh Ưu đãi người có công")
        page.click("#publish summary")
        page.fill("#notice-title", "Mức chuẩn mới")
        page.fill("#notice-body", "Từ 01/07/2024 mức chuẩn là 2.789.000 đồng.")
        page.fill("#notice-effective", "2024-07-01")
        page.click("#notice-publish")
        expect(page.locator("#policy-done")).to_be_visible()
        row = page.locator("#notice-list tbody tr").first
        expect(row).to_contain_text("Mức chuẩn mới")
        expect(row).to_contain_text("01/07/2024")
        expect(row).to_contain_text("Cán bộ tinh, 01/12/2026 06:30")
        fits(page)
    finally:
        province.close()
