"""UI test setup: pytest-qt's `qapp`/`qtbot` on the offscreen platform (set in tests/conftest.py), and Qt warnings
are test failures, as Python warnings already are — a Qt warning is usually a real bug (a bad connection, a painter
misuse, a deprecated call) that would otherwise scroll by unnoticed. The desk's fixtures: ``desk`` (a store holding
the small commune and its DB worker) and ``window`` (the main window on it, a session open); the helpers that drive
them are in ``tests/builders/desk.py``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from app.domain.model import Role
from app.lists.policy import load_policy
from app.store.store import Store
from app.ui.main_window import MainWindow
from app.ui.tasks import DbRunner
from tests.builders.store import COMMUNE, DAY, POINT, Clock, parsed_list

_FAILING = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
# Limits of the offscreen platform itself, not of our code: showing a top-level widget that has a layout warns.
_PLATFORM_NOISE = re.compile(r"This plugin does not support propagateSizeHints\(\)")
# Messages outside pytest-qt's capture window (it captures setup and call; widgets are closed at teardown).
_outside_capture: list[str] = []


def _record(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if kind in _FAILING and not _PLATFORM_NOISE.search(message):
        _outside_capture.append(f"{kind.name}: {message}")


# Installed at import, before any test: pytest-qt saves it when a capture starts and restores it when the capture
# stops, so it is the handler in force outside pytest-qt's window (widget closing at teardown).
qInstallMessageHandler(_record)


@pytest.fixture(autouse=True)
def _fail_on_qt_warnings(qtlog, qapp) -> Iterator[None]:  # pytest-qt fixtures are untyped
    """Fail the test on any Qt warning or critical message (mark `qt_log_ignore` to allow a known one)."""
    _outside_capture.clear()
    yield
    captured = [
        f"{record.type_name}: {record.message}"
        for record in qtlog.records
        if record.type in _FAILING and not record.ignored and not _PLATFORM_NOISE.search(record.message)
    ]
    problems = captured + _outside_capture
    _outside_capture.clear()
    if problems:
        pytest.fail("Qt warnings:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def desk(tmp_path, qtbot):  # pytest fixtures
    """A store holding the small commune (08:30 on the payout day) with a teller, and the DB worker serving it."""
    clock = Clock(dt.datetime.combine(DAY, dt.time(8, 30), tzinfo=dt.UTC))
    store = Store.open(tmp_path / "data", clock=clock)
    store.lists.import_parsed(parsed_list())
    store.staff.add("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER, "pw-teller")
    runner = DbRunner()
    yield runner, store
    runner.run_sync(store.close)
    runner.stop()


@pytest.fixture
def window(desk, qtbot):  # pytest fixtures
    """The teller's main window (demo mode), shown at 1366×768 with a session open and the four people listed."""
    runner, store = desk
    staff = store.staff.get("giaodich")
    main = MainWindow(runner, store, staff, load_policy(), "vi", demo=True)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=50_000_000,
                                         staff="giaodich")
    main.set_session(session)
    qtbot.waitUntil(lambda: main.people_model.rowCount() == 4)
    return main, store


@pytest.fixture
def desk_at(tmp_path, qtbot):  # pytest fixtures
    """Make a main window (no session yet) over a store holding ``listed`` with a teller, its clock at ``now``:
    ``main, store = desk_at(listed, now)``. Everything made is closed after the test."""
    made: list[tuple[DbRunner, Store]] = []

    def make(listed, now: dt.datetime) -> tuple[MainWindow, Store]:  # a ParsedList
        store = Store.open(tmp_path / f"data-{len(made)}", clock=Clock(now))
        store.lists.import_parsed(listed)
        store.staff.add("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER, "pw-teller")
        runner = DbRunner()
        made.append((runner, store))
        teller = store.staff.get("giaodich")
        assert teller is not None
        main = MainWindow(runner, store, teller, load_policy(), "vi")
        qtbot.addWidget(main)
        main.resize(1366, 768)
        main.show()
        return main, store

    yield make
    for runner, store in made:
        runner.run_sync(store.close)
        runner.stop()
