"""Policy notices and the province time zone (issue 13, clock-deadlines-policy work): placeholder.

Revision ID: 0012
Revises: 0011
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass
