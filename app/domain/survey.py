"""The pilot's satisfaction survey: three questions, their answers, the pilot's measures and their 95 % interval.

Anonymity is the point of this module's shape. A person's answers are never a record: the desk only *counts* answers
per (day, commune, point, teller, question, answer) — ``Tally`` — so no row says who answered, in which order, at what
time, or which three answers came from one person. The journal receives those counts in one ``survey_answers`` entry
per (day, commune, point, teller), written at sync time for days already over (``ready_before``), so an entry's
timestamp cannot be matched to a payment's.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Question(StrEnum):
    """The pilot's three questions."""

    ON_TIME = "on_time"
    """Was the payment made at the right time? yes / no."""
    STAFF = "staff"
    """The post office staff's attitude: 5 levels, 5 = very good."""
    OFFICER = "officer"
    """The commune officer's help: 5 levels, 5 = very good."""


YES = "yes"
NO = "no"
LEVELS = ("5", "4", "3", "2", "1")
"""Five levels, best first as the screen shows them: rất tốt, tốt, bình thường, chưa tốt, kém."""
ANSWERS: dict[Question, tuple[str, ...]] = {
    Question.ON_TIME: (YES, NO),
    Question.STAFF: LEVELS,
    Question.OFFICER: LEVELS,
}
GOOD: dict[Question, frozenset[str]] = {
    Question.ON_TIME: frozenset({YES}),
    Question.STAFF: frozenset({"5", "4", "3"}),
    Question.OFFICER: frozenset({"5", "4", "3"}),
}
"""What the pilot counted as a good answer: "đúng thời gian"; attitude and help "from normal to very good"."""

DEFAULT_SAMPLE_EVERY = 5
"""Offer the survey to every 5th person paid (a desk setting; 0 = never)."""
MAX_SAMPLE_EVERY = 1000
MAX_COUNT = 100_000
"""No tally of one teller's day can be larger (bounds what a server accepts)."""


class SurveyError(ValueError):
    """An answer or a tally that is not one of the survey's."""


def check_answer(question: str, answer: str) -> tuple[Question, str]:
    """The question and answer if both are the survey's, else ``SurveyError``."""
    try:
        known = Question(question)
    except ValueError:
        raise SurveyError(f"unknown question {question!r}") from None
    if answer not in ANSWERS[known]:
        raise SurveyError(f"unknown answer {answer!r} to {question}")
    return known, answer


def offered(people_paid: int, every: int) -> bool:
    """Whether the person just paid (the ``people_paid``-th of the day) is asked: every ``every``-th, never at 0."""
    return 0 < every <= MAX_SAMPLE_EVERY and people_paid > 0 and people_paid % every == 0


@dataclass(frozen=True, slots=True)
class Tally:
    """How many answers one teller's day at one point got, per question and answer — nothing about who."""

    day: dt.date
    commune_code: str
    point_id: str
    teller: str
    counts: Mapping[str, Mapping[str, int]]
    """question → answer → count (answers with a zero count left out)."""


def tally_body(tally: Tally) -> dict[str, Any]:
    """The ``survey_answers`` entry's body: commune, point, day, teller and the counts, nothing else."""
    return {
        "day": tally.day.isoformat(),
        "commune_code": tally.commune_code,
        "point_id": tally.point_id,
        "teller": tally.teller,
        "counts": {question: {answer: count for answer, count in sorted(answers.items()) if count}
                   for question, answers in sorted(tally.counts.items())},
    }


def tally_from_body(body: Mapping[str, Any]) -> Tally:
    """Read a ``survey_answers`` body back, checking every question, answer and count (``SurveyError``)."""
    try:
        day = dt.date.fromisoformat(str(body["day"]))
        commune, point, teller = (str(body[name])[:200] for name in ("commune_code", "point_id", "teller"))
        raw = body["counts"]
    except (KeyError, TypeError, ValueError) as error:
        raise SurveyError(f"not a survey tally: {error}") from None
    if not isinstance(raw, Mapping):
        raise SurveyError("counts is not an object")
    counts: dict[str, dict[str, int]] = {}
    for question, answers in raw.items():
        if not isinstance(answers, Mapping):
            raise SurveyError("answers is not an object")
        for answer, count in answers.items():
            check_answer(question, answer)
            if type(count) is not int or not 0 < count <= MAX_COUNT:
                raise SurveyError(f"bad count {count!r}")
            counts.setdefault(question, {})[answer] = count
    return Tally(day, commune, point, teller, counts)


@dataclass(frozen=True, slots=True)
class Measure:
    """One of the pilot's measures for a set of answers: the share of good answers and its 95 % Wilson interval."""

    question: Question
    good: int
    answers: int
    low: float
    high: float

    @property
    def share(self) -> float:
        return self.good / self.answers if self.answers else 0.0


def wilson(good: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """The 95 % Wilson score interval of ``good`` out of ``total`` (0, 0 when there is nothing)."""
    if total <= 0:
        return 0.0, 0.0
    share = good / total
    denominator = 1 + z * z / total
    centre = (share + z * z / (2 * total)) / denominator
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def measure(question: Question, counts: Iterable[tuple[str, int]]) -> Measure:
    """The measure of ``question`` from (answer, count) pairs."""
    good = total = 0
    for answer, count in counts:
        total += count
        good += count if answer in GOOD[question] else 0
    low, high = wilson(good, total)
    return Measure(question, good, total, low, high)
