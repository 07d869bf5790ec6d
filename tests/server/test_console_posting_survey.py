"""The console's "Niêm yết công khai" and "Khảo sát hài lòng" pages in headless Chromium at 1366×768, fed by a real
device syncing over HTTP: the commune missing its notice is listed, the photo opens, the survey's share is shown with
its 95 % interval in the pilot's form, and no share below the minimum number of answers."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.builders.province import DUC_MONTHLY, Province, later
from tests.builders.store import COMMUNE, DAY, DUC, POINT


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Province]:
    """On SQLite only: the pages' queries run on PostgreSQL in tests/sync/test_posting_survey_sync.py."""
    running = Province(f"sqlite:///{tmp_path}/server.db", tmp_path)
    running.add_other_commune()
    running.add_officer("tinh")
    yield running
    running.close()


def photo(folder: Path) -> Path:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 140, 60)).save(out, "JPEG")
    path = folder / "anh.jpg"
    path.write_bytes(out.getvalue())
    return path


def test_postings_and_survey_pages(browser: Browser, province: Province, tmp_path: Path) -> None:
    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])  # the first session: the payout day, 05/12/2026
    device.store.postings.record(commune_code=COMMUNE, point_id=POINT, period="2026-12",
                                 posted_on=DAY - dt.timedelta(days=3), place="Bảng tin nhà văn hóa thôn Đông",
                                 officer_name="Lê Thị Cán Bộ", staff="giaodich", photo=photo(tmp_path))
    for number in range(36):  # 35 of 36 say on time; 36 rate the staff; only 10 answer about the officer
        answers = {"on_time": "yes" if number else "no", "staff": "4"}
        if number < 10:
            answers["officer"] = "5"
        device.store.survey.record(day=DAY, commune_code=COMMUNE, point_id=POINT, teller="giaodich", answers=answers)
    later(province.clock, 24 * 60)
    assert device.sync().ok

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page: Page = context.new_page()
    try:
        page.goto(f"{province.url}/console/signin")
        page.fill("#username", "tinh")
        page.fill("#password", "pw-tinh")
        page.click("button[type=submit]")
        expect(page).to_have_url(f"{province.url}/console/progress")

        page.click("header >> text=Niêm yết công khai")
        expect(page.locator("h1")).to_contain_text("Niêm yết công khai — Kỳ 12/2026")
        expect(page.locator("#posting-rule")).to_contain_text("ít nhất 3 ngày trước ngày chi trả")
        missing = page.locator("#missing-postings li")
        expect(missing).to_have_count(1)
        expect(missing.first).to_contain_text("Xã Khác — chưa có bản ghi niêm yết")
        row = page.locator(f"#posting-list tr[data-commune='{COMMUNE}']")
        expect(row).to_contain_text("05/12/2026")
        expect(row).to_contain_text("ngày mở phiên đầu tiên")
        expect(row).to_contain_text("02/12/2026")
        expect(row).to_contain_text("3 ngày trước ngày chi trả")
        expect(row).to_contain_text("Lê Thị Cán Bộ")
        expect(row).to_contain_text("Đúng hạn")
        href = row.locator("a.photo-link").get_attribute("href")
        assert href
        image = page.request.get(f"{province.url}{href}")
        assert image.ok and image.headers["content-type"] == "image/jpeg" and image.body()[:3] == b"\xff\xd8\xff"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366

        page.click("header >> text=Khảo sát hài lòng")
        expect(page.locator("h1")).to_contain_text("Khảo sát hài lòng — Kỳ 12/2026")
        cells = page.locator(f"#survey-list tr[data-commune='{COMMUNE}'] td")
        expect(cells.nth(1)).to_contain_text("97,2 % đánh giá đúng thời gian")
        expect(cells.nth(1)).to_contain_text("khoảng tin cậy 95 %: 85,8 % – 99,5 %")
        expect(cells.nth(1)).to_contain_text("36 câu trả lời")
        expect(cells.nth(2)).to_contain_text("100,0 % đánh giá thái độ nhân viên từ bình thường trở lên")
        expect(cells.nth(3)).to_contain_text("Chưa đủ 30 câu trả lời")
        expect(cells.nth(3)).not_to_contain_text("%")
        expect(page.locator("#survey-total")).to_contain_text("Toàn tỉnh")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        page.goto(f"{province.url}/console/survey?lang=en")  # English words and number formats
        expect(cells.nth(1)).to_contain_text("97.2 % said the payment was on time")
        expect(cells.nth(1)).to_contain_text("95 % interval: 85.8 % – 99.5 %")
        expect(cells.nth(3)).to_contain_text("Fewer than 30 answers")
    finally:
        context.close()


def test_the_payout_day_is_the_schedules_earliest_day_of_the_month() -> None:
    from server.postings import IN_TIME, LATE, MISSING, NOT_JUDGED, PostingOnFile, scheduled_day, verdict

    places = ('{"schedule": [{"point_id": "a", "day": "2026-12-09"}, {"point_id": "b", "day": "2026-12-07"}, '
              '{"point_id": "a", "day": "2027-01-06"}]}')
    assert scheduled_day(places, "2026-12") == dt.date(2026, 12, 7)
    assert scheduled_day(places, "2026-11") is None and scheduled_day("not json", "2026-12") is None
    posted = (PostingOnFile("e", "a", dt.date(2026, 12, 4), "UBND", "Lê", "giaodich", "", False),)
    assert verdict(posted, dt.date(2026, 12, 7), 3) == IN_TIME
    assert verdict(posted, dt.date(2026, 12, 6), 3) == LATE
    assert verdict(posted, None, 3) == NOT_JUDGED and verdict((), dt.date(2026, 12, 7), 3) == MISSING
