"""Server tests run on both engines: ``database_url`` (SQLite and a throw-away PostgreSQL cluster, one per session)
lives in ``tests/conftest.py``, shared with ``tests/cycle``.

The cluster, the live server, the fault proxy and the province harness are in ``tests/builders`` (``postgres.py``,
``loopback.py``, ``province.py``). This folder has no ``__init__.py`` on purpose: a package here would be named
``server`` and shadow the real ``server`` package.
"""
