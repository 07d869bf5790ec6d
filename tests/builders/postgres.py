"""A throw-away PostgreSQL cluster for the server's tests and benchmarks: ``initdb`` in a temp folder, started with
``pg_ctl`` on a free loopback port in about a second, no system service needed; one new database per test.

It cleans up after itself (``stop`` is idempotent and registered with ``atexit``): no postgres process outlives the
session that started it.
"""

from __future__ import annotations

import atexit
import dataclasses
import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from tests.builders.loopback import LOOPBACK, find_free_port


def postgres_bindir() -> Path:
    """The newest PostgreSQL server binaries: Debian's /usr/lib/postgresql/N/bin, else ``pg_config --bindir``."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: [int(x) for x in re.findall(r"\d+", Path(p).parent.name)] or [0])
    for bindir in reversed(candidates):
        if (Path(bindir) / "initdb").is_file():
            return Path(bindir)
    if pg_config := shutil.which("pg_config"):  # libpq-dev's pg_config points at /usr/bin, where initdb rarely is
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out and (Path(out) / "initdb").is_file():
            return Path(out)
    if initdb := shutil.which("initdb"):
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found: the server tests need them. "
                       "Install them with: apt-get install -y postgresql")


_DB_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@dataclasses.dataclass
class PostgresCluster:
    """A private PostgreSQL cluster in a temp folder on a free loopback port, trust auth, user ``postgres``.

    PostgreSQL refuses to run as root, so under root every command runs as the ``postgres`` system user on a folder
    that user owns. Durability is switched off (fsync etc.): the data is thrown away anyway.
    """

    bindir: Path
    root: Path
    port: int
    owns_root: bool = False  # root is our own mkdtemp (removed on stop), not inside the caller's folder
    _running: bool = dataclasses.field(default=True, init=False, repr=False)

    USER = "postgres"

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the maintenance database ``postgres`` (use :meth:`create_database` for test data)."""
        return self.url_for("postgres")

    def url_for(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.USER}@{LOOPBACK}:{self.port}/{dbname}"

    @classmethod
    def start(cls, base_dir: Path) -> PostgresCluster:
        """initdb + ``pg_ctl start -w`` under ``base_dir/pg`` (or a fresh /tmp folder if postgres cannot reach it)."""
        bindir = postgres_bindir()
        root, owns_root = _cluster_folder(Path(base_dir))
        try:
            _run_pg([str(bindir / "initdb"), "-D", str(root / "data"), "-U", cls.USER, "--auth=trust",
                     "--encoding=UTF8", "--locale=C", "--no-sync"], cwd=root)
            (root / "s").mkdir()
            _chown(root / "s")
            last_error: Exception | None = None
            for _attempt in range(3):  # the free port may be taken between find_free_port and the bind
                cluster = cls(bindir=bindir, root=root, port=find_free_port(), owns_root=owns_root)
                try:
                    cluster._pg_ctl_start()
                except RuntimeError as exc:
                    last_error = exc
                    continue
                atexit.register(cluster.stop)  # an interrupted session still leaves no postgres behind
                return cluster
            raise RuntimeError(f"PostgreSQL did not start: {last_error}")
        except BaseException:
            if owns_root:
                shutil.rmtree(root, ignore_errors=True)
            raise

    def _pg_ctl_start(self) -> None:
        options = (f"-p {self.port} -k {self.root / 's'} -c listen_addresses={LOOPBACK} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        _run_pg([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.root / "log"), "-w",
                 "-t", "30", "-o", options, "start"], cwd=self.root, log=self.root / "log")

    def _admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(host=LOOPBACK, port=self.port, user=self.USER, dbname="postgres", autocommit=True)

    def create_database(self, name: str) -> str:
        """A new empty database (isolation between tests); returns its SQLAlchemy URL."""
        if not _DB_NAME.fullmatch(name):
            raise ValueError(f"database name must match {_DB_NAME.pattern}: {name!r}")
        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 STRATEGY file_copy")
                         .format(sql.Identifier(name)))
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending its sessions (keeps disk use flat over a long session)."""
        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def stop(self) -> None:
        """``pg_ctl stop -m immediate``; kills the postmaster if that fails; removes the data. Idempotent."""
        if not self._running:
            return
        self._running = False
        atexit.unregister(self.stop)
        pid = _postmaster_pid(self.datadir)
        try:
            _run_pg([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop"],
                    cwd=self.root)
        except RuntimeError:
            if pid is not None:
                _kill_and_wait(pid)
        if pid is not None and _alive(pid):
            _kill_and_wait(pid)
        shutil.rmtree(self.root if self.owns_root else self.datadir, ignore_errors=True)


def _as_postgres() -> bool:
    return os.geteuid() == 0


def _chown(path: Path) -> None:
    if _as_postgres():
        shutil.chown(path, user=PostgresCluster.USER, group=PostgresCluster.USER)


def _cluster_folder(base_dir: Path) -> tuple[Path, bool]:
    """A folder the cluster's user owns and can reach, with a short path (a unix socket path has ~100 bytes).

    pytest's temp folders are 0700, unreachable for ``postgres`` when we are root: then a fresh /tmp folder is used.
    """
    root = base_dir / "pg"
    root.mkdir(parents=True)
    _chown(root)
    reachable = not _as_postgres() or subprocess.run(
        ["runuser", "-u", PostgresCluster.USER, "--", "test", "-w", str(root)], check=False).returncode == 0
    if reachable and len(str(root)) < 80:
        return root, False
    root.rmdir()
    root = Path(tempfile.mkdtemp(prefix="payout-pg-"))
    _chown(root)
    return root, True


def _run_pg(cmd: list[str], cwd: Path, log: Path | None = None) -> None:
    if _as_postgres():
        cmd = ["runuser", "-u", PostgresCluster.USER, "--", *cmd]
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, "LC_ALL": "C"})
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{tail}")


def _postmaster_pid(datadir: Path) -> int | None:
    try:
        return int((datadir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a slow-reaping init counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _kill_and_wait(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
