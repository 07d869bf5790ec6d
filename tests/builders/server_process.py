"""The real ``payout-server serve`` in its own process on a free loopback port, with its peak memory readable.

For tests that must see the server as the province runs it: what a request costs the server process itself (its
resident peak from ``/proc``), and whether it keeps answering while something heavy happens elsewhere.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from server import accounts, db
from server.settings import ServerSettings
from server.setup import init_server
from tests.builders.province import offline_recovery_key

ROOT = Path(__file__).resolve().parent.parent.parent


class ServerProcess:
    """An initialised province server (``data_dir``, ``database_url``) with officers ``pw-<username>``."""

    def __init__(self, data_dir: Path, database_url: str, officers: tuple[str, ...] = ("tinh",)) -> None:
        self.settings = ServerSettings(data_dir=data_dir, database_url=database_url)
        init_server(self.settings, offline_recovery_key(data_dir.parent / "usb" / "recovery-key.txt"))
        engine = db.make_engine(database_url)
        try:
            with db.transaction(engine) as conn:
                for username in officers:
                    accounts.add_user(conn, username, f"Cán bộ {username}", "officer", f"pw-{username}", ["*"],
                                      self.settings.clock())
        finally:
            engine.dispose()
        ready = data_dir / "ready.json"
        ready.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "--data", str(data_dir), "--db", database_url, "serve",
             "--port", "0", "--ready-file", str(ready)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not ready.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("payout-server serve did not start")
            time.sleep(0.05)
        self.url: str = json.loads(ready.read_text(encoding="utf-8"))["url"]

    def peak_rss_mb(self) -> float:
        """The server process's resident peak so far (Linux ``VmHWM``), in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()


class HealthWatch:
    """Asks ``/api/v1/health`` every 20 ms in a thread while the ``with`` block runs; keeps each answer's time."""

    def __init__(self, url: str, every: float = 0.02) -> None:
        self.url = url + "/api/v1/health"
        self.every = every
        self.times: list[float] = []
        self.failures: list[str] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="health-watch", daemon=True)

    def _run(self) -> None:
        with requests.Session() as http:
            while not self.stopping.is_set():
                started = time.monotonic()
                try:
                    answer = http.get(self.url, timeout=10)
                    if answer.status_code != 200:
                        self.failures.append(str(answer.status_code))
                except requests.RequestException as exc:
                    self.failures.append(type(exc).__name__)
                self.times.append(time.monotonic() - started)
                self.stopping.wait(self.every)

    def __enter__(self) -> HealthWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join(15)
