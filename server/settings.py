"""The server's settings, declared once with their types and defaults (environment variables override)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from app.domain.clock import DEFAULT_TIME_ZONE, ProvinceTime


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_data_dir() -> Path:
    return Path(os.environ.get("PAYOUT_SERVER_DATA") or platformdirs.user_data_dir("payout-server", appauthor=False))


def default_trusted_proxies() -> tuple[str, ...]:
    return parse_proxies(os.environ.get("PAYOUT_SERVER_TRUSTED_PROXIES", ""))


def parse_proxies(text: str) -> tuple[str, ...]:
    """Addresses or networks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``), comma-separated; ``ValueError`` names a bad
    one."""
    proxies = []
    for item in (part.strip() for part in text.split(",")):
        if item:
            try:
                proxies.append(str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise ValueError(f"không phải địa chỉ IP / not an IP address or network: {item!r}") from None
    return tuple(proxies)


@dataclass(frozen=True)
class SignInLimits:
    """Wrong passwords within ``window`` before further tries are refused (console sign-in and device tokens).

    A post office's officers share one public address (NAT): one person's mistakes lock only that person at that
    address (``per_user_at_address``); the whole address is refused only far above what an office mistypes
    (``per_address``); one username is refused everywhere only when guessed at from many addresses (``per_user``).
    For a device's token the device stands for the address."""

    per_user_at_address: int = 5
    per_address: int = 100
    per_user: int = 50
    window: dt.timedelta = dt.timedelta(minutes=15)


def _int_env(name: str, default: int) -> int:
    """A whole number of at least 0 from the environment (issue 13 settings); ``default`` when unset or not one."""
    text = os.environ.get(name, "").strip()
    return int(text) if text.isdigit() else default


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
    posting_days_before: int = field(default_factory=lambda: _int_env("PAYOUT_SERVER_POSTING_DAYS", 3))
    """Issue 13: the public notice must be posted at least this many days before the payout day."""
    survey_min_answers: int = field(default_factory=lambda: _int_env("PAYOUT_SERVER_SURVEY_MIN_ANSWERS", 30))
    """Issue 13: no survey percentage is shown for fewer answers than this."""
    feed_page_limit: int = 200
    list_worker_memory_mb: int = 3072
    """Address space of the process that reads and imports a list uploaded in the console (an import of 300,000
    lines peaks at about 450 MB resident; the address space of a Python process is several times its resident size).
    A list that needs more is stopped with a message, and the server itself is never touched."""
    list_worker_seconds: int = 1800
    """Time the upload worker may take before it is stopped (a 300,000-line list takes one to two minutes)."""
    trusted_proxies: tuple[str, ...] = field(default_factory=default_trusted_proxies)
    """Reverse proxies whose ``X-Forwarded-For`` / ``X-Forwarded-Proto`` are believed (addresses or networks;
    ``PAYOUT_SERVER_TRUSTED_PROXIES``, comma-separated, or ``serve --trusted-proxy``). Empty: trust none, so the
    caller's address is the connection's."""
    sign_in_limits: SignInLimits = field(default_factory=SignInLimits)
    time_zone: str = field(default_factory=lambda: os.environ.get("PAYOUT_SERVER_TIME_ZONE") or DEFAULT_TIME_ZONE)
    """The province's time zone (IANA name; ``PAYOUT_SERVER_TIME_ZONE``): every time the console and the reports show
    is on this clock (``province_time``), and devices receive it in the feed. Stored times stay UTC."""
    clock: Callable[[], dt.datetime] = utc_now
    province_time: ProvinceTime = field(init=False)
    """The clock face of ``time_zone``, built once."""

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        self.province_time = ProvinceTime(self.time_zone)  # an unknown zone fails here, at start, not on a page
        if not self.database_url:
            self.database_url = os.environ.get("PAYOUT_SERVER_DB") or f"sqlite:///{self.data_dir / 'server.db'}"
