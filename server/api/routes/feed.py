"""``GET /feed``: a page of the change feed for a device that may download (``docs/SYNC.md``, the change feed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from app.domain.journal import format_timestamp
from app.wire import codec, constants
from server import deadlines, feed
from server.api.deps import ClockDep, DownloadingDevice, EngineDep, SettingsDep
from server.api.schemas import ERRORS, MAX_INT, FeedAnswer

router = APIRouter()


@router.get("/feed", response_model=FeedAnswer, responses=ERRORS)
def changes(device: DownloadingDevice, engine: EngineDep, settings: SettingsDep, clock: ClockDep,
            after: int = Query(default=0, ge=0, le=MAX_INT),
            limit: int = Query(default=constants.FEED_PAGE_LIMIT, ge=1, le=1000)) -> dict[str, Any]:
    with engine.connect() as conn:
        items, more = feed.page(conn, device_id=device.device_id, communes=device.communes, after=after,
                                limit=min(limit, settings.feed_page_limit))
    next_cursor = items[-1]["change_id"] if items else after
    if items:  # what this device was sent, and when: did a commune's list reach it before the payout day?
        with engine.begin() as conn:
            deadlines.record_delivery(conn, device.device_id, next_cursor, clock())
    return {"items": items, "next_cursor": next_cursor, "more": more, "communes": device.communes,
            "server_time": format_timestamp(clock()), **codec.time_zone_to_feed(settings.time_zone)}
