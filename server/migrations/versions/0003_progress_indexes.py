"""The console's progress queries: covering and composite indexes on list_lines, settled and entries.

Revision ID: 0003
Revises: 0002

Each new index starts with the columns of the one it replaces, so every query the old one served is still served.
Why each exists is in ``server/progress.py``'s docstring; the figures are in ``docs/PERFORMANCE.md`` ("Province
console"). PostgreSQL gets the non-key columns as ``INCLUDE`` (index-only scans); SQLite, which has no ``INCLUDE``,
gets the key columns. A database created at revision 0002 or later from the current ``schema.py`` may already have
some of them, hence ``if_not_exists`` / ``if_exists``.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEW: tuple[tuple[str, str, list[str], list[str], bool], ...] = (
    # name, table, key columns, PostgreSQL INCLUDE columns, PostgreSQL only
    ("ix_list_lines_scope", "list_lines", ["commune_code", "list_period"],
     ["method", "record_code", "line_key", "kind", "amount", "programme", "regime"], False),
    ("ix_list_lines_period_key", "list_lines", ["list_period", "line_key"],
     ["commune_code", "method", "record_code", "kind", "amount", "programme", "regime"], True),
    ("ix_list_lines_period_commune_method", "list_lines", ["list_period", "commune_code", "method"], [], False),
    ("ix_list_lines_key_period", "list_lines", ["line_key", "list_period"], [], False),
    ("ix_settled_period_key", "settled", ["payout_period", "line_key", "amount"], [], False),
    ("ix_settled_key_period", "settled", ["line_key", "payout_period", "amount"], [], False),
    ("ix_entries_scope", "entries", ["commune_code", "kind", "payout_period"], ["entry_id", "total"], False),
    ("ix_entries_period_kind", "entries", ["payout_period", "kind", "commune_code"], ["entry_id", "total"], False),
)
"""``ix_list_lines_period_key`` only on PostgreSQL: without ``INCLUDE`` it would repeat the primary key's index."""

REPLACED = (
    # name, table, key columns (as revisions 0001 and 0002 created them)
    ("ix_list_lines_period_commune", "list_lines", ["list_period", "commune_code"]),
    ("ix_list_lines_key", "list_lines", ["line_key"]),
    ("ix_settled_period", "settled", ["payout_period"]),
    ("ix_entries_commune", "entries", ["commune_code", "kind"]),
    ("ix_entries_payout_period", "entries", ["payout_period", "kind"]),
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, columns, include, postgresql_only in NEW:
        if postgresql or not postgresql_only:
            op.create_index(name, table, columns, if_not_exists=True, postgresql_include=include)
    for name, table, _columns in REPLACED:
        op.drop_index(name, table_name=table, if_exists=True)


def downgrade() -> None:
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns, if_not_exists=True)
    for name, table, *_ in NEW:
        op.drop_index(name, table_name=table, if_exists=True)
