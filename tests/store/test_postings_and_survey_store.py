"""The desk's posting records and survey counts: every photo and field checked before anything is kept, and survey
answers kept only as counts, journalled a day at a time once the day is over."""

from __future__ import annotations

import datetime as dt
import json
import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.errors import BadInputError
from app.domain.posting import PostingError
from app.store import journal
from app.store.store import Store
from tests.builders.store import COMMUNE, DAY, POINT, Clock


def png_header(width: int, height: int) -> bytes:
    """The first bytes of a PNG of ``width`` × ``height`` (no pixels: a decoder that reads on would fail)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def keep(store: Store, photo: Path | None = None, posted_on: dt.date = DAY) -> object:
    return store.postings.record(commune_code=COMMUNE, point_id=POINT, period="2026-12", posted_on=posted_on,
                                 place="Nhà văn hóa", officer_name="Lê Thị Cán Bộ", staff="giaodich", photo=photo)


BAD_PHOTOS = [
    ("so-do.png", "bomb", "photo_unreadable"),  # a PNG that says 400 megapixels: refused unread
    ("anh.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "photo_unreadable"),
    ("ghi-chu.jpg", b"%PDF-1.7 a pdf named .jpg", "photo_not_image"),
    ("video.jpg", "huge", "photo_too_large"),  # 16 MB: refused before it is read
]


def test_a_bad_photo_is_refused_in_words_and_nothing_is_kept(store: Store, tmp_path: Path) -> None:
    for name, content, code in BAD_PHOTOS:
        path = tmp_path / name
        if content == "bomb":
            path.write_bytes(png_header(20000, 20000))
        elif content == "huge":
            with path.open("wb") as handle:
                handle.truncate(16 * 1024 * 1024)
        else:
            assert isinstance(content, bytes)
            path.write_bytes(content)
        with pytest.raises(PostingError) as refused:
            keep(store, path)
        assert refused.value.code == code
        assert (name in refused.value.message("vi")) is (code != "photo_too_large")
        assert store.postings.pending_count() == 0
    with pytest.raises(PostingError) as refused:
        keep(store, posted_on=DAY + dt.timedelta(days=1))
    assert refused.value.code == "posting_day_in_future"


def test_answers_are_counts_journalled_once_their_day_is_over(store: Store, clock: Clock) -> None:
    for answers in ({"on_time": "yes", "staff": "5"}, {"on_time": "yes", "officer": "2"}):
        store.survey.record(day=DAY, commune_code=COMMUNE, point_id=POINT, teller="giaodich", answers=answers)
    with pytest.raises(BadInputError):
        store.survey.record(day=DAY, commune_code=COMMUNE, point_id=POINT, teller="giaodich",
                            answers={"on_time": "maybe"})
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM survey_tallies")).scalar() == 3  # no row per person
    kinds = ["survey_answers"]
    assert store.survey.journal_pending(kinds) == 0  # today: waits
    clock.now = clock.now + dt.timedelta(days=1)
    assert store.survey.journal_pending([]) == 0  # a server that does not list the kind: waits
    assert store.survey.journal_pending(kinds) == 1
    with store.engine.connect() as conn:
        [payload] = [json.loads(bytes(p)) for p in conn.execute(
            text("SELECT payload FROM journal WHERE kind = 'survey_answers'")).scalars()]
        assert conn.execute(text("SELECT count(*) FROM survey_tallies")).scalar() == 0
    assert payload["body"]["counts"] == {"officer": {"2": 1}, "on_time": {"yes": 2}, "staff": {"5": 1}}
    with store.engine.connect() as conn:
        assert journal.verify(conn).ok  # chained, with its outbox row
