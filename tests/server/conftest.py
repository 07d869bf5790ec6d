"""Server test fixtures: one throw-away PostgreSQL cluster per session, and every database test run on both engines.

The cluster, the live server, the fault proxy and the province harness are in ``tests/builders`` (``postgres.py``,
``loopback.py``, ``province.py``). This folder has no ``__init__.py`` on purpose: a package here would be named
``server`` and shadow the real ``server`` package.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders.postgres import PostgresCluster


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """Started on first use; missing PostgreSQL binaries are an error, never a skip (CI installs them)."""
    cluster = PostgresCluster.start(tmp_path_factory.mktemp("postgres"))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database's SQLAlchemy URL: a SQLite file, or a new database in the session's cluster."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/server.db"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield cluster.create_database(name)
    cluster.drop_database(name)  # WITH (FORCE): sessions a test left open do not block it
