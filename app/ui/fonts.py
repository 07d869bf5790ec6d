"""Narrow type for the desk's dense tables: the bundled DejaVu Sans Condensed (registered with the regular face by
``app.ui.app.install_fonts``) at the application's size.

At 1366×768 the person's lines must show every explanation whole, and the people list its name, birth year, CCCD,
village and state, side by side. The condensed face is the same design about a tenth narrower — legible at the
large size the desk uses, where shrinking the type would not be.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

CONDENSED_FAMILY = "DejaVu Sans Condensed"


def condensed(font: QFont) -> QFont:
    """``font`` in the condensed face when it is installed (the bundled fonts), else ``font`` unchanged."""
    if CONDENSED_FAMILY not in QFontDatabase.families():
        return QFont(font)
    narrow = QFont(font)
    narrow.setFamily(CONDENSED_FAMILY)
    return narrow
