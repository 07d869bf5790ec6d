"""Settings the user can change, and the busy indicator for work longer than half a second."""

from __future__ import annotations

import time

from PySide6.QtCore import QSettings

from app.ui.settings import IDLE_LOCK_MINUTES, LANGUAGE
from app.ui.settings_dialog import SettingsDialog


def test_settings_dialog_saves_language_and_idle_time(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "vi" and dialog.idle.value() == 5  # the declared defaults
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.idle.setValue(12)
    dialog.save()
    reread = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert LANGUAGE.get(reread) == "en" and IDLE_LOCK_MINUTES.get(reread) == 12


def test_work_longer_than_half_a_second_shows_the_busy_indicator(window, qtbot):
    main, _store = window
    done: list[bool] = []
    main.runner.submit(lambda: time.sleep(0.8), lambda _result: done.append(True))
    qtbot.waitUntil(lambda: main.busy.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: bool(done) and not main.busy.isVisible(), timeout=5000)
