"""The month's deadlines and the province's policy word (issue 13, clock-deadlines-policy work).

Revision ID: 0012
Revises: 0011

The server did not know whether a device had a commune's list before its payout day; from this revision each answer
of ``GET /feed`` that moves a device forward is recorded (``feed_deliveries``, append-only), and
``server.deadlines`` compares it with the list's place in the feed.

``policy_texts``, ``policy_notices`` and ``policy_notice_withdrawals`` keep every corrected regime explanation, policy
notice and withdrawal an officer made (append-only); the desks receive them in the change feed.
"""

from alembic import op

from server import schema

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for table in (schema.feed_deliveries, schema.policy_texts, schema.policy_notices,
                  schema.policy_notice_withdrawals):
        table.create(bind, checkfirst=True)
        for statement in schema.append_only_statements(table.name, bind.dialect.name):
            op.execute(statement)
