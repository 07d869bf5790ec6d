"""Load the policy reference from ``resources/policy`` (or a province's own folder)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from app.domain.policy import PolicyReference
from app.resources import resource_path


@lru_cache(maxsize=4)
def load_policy(folder: Path | None = None) -> PolicyReference:
    """The policy reference in ``folder`` (default: the bundled ``resources/policy``)."""
    base = Path(folder) if folder else resource_path("policy")
    categories = json.loads((base / "categories.json").read_text(encoding="utf-8"))
    regimes = json.loads((base / "regimes.json").read_text(encoding="utf-8"))
    return PolicyReference.from_data(categories, regimes)
