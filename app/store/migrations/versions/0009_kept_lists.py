"""Each month's list is kept: which lines, at which amounts, with which person data, each list period had.

Revision ID: 0009
Revises: 0008

``entitlement_lines`` and ``beneficiaries`` hold the *current* state (a carried-over line moves on to the newest
list; a death or a move changes the person), which is what paying needs. A document about an earlier month must
print what that month's list said, whatever came later, so each list is also kept as it was applied:
``list_people`` (the person as the list of ``list_period`` gave them, after the standing facts) and ``list_lines``
(each line of that list, with its amount and hold). A corrected list of the same period replaces its communes' rows;
a later list never touches them. Existing data becomes one kept list per list period the current lines name (the
best the store still knows: the person as they stand now).
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE list_people (
            list_period TEXT NOT NULL, record_code TEXT NOT NULL, full_name TEXT NOT NULL,
            commune_code TEXT NOT NULL, category TEXT NOT NULL, birth_year INTEGER, gender TEXT, id_number TEXT,
            village TEXT, point_id TEXT, status TEXT NOT NULL, status_reason TEXT NOT NULL DEFAULT '',
            date_of_death TEXT, representative_name TEXT, representative_id_number TEXT,
            PRIMARY KEY (list_period, record_code))"""
    )
    op.execute("CREATE INDEX ix_list_people_commune ON list_people(commune_code, list_period)")
    op.execute("CREATE INDEX ix_list_people_point ON list_people(point_id, list_period)")
    op.execute("CREATE INDEX ix_list_people_record ON list_people(record_code, list_period)")
    op.execute(
        """CREATE TABLE list_lines (
            list_period TEXT NOT NULL, line_key TEXT NOT NULL, record_code TEXT NOT NULL, line_id TEXT,
            period TEXT NOT NULL, programme TEXT NOT NULL, regime TEXT NOT NULL, kind TEXT NOT NULL,
            amount INTEGER NOT NULL, method TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL,
            hold TEXT, PRIMARY KEY (list_period, line_key))"""
    )
    op.execute("CREATE INDEX ix_list_lines_record ON list_lines(record_code, list_period)")
    op.execute(
        "INSERT INTO list_lines (list_period, line_key, record_code, line_id, period, programme, regime, kind, "
        "amount, method, note, position, hold) SELECT list_period, line_key, record_code, line_id, period, "
        "programme, regime, kind, amount, method, note, position, hold FROM entitlement_lines"
    )
    op.execute(
        "INSERT INTO list_people (list_period, record_code, full_name, commune_code, category, birth_year, gender, "
        "id_number, village, point_id, status, status_reason, date_of_death, representative_name, "
        "representative_id_number) SELECT DISTINCT l.list_period, b.record_code, b.full_name, b.commune_code, "
        "b.category, b.birth_year, b.gender, b.id_number, b.village, b.point_id, b.status, b.status_reason, "
        "b.date_of_death, b.representative_name, b.representative_id_number "
        "FROM entitlement_lines l JOIN beneficiaries b ON b.record_code = l.record_code"
    )
