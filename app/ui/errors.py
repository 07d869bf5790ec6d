"""Showing errors to the teller in one place: typed errors in their own words, anything else as a short notice."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.errors import PayoutError

log = logging.getLogger(__name__)


def error_text(error: BaseException, lang: str) -> str:
    """The sentence for a teller; unexpected errors are logged by type only (no personal data in logs)."""
    if isinstance(error, PayoutError):
        return error.message(lang)
    log.error("unexpected error: %s", type(error).__name__)
    return QCoreApplication.translate("errors", "Lỗi không mong đợi ({kind}). Dữ liệu đã lưu vẫn an toàn.").format(
        kind=type(error).__name__
    )


def show_error(parent: QWidget | None, error: BaseException, lang: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("errors", "Không thực hiện được"),
                      error_text(error, lang), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.open()
