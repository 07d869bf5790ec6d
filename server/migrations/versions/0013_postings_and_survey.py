"""Public-notice postings and the satisfaction survey's counts, as devices journal them (issue 13, posting-and-survey
work).

Revision ID: 0013
Revises: 0012
"""

from alembic import op

from server import schema

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for table in (schema.public_postings, schema.survey_answers):
        table.create(bind, checkfirst=True)
        for statement in schema.append_only_statements(table.name, bind.dialect.name):
            op.execute(statement)
