"""Sync with the province server: flags the server raised about this commune's entries.

Revision ID: 0006
Revises: 0005

Enrolment, the feed cursor and the last acknowledged head live in ``meta``; the device's private key lives beside
the database key (keyring or key file), never in the database.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE sync_flags (
            flag_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, entry_id TEXT NOT NULL, other_entry_id TEXT,
            device_id TEXT NOT NULL, line_key TEXT, record_code TEXT, detail TEXT NOT NULL, created_at TEXT NOT NULL,
            resolution TEXT)"""
    )
    op.execute("CREATE INDEX ix_sync_flags_record ON sync_flags(record_code)")
