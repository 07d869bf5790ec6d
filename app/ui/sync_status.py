"""The status bar's sync control: what waits to be sent, how the last sync went, open flags, and the "Đồng bộ" button.

The teller must see at a glance whether the province has the day's payments, without a dialog interrupting the queue
of people: failures (mostly "no network" at a village hall) are shown here, quietly, and retried by a timer. The
control runs syncs through a ``SyncWorker`` (its own thread) and reads the sync status through the ``DbRunner``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.store.sync import SyncStatus
from app.ui.errors import error_text
from app.ui.sync_worker import SyncWorker
from app.ui.tasks import DbRunner

if TYPE_CHECKING:
    from app.domain.clock import ProvinceTime
    from app.store.store import Store
    from app.sync.engine import SyncReport

OK_COLOR = "#1b5e20"
ERROR_COLOR = "#b71c1c"


class _ElidedLabel(QLabel):
    """A one-line label that shrinks with "…" instead of widening the window; ``text()`` keeps the whole text."""

    def minimumSizeHint(self) -> QSize:
        return QSize(80, super().minimumSizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        elided = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(painter, rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                                  self.palette(), self.isEnabled(), elided, self.foregroundRole())
        painter.end()


def _local(clock: ProvinceTime, moment: dt.datetime) -> str:
    """The time in the province's zone (a time recorded without a zone is UTC, as every stored time is)."""
    return clock.format_datetime(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))


def _parse(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


class SyncControl(QWidget):
    """Pending count, last result and open flags, a button that syncs now, and a timer that syncs every N seconds."""

    synced = Signal(object)  # SyncReport of every finished run, manual or automatic
    progressed = Signal(str, int, int)  # stage, done, total: once the progress is shown
    failed = Signal(object)  # BaseException of a run that could not start or crashed, once the error is shown
    statusShown = Signal(object)  # SyncStatus, once shown (enrolment known)

    def __init__(self, runner: DbRunner, store: Store, worker: SyncWorker, lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncControl")
        self._runner = runner
        self._store = store
        self._worker = worker
        self._lang = lang
        self._enrolled = False
        self._last_at: dt.datetime | None = None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pending = QLabel("", self)
        self.pending.setObjectName("syncPending")
        self.result = _ElidedLabel(self.tr("Đang đọc trạng thái đồng bộ…"), self)
        self.result.setObjectName("syncResult")
        self.result.setMaximumWidth(420)
        self.flags = QLabel("", self)
        self.flags.setObjectName("syncFlags")
        self.flags.setStyleSheet(f"color:{ERROR_COLOR};font-weight:bold;")
        self.flags.hide()
        self.button = QPushButton(self.tr("Đồng bộ"), self)
        self.button.setObjectName("syncButton")
        self.button.setEnabled(False)  # until the status says this device is enrolled
        self.button.clicked.connect(self.start_sync)
        for widget in (self.pending, self.result, self.flags, self.button):
            layout.addWidget(widget)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        worker.started.connect(self._started)
        worker.progressed.connect(self._progressed)
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)

    # --- what the window tells it ------------------------------------------------------------------------------

    @property
    def enrolled(self) -> bool:
        return self._enrolled

    @property
    def running(self) -> bool:
        return self._worker.running

    def set_pending(self, count: int) -> None:
        """Entries not yet accepted by the province (after each payment, reversal or sync)."""
        self.pending.setText(self.tr("Chờ gửi: {count}").format(count=count))

    def set_auto_interval(self, seconds: int) -> None:
        """Try a sync every ``seconds`` (0 turns the timer off); skipped while one runs or when not enrolled."""
        self.set_auto_interval_ms(seconds * 1000)

    def set_auto_interval_ms(self, interval_ms: int) -> None:
        """``set_auto_interval`` in milliseconds, for intervals shorter than a second (tests)."""
        if interval_ms <= 0:
            self._timer.stop()
        else:
            self._timer.start(interval_ms)

    def auto_interval_ms(self) -> int:
        """Milliseconds between automatic syncs; 0 while the timer is off."""
        return self._timer.interval() if self._timer.isActive() else 0

    def refresh_status(self) -> None:
        self._runner.submit(lambda: self._store.sync.status(), self._show_status, self._status_failed,
                            tag="sync-status")

    def shutdown(self) -> None:
        self._timer.stop()
        self._worker.shutdown()

    # --- running --------------------------------------------------------------------------------------------------

    def start_sync(self) -> bool:
        """Sync now in the background; does nothing (False) when not enrolled or while a sync runs."""
        if not self._enrolled or self._worker.running:
            return False
        return self._worker.start()

    def tick(self) -> None:
        """What the timer does: sync when enrolled, else re-read the status (an enrolment made meanwhile)."""
        if self._enrolled:
            self.start_sync()
        elif not self._worker.running:
            self.refresh_status()  # enrolled from the command line while the app runs: light up within a tick

    def _started(self) -> None:
        self.button.setEnabled(False)
        self._show_result(self.tr("Đang đồng bộ…"), None)

    def _progressed(self, stage: str, done: int, total: int) -> None:
        if stage == "upload":
            self._show_result(self.tr("Đang gửi {done}/{total}…").format(done=done, total=total), None)
        else:
            self._show_result(self.tr("Đang tải về {count} thay đổi…").format(count=done), None)
        self.progressed.emit(stage, done, total)

    def _finished(self, report: SyncReport) -> None:
        self.button.setEnabled(self._enrolled)
        self.set_pending(report.pending)
        self._last_at = self._store.clock()
        error = report.error if self._lang == "vi" else report.error_en or report.error
        self._show_last(self._last_at, report.ok, error)
        self.refresh_status()  # open flags, and the pending count as the database has it
        self.synced.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.button.setEnabled(self._enrolled)
        self._last_at = self._store.clock()
        self._show_last(self._last_at, False, error_text(error, self._lang))
        self.refresh_status()
        self.failed.emit(error)

    # --- showing --------------------------------------------------------------------------------------------------

    def _show_status(self, status: SyncStatus) -> None:
        self._enrolled = status.enrolled
        self.set_pending(status.pending)
        self.flags.setText(self.tr("⚠ {count} cảnh báo").format(count=status.open_flags))
        self.flags.setToolTip(self.tr("Máy chủ tỉnh đánh dấu {count} khoản cần xem lại; "
                                      "mở từng người để xem chi tiết").format(count=status.open_flags))
        self.flags.setVisible(status.open_flags > 0)
        if not status.enrolled:
            tip = self.tr("Máy này chưa đăng ký với máy chủ tỉnh nên không đồng bộ được. Các khoản chi vẫn được lưu "
                          "an toàn trên máy; cán bộ tỉnh cấp mã đăng ký để bật đồng bộ.")
            self.button.setEnabled(False)
            self.button.setToolTip(tip)
            self._show_result(self.tr("Chưa đăng ký máy chủ tỉnh"), None)
            self.result.setToolTip(tip)
        else:
            self.button.setEnabled(not self._worker.running)
            self.button.setToolTip(self.tr("Gửi các khoản đã chi lên máy chủ tỉnh và tải danh sách mới ({url})")
                                   .format(url=status.server_url))
            if not self._worker.running:
                self._show_recorded(status.last_sync_at, status.last_result)
        self.statusShown.emit(status)

    def _show_recorded(self, at_text: str | None, result: Mapping[str, Any] | None) -> None:
        """The last result as recorded in the database, unless this window has shown a newer one."""
        at = _parse(at_text)
        if at is None or result is None:
            if self._last_at is None:
                self._show_result(self.tr("Chưa đồng bộ lần nào"), None)
            return
        if self._last_at is not None and at <= self._last_at:
            return
        self._last_at = at
        message = str(result.get("error") if self._lang == "vi" else result.get("error_en") or result.get("error"))
        self._show_last(at, bool(result.get("ok")), message)

    def _show_last(self, at: dt.datetime, ok: bool, message: str) -> None:
        time = _local(self._store.province_time, at)
        if ok:
            self._show_result(self.tr("Đồng bộ xong lúc {time}").format(time=time), True)
        else:
            self._show_result(self.tr("Lỗi đồng bộ lúc {time}: {error}").format(time=time, error=message), False)

    def _show_result(self, text: str, ok: bool | None) -> None:
        self.result.setText(text)
        self.result.setToolTip(text)
        color = "" if ok is None else (OK_COLOR if ok else ERROR_COLOR)
        self.result.setStyleSheet(f"color:{color};" if color else "")

    def _status_failed(self, error: BaseException) -> None:
        self._show_result(error_text(error, self._lang), False)
