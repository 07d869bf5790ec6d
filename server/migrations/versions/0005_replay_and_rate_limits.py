"""Replay protection and rate limits that fit a post office: the nonces of signed calls, and sign-in failures
counted per address.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from server import schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    schema.request_nonces.create(op.get_bind())
    # 0002 creates sign_in_failures from today's schema.py, which already declares this index.
    op.create_index("ix_sign_in_failures_address", "sign_in_failures", ["address", "at"], if_not_exists=True)
