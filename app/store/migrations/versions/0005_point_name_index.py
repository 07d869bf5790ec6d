"""People of a payout point in name order without sorting the commune (the desk's list with an empty search box).

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_beneficiaries_point_name ON beneficiaries(point_id, full_name)")
