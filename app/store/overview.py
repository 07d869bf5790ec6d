"""What a store holds, in figures and one example person: the demo's summary on the command line.

The command line prints these; the SQL stays here, in the store, like every other statement of the desk
(``docs/ARCHITECTURE.md``, "SQL").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from app.store import database


@dataclass(frozen=True)
class Contents:
    """The latest list's period (None before any list), the places and people, and the cash lines with their total."""

    period: str | None
    communes: int
    points: int
    people: int
    cash_lines: int
    cash_total: int


def contents(engine: Engine) -> Contents:
    with database.read(engine) as conn:
        period = conn.execute(text("SELECT max(list_period) FROM entitlement_lines")).scalar()
        counts = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM communes), (SELECT count(*) FROM payout_points), "
                "(SELECT count(*) FROM beneficiaries), count(*), coalesce(sum(amount), 0) "
                "FROM entitlement_lines WHERE method = 'cash'"
            )
        ).one()
    return Contents(period or None, counts[0], counts[1], counts[2], counts[3], counts[4])


def first_named(engine: Engine, full_name: str) -> str | None:
    """The record code of the first person added with this name, if any."""
    with database.read(engine) as conn:
        return conn.execute(
            text("SELECT record_code FROM beneficiaries WHERE full_name = :name ORDER BY person_id LIMIT 1"),
            {"name": full_name},
        ).scalar()


def active_example(engine: Engine, full_name: str) -> str | None:
    """An active person of this name, else the active person with the lowest record code (None when nobody is)."""
    with database.read(engine) as conn:
        row = conn.execute(text("SELECT record_code FROM beneficiaries WHERE full_name = :name "
                                "AND status = 'active' LIMIT 1"), {"name": full_name}).first()
        if row is None:
            row = conn.execute(text("SELECT record_code FROM beneficiaries WHERE status = 'active' "
                                    "ORDER BY record_code LIMIT 1")).first()
    return row[0] if row else None
