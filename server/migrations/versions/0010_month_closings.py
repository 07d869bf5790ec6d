"""The month being reported: officers mark a month's settlement final ("chốt báo cáo tháng"), audited (issue 13).

Revision ID: 0010
Revises: 0009

Until an officer marks a month final, that month is the one the console opens on, whatever later list has arrived.
"""

from alembic import op

from server import schema

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    schema.month_closings.create(bind, checkfirst=True)
    for statement in schema.append_only_statements("month_closings", bind.dialect.name):
        op.execute(statement)

