"""One sync with the province server at a time, on its own thread, with progress and the report delivered on the GUI
thread.

A sync does network I/O that may take a minute (timeouts, retries with backoff), so it runs neither on the GUI thread
(the screen must never freeze) nor on the ``DbRunner`` thread (a payment must never wait behind the network). The
engine opens its own short transactions (WAL, ``BEGIN IMMEDIATE`` with a busy timeout), so it shares the database
safely with the ``DbRunner``. Results cross back through queued signals; no widget is touched from the thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:
    from app.store.store import Store
    from app.sync.engine import SyncReport

Progress = Callable[[str, int, int], None]


class SyncRun(Protocol):
    """What the worker needs of a sync engine (``app.sync.engine.SyncEngine``, or a fake in tests)."""

    def run(self, cancel: threading.Event | None = None, progress: Progress | None = None) -> SyncReport: ...


EngineFactory = Callable[["Store"], SyncRun]
"""Makes the engine for one run, on the sync thread (reading the enrolment and device key is I/O too)."""


def default_engine(store: Store) -> SyncRun:
    """The real engine; imported lazily so the window opens without loading the HTTP stack."""
    from app.sync.engine import SyncEngine

    return SyncEngine(store)


class SyncWorker(QObject):
    """Starts a sync on a background thread; a second ``start`` while one runs is refused."""

    started = Signal()
    progressed = Signal(str, int, int)  # stage ("upload" or "download"), done, total
    finished = Signal(object)  # SyncReport: network and server trouble are in the report, never raised
    failed = Signal(object)  # BaseException from the engine's constructor (not enrolled) or an unexpected bug

    _progress = Signal(str, int, int)
    _done = Signal(object, object)  # report, error

    def __init__(self, store: Store, engine_factory: EngineFactory | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._factory = engine_factory or default_engine
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._progress.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True from ``start`` until ``finished``/``failed`` has been delivered on the GUI thread."""
        return self._thread is not None

    def start(self) -> bool:
        """Run one sync in the background; False (and nothing happens) if one is already running."""
        if self._thread is not None:
            return False
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._work, args=(self._cancel,), name="payout-desk-sync",
                                        daemon=True)
        self.started.emit()
        self._thread.start()
        return True

    def shutdown(self, timeout: float = 3.0) -> None:
        """Ask a running sync to stop (between batches and retries) and wait a little for it (window closing)."""
        self._cancel.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _work(self, cancel: threading.Event) -> None:
        report: Any = None
        error: BaseException | None = None
        try:
            engine = self._factory(self._store)
            report = engine.run(cancel, self._emit_progress)
        except BaseException as problem:  # delivered to the GUI thread, shown in the status
            error = problem
        try:
            self._done.emit(report, error)
        except RuntimeError:  # the window (and this object) is gone: nobody is left to tell
            pass

    def _emit_progress(self, stage: str, done: int, total: int) -> None:
        try:
            self._progress.emit(stage, done, total)
        except RuntimeError:
            pass

    def _deliver(self, report: Any, error: BaseException | None) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(1.0)  # it has emitted its last signal and is returning
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(report)
