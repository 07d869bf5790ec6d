"""The month being reported: officers mark a month's settlement final ("chốt báo cáo tháng"), audited (issue 13).

Revision ID: 0010
Revises: 0009

Until an officer marks a month final, that month is the one the console opens on, whatever later list has arrived.

PostgreSQL: the progress queries' covering indexes on ``list_lines`` (revision 0003) also carry ``agency``, since the
console counts turns (person, agency, period, kind): without it every listed line was read from the table
(``bench/bench_console.py``, ``docs/PERFORMANCE.md``).
"""

from alembic import op

from server import schema

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


COVERING = (
    # name, key columns, PostgreSQL INCLUDE columns (revision 0003's, and now ``agency``)
    ("ix_list_lines_scope", ["commune_code", "list_period"],
     ["method", "record_code", "line_key", "kind", "amount", "programme", "regime", "agency"]),
    ("ix_list_lines_period_key", ["list_period", "line_key"],
     ["commune_code", "method", "record_code", "kind", "amount", "programme", "regime", "agency"]),
)


def upgrade() -> None:
    bind = op.get_bind()
    schema.month_closings.create(bind, checkfirst=True)
    for statement in schema.append_only_statements("month_closings", bind.dialect.name):
        op.execute(statement)
    if bind.dialect.name == "postgresql":
        for name, columns, include in COVERING:
            op.drop_index(name, table_name="list_lines", if_exists=True)
            op.create_index(name, "list_lines", columns, postgresql_include=include)

