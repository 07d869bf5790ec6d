"""Uploaded lists being read and imported, one worker process each, so the server keeps answering meanwhile.

The console saves the upload to a private folder and starts ``server.list_worker`` in its own process, capped in
memory (``ServerSettings.list_worker_memory_mb``) and in time (``list_worker_seconds``); the upload page then shows
the worker's progress from its status file until the outcome is there. One list is imported at a time: a second
upload meanwhile is refused with a message (two provinces' months are never imported at once by one office). A
thread per job waits for its process, keeps the outcome and removes the folder; ``close`` stops what still runs when
the server stops.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server.settings import ServerSettings

__all__ = ["ListJob", "ListJobs", "JobBusy"]

KEPT = 20
"""Finished jobs whose outcome stays viewable (the newest)."""


class JobBusy(Exception):
    """Another list is being imported."""


@dataclass
class ListJob:
    job_id: str
    officer: str
    filename: str
    folder: Path
    process: subprocess.Popen[bytes]
    final: dict[str, Any] | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        """Still reading or storing (a worker that wrote its outcome is done, even while its process exits)."""
        if self.final is not None or self.process.poll() is not None:
            return False
        return self.status().get("state") not in ("finished", "failed")

    @property
    def status_file(self) -> Path:
        return self.folder / "status.json"

    def status(self) -> dict[str, Any]:
        """The worker's latest status: ``reading`` (rows), ``storing``, ``finished`` (outcome) or ``failed``."""
        if self.final is not None:
            return self.final
        try:
            return dict(json.loads(self.status_file.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {"state": "starting"}


class ListJobs:
    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.jobs: collections.OrderedDict[str, ListJob] = collections.OrderedDict()
        self.lock = threading.Lock()
        self.waiters: list[threading.Thread] = []

    def start(self, *, officer: str, filename: str, upload: Path, period: str | None, now: dt.datetime,
              agency: str | None = None) -> ListJob:
        """Move the saved upload into the job's folder and start its worker; ``JobBusy`` if one still runs."""
        with self.lock:
            if any(job.running for job in self.jobs.values()):
                raise JobBusy()
            folder = Path(tempfile.mkdtemp(prefix="payout-list-"))
            name = Path(filename).name or "danh-sach.xlsx"
            target = folder / "upload" / name
            target.parent.mkdir()
            shutil.move(str(upload), target)
            job_id = secrets.token_urlsafe(12)
            spec = {"database_url": self.settings.database_url, "file": str(target), "filename": name,
                    "period": period, "agency": agency, "now": now.isoformat(), "officer": officer,
                    "status_file": str(folder / "status.json"), "memory_mb": self.settings.list_worker_memory_mb}
            # The server's own working folder, so a relative SQLite path means the same file; -P keeps that
            # folder off the module path (the code comes from PYTHONPATH, i.e. where this server's code is).
            process = subprocess.Popen([sys.executable, "-P", "-m", "server.list_worker"], stdin=subprocess.PIPE,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.getcwd(),
                                       env=_environment())
            job = ListJob(job_id, officer, name, folder, process)
            assert process.stdin is not None
            process.stdin.write(json.dumps(spec).encode())
            process.stdin.close()
            self.jobs[job_id] = job
            while len(self.jobs) > KEPT:
                oldest = next(iter(self.jobs.values()))
                if oldest.running:
                    break
                self.jobs.popitem(last=False)
            waiter = threading.Thread(target=self._wait, args=(job,), name=f"list-job-{job_id}", daemon=True)
            self.waiters = [thread for thread in self.waiters if thread.is_alive()]
            self.waiters.append(waiter)
            waiter.start()
            return job

    def find(self, job_id: str) -> ListJob | None:
        with self.lock:
            return self.jobs.get(job_id)

    def _wait(self, job: ListJob) -> None:
        """Wait for the worker (stopping it past the time limit), keep its outcome, remove its folder."""
        try:
            job.process.wait(timeout=self.settings.list_worker_seconds)
        except subprocess.TimeoutExpired:
            job.process.kill()
            job.process.wait()
            job.final = {"state": "failed", "code": "list_import_timeout",
                         "minutes": max(1, self.settings.list_worker_seconds // 60)}
        if job.final is None:
            status = job.status()
            if status.get("state") not in ("finished", "failed"):
                # killed or crashed without a word: out of memory is the usual reason under the cap
                status = {"state": "failed", "code": "list_import_stopped", "exit": job.process.returncode}
            job.final = status
        shutil.rmtree(job.folder, ignore_errors=True)
        job.done.set()

    def close(self) -> None:
        """Stop the workers still running (the server is stopping) and wait for their threads."""
        with self.lock:
            jobs = list(self.jobs.values())
            waiters = list(self.waiters)
        for job in jobs:
            if job.final is None and job.process.poll() is None:
                job.process.terminate()
        for thread in waiters:
            thread.join(10)


def _root() -> str:
    """The folder holding the ``server`` package, so ``-m server.list_worker`` finds the same code."""
    return str(Path(__file__).resolve().parent.parent.parent)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    root = _root()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    return env
