"""The console says what went wrong, in the page's language only: a bad amount, a bad date, a bad period, a flag
action the flag does not allow — never "not found" for what was merely mistyped. Over real HTTP, both databases."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from tests.builders.console import OfficerSession
from tests.builders.province import DUC_MONTHLY, Province
from tests.builders.store import DUC, HUE

ERROR = re.compile(r'<div class="error" role="alert"><strong>(.*?)</strong></div>', re.S)


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    running.add_officer("tinh")
    yield running
    running.close()


def officer(province: Province, lang: str) -> OfficerSession:
    session = OfficerSession(province.url)
    assert session.sign_in("tinh", "pw-tinh").status_code == 200
    session.get(f"/console/amend?record_code={HUE}&lang={lang}")  # the language sticks (cookie), the form's token too
    return session


def shown(response: requests.Response) -> str:
    """The error page's sentence."""
    found = ERROR.search(response.text)
    assert found, response.text
    return html.unescape(found.group(1))


def status_of(province: Province, record: str) -> str:
    with province.engine.connect() as conn:
        return str(conn.execute(text("SELECT status FROM people WHERE record_code = :r"), {"r": record}).scalar())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_bad_amount_and_a_bad_date_are_named_as_such_in_the_pages_language(province: Province, lang: str) -> None:
    session = officer(province, lang)
    amount = session.post("/console/amend", {"record_code": HUE, "action": "amount", "line_key": "x",
                                             "amount": "12,5", "reason": "sửa"})
    date = session.post("/console/amend", {"record_code": HUE, "action": "death", "date_of_death": "31/02/2026"})
    assert amount.status_code == 400 and date.status_code == 400
    if lang == "vi":
        assert shown(amount) == "Số tiền không hợp lệ: «12,5» (số đồng, ví dụ 2.789.000)"
        assert shown(date) == "Ngày không hợp lệ: «31/02/2026» (ngày/tháng/năm, ví dụ 05/12/2026)"
    else:
        assert shown(amount) == "Not a valid amount: “12,5” (whole đồng, e.g. 2.789.000)"
        assert shown(date) == "Not a valid date: “31/02/2026” (day/month/year, e.g. 05/12/2026)"
    for page in (amount.text, date.text):  # one language, and no "not found" for a typing mistake
        assert ("Not a valid" in page) == (lang == "en") and ("không hợp lệ" in page) == (lang == "vi")
        assert "Không tìm thấy" not in page and "Not found" not in page
    assert status_of(province, HUE) == "active"


def test_a_bad_period_and_a_refused_flag_action_say_what_happened(province: Province) -> None:
    first, second = province.device("a"), province.device("b")
    first.pay(DUC, [DUC_MONTHLY])
    second.pay(DUC, [DUC_MONTHLY])
    assert first.sync().ok and second.sync().ok
    flag_id = province.flags()[0]["flag_id"]
    session = officer(province, "vi")
    period = session.get("/console/progress?first=2026-13")
    assert period.status_code == 400 and shown(period) == "Kỳ không hợp lệ: «2026-13» (năm-tháng, ví dụ 2026-12)"
    session.get(f"/console/flags/{flag_id}")
    write_off = session.post(f"/console/flags/{flag_id}/resolve", {"outcome": "write_off", "write_off": "0",
                                                                   "reason": "thu hồi không được"})
    assert write_off.status_code == 400 and shown(write_off) == "Xóa nợ cần số tiền lớn hơn 0"
    approval = session.post(f"/console/flags/{flag_id}/approve", {"decision": "approve", "reason": "đồng ý"})
    assert approval.status_code == 400 and shown(approval) == "Cờ này không có gì chờ phê duyệt"
    missing = session.get("/console/flags/999999")
    assert missing.status_code == 404 and shown(missing) == "Không tìm thấy"
