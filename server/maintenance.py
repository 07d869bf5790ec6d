"""Derived tables rebuilt from the facts: ``settled`` (first unreversed payment of each line) from the stored
entries, paid lines and reversals. Ingest keeps it current; this recomputes it (after a bulk load, or to check)."""

from __future__ import annotations

from sqlalchemy import Connection, text


def rebuild_settled(conn: Connection) -> int:
    """Recompute ``settled`` in one statement; returns the number of settled lines."""
    conn.execute(text("DELETE FROM settled"))
    conn.execute(text(
        "INSERT INTO settled (line_key, entry_id, payout_period, device_id, amount) "
        "SELECT first.line_key, e.entry_id, coalesce(e.payout_period, substr(e.recorded_at, 1, 7)), e.device_id, "
        "       pl.amount "
        "FROM (SELECT pl.line_key, min(e.id) AS first_id FROM paid_lines pl JOIN entries e ON e.entry_id = pl.entry_id "
        "      WHERE NOT EXISTS (SELECT 1 FROM reversals r WHERE r.payment_entry_id = pl.entry_id) "
        "      GROUP BY pl.line_key) first "
        "JOIN entries e ON e.id = first.first_id "
        "JOIN paid_lines pl ON pl.entry_id = e.entry_id AND pl.line_key = first.line_key"
    ))
    return int(conn.execute(text("SELECT count(*) FROM settled")).scalar_one())
