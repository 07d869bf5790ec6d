"""Alembic environment for the province server: runs on the connection the server hands over."""

from __future__ import annotations

from alembic import context

from server.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
context.run_migrations()
