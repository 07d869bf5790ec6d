"""The satisfaction survey's answers on the desk: counted, never kept one by one, journalled a day at a time.

What keeps an answer from being traced to the person who gave it (``app.domain.survey``):
- an answer only adds 1 to a count per (day, commune, point, teller, question, answer): no row per person, no time
  of day, no link between one person's three answers, nothing about the payment;
- the counts of a day are journalled (one ``survey_answers`` entry per point and teller) only once the day is over
  in the province's time zone, at the first sync after it, and the counted rows are deleted in the same
  transaction — so the entry's time says nothing about when anyone answered, and no order survives;
- and only once the province server has said it accepts the kind (an older server would refuse the whole upload).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from app.domain.errors import BadInputError
from app.domain.model import EntryKind
from app.domain.survey import SurveyError, Tally, check_answer, tally_body
from app.store import database, journal

if TYPE_CHECKING:
    from app.store.store import Store


class SurveyService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, *, day: dt.date, commune_code: str, point_id: str, teller: str,
               answers: Mapping[str, str]) -> int:
        """Count one person's answers (only the questions answered); the number counted."""
        try:
            checked = [check_answer(question, answer) for question, answer in answers.items()]
        except SurveyError:
            raise BadInputError("survey_answer_unknown") from None
        if not checked:
            return 0
        with database.write(self.store.engine) as conn:
            for question, answer in checked:
                conn.execute(text(
                    "INSERT INTO survey_tallies (day, commune_code, point_id, teller, question, answer, count) "
                    "VALUES (:day, :commune, :point, :teller, :question, :answer, 1) ON CONFLICT (day, commune_code, "
                    "point_id, teller, question, answer) DO UPDATE SET count = count + 1"),
                    {"day": day.isoformat(), "commune": commune_code, "point": point_id, "teller": teller,
                     "question": question.value, "answer": answer})
        return len(checked)

    def pending(self) -> list[Tally]:
        """The counts not yet journalled, one tally per (day, commune, point, teller)."""
        with database.read(self.store.engine) as conn:
            return _tallies(conn, None)

    def ready(self) -> list[Tally]:
        """The counts of days already over (province time), the ones the next sync journals."""
        with database.read(self.store.engine) as conn:
            return _tallies(conn, self.store.province_time.day_of(self.store.clock()))

    def journal_pending(self, accepted_kinds: Collection[str]) -> int:
        """Journal the counts of days before today (province time), if the server accepts the kind; entries written."""
        if EntryKind.SURVEY_ANSWERS.value not in accepted_kinds:
            return 0
        now = self.store.clock()
        today = self.store.province_time.day_of(now)
        with database.write(self.store.engine) as conn:
            tallies = _tallies(conn, today)
            for tally in tallies:
                journal.append(conn, device_id=self.store.device_id, kind=EntryKind.SURVEY_ANSWERS,
                               staff=tally.teller, body=tally_body(tally), recorded_at=now)
            conn.execute(text("DELETE FROM survey_tallies WHERE day < :today"), {"today": today.isoformat()})
        return len(tallies)


def _tallies(conn: Connection, before: dt.date | None) -> list[Tally]:
    rows = conn.execute(text(
        "SELECT day, commune_code, point_id, teller, question, answer, count FROM survey_tallies "
        "WHERE :before IS NULL OR day < :before ORDER BY day, commune_code, point_id, teller, question, answer"),
        {"before": before.isoformat() if before else None}).all()
    grouped: dict[tuple[str, str, str, str], dict[str, dict[str, int]]] = {}
    for day, commune, point, teller, question, answer, count in rows:
        grouped.setdefault((day, commune, point, teller), {}).setdefault(question, {})[answer] = int(count)
    return [Tally(dt.date.fromisoformat(day), commune, point, teller, counts)
            for (day, commune, point, teller), counts in grouped.items()]
