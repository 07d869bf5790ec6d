"""The signature pad, driven through real Qt input events on the offscreen platform."""

from __future__ import annotations

import struct

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

import app.ui.signature_pad as signature_pad_module
from app.domain.signature import SignaturePoint, decode_strokes
from app.ui.signature_pad import CANVAS_HEIGHT, CANVAS_WIDTH, SignatureField, SignaturePad

LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton
NO_MOD = Qt.KeyboardModifier.NoModifier


def make_pad(qtbot: QtBot, width: int = CANVAS_WIDTH, height: int = CANVAS_HEIGHT) -> SignaturePad:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(width, height)
    pad.show()
    qtbot.waitExposed(pad)
    assert (pad.width(), pad.height()) == (width, height)
    return pad


def draw(pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """One mouse stroke: press at the first point, move through the rest (button held), release at the last."""
    first, *rest = points
    QTest.mousePress(pad, LEFT, NO_MOD, QPoint(*first))
    for point in rest:
        QTest.mouseMove(pad, QPoint(*point))
    QTest.mouseRelease(pad, LEFT, NO_MOD, QPoint(*points[-1]))


def xy(stroke: tuple[SignaturePoint, ...]) -> list[tuple[int, int]]:
    return [(p.x, p.y) for p in stroke]


ZIGZAG = [(40, 120), (60, 80), (90, 130), (120, 70), (160, 140), (220, 100)]


def test_mouse_stroke_is_stored_and_encoded_on_the_logical_canvas(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    changes: list[None] = []
    blanks: list[bool] = []
    pad.changed.connect(lambda: changes.append(None))
    pad.blankChanged.connect(blanks.append)

    draw(pad, ZIGZAG)

    assert [xy(s) for s in pad.strokes()] == [ZIGZAG]
    times = [p.t_ms for p in pad.strokes()[0]]
    assert times == sorted(times) and times[0] < 1000
    decoded = decode_strokes(pad.encoded())
    assert (decoded.width, decoded.height) == (CANVAS_WIDTH, CANVAS_HEIGHT)
    assert decoded.strokes == pad.strokes()
    assert not pad.is_blank()
    assert changes == [None]
    assert blanks == [False]


def test_a_bigger_widget_maps_onto_the_same_canvas(qtbot: QtBot) -> None:
    pad = make_pad(qtbot, 900, 300)  # 1.5× the canvas
    draw(pad, [(int(x * 1.5), int(y * 1.5)) for x, y in ZIGZAG])
    assert [xy(s) for s in pad.strokes()] == [ZIGZAG]
    assert decode_strokes(pad.encoded()).width == CANVAS_WIDTH


def test_a_wider_widget_letterboxes_and_clamps_to_the_canvas(qtbot: QtBot) -> None:
    pad = make_pad(qtbot, 1000, 200)  # canvas shown 600×200, centred: x 200..800
    assert pad.canvas_rect().x() == 200.0
    draw(pad, [(250, 50), (400, 100), (990, 260)])  # ends outside the canvas and below the widget
    assert xy(pad.strokes()[0]) == [(50, 50), (200, 100), (CANVAS_WIDTH - 1, CANVAS_HEIGHT - 1)]
    decode_strokes(pad.encoded())  # every point is inside the canvas, or this would raise


def test_a_click_is_not_a_signature(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    blanks: list[bool] = []
    changes: list[None] = []
    pad.blankChanged.connect(blanks.append)
    pad.changed.connect(lambda: changes.append(None))

    QTest.mouseClick(pad, LEFT, NO_MOD, QPoint(100, 100))

    assert [xy(s) for s in pad.strokes()] == [[(100, 100)]]
    assert pad.is_blank()
    assert changes == [None]
    assert blanks == []
    assert decode_strokes(pad.encoded()).strokes == pad.strokes()


def test_right_button_and_plain_moves_draw_nothing(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    QTest.mousePress(pad, Qt.MouseButton.RightButton, NO_MOD, QPoint(10, 10))
    QTest.mouseMove(pad, QPoint(200, 100))
    QTest.mouseRelease(pad, Qt.MouseButton.RightButton, NO_MOD, QPoint(200, 100))
    QTest.mouseMove(pad, QPoint(300, 150))
    assert pad.strokes() == ()


def test_undo_and_clear(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    draw(pad, ZIGZAG)
    draw(pad, [(300, 100), (400, 100)])
    changes: list[None] = []
    blanks: list[bool] = []
    pad.changed.connect(lambda: changes.append(None))
    pad.blankChanged.connect(blanks.append)

    pad.undo_last_stroke()
    assert [xy(s) for s in pad.strokes()] == [ZIGZAG]
    assert (len(changes), blanks) == (1, [])

    pad.clear()
    assert pad.strokes() == () and pad.is_blank()
    assert (len(changes), blanks) == (2, [True])

    pad.clear()
    pad.undo_last_stroke()
    assert (len(changes), blanks) == (2, [True])  # nothing to clear or undo: no signal

    draw(pad, [(10, 10), (200, 10)])
    assert pad.strokes()[0][0].t_ms < 1000  # the time base restarted with the new signature
    assert blanks == [True, False]


def test_delete_and_backspace_clear_when_focused(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    for key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
        draw(pad, ZIGZAG)
        pad.setFocus()
        QTest.keyClick(pad, key)
        assert pad.strokes() == ()


def test_png_is_a_valid_picture_of_the_ink(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    draw(pad, [(100, 100), (500, 100)])
    data = pad.png()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", data[16:24]) == (CANVAS_WIDTH, CANVAS_HEIGHT)
    image = QImage.fromData(data)
    assert not image.isNull()
    assert QImage.fromData(pad.png(scale=0.5)).width() == CANVAS_WIDTH // 2
    assert image.pixelColor(300, 100).lightness() < 50  # on the line
    assert image.pixelColor(300, 150).lightness() > 200  # paper


def test_screen_shows_ink_hint_and_baseline(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    blank = pad.grab().toImage()
    assert blank.pixelColor(300, 30).lightness() > 240
    hint_ink = sum(
        1 for x in range(150, 450, 2) for y in range(60, 140, 2) if blank.pixelColor(x, y).lightness() < 230
    )
    assert hint_ink > 10  # the faint "Ký tại đây" and the baseline
    draw(pad, [(100, 30), (500, 30)])
    signed = pad.grab().toImage()
    assert signed.pixelColor(300, 30).lightness() < 60


def test_touch_draws_one_stroke(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    assert pad.testAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
    screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    QTest.touchEvent(pad, screen).press(0, QPoint(100, 100), pad).commit()
    QTest.touchEvent(pad, screen).move(0, QPoint(150, 120), pad).commit()
    QTest.touchEvent(pad, screen).move(0, QPoint(200, 140), pad).commit()
    QTest.touchEvent(pad, screen).release(0, QPoint(220, 150), pad).commit()
    qtbot.wait(1)  # deliver anything Qt queued (a synthesised mouse event would add a second stroke)
    assert [xy(s) for s in pad.strokes()] == [[(100, 100), (150, 120), (200, 140), (220, 150)]]
    assert not pad.is_blank()


def test_a_second_finger_is_ignored(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    QTest.touchEvent(pad, screen).press(0, QPoint(100, 100), pad).commit()
    QTest.touchEvent(pad, screen).move(0, QPoint(150, 100), pad).press(1, QPoint(500, 180), pad).commit()
    QTest.touchEvent(pad, screen).move(0, QPoint(200, 100), pad).move(1, QPoint(520, 190), pad).commit()
    QTest.touchEvent(pad, screen).release(0, QPoint(200, 100), pad).release(1, QPoint(520, 190), pad).commit()
    qtbot.wait(1)
    assert [xy(s) for s in pad.strokes()] == [[(100, 100), (150, 100), (200, 100)]]


def _test_pen() -> QPointingDevice:
    """One pen for the whole run, owned by the application: Qt keeps per-device state, and a device collected by
    Python while Qt still refers to it crashed the interpreter at exit."""
    app = QApplication.instance()
    assert app is not None
    pen = app.findChild(QPointingDevice, "testPen")
    if pen is None:
        pen = QPointingDevice(
            "test pen",
            4242,
            QInputDevice.DeviceType.Stylus,
            QPointingDevice.PointerType.Pen,
            QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
            1,
            2,
            parent=app,
        )
        pen.setObjectName("testPen")
    return pen


def test_tablet_pen_draws_one_stroke(qtbot: QtBot) -> None:
    """The platform tablet path cannot be driven offscreen; the QTabletEvents are sent to the widget directly."""
    pad = make_pad(qtbot)
    pen = _test_pen()

    def send(kind: QEvent.Type, x: int, y: int, button: Qt.MouseButton, buttons: Qt.MouseButton) -> bool:
        pos = QPointF(x, y)
        event = QTabletEvent(
            kind, pen, pos, QPointF(pad.mapToGlobal(pos)), 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, NO_MOD, button, buttons
        )
        QApplication.sendEvent(pad, event)
        return event.isAccepted()

    assert send(QEvent.Type.TabletMove, 20, 20, NO_BUTTON, NO_BUTTON)  # hovering draws nothing
    assert send(QEvent.Type.TabletPress, 300, 50, LEFT, LEFT)
    assert send(QEvent.Type.TabletMove, 350, 60, NO_BUTTON, LEFT)
    assert send(QEvent.Type.TabletMove, 380, 90, NO_BUTTON, LEFT)
    assert send(QEvent.Type.TabletRelease, 400, 70, LEFT, NO_BUTTON)
    qtbot.wait(1)
    assert [xy(s) for s in pad.strokes()] == [[(300, 50), (350, 60), (380, 90), (400, 70)]]


def test_locked_pad_takes_no_input_but_keeps_its_ink(qtbot: QtBot) -> None:
    pad = make_pad(qtbot)
    draw(pad, ZIGZAG)
    pad.set_enabled_input(False)
    draw(pad, [(300, 100), (400, 100)])
    pad.setFocus()
    QTest.keyClick(pad, Qt.Key.Key_Delete)
    screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    QTest.touchEvent(pad, screen).press(0, QPoint(100, 30), pad).commit()
    QTest.touchEvent(pad, screen).release(0, QPoint(300, 30), pad).commit()
    qtbot.wait(1)
    assert [xy(s) for s in pad.strokes()] == [ZIGZAG]
    pad.set_enabled_input(True)
    draw(pad, [(300, 100), (400, 100)])
    assert len(pad.strokes()) == 2


def test_point_limit_keeps_the_signature_encodable(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signature_pad_module, "MAX_POINTS", 5)
    pad = make_pad(qtbot)
    draw(pad, [(10 * i, 50) for i in range(1, 9)])
    draw(pad, [(10, 150), (100, 150)])
    assert [xy(s) for s in pad.strokes()] == [[(10, 50), (20, 50), (30, 50), (40, 50), (50, 50)]]


def test_signature_field_buttons(qtbot: QtBot) -> None:
    field = SignatureField()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    pad = field.findChild(SignaturePad, "signaturePad")
    clear = field.findChild(QPushButton, "signatureClearButton")
    undo = field.findChild(QPushButton, "signatureUndoButton")
    assert pad is field.pad and clear is not None and undo is not None
    assert not clear.isEnabled() and not undo.isEnabled()

    draw(pad, [(40, 40), (300, 40)])
    draw(pad, [(40, 90), (300, 90)])
    assert clear.isEnabled() and undo.isEnabled()
    qtbot.mouseClick(undo, LEFT)
    assert len(pad.strokes()) == 1
    with qtbot.waitSignal(pad.blankChanged) as blocker:
        qtbot.mouseClick(clear, LEFT)
    assert blocker.args == [True]
    assert pad.strokes() == ()
    assert not clear.isEnabled() and not undo.isEnabled()

    draw(pad, [(40, 40), (300, 40)])
    field.set_enabled_input(False)
    assert not clear.isEnabled() and not undo.isEnabled()
