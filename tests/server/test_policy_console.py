"""The policy page's rules over real HTTP on SQLite and PostgreSQL: who may correct an explanation or publish and
withdraw a notice (an officer of the whole province, or of the regime's agency), bounded input, CSRF, the audit log,
and the append-only tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from server import accounts, db
from tests.builders.console import OfficerSession
from tests.builders.province import Province
from tests.builders.store import COMMUNE


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    running.add_officer("tinh")
    running.add_officer("xa", communes=[COMMUNE])
    with db.transaction(running.engine) as conn:
        accounts.add_user(conn, "bhxh", "Cán bộ BHXH", "officer", "pw-bhxh", ["*"], running.clock(), "bhxh")
    yield running
    running.close()


def session(province: Province, username: str) -> OfficerSession:
    officer = OfficerSession(province.url)
    officer.sign_in(username, f"pw-{username}")
    officer.get("/console/policy")
    return officer


def test_who_may_speak_for_a_regimes_policy_and_what_is_kept(province: Province) -> None:
    explanation = {"regime": "monthly", "text": "Giải thích mới.", "text_en": "", "reason": ""}
    notice = {"title": "Thông báo", "body": "Nội dung.", "effective_from": "01/07/2026", "regime": "", "agency": ""}
    commune_officer, bhxh, province_officer = (session(province, name) for name in ("xa", "bhxh", "tinh"))
    assert "Sửa giải thích" not in commune_officer.get("/console/policy").text
    assert commune_officer.post("/console/policy/explanation", explanation).status_code == 403
    assert commune_officer.post("/console/policy/notices", notice).status_code == 403
    assert bhxh.post("/console/policy/explanation", explanation).status_code == 403  # the Department's regime
    assert bhxh.post("/console/policy/notices", {**notice, "agency": "so_noi_vu"}).status_code == 403
    assert bhxh.post("/console/policy/notices", notice).status_code == 303  # BHXH's own notice
    assert province_officer.post("/console/policy/explanation", explanation, csrf=False).status_code == 403
    too_long = province_officer.post("/console/policy/notices", {**notice, "title": "x" * 151})
    assert too_long.status_code == 400 and "Tiêu đề quá dài" in too_long.text
    assert province_officer.post("/console/policy/notices", {**notice, "effective_from": "31/02/2026"}) \
        .status_code == 400
    assert province_officer.post("/console/policy/explanation", explanation).status_code == 303
    assert province_officer.post("/console/policy/explanation", {**explanation, "text": "Bản thứ hai."}) \
        .status_code == 303
    page = province_officer.get("/console/policy").text
    assert "Bản thứ hai." in page and "Giải thích mới." not in page.split('id="regime-monthly"')[1].split("</tr>")[0] \
        .split("<details")[0]
    with province.engine.connect() as conn:
        notice_id = conn.execute(text("SELECT notice_id FROM policy_notices")).scalar_one()
        kinds = conn.execute(text("SELECT kind FROM changes WHERE kind LIKE 'policy%' ORDER BY change_id")).scalars()
        assert list(kinds) == ["policy_notice", "policy_text", "policy_text"]
    assert province_officer.post(f"/console/policy/notices/{notice_id}/withdraw", {"reason": "sai"}) \
        .status_code == 303
    assert province_officer.post(f"/console/policy/notices/{notice_id}/withdraw", {"reason": "lần hai"}) \
        .status_code == 400
    assert province_officer.post("/console/policy/notices/999/withdraw", {"reason": "x"}).status_code == 404
    audit = province_officer.get("/console/audit").text
    assert audit.count("Sửa giải thích chế độ") == 2 and "Thu hồi thông báo chính sách" in audit
    for table in ("policy_texts", "policy_notices", "policy_notice_withdrawals"):
        with pytest.raises(Exception, match="append-only"), db.transaction(province.engine) as conn:
            conn.execute(text(f"DELETE FROM {table}"))
