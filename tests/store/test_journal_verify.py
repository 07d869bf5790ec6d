"""The chained journal: gap-free sequence, outbox one to one, and tampering caught and named by verify."""

from __future__ import annotations

import json

from sqlalchemy import text

from app.domain.journal import GENESIS_HASH
from app.store import database
from tests.builders.store import DUC, HUE, request


def _pay_two(store, session_id):
    first = store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    second = store.payouts.pay(request(session_id, HUE, store.payouts.person(HUE).selected))
    return first, second


def _drop_triggers(conn) -> None:
    for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all():
        conn.execute(text(f"DROP TRIGGER {name}"))


def test_sequence_is_gap_free_and_chained_with_outbox_rows(store, session_id):
    _pay_two(store, session_id)
    with database.read(store.engine) as conn:
        rows = conn.execute(text("SELECT seq, prev_hash, entry_hash FROM journal ORDER BY seq")).all()
        outbox = conn.execute(text("SELECT seq, state FROM outbox ORDER BY seq")).all()
    assert [row[0] for row in rows] == [1, 2, 3]
    assert rows[0][1] == GENESIS_HASH and rows[1][1] == rows[0][2] and rows[2][1] == rows[1][2]
    assert outbox == [(1, "pending"), (2, "pending"), (3, "pending")]
    report = store.maintenance.verify()
    assert report.ok and report.entries == 3 and report.head_hash == rows[2][2]


def test_editing_one_amount_in_the_journal_is_caught_and_named(store, session_id):
    first, _second = _pay_two(store, session_id)
    with database.write(store.engine) as conn:
        _drop_triggers(conn)
        payload = json.loads(bytes(conn.execute(text("SELECT payload FROM journal WHERE entry_id = :e"),
                                                 {"e": first.entry_id}).scalar_one()))
        payload["body"]["lines"][0]["amount"] += 1_000_000
        payload["body"]["total"] += 1_000_000
        tampered = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        conn.execute(text("UPDATE journal SET payload = :p WHERE entry_id = :e"), {"p": tampered, "e": first.entry_id})
    report = store.maintenance.verify()
    assert not report.ok
    assert report.first_problem.seq == first.seq and report.first_problem.entry_id == first.entry_id
    assert "hash" in report.first_problem.reason


def test_editing_an_amount_in_the_payment_lines_is_caught_and_named(store, session_id):
    _first, second = _pay_two(store, session_id)
    with database.write(store.engine) as conn:
        _drop_triggers(conn)
        conn.execute(text("UPDATE payment_lines SET amount = amount + 500000 WHERE entry_id = :e"),
                     {"e": second.entry_id})
    report = store.maintenance.verify()
    assert not report.ok
    assert (report.first_problem.seq, report.first_problem.entry_id) == (second.seq, second.entry_id)
    assert "payment lines" in report.first_problem.reason


def test_a_deleted_entry_and_a_swapped_signature_are_caught(store, session_id):
    first, second = _pay_two(store, session_id)
    with database.write(store.engine) as conn:
        _drop_triggers(conn)
        conn.execute(text("UPDATE signatures SET strokes = :s WHERE entry_id = :e"),
                     {"s": b"PDS1-forged", "e": second.entry_id})
    report = store.maintenance.verify()
    assert [(p.seq, p.reason) for p in report.problems] == [(second.seq, "signature differs from the journal entry")]
    with database.write(store.engine) as conn:
        conn.execute(text("DELETE FROM outbox WHERE seq = :s"), {"s": first.seq})
        conn.execute(text("DELETE FROM payment_lines WHERE entry_id = :e"), {"e": first.entry_id})
        conn.execute(text("DELETE FROM line_settlements WHERE entry_id = :e"), {"e": first.entry_id})
        conn.execute(text("DELETE FROM payments WHERE entry_id = :e"), {"e": first.entry_id})
        conn.execute(text("DELETE FROM signatures WHERE entry_id = :e"), {"e": first.entry_id})
        conn.execute(text("DELETE FROM journal WHERE entry_id = :e"), {"e": first.entry_id})
    report = store.maintenance.verify()
    assert not report.ok
    assert report.first_problem.seq == second.seq
    assert "gap" in report.problems[0].reason or "previous" in report.problems[0].reason
