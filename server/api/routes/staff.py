"""``GET /staff/me`` and ``POST /staff/password``: calls a device makes on behalf of its signed-in staff member.

``StaffMember`` needs a device that may download (not revoked, clock right) and a live token issued to it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from server import accounts, db
from server.api.deps import ClockDep, EngineDep, StaffMember, downloading_device, signed_body
from server.api.schemas import ERRORS, PasswordRequest, StaffAnswer

router = APIRouter()


@router.get("/staff/me", response_model=StaffAnswer, responses=ERRORS)
def me(staff: StaffMember) -> dict[str, Any]:
    return accounts.staff_public(staff)


@router.post("/staff/password", response_model=StaffAnswer, responses=ERRORS)
def password(staff: StaffMember,
             request_body: Annotated[PasswordRequest, signed_body(PasswordRequest, downloading_device)],
             engine: EngineDep, clock: ClockDep) -> dict[str, Any]:
    with db.transaction(engine) as conn:
        accounts.change_own_password(conn, staff["username"], request_body.old_password, request_body.new_password,
                                     clock())
    return accounts.staff_public(staff)

