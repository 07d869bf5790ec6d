"""Receipt numbers a teller can say aloud, and the people of a point listed in Vietnamese order by SQL.

Revision ID: 0007
Revises: 0006

``payments.receipt_no``: one gap-free number per payout day (the session's day) on this device, 1, 2, 3 … in the
order the payments were made, whatever point or session; with ``payments.day`` it names a receipt ("biên nhận số 7
ngày 12/03/2026") on screen, on paper and on the command line. Derived state like the rest of ``payments``: it is
not part of the journal entry (the chain and the wire are unchanged), and payments already made are numbered here
in journal order.

``beneficiaries.name_key``: ``app.domain.text.person_name_bytes`` of the full name (given name, family name, middle
names, in Vietnamese order, as bytes that compare like the key), so a point's people are read in order with
``ORDER BY name_key`` on an index instead of sorting the whole point in Python; existing people get theirs here.
"""

from alembic import op
from sqlalchemy import text

from app.domain.text import person_name_bytes

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_CHUNK = 5_000


def upgrade() -> None:
    bind = op.get_bind()
    op.execute("ALTER TABLE beneficiaries ADD COLUMN name_key BLOB NOT NULL DEFAULT X''")
    people = bind.execute(text("SELECT person_id, full_name FROM beneficiaries")).all()
    for start in range(0, len(people), _CHUNK):
        bind.execute(text("UPDATE beneficiaries SET name_key = :key WHERE person_id = :id"),
                     [{"key": person_name_bytes(name), "id": person_id}
                      for person_id, name in people[start:start + _CHUNK]])
    op.execute("DROP INDEX IF EXISTS ix_beneficiaries_point_name")
    op.execute("CREATE INDEX ix_beneficiaries_point_name ON beneficiaries(point_id, name_key, record_code)")

    op.execute("ALTER TABLE payments ADD COLUMN day TEXT")
    op.execute("ALTER TABLE payments ADD COLUMN receipt_no INTEGER")
    numbered: dict[str, int] = {}
    rows = []
    for entry_id, day in bind.execute(text(
            "SELECT p.entry_id, s.day FROM payments p JOIN journal j ON j.entry_id = p.entry_id "
            "JOIN payout_sessions s ON s.session_id = p.session_id ORDER BY j.seq")):
        numbered[day] = numbered.get(day, 0) + 1
        rows.append({"e": entry_id, "d": day, "n": numbered[day]})
    if rows:
        bind.execute(text("UPDATE payments SET day = :d, receipt_no = :n WHERE entry_id = :e"), rows)
    op.execute("CREATE UNIQUE INDEX ix_payments_receipt ON payments(day, receipt_no)")
