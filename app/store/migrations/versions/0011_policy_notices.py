"""The province's policy notices and corrected regime explanations, as the change feed brings them (issue 13).

Revision ID: 0011
Revises: 0010

- ``policy_notices``: each notice the province published, replaced by its withdrawn version when withdrawn (the
  feed repeats the notice with ``withdrawn_at``); the desk shows the current ones.
- ``policy_texts``: the province's newest explanation of each regime (a newer version supersedes an older one, never
  the other way round); it replaces the built-in explanation on the person's lines.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE policy_notices (
            notice_id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, effective_from TEXT NOT NULL,
            regime TEXT NOT NULL DEFAULT '', agency TEXT NOT NULL DEFAULT '', published_by TEXT NOT NULL DEFAULT '',
            published_at TEXT, withdrawn_at TEXT, withdrawn_reason TEXT NOT NULL DEFAULT '')"""
    )
    op.execute(
        """CREATE TABLE policy_texts (
            regime TEXT PRIMARY KEY, version INTEGER NOT NULL, text TEXT NOT NULL, text_en TEXT NOT NULL DEFAULT '',
            written_by TEXT NOT NULL DEFAULT '', written_at TEXT) WITHOUT ROWID"""
    )
