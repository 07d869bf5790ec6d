"""``POST /auth/token``: a staff member signs in on a device (that may download) for a short-lived token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from app.domain.journal import format_timestamp
from server import accounts
from server.api.deps import ClockDep, DownloadingDevice, EngineDep, SettingsDep, downloading_device, signed_body
from server.api.schemas import ERRORS, TokenAnswer, TokenRequest

router = APIRouter()


@router.post("/auth/token", response_model=TokenAnswer, responses=ERRORS)
def token(device: DownloadingDevice,
          request_body: Annotated[TokenRequest, signed_body(TokenRequest, downloading_device)],
          engine: EngineDep, settings: SettingsDep, clock: ClockDep) -> dict[str, Any]:
    issued = accounts.token_for_device(engine, request_body.username, request_body.password, device.device_id,
                                       device.communes, clock(), settings.token_minutes, settings.sign_in_limits)
    return {"token": issued.token, "expires_at": format_timestamp(issued.expires), "username": issued.username,
            "full_name": issued.full_name, "role": issued.role}
