"""Opening the encrypted local database: SQLCipher connections, safety pragmas, transactions, migrations.

SQLite likes one writer, and a payment must be durable before the screen says "paid": every connection runs in WAL
mode with ``synchronous=FULL`` and foreign keys on, read back and checked (the app refuses to start otherwise), and
writes take the lock up front with ``BEGIN IMMEDIATE`` so the rules re-checked inside the transaction see the state
that the write will change.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import QueuePool
from sqlcipher3 import dbapi2 as sqlcipher

from app.domain.errors import StoreError
from app.store.locking import ProcessLock, process_lock

MIGRATIONS_DIR = Path(str(files("app.store").joinpath("migrations")))
"""Alembic's scripts, package data of ``app.store`` (in a wheel, an editable install and the frozen build alike)."""
HEAD_REVISION = "0012"
"""The newest migration; a database at this revision skips Alembic entirely on open (fast start)."""
WRITER_LOCK_SUFFIX = ".lock"
_WRITER_LOCKS: weakref.WeakKeyDictionary[Engine, ProcessLock] = weakref.WeakKeyDictionary()


def writer_lock(path: Path) -> ProcessLock:
    """The store's writer lock (a file beside the database), shared by every process that writes to ``path``:
    every write transaction takes it, and a restore holds it from its check to the overwrite (``app.store.locking``)."""
    return process_lock(path.with_name(path.name + WRITER_LOCK_SUFFIX))


def raw_connect(path: Path, key: bytes) -> sqlcipher.Connection:
    """A SQLCipher connection with the raw key applied and the safety pragmas set and verified."""
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10.0)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError:
            raise StoreError("store_wrong_key", path=str(path)) from None
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        _check_pragmas(conn, mode)
    except BaseException:
        conn.close()
        raise
    return conn


def _check_pragmas(conn: sqlcipher.Connection, mode: str) -> None:
    if str(mode).lower() != "wal":
        raise StoreError("store_pragma", pragma="journal_mode", value=mode)
    synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
    if synchronous != 2:
        raise StoreError("store_pragma", pragma="synchronous", value=synchronous)
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    if foreign_keys != 1:
        raise StoreError("store_pragma", pragma="foreign_keys", value=foreign_keys)


def make_engine(path: Path, key: bytes) -> Engine:
    """A SQLAlchemy engine over SQLCipher connections; ``begin()`` issues ``BEGIN IMMEDIATE``."""
    engine = create_engine(
        "sqlite://",
        module=sqlcipher,
        creator=lambda: raw_connect(path, key),
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
    )
    _WRITER_LOCKS[engine] = writer_lock(path)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:  # the driver is in autocommit mode; we own BEGIN
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextlib.contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One ``BEGIN IMMEDIATE`` … ``COMMIT`` transaction; rolled back whole on any error.

    The store's writer lock is taken first: while another process restores a backup, the write waits (and after
    ``locking.WAIT_SECONDS`` is refused with ``store_busy``), so it lands on the restored data, never under it.
    """
    lock = _WRITER_LOCKS.get(engine)
    if lock is None:
        with engine.begin() as conn:
            yield conn
        return
    with lock, engine.begin() as conn:
        yield conn


@contextlib.contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """A consistent read: one transaction (a WAL snapshot), always rolled back."""
    with engine.connect() as conn:
        conn.execution_options(sqlite_begin="DEFERRED")
        try:
            yield conn
        finally:
            conn.rollback()


def current_revision(engine: Engine) -> str | None:
    with read(engine) as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not exists:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, target: str = "head") -> None:
    """Bring the schema to ``target`` with Alembic (an upgrade keeps the data)."""
    revision = current_revision(engine)
    if target == "head" and revision == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    if revision is not None and revision not in known:
        raise StoreError("store_newer_schema", revision=revision)
    lock = _WRITER_LOCKS.get(engine)
    with lock if lock is not None else contextlib.nullcontext(), engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)
