"""The province's policy notices and corrected explanations on this desk (revision 0011), from the change feed.

The feed brings a notice when it is published and again when it is withdrawn; the desk keeps the latest state of
each and shows the current ones ("Thông báo chính sách"). A corrected explanation of a regime replaces the built-in
one on the person's lines, marked as the province's; only a newer version replaces it (a page applied twice, or an
older version arriving late, changes nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from app.domain.policy_notices import PolicyNotice, ProvinceExplanation
from app.store import database

if TYPE_CHECKING:
    from app.store.store import Store


@dataclass(frozen=True)
class PolicyNoticeChange:
    """A notice from the feed: published, or withdrawn (``notice.withdrawn_at``)."""

    notice: PolicyNotice


@dataclass(frozen=True)
class PolicyTextChange:
    """The province's newest explanation of a regime, from the feed."""

    explanation: ProvinceExplanation


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def apply_policy_change(conn: Connection, change: PolicyNoticeChange | PolicyTextChange) -> None:
    """Keep a notice's latest state, or a regime's explanation when it is newer than the one kept."""
    if isinstance(change, PolicyNoticeChange):
        n = change.notice
        conn.execute(text(
            "INSERT INTO policy_notices (notice_id, title, body, effective_from, regime, agency, published_by, "
            "published_at, withdrawn_at, withdrawn_reason) VALUES (:id, :title, :body, :effective, :regime, :agency, "
            ":by, :at, :withdrawn_at, :reason) ON CONFLICT (notice_id) DO UPDATE SET "
            "withdrawn_at = coalesce(policy_notices.withdrawn_at, excluded.withdrawn_at), "
            "withdrawn_reason = CASE WHEN policy_notices.withdrawn_at IS NULL THEN excluded.withdrawn_reason "
            "ELSE policy_notices.withdrawn_reason END"),
            {"id": n.notice_id, "title": n.title, "body": n.body, "effective": n.effective_from.isoformat(),
             "regime": n.regime, "agency": n.agency, "by": n.by, "at": _moment(n.at),
             "withdrawn_at": _moment(n.withdrawn_at), "reason": n.withdrawn_reason})
        return
    e = change.explanation
    conn.execute(text(
        "INSERT INTO policy_texts (regime, version, text, text_en, written_by, written_at) "
        "VALUES (:regime, :version, :text, :text_en, :by, :at) ON CONFLICT (regime) DO UPDATE SET "
        "version = excluded.version, text = excluded.text, text_en = excluded.text_en, "
        "written_by = excluded.written_by, written_at = excluded.written_at "
        "WHERE excluded.version > policy_texts.version"),
        {"regime": e.regime, "version": e.version, "text": e.text, "text_en": e.text_en, "by": e.by,
         "at": _moment(e.at)})


class PolicyNoticeService:
    """What the desk shows of the province's policy word."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def current_notices(self) -> list[PolicyNotice]:
        """The notices not withdrawn, the newest effective first (a notice effective later is shown too: tellers
        should know what is coming)."""
        with database.read(self.store.engine) as conn:
            rows = conn.execute(text(
                "SELECT notice_id, title, body, effective_from, regime, agency, published_by, published_at "
                "FROM policy_notices WHERE withdrawn_at IS NULL ORDER BY effective_from DESC, notice_id DESC")).all()
        return [PolicyNotice(int(row[0]), row[1], row[2], dt.date.fromisoformat(row[3]), row[4], row[5], row[6],
                             _parse(row[7])) for row in rows]

    def explanations(self) -> dict[str, ProvinceExplanation]:
        """The province's explanation of each regime it corrected (regime code → explanation)."""
        with database.read(self.store.engine) as conn:
            rows = conn.execute(text(
                "SELECT regime, version, text, text_en, written_by, written_at FROM policy_texts")).all()
        return {row[0]: ProvinceExplanation(int(row[1]), row[0], row[2], row[3], row[4], _parse(row[5]))
                for row in rows}
