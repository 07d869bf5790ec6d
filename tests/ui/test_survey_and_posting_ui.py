"""The satisfaction survey after a payment (one tap each, skippable, on a sample) and the record that the public
notice was posted (after printing it, or from the menu; with or without a photo; a bad photo refused in words with
nothing lost), through the real widgets at 1366×768."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PySide6.QtCore import Qt

from app.ui.posting_dialog import PostingDialog
from app.ui.survey_dialog import SurveyDialog
from tests.builders.desk import type_into
from tests.builders.store import DAY, DUC, HUE, request


def pay(qtbot, main, store, record: str, nth: int) -> None:
    """Pay ``record`` as the confirm button does; wait until the status bar counts the ``nth`` person paid."""
    session_id = main.session.session_id
    main.panel.confirmRequested.emit(request(session_id, record, store.payouts.person(record, session_id).selected))
    qtbot.waitUntil(lambda: main.status_people.text().startswith(f"Đã chi {nth} người"))


def survey_shown(qtbot, main) -> SurveyDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in main.findChildren(SurveyDialog)))
    return next(d for d in main.findChildren(SurveyDialog) if d.isVisible())


def tap(qtbot, dialog: SurveyDialog, name: str) -> None:
    button = next(b for b in dialog.choice_buttons if b.objectName() == name)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_survey_is_offered_on_the_sample_one_tap_each_skippable_and_counted_without_the_person(window, qtbot):
    main, store = window
    main.survey_every = 2
    pay(qtbot, main, store, DUC, 1)  # the 1st person paid: not on the sample
    assert not any(d.isVisible() for d in main.findChildren(SurveyDialog))

    pay(qtbot, main, store, HUE, 2)  # the 2nd: asked
    dialog = survey_shown(qtbot, main)
    assert dialog.width() <= 1366 and dialog.height() <= 768
    assert dialog.step.text() == "Câu 1/3" and "đúng thời gian" in dialog.question.text()
    assert all(button.height() >= 96 for button in dialog.choice_buttons)
    tap(qtbot, dialog, "answer-on_time-yes")
    assert [b.text() for b in dialog.choice_buttons] == ["Rất tốt", "Tốt", "Bình thường", "Chưa tốt", "Kém"]
    tap(qtbot, dialog, "answer-staff-4")
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)  # the commune officer's help: skipped
    qtbot.waitUntil(lambda: bool(store.survey.pending()))
    [tally] = store.survey.pending()
    assert (tally.day, tally.point_id, tally.teller) == (DAY, main.session.point_id, "giaodich")
    assert tally.counts == {"on_time": {"yes": 1}, "staff": {"4": 1}}  # counts only: no person, no payment, no time


def test_declining_counts_nothing_and_zero_means_never(window, qtbot):
    main, store = window
    main.survey_every = 1
    pay(qtbot, main, store, DUC, 1)
    dialog = survey_shown(qtbot, main)
    tap(qtbot, dialog, "answer-on_time-no")
    with qtbot.waitSignal(dialog.counted) as counted:
        qtbot.mouseClick(dialog.decline_button, Qt.MouseButton.LeftButton)
    assert counted.args == [0] and store.survey.pending() == []
    main.survey_every = 0
    pay(qtbot, main, store, HUE, 2)
    qtbot.wait(50)
    assert not any(d.isVisible() for d in main.findChildren(SurveyDialog))


def jpeg(path: Path) -> Path:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (30, 90, 160)).save(out, "JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return path


def posting_shown(qtbot, main) -> PostingDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in main.findChildren(PostingDialog)), timeout=10_000)
    return next(d for d in main.findChildren(PostingDialog) if d.isVisible())


def test_printing_the_notice_asks_where_it_was_posted_a_bad_photo_is_refused_in_words_and_nothing_is_lost(
        window, qtbot, tmp_path):
    main, store = window
    main.documents.actions["notice"].trigger()
    qtbot.waitUntil(lambda: bool(main.documents.viewers), timeout=15_000)
    main.documents.viewers[0].printed("saved")  # the notice left the desk
    dialog = posting_shown(qtbot, main)
    dialog.posted_on.setDate(dialog.posted_on.date().addDays(-3))
    type_into(qtbot, dialog.place, "Bảng tin nhà văn hóa thôn Đông")
    type_into(qtbot, dialog.officer, "Lê Thị Cán Bộ")
    fake = tmp_path / "anh.jpg"
    fake.write_text("không phải ảnh", encoding="utf-8")
    dialog.set_photo(fake)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "không phải ảnh JPEG hoặc PNG" in dialog.message.text())
    assert dialog.isVisible() and dialog.place.text() == "Bảng tin nhà văn hóa thôn Đông"
    assert dialog.officer.text() == "Lê Thị Cán Bộ" and store.postings.of_point(main.session.point_id, "2026-12") == []

    dialog.set_photo(jpeg(tmp_path / "niem-yet.jpg"))
    with qtbot.waitSignal(dialog.recorded, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    kept = saved.args[0]
    assert kept.has_photo and kept.posting.posted_on == DAY - dt.timedelta(days=3)
    assert kept.posting.officer_name == "Lê Thị Cán Bộ" and store.postings.pending_count() == 1


def test_the_posting_can_be_recorded_later_from_the_menu_without_a_photo(window, qtbot):
    main, store = window
    main.documents.actions["posting"].trigger()
    dialog = posting_shown(qtbot, main)
    type_into(qtbot, dialog.place, "UBND xã")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cán bộ xã" in dialog.message.text())  # the officer's name is required
    type_into(qtbot, dialog.officer, "Phạm Văn Xã")
    with qtbot.waitSignal(dialog.recorded, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not saved.args[0].has_photo and saved.args[0].posting.place == "UBND xã"
    assert store.postings.pending_count() == 1  # journalled at the next sync, once the server lists the kind
