"""The province server's tables (SQLAlchemy Core), the same on PostgreSQL and SQLite.

The province's list (places, people, lines) is the master the devices download; ``changes`` is the change feed they
page through; ``entries`` holds every authentic journal entry a device sent, in order per device, never edited;
``flags`` says what is wrong with an entry's content. Rows in ``entries``, ``paid_lines``, ``signatures``,
``flags`` and ``changes`` are only ever inserted.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

server_meta = Table(
    "server_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

communes = Table(
    "communes", metadata,
    Column("code", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("province_code", String(32), nullable=False),
    Column("province_name", Text, nullable=False),
    Column("district", Text),
    Column("places", Text, nullable=False),  # JSON: villages, points, schedule (app.wire.codec.places_to_wire shape)
)

people = Table(
    "people", metadata,
    Column("record_code", String(64), primary_key=True),
    Column("commune_code", String(32), ForeignKey("communes.code"), nullable=False, index=True),
    Column("full_name", Text, nullable=False),
    Column("id_number", String(32)),
    Column("status", String(16), nullable=False),
    Column("date_of_death", String(10)),
    Column("data", Text, nullable=False),  # JSON: app.wire.codec.person_to_wire + "authorisations"
    Column("point_id", String(200)),  # revision 0002
    Column("agency", String(32), nullable=False, default="", server_default=""),  # revision 0009: whose list
    Index("ix_people_id_number", "id_number"),  # revision 0009: records of one person by the personal number
)

lines = Table(
    "lines", metadata,
    Column("line_key", String(200), primary_key=True),
    Column("record_code", String(64), ForeignKey("people.record_code"), nullable=False, index=True),
    Column("commune_code", String(32), nullable=False),
    Column("period", String(7), nullable=False),
    Column("list_period", String(7), nullable=False),
    Column("programme", String(64), nullable=False),
    Column("regime", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("method", String(8), nullable=False),
    Column("withdrawn", Boolean, nullable=False, default=False),
    Column("data", Text, nullable=False),  # JSON: app.wire.codec.line_to_wire
    Column("agency", String(32), nullable=False, default="", server_default=""),  # revision 0009: of the programme
    Index("ix_lines_commune_period", "commune_code", "list_period"),
)

list_imports = Table(
    "list_imports", metadata,
    Column("import_id", Integer, primary_key=True, autoincrement=True),
    Column("payout_period", String(7), nullable=False),
    Column("source", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("communes", Integer, nullable=False),
    Column("lines", Integer, nullable=False),
    Column("agency", String(32), nullable=False, default="", server_default=""),  # revision 0009
)

staff = Table(
    "staff", metadata,
    Column("username", String(64), primary_key=True),
    Column("full_name", Text, nullable=False),
    Column("role", String(16), nullable=False),  # teller, supervisor (on devices); officer, admin (province)
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("communes", Text, nullable=False, default="[]"),  # JSON list of commune codes ("*" = every commune)
    Column("agency", String(32)),  # revision 0009: the one agency an officer works for (None: every agency)
)

devices = Table(
    "devices", metadata,
    Column("device_id", String(36), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("label", Text, nullable=False, default=""),
    Column("communes", Text, nullable=False),  # JSON list of commune codes
    Column("status", String(16), nullable=False, default="active"),  # active, revoked
    Column("enrolled_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
    Column("revoked_reason", Text),
    Column("last_seq", BigInteger, nullable=False, default=0),
    Column("head_hash", String(64), nullable=False),
    Column("last_seen_at", String(32)),
    Column("clock_skew_seconds", Integer),
    Column("sealed_key", Text),  # the device's database key sealed to the province recovery key
    Column("pending_reported", Integer),  # entries the device said it still had to send, at its last contact
)

enrol_codes = Table(
    "enrol_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("communes", Text, nullable=False),
    Column("label", Text, nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("used_by", String(36)),
    Column("used_at", String(32)),
)

entries = Table(
    "entries", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("entry_id", String(36), nullable=False, unique=True),
    Column("device_id", String(36), ForeignKey("devices.device_id"), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("received_at", String(32), nullable=False),
    Column("staff", String(64), nullable=False),
    Column("session_id", String(36)),
    Column("commune_code", String(32)),
    Column("record_code", String(64)),
    Column("total", BigInteger),
    Column("recipient_id", String(32)),  # a proxy's ID number, for the proxy limit
    Column("payout_period", String(7)),  # revision 0002: the session's period (payments), for progress
    Column("branch", Integer, nullable=False, default=0),  # 0 on the device's first chain; n after the n-th fork
    Index("ix_entries_device_seq", "device_id", "seq"),
    Index("ix_entries_session", "session_id"),
    # revision 0003: covering indexes for the console's turns (PostgreSQL INCLUDE; key columns only on SQLite)
    Index("ix_entries_scope", "commune_code", "kind", "payout_period", postgresql_include=["entry_id", "total"]),
    Index("ix_entries_period_kind", "payout_period", "kind", "commune_code", postgresql_include=["entry_id", "total"]),
)

paid_lines = Table(
    "paid_lines", metadata,
    Column("entry_id", String(36), ForeignKey("entries.entry_id"), nullable=False),
    Column("line_key", String(200), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("record_code", String(64), nullable=False),
    Column("commune_code", String(32)),
    Column("period", String(7), nullable=False),
    Column("device_id", String(36), nullable=False),
    UniqueConstraint("entry_id", "line_key", name="uq_paid_lines_entry_line"),
    Index("ix_paid_lines_key", "line_key"),
    Index("ix_paid_lines_commune_period", "commune_code", "period"),
)

reversals = Table(
    "reversals", metadata,
    Column("reversal_entry_id", String(36), ForeignKey("entries.entry_id"), primary_key=True),
    Column("payment_entry_id", String(36), nullable=False, index=True),
    Column("total", BigInteger, nullable=False),
)

signatures = Table(
    "signatures", metadata,
    Column("entry_id", String(36), ForeignKey("entries.entry_id"), primary_key=True),
    Column("strokes", LargeBinary, nullable=False),
    Column("digest", String(64), nullable=False),
)

flags = Table(
    "flags", metadata,
    Column("flag_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("entry_id", String(36), nullable=False, index=True),
    Column("other_entry_id", String(36)),
    Column("device_id", String(36), nullable=False),
    Column("commune_code", String(32)),
    Column("line_key", String(200)),
    Column("record_code", String(64)),
    Column("detail", Text, nullable=False),  # JSON
    Column("created_at", String(32), nullable=False),
    Index("ix_flags_commune", "commune_code"),
)

changes = Table(
    "changes", metadata,
    Column("change_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("commune_code", String(32), index=True),
    Column("device_id", String(36), index=True),  # set for items meant for one device only
    Column("kind", String(16), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    Column("created_at", String(32), nullable=False),
)


# --- revision 0002: the province console ------------------------------------------------------------------------

list_lines = Table(
    "list_lines", metadata,
    Column("list_period", String(7), primary_key=True),
    Column("line_key", String(200), primary_key=True),
    Column("commune_code", String(32), nullable=False),
    Column("record_code", String(64), nullable=False),
    Column("point_id", String(200)),
    Column("kind", String(16), nullable=False),
    Column("programme", String(64), nullable=False),
    Column("regime", String(64), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("method", String(8), nullable=False),
    Column("agency", String(32), nullable=False, default="", server_default=""),  # revision 0009: of the programme
    # revision 0003: the progress queries' access paths (why: server/progress.py). PostgreSQL carries the listed
    # columns as INCLUDE (index-only scans); SQLite, without INCLUDE, gets the key columns.
    Index("ix_list_lines_scope", "commune_code", "list_period",
          postgresql_include=["method", "record_code", "line_key", "kind", "amount", "programme", "regime",
                              "agency"]),  # agency: revision 0010 (turns are per agency)
    Index("ix_list_lines_period_key", "list_period", "line_key",
          postgresql_include=["commune_code", "method", "record_code", "kind", "amount", "programme", "regime",
                              "agency"]  # agency: revision 0010
          ).ddl_if(dialect="postgresql"),  # on SQLite it would repeat the primary key's index
    Index("ix_list_lines_period_commune_method", "list_period", "commune_code", "method"),
    Index("ix_list_lines_key_period", "line_key", "list_period"),
)
"""Which lines each month's list held, with the amount it listed: the denominator of progress (kept per period,
because a carried-over line moves on to the next list)."""

settled = Table(
    "settled", metadata,
    Column("line_key", String(200), primary_key=True),
    Column("entry_id", String(36), nullable=False),
    Column("payout_period", String(7), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("amount", BigInteger, nullable=False),
    # revision 0003: a range of months merges on (period, line key); one month, or an officer's lines, on the key
    Index("ix_settled_period_key", "payout_period", "line_key", "amount"),
    Index("ix_settled_key_period", "line_key", "payout_period", "amount"),
)
"""Derived from entries at ingest: the first unreversed payment of each line (double payments stay flags)."""

web_sessions = Table(
    "web_sessions", metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("ended_at", String(32)),
)

sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Index("ix_sign_in_failures_user", "username", "at"),
    Index("ix_sign_in_failures_address", "address", "at"),  # revision 0005: the per-address ceiling
)

audit_log = Table(
    "audit_log", metadata,
    Column("audit_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("username", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False, default=""),
    Column("reason", Text, nullable=False, default=""),
    Column("detail", Text, nullable=False, default="{}"),
)
"""Every console action (who, when, what, why); triggers refuse UPDATE and DELETE."""

flag_resolutions = Table(
    "flag_resolutions", metadata,
    Column("resolution_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("flag_id", BigInteger, ForeignKey("flags.flag_id"), nullable=False, index=True),
    Column("outcome", String(32), nullable=False),  # recovered, legitimate, write_off, duplicate_entry, other
    Column("reason", Text, nullable=False),
    Column("write_off", BigInteger, nullable=False, default=0),
    Column("by_user", String(64), nullable=False),
    Column("at", String(32), nullable=False),
)

resolution_approvals = Table(
    "resolution_approvals", metadata,
    Column("resolution_id", BigInteger, ForeignKey("flag_resolutions.resolution_id"), primary_key=True),
    Column("by_user", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("approved", Boolean, nullable=False),
    Column("reason", Text, nullable=False, default=""),
)


# --- revision 0005: replay protection -----------------------------------------------------------------------------

request_nonces = Table(
    "request_nonces", metadata,
    Column("device_id", String(36), primary_key=True),
    Column("nonce", String(32), primary_key=True),
    Column("signed_at", BigInteger, nullable=False),  # the call's signed time (the device's clock), µs since 1970
    Column("received_at", BigInteger, nullable=False),  # the server's clock when it arrived, µs since 1970
    Column("kept", Boolean, nullable=False, default=False),  # never forgotten: a call the server accepts at any time
    Index("ix_request_nonces_device_signed", "device_id", "signed_at"),
    Index("ix_request_nonces_received", "received_at"),
)
"""The nonces of the signed calls the server accepted (``server/replay.py`` says how long each is kept)."""


# --- revision 0006: payments outside a device's communes ----------------------------------------------------------

device_assignments = Table(
    "device_assignments", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("device_id", String(36), ForeignKey("devices.device_id"), nullable=False),
    Column("communes", Text, nullable=False),  # JSON list of commune codes
    Column("from_at", String(32), nullable=False),  # when (server time) the device began serving them
    Index("ix_device_assignments_device", "device_id", "from_at"),
)
"""Which communes each device served from when (enrolment, then each reassignment): a payout day is judged by the
communes its device served when the day opened, so a laptop reassigned with unsent entries is not blamed."""

flag_communes = Table(
    "flag_communes", metadata,
    Column("flag_id", BigInteger, ForeignKey("flags.flag_id"), primary_key=True),
    Column("commune_code", String(32), primary_key=True),
    Index("ix_flag_communes_commune", "commune_code"),
)
"""Communes whose officers see a flag besides its own (``flags.commune_code``): a payment outside the device's
communes is seen by the person's commune and the device's."""


# --- revision 0007: amendments as facts, and the contradictions of later lists ------------------------------------

amendments = Table(
    "amendments", metadata,
    Column("fact_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("record_code", String(64), nullable=False),
    Column("kind", String(24), nullable=False),  # app.domain.amendments.FactKind
    Column("source", String(16), nullable=False),  # FactSource: console, cli, list, decision, earlier
    Column("recorded_at", String(32), nullable=False),
    Column("recorded_by", Text, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("detail", Text, nullable=False),  # JSON: date_of_death, representative, line_key, amount, line
    Index("ix_amendments_record", "record_code", "fact_id"),
)
"""Every amendment recorded at the province (who, when, what, why), in order; triggers refuse UPDATE and DELETE.
A person's standing values are these facts folded (``app.domain.amendments.standing_of``)."""

contradictions = Table(
    "contradictions", metadata,
    Column("contradiction_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("import_id", Integer),  # the list import that contradicted (list_imports)
    Column("record_code", String(64), nullable=False),
    Column("commune_code", String(32)),
    Column("full_name", Text, nullable=False, default=""),
    Column("subject", String(24), nullable=False),  # app.domain.amendments.Subject
    Column("line_key", String(200)),
    Column("regime", String(64)),
    Column("list_period", String(7), nullable=False),
    Column("source", Text, nullable=False),  # the list's file
    Column("listed", Text, nullable=False),  # JSON: what the list says
    Column("standing", Text, nullable=False),  # JSON: what stands
    Column("fact_id", BigInteger, ForeignKey("amendments.fact_id"), nullable=False),
    Column("created_at", String(32), nullable=False),
    Index("ix_contradictions_commune", "commune_code"),
    Index("ix_contradictions_record", "record_code"),
)
"""A later list that said otherwise than a standing amendment; append-only. Decided by ``contradiction_decisions``."""

contradiction_decisions = Table(
    "contradiction_decisions", metadata,
    Column("contradiction_id", BigInteger, ForeignKey("contradictions.contradiction_id"), primary_key=True),
    Column("choice", String(8), nullable=False),  # keep, accept
    Column("reason", Text, nullable=False, default=""),
    Column("by_user", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("fact_id", BigInteger),  # the amendment an accepted list value became
)
"""An officer's explicit choice about a contradiction; append-only (one per contradiction)."""


# --- revision 0008: each month's list is kept, with the people as it gave them -----------------------------------

list_people = Table(
    "list_people", metadata,
    Column("list_period", String(7), primary_key=True),
    Column("record_code", String(64), primary_key=True),
    Column("commune_code", String(32), nullable=False),
    Column("full_name", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("date_of_death", String(10)),
    Column("agency", String(32), nullable=False, default="", server_default=""),  # revision 0009: whose list
    Index("ix_list_people_record", "record_code", "list_period"),
)
"""Each person of each month's list as it stood while that month's list was the newest (the list, held against the
standing facts, and the amendments recorded before a later list arrived): what a report of that month says about
them — the commune they were listed in, and whether a death barred their unpaid monthly lines — whatever came later
(``docs/CYCLE.md``, "Each month's list is kept")."""


# --- revision 0009: lists per agency, and the decisions that two records are (not) one person --------------------

person_links = Table(
    "person_links", metadata,
    Column("link_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("first", String(64), nullable=False),
    Column("second", String(64), nullable=False),
    Column("action", String(16), nullable=False),  # app.domain.identity.LinkAction: link, separate, clear
    Column("by_user", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Index("ix_person_links_first", "first"),
    Index("ix_person_links_second", "second"),
)
"""Every decision an officer made about two records (``app.domain.identity.PersonLink``), in order; the latest about
a pair stands and ``clear`` undoes it. Append-only (triggers refuse UPDATE and DELETE); each is in the audit log too."""


def append_only_statements(table: str, dialect: str) -> list[str]:
    """The SQL that makes ``table`` append-only (triggers refusing UPDATE and DELETE) on ``dialect``: what each
    migration creating such a table runs, so the wording and the mechanism are the same for every one."""
    statements = []
    for action in ("UPDATE", "DELETE"):
        if dialect == "postgresql":
            statements.append(
                f"CREATE OR REPLACE FUNCTION {table}_refuse_{action.lower()}() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION '{table} is append-only: {action} refused'; END $$ LANGUAGE plpgsql")
            statements.append(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_{action.lower()}()")
        else:
            statements.append(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END")
    return statements


# --- revision 0010: the month being reported ("chốt báo cáo tháng") ---------------------------------------------

month_closings = Table(
    "month_closings", metadata,
    Column("closing_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("period", String(7), nullable=False),
    Column("agency", String(32), nullable=False, default="", server_default=""),  # "": every agency
    Column("action", String(16), nullable=False),  # server.reporting: final, reopen
    Column("by_user", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Index("ix_month_closings_period", "period"),
)
"""Every time an officer marked a month's settlement final for an agency (or every agency, ""), or reopened it, in
order; the latest about a (month, agency) stands (``server.reporting``). Append-only; each is in the audit log too."""


# --- revision 0012: policy notices and the province's time zone --------------------------------------------------

feed_deliveries = Table(
    "feed_deliveries", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("device_id", String(36), ForeignKey("devices.device_id"), nullable=False),
    Column("position", BigInteger, nullable=False),  # the feed's change_id up to which the device was sent pages
    Column("delivered_at", String(32), nullable=False),
    Index("ix_feed_deliveries_device", "device_id", "position"),
)
"""When each device was sent the change feed up to where (a row only when its position moves forward): whether a
commune's list reached its devices before the payout day (``server.deadlines``). Append-only."""

policy_texts = Table(
    "policy_texts", metadata,
    Column("version", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("regime", String(64), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("text_en", Text, nullable=False, default=""),
    Column("by_user", String(64), nullable=False),
    Column("by_name", Text, nullable=False, default=""),
    Column("at", String(32), nullable=False),
    Column("reason", Text, nullable=False, default=""),
)
"""Every correction of a regime's explanation an officer made; the newest version of a regime stands and goes to
the desks (``server.policy_notices``). Append-only."""

policy_notices = Table(
    "policy_notices", metadata,
    Column("notice_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("effective_from", String(10), nullable=False),
    Column("regime", String(64), nullable=False, default=""),
    Column("agency", String(32), nullable=False, default=""),
    Column("by_user", String(64), nullable=False),
    Column("by_name", Text, nullable=False, default=""),
    Column("at", String(32), nullable=False),
)
"""Every policy notice published (``server.policy_notices``). Append-only: a withdrawal is its own row."""

policy_notice_withdrawals = Table(
    "policy_notice_withdrawals", metadata,
    Column("notice_id", BigInteger().with_variant(Integer, "sqlite"), ForeignKey("policy_notices.notice_id"),
           primary_key=True),
    Column("by_user", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("reason", Text, nullable=False),
)
"""A notice withdrawn, by whom, when and why (at most once). Append-only."""


# --- revision 0013: public-notice postings and the satisfaction survey ------------------------------------------

public_postings = Table(
    "public_postings", metadata,
    Column("entry_id", String(36), primary_key=True),  # the device's ``public_posting`` journal entry
    Column("device_id", String(64), nullable=False),
    Column("commune_code", String(32), nullable=False),
    Column("point_id", String(200), nullable=False),
    Column("period", String(7), nullable=False),
    Column("posted_on", String(10), nullable=False),
    Column("place", Text, nullable=False),
    Column("officer_name", Text, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("received_at", String(32), nullable=False),
    Column("photo", LargeBinary),
    Column("photo_type", String(16)),
    Index("ix_public_postings_period", "period", "commune_code"),
)
"""Each record that a payout's public notice was posted (``app.domain.posting``), as a device journalled it, with
its photo when one was sent. Append-only; ``server.postings`` judges whether it was up in time."""

survey_answers = Table(
    "survey_answers", metadata,
    Column("answer_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("entry_id", String(36), nullable=False, index=True),  # the device's ``survey_answers`` entry
    Column("device_id", String(64), nullable=False),
    Column("commune_code", String(32), nullable=False),
    Column("point_id", String(200), nullable=False),
    Column("day", String(10), nullable=False),
    Column("period", String(7), nullable=False),  # the month of ``day``
    Column("teller", String(64), nullable=False),
    Column("question", String(16), nullable=False),  # app.domain.survey.Question
    Column("answer", String(8), nullable=False),
    Column("count", Integer, nullable=False),
    Index("ix_survey_answers_period", "period", "commune_code"),
)
"""How many answers each question of the satisfaction survey got, per day, point and teller (``app.domain.survey``):
counts only — nothing names the person, the payment or the time of an answer. Append-only."""
