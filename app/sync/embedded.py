"""The embedded province server of ``payout-desk demo``: the real server, in its own process, on loopback.

It runs ``payout-server demo`` (SQLite in the demo folder) and waits for its ready file, which names the URL and a
fresh one-time enrolment code. The client never imports the server's code: it only starts the process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


class EmbeddedServerError(RuntimeError):
    pass


def available() -> bool:
    """Whether this installation carries the server (a client-only build does not)."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in ("server.cli", "fastapi", "uvicorn"))
    except (ImportError, ValueError):
        return False


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class EmbeddedServer:
    def __init__(self, data_dir: Path, port: int = 0, communes: int = 174, period: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = port if port and port_is_free(port) else 0
        self.communes = communes
        self.period = period
        self.process: subprocess.Popen[bytes] | None = None
        self.info: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return str(self.info.get("url", ""))

    def start(self, timeout: float = 120.0) -> dict[str, Any]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        ready = self.data_dir / "ready.json"
        ready.unlink(missing_ok=True)
        command = [sys.executable, "-m", "server.cli", "--data", str(self.data_dir), "demo", "--port", str(self.port),
                   "--ready-file", str(ready), "--communes", str(self.communes)]
        if self.period:
            command += ["--period", self.period]
        log = open(self.data_dir / "server.log", "ab")
        env = dict(os.environ, PAYOUT_SERVER_DB="")
        self.process = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready.exists():
                self.info = json.loads(ready.read_text(encoding="utf-8"))
                return self.info
            if self.process.poll() is not None:
                raise EmbeddedServerError(f"the demo server stopped (see {self.data_dir / 'server.log'})")
            time.sleep(0.05)
        self.stop()
        raise EmbeddedServerError("the demo server did not start in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def __enter__(self) -> "EmbeddedServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
