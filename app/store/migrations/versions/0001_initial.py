"""The first schema: places, people, entitlement lines, staff, the journal and its outbox.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE provinces (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
    """CREATE TABLE communes (
        code TEXT PRIMARY KEY, name TEXT NOT NULL,
        province_code TEXT NOT NULL REFERENCES provinces(code), district TEXT)""",
    """CREATE TABLE villages (
        commune_code TEXT NOT NULL REFERENCES communes(code), name TEXT NOT NULL,
        PRIMARY KEY (commune_code, name))""",
    """CREATE TABLE payout_points (
        point_id TEXT PRIMARY KEY, commune_code TEXT NOT NULL REFERENCES communes(code),
        name TEXT NOT NULL, address TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE schedule (
        point_id TEXT NOT NULL REFERENCES payout_points(point_id), day TEXT NOT NULL,
        start TEXT NOT NULL, "end" TEXT NOT NULL, PRIMARY KEY (point_id, day))""",
    """CREATE TABLE beneficiaries (
        person_id INTEGER PRIMARY KEY,
        record_code TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL,
        commune_code TEXT NOT NULL REFERENCES communes(code),
        category TEXT NOT NULL,
        birth_year INTEGER,
        gender TEXT,
        id_number TEXT,
        village TEXT,
        point_id TEXT REFERENCES payout_points(point_id),
        status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'deceased')),
        status_reason TEXT NOT NULL DEFAULT '',
        date_of_death TEXT,
        representative_name TEXT,
        representative_id_number TEXT)""",
    "CREATE INDEX ix_beneficiaries_id_number ON beneficiaries(id_number)",
    "CREATE INDEX ix_beneficiaries_point ON beneficiaries(point_id)",
    "CREATE INDEX ix_beneficiaries_commune ON beneficiaries(commune_code)",
    """CREATE TABLE authorisations (
        record_code TEXT NOT NULL REFERENCES beneficiaries(record_code), number TEXT NOT NULL,
        proxy_name TEXT NOT NULL, proxy_id_number TEXT NOT NULL, valid_from TEXT, valid_until TEXT NOT NULL,
        PRIMARY KEY (record_code, number))""",
    """CREATE TABLE entitlement_lines (
        line_key TEXT PRIMARY KEY,
        line_id TEXT,
        record_code TEXT NOT NULL REFERENCES beneficiaries(record_code),
        period TEXT NOT NULL,
        list_period TEXT NOT NULL,
        programme TEXT NOT NULL,
        regime TEXT NOT NULL,
        kind TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount >= 0),
        method TEXT NOT NULL CHECK (method IN ('cash', 'account')),
        note TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL)""",
    "CREATE INDEX ix_lines_record ON entitlement_lines(record_code, position)",
    """CREATE TABLE list_imports (
        import_id INTEGER PRIMARY KEY, payout_period TEXT NOT NULL, source TEXT NOT NULL, sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL, added INTEGER NOT NULL, changed INTEGER NOT NULL, removed INTEGER NOT NULL,
        kept_paid INTEGER NOT NULL)""",
    """CREATE TABLE staff (
        username TEXT PRIMARY KEY, full_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('teller', 'supervisor')),
        password_hash TEXT, active INTEGER NOT NULL DEFAULT 1)""",
    # --- the journal: append-only facts --------------------------------------------------------------------------
    """CREATE TABLE journal (
        seq INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        staff TEXT NOT NULL,
        payload BLOB NOT NULL,
        prev_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL UNIQUE)""",
    """CREATE TABLE payment_lines (
        entry_id TEXT NOT NULL REFERENCES journal(entry_id), line_key TEXT NOT NULL,
        amount INTEGER NOT NULL, PRIMARY KEY (entry_id, line_key))""",
    "CREATE INDEX ix_payment_lines_key ON payment_lines(line_key)",
    """CREATE TABLE signatures (
        entry_id TEXT PRIMARY KEY REFERENCES journal(entry_id),
        strokes BLOB NOT NULL, png BLOB NOT NULL, digest TEXT NOT NULL)""",
    # --- state derived from the journal, kept in the same transactions --------------------------------------------
    """CREATE TABLE line_settlements (
        line_key TEXT PRIMARY KEY, entry_id TEXT NOT NULL REFERENCES journal(entry_id))""",
    """CREATE TABLE payments (
        entry_id TEXT PRIMARY KEY REFERENCES journal(entry_id), session_id TEXT NOT NULL,
        record_code TEXT NOT NULL, total INTEGER NOT NULL, recorded_at TEXT NOT NULL,
        reversed_by TEXT REFERENCES journal(entry_id))""",
    "CREATE INDEX ix_payments_record ON payments(record_code)",
    "CREATE INDEX ix_payments_session ON payments(session_id)",
    """CREATE TABLE payout_sessions (
        session_id TEXT PRIMARY KEY, commune_code TEXT NOT NULL, point_id TEXT NOT NULL, day TEXT NOT NULL,
        period TEXT NOT NULL, cash_advance INTEGER NOT NULL, opened_by TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')), paid_total INTEGER NOT NULL DEFAULT 0,
        opened_entry TEXT NOT NULL REFERENCES journal(entry_id), closed_entry TEXT REFERENCES journal(entry_id))""",
    """CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY REFERENCES journal(seq), entry_id TEXT NOT NULL UNIQUE REFERENCES journal(entry_id),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'accepted')),
        attempts INTEGER NOT NULL DEFAULT 0, updated_at TEXT)""",
    """CREATE TABLE restore_log (
        restore_id INTEGER PRIMARY KEY, restored_at TEXT NOT NULL, source TEXT NOT NULL,
        head_seq INTEGER NOT NULL, head_hash TEXT NOT NULL, forced INTEGER NOT NULL)""",
]

APPEND_ONLY = ("journal", "payment_lines", "signatures")


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
            )
    op.execute(
        "CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox "
        "BEGIN SELECT RAISE(ABORT, 'outbox rows are never deleted'); END"
    )
