"""``GET /health``: anyone may ask whether the server answers, its time and its protocol version."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.domain.journal import format_timestamp
from app.wire import constants
from server.api.deps import ClockDep
from server.api.schemas import HealthAnswer

router = APIRouter()


@router.get("/health", response_model=HealthAnswer)
def health(clock: ClockDep) -> dict[str, Any]:
    return {"status": "ok", "server_time": format_timestamp(clock()), "protocol": constants.PROTOCOL_VERSION}
