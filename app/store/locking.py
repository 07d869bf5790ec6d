"""Locks shared between processes: the store's writer lock, and the lock on the key-slot and sign-in files.

SQLite serialises single transactions, but a restore is a sequence (check for newer entries, keep a safety copy,
overwrite the database) that must not let a payment from another process slip in between: that payment would be lost
from the live store and from the safety copy alike. So every write transaction (``database.write``) and the whole
restore take one exclusive lock on a file beside the database. A writer that finds the lock taken waits (a restore
takes seconds) and, after ``timeout``, is refused with a message, never lost.

The lock is an OS file lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows), so it is released when its process
dies; within a process a re-entrant thread lock comes first, so one thread may nest it (a restore writes its own
record) while other threads wait.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from app.domain.errors import StoreError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


WAIT_SECONDS = 60.0
"""How long a writer waits for another process's restore (or long import) before it is refused."""


class ProcessLock:
    """An exclusive lock on ``path`` across processes and threads; re-entrant in the thread that holds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock, waiting at most ``timeout`` seconds (``WAIT_SECONDS``); ``StoreError("store_busy")`` after."""
        timeout = WAIT_SECONDS if timeout is None else timeout
        deadline = time.monotonic() + timeout
        if not self._thread_lock.acquire(timeout=max(timeout, 0.0)):
            raise StoreError("store_busy")
        try:
            if self._depth == 0:
                self._lock_file(deadline)
            self._depth += 1
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None:
                fd, self._fd = self._fd, None
                try:
                    _unlock(fd)
                finally:
                    os.close(fd)  # no descriptor kept between transactions (a test run opens thousands of stores)
        finally:
            self._thread_lock.release()

    def _lock_file(self, deadline: float) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        pause = 0.005
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreError("store_busy")
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
        self._fd = fd

    def __enter__(self) -> ProcessLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()


_LOCKS: dict[str, ProcessLock] = {}
_REGISTRY = threading.Lock()


def process_lock(path: Path) -> ProcessLock:
    """The one ``ProcessLock`` of this process for ``path`` (every engine and service on a folder shares it)."""
    name = os.path.abspath(path)
    with _REGISTRY:
        lock = _LOCKS.get(name)
        if lock is None:
            lock = _LOCKS[name] = ProcessLock(Path(name))
        return lock
