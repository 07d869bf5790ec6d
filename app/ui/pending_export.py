"""Carrying the unsent journal to the province on a USB stick, for payout points with no network for days.

The teller picks where to write (the file dialog starts on the removable drives); ``app.sync.offline.export_pending``
writes every entry the server has not acknowledged, encrypted to the province and signed by this device, on the
``DbRunner`` (it reads the journal and the device key). Nothing is marked as sent: the next online sync learns what the
province imported, so exporting twice, or exporting and then syncing, never loses or doubles a payment.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.errors import show_error
from app.ui.file_dialogs import Place, save_file, start_folder
from app.ui.tasks import DbRunner

if TYPE_CHECKING:
    from app.store.store import Store


def export_file_name(device_id: str, moment: dt.datetime) -> str:
    """``nhat-ky-<first 8 characters of the device id>-<yyyyMMdd-HHmm>.json``: which laptop, and when."""
    return f"nhat-ky-{device_id.replace('-', '')[:8]}-{moment:%Y%m%d-%H%M}.json"


def write_pending(store: Store, target: Path) -> int:
    """On the DbRunner: the export itself (imported here so the window opens without the crypto stack)."""
    from app.sync import offline

    return offline.export_pending(store, target)


class PendingExport(QObject):
    """The "export the pending journal" menu action's work; ``exported`` carries (path, entries written)."""

    exported = Signal(object, int)

    def __init__(self, runner: DbRunner, store: Store, lang: str, window: QWidget) -> None:
        super().__init__(window)
        self._runner = runner
        self._store = store
        self._lang = lang
        self._window = window
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def default_name(self) -> str:
        moment = self._store.province_time.to_local(self._store.clock())
        return export_file_name(self._store.device_id, moment)

    def default_path(self) -> Path:
        return start_folder(Place.DRIVE) / self.default_name()

    def run(self) -> None:
        """Ask where, then write in the background and say how many entries went into the file."""
        if self._running:
            return
        target = save_file(self._window, self.tr("Ghi nhật ký chờ gửi ra USB"), self.default_name(),
                           self.tr("Nhật ký chờ gửi (*.json)"), Place.DRIVE)
        if target is None:
            return
        if not target.suffix:
            target = target.with_suffix(".json")
        store = self._store
        self._running = True
        self._runner.submit(lambda: write_pending(store, target), lambda count: self._written(target, count),
                            self._failed)

    def _written(self, target: Path, count: int) -> None:
        self._running = False
        if count:
            title = self.tr("Đã ghi nhật ký chờ gửi")
            text = self.tr("Đã ghi {count} bút toán chờ gửi vào {path}. Mang tệp đến tỉnh để nhập "
                           "(payout-server import-batch). Máy vẫn giữ các bút toán này và gửi lại ở lần đồng bộ "
                           "sau; tỉnh tự bỏ qua những bút toán đã nhập.").format(count=count, path=str(target))
        else:
            title = self.tr("Không có gì để ghi")
            text = self.tr("Không có bút toán nào chờ gửi: máy chủ tỉnh đã nhận đủ, không ghi tệp nào.")
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self._window)
        box.setObjectName("exportResult")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.exported.emit(target, count)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        show_error(self._window, error, self._lang)
