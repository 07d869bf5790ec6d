"""The server's settings, declared once with their types and defaults (environment variables override)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import platformdirs


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def default_data_dir() -> Path:
    return Path(os.environ.get("PAYOUT_SERVER_DATA") or platformdirs.user_data_dir("payout-server", appauthor=False))


@dataclass
class ServerSettings:
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str = ""
    """SQLAlchemy URL: ``postgresql+psycopg://…`` in production; empty = a SQLite file in ``data_dir``."""
    proxy_limit: int = 3
    """How many different people one proxy ID may collect for in a payout period before it is flagged."""
    token_minutes: int = 60
    """Life of a staff member's token for interactive calls."""
    enrol_code_hours: int = 72
    feed_page_limit: int = 200
    list_worker_memory_mb: int = 3072
    """Address space of the process that reads and imports a list uploaded in the console (an import of 300,000
    lines peaks at about 450 MB resident; the address space of a Python process is several times its resident size).
    A list that needs more is stopped with a message, and the server itself is never touched."""
    list_worker_seconds: int = 1800
    """Time the upload worker may take before it is stopped (a 300,000-line list takes one to two minutes)."""
    clock: Callable[[], dt.datetime] = utc_now

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if not self.database_url:
            self.database_url = os.environ.get("PAYOUT_SERVER_DB") or f"sqlite:///{self.data_dir / 'server.db'}"

    @property
    def recovery_key_path(self) -> Path:
        return self.data_dir / "recovery.key"
