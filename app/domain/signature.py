"""On-screen signatures: a compact, canonical stroke format, its digest for the journal, and a PNG rendering.

The strokes (with timing) are the evidence that a person signed, so they are kept losslessly in a small binary
format whose sha256 goes into the payment's hash-chained journal entry; the PNG is only a picture for receipts and
review screens, rendered deterministically from the strokes.

Format "PDS1" (all integers little-endian):

    magic        4 bytes   b"PDS1"
    width        uint16    canvas width in pad pixels, 1..65535
    height       uint16    canvas height in pad pixels, 1..65535
    stroke_count uint16
    then stroke_count strokes, each:
        point_count  uint16    1..10000
        first point  uint16 x, uint16 y, uint32 t_ms      (absolute)
        each further point: three varints dx, dy, dt       (difference from the previous point of the stroke)

A varint is unsigned LEB128 (7 bits per byte, least significant group first, high bit set on all but the last
byte) of the zigzag-encoded signed difference (0→0, -1→1, 1→2, -2→3, …: (n << 1) ^ (n >> 63)). A varint is at
most 5 bytes and must be minimal (no final 0x00 byte after the first), so each signature has exactly one
encoding and one digest.

Rules checked on encode and decode: 0 ≤ x < width, 0 ≤ y < height, 0 ≤ t_ms < 2**32 (milliseconds since the
start of signing; not required to increase), every stroke has at least one point, at most 10,000 points in total,
no bytes after the last stroke.
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NamedTuple

__all__ = [
    "MAGIC",
    "MAX_POINTS",
    "SignaturePoint",
    "Point",
    "Stroke",
    "SignatureStrokes",
    "SignatureFormatError",
    "encode_strokes",
    "decode_strokes",
    "signature_digest",
    "ink_length",
    "is_blank",
    "render_png",
]

MAGIC = b"PDS1"
MAX_POINTS = 10_000
MIN_INK_PX = 20.0
MAX_RENDER_SIDE = 8192
_UINT16_MAX = 0xFFFF
_UINT32_MAX = 0xFFFF_FFFF
_MAX_VARINT_BYTES = 5
_HEADER = struct.Struct("<4sHHH")
_COUNT = struct.Struct("<H")
_FIRST_POINT = struct.Struct("<HHI")


class SignaturePoint(NamedTuple):
    """One sampled pen position: pad pixels and milliseconds since the signing started."""

    x: int
    y: int
    t_ms: int


Point = SignaturePoint
Stroke = tuple[SignaturePoint, ...]


class SignatureFormatError(ValueError):
    """Strokes cannot be encoded, or bytes are not a valid PDS1 signature."""


@dataclass(frozen=True, slots=True)
class SignatureStrokes:
    """A decoded signature: the canvas it was drawn on and its strokes, in drawing order."""

    width: int
    height: int
    strokes: tuple[Stroke, ...]


def _check_uint(value: object, limit: int, what: str) -> int:
    """Accept only real ints within 0..limit; bools and floats are bugs in the caller."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise SignatureFormatError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= limit:
        raise SignatureFormatError(f"{what} {value} is out of range 0..{limit}")
    return value


def _check_canvas(width: object, height: object) -> tuple[int, int]:
    w = _check_uint(width, _UINT16_MAX, "width")
    h = _check_uint(height, _UINT16_MAX, "height")
    if w == 0 or h == 0:
        raise SignatureFormatError("canvas width and height must be at least 1")
    return w, h


def _check_point(point: SignaturePoint, width: int, height: int) -> None:
    if not 0 <= point.x < width or not 0 <= point.y < height:
        raise SignatureFormatError(f"point ({point.x}, {point.y}) is outside the {width}×{height} canvas")
    if not 0 <= point.t_ms <= _UINT32_MAX:
        raise SignatureFormatError(f"time offset {point.t_ms} ms is out of range")


def _zigzag(n: int) -> int:
    return (n << 1) if n >= 0 else ((-n << 1) - 1)


def _unzigzag(z: int) -> int:
    return (z >> 1) if not z & 1 else -((z + 1) >> 1)


def _put_varint(out: bytearray, n: int) -> None:
    value = _zigzag(n)
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _normalise_strokes(strokes: Iterable[Iterable[object]]) -> tuple[Stroke, ...]:
    """Turn (x, y, t_ms) triples into SignaturePoints, checking types so bad input fails before encoding."""
    result: list[Stroke] = []
    for stroke in strokes:
        points: list[SignaturePoint] = []
        for raw in stroke:
            if not isinstance(raw, tuple) or len(raw) != 3:
                raise SignatureFormatError(f"a point must be (x, y, t_ms), got {raw!r}")
            x, y, t = raw
            points.append(
                SignaturePoint(
                    _check_uint(x, _UINT16_MAX, "x"),
                    _check_uint(y, _UINT16_MAX, "y"),
                    _check_uint(t, _UINT32_MAX, "t_ms"),
                )
            )
        result.append(tuple(points))
    return tuple(result)


def encode_strokes(width: int, height: int,
                   strokes: Iterable[Iterable[SignaturePoint | tuple[int, int, int]]]) -> bytes:
    """Encode strokes as PDS1 (see module docstring); raises SignatureFormatError for anything decode would refuse."""
    w, h = _check_canvas(width, height)
    checked = _normalise_strokes(strokes)
    if len(checked) > _UINT16_MAX:
        raise SignatureFormatError("too many strokes")
    total = sum(len(s) for s in checked)
    if total > MAX_POINTS:
        raise SignatureFormatError(f"signature has {total} points, more than {MAX_POINTS}")
    out = bytearray(_HEADER.pack(MAGIC, w, h, len(checked)))
    for stroke in checked:
        if not stroke:
            raise SignatureFormatError("a stroke must have at least one point")
        for point in stroke:
            _check_point(point, w, h)
        out += _COUNT.pack(len(stroke))
        first = stroke[0]
        out += _FIRST_POINT.pack(first.x, first.y, first.t_ms)
        prev = first
        for point in stroke[1:]:
            _put_varint(out, point.x - prev.x)
            _put_varint(out, point.y - prev.y)
            _put_varint(out, point.t_ms - prev.t_ms)
            prev = point
    return bytes(out)


class _Reader:
    """Bounds-checked cursor over the encoded bytes, so truncation is reported rather than raising IndexError."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def unpack(self, fmt: struct.Struct) -> tuple[Any, ...]:
        end = self.pos + fmt.size
        if end > len(self.data):
            raise SignatureFormatError("signature data is truncated")
        values = fmt.unpack_from(self.data, self.pos)
        self.pos = end
        return values

    def varint(self) -> int:
        pos = self.pos
        if pos < len(self.data) and self.data[pos] < 0x80:  # fast path: most deltas fit one byte
            self.pos = pos + 1
            return _unzigzag(self.data[pos])
        value = 0
        for i in range(_MAX_VARINT_BYTES):
            if self.pos >= len(self.data):
                raise SignatureFormatError("signature data is truncated")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << (7 * i)
            if not byte & 0x80:
                if byte == 0 and i > 0:
                    raise SignatureFormatError("signature data has a non-minimal varint")
                return _unzigzag(value)
        raise SignatureFormatError("signature data has an over-long varint")


def _read_varints(data: bytes, pos: int, count: int) -> tuple[list[int], int]:
    """``count`` zigzag varints from ``pos``: the same rules as ``_Reader.varint``, in one tight loop (a signature
    is decoded inside every payment's preparation)."""
    out: list[int] = []
    append = out.append
    end = len(data)
    for _ in range(count):
        if pos >= end:
            raise SignatureFormatError("signature data is truncated")
        byte = data[pos]
        pos += 1
        if byte < 0x80:
            append((byte >> 1) if not byte & 1 else -((byte + 1) >> 1))
            continue
        value = byte & 0x7F
        for i in range(1, _MAX_VARINT_BYTES):
            if pos >= end:
                raise SignatureFormatError("signature data is truncated")
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << (7 * i)
            if not byte & 0x80:
                if byte == 0:
                    raise SignatureFormatError("signature data has a non-minimal varint")
                break
        else:
            raise SignatureFormatError("signature data has an over-long varint")
        append((value >> 1) if not value & 1 else -((value + 1) >> 1))
    return out, pos


def decode_strokes(data: bytes) -> SignatureStrokes:
    """Decode PDS1 bytes, validating everything the module docstring promises; raises SignatureFormatError."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise SignatureFormatError(f"signature data must be bytes, not {type(data).__name__}")
    reader = _Reader(bytes(data))
    magic, width, height, stroke_count = reader.unpack(_HEADER)
    if magic != MAGIC:
        raise SignatureFormatError("signature data does not start with the PDS1 magic")
    w, h = _check_canvas(width, height)
    strokes: list[Stroke] = []
    total = 0
    for _ in range(stroke_count):
        (count,) = reader.unpack(_COUNT)
        if count == 0:
            raise SignatureFormatError("a stroke must have at least one point")
        total += count
        if total > MAX_POINTS:
            raise SignatureFormatError(f"signature has more than {MAX_POINTS} points")
        point = SignaturePoint(*reader.unpack(_FIRST_POINT))
        _check_point(point, w, h)
        deltas, reader.pos = _read_varints(reader.data, reader.pos, 3 * (count - 1))
        x, y, t = point
        points = [point]
        for i in range(0, len(deltas), 3):
            x += deltas[i]
            y += deltas[i + 1]
            t += deltas[i + 2]
            if not (0 <= x < w and 0 <= y < h and 0 <= t <= _UINT32_MAX):
                _check_point(SignaturePoint(x, y, t), w, h)
            points.append(SignaturePoint(x, y, t))
        strokes.append(tuple(points))
    if reader.pos != len(reader.data):
        raise SignatureFormatError("signature data has trailing bytes")
    return SignatureStrokes(w, h, tuple(strokes))


def signature_digest(encoded: bytes) -> str:
    """sha256 hex of the PDS1 bytes; the format is canonical, so this names the signature in the journal."""
    return hashlib.sha256(encoded).hexdigest()


def ink_length(strokes: SignatureStrokes | Sequence[Sequence[SignaturePoint]]) -> float:
    """Total drawn length in pad pixels: the sum of the segment lengths of every stroke."""
    seq = strokes.strokes if isinstance(strokes, SignatureStrokes) else strokes
    total = 0.0
    for stroke in seq:
        for a, b in pairwise(stroke):
            total += math.hypot(b[0] - a[0], b[1] - a[1])
    return total


def is_blank(strokes: SignatureStrokes | Sequence[Sequence[SignaturePoint]]) -> bool:
    """True when nothing or almost nothing (< 20 px of ink) was drawn: a dot or a tap is not a signature.

    Stops measuring as soon as there is enough ink: it runs inside the payment transaction's preparation.
    """
    seq = strokes.strokes if isinstance(strokes, SignatureStrokes) else strokes
    total = 0.0
    for stroke in seq:
        for a, b in pairwise(stroke):
            total += math.hypot(b[0] - a[0], b[1] - a[1])
            if total >= MIN_INK_PX:
                return False
    return True


def _disc_spans(line_width: int) -> tuple[tuple[int, int], ...]:
    """(dy, half-width) rows of a filled disc of diameter `line_width`, the pen tip stamped along each segment."""
    radius = line_width / 2
    reach = math.ceil(radius)
    spans = []
    for dy in range(-reach, reach + 1):
        left = radius * radius - dy * dy
        if left >= 0:
            spans.append((dy, int(math.sqrt(left))))
    return tuple(spans)


# Byte of 8 ink bits (bit i = pixel i of the group) → 8 grayscale pixels, black where the bit is set.
_BITS_TO_PIXELS = tuple(bytes(0 if b >> i & 1 else 255 for i in range(8)) for b in range(256))


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def render_png(sig: SignatureStrokes, scale: float = 1.0, line_width: int = 3) -> bytes:
    """Render black ink on white as an 8-bit grayscale PNG, using only the standard library.

    The image is the canvas times `scale`; `line_width` is in output pixels. Each segment is drawn as if a filled
    disc were stamped at every output-pixel step along it, so joints are round and a one-point stroke is a dot. Only
    integer and IEEE arithmetic is used, so the same strokes always give the same bytes.
    """
    if isinstance(line_width, bool) or not isinstance(line_width, int) or line_width < 1:
        raise ValueError("line_width must be a positive int")
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not math.isfinite(scale) or scale <= 0:
        raise ValueError("scale must be a positive number")
    out_w = max(1, int(sig.width * scale + 0.5))
    out_h = max(1, int(sig.height * scale + 0.5))
    if out_w > MAX_RENDER_SIDE or out_h > MAX_RENDER_SIDE:
        raise ValueError(f"rendered image would be {out_w}×{out_h}, larger than {MAX_RENDER_SIDE} per side")

    # Rows are Python ints used as bit sets (bit x = ink at column x): the 1-px centre line is plotted first, then
    # dilated by the disc with shifts and ORs, which equals stamping the disc at every step but is far cheaper.
    centre: dict[int, int] = {}
    max_x, max_y = out_w - 1, out_h - 1
    for stroke in sig.strokes:
        if not stroke:
            continue
        px, py = stroke[0].x * scale, stroke[0].y * scale
        x, y = min(int(px + 0.5), max_x), min(int(py + 0.5), max_y)
        centre[y] = centre.get(y, 0) | (1 << x)
        for point in stroke[1:]:
            qx, qy = point.x * scale, point.y * scale
            steps = int(max(abs(qx - px), abs(qy - py))) + 1
            sx, sy = (qx - px) / steps, (qy - py) / steps
            for i in range(1, steps + 1):
                x, y = min(int(px + sx * i + 0.5), max_x), min(int(py + sy * i + 0.5), max_y)
                centre[y] = centre.get(y, 0) | (1 << x)
            px, py = qx, qy

    full = (1 << out_w) - 1
    spans = _disc_spans(line_width)
    ink: dict[int, int] = {}
    for y, bits in centre.items():
        widened: dict[int, int] = {}
        for dy, half in spans:
            target = y + dy
            if not 0 <= target < out_h:
                continue
            if half not in widened:
                value = bits
                for k in range(1, half + 1):
                    value |= (bits << k) | (bits >> k)
                widened[half] = value & full
            ink[target] = ink.get(target, 0) | widened[half]

    row_bytes = (out_w + 7) // 8
    white = b"\x00" + b"\xff" * out_w
    rows = []
    for y in range(out_h):
        row_bits = ink.get(y)
        if row_bits:
            pixels = b"".join(map(_BITS_TO_PIXELS.__getitem__, row_bits.to_bytes(row_bytes, "little")))
            rows.append(b"\x00" + pixels[:out_w])
        else:
            rows.append(white)
    raw = b"".join(rows)
    ihdr = struct.pack(">IIBBBBB", out_w, out_h, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(raw, 6))
        + _png_chunk(b"IEND", b"")
    )
