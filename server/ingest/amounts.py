"""Amounts a payment may carry: whole đồng, from zero to a per-line ceiling kept as data.

A signed, chained payment is never refused (the cash has left, and refusing it would block the device's queue), but a
line paid below zero or above ``max_line_amount`` (``app/resources/policy/limits.json``, 1 000 000 000 ₫) is not a
payment the province can count: it is stored and flagged ``amount_out_of_range``, and not applied — its lines are not
marked paid, its cash counts nowhere. A reversal taking back an impossible total is stored, flagged and not applied the
same way (the payment stands). The ceiling is far below 2^63, so such an amount never reaches a 64-bit column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.lists.policy import load_policy


def max_line_amount() -> int:
    """The most one line may pay: the same ceiling the list reader applies (``limits.json``, read and checked once by
    the policy loader), so a list cannot list what the province would refuse to count."""
    return load_policy().max_line_amount


def reversal_out_of_range(body: Mapping[str, Any], ceiling: int) -> dict[str, Any] | None:
    """Why a reversal's total cannot be taken back (not a whole number, below zero, above what its lines could have
    paid), or None when it can."""
    total, keys = body.get("total", 0), body.get("line_keys") or []
    if type(total) is int and 0 <= total <= ceiling * max(len(keys) if isinstance(keys, list) else 1, 1):
        return None
    return {"total": str(total)[:40], "max_line_amount": ceiling}


def out_of_range(body: Mapping[str, Any], ceiling: int) -> dict[str, Any] | None:
    """Why a payment's amounts cannot be applied (its lines and total), or None when they can.

    The payment's shape was checked already: its total and every line's amount are integers."""
    lines = [line for line in body["lines"] if not 0 <= line["amount"] <= ceiling]
    total = body["total"]
    if not lines and 0 <= total <= ceiling * max(len(body["lines"]), 1):
        return None
    return {"lines": [{"line": str(line["key"])[:200], "amount": str(line["amount"])} for line in lines][:20],
            "total": str(total), "max_line_amount": ceiling}
