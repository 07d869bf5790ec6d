"""What reading a payout list produces: domain values ready for the store (or the server), nothing half-parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from app.domain.model import (
    Authorisation,
    Beneficiary,
    Commune,
    EntitlementLine,
    PayoutPoint,
    Province,
    ScheduleSlot,
    Village,
)


@dataclass(frozen=True)
class ParsedList:
    """A whole, valid payout list. ``payout_period`` is the month the list is for (``YYYY-MM``)."""

    source: str
    sha256: str
    payout_period: str
    province: Province
    communes: tuple[Commune, ...]
    villages: tuple[Village, ...]
    points: tuple[PayoutPoint, ...]
    schedule: tuple[ScheduleSlot, ...]
    beneficiaries: tuple[Beneficiary, ...]
    authorisations: tuple[Authorisation, ...]
    lines: tuple[EntitlementLine, ...]
    row_of_line: Mapping[str, int] = field(default_factory=dict)
    """Line key → row number in the source file, for reports."""
