"""Lists per agency (Sở Nội vụ, BHXH, the commune), officers of one agency, and the decisions that two records are
(not) one person.

Revision ID: 0009
Revises: 0008

A list replaces, withdraws and counts only its own agency's lines and people of its communes and period, so each
line, kept line, person and kept person carries an agency. Existing data: a line's agency is its programme's
(``PolicyReference.agency_of``); a person's is their lines' agency when all their lines have one, else "" (a record
from before lists named their agency); imports and officers before this had no agency (every agency).
"""

import sqlalchemy as sa
from alembic import op

from server import schema

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ("people", "lines", "list_lines", "list_people", "list_imports")


def upgrade() -> None:
    from app.lists.policy import load_policy

    bind = op.get_bind()
    inspector = sa.inspect(bind)
    # Tables an earlier revision created from ``schema.py`` as it now stands already have the column (a new database).
    for table in COLUMNS:
        if "agency" not in {column["name"] for column in inspector.get_columns(table)}:
            op.add_column(table, sa.Column("agency", sa.String(32), nullable=False, server_default=""))
    if "agency" not in {column["name"] for column in inspector.get_columns("staff")}:
        op.add_column("staff", sa.Column("agency", sa.String(32)))
    if "ix_people_id_number" not in {index["name"] for index in inspector.get_indexes("people")}:
        op.create_index("ix_people_id_number", "people", ["id_number"])
    schema.person_links.create(bind)
    policy = load_policy()
    for listed in (schema.lines, schema.list_lines):
        for programme in list(bind.execute(sa.select(listed.c.programme).distinct()).scalars()):
            bind.execute(listed.update().where(listed.c.programme == programme)
                         .values(agency=policy.agency_of(programme)))
    ln, people, kept = schema.lines.c, schema.people, schema.list_people
    for agency in list(bind.execute(sa.select(ln.agency).distinct()).scalars()):
        only = (sa.select(ln.record_code).group_by(ln.record_code)
                .having(sa.and_(sa.func.min(ln.agency) == agency, sa.func.max(ln.agency) == agency)))
        bind.execute(people.update().where(people.c.record_code.in_(only)).values(agency=agency))
    bind.execute(kept.update().values(agency=sa.func.coalesce(
        sa.select(people.c.agency).where(people.c.record_code == kept.c.record_code).scalar_subquery(), "")))
    for action in ("UPDATE", "DELETE"):
        if bind.dialect.name == "postgresql":
            op.execute(
                f"CREATE OR REPLACE FUNCTION person_links_refuse_{action.lower()}() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION 'person_links is append-only: {action} refused'; END $$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER person_links_no_{action.lower()} BEFORE {action} ON person_links "
                f"FOR EACH ROW EXECUTE FUNCTION person_links_refuse_{action.lower()}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER person_links_no_{action.lower()} BEFORE {action} ON person_links "
                f"BEGIN SELECT RAISE(ABORT, 'person_links is append-only: {action} refused'); END"
            )
