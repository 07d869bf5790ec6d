"""Flags grouped by incident (issue 13): no change to the tables, on purpose.

Revision ID: 0011
Revises: 0010

An incident is worked out from each flag's own columns (its kind and the entry it is about; per device and upload
for ``revoked_device`` and ``clock_skew``: ``server.flags``), so flags raised before issue 13 group the same way
without a backfill. The revision stays, empty, because the revisions after it name it and a database migrated while
issue 13 was built is stamped with it.
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change (see the module's docstring)."""
