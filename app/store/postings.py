"""Records that a payout's public notice was posted (``app.domain.posting``), kept on the desk until journalled.

A record is written at once (with its downscaled photo) and journalled as a ``public_posting`` entry at sync time,
once the province server has said it accepts that kind (``journal_pending``): an older server refuses a whole upload
holding a kind it does not know, so the entry is never written into the chain before the server can take it.

The photo is read from a file the teller chose: its size is checked before it is read, its first bytes must be a JPEG
or PNG signature, it must decode (bounded pixels: no decompression bomb), and it is stored re-encoded as a JPEG of at
most ``PHOTO_SIDE`` pixels on its longer side (no EXIF: no GPS position or camera serial travels on).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from app.domain.journal import format_timestamp
from app.domain.model import EntryKind
from app.domain.posting import (
    JPEG,
    MAX_PHOTO_FILE,
    MAX_PHOTO_STORED,
    PHOTO_SIDE,
    Posting,
    PostingError,
    image_type,
    photo_digest,
    posting_body,
)
from app.store import database, journal

if TYPE_CHECKING:
    from app.store.store import Store

MAX_PIXELS = 50_000_000
"""A photo with more pixels than this is refused unread (a 48-megapixel phone photo still fits)."""


@dataclass(frozen=True, slots=True)
class StoredPosting:
    """A posting as the desk keeps it: the record, whether it has a photo, and whether it was journalled."""

    posting: Posting
    recorded_at: str
    has_photo: bool
    journalled: bool


def prepare_photo(data: bytes, name: str) -> bytes:
    """The photo to keep: checked as a real JPEG or PNG and re-encoded as a downscaled JPEG (``PostingError`` with
    words otherwise)."""
    if len(data) > MAX_PHOTO_FILE:
        raise PostingError("photo_too_large", size=f"{len(data) / 1e6:.1f}", limit=str(MAX_PHOTO_FILE // 2**20))
    if image_type(data) is None:
        raise PostingError("photo_not_image", name=name)
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # a huge image is refused, not decoded
            with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PostingError("photo_unreadable", name=name)
                image.draft("RGB", (PHOTO_SIDE, PHOTO_SIDE))  # JPEG: decode at a smaller scale straight away
                picture = ImageOps.exif_transpose(image).convert("RGB")
    except PostingError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PostingError("photo_unreadable", name=name) from None
    for side, quality in ((PHOTO_SIDE, 80), (960, 65), (720, 55)):
        picture.thumbnail((side, side))
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= MAX_PHOTO_STORED:
            return out.getvalue()
    raise PostingError("photo_unreadable", name=name)


def read_photo(path: Path) -> bytes:
    """The photo file's bytes, its size checked before reading it."""
    size = path.stat().st_size
    if size > MAX_PHOTO_FILE:
        raise PostingError("photo_too_large", size=f"{size / 1e6:.1f}", limit=str(MAX_PHOTO_FILE // 2**20))
    with path.open("rb") as handle:
        return handle.read(MAX_PHOTO_FILE + 1)


class PostingService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, *, commune_code: str, point_id: str, period: str, posted_on: dt.date, place: str,
               officer_name: str, staff: str, photo: Path | None = None) -> StoredPosting:
        """Keep one posting (and its photo). Everything is checked before anything is written: a bad photo or an
        empty field is refused with words and nothing is kept."""
        today = self.store.province_time.day_of(self.store.clock())
        if posted_on > today:
            raise PostingError("posting_day_in_future", day=posted_on.strftime("%d/%m/%Y"))
        picture: bytes | None = None
        if photo is not None:
            try:
                picture = prepare_photo(read_photo(photo), photo.name)
            except OSError:
                raise PostingError("photo_unreadable", name=photo.name) from None
        posting = Posting(str(uuid.uuid4()), commune_code, point_id, period, posted_on, place, officer_name, staff,
                          photo_digest(picture) if picture else None, JPEG if picture else None).checked()
        at = format_timestamp(self.store.clock())
        with database.write(self.store.engine) as conn:
            conn.execute(text(
                "INSERT INTO public_postings (posting_id, commune_code, point_id, period, posted_on, place, "
                "officer_name, recorded_by, recorded_at, photo, photo_type, photo_digest) VALUES (:id, :commune, "
                ":point, :period, :on, :place, :officer, :by, :at, :photo, :type, :digest)"),
                {"id": posting.posting_id, "commune": commune_code, "point": point_id, "period": period,
                 "on": posted_on.isoformat(), "place": posting.place, "officer": posting.officer_name, "by": staff,
                 "at": at, "photo": picture, "type": posting.photo_type, "digest": posting.photo_digest})
        return StoredPosting(posting, at, picture is not None, False)

    def of_point(self, point_id: str, period: str) -> list[StoredPosting]:
        """The postings recorded for a point and month, oldest first."""
        with database.read(self.store.engine) as conn:
            rows = conn.execute(text(
                "SELECT posting_id, commune_code, point_id, period, posted_on, place, officer_name, recorded_by, "
                "photo_digest, photo_type, recorded_at, photo IS NOT NULL, entry_id IS NOT NULL FROM public_postings "
                "WHERE point_id = :point AND period = :period ORDER BY recorded_at"),
                {"point": point_id, "period": period}).all()
        return [StoredPosting(Posting(r[0], r[1], r[2], r[3], dt.date.fromisoformat(r[4]), r[5], r[6], r[7], r[8],
                                      r[9]), r[10], bool(r[11]), bool(r[12])) for r in rows]

    def pending_count(self) -> int:
        with database.read(self.store.engine) as conn:
            return int(conn.execute(text("SELECT count(*) FROM public_postings WHERE entry_id IS NULL")).scalar() or 0)

    def journal_pending(self, accepted_kinds: Collection[str]) -> int:
        """Journal every posting not yet journalled, if the server accepts the kind; the number journalled."""
        if EntryKind.PUBLIC_POSTING.value not in accepted_kinds:
            return 0
        with database.write(self.store.engine) as conn:
            return journal_postings(conn, self.store.device_id, self.store.clock())


def journal_postings(conn: Connection, device_id: str, now: dt.datetime) -> int:
    rows = conn.execute(text(
        "SELECT posting_id, commune_code, point_id, period, posted_on, place, officer_name, recorded_by, "
        "photo_digest, photo_type FROM public_postings WHERE entry_id IS NULL ORDER BY recorded_at, posting_id")).all()
    for r in rows:
        posting = Posting(r[0], r[1], r[2], r[3], dt.date.fromisoformat(r[4]), r[5], r[6], r[7], r[8], r[9])
        entry = journal.append(conn, device_id=device_id, kind=EntryKind.PUBLIC_POSTING, staff=posting.recorded_by,
                               body=posting_body(posting), recorded_at=now)
        conn.execute(text("UPDATE public_postings SET entry_id = :entry WHERE posting_id = :id"),
                     {"entry": entry.entry_id, "id": posting.posting_id})
    return len(rows)
