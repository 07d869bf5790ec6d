"""Load the policy reference from ``resources/policy`` (or a province's own folder)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from app.domain.policy import PolicyReference
from app.resources import resource_path


@lru_cache(maxsize=4)
def load_policy(folder: Path | None = None) -> PolicyReference:
    """The policy reference in ``folder`` (default: the bundled ``resources/policy``): ``categories.json``,
    ``regimes.json``, ``cash.json`` (the banknotes of the end-of-day count) and ``limits.json`` (the per-line amount
    ceiling, which the server's ingest also applies to payments); for the last two, the bundled file when the
    folder has none."""
    base = Path(folder) if folder else resource_path("policy")
    categories = json.loads((base / "categories.json").read_text(encoding="utf-8"))
    regimes = json.loads((base / "regimes.json").read_text(encoding="utf-8"))
    cash_file = base / "cash.json"
    if not cash_file.exists():  # a province folder may correct the regimes only: the bundled banknotes then
        cash_file = resource_path("policy", "cash.json")
    cash = json.loads(cash_file.read_text(encoding="utf-8"))
    limits_file = base / "limits.json"
    if not limits_file.exists():
        limits_file = resource_path("policy", "limits.json")
    limits = json.loads(limits_file.read_text(encoding="utf-8"))
    return PolicyReference.from_data(categories, regimes, cash, limits)
