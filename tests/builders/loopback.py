"""Servers on 127.0.0.1 for the province server's tests and benchmarks: a live uvicorn server in a thread, and a TCP
proxy in front of it that injects network faults (reset upload, lost response, 500, silence).

Everything listens on 127.0.0.1 only and cleans up after itself: no leftover threads or sockets (the suite runs with
``filterwarnings = error``, so a leaked socket or a crashed thread fails the test). The throw-away PostgreSQL cluster
is in ``postgres.py`` beside this module.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import Any, BinaryIO, Literal, get_args

import uvicorn

LOOPBACK = "127.0.0.1"


def find_free_port() -> int:
    """A loopback TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, timeout: float, alive: Callable[[], bool] = lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            if not alive() or time.monotonic() > deadline:
                raise RuntimeError(f"nothing accepts connections on {LOOPBACK}:{port}") from None
            time.sleep(0.01)


# --- live uvicorn server ------------------------------------------------------------------------------------------


class LiveServer:
    """An ASGI app served by uvicorn in a background thread over real HTTP; restartable on the same port.

    ``log_config=None`` leaves the process's logging alone: the server's error logs reach pytest's log capture.
    """

    def __init__(self, app: Any, port: int | None = None, *, startup_timeout: float = 10.0,
                 graceful_timeout: int = 5) -> None:
        self.app = app
        self.port = port or find_free_port()
        self.startup_timeout = startup_timeout
        self.graceful_timeout = graceful_timeout
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> LiveServer:
        """Start serving; returns once the app's startup ran and the port accepts connections."""
        if self._thread is not None:
            raise RuntimeError("LiveServer already running")
        # proxy_headers=False as ``payout-server serve`` runs it: the app itself decides whom to trust.
        config = uvicorn.Config(self.app, host=LOOPBACK, port=self.port, log_level="warning", lifespan="on",
                                log_config=None, timeout_graceful_shutdown=self.graceful_timeout, proxy_headers=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"uvicorn-{self.port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                thread.join(self.startup_timeout)
                raise RuntimeError(f"uvicorn did not start on {self.url} (see the captured log)")
            time.sleep(0.005)
        self._server, self._thread = server, thread
        _wait_for_port(self.port, self.startup_timeout, thread.is_alive)
        return self

    def stop(self) -> None:
        """Graceful shutdown (in-flight requests finish, lifespan shutdown runs), then join the thread."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(self.graceful_timeout + 5)
        if thread.is_alive():
            server.force_exit = True
            thread.join(5)
        self._server = self._thread = None
        if thread.is_alive():
            raise RuntimeError(f"uvicorn on {self.url} did not stop")

    def restart(self) -> LiveServer:
        """Stop and start again on the same port (a server restart as a client sees it)."""
        self.stop()
        return self.start()

    def __enter__(self) -> LiveServer:
        return self if self.running else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- fault-injecting proxy ----------------------------------------------------------------------------------------

Fault = Literal["pass", "reset", "drop_response", "error500", "timeout"]
FAULTS: tuple[Fault, ...] = get_args(Fault)


@dataclasses.dataclass(frozen=True)
class ProxiedRequest:
    """What a fault plan sees of one request (one request per client connection)."""

    number: int  # 0-based, in arrival order
    method: str
    path: str
    headers: dict[str, str]  # lower-case names


FaultPlan = Callable[[ProxiedRequest], Fault]

_HOP_HEADERS = {b"connection", b"keep-alive", b"proxy-connection"}
_ERROR_BODY = b'{"detail":"fault injected by FaultProxy"}'
_ERROR_RESPONSE = (b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                   b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_ERROR_BODY), _ERROR_BODY))


class FaultProxy:
    """A threaded HTTP/1.1 proxy on a free loopback port that can break individual requests on purpose.

    Each request's fault comes from the queue (:meth:`push`) first, else from :attr:`plan`, else ``"pass"``:

    * ``pass``: forwarded, the upstream's response is streamed back;
    * ``reset``: the head and part of the body are read, then the socket is closed with RST (reset while uploading);
    * ``drop_response``: forwarded and the full response awaited (the server committed), then the client connection
      is reset without a byte: the response is lost;
    * ``error500``: a 500 with a small JSON body, the upstream is never contacted;
    * ``timeout``: the request is read, then the connection stays silent ``timeout_seconds``, then is closed.

    One request per client connection: ``Connection: close`` is forced towards the upstream and the response is
    passed through until the upstream closes. ``counts`` tells how many requests saw each fault.
    """

    def __init__(self, upstream: tuple[str, int], *, plan: FaultPlan | None = None,
                 timeout_seconds: float = 5.0, io_timeout: float = 30.0) -> None:
        self.upstream = upstream
        self.plan = plan
        self.timeout_seconds = timeout_seconds
        self.io_timeout = io_timeout
        self.counts: collections.Counter[str] = collections.Counter()
        self.errors: list[str] = []  # proxy-side failures (e.g. upstream down: the client then sees a reset)
        self._queue: collections.deque[Fault] = collections.deque()
        self._lock = threading.Lock()
        self._requests = 0
        self._stopping = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._workers: list[threading.Thread] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)  # the accept loop polls the stop flag
        self.port = int(self._listener.getsockname()[1])
        self._acceptor = threading.Thread(target=self._accept_loop, name=f"faultproxy-{self.port}", daemon=True)
        self._acceptor.start()

    @classmethod
    def to_url(cls, url: str, **kwargs: Any) -> FaultProxy:
        """A proxy in front of ``http://host:port``."""
        match = re.fullmatch(r"http://([^:/]+):(\d+)/?", url)
        if not match:
            raise ValueError(f"expected http://host:port, got {url!r}")
        return cls((match.group(1), int(match.group(2))), **kwargs)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def requests_seen(self) -> int:
        return self._requests

    def push(self, *faults: Fault) -> None:
        """Queue faults for the next requests, in order (they win over :attr:`plan`)."""
        for fault in faults:
            _check_fault(fault)
        with self._lock:
            self._queue.extend(faults)

    def clear(self) -> None:
        """Forget queued faults and the plan: everything passes again."""
        with self._lock:
            self._queue.clear()
            self.plan = None

    def stop(self) -> None:
        """Stop accepting, cut open connections (ends a ``timeout`` hold early), join every thread."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._acceptor.join(5)
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            workers = list(self._workers)
        for worker in workers:
            worker.join(5)
        if self._acceptor.is_alive() or any(worker.is_alive() for worker in workers):
            raise RuntimeError("FaultProxy threads did not stop")

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(self.io_timeout)
            worker = threading.Thread(target=self._serve, args=(conn,), name=f"faultproxy-{self.port}-conn",
                                      daemon=True)
            with self._lock:
                self._sockets.add(conn)
                self._workers = [w for w in self._workers if w.is_alive()]
                self._workers.append(worker)
            worker.start()

    def _decide(self, method: str, path: str, headers: dict[str, str]) -> Fault:
        with self._lock:
            number = self._requests
            self._requests += 1
            queued = self._queue.popleft() if self._queue else None
            plan = self.plan
        fault: Fault = queued or (plan(ProxiedRequest(number, method, path, headers)) if plan else "pass")
        _check_fault(fault)
        with self._lock:
            self.counts[fault] += 1
        return fault

    def _serve(self, conn: socket.socket) -> None:
        rfile = conn.makefile("rb")
        abort = True  # close with RST unless the exchange ended normally
        try:
            head = _read_head(rfile)
            if head is None:  # a bare connect (port probe): nothing to do
                abort = False
                return
            request_line, header_lines = head
            method, path = (request_line.decode("latin-1").split(" ") + ["", ""])[:2]
            headers = _header_dict(header_lines)
            fault = self._decide(method, path, headers)
            if fault == "reset":
                length = int(headers.get("content-length", "0") or 0)
                rfile.read(length // 2)
                return
            body = _read_body(rfile, headers)
            if fault == "error500":
                conn.sendall(_ERROR_RESPONSE)
                abort = False
            elif fault == "timeout":
                self._stopping.wait(self.timeout_seconds)
                abort = False
            else:
                request = _upstream_request(request_line, header_lines, body)
                self._forward(conn, request, deliver=fault == "pass")
                abort = fault != "pass"
        except (OSError, ValueError) as exc:
            if not self._stopping.is_set():
                with self._lock:
                    self.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            rfile.close()
            with self._lock:
                self._sockets.discard(conn)
            if abort:
                with contextlib.suppress(OSError):
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_WR)
            conn.close()

    def _forward(self, conn: socket.socket, request: bytes, *, deliver: bool) -> None:
        """Send the request upstream and read its response to the end, streaming it to the client if ``deliver``."""
        with socket.create_connection(self.upstream, timeout=self.io_timeout) as up:
            with self._lock:
                self._sockets.add(up)
            try:
                up.sendall(request)
                while chunk := up.recv(65536):
                    if deliver:
                        conn.sendall(chunk)
            finally:
                with self._lock:
                    self._sockets.discard(up)


def _check_fault(fault: str) -> None:
    if fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")


def _read_head(rfile: BinaryIO) -> tuple[bytes, list[bytes]] | None:
    request_line = rfile.readline(65537)
    if not request_line:
        return None
    lines: list[bytes] = []
    while True:
        line = rfile.readline(65537)
        if not line:
            raise ValueError("connection closed inside the request head")
        if line in (b"\r\n", b"\n"):
            return request_line.rstrip(b"\r\n"), lines
        lines.append(line.rstrip(b"\r\n"))
        if len(lines) > 200:
            raise ValueError("too many header lines")


def _header_dict(lines: list[bytes]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


def _read_body(rfile: BinaryIO, headers: dict[str, str]) -> bytes:
    """The raw body bytes as sent: Content-Length, or chunked encoding kept as is."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raw = bytearray()
        while True:
            size_line = rfile.readline(65537)
            raw += size_line
            size = int(size_line.split(b";")[0].strip() or b"x", 16)
            if size == 0:
                while (trailer := rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
                    raw += trailer
                raw += b"\r\n"
                return bytes(raw)
            raw += _read_exact(rfile, size + 2)
    return _read_exact(rfile, int(headers.get("content-length", "0") or 0))


def _read_exact(rfile: BinaryIO, n: int) -> bytes:
    data = rfile.read(n)
    if len(data) != n:
        raise ValueError("connection closed inside the request body")
    return data


def _upstream_request(request_line: bytes, header_lines: list[bytes], body: bytes) -> bytes:
    kept = [line for line in header_lines if line.split(b":", 1)[0].strip().lower() not in _HOP_HEADERS]
    return b"\r\n".join([request_line, *kept, b"Connection: close", b"", b""]) + body
