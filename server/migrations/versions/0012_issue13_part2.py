"""The month's deadlines: what the change feed sent each device, and when (issue 13, clock-deadlines-policy work).

Revision ID: 0012
Revises: 0011

The server did not know whether a device had a commune's list before its payout day; from this revision each answer
of ``GET /feed`` that moves a device forward is recorded (``feed_deliveries``, append-only), and
``server.deadlines`` compares it with the list's place in the feed.
"""

from alembic import op

from server import schema

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    schema.feed_deliveries.create(bind, checkfirst=True)
    for statement in schema.append_only_statements("feed_deliveries", bind.dialect.name):
        op.execute(statement)
