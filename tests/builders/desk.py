"""Driving the desk's real widgets in UI tests: typing Vietnamese safely, drawing a signature, finding a person, and a
main window whose sync engine is a fake (no network). The ``desk`` and ``window`` fixtures are in
``tests/ui/conftest.py``."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from app.lists.policy import load_policy
from app.store.store import Store
from app.sync.engine import SyncReport
from app.sync.enrolment import record_enrolment
from app.ui.main_window import MainWindow
from app.wire import sealing
from tests.builders.store import COMMUNE, DAY

# --- typing, drawing, finding -------------------------------------------------------------------------------------


def type_text(widget, text: str) -> None:  # any widget that takes key events
    """Type Vietnamese safely (QTest.keyClicks aborts on non-ASCII): one key event per character."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def type_into(qtbot, widget, text: str) -> None:  # pytest-qt's qtbot, a line edit
    """Type Vietnamese key by key; digits may be held back briefly by the QR scanner listener, so wait for them."""
    widget.clear()
    type_text(widget, text)
    qtbot.waitUntil(lambda: widget.text() == text)


def draw_signature(pad) -> None:  # a SignaturePad
    """One stroke across the pad, pressed, moved and released like a finger."""

    def send(kind, x, y, buttons):
        event = QMouseEvent(kind, QPointF(x, y), pad.mapToGlobal(QPointF(x, y)), Qt.MouseButton.LeftButton, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(pad, event)

    send(QEvent.Type.MouseButtonPress, 30, 60, Qt.MouseButton.LeftButton)
    for step in range(1, 40):
        send(QEvent.Type.MouseMove, 30 + step * 8, 60 + (step * 7) % 40, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, 350, 80, Qt.MouseButton.NoButton)


def find_person(qtbot, main, query: str, record: str) -> None:  # qtbot, the MainWindow
    """Search as the teller types, pick the person's row, and wait until the panel shows that person."""
    main.search.setFocus()
    main.search.clear()
    type_text(main.search, query)
    main.run_search()
    qtbot.waitUntil(lambda: main.people_model.position_of(record) >= 0)
    main.people.selectRow(main.people_model.position_of(record))
    qtbot.waitUntil(lambda: main.panel.name.text() != "" and main.panel.current_view() is not None
                    and main.panel.current_view().beneficiary.record_code == record)


# --- a window with a fake sync engine -------------------------------------------------------------------------------


class FakeEngine:
    """Stands in for SyncEngine: reports progress, optionally waits for the test, runs ``work``, returns ``report``."""

    def __init__(self, store: Store, report: SyncReport, *, gate: threading.Event | None = None,
                 work: Callable[[Store], None] | None = None) -> None:
        self.store, self.report, self.gate, self.work = store, report, gate, work
        self.threads: list[threading.Thread] = []

    def run(self, cancel=None, progress=None) -> SyncReport:  # the engine's signature
        self.threads.append(threading.current_thread())
        if progress:
            progress("upload", 120, 500)
        if self.gate is not None:
            assert self.gate.wait(5), "the test never released the sync"
        if self.work is not None:
            self.work(self.store)
        return dataclasses.replace(self.report, pending=self.store.sync.pending_count())


class Factory:
    """The window's engine factory; counts the engines made (one per run)."""

    def __init__(self, **engine_args) -> None:
        self.engine_args = engine_args
        self.engines: list[FakeEngine] = []
        self.error: BaseException | None = None

    def __call__(self, store: Store) -> FakeEngine:
        if self.error is not None:
            raise self.error
        engine = FakeEngine(store, **self.engine_args)
        self.engines.append(engine)
        return engine


def mark_enrolled(store: Store) -> None:
    """Record an enrolment as the real one would (no server: the fake engine never calls one)."""
    record_enrolment(store, "https://tinh.example.vn", [COMMUNE],
                     sealing.recovery_public_key(sealing.new_recovery_key()), None)


def open_window(qtbot, desk, factory: Factory | None = None, *,  # qtbot, the desk fixture
                enrolled: bool = True) -> tuple[MainWindow, Store]:
    """The desk's main window on the small commune with a session open, its sync engines made by ``factory``."""
    runner, store = desk
    staff = store.staff.get("giaodich")
    if enrolled:
        mark_enrolled(store)  # (enrolment hands staff to the server; the signed-in teller stays signed in)
    main = MainWindow(runner, store, staff, load_policy(), "vi", sync_engine_factory=factory)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    with qtbot.waitSignal(main.sync.statusShown, timeout=2000):
        main.show()
    session = store.payouts.open_session(commune_code=COMMUNE, point_id="QNH-0001/nha-van-hoa-thon-dong", day=DAY,
                                         cash_advance=50_000_000, staff="giaodich")
    main.set_session(session)
    qtbot.waitUntil(lambda: main.people_model.rowCount() == 4)
    return main, store
