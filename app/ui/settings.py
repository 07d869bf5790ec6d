"""Every user setting of the desktop client, declared once with its type and default (stored with QSettings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QSettings

T = TypeVar("T", str, int, bool)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    help: str

    def get(self, settings: QSettings) -> T:
        value: Any = settings.value(self.key, self.default)  # a string, int or bool, as the backend stored it
        kind = type(self.default)
        try:
            if kind is bool:
                return (value in (True, "true", "1", 1)) if not isinstance(value, bool) else value
            return kind(value)
        except (TypeError, ValueError):
            return self.default

    def set(self, settings: QSettings, value: T) -> None:
        settings.setValue(self.key, value)


LANGUAGE = Setting("ui/language", "vi", "Ngôn ngữ giao diện: vi hoặc en")
IDLE_LOCK_MINUTES = Setting("security/idle_lock_minutes", 5, "Tự khóa màn hình sau số phút không dùng (0 = không khóa)")
SYNC_INTERVAL_SECONDS = Setting("sync/interval_seconds", 60,
                                "Tự đồng bộ với máy chủ tỉnh sau mỗi số giây này (0 = chỉ khi bấm Đồng bộ)")
SURVEY_EVERY = Setting("survey/every_nth_person", 5,
                       "Mời người vừa nhận tiền trả lời khảo sát hài lòng: cứ mỗi số người này một lần (0 = không mời)")
LAST_DOCUMENT_FOLDER = Setting("files/last_document_folder", "",
                               "Thư mục chọn lần trước để lưu hoặc mở tài liệu PDF (trống: thư mục Tài liệu)")
LAST_DRIVE_FOLDER = Setting("files/last_drive_folder", "",
                            "Thư mục (ổ USB) chọn lần trước để sao lưu hoặc ghi nhật ký chờ gửi")


def qsettings() -> QSettings:
    return QSettings("PayoutDesk", "PayoutDesk")
