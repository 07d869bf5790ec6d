"""Full-text search over people: folded names (no accents, đ→d), record codes, ID numbers and villages.

Revision ID: 0002
Revises: 0001
"""

from alembic import op
from sqlalchemy import text

from app.domain.text import fold, fold_tokens

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE person_search USING fts5("
        "name, codes, village, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
    )
    bind = op.get_bind()
    rows = bind.execute(
        text("SELECT person_id, full_name, record_code, id_number, village FROM beneficiaries")
    ).all()
    for person_id, full_name, record_code, id_number, village in rows:
        bind.execute(
            text("INSERT INTO person_search(rowid, name, codes, village) VALUES (:id, :name, :codes, :village)"),
            {
                "id": person_id,
                "name": fold(full_name),
                "codes": " ".join([*fold_tokens(record_code), id_number or ""]).strip(),
                "village": fold(village or ""),
            },
        )
