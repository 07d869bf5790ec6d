"""The province's word on policy between decrees: corrected explanations of a regime and short policy notices.

The pilot's first failure was that post staff could not explain the regimes. The desk carries each regime's plain
explanation and legal basis (``resources/policy``); the province can correct an explanation (a new version
supersedes the last, the built-in text stays underneath) and publish a short notice ("mức chuẩn mới 2.789.000 đ từ
01/07/2024"), withdrawn later with a reason. Both travel to the desks in the change feed; nothing is ever edited in
place, so what a teller read on a day can be told afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MAX_TITLE = 150
MAX_BODY = 2000
MAX_EXPLANATION = 1000
MAX_REASON = 500
MAX_CODE = 64
"""Bounds on every text of a notice or an explanation (on the console's forms, the server and the wire)."""


class PolicyTextError(ValueError):
    """A notice or an explanation that cannot be taken; ``code`` names the sentence to show."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class PolicyNotice:
    """A short notice from the province, effective from a day, about one regime or agency or about everything."""

    notice_id: int
    title: str
    body: str
    effective_from: dt.date
    regime: str = ""
    agency: str = ""
    by: str = ""
    """Who published it (the officer's full name, as tellers read it)."""
    at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None
    withdrawn_reason: str = ""

    @property
    def current(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class ProvinceExplanation:
    """The province's explanation of a regime, replacing the built-in one on the person's lines."""

    version: int
    regime: str
    text: str
    text_en: str = ""
    by: str = ""
    at: dt.datetime | None = None

    def text_in(self, lang: str) -> str:
        return self.text_en if lang == "en" and self.text_en else self.text


def clean(text: str, bound: int, code: str, *, required: bool = True) -> str:
    """``text`` stripped, within ``bound`` characters and (when ``required``) not empty, else ``PolicyTextError``."""
    value = "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()
    if required and not value:
        raise PolicyTextError(f"{code}_required")
    if len(value) > bound:
        raise PolicyTextError(f"{code}_too_long")
    return value
