"""The first server schema: the province's list, staff, devices, the stored journal, flags and the change feed.

Revision ID: 0001
Revises:

This first revision creates the tables as ``server/schema.py`` declared them when it was written; every later change
to the schema is its own revision with explicit ``op`` statements.
"""

from alembic import op

from server import schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FIRST_TABLES = (
    "server_meta", "communes", "people", "lines", "list_imports", "staff", "devices", "enrol_codes", "entries",
    "paid_lines", "reversals", "signatures", "flags", "changes",
)


def upgrade() -> None:
    tables = [schema.metadata.tables[name] for name in FIRST_TABLES]
    schema.metadata.create_all(op.get_bind(), tables=tables)
