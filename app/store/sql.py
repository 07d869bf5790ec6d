"""Statements built once: ``sql("...")`` returns the same compiled-cache-friendly TextClause for the same text.

A payment runs a dozen statements inside one transaction; rebuilding each ``text()`` on every call cost more than
the SQLite work itself.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import TextClause, text


@lru_cache(maxsize=2048)
def sql(statement: str) -> TextClause:
    return text(statement)
