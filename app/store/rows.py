"""The desk's row mappers: each table's row ↔ domain value, written once.

A person is read by the payout screen, the documents and the list import, and written by the list import; each of
them selects the columns named here, in this order, and maps the row with these functions, so a new column is added
in one place. The wire has its own encoding of the same values (``app.wire.codec``): that is the contract with the
server, pinned byte for byte, and the store knows nothing of it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from app.domain.amendments import hold_data, hold_from_data
from app.domain.model import (
    Beneficiary,
    BeneficiaryStatus,
    EntitlementLine,
    Gender,
    Hold,
    LineKind,
    PaymentMethod,
    Representative,
)

PERSON_FIELDS = (
    "record_code", "full_name", "commune_code", "category", "birth_year", "gender", "id_number", "village",
    "point_id", "status", "status_reason", "date_of_death", "representative_name", "representative_id_number",
    "agency",
)
"""The ``beneficiaries`` columns ``beneficiary_of`` reads, in its order (``app.domain.model.person_values`` gives the
same, written by the list import)."""

LINE_FIELDS = (
    "line_key", "record_code", "period", "list_period", "programme", "regime", "kind", "amount", "method", "line_id",
    "note", "hold",
)
"""The ``entitlement_lines`` columns ``line_of`` reads, in its order."""


def columns(fields: tuple[str, ...], alias: str = "") -> str:
    """A select list of ``fields``, each qualified by the table's ``alias`` in a join."""
    return ", ".join(f"{alias}.{name}" if alias else name for name in fields)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def beneficiary_of(row: Any) -> Beneficiary:
    """A ``beneficiaries`` row selected with ``PERSON_FIELDS``."""
    return Beneficiary(
        record_code=row[0],
        full_name=row[1],
        commune_code=row[2],
        category=row[3],
        birth_year=row[4],
        gender=Gender(row[5]) if row[5] else None,
        id_number=row[6],
        village=row[7],
        point_id=row[8],
        status=BeneficiaryStatus(row[9]),
        status_reason=row[10],
        date_of_death=_date(row[11]),
        representative=Representative(row[12], row[13]) if row[12] else None,
        agency=row[14] or "",
    )


def line_of(row: Any) -> EntitlementLine:
    """An ``entitlement_lines`` row selected with ``LINE_FIELDS``."""
    return EntitlementLine(
        key=row[0],
        record_code=row[1],
        period=row[2],
        list_period=row[3],
        programme=row[4],
        regime=row[5],
        kind=LineKind(row[6]),
        amount=row[7],
        method=PaymentMethod(row[8]),
        line_id=row[9],
        note=row[10],
        hold=hold_of_text(row[11]),
    )


def line_params(line: EntitlementLine, position: int) -> dict[str, Any]:
    """A line as its ``entitlement_lines`` columns, ``position`` its order on the list."""
    return {
        "line_key": line.key,
        "line_id": line.line_id,
        "record_code": line.record_code,
        "period": line.period,
        "list_period": line.list_period,
        "programme": line.programme,
        "regime": line.regime,
        "kind": line.kind.value,
        "amount": line.amount,
        "method": line.method.value,
        "note": line.note,
        "position": position,
        "hold": hold_text(line.hold),
    }


def hold_text(hold: Hold | None) -> str | None:
    """A held line's reason as stored (``entitlement_lines.hold``); None for a line that is not held."""
    return json.dumps(hold_data(hold), ensure_ascii=False, sort_keys=True) if hold is not None else None


def hold_of_text(text: str | None) -> Hold | None:
    return hold_from_data(json.loads(text)) if text else None
