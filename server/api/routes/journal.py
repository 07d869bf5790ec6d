"""``POST /journal``: a batch of the device's journal, accepted from a revoked or skewed device too (then flagged)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from app.domain.journal import format_timestamp
from server import journal as uploads
from server.api.deps import ClockDep, EngineDep, SettingsDep, SignedDevice, signed_body
from server.api.schemas import ERRORS, JournalAnswer, JournalBatch

router = APIRouter()


@router.post("/journal", response_model=JournalAnswer, responses=ERRORS)
def journal(device: SignedDevice, batch: Annotated[JournalBatch, signed_body(JournalBatch)], engine: EngineDep,
            settings: SettingsDep, clock: ClockDep) -> dict[str, Any]:
    outcome = uploads.apply_journal(engine, settings, device.device_id, [entry.model_dump() for entry in batch.entries],
                                    device.skew_seconds, batch.pending)
    return {"results": [result.as_json() for result in outcome.results], "last_seq": outcome.head_seq,
            "head_hash": outcome.head_hash, "server_time": format_timestamp(clock())}
