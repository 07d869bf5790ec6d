"""Each month's list is kept with its people as it gave them (``list_people``).

Revision ID: 0008
Revises: 0007

``list_lines`` (revision 0002) already keeps which lines each month's list held, at which amounts, in which commune;
what a report of that month says about a person (listed where, barred by a death) came from ``people``, the current
state, so a death recorded or a move listed later changed an earlier month's settlement. ``list_people`` keeps each
person per list period. Existing data: one row per (list period, person) of ``list_lines``, as the person stands now
(the best the server still knows).
"""

import sqlalchemy as sa
from alembic import op

from server import schema

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    schema.metadata.create_all(bind, tables=[schema.list_people])
    ll, people = schema.list_lines.c, schema.people.c
    listed = sa.select(ll.list_period, ll.record_code).distinct().subquery("listed")
    bind.execute(schema.list_people.insert().from_select(
        ["list_period", "record_code", "commune_code", "full_name", "status", "date_of_death"],
        sa.select(listed.c.list_period, people.record_code, people.commune_code, people.full_name, people.status,
                  people.date_of_death)
        .select_from(listed.join(schema.people, people.record_code == listed.c.record_code))))
