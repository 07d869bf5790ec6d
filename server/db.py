"""The server's database: one engine per URL, safe SQLite settings, migrations with Alembic.

PostgreSQL in production; a SQLite file as the embedded default. On SQLite every write takes the lock up front
(``BEGIN IMMEDIATE``) so concurrent uploads queue instead of failing half-way; on PostgreSQL the per-device row lock
(``SELECT … FOR UPDATE``) serialises uploads of one device while different devices run in parallel.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text

from server import schema

MIGRATIONS_DIR = Path(str(files("server").joinpath("migrations")))
"""Alembic's scripts, package data of ``server`` (found through importlib.resources, so an installed wheel has them)."""
HEAD_REVISION = "0013"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8,
                               max_overflow=16)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:  # the driver's connection (sqlite3 or sqlcipher3)
            dbapi_conn.isolation_level = None  # we own BEGIN
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_size=10, max_overflow=30, pool_pre_ping=True)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    with engine.begin() as conn:
        yield conn


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic); quick when already there."""
    with engine.connect() as conn:
        if inspect(conn).has_table("alembic_version"):
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if current == HEAD_REVISION:
                return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(schema.server_meta.c.value).where(schema.server_meta.c.key == key)).scalar()


def set_meta(conn: Connection, key: str, value: str) -> None:
    table = schema.server_meta
    if get_meta(conn, key) is None:
        conn.execute(table.insert().values(key=key, value=value))
    else:
        conn.execute(table.update().where(table.c.key == key).values(value=value))
