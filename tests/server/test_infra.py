"""The server test infrastructure itself: PostgreSQL cluster, live uvicorn server, fault-injecting proxy."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest
import requests
from fastapi import FastAPI, Request
from sqlalchemy import create_engine, inspect, text

from tests.builders import postgres
from tests.builders.loopback import FAULTS, FaultProxy, LiveServer, ProxiedRequest, find_free_port
from tests.builders.postgres import PostgresCluster


class Counter:
    """What the tiny app saw: POSTs that reached it and lifespan startups."""

    def __init__(self) -> None:
        self.posts = 0
        self.startups = 0


def counting_app(seen: Counter) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        seen.startups += 1
        yield

    app = FastAPI(lifespan=lifespan)

    @app.post("/count")
    async def count(request: Request) -> dict[str, int]:
        body = await request.body()
        seen.posts += 1
        return {"posts": seen.posts, "size": len(body)}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Servers and proxies must join every thread they started."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not leaked, leaked


@pytest.fixture
def seen() -> Counter:
    return Counter()


@pytest.fixture
def live(seen: Counter) -> Iterator[LiveServer]:
    """A server of its own, for tests that stop or restart it."""
    with LiveServer(counting_app(seen)).start() as server:
        yield server


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[LiveServer, Counter]]:
    """One server for the proxy tests (a uvicorn stop costs ~0.2 s); its counter is reset per test."""
    counter = Counter()
    with LiveServer(counting_app(counter)).start() as server:
        yield server, counter


@pytest.fixture
def proxy(shared: tuple[LiveServer, Counter]) -> Iterator[FaultProxy]:
    shared[1].posts = 0
    with FaultProxy.to_url(shared[0].url, timeout_seconds=2.0) as fault_proxy:
        yield fault_proxy


@pytest.fixture
def posts(shared: tuple[LiveServer, Counter]) -> Counter:
    return shared[1]


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def test_cluster_accepts_psycopg_and_sqlalchemy(postgres_cluster: PostgresCluster) -> None:
    assert postgres_cluster.url.startswith(f"postgresql+psycopg://postgres@127.0.0.1:{postgres_cluster.port}/")
    with psycopg.connect(host="127.0.0.1", port=postgres_cluster.port, user="postgres", dbname="postgres") as conn:
        assert conn.execute("SHOW server_encoding").fetchone() == ("UTF8",)
    engine = create_engine(postgres_cluster.url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_created_databases_are_isolated(postgres_cluster: PostgresCluster) -> None:
    url_a = postgres_cluster.create_database("iso_a")
    url_b = postgres_cluster.create_database("iso_b")
    engine_a, engine_b = create_engine(url_a), create_engine(url_b)
    try:
        with engine_a.begin() as conn:
            conn.execute(text("CREATE TABLE only_in_a (id integer)"))
        assert inspect(engine_a).has_table("only_in_a")
        assert not inspect(engine_b).has_table("only_in_a")
    finally:
        engine_a.dispose()
        engine_b.dispose()
        postgres_cluster.drop_database("iso_a")
        postgres_cluster.drop_database("iso_b")


def test_database_url_is_fresh_and_usable(database_url: str, request: pytest.FixtureRequest) -> None:
    assert database_url.startswith({"sqlite": "sqlite:///", "postgresql": "postgresql+psycopg://"}[
        request.node.callspec.id])
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            assert inspect(conn).get_table_names() == []
            conn.execute(text("CREATE TABLE t (name varchar(20))"))
            conn.execute(text("INSERT INTO t VALUES ('Đỗ Văn Đức')"))
            assert conn.execute(text("SELECT name FROM t")).scalar() == "Đỗ Văn Đức"
    finally:
        engine.dispose()


def test_cluster_folder_and_processes_are_gone_after_stop(tmp_path_factory: pytest.TempPathFactory) -> None:
    started = time.perf_counter()
    cluster = PostgresCluster.start(tmp_path_factory.mktemp("own_pg"))
    assert time.perf_counter() - started < 5
    pid = int((cluster.datadir / "postmaster.pid").read_text().split()[0])
    cluster.stop()
    cluster.stop()  # idempotent
    assert not cluster.datadir.exists()
    stat = f"/proc/{pid}/stat"
    with contextlib.suppress(OSError), open(stat) as f:  # gone, or a zombie waiting for init to reap it
        assert f.read().rpartition(")")[2].split()[0] == "Z"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", cluster.port), timeout=0.5).close()


def test_missing_binaries_name_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres.glob, "glob", lambda _pattern: [])
    monkeypatch.setattr(postgres.shutil, "which", lambda _name: None)
    with pytest.raises(RuntimeError, match="apt-get install -y postgresql"):
        postgres.postgres_bindir()


# --- live server --------------------------------------------------------------------------------------------------


def test_live_server_serves_and_restarts_on_the_same_port(live: LiveServer, seen: Counter) -> None:
    assert live.url == f"http://127.0.0.1:{live.port}"
    assert requests.get(f"{live.url}/health", timeout=5).json() == {"status": "ok"}
    port = live.port
    live.restart()
    assert live.port == port and seen.startups == 2
    assert requests.post(f"{live.url}/count", data=b"x", timeout=5).json() == {"posts": 1, "size": 1}
    live.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{live.url}/health", timeout=5)


def test_live_server_on_a_given_port_and_restart_under_a_keep_alive_session(seen: Counter) -> None:
    port = find_free_port()
    with LiveServer(counting_app(seen), port=port) as server, requests.Session() as session:
        assert server.url.endswith(f":{port}")
        assert session.post(f"{server.url}/count", timeout=5).ok
        server.restart()  # the session's pooled connection is now dead; requests reconnects
        assert session.post(f"{server.url}/count", timeout=5).json()["posts"] == 2


# --- fault proxy --------------------------------------------------------------------------------------------------


def post(proxy: FaultProxy, size: int = 100, timeout: float = 5) -> requests.Response:
    return requests.post(f"{proxy.url}/count", data=b"u" * size, timeout=timeout)


def test_pass_forwards_request_and_response(proxy: FaultProxy, posts: Counter) -> None:
    response = post(proxy, size=2_500_000)
    assert response.status_code == 200 and response.json() == {"posts": 1, "size": 2_500_000}
    assert proxy.counts == {"pass": 1} and proxy.requests_seen == 1


def test_drop_response_reaches_the_app_but_the_client_loses_the_answer(proxy: FaultProxy, posts: Counter) -> None:
    proxy.push("drop_response")
    with pytest.raises(requests.ConnectionError):
        post(proxy)
    assert posts.posts == 1
    assert proxy.counts["drop_response"] == 1


@pytest.mark.parametrize("size", [100, 2_000_000])
def test_reset_while_uploading(proxy: FaultProxy, posts: Counter, size: int) -> None:
    proxy.push("reset")
    with pytest.raises(requests.ConnectionError):
        post(proxy, size=size)
    assert posts.posts == 0 and proxy.counts["reset"] == 1


def test_error500_answers_without_contacting_the_app(proxy: FaultProxy, posts: Counter) -> None:
    proxy.push("error500")
    response = post(proxy)
    assert response.status_code == 500 and "detail" in response.json()
    assert posts.posts == 0 and proxy.counts["error500"] == 1


def test_timeout_holds_the_connection_silent(proxy: FaultProxy, posts: Counter) -> None:
    proxy.push("timeout")
    started = time.perf_counter()
    with pytest.raises(requests.Timeout):
        post(proxy, timeout=0.5)
    assert time.perf_counter() - started < 1.5
    assert posts.posts == 0 and proxy.counts["timeout"] == 1
    proxy.stop()  # cuts the 2 s hold short
    assert time.perf_counter() - started < 1.5


def test_queued_faults_apply_in_order_then_everything_passes(proxy: FaultProxy, posts: Counter) -> None:
    proxy.push("error500", "reset", "drop_response")
    assert post(proxy).status_code == 500
    with pytest.raises(requests.ConnectionError):
        post(proxy)
    with pytest.raises(requests.ConnectionError):
        post(proxy)
    assert post(proxy).json()["posts"] == 2
    assert proxy.counts == {"error500": 1, "reset": 1, "drop_response": 1, "pass": 1}


def test_plan_decides_per_request(proxy: FaultProxy, posts: Counter) -> None:
    seen_requests: list[ProxiedRequest] = []

    def plan(request: ProxiedRequest) -> str:
        seen_requests.append(request)
        return "error500" if request.method == "POST" and request.number % 2 == 0 else "pass"

    proxy.plan = plan  # type: ignore[assignment]
    with requests.Session() as session:  # a keep-alive session works through the proxy
        statuses = [session.post(f"{proxy.url}/count", json={"n": n}, timeout=5).status_code for n in range(4)]
        assert session.get(f"{proxy.url}/health", timeout=5).ok
    assert statuses == [500, 200, 500, 200] and posts.posts == 2
    assert [r.path for r in seen_requests] == ["/count"] * 4 + ["/health"]
    assert seen_requests[0].headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        proxy.push("explode")  # type: ignore[arg-type]
    assert set(FAULTS) == {"pass", "reset", "drop_response", "error500", "timeout"}


def test_chunked_upload_passes(proxy: FaultProxy, posts: Counter) -> None:
    chunks = (b"x" * 1000 for _ in range(50))
    response = requests.post(f"{proxy.url}/count", data=chunks, timeout=5)
    assert response.json() == {"posts": 1, "size": 50_000}


def test_proxy_in_front_of_a_restarting_server(live: LiveServer, seen: Counter) -> None:
    with FaultProxy.to_url(live.url) as proxy:
        assert post(proxy).ok
        live.stop()
        with pytest.raises(requests.ConnectionError):  # upstream down: the client sees a reset, like a dead server
            post(proxy)
        assert proxy.errors
        live.start()
        assert post(proxy).json()["posts"] == 2
