"""The satisfaction survey per commune and month, in the pilot's measures with a 95 % interval (issue 13).

Devices send counts only (``app.domain.survey``: per day, point, teller, question and answer; never a person), kept
in ``survey_answers``. A commune's month gives each question's share of good answers ("đúng thời gian"; attitude and
help "bình thường" or better) with its Wilson interval — shown only from ``minimum`` answers on (a server setting,
default 30), since a share of a handful of answers says little and could point at the few who answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from app.domain.survey import Measure, Question, measure
from app.domain.text import place_key
from server import schema

DEFAULT_MINIMUM = 30


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """A commune's (or the province's, ``commune_code`` "") three measures for a month."""

    commune_code: str
    commune_name: str
    measures: tuple[Measure, ...]

    def of(self, question: Question) -> Measure:
        return next(m for m in self.measures if m.question is question)


def month_survey(conn: Connection, period: str, scope: list[str] | None) -> tuple[list[SurveyRow], SurveyRow]:
    """The communes of ``scope`` (None: all) that have answers for ``period`` in Vietnamese order, and their total."""
    sa, c = schema.survey_answers.c, schema.communes.c
    query = (select(sa.commune_code, sa.question, sa.answer, func.sum(sa.count))
             .where(sa.period == period).group_by(sa.commune_code, sa.question, sa.answer))
    counts: dict[str, list[tuple[str, str, int]]] = {}
    for code, question, answer, count in conn.execute(query):
        if scope is None or code in scope:
            counts.setdefault(code, []).append((question, answer, int(count)))
    names = dict(conn.execute(select(c.code, c.name).where(c.code.in_(set(counts)))).all())
    rows = [SurveyRow(code, names.get(code, code), measures_of(found)) for code, found in counts.items()]
    rows.sort(key=lambda row: place_key(row.commune_name))
    total = SurveyRow("", "", measures_of(item for found in counts.values() for item in found))
    return rows, total


def measures_of(counts: Iterable[tuple[str, str, int]]) -> tuple[Measure, ...]:
    items = list(counts)
    return tuple(measure(question, ((answer, count) for q, answer, count in items if q == question.value))
                 for question in Question)
