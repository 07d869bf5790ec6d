"""On-screen signature capture: the person signs for the cash on the teller's laptop with a mouse, a pen or a finger.

The strokes are evidence (their PDS1 digest goes into the hash-chained journal), so they are captured on one fixed
logical canvas (600×200) whatever the widget's size: a signature drawn on a small laptop and one drawn on a large
touch screen are stored in the same coordinates and compare and render alike. The widget shows that canvas at the
largest 3:1 size that fits (letterboxed when the widget is wider), so a signature is never stretched.
"""

from __future__ import annotations

import math
from itertools import pairwise

from PySide6.QtCore import QElapsedTimer, QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QEventPoint,
    QFocusEvent,
    QHideEvent,
    QInputDevice,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPointingDevice,
    QResizeEvent,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.domain.signature import (
    MAX_POINTS,
    SignaturePoint,
    Stroke,
    decode_strokes,
    encode_strokes,
    render_png,
)
from app.domain.signature import is_blank as strokes_are_blank

__all__ = ["CANVAS_WIDTH", "CANVAS_HEIGHT", "SignaturePad", "SignatureField"]

CANVAS_WIDTH = 600
CANVAS_HEIGHT = 200
_PEN_WIDTH = 3.0  # logical pixels: the same ink width render_png uses at scale 1
_MAX_T_MS = 0xFFFF_FFFF
_MOUSE, _TABLET, _TOUCH = "mouse", "tablet", "touch"
# Mouse events Qt synthesises from pen or touch input carry the pen's or screen's device; those strokes were
# already taken from the tablet/touch events, so the copies must not draw a second time.
_NOT_A_MOUSE = frozenset(
    {
        QInputDevice.DeviceType.TouchScreen,
        QInputDevice.DeviceType.Stylus,
        QInputDevice.DeviceType.Airbrush,
        QInputDevice.DeviceType.Puck,
    }
)
_PAPER = QColor(255, 255, 255)
_PAPER_READ_ONLY = QColor(246, 246, 246)
_INK = QColor(17, 17, 17)
_BASELINE = QColor(190, 190, 190)
_HINT = QColor(175, 175, 175)
_BORDER = QColor(160, 160, 160)


def _stroke_path(points: Stroke | list[SignaturePoint]) -> QPainterPath:
    """A smooth path through the samples: quadratic curves via the midpoints, so fast strokes are not jagged."""
    path = QPainterPath(QPointF(points[0].x, points[0].y))
    for current, following in pairwise(points[1:]):
        path.quadTo(
            QPointF(current.x, current.y),
            QPointF((current.x + following.x) / 2, (current.y + following.y) / 2),
        )
    if len(points) > 1:
        path.lineTo(QPointF(points[-1].x, points[-1].y))
    return path


class SignaturePad(QWidget):
    """A white pad that records strokes from mouse, tablet pen and touch on the fixed logical canvas.

    `changed` is emitted after a stroke ends and after clear/undo; `blankChanged(bool)` when the pad turns from blank
    (nothing, or only dots — a tap is not a signature) to signed or back.
    """

    changed = Signal()
    blankChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self._current: list[SignaturePoint] | None = None
        self._source: str | None = None
        self._touch_id: int | None = None
        self._point_count = 0
        self._elapsed = QElapsedTimer()
        self._input_enabled = True
        self._blank = True
        self._cache: QPixmap | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(360, 120)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Ô ký tên"))
        self.setToolTip(self.tr("Ký tên tại đây bằng chuột, bút hoặc ngón tay. Phím Delete để xóa."))

    # ----- public API -------------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        """The logical canvas at 1:1 is the comfortable size on a 1366×768 laptop."""
        return QSize(CANVAS_WIDTH, CANVAS_HEIGHT)

    def minimumSizeHint(self) -> QSize:
        return QSize(360, 120)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """The canvas keeps its 3:1 shape; a taller widget would only frame it with empty space."""
        return max(120, round(width * CANVAS_HEIGHT / CANVAS_WIDTH))

    def strokes(self) -> tuple[Stroke, ...]:
        """The finished strokes in canvas coordinates (a stroke still being drawn is not included)."""
        return tuple(self._strokes)

    def encoded(self) -> bytes:
        """The signature as canonical PDS1 bytes on the fixed canvas; its digest is what the journal records."""
        return encode_strokes(CANVAS_WIDTH, CANVAS_HEIGHT, self._strokes)

    def png(self, scale: float = 1.0) -> bytes:
        """A picture for receipts, rendered from the decoded PDS1 bytes so it shows exactly what was stored."""
        return render_png(decode_strokes(self.encoded()), scale=scale)

    def is_blank(self) -> bool:
        """True until real ink is drawn; the payout must not be confirmed on a blank pad."""
        return strokes_are_blank(self._strokes)

    def is_input_enabled(self) -> bool:
        return self._input_enabled

    def set_enabled_input(self, enabled: bool) -> None:
        """Stop or resume taking strokes while still showing the ink (e.g. once the payment is confirmed)."""
        if enabled == self._input_enabled:
            return
        if not enabled and self._current is not None:
            self._finish_stroke()
        self._input_enabled = enabled
        self.setCursor(Qt.CursorShape.CrossCursor if enabled else Qt.CursorShape.ArrowCursor)
        self._invalidate()

    def clear(self) -> None:
        """Remove all strokes and restart the time base, so the next signature's times start at 0."""
        had_ink = bool(self._strokes) or self._current is not None
        self._strokes.clear()
        self._reset_current()
        self._point_count = 0
        self._elapsed.invalidate()
        self._invalidate()
        if had_ink:
            self._emit_changed()

    def undo_last_stroke(self) -> None:
        """Drop the last finished stroke (or the one being drawn): one slip should not force a whole new signature."""
        if self._current is not None:
            self._abort_stroke()
            return
        if not self._strokes:
            return
        removed = self._strokes.pop()
        self._point_count -= len(removed)
        if not self._strokes:
            self._elapsed.invalidate()
        self._invalidate()
        self._emit_changed()

    def canvas_rect(self) -> QRectF:
        """Where the logical canvas sits in the widget: the largest centred 3:1 rectangle."""
        width, height = float(self.width()), float(self.height())
        scale = min(width / CANVAS_WIDTH, height / CANVAS_HEIGHT)
        if scale <= 0:
            return QRectF(0.0, 0.0, float(CANVAS_WIDTH), float(CANVAS_HEIGHT))
        w, h = CANVAS_WIDTH * scale, CANVAS_HEIGHT * scale
        return QRectF((width - w) / 2, (height - h) / 2, w, h)

    def map_to_canvas(self, pos: QPointF) -> tuple[int, int]:
        """Widget position → integer canvas point, clamped, so strokes leaving the pad still end at its edge."""
        rect = self.canvas_rect()
        scale = rect.width() / CANVAS_WIDTH
        x = math.floor((pos.x() - rect.x()) / scale + 0.5)
        y = math.floor((pos.y() - rect.y()) / scale + 0.5)
        return min(max(x, 0), CANVAS_WIDTH - 1), min(max(y, 0), CANVAS_HEIGHT - 1)

    # ----- stroke recording ------------------------------------------------------------------------------------------

    def _begin_stroke(self, pos: QPointF, source: str) -> None:
        if self._current is not None:
            self._finish_stroke()
        if self._point_count >= MAX_POINTS:
            return
        if not self._elapsed.isValid():
            self._elapsed.start()
        first_ink = not self._strokes
        self._current = []
        self._source = source
        if first_ink:
            self._invalidate()  # the hint disappears as soon as signing starts
        self._add_point(pos)

    def _add_point(self, pos: QPointF) -> None:
        current = self._current
        if current is None or self._point_count >= MAX_POINTS:
            return
        x, y = self.map_to_canvas(pos)
        if current and current[-1].x == x and current[-1].y == y:
            return
        current.append(SignaturePoint(x, y, min(self._elapsed.elapsed(), _MAX_T_MS)))
        self._point_count += 1
        self._update_tail(current[-3:])

    def _finish_stroke(self) -> None:
        current = self._current
        self._reset_current()
        if not current:
            return
        stroke = tuple(current)
        self._strokes.append(stroke)
        if self._cache is not None:
            painter = QPainter(self._cache)
            self._paint_strokes(painter, (stroke,))
            painter.end()
        self.update()
        self._emit_changed()

    def _abort_stroke(self) -> None:
        """Forget the stroke being drawn (touch cancelled by the system, or undone mid-stroke)."""
        if self._current is not None:
            self._point_count -= len(self._current)
        self._reset_current()
        self._invalidate()

    def _reset_current(self) -> None:
        self._current = None
        self._source = None
        self._touch_id = None

    def _emit_changed(self) -> None:
        blank = self.is_blank()
        blank_changed = blank != self._blank
        self._blank = blank
        self.changed.emit()
        if blank_changed:
            self.blankChanged.emit(blank)

    # ----- input events ----------------------------------------------------------------------------------------------

    def _real_mouse(self, event: QMouseEvent) -> bool:
        """False for mouse events Qt made from pen or touch input, and while a pen/touch stroke is under way."""
        if self._source not in (None, _MOUSE):
            return False
        return event.pointingDevice().type() not in _NOT_A_MOUSE

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._input_enabled or not self._real_mouse(event):
            super().mousePressEvent(event)
            return
        self._begin_stroke(event.position(), _MOUSE)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._source == _MOUSE and event.buttons() & Qt.MouseButton.LeftButton:
            self._add_point(event.position())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._source == _MOUSE and event.button() == Qt.MouseButton.LeftButton:
            self._add_point(event.position())
            self._finish_stroke()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """Pen input: accepted so Qt does not also synthesise mouse events; the eraser end draws nothing."""
        if not self._input_enabled:
            event.ignore()
            return
        event.accept()
        if event.pointerType() == QPointingDevice.PointerType.Eraser:
            return
        kind = event.type()
        if kind == QEvent.Type.TabletPress and event.button() == Qt.MouseButton.LeftButton:
            self._begin_stroke(event.position(), _TABLET)
        elif kind == QEvent.Type.TabletMove and self._source == _TABLET:
            self._add_point(event.position())
        elif (kind == QEvent.Type.TabletRelease and self._source == _TABLET
              and event.button() == Qt.MouseButton.LeftButton):
            self._add_point(event.position())
            self._finish_stroke()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            assert isinstance(event, QTouchEvent)
            return self._touch(event)
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> bool:
        """Touch input: the first finger draws; other fingers (a resting palm) are ignored; a cancel drops the
        stroke."""
        kind = event.type()
        if kind == QEvent.Type.TouchBegin:
            if not self._input_enabled or not event.points():
                event.ignore()
                return False
            first = event.points()[0]
            self._begin_stroke(first.position(), _TOUCH)
            self._touch_id = first.id() if self._current is not None else None
        elif kind == QEvent.Type.TouchCancel:
            if self._source == _TOUCH and self._current is not None:
                self._abort_stroke()
        elif self._source == _TOUCH:
            point = next((p for p in event.points() if p.id() == self._touch_id), None)
            if point is not None:
                self._add_point(point.position())
                if kind == QEvent.Type.TouchEnd or point.state() == QEventPoint.State.Released:
                    self._finish_stroke()
            elif kind == QEvent.Type.TouchEnd:
                self._finish_stroke()
        event.accept()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Delete/Backspace start over: the quickest fix when the pad has focus after a botched signature."""
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self._input_enabled
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """A hidden pad gets no release event, so end the stroke now rather than leave it open."""
        if self._current is not None:
            self._finish_stroke()
        super().hideEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        if event.type() in (QEvent.Type.EnabledChange, QEvent.Type.FontChange, QEvent.Type.LanguageChange):
            self._invalidate()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cache = None
        super().resizeEvent(event)

    # ----- painting ---------------------------------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._cache = None
        self.update()

    def _update_tail(self, tail: list[SignaturePoint]) -> None:
        """Repaint only around the newest segment: full repaints on every pen sample are slow on old laptops."""
        rect = self.canvas_rect()
        scale = rect.width() / CANVAS_WIDTH
        xs = [rect.x() + p.x * scale for p in tail]
        ys = [rect.y() + p.y * scale for p in tail]
        pad = _PEN_WIDTH * scale + 2
        left, top = math.floor(min(xs) - pad), math.floor(min(ys) - pad)
        right, bottom = math.ceil(max(xs) + pad), math.ceil(max(ys) + pad)
        self.update(QRect(left, top, right - left + 1, bottom - top + 1))

    def _canvas_painter_setup(self, painter: QPainter) -> None:
        rect = self.canvas_rect()
        painter.setClipRect(rect)
        painter.translate(rect.topLeft())
        scale = rect.width() / CANVAS_WIDTH
        painter.scale(scale, scale)

    def _paint_strokes(self, painter: QPainter, strokes: tuple[Stroke, ...] | list[list[SignaturePoint]]) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._canvas_painter_setup(painter)
        pen = QPen(_INK, _PEN_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for stroke in strokes:
            if len(stroke) == 1:
                painter.drawPoint(QPointF(stroke[0].x, stroke[0].y))
            elif stroke:
                painter.drawPath(_stroke_path(stroke))
        painter.restore()

    def _paper(self) -> QPixmap:
        """Background, baseline, hint and finished ink, cached: only the stroke being drawn is painted per event."""
        ratio = self.devicePixelRatioF()
        if self._cache is not None and self._cache.devicePixelRatio() == ratio:
            return self._cache
        pixmap = QPixmap(QSize(max(1, math.ceil(self.width() * ratio)), max(1, math.ceil(self.height() * ratio))))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().window().color())
        painter = QPainter(pixmap)
        rect = self.canvas_rect()
        editable = self._input_enabled and self.isEnabled()
        painter.fillRect(rect, _PAPER if editable else _PAPER_READ_ONLY)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        baseline_y = rect.y() + rect.height() * 0.72
        painter.setPen(QPen(_BASELINE, 1.0, Qt.PenStyle.DashLine))
        painter.drawLine(
            QPointF(rect.x() + rect.width() * 0.05, baseline_y), QPointF(rect.x() + rect.width() * 0.95, baseline_y)
        )
        if not self._strokes and self._current is None and editable:
            font = self.font()
            font.setItalic(True)
            font.setPointSizeF(max(font.pointSizeF(), 1.0) * 1.3)
            painter.setFont(font)
            painter.setPen(_HINT)
            hint_rect = QRectF(rect.x(), rect.y(), rect.width(), baseline_y - rect.y() - 4)
            painter.drawText(
                hint_rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom), self.tr("Ký tại đây")
            )
        painter.end()
        if self._strokes:
            painter = QPainter(pixmap)
            self._paint_strokes(painter, tuple(self._strokes))
            painter.end()
        self._cache = pixmap
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._paper())
        if self._current:
            self._paint_strokes(painter, [self._current])
        rect = self.canvas_rect().adjusted(0.5, 0.5, -0.5, -0.5)
        focused = self.hasFocus()
        painter.setPen(QPen(self.palette().highlight().color() if focused else _BORDER, 2.0 if focused else 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        painter.end()


class SignatureField(QWidget):
    """The pad with its buttons, the unit a payout screen embeds: tellers need a visible way to start over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pad = SignaturePad(self)
        self.pad.setObjectName("signaturePad")
        self.undo_button = QPushButton(self)
        self.undo_button.setObjectName("signatureUndoButton")
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("signatureClearButton")
        self._retranslate()

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pad, 1)
        layout.addLayout(buttons)

        self.undo_button.clicked.connect(self._undo)
        self.clear_button.clicked.connect(self._clear)
        self.pad.changed.connect(self._sync_buttons)
        self._sync_buttons()

    def _retranslate(self) -> None:
        self.undo_button.setText(self.tr("Hoàn tác nét cuối"))
        self.undo_button.setToolTip(self.tr("Bỏ nét ký vừa vẽ"))
        self.clear_button.setText(self.tr("Xóa"))
        self.clear_button.setToolTip(self.tr("Xóa chữ ký để ký lại"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def clear(self) -> None:
        """Start over, as the Clear button does (screens reset the field when another person is shown)."""
        self.pad.clear()

    def is_blank(self) -> bool:
        return self.pad.is_blank()

    def set_enabled_input(self, enabled: bool) -> None:
        """Lock or unlock the pad and its buttons together."""
        self.pad.set_enabled_input(enabled)
        self._sync_buttons()

    def _undo(self) -> None:
        self.pad.undo_last_stroke()

    def _clear(self) -> None:
        self.pad.clear()
        self.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def _sync_buttons(self) -> None:
        has_ink = bool(self.pad.strokes())
        editable = self.pad.is_input_enabled()
        self.undo_button.setEnabled(has_ink and editable)
        self.clear_button.setEnabled(has_ink and editable)
