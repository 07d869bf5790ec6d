"""Statements built once: ``sql("...")`` returns the same compiled-cache-friendly TextClause for the same text.

A payment runs a dozen statements inside one transaction; rebuilding each ``text()`` on every call cost more than
the SQLite work itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Connection, TextClause, text

CHUNK = 500
"""Values per ``IN (…)`` list: well under SQLite's bound-parameter limit."""


@lru_cache(maxsize=2048)
def sql(statement: str) -> TextClause:
    return text(statement)


_Value = TypeVar("_Value", str, int)


def chunks(values: Sequence[_Value], size: int = CHUNK) -> Iterator[Sequence[_Value]]:
    """``values`` in slices small enough for one ``IN (…)`` list each."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def in_clause(values: Sequence[_Value], prefix: str = "v") -> tuple[str, dict[str, _Value]]:
    """The named placeholders of an ``IN (…)`` list for ``values`` (``NULL`` when empty), and their parameters."""
    params = {f"{prefix}{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{name}" for name in params) or "NULL", params


class FastResult:
    """The few result methods the hot paths use, over a DBAPI cursor."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def first(self) -> Any:
        return self._cursor.fetchone()

    def scalar(self) -> Any:
        row = self._cursor.fetchone()
        return row[0] if row is not None else None

    def scalar_one(self) -> Any:
        row = self._cursor.fetchone()
        if row is None:
            raise LookupError("query returned no row")
        return row[0]

    def all(self) -> list[Any]:
        rows: list[Any] = self._cursor.fetchall()
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class FastConnection:
    """The SQLite connection under an open SQLAlchemy transaction, for the payment path.

    Same transaction, same named ``:param`` SQL; it skips SQLAlchemy's per-statement bookkeeping, which cost more
    than the SQLite work itself when a payment runs a dozen statements.
    """

    __slots__ = ("_dbapi",)

    def __init__(self, conn: Connection) -> None:
        if not conn.in_transaction():
            conn.begin()  # the engine's begin hook issues BEGIN (IMMEDIATE for writes, DEFERRED for reads)
        self._dbapi: Any = conn.connection.driver_connection  # sqlcipher3's connection, which has no types

    def execute(self, statement: str,
                params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> FastResult:
        if isinstance(params, list):
            return FastResult(self._dbapi.executemany(statement, params))
        return FastResult(self._dbapi.execute(statement, params or {}))


def fast(conn: Connection) -> FastConnection:
    return FastConnection(conn)
