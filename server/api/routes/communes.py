"""``GET /communes/{code}/list``: a snapshot of one of the device's communes (people, lines, points)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server import province
from server.api.deps import DownloadingDevice, EngineDep
from server.api.errors import ApiError
from server.api.schemas import ERRORS

router = APIRouter()


@router.get("/communes/{code}/list", responses=ERRORS)
def commune_list(code: str, device: DownloadingDevice, engine: EngineDep) -> dict[str, Any]:
    if code not in device.communes:
        raise ApiError(403, "other_commune", "this device does not serve that commune")
    with engine.connect() as conn:
        try:
            return province.snapshot_fragment(conn, code)
        except province.AmendError as error:
            raise ApiError(404, "unknown_commune", str(error)) from None
