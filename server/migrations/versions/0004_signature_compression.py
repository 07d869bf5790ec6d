"""Signature strokes compressed with lz4 on PostgreSQL (the default pglz took a third of a batch's ingest time).

Revision ID: 0004
Revises: 0003

Only new rows use it; SQLite does not compress and is left as it is.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        has_lz4 = bind.exec_driver_sql(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)").first()
        if has_lz4:
            op.execute("ALTER TABLE signatures ALTER COLUMN strokes SET COMPRESSION lz4")
            op.execute("ALTER TABLE entries ALTER COLUMN payload SET COMPRESSION lz4")
