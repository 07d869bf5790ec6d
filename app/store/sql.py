"""Statements built once: ``sql("...")`` returns the same compiled-cache-friendly TextClause for the same text.

A payment runs a dozen statements inside one transaction; rebuilding each ``text()`` on every call cost more than
the SQLite work itself.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator, Mapping, Sequence

from sqlalchemy import Connection, TextClause, text


@lru_cache(maxsize=2048)
def sql(statement: str) -> TextClause:
    return text(statement)


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
        return self._cursor.fetchall()

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
        self._dbapi = conn.connection.driver_connection

    def execute(self, statement: str, params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> FastResult:
        if isinstance(params, list):
            return FastResult(self._dbapi.executemany(statement, params))
        return FastResult(self._dbapi.execute(statement, params or {}))


def fast(conn: Connection) -> FastConnection:
    return FastConnection(conn)
