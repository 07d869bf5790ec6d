"""``POST /enrol``: a laptop registers its public key with a one-time code and learns its communes.

The only device call that is not signed: the code authenticates it, so FastAPI reads the body as usual.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.domain.journal import format_timestamp
from server import accounts, db
from server.api.deps import ClockDep, EngineDep
from server.api.schemas import ERRORS, EnrolAnswer, EnrolRequest

router = APIRouter()


@router.post("/enrol", response_model=EnrolAnswer, responses=ERRORS)
def enrol(request: EnrolRequest, engine: EngineDep, clock: ClockDep) -> dict[str, Any]:
    with db.transaction(engine) as conn:
        communes, recovery = accounts.enrol_device(conn, request.code, request.device_id, request.public_key,
                                                   request.label, clock())
    return {"device_id": request.device_id, "communes": communes, "recovery_public_key": recovery,
            "server_time": format_timestamp(clock())}
