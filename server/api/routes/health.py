"""``GET /health``: anyone may ask whether the server answers, its time, its protocol version, and
the optional journal entry kinds it stores (a device journals a public-notice posting or survey counts only once its
server lists them)."""

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
    return {"status": "ok", "server_time": format_timestamp(clock()), "protocol": constants.PROTOCOL_VERSION,
            "entry_kinds": list(constants.OPTIONAL_ENTRY_KINDS)}
