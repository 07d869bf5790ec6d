"""Running store work off the GUI thread, one task at a time, with results delivered back on the GUI thread.

SQLite likes one writer and the UI must never freeze, so every store call from a widget goes through ``DbRunner``:
a single worker thread runs tasks in order, and the callback (or the error handler) is called on the GUI thread
through a queued signal. Widgets are never touched from the worker. Tasks can be tagged so a newer search replaces
an older one still waiting (typing fast never queues a backlog).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal


@dataclass
class _Task:
    work: Callable[[], Any]
    done: Callable[[Any], object] | None
    failed: Callable[[BaseException], None] | None
    tag: str | None = None
    cancelled: bool = field(default=False)
    counted: bool = True  # submitted tasks report back; run_sync tasks do not


class DbRunner(QObject):
    """One worker thread for the store; callbacks run on the thread that created the runner (the GUI thread)."""

    _finished = Signal(object, object, object)  # task, result, error
    busyChanged = Signal(bool)

    def __init__(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        super().__init__()
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._latest: dict[str, _Task] = {}
        self._lock = threading.Lock()
        self._pending = 0
        self._on_error = on_error
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._loop, name="payout-desk-db", daemon=True)
        self._thread.start()

    def submit(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], object] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        *,
        tag: str | None = None,
    ) -> None:
        """Queue ``work``; with a ``tag``, an older queued task with the same tag is dropped."""
        task = _Task(work, done, failed, tag)
        with self._lock:
            if tag is not None:
                older = self._latest.get(tag)
                if older is not None:
                    older.cancelled = True
                self._latest[tag] = task
            self._pending += 1
            if self._pending == 1:
                self.busyChanged.emit(True)
        self._queue.put(task)

    def run_sync(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` on the worker and wait (start-up and shutdown only, never from an event handler)."""
        box: dict[str, Any] = {}
        ready = threading.Event()

        def wrapped() -> None:
            try:
                box["result"] = work()
            except BaseException as error:  # handed back to the caller below
                box["error"] = error
            finally:
                ready.set()

        self._queue.put(_Task(wrapped, None, None, counted=False))
        ready.wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            if not task.counted:
                task.work()
                continue
            if task.cancelled:
                self._finished.emit(task, None, None)
                continue
            try:
                result = task.work()
            except BaseException as error:  # delivered to the GUI thread's handler
                self._finished.emit(task, None, error)
            else:
                self._finished.emit(task, result, None)

    def _deliver(self, task: _Task, result: Any, error: BaseException | None) -> None:
        with self._lock:
            self._pending -= 1
            if task.tag is not None and self._latest.get(task.tag) is task:
                del self._latest[task.tag]
            idle = self._pending == 0
        if idle:
            self.busyChanged.emit(False)
        if task.cancelled:
            return
        if error is not None:
            handler = task.failed or self._on_error
            if handler is not None:
                handler(error)
            return
        if task.done is not None:
            task.done(result)


class ThreadTask(QObject):
    """One blocking call (network) on its own short-lived thread; ``finished``/``failed`` arrive on the GUI thread.

    For work that must wait neither on the GUI thread nor behind the ``DbRunner`` queue — enrolling with the province
    server can take a minute of timeouts — like ``SyncWorker`` but for any callable. One call at a time.
    """

    finished = Signal(object)  # the call's result
    failed = Signal(object)  # BaseException raised by the call

    _done = Signal(object, object)  # result, error

    def __init__(self, name: str = "payout-desk-task", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._thread: threading.Thread | None = None
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True from ``start`` until the result has been delivered on the GUI thread."""
        return self._thread is not None

    def start(self, work: Callable[[], Any]) -> bool:
        """Run ``work`` in the background; False (and nothing happens) while an earlier call runs."""
        if self._thread is not None:
            return False
        self._thread = threading.Thread(target=self._run, args=(work,), name=self._name, daemon=True)
        self._thread.start()
        return True

    def _run(self, work: Callable[[], Any]) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = work()
        except BaseException as problem:  # delivered to the GUI thread
            error = problem
        try:
            self._done.emit(result, error)
        except RuntimeError:  # the owner is gone: nobody is left to tell
            pass

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(1.0)  # it has emitted its last signal and is returning
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(result)
