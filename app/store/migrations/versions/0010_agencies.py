"""One citizen across agencies' lists: each record's agency, the decisions about who is one person, each record's
person, and the conflicts found (issue 12).

Revision ID: 0010
Revises: 0009

- ``beneficiaries.agency`` / ``list_people.agency``: the agency whose list carries the record ('' for a record stored
  before lists named their agency: its lines' programmes say it).
- ``person_links``: every decision a supervisor (on this desk) or an officer (from the province's feed) made about two
  records — link, separate, or clear (undo) — kept for the audit; the latest about a pair stands
  (``app.domain.identity.latest_decisions``).
- ``person_groups``: the person key (``Grouping.person_key``) of each record grouped with at least one other; a record
  not here is its own person. Rebuilt after every import, feed page and decision (``app.store.persons.regroup``).
- ``identity_conflicts``: two records with one personal number but another name or birth year, as last found.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE beneficiaries ADD COLUMN agency TEXT NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE list_people ADD COLUMN agency TEXT NOT NULL DEFAULT ''")
    op.execute(
        """CREATE TABLE person_links (
            link_id INTEGER PRIMARY KEY AUTOINCREMENT, first_code TEXT NOT NULL, second_code TEXT NOT NULL,
            action TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL, recorded_at TEXT NOT NULL,
            CHECK (action IN ('link', 'separate', 'clear')), CHECK (origin IN ('desk', 'province')),
            CHECK (first_code < second_code))"""
    )
    op.execute("CREATE UNIQUE INDEX ix_person_links_fact ON person_links(first_code, second_code, action, decided_at, "
               "origin)")
    op.execute("CREATE TABLE person_groups (record_code TEXT PRIMARY KEY, person_key TEXT NOT NULL) WITHOUT ROWID")
    op.execute("CREATE INDEX ix_person_groups_key ON person_groups(person_key)")
    op.execute(
        """CREATE TABLE identity_conflicts (
            first_code TEXT NOT NULL, second_code TEXT NOT NULL, id_number TEXT NOT NULL, differs TEXT NOT NULL,
            found_at TEXT NOT NULL, PRIMARY KEY (first_code, second_code)) WITHOUT ROWID"""
    )
    # the journal's triggers forbid editing facts; the decision log is append-only the same way
    op.execute("CREATE TRIGGER person_links_no_update BEFORE UPDATE ON person_links "
               "BEGIN SELECT RAISE(ABORT, 'person_links is append-only'); END")
    op.execute("CREATE TRIGGER person_links_no_delete BEFORE DELETE ON person_links "
               "BEGIN SELECT RAISE(ABORT, 'person_links is append-only'); END")
