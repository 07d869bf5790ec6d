"""Signatures on paper as vector paths, drawn straight from the PDS1 strokes.

Why vectors: a signature drawn as PDF path operators is sharp at any zoom and printer resolution, and costs a few
bytes per point instead of an image per row — a 3,000-person signed sheet renders in about the time a bare table
needs. ``points_of`` reads PDS1 (``app.domain.signature``) with a fast path for the common case where every varint is
one byte (small pen steps at ~60 Hz): the x, y and time deltas then sit at fixed strides and are summed with
``itertools.accumulate`` in C. Anything else falls back to the domain decoder, so both always give the same points
(a test checks it).
"""

from __future__ import annotations

import struct
from itertools import accumulate

from reportlab.pdfgen.canvas import Canvas

from app.domain.signature import MAGIC, decode_strokes

__all__ = ["points_of", "draw_strokes", "StrokeData"]

_HEADER = struct.Struct("<4sHHH")
_COUNT = struct.Struct("<H")
_FIRST = struct.Struct("<HHI")
# zigzag decoding of a one-byte varint (0..127): 0→0, 1→-1, 2→1, 3→-2, ...
_UNZIGZAG = tuple((z >> 1) if not z & 1 else -((z + 1) >> 1) for z in range(128))

StrokeData = tuple[int, int, list[tuple[list[int], list[int]]]]
"""(canvas width, canvas height, [(xs, ys) per stroke]) in pad pixels."""


def _slow(data: bytes) -> StrokeData:
    sig = decode_strokes(data)
    return sig.width, sig.height, [([p.x for p in stroke], [p.y for p in stroke]) for stroke in sig.strokes]


def points_of(data: bytes) -> StrokeData:
    """The strokes' coordinates; raises ``SignatureFormatError`` (via the domain decoder) for bad data."""
    if len(data) < _HEADER.size or data[:4] != MAGIC:
        return _slow(data)
    _, width, height, count = _HEADER.unpack_from(data, 0)
    pos = _HEADER.size
    strokes: list[tuple[list[int], list[int]]] = []
    for _ in range(count):
        if pos + _COUNT.size + _FIRST.size > len(data):
            return _slow(data)
        (points,) = _COUNT.unpack_from(data, pos)
        x0, y0, _t = _FIRST.unpack_from(data, pos + _COUNT.size)
        pos += _COUNT.size + _FIRST.size
        if points == 0:
            return _slow(data)
        size = 3 * (points - 1)
        chunk = data[pos:pos + size]
        if len(chunk) != size or (size and max(chunk) >= 0x80):
            return _slow(data)  # a multi-byte varint somewhere (or truncation): the general decoder handles it
        xs = list(accumulate(map(_UNZIGZAG.__getitem__, chunk[0::3]), initial=x0))
        ys = list(accumulate(map(_UNZIGZAG.__getitem__, chunk[1::3]), initial=y0))
        strokes.append((xs, ys))
        pos += size
    if pos != len(data):
        return _slow(data)
    return width, height, strokes


def _path(xs: list[int], ys: list[int]) -> str:
    rest = " l ".join(map("{} {}".format, xs[1:], ys[1:]))
    if not rest:  # a dot: a zero-length segment shows as a round dot with round caps
        return f"{xs[0]} {ys[0]} m {xs[0]} {ys[0]} l "
    return f"{xs[0]} {ys[0]} m {rest} l "


def draw_strokes(canvas: Canvas, data: StrokeData, x: float, y: float, width: float, height: float,
                 line_width: float = 0.75) -> None:
    """Draw the ink fitted into the box (x, y, width, height) in points, centred, keeping its proportions.

    Coordinates stay integer pad pixels in the content stream: one transform maps them (y flipped) into the box.
    """
    _, _, strokes = data
    if not strokes:
        return
    min_x = min(min(xs) for xs, _ in strokes)
    max_x = max(max(xs) for xs, _ in strokes)
    min_y = min(min(ys) for _, ys in strokes)
    max_y = max(max(ys) for _, ys in strokes)
    ink_w, ink_h = max(max_x - min_x, 1), max(max_y - min_y, 1)
    scale = min(width / ink_w, height / ink_h)
    off_x = x + (width - ink_w * scale) / 2
    off_y = y + (height - ink_h * scale) / 2
    canvas.saveState()
    # pad (px, py) → page (off_x + (px - min_x)·s, off_y + (max_y - py)·s)
    canvas.transform(scale, 0, 0, -scale, off_x - min_x * scale, off_y + max_y * scale)
    canvas.setLineWidth(line_width / scale)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    canvas.addLiteral("".join(_path(xs, ys) for xs, ys in strokes) + "S")
    canvas.restoreState()
