"""The province console: list membership per month, settled lines, web sessions, sign-in failures, the audit log,
flag resolutions and their approvals; a payment's payout period and a person's payout point as columns.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from server import schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NEW_TABLES = ("list_lines", "settled", "web_sessions", "sign_in_failures", "audit_log", "flag_resolutions",
              "resolution_approvals")
APPEND_ONLY = ("audit_log", "flag_resolutions", "resolution_approvals")


def upgrade() -> None:
    op.add_column("people", sa.Column("point_id", sa.String(200)))
    op.add_column("entries", sa.Column("payout_period", sa.String(7)))
    op.create_index("ix_entries_payout_period", "entries", ["payout_period", "kind"])
    schema.metadata.create_all(op.get_bind(), tables=[schema.metadata.tables[name] for name in NEW_TABLES])
    bind = op.get_bind()
    # The change feed's writers lock this row: it must exist before the first concurrent writers race to create it.
    exists = bind.execute(sa.text("SELECT 1 FROM server_meta WHERE key = 'feed_lock'")).first()
    if exists is None:
        bind.execute(sa.text("INSERT INTO server_meta (key, value) VALUES ('feed_lock', '1')"))
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
