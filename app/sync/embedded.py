"""The embedded province server of ``payout-desk demo``: the real server, in its own process, on loopback.

It runs ``payout-server demo`` (SQLite in the demo folder) and waits for its ready file, which names the URL, the
server's process id and a fresh one-time enrolment code. The client never imports the server's code: it only starts
the process.

The server never outlives the desktop: it is started with ``--exit-with-stdin`` and its standard input is a pipe whose
other end only this process holds, so when the desktop ends — closed, crashed or killed — the system closes the pipe
and the server stops. A server left over all the same (by an older version, or a machine that lost power mid-stop) is
found on the next start — by the process id in its ready file, and on Linux by its command line naming this folder —
and stopped, so the demo keeps its port and its console address.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
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


def _wait_free(port: int, timeout: float = 3.0) -> bool:
    """Whether ``port`` is free, waiting a moment for a server just stopped to let it go."""
    deadline = time.monotonic() + timeout
    while not port_is_free(port):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


SERVER_MODULE = "server.cli"


def _command_line(pid: int) -> list[str] | None:
    """A process's arguments (Linux ``/proc``), or None where they cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def _serves(args: Iterable[str], data_dir: Path) -> bool:
    """Whether a command line is the demo server of ``data_dir``."""
    args = list(args)
    folder = str(data_dir.resolve())
    return (SERVER_MODULE in args or any(Path(arg).name == "payout-server" for arg in args)) and "demo" in args \
        and any(args[i] == "--data" and str(Path(args[i + 1]).resolve()) == folder for i in range(len(args) - 1))


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie — ended, not yet reaped by its parent — does not)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or someone else's process: not ours to stop
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def stale_servers(data_dir: Path) -> list[int]:
    """Process ids of demo servers still serving ``data_dir`` (none of them started by this process).

    Where ``/proc`` exists, a process counts only when its command line names this folder, so a recycled process id
    is never taken for the server; elsewhere the ready file's process id counts while it is alive.
    """
    data_dir = Path(data_dir)
    candidates: set[int] = set()
    try:
        recorded = json.loads((data_dir / "ready.json").read_text(encoding="utf-8")).get("pid")
        if isinstance(recorded, int):
            candidates.add(recorded)
    except (OSError, ValueError, AttributeError):
        pass
    proc = Path("/proc")
    if proc.is_dir():
        candidates |= {int(entry.name) for entry in proc.iterdir() if entry.name.isdigit()}
        found = [pid for pid in candidates if (args := _command_line(pid)) is not None and _serves(args, data_dir)]
    else:
        found = [pid for pid in candidates if _alive(pid)]
    return sorted(pid for pid in found if pid != os.getpid())


def stop_stale_servers(data_dir: Path, timeout: float = 10.0) -> list[int]:
    """Stop the demo servers a previous run left serving ``data_dir`` (terminate, then kill); returns their ids."""
    stale = stale_servers(data_dir)
    for pid in stale:
        with contextlib.suppress(ProcessLookupError, PermissionError):  # ended meanwhile
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(_alive(pid) for pid in stale) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in stale:
        if _alive(pid) and hasattr(signal, "SIGKILL"):
            with contextlib.suppress(ProcessLookupError, PermissionError):  # ended meanwhile
                os.kill(pid, signal.SIGKILL)
    return stale


class EmbeddedServer:
    def __init__(self, data_dir: Path, port: int = 0, communes: int = 174, period: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.stale_stopped = stop_stale_servers(self.data_dir)
        self.port = port if port and (port_is_free(port) or (self.stale_stopped and _wait_free(port))) else 0
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
        command = [sys.executable, "-m", SERVER_MODULE, "--data", str(self.data_dir), "demo", "--port", str(self.port),
                   "--ready-file", str(ready), "--communes", str(self.communes), "--exit-with-stdin"]
        if self.period:
            command += ["--period", self.period]
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - the child inherits it; closed once started
        env = dict(os.environ, PAYOUT_SERVER_DB="")
        # stdin: a pipe only this process writes to (never, in fact): its end is the server's signal to stop
        self.process = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.PIPE, env=env)
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
        if self.process is not None and self.process.stdin is not None:
            self.process.stdin.close()
        self.process = None

    def __enter__(self) -> EmbeddedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
