"""A list uploaded in the console is read by a worker process: the server keeps answering and keeps its memory,
hostile files are refused with the reader's words, warnings are shown — the real server process, both databases.

Before, the upload was read inside the server: a 100 MB cell in a 100 KB .xlsx held the API for seconds (the health
call took 4.5 s) and raised the server's memory past a gigabyte.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from server import db
from tests.builders.console import OfficerSession
from tests.builders.hostile_lists import cell_bomb, with_external_link
from tests.builders.server_process import HealthWatch, ServerProcess


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    running = ServerProcess(tmp_path / "server", database_url)
    try:
        yield running
    finally:
        running.stop()


def _month_with_a_zero_amount(path: Path) -> Path:
    """A demo month of 20 communes (about 1,800 lines: the worker takes a moment), one line of it at 0 đồng."""
    from app.lists.demo import DemoSpec, generate_demo_rows
    from app.lists.writer import write_list_csv

    rows = generate_demo_rows(DemoSpec(communes=20))
    rows[4]["amount"] = 0  # Trần Thị Lành's monthly allowance
    write_list_csv(path, rows, payout_period="2026-12")
    return path


def test_uploads_run_in_a_worker_while_the_server_keeps_answering(server: ServerProcess, tmp_path: Path) -> None:
    tinh = OfficerSession(server.url)
    assert tinh.sign_in("tinh", "pw-tinh").status_code == 200
    bomb = cell_bomb(tmp_path / "danh-sach.xlsx", 100)
    assert bomb.stat().st_size < 200_000
    month = _month_with_a_zero_amount(tmp_path / "thang-12.csv")
    with HealthWatch(server.url) as health:
        tinh.get("/console/lists")
        refused = tinh.upload_list(bomb)
        tinh.get("/console/lists")
        linked = tinh.upload_list(with_external_link(tmp_path / "lien-ket.xlsx"))
        tinh.get("/console/lists")
        with open(month, "rb") as handle:
            started = tinh.post("/console/lists", files={"file": (month.name, handle)})
        assert started.status_code == 303 and "/console/lists/jobs/" in started.headers["location"]
        running = tinh.get(started.headers["location"])
        second = tinh.post("/console/lists", files={"file": ("khac.xlsx", b"PK")})
        accepted = running
        deadline = time.monotonic() + 120
        while 'http-equiv="refresh"' in accepted.text and time.monotonic() < deadline:
            time.sleep(0.1)
            accepted = tinh.get(started.headers["location"])
    assert refused.status_code == 400 and "bom zip" in refused.text and "list-errors" in refused.text
    assert linked.status_code == 400 and "liên kết tới tệp" in linked.text
    # while the month is read: the page shows progress, refreshing itself without script; a second upload waits
    assert 'http-equiv="refresh"' in running.text and "list-progress" in running.text
    assert not re.search(r"<script(?![^>]*\bsrc=)|\son[a-z]+=", running.text)  # no inline script (the CSP)
    assert second.status_code == 409 and "Đang nhập một danh sách khác" in second.text
    assert accepted.status_code == 200 and "list-result" in accepted.text and "list-warnings" in accepted.text
    assert "Danh sách được nhập, với 1 cảnh báo:" in accepted.text
    assert "cột «Số tiền (đồng)»: không thể chi như danh sách ghi: số tiền bằng 0" in accepted.text
    # the list reconciled with itself: its total = cash per point + accounts + the zero line, named by person
    assert "list-reconciliation" in accepted.text and "Đối chiếu danh sách: tổng" in accepted.text
    assert "Tiền mặt tại" in accepted.text and "Không chi được theo danh sách:" in accepted.text
    assert "1.769 khoản" in accepted.text and ", 0 ₫: Khoản này có số tiền bằng 0" in accepted.text
    assert not health.failures and len(health.times) >= 10
    assert max(health.times) < 1.0, sorted(health.times)[-5:]  # the worker reads; the server only answers
    assert server.peak_rss_mb() < 300  # the 100 MB cell never entered the server process
    assert tinh.get("/console/lists/jobs/khong-co").status_code == 404
    engine = db.make_engine(server.settings.database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM list_imports")).scalar() == 1
            actions = conn.execute(text("SELECT username, action, target FROM audit_log WHERE action = 'list_import'"))
            assert [tuple(row) for row in actions] == [("tinh", "list_import", "thang-12.csv")]
    finally:
        engine.dispose()


def test_a_list_file_above_the_api_body_limit_reaches_the_reader_and_other_forms_stay_bounded(
        server: ServerProcess, tmp_path: Path) -> None:
    """A province's list may be larger than any API call (16 MB): the upload form has the list reader's own bound;
    every other form keeps the API's, and its refusal is a page in words, not the API's JSON."""
    from app.wire import constants

    tinh = OfficerSession(server.url)
    assert tinh.sign_in("tinh", "pw-tinh").status_code == 200
    big = tmp_path / "ca-tinh.csv"
    big.write_bytes(b"x" * (constants.MAX_REQUEST_BYTES + 2 * 1024 * 1024))
    read = tinh.upload_list(big)
    assert read.status_code in (200, 400) and "list-errors" in read.text, read.text[-400:]  # the reader judged it
    too_big = tinh.post("/console/amend", {"reason": "y" * (constants.MAX_REQUEST_BYTES + 1)})
    assert too_big.status_code == 413 and "quá lớn (tối đa 16 MB)" in too_big.text
    assert "too_large" not in too_big.text
