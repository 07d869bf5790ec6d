"""Public-notice postings and satisfaction survey counts (issue 13, posting-and-survey work).

Revision ID: 0012
Revises: 0011

``public_postings``: each record that a payout's public notice was posted (where, when, by which commune officer,
an optional downscaled photo); ``entry_id`` is set once it is journalled (at sync time, once the server says it accepts
the kind). ``survey_tallies``: how many answers each (day, commune, point, teller, question, answer) got — counts
only, no row per person, no time of day; the rows of a day are journalled as one entry and deleted in the same
transaction (``app.store.survey``).

``IF NOT EXISTS``: a desk taken back to an earlier revision (tests do, to check an upgrade) keeps these tables.
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE IF NOT EXISTS public_postings (
            posting_id TEXT PRIMARY KEY, commune_code TEXT NOT NULL, point_id TEXT NOT NULL, period TEXT NOT NULL,
            posted_on TEXT NOT NULL, place TEXT NOT NULL, officer_name TEXT NOT NULL, recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL, photo BLOB, photo_type TEXT, photo_digest TEXT, entry_id TEXT)"""
    )
    op.execute("CREATE INDEX IF NOT EXISTS ix_public_postings_pending ON public_postings(entry_id)")
    op.execute(
        """CREATE TABLE IF NOT EXISTS survey_tallies (
            day TEXT NOT NULL, commune_code TEXT NOT NULL, point_id TEXT NOT NULL, teller TEXT NOT NULL,
            question TEXT NOT NULL, answer TEXT NOT NULL, count INTEGER NOT NULL CHECK (count > 0),
            PRIMARY KEY (day, commune_code, point_id, teller, question, answer))"""
    )
