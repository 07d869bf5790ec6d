"""The Qt binding in use must not drop references to None (PySide6 6.12.0 on CPython 3.11 does, and aborts)."""

from app.ui.app import binding_is_safe


def test_the_qt_binding_keeps_references(qapp):
    assert binding_is_safe(), "pin PySide6-Essentials < 6.12 on Python 3.11"
