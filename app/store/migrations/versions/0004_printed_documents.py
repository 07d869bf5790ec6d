"""Printed documents: what was printed or saved, when and by whom, so that a second print is marked "BẢN IN LẠI".

An operational log beside the journal (not part of the money chain): rows are only ever appended, like the journal's.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE printed_documents (
            print_id INTEGER PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            kind TEXT NOT NULL,
            locator TEXT NOT NULL,
            printed_at TEXT NOT NULL,
            staff TEXT NOT NULL,
            how TEXT NOT NULL CHECK (how IN ('printed', 'saved', 'cli')))"""
    )
    op.execute("CREATE INDEX ix_printed_documents_locator ON printed_documents(kind, locator)")
    op.execute("CREATE INDEX ix_printed_documents_fingerprint ON printed_documents(fingerprint)")
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER printed_documents_no_{action.lower()} BEFORE {action} ON printed_documents "
            f"BEGIN SELECT RAISE(ABORT, 'printed_documents is append-only: {action} refused'); END"
        )
