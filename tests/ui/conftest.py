"""UI test setup: pytest-qt's `qapp`/`qtbot` on the offscreen platform (set in tests/conftest.py), and Qt warnings
are test failures, as Python warnings already are — a Qt warning is usually a real bug (a bad connection, a painter
misuse, a deprecated call) that would otherwise scroll by unnoticed."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, qInstallMessageHandler


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
def _fail_on_qt_warnings(qtlog, qapp) -> Iterator[None]:  # noqa: ANN001 - pytest-qt fixtures are untyped
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
