"""``GET /device`` (what the server holds of this device) and ``POST /device/sealed-key`` (write-once).

Both need a device the province has not revoked; a device whose clock is off may still use them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter

from app.domain.journal import format_timestamp
from server import accounts, db
from server.api.deps import ActiveDevice, ClockDep, EngineDep, active_device, signed_body
from server.api.schemas import ERRORS, DeviceAnswer, SealedKeyRequest

router = APIRouter()


@router.post("/device/sealed-key", response_model=DeviceAnswer, responses=ERRORS)
def sealed_key(device: ActiveDevice,
               request_body: Annotated[SealedKeyRequest, signed_body(SealedKeyRequest, active_device)],
               engine: EngineDep, clock: ClockDep) -> dict[str, Any]:
    with db.transaction(engine) as conn:
        row = accounts.store_sealed_key(conn, device.device_id, request_body.sealed_key)
    return device_answer(row, clock())


@router.get("/device", response_model=DeviceAnswer, responses=ERRORS)
def device_status(device: ActiveDevice, clock: ClockDep) -> dict[str, Any]:
    return device_answer(device.row, clock())


def device_answer(row: Any, now: dt.datetime) -> dict[str, Any]:
    return {"device_id": row["device_id"], "status": row["status"], "communes": json.loads(row["communes"]),
            "last_seq": int(row["last_seq"]), "head_hash": row["head_hash"], "server_time": format_timestamp(now)}
