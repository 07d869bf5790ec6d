"""Settings the teller or supervisor may change: the interface language, the idle-lock time, how often to sync, and
how often the satisfaction survey is offered."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.survey import MAX_SAMPLE_EVERY
from app.ui.settings import IDLE_LOCK_MINUTES, LANGUAGE, SURVEY_EVERY, SYNC_INTERVAL_SECONDS


class SettingsDialog(QDialog):
    """Edits the values declared in ``app.ui.settings``; the language applies from the next start."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Cài đặt"))
        self._settings = settings
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(LANGUAGE.get(settings))))
        self.idle = QSpinBox(self)
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(0, 120)
        self.idle.setSuffix(self.tr(" phút"))
        self.idle.setSpecialValueText(self.tr("không tự khóa"))
        self.idle.setValue(IDLE_LOCK_MINUTES.get(settings))
        self.sync_interval = QSpinBox(self)
        self.sync_interval.setObjectName("syncSeconds")
        self.sync_interval.setRange(0, 3600)
        self.sync_interval.setSingleStep(30)
        self.sync_interval.setSuffix(self.tr(" giây"))
        self.sync_interval.setSpecialValueText(self.tr("chỉ khi bấm Đồng bộ"))
        self.sync_interval.setValue(SYNC_INTERVAL_SECONDS.get(settings))
        self.survey = QSpinBox(self)
        self.survey.setObjectName("surveyEvery")
        self.survey.setRange(0, MAX_SAMPLE_EVERY)
        self.survey.setPrefix(self.tr("mỗi "))
        self.survey.setSuffix(self.tr(" người một lần"))
        self.survey.setSpecialValueText(self.tr("không mời"))
        self.survey.setValue(SURVEY_EVERY.get(settings))
        form.addRow(self.tr("Ngôn ngữ giao diện"), self.language)
        form.addRow(self.tr("Tự khóa màn hình sau"), self.idle)
        form.addRow(self.tr("Tự đồng bộ với tỉnh mỗi"), self.sync_interval)
        form.addRow(self.tr("Mời khảo sát hài lòng"), self.survey)
        layout.addLayout(form)
        note = QLabel(self.tr("Ngôn ngữ mới được dùng từ lần mở chương trình sau."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Write the chosen values to the settings and close, as the Lưu button does."""
        LANGUAGE.set(self._settings, self.language.currentData())
        IDLE_LOCK_MINUTES.set(self._settings, self.idle.value())
        SYNC_INTERVAL_SECONDS.set(self._settings, self.sync_interval.value())
        SURVEY_EVERY.set(self._settings, self.survey.value())
        self._settings.sync()
        self.accept()

    def idle_minutes(self) -> int:
        return self.idle.value()

    def sync_seconds(self) -> int:
        return self.sync_interval.value()

    def survey_every(self) -> int:
        return self.survey.value()
