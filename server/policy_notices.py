"""The province's policy word: corrected regime explanations and short policy notices, kept append-only and sent to
every desk through the change feed (``app.domain.policy_notices``).

An officer of the whole province, or of the regime's (or notice's) agency, may correct an explanation or publish a
notice; a notice can be withdrawn with a reason. A new explanation supersedes the last (the built-in one stays in
the reference data); a withdrawal is its own row and goes to the desks as the same notice, withdrawn. Every action is
in the audit log too (the console's page records it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from app.domain.journal import format_timestamp, parse_timestamp
from app.domain.policy import PolicyReference
from app.domain.policy_notices import (
    MAX_BODY,
    MAX_EXPLANATION,
    MAX_REASON,
    MAX_TITLE,
    PolicyNotice,
    PolicyTextError,
    ProvinceExplanation,
    clean,
)
from app.wire import codec, constants
from server import feed, schema

EARLIEST_EFFECTIVE = dt.date(2000, 1, 1)
LATEST_EFFECTIVE = dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Actor:
    """Who acts: the officer's username (audit) and full name (what tellers read), and the one agency they work for
    (None: every agency)."""

    username: str
    full_name: str
    agency: str | None


def _may_act_for(actor: Actor, agency: str) -> None:
    if actor.agency is not None and actor.agency != agency:
        raise PolicyTextError("policy_not_your_agency")


def explanations(conn: Connection) -> dict[str, ProvinceExplanation]:
    """The standing (newest) province explanation of each regime corrected."""
    t = schema.policy_texts.c
    newest = select(func.max(t.version)).group_by(t.regime)
    rows = conn.execute(select(schema.policy_texts).where(t.version.in_(newest))).mappings()
    return {row["regime"]: ProvinceExplanation(int(row["version"]), row["regime"], row["text"], row["text_en"],
                                               row["by_name"] or row["by_user"], parse_timestamp(row["at"]))
            for row in rows}


def correct_explanation(conn: Connection, policy: PolicyReference, actor: Actor, regime: str, text: str,
                        text_en: str, reason: str, now: dt.datetime) -> ProvinceExplanation:
    """A new version of ``regime``'s explanation (Vietnamese required, English optional), sent to every desk."""
    info = policy.regimes.get(regime)
    if info is None:
        raise PolicyTextError("policy_unknown_regime")
    _may_act_for(actor, policy.agency_of(info.programme))
    text = clean(text, MAX_EXPLANATION, "policy_explanation")
    text_en = clean(text_en, MAX_EXPLANATION, "policy_explanation", required=False)
    reason = clean(reason, MAX_REASON, "policy_reason", required=False)
    version = conn.execute(schema.policy_texts.insert().values(
        regime=regime, text=text, text_en=text_en, by_user=actor.username, by_name=actor.full_name,
        at=format_timestamp(now), reason=reason).returning(schema.policy_texts.c.version)).scalar_one()
    explanation = ProvinceExplanation(int(version), regime, text, text_en, actor.full_name, now)
    feed.add(conn, constants.CHANGE_POLICY_TEXT, codec.policy_text_to_wire(explanation), at=format_timestamp(now))
    return explanation


def notices(conn: Connection) -> list[PolicyNotice]:
    """Every notice, withdrawn ones with their withdrawal, the newest first."""
    n, w = schema.policy_notices.c, schema.policy_notice_withdrawals.c
    rows = conn.execute(
        select(n.notice_id, n.title, n.body, n.effective_from, n.regime, n.agency, n.by_name, n.by_user, n.at,
               w.at.label("withdrawn_at"), w.reason)
        .select_from(schema.policy_notices.outerjoin(schema.policy_notice_withdrawals, n.notice_id == w.notice_id))
        .order_by(n.notice_id.desc())).mappings()
    return [_notice(row) for row in rows]


def _notice(row: RowMapping | Mapping[str, Any]) -> PolicyNotice:
    return PolicyNotice(
        int(row["notice_id"]), row["title"], row["body"], dt.date.fromisoformat(row["effective_from"]), row["regime"],
        row["agency"], row["by_name"] or row["by_user"], parse_timestamp(row["at"]),
        parse_timestamp(row["withdrawn_at"]) if row["withdrawn_at"] else None, row["reason"] or "")


def notice(conn: Connection, notice_id: int) -> PolicyNotice | None:
    return next((item for item in notices(conn) if item.notice_id == notice_id), None)


def publish(conn: Connection, policy: PolicyReference, actor: Actor, title: str, body: str, effective_from: dt.date,
            regime: str, agency: str, now: dt.datetime) -> PolicyNotice:
    """A new notice, about one regime or agency (or about everything), sent to every desk."""
    title = clean(title, MAX_TITLE, "policy_title")
    body = clean(body, MAX_BODY, "policy_body")
    if not EARLIEST_EFFECTIVE <= effective_from <= LATEST_EFFECTIVE:
        raise PolicyTextError("policy_bad_date")
    if regime:
        info = policy.regimes.get(regime)
        if info is None:
            raise PolicyTextError("policy_unknown_regime")
        agency = agency or policy.agency_of(info.programme)
    if agency and agency not in policy.agencies:
        raise PolicyTextError("policy_unknown_agency")
    if actor.agency is not None:
        if agency and agency != actor.agency:
            raise PolicyTextError("policy_not_your_agency")
        agency = actor.agency  # an agency's officer speaks for that agency
    notice_id = conn.execute(schema.policy_notices.insert().values(
        title=title, body=body, effective_from=effective_from.isoformat(), regime=regime, agency=agency,
        by_user=actor.username, by_name=actor.full_name, at=format_timestamp(now),
    ).returning(schema.policy_notices.c.notice_id)).scalar_one()
    published = PolicyNotice(int(notice_id), title, body, effective_from, regime, agency, actor.full_name, now)
    feed.add(conn, constants.CHANGE_POLICY_NOTICE, codec.policy_notice_to_wire(published), at=format_timestamp(now))
    return published


def withdraw(conn: Connection, actor: Actor, notice_id: int, reason: str, now: dt.datetime) -> PolicyNotice:
    """Withdraw a current notice with a reason; the desks drop it from their panel."""
    reason = clean(reason, MAX_REASON, "policy_reason")
    found = notice(conn, notice_id)
    if found is None:
        raise PolicyTextError("not_found")
    if found.withdrawn_at is not None:
        raise PolicyTextError("policy_already_withdrawn")
    if found.agency:
        _may_act_for(actor, found.agency)
    elif actor.agency is not None:
        raise PolicyTextError("policy_not_your_agency")
    conn.execute(schema.policy_notice_withdrawals.insert().values(
        notice_id=notice_id, by_user=actor.username, at=format_timestamp(now), reason=reason))
    withdrawn = PolicyNotice(found.notice_id, found.title, found.body, found.effective_from, found.regime,
                             found.agency, found.by, found.at, now, reason)
    feed.add(conn, constants.CHANGE_POLICY_NOTICE, codec.policy_notice_to_wire(withdrawn), at=format_timestamp(now))
    return withdrawn
