"""Qt's own dialogs in Vietnamese (the wheels have no qtbase_vi.qm: the app ships its own), and file dialogs that open
in the user's Documents folder, then where the teller went last."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QStandardPaths, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox

from app.resources import resource_path
from app.ui import file_dialogs
from app.ui.app import install_qt_translations, install_translations
from app.ui.file_dialogs import Place
from app.ui.settings import LAST_DOCUMENT_FOLDER, LAST_DRIVE_FOLDER, qsettings
from tests.builders.store import DUC, request
from tests.builders.translations import translations_tool

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def vietnamese_qt(qapp):
    """Qt's texts in Vietnamese for one test, then taken away again (they are process-wide)."""
    before = set(qapp.findChildren(QTranslator))
    assert install_translations(qapp, "vi")
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
        translator.setParent(None)


def test_the_wheel_has_no_vietnamese_for_qt_so_the_app_brings_its_own(qapp) -> None:
    qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert not (qt_folder / "qtbase_vi.qm").exists()  # if a wheel ever has one, install_qt_translations prefers it
    assert resource_path("translations", "qtbase_vi.qm").exists()
    tool = translations_tool()
    ts = ROOT / "app" / "resources" / "translations" / "qtbase_vi.ts"
    assert tool.unfinished(ts) == [] and len(tool.read_messages(ts)) > 200
    assert not install_qt_translations(qapp, "xx")


def test_message_boxes_and_button_boxes_speak_vietnamese(vietnamese_qt, qtbot) -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    box = QMessageBox(QMessageBox.Icon.Question, "Hỏi", "Tiếp tục?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert [box.button(b).text() for b in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No,
                                           QMessageBox.StandardButton.Cancel)] == ["&Có", "&Không", "Hủy"]
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
                               | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(buttons)
    texts = {buttons.button(b).text() for b in (QDialogButtonBox.StandardButton.Ok,
                                                QDialogButtonBox.StandardButton.Close,
                                                QDialogButtonBox.StandardButton.Save)}
    assert texts == {"Đồng ý", "Đóng", "Lưu"}


def test_qts_own_file_dialog_speaks_vietnamese(vietnamese_qt, qtbot, tmp_path) -> None:
    dialog = QFileDialog(None, "Lưu tài liệu", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's widgets (a Linux desktop without a portal)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"Tìm tr&ong:", "&Tên tệp:", "&Loại tệp:"} <= labels, labels  # Alt+O, Alt+T, Alt+L
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    assert {button.text() for button in box.buttons()} == {"&Lưu", "Hủy"}


@pytest.fixture
def fresh_folders():
    """No folder remembered yet (QSettings is process-wide)."""
    for setting in (LAST_DOCUMENT_FOLDER, LAST_DRIVE_FOLDER):
        setting.set(qsettings(), "")
    yield
    for setting in (LAST_DOCUMENT_FOLDER, LAST_DRIVE_FOLDER):
        setting.set(qsettings(), "")


def test_documents_are_saved_from_the_documents_folder_then_the_last_one(window, qtbot, tmp_path, monkeypatch,
                                                                         fresh_folders):
    main, store = window
    store.payouts.pay(request(main.session.session_id, DUC, store.payouts.person(DUC).selected))
    documents = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    assert file_dialogs.documents_folder() == documents and documents != Path.cwd()
    asked: list[str] = []
    chosen = tmp_path / "giay-to" / "ds.pdf"
    chosen.parent.mkdir()
    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName",
                        lambda _parent, _title, start, _filter: (asked.append(start), (str(chosen), ""))[1])
    monkeypatch.setattr(file_dialogs.QFileDialog, "getOpenFileName",
                        lambda _parent, _title, start, _filter: (asked.append(start), ("", ""))[1])
    before = len(main.documents.viewers)
    main.documents.actions["sheet-signed"].trigger()
    qtbot.waitUntil(lambda: len(main.documents.viewers) > before, timeout=10000)
    viewer = main.documents.viewers[-1]
    viewer.save_document()
    assert Path(asked[0]) == documents / viewer.document.filename  # Documents, not the program's folder
    assert chosen.read_bytes() == viewer.document.pdf
    viewer.save_document()
    assert Path(asked[1]) == chosen.parent / viewer.document.filename  # where the teller saved last time
    main.documents.choose_and_verify()  # "Kiểm tra một tài liệu đã in": opens there too (cancelled here)
    assert Path(asked[2]) == chosen.parent
    viewer.reject()


def test_a_drive_folder_is_remembered_and_forgotten_when_the_stick_is_gone(tmp_path, fresh_folders) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    assert file_dialogs.start_folder(Place.DRIVE) == Path(file_dialogs.removable_drive_folder())
    file_dialogs.remember(Place.DRIVE, stick)
    assert file_dialogs.start_folder(Place.DRIVE) == stick
    assert file_dialogs.start_folder(Place.DOCUMENTS) == file_dialogs.documents_folder()
    stick.rmdir()  # the stick was taken out
    assert file_dialogs.start_folder(Place.DRIVE) == Path(file_dialogs.removable_drive_folder())
