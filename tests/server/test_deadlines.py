"""The month's deadlines over real HTTP on SQLite and PostgreSQL, and in ``payout-server report``: a commune whose
device had the list before its first payout day but missed a payout day and left a session open, and a commune no
device serves, against the Department's calendar (list by 25/11, report by 20/12 for December)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.model import ScheduleSlot
from server import cli, db, reporting
from tests.builders.console import OfficerSession
from tests.builders.province import DUC_MONTHLY, Province
from tests.builders.store import DUC, POINT, Clock, parsed_list

UTC = dt.UTC


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    """December's list imported on 24/11 with two payout days at the commune's point (05/12 and 10/12, 07:30), a
    device "a" that syncs that day; a second commune (Xã Khác) no device serves; on 05/12 the device pays one person
    (the session stays open) and syncs; "now" is 11/12, 10:00 Vietnam time."""
    clock = Clock(at(24, 3, month=11))
    slots = tuple(ScheduleSlot(POINT, dt.date(2026, 12, day), dt.time(7, 30), dt.time(11, 0)) for day in (5, 10))
    running = Province(database_url, tmp_path, clock=clock,
                       first_list=dataclasses.replace(parsed_list(), schedule=slots))
    running.add_officer("tinh")
    device = running.device("a")
    running.add_other_commune()
    clock.now = at(5, 1)  # 08:00 on 05/12 in Vietnam
    device.pay(DUC, [DUC_MONTHLY])
    assert device.sync().ok
    clock.now = at(11, 3)
    yield running
    running.close()


def cells(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)][1:]


def counts(html: str) -> dict[str, str]:
    section = html.split('id="deadlines-so_noi_vu"', 1)[1].split("</section>", 1)[0]
    return dict(re.findall(r'data-count="(\w+)">([^<]+)<', section))


def test_the_months_deadlines_name_the_late_communes_and_whom_to_call(
        province: Province, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    officer = OfficerSession(province.url)
    officer.sign_in("tinh", "pw-tinh")
    page = officer.get("/console/deadlines?period=2026-12")
    assert page.status_code == 200
    html = page.text
    assert "Hạn chót — Kỳ 12/2026" in html
    assert "25/11/2026" in html and "20/12/2026" in html  # TT 44/2022: list by the 25th of M−1, report by the 20th
    assert "chưa đến hạn, chưa chốt" in html
    assert counts(html) == {"list": "1/2", "days": "1/2", "sessions": "0/1", "devices": "1/1"}
    rows = cells(html, "late-so_noi_vu")
    assert rows[0][:2] == ["Xã Khác", "danh sách chưa đến thiết bị trước ngày chi đầu tiên"]
    assert rows[0][2] == "không có thiết bị nào phục vụ xã"
    commune, problems, label, teller, last_sync, received = rows[1]
    assert commune == "Xã Yên Đức"
    assert problems == "có ngày chi theo lịch không mở phiên; có phiên chưa đóng sau ngày chi"
    assert (label, teller) == ("a", "Nguyễn Thị Giao Dịch")
    assert last_sync == "05/12/2026 08:00"  # the province's clock: 01:00 UTC
    assert received == "24/11/2026 10:00"
    assert "Mọi thời gian trên trang theo giờ Việt Nam" in html

    progress = officer.get("/console/progress?first=2026-12&last=2026-12").text
    card = progress.split('id="deadlines-card-so_noi_vu"', 1)[1].split("</div>\n</div>", 1)[0]
    assert dict(re.findall(r'data-count="(\w+)">([^<]+)<', card)) == {
        "list": "1/2", "days": "1/2", "sessions": "0/1", "devices": "1/1", "late": "2"}

    with db.transaction(province.engine) as conn:
        reporting.record(conn, "2026-12", "so_noi_vu", reporting.FINAL, "tinh", "", at(19, 9))
    html = officer.get("/console/deadlines?period=2026-12&agency=so_noi_vu").text
    assert "đã chốt báo cáo đúng hạn" in html and "chốt lúc 19/12/2026 16:00" in html
    english = officer.get("/console/deadlines?period=2026-12&lang=en").text
    assert "report marked final in time" in english and "Every time on this page is Vietnam time" in english


    settings = province.settings  # the command line prints the same check after writing the report
    status = cli.main(["--data", str(settings.data_dir), "--db", settings.database_url, "report",
                       "--period", "2026-12", "--out", str(tmp_path / "report.pdf")])
    out = capsys.readouterr().out
    assert status == 0
    assert "Hạn chót / deadlines — Sở Nội vụ, kỳ 12/2026 (giờ Việt Nam)" in out
    assert "Báo cáo trước / report by: 20/12/2026 — đã chốt / marked final 19/12/2026 16:00 [ready]" in out
    assert "Xã nhận danh sách kịp / communes with the list in time: 1/2" in out
    assert "  - Xã Khác: danh sách chưa đến thiết bị trước ngày chi đầu tiên" in out
    assert "      a — Nguyễn Thị Giao Dịch — đồng bộ lần cuối / last sync: 05/12/2026 08:00" in out


def test_the_clock_is_named_where_a_time_could_be_read_on_another() -> None:
    from app.domain.clock import ProvinceTime
    from server.web import i18n

    assert i18n.clock_name(ProvinceTime(), "vi") == "giờ Việt Nam"
    assert i18n.clock_name(ProvinceTime(), "en") == "Vietnam time"
    assert i18n.clock_name(ProvinceTime("Asia/Tokyo"), "vi") == "Asia/Tokyo (UTC+09:00)"
    moment = "2026-11-30T23:30:00.000000Z"
    assert i18n.day(moment) == "01/12/2026 06:30"
    assert i18n.day(moment, ProvinceTime("Asia/Tokyo")) == "01/12/2026 08:30"
    assert i18n.day("2026-12-01") == "01/12/2026"  # a calendar date is shown as it is
