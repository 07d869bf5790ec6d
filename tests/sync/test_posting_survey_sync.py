"""Public-notice postings and survey counts travel desk → real HTTP server (SQLite and PostgreSQL), journalled only
once the server lists their kinds, survey counts only once their day is over, and nothing about who answered."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.domain.survey import Question
from app.sync.engine import SyncEngine
from server import postings, schema, survey
from tests.builders.province import DUC_MONTHLY, HUE_MONTHLY, Device, Province, later
from tests.builders.store import COMMUNE, DAY, DUC, HUE, POINT


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    yield running
    running.close()


def photo_file(folder: Path, size: tuple[int, int] = (2000, 1500)) -> Path:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG", quality=95)
    path = folder / "niem-yet.jpg"
    path.write_bytes(out.getvalue())
    return path


def record_posting(device: Device, folder: Path | None) -> None:
    device.store.postings.record(commune_code=COMMUNE, point_id=POINT, period="2026-12",
                                 posted_on=DAY - dt.timedelta(days=4), place="Bảng tin nhà văn hóa thôn Đông",
                                 officer_name="Lê Thị Cán Bộ", staff="giaodich",
                                 photo=photo_file(folder) if folder else None)


def answer(device: Device, **answers: str) -> None:
    device.store.survey.record(day=DAY, commune_code=COMMUNE, point_id=POINT, teller="giaodich", answers=answers)


def test_postings_and_survey_counts_reach_the_province_without_the_person(province: Province, tmp_path: Path) -> None:
    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])
    answer(device, on_time="yes", staff="5", officer="3")
    device.pay(HUE, [HUE_MONTHLY])
    answer(device, on_time="no", staff="2")
    record_posting(device, tmp_path)

    report = device.sync()
    assert report.ok and report.pending == 0
    assert province.entries(device) == device.journal()
    with province.engine.connect() as conn:
        [posted] = conn.execute(select(schema.public_postings)).mappings().all()
        rows = postings.month_postings(conn, "2026-12", None, 3)
    assert (posted["officer_name"], posted["place"], posted["photo_type"]) == (
        "Lê Thị Cán Bộ", "Bảng tin nhà văn hóa thôn Đông", "image/jpeg")
    assert posted["photo"][:3] == b"\xff\xd8\xff" and len(posted["photo"]) < 400 * 1024  # downscaled
    assert [(row.commune_code, row.payout_day, row.status, row.days_before) for row in rows] == [
        (COMMUNE, DAY, postings.IN_TIME, 4)]  # payout day from the first session (the list has no schedule)
    assert province.count("survey_answers") == 0  # the day is not over: the counts wait on the desk

    later(province.clock, 24 * 60)
    assert device.sync().ok
    with province.engine.connect() as conn:
        rows_by_answer = conn.execute(text(
            "SELECT question, answer, count, day, teller, commune_code, point_id FROM survey_answers "
            "ORDER BY question, answer")).all()
        payloads = [json.loads(bytes(p)) for p in conn.execute(text(
            "SELECT payload FROM entries WHERE kind = 'survey_answers'")).scalars()]
        communes, total = survey.month_survey(conn, "2026-12", None)
    assert [tuple(r[:3]) for r in rows_by_answer] == [
        ("officer", "3", 1), ("on_time", "no", 1), ("on_time", "yes", 1), ("staff", "2", 1), ("staff", "5", 1)]
    assert {tuple(r[3:]) for r in rows_by_answer} == {(DAY.isoformat(), "giaodich", COMMUNE, POINT)}
    [payload] = payloads
    assert set(payload["body"]) == {"day", "commune_code", "point_id", "teller", "counts"}  # no person, no payment
    assert DUC not in json.dumps(payload) and HUE not in json.dumps(payload)
    assert payload["recorded_at"] >= "2026-12-06"  # journalled the day after: its time says nothing about an answer
    on_time = total.of(Question.ON_TIME)
    assert (on_time.good, on_time.answers) == (1, 2) and [r.commune_code for r in communes] == [COMMUNE]
    assert device.store.survey.pending() == []


def test_a_server_that_does_not_list_the_kinds_gets_the_payments_and_the_rest_waits(province: Province) -> None:
    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])
    record_posting(device, None)
    client = device.client()

    def old_health() -> dict[str, Any]:
        return {"status": "ok", "server_time": "2026-12-05T08:30:00.000000Z", "protocol": 1}

    client.health = old_health  # type: ignore[method-assign]
    report = SyncEngine(device.store, client, sleep=lambda _s: None).run()
    assert report.ok and report.uploaded == 2  # the session and the payment: nothing else was journalled
    assert device.store.postings.pending_count() == 1
    assert province.count("public_postings") == 0

    assert device.sync().ok  # the server updated: it lists the kinds, the posting goes
    assert device.store.postings.pending_count() == 0 and province.count("public_postings") == 1
