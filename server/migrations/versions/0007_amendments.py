"""Amendments as append-only facts, the contradictions of later lists, and the officers' decisions about them.

Revision ID: 0007
Revises: 0006

Each person already deceased or suspended becomes one fact of source ``earlier`` (recorded now, by nobody in
particular), so a list imported after the upgrade cannot silently bring them back either.
"""

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

from server import schema

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

APPEND_ONLY = ("amendments", "contradictions", "contradiction_decisions")


def upgrade() -> None:
    bind = op.get_bind()
    schema.metadata.create_all(bind, tables=[schema.metadata.tables[name] for name in APPEND_ONLY])
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    people = schema.people.c
    rows = []
    for record_code, status, death, data in bind.execute(
            sa.select(people.record_code, people.status, people.date_of_death, people.data)
            .where(people.status.in_(["deceased", "suspended"])).order_by(people.record_code)):
        stored = json.loads(data)
        if status == "deceased" and death:
            rep = stored.get("representative")
            detail = {"date_of_death": death, "representative": rep}
            rows.append({"record_code": record_code, "kind": "death", "source": "earlier", "recorded_at": now,
                         "recorded_by": "—", "reason": "", "detail": json.dumps(detail, ensure_ascii=False)})
        elif status == "suspended":
            rows.append({"record_code": record_code, "kind": "suspension", "source": "earlier", "recorded_at": now,
                         "recorded_by": "—", "reason": stored.get("status_reason") or "", "detail": "{}"})
    if rows:
        bind.execute(schema.amendments.insert(), rows)
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            if bind.dialect.name == "postgresql":
                op.execute(
                    f"CREATE OR REPLACE FUNCTION {table}_refuse_{action.lower()}() RETURNS trigger AS $$ BEGIN "
                    f"RAISE EXCEPTION '{table} is append-only: {action} refused'; END $$ LANGUAGE plpgsql"
                )
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_{action.lower()}()"
                )
            else:
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
                )
