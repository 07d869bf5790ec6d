"""Where file dialogs open, and remembering where the teller went last.

A file dialog given only a file name opens in the program's working folder, which a teller never meant (and which may
be read-only, or inside the installed program). Documents are saved and opened from the user's Documents folder
(``QStandardPaths.DocumentsLocation``: "Tài liệu" / "Documents" on every desktop), backups and journal files go to a
removable drive; either way the dialog next time starts where the teller chose last, if that folder is still there.
The dialogs themselves speak Vietnamese through Qt's own texts (``app.ui.app.install_qt_translations``).
"""

from __future__ import annotations

import getpass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from app.ui.settings import LAST_DOCUMENT_FOLDER, LAST_DRIVE_FOLDER, Setting, qsettings


class Place(StrEnum):
    DOCUMENTS = "documents"  # PDFs saved, verified
    DRIVE = "drive"  # a USB stick: backups, the pending journal, the province's certificate


def _setting(place: Place) -> Setting[str]:
    return LAST_DOCUMENT_FOLDER if place is Place.DOCUMENTS else LAST_DRIVE_FOLDER


def documents_folder() -> Path:
    """The user's Documents folder (the home folder on a system without one)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def removable_drive_folder() -> str:
    """Where removable drives usually appear, else the user's Documents folder."""
    user = getpass.getuser()
    for folder in (Path("/media") / user, Path("/run/media") / user, Path("/media"), Path("/Volumes")):
        if folder.is_dir():
            return str(folder)
    return str(documents_folder())


def start_folder(place: Place) -> Path:
    """The folder chosen last for this kind of file if it still exists (the same USB stick plugged in again), else
    the Documents folder, or for a drive where drives appear."""
    remembered = _setting(place).get(qsettings())
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return Path(removable_drive_folder()) if place is Place.DRIVE else documents_folder()


def remember(place: Place, folder: Path) -> None:
    _setting(place).set(qsettings(), str(folder))


def save_file(parent: QWidget | None, title: str, file_name: str, filters: str,
              place: Place = Place.DOCUMENTS) -> Path | None:
    """Ask where to save ``file_name`` (starting in ``start_folder``); None if cancelled. The folder is remembered."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(start_folder(place) / file_name), filters)
    if not chosen:
        return None
    path = Path(chosen)
    remember(place, path.parent)
    return path


def open_file(parent: QWidget | None, title: str, filters: str, place: Place = Place.DOCUMENTS) -> Path | None:
    """Ask for a file to open (starting in ``start_folder``); None if cancelled. The folder is remembered."""
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(start_folder(place)), filters)
    if not chosen:
        return None
    path = Path(chosen)
    remember(place, path.parent)
    return path


def choose_folder(parent: QWidget | None, title: str, place: Place = Place.DRIVE) -> Path | None:
    """Ask for a folder (a USB drive for a backup); None if cancelled. The choice is remembered."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start_folder(place)))
    if not chosen:
        return None
    path = Path(chosen)
    remember(place, path)
    return path
