"""The record that a payout's public notice was posted: where, when, by whom — the pilot's third failure.

TT 44/2022 and the pilot ask that the time, place, procedure and list of a payout be posted publicly in the commune
before the payout day. The desk prints the notice; this records that it went up (the commune officer who posted it,
the place, the day, optionally a photo), journalled as a ``public_posting`` entry so the province can see which
communes posted in time (``posted_in_time``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.errors import BadInputError

MAX_PLACE = 200
MAX_NAME = 120
MAX_PHOTO_FILE = 15 * 1024 * 1024
"""A photo file larger than this is refused before it is read (a phone's photo is 2–8 MB)."""
MAX_PHOTO_STORED = 400 * 1024
"""A stored photo (downscaled JPEG) is at most this; larger is refused on the desk and by the server."""
PHOTO_SIDE = 1280
"""Photos are stored downscaled to fit this many pixels on their longer side."""
DEFAULT_DAYS_BEFORE = 3
"""The notice must be up at least this many days before the payout day (a server setting)."""
JPEG = "image/jpeg"
PNG = "image/png"


class PostingError(BadInputError):
    """A posting record (or its photo) that cannot be kept: said in words (``app.domain.messages``), nothing kept."""


def image_type(data: bytes) -> str | None:
    """``image/jpeg`` or ``image/png`` when the bytes start like one (the decoder checks the rest), else None."""
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    return None


@dataclass(frozen=True, slots=True)
class Posting:
    """One posting of a notice, as recorded on the desk."""

    posting_id: str
    commune_code: str
    point_id: str
    period: str
    posted_on: dt.date
    place: str
    officer_name: str
    recorded_by: str
    photo_digest: str | None = None
    photo_type: str | None = None

    def checked(self) -> Posting:
        """The same posting with its texts trimmed; ``PostingError`` when a required one is empty or too long."""
        place, officer = " ".join(self.place.split()), " ".join(self.officer_name.split())
        if not place:
            raise PostingError("posting_place_missing")
        if not officer:
            raise PostingError("posting_officer_missing")
        if len(place) > MAX_PLACE or len(officer) > MAX_NAME:
            raise PostingError("posting_text_too_long", limit=str(max(MAX_PLACE, MAX_NAME)))
        return Posting(self.posting_id, self.commune_code, self.point_id, self.period, self.posted_on, place, officer,
                       self.recorded_by, self.photo_digest, self.photo_type)


def posting_body(posting: Posting) -> dict[str, Any]:
    """The ``public_posting`` entry's body; the photo itself travels beside the entry (its digest is here)."""
    return {
        "posting_id": posting.posting_id,
        "commune_code": posting.commune_code,
        "point_id": posting.point_id,
        "period": posting.period,
        "posted_on": posting.posted_on.isoformat(),
        "place": posting.place,
        "officer_name": posting.officer_name,
        "photo_digest": posting.photo_digest,
        "photo_type": posting.photo_type,
    }


def posting_from_body(body: Mapping[str, Any], recorded_by: str) -> Posting:
    """A posting read back from an entry's body (``PostingError`` when it is not one)."""
    try:
        posting = Posting(
            str(body["posting_id"])[:64], str(body["commune_code"])[:32], str(body["point_id"])[:200],
            str(body["period"])[:7], dt.date.fromisoformat(str(body["posted_on"])), str(body["place"]),
            str(body["officer_name"]), recorded_by[:64],
            str(body["photo_digest"])[:64] if body.get("photo_digest") else None,
            str(body["photo_type"])[:16] if body.get("photo_type") else None,
        )
    except (KeyError, TypeError, ValueError):
        raise PostingError("posting_unreadable") from None
    return posting.checked()


def photo_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def days_before(posted_on: dt.date, payout_day: dt.date) -> int:
    """How many days before the payout day the notice went up (negative: after)."""
    return (payout_day - posted_on).days


def posted_in_time(posted_on: dt.date, payout_day: dt.date, days: int = DEFAULT_DAYS_BEFORE) -> bool:
    return days_before(posted_on, payout_day) >= days
