"""Sign-in lockout: failed attempts and the time an account is locked until.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE staff ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0")
    op.execute("ALTER TABLE staff ADD COLUMN locked_until TEXT")
