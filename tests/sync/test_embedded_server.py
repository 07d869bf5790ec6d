"""The demo's embedded province server never outlives the desktop, and a leftover one is stopped on the next start,
so the demo keeps its port (and the console address it printed)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.sync.embedded import EmbeddedServer, port_is_free, stale_servers

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _ready(path: Path, process: subprocess.Popen, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, f"exited with {process.returncode}"
        assert time.monotonic() < deadline, "no ready file"
        time.sleep(0.05)
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_server_stops_when_the_desktop_that_started_it_is_killed(tmp_path: Path) -> None:
    port = _free_port()
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from app.sync.embedded import EmbeddedServer
        server = EmbeddedServer(Path({str(tmp_path / "srv")!r}), {port}, communes=1)
        info = server.start()
        Path({str(tmp_path / "parent.json")!r}).write_text(str(info["pid"]))
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ, PAYOUT_SERVER_DB=""))
    try:
        marker = tmp_path / "parent.json"
        _ready(marker, parent)
        server_pid = int(marker.read_text())
        assert not port_is_free(port)
        parent.send_signal(signal.SIGKILL)  # a crash: no cleanup code runs in the desktop
        parent.wait(10)
        assert _gone(server_pid, 15), "the demo server outlived the desktop"
        assert port_is_free(port)
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_leftover_server_is_stopped_and_the_demo_keeps_its_port(tmp_path: Path) -> None:
    folder = tmp_path / "srv"
    port = _free_port()
    ready = folder / "ready.json"
    folder.mkdir()
    # a server an older desktop left behind: nothing tells it to stop
    orphan = subprocess.Popen([sys.executable, "-m", "server.cli", "--data", str(folder), "demo", "--port", str(port),
                               "--ready-file", str(ready), "--communes", "1"],
                              env=dict(os.environ, PAYOUT_SERVER_DB=""), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _ready(ready, orphan)
        assert stale_servers(folder) == [orphan.pid]
        assert stale_servers(tmp_path / "another-folder") == []
        with EmbeddedServer(folder, port, communes=1) as server:
            assert server.stale_stopped == [orphan.pid]
            assert orphan.wait(10) is not None
            info = server.start()
            assert info["url"] == f"http://127.0.0.1:{port}"
            assert server.process is not None and info["pid"] == server.process.pid
    finally:
        if orphan.poll() is None:
            orphan.kill()
            orphan.wait()
    assert port_is_free(port)
