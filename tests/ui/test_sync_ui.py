"""Sync through the real window with a fake engine (no network): the control, its busy state and results, the
automatic timer, a death notice arriving while the person is on screen, and the province's flags in the person panel.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.errors import BadInputError
from app.domain.journal import format_timestamp
from app.domain.messages import render
from app.domain.model import BeneficiaryStatus
from app.store.desk import PersonState
from app.store.store import Store
from app.sync.engine import SyncReport
from app.sync.feed import apply_feed_page
from app.wire import codec, constants
from tests.builders.desk import Factory, draw_signature, find_person, open_window
from tests.builders.store import DUC, HUE, lines, parsed_list, people

GUI = threading.main_thread()


def no_dialog() -> bool:
    return not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_the_control_is_disabled_with_an_explanation_when_not_enrolled(desk, qtbot):
    factory = Factory(report=SyncReport())
    main, _store = open_window(qtbot, desk, factory, enrolled=False)
    sync = main.sync
    assert sync.isVisible() and not sync.button.isEnabled() and not sync.enrolled
    assert "chưa đăng ký với máy chủ tỉnh" in sync.button.toolTip()
    assert "Chưa đăng ký" in sync.result.text()
    assert sync.start_sync() is False
    sync.button.click()
    with qtbot.waitSignal(sync.statusShown, timeout=2000):
        sync.tick()  # the timer does not sync either (it only re-reads the status)
    assert factory.engines == [] and not sync.running
    qtbot.waitUntil(lambda: sync.pending.text() == "Chờ gửi: 1")  # the session opening waits to be sent
    assert main.width() <= 1366


def test_clicking_sync_runs_off_the_gui_thread_with_progress_then_shows_the_result(desk, qtbot):
    gate = threading.Event()
    factory = Factory(report=SyncReport(uploaded=1), gate=gate)
    main, store = open_window(qtbot, desk, factory)
    sync = main.sync
    qtbot.waitUntil(lambda: sync.pending.text() == "Chờ gửi: 1")
    assert sync.button.isEnabled() and "tinh.example.vn" in sync.button.toolTip()
    try:
        with qtbot.waitSignal(sync.progressed, timeout=2000):
            sync.button.click()
        assert not sync.button.isEnabled() and sync.running
        assert sync.result.text() == "Đang gửi 120/500…"
        sync.button.click()  # disabled while running: a second click does nothing
        assert sync.start_sync() is False and len(factory.engines) == 1
        main.search.setText("duc")  # the window keeps working meanwhile
        main.run_search()
        qtbot.waitUntil(lambda: main.people_model.rowCount() == 1)
        with qtbot.waitSignal(sync.synced, timeout=2000) as signal:
            gate.set()
    finally:
        gate.set()  # never leave the sync thread waiting
    assert signal.args[0].ok and factory.engines[0].threads[0] is not GUI
    expected = store.province_time.format_datetime(store.clock())  # the province's time, not the laptop's
    assert sync.result.text() == f"Đồng bộ xong lúc {expected}"
    assert sync.button.isEnabled() and sync.pending.text() == "Chờ gửi: 1"
    assert not sync.flags.isVisible()


def test_an_error_report_shows_its_vietnamese_message_quietly(desk, qtbot):
    params = {"detail": "hết thời gian chờ"}
    report = SyncReport(ok=False, error_code="sync_offline", error=render("sync_offline", "vi", params),
                        error_en=render("sync_offline", "en", params))
    main, _store = open_window(qtbot, desk, Factory(report=report))
    sync = main.sync
    with qtbot.waitSignal(sync.synced, timeout=2000):
        assert sync.start_sync()
    assert sync.result.text().startswith("Lỗi đồng bộ lúc ")
    assert "Không kết nối được máy chủ tỉnh (hết thời gian chờ)" in sync.result.text()
    assert sync.result.toolTip() == sync.result.text()  # the whole sentence, however narrow the status bar
    assert sync.button.isEnabled() and no_dialog()


def test_an_engine_that_cannot_start_is_reported_in_the_status(desk, qtbot):
    factory = Factory(report=SyncReport())
    factory.error = BadInputError("not_enrolled")
    main, _store = open_window(qtbot, desk, factory)
    with qtbot.waitSignal(main.sync.failed, timeout=2000):
        main.sync.button.click()
    assert "Máy chưa đăng ký với máy chủ tỉnh" in main.sync.result.text()
    assert main.sync.button.isEnabled() and no_dialog()


def test_the_timer_syncs_by_itself_and_a_payment_updates_the_pending_count(desk, qtbot):
    factory = Factory(report=SyncReport())
    main, store = open_window(qtbot, desk, factory)
    main.enable_auto_sync(60)
    assert main.sync.auto_interval_ms() == 60_000
    main.sync.set_auto_interval_ms(20)  # a short interval for the test
    with qtbot.waitSignal(main.sync.synced, timeout=2000):
        pass
    main.enable_auto_sync(0)
    assert main.sync.auto_interval_ms() == 0  # the timer is off

    find_person(qtbot, main, "hue", HUE)
    panel = main.panel
    panel.identity.setCurrentIndex(2)
    panel.paper_radio.setChecked(True)
    panel.evidence_reason.setText("Ky tren danh sach")
    panel.witness.setText("Can bo xa")
    panel.confirm.click()
    qtbot.waitUntil(lambda: "ĐÃ CHI" in panel.result.text(), timeout=3000)
    qtbot.waitUntil(lambda: main.sync.pending.text() == "Chờ gửi: 2")
    assert store.sync.pending_count() == 2


def test_a_death_notice_downloaded_by_a_sync_shows_on_the_person_at_once(desk, qtbot):
    dead = [dataclasses.replace(p, status=BeneficiaryStatus.DECEASED, date_of_death=dt.date(2026, 11, 20))
            for p in people() if p.record_code == DUC]
    fragment = codec.fragment_to_wire(
        parsed_list(the_people=dead, the_lines=[x for x in lines() if x.record_code == DUC]), whole_commune=False)

    def death_notice(store: Store) -> None:
        apply_feed_page(store, [{"kind": constants.CHANGE_LIST, "payload": fragment}], next_cursor=1)

    main, _store = open_window(qtbot, desk, Factory(report=SyncReport(downloaded=1), work=death_notice))
    find_person(qtbot, main, "duc", DUC)
    assert main.panel.confirm.isEnabled() and "ĐÃ MẤT" not in main.panel.status.text()
    with qtbot.waitSignal(main.sync.synced, timeout=2000):
        main.sync.button.click()
    qtbot.waitUntil(lambda: "ĐÃ MẤT ngày 20/11/2026" in main.panel.status.text())
    qtbot.waitUntil(lambda: main.people_model.row_at(main.people_model.position_of(DUC)).state
                    is not PersonState.UNPAID)


@pytest.mark.parametrize("resolution", [None, "ok"])
def test_a_person_with_a_flag_shows_the_warning_strip(desk, qtbot, resolution):
    main, store = open_window(qtbot, desk, Factory(report=SyncReport()), enrolled=False)
    created = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    apply_feed_page(store, [{"kind": constants.CHANGE_FLAG, "payload": {
        "flag_id": 7, "kind": constants.FLAG_DOUBLE_PAYMENT, "entry_id": "e-1", "other_entry_id": "e-2",
        "device_id": "other-device", "line_key": None, "record_code": DUC, "detail": {},
        "created_at": format_timestamp(created), "resolution": resolution}}], next_cursor=1)
    main.refresh()
    if resolution is None:
        qtbot.waitUntil(lambda: main.sync.flags.isVisible() and "1 cảnh báo" in main.sync.flags.text())
    find_person(qtbot, main, "duc", DUC)
    strip = main.panel.flags_strip
    qtbot.waitUntil(lambda: strip.isVisible())
    day = store.province_time.format_date(created)
    if resolution is None:
        assert strip.text() == f"⚠ Khoản này cũng đã được chi bởi máy khác ({day})"
    else:
        assert strip.text() == f"✓ Khoản này cũng đã được chi bởi máy khác ({day}) — đã xử lý"
    find_person(qtbot, main, "hue", HUE)
    qtbot.waitUntil(lambda: not strip.isVisible())


def test_a_sync_that_changes_nothing_about_the_person_on_screen_keeps_the_tellers_work(desk, qtbot):
    def flag_someone_else(store: Store) -> None:
        apply_feed_page(store, [{"kind": constants.CHANGE_FLAG, "payload": {
            "flag_id": 8, "kind": constants.FLAG_AMOUNT_MISMATCH, "entry_id": "e-3", "device_id": "d",
            "record_code": HUE, "created_at": format_timestamp(store.clock())}}], next_cursor=1)

    main, _store = open_window(qtbot, desk, Factory(report=SyncReport(downloaded=1, new_flags=1),
                                                    work=flag_someone_else))
    find_person(qtbot, main, "duc", DUC)
    main.panel.identity.setCurrentIndex(2)
    draw_signature(main.panel.signature.pad)
    with qtbot.waitSignal(main.sync.synced, timeout=2000):
        main.sync.button.click()
    after_reload: list[bool] = []
    main.runner.submit(lambda: None, lambda _result: after_reload.append(True))  # queued behind the reload
    qtbot.waitUntil(lambda: bool(after_reload))
    qtbot.waitUntil(lambda: main.sync.flags.isVisible())
    assert not main.panel.signature.pad.is_blank() and main.panel.identity.currentIndex() == 2
    assert not main.panel.flags_strip.isVisible()


def test_many_flags_collapse_into_three_lines_and_the_lines_table_gives_up_the_room(desk, qtbot):
    main, store = open_window(qtbot, desk, Factory(report=SyncReport()), enrolled=False)
    kinds = (constants.FLAG_DOUBLE_PAYMENT, constants.FLAG_AFTER_DEATH, constants.FLAG_FORK,
             constants.FLAG_CLOCK_SKEW)
    apply_feed_page(store, [{"kind": constants.CHANGE_FLAG, "payload": {
        "flag_id": i, "kind": kind, "entry_id": f"e-{i}", "device_id": "d", "record_code": DUC,
        "created_at": format_timestamp(store.clock())}} for i, kind in enumerate(kinds)], next_cursor=1)
    find_person(qtbot, main, "duc", DUC)
    strip = main.panel.flags_strip
    qtbot.waitUntil(lambda: strip.isVisible())
    shown, listed = strip.text().split("\n"), strip.toolTip().split("\n")
    assert len(shown) == 3 and shown[-1].startswith("… và 2 cảnh báo khác") and len(listed) == 4
    assert "Đồng hồ máy lệch quá 5 phút" in listed[-1]
    # the strip never grows the window past the screen; the lines table keeps every row in view
    assert main.minimumSizeHint().height() <= 768 and main.height() == 768
    table = main.panel.lines
    assert table.height() >= table.content_height() and not table.verticalScrollBar().isVisible()
    find_person(qtbot, main, "hue", HUE)
    qtbot.waitUntil(lambda: not strip.isVisible())


def test_the_sync_interval_is_a_setting_with_a_default_of_a_minute(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from app.ui.settings import SYNC_INTERVAL_SECONDS
    from app.ui.settings_dialog import SettingsDialog

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.sync_seconds() == 60
    dialog.sync_interval.setValue(0)  # only when the teller clicks
    dialog.save()
    assert SYNC_INTERVAL_SECONDS.get(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)) == 0
