"""Amendments as facts on a desk without a province server, the contradictions of later lists, and held lines.

Revision ID: 0008
Revises: 0007

On a desk that imports its lists from files, the standing facts are the earlier lists' deaths and suspensions and a
supervisor's decisions (``amendments``); a later list that contradicts them is recorded (``contradictions``) until a
supervisor decides (``contradiction_decisions``). All three are append-only. A line held because a list contradicts
an amendment about it keeps why (``entitlement_lines.hold``, JSON; a held line from the province's feed too).
Each person already deceased or suspended becomes one fact of source ``earlier``.
"""

import datetime as dt
import json

from alembic import op
from sqlalchemy import text

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

APPEND_ONLY = ("amendments", "contradictions", "contradiction_decisions")


def upgrade() -> None:
    op.execute("ALTER TABLE entitlement_lines ADD COLUMN hold TEXT")
    op.execute(
        """CREATE TABLE amendments (
            fact_id INTEGER PRIMARY KEY, record_code TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
            recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL)"""
    )
    op.execute("CREATE INDEX ix_amendments_record ON amendments(record_code, fact_id)")
    op.execute(
        """CREATE TABLE contradictions (
            contradiction_id INTEGER PRIMARY KEY, import_at TEXT NOT NULL, record_code TEXT NOT NULL,
            full_name TEXT NOT NULL DEFAULT '', subject TEXT NOT NULL, line_key TEXT, regime TEXT,
            list_period TEXT NOT NULL, source TEXT NOT NULL, listed TEXT NOT NULL, standing TEXT NOT NULL,
            fact_id INTEGER NOT NULL REFERENCES amendments(fact_id))"""
    )
    op.execute("CREATE INDEX ix_contradictions_record ON contradictions(record_code)")
    op.execute(
        """CREATE TABLE contradiction_decisions (
            contradiction_id INTEGER PRIMARY KEY REFERENCES contradictions(contradiction_id),
            choice TEXT NOT NULL CHECK (choice IN ('keep', 'accept')), reason TEXT NOT NULL DEFAULT '',
            by_user TEXT NOT NULL, at TEXT NOT NULL, fact_id INTEGER REFERENCES amendments(fact_id))"""
    )
    bind = op.get_bind()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    rows = []
    for code, status, reason, death, rep_name, rep_id in bind.execute(text(
            "SELECT record_code, status, status_reason, date_of_death, representative_name, "
            "representative_id_number FROM beneficiaries WHERE status IN ('deceased', 'suspended') "
            "ORDER BY record_code")):
        if status == "deceased" and death:
            rep = {"name": rep_name, "id_number": rep_id} if rep_name else None
            rows.append({"code": code, "kind": "death", "reason": "",
                         "detail": json.dumps({"date_of_death": death, "representative": rep}, ensure_ascii=False)})
        elif status == "suspended":
            rows.append({"code": code, "kind": "suspension", "reason": reason or "", "detail": "{}"})
    if rows:
        bind.execute(text("INSERT INTO amendments (record_code, kind, source, recorded_at, recorded_by, reason, "
                          f"detail) VALUES (:code, :kind, 'earlier', '{now}', '—', :reason, :detail)"), rows)
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
            )
