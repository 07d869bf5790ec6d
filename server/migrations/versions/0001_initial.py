"""The first server schema: the province's list, staff, devices, the stored journal, flags and the change feed.

Revision ID: 0001
Revises:

This first revision creates the tables as ``server/schema.py`` declared them when it was written; every later change
to the schema is its own revision with explicit ``op`` statements.
"""

import sqlalchemy as sa
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


LATER_COLUMNS = {"people": ("point_id",), "entries": ("payout_period",)}
"""Columns ``schema.py`` declares that later revisions add: left out here so each revision does its own part."""


def upgrade() -> None:
    metadata = sa.MetaData()
    for name in FIRST_TABLES:
        table = schema.metadata.tables[name]
        skip = set(LATER_COLUMNS.get(name, ()))
        table.to_metadata(metadata)
        if skip:
            copy = metadata.tables[name]
            for column in list(copy.columns):
                if column.name in skip:
                    copy._columns.remove(column)
            for index in list(copy.indexes):
                if any(column.name in skip for column in index.columns):
                    copy.indexes.discard(index)
    metadata.create_all(op.get_bind())
