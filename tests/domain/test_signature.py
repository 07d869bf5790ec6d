"""Tests for app.domain.signature: PDS1 stroke format, digest, blank check and PNG rendering."""

import hashlib
import struct
import time
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.signature import (
    MAGIC,
    SignatureFormatError,
    SignaturePoint,
    SignatureStrokes,
    decode_strokes,
    encode_strokes,
    is_blank,
    render_png,
    signature_digest,
)

P = SignaturePoint


def _zigzag_signature(width: int = 600, height: int = 200, points: int = 300) -> SignatureStrokes:
    """A wavy, deterministic three-stroke signature with `points` points in total."""
    strokes = []
    per = points // 3
    t = 0
    for s in range(3):
        stroke = []
        for i in range(per):
            x = 20 + s * 190 + i * 170 // per
            y = 100 + ((i * 37) % 80) - 40
            t += 7
            stroke.append(P(x, y, t))
        strokes.append(tuple(stroke))
    return SignatureStrokes(width, height, tuple(strokes))


def _png_info(png: bytes) -> tuple[int, int, list[bytes]]:
    """Return width, height and the pixel rows (filter byte removed) of our grayscale PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    width = height = 0
    idat = b""
    kinds = []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        payload = png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + payload)
        kinds.append(kind)
        if kind == b"IHDR":
            width, height, depth, colour, comp, filt, interlace = struct.unpack(">IIBBBBB", payload)
            assert (depth, colour, comp, filt, interlace) == (8, 0, 0, 0, 0)
        elif kind == b"IDAT":
            idat += payload
        pos += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    raw = zlib.decompress(idat)
    assert len(raw) == height * (width + 1)
    rows = []
    for y in range(height):
        row = raw[y * (width + 1) : (y + 1) * (width + 1)]
        assert row[0] == 0
        rows.append(row[1:])
    return width, height, rows


def test_round_trip_exact() -> None:
    sig = SignatureStrokes(
        320,
        120,
        (
            (P(0, 0, 0), P(319, 119, 4_294_967_295), P(0, 119, 0), P(5, 5, 10)),
            (P(100, 50, 1000),),
        ),
    )
    data = encode_strokes(sig.width, sig.height, sig.strokes)
    assert data[:4] == MAGIC
    assert struct.unpack("<HHH", data[4:10]) == (320, 120, 2)
    assert decode_strokes(data) == sig


def test_encoding_layout_is_as_documented() -> None:
    data = encode_strokes(10, 10, [[P(1, 2, 3), P(0, 4, 3)]])
    expected = (
        b"PDS1"
        + struct.pack("<HHH", 10, 10, 1)
        + struct.pack("<H", 2)
        + struct.pack("<HHI", 1, 2, 3)
        + bytes([1, 4, 0])  # zigzag(-1)=1, zigzag(2)=4, zigzag(0)=0
    )
    assert data == expected


def test_encode_accepts_plain_triples() -> None:
    data = encode_strokes(10, 10, [[(1, 2, 3)]])
    assert decode_strokes(data).strokes == ((P(1, 2, 3),),)


def test_empty_signature_round_trips_and_is_blank() -> None:
    data = encode_strokes(600, 200, [])
    sig = decode_strokes(data)
    assert sig == SignatureStrokes(600, 200, ())
    assert is_blank(sig)
    assert is_blank([])


def test_digest_is_sha256_hex() -> None:
    data = encode_strokes(10, 10, [[P(1, 2, 3)]])
    assert signature_digest(data) == hashlib.sha256(data).hexdigest()
    assert len(signature_digest(data)) == 64
    assert signature_digest(data) != signature_digest(encode_strokes(10, 10, [[P(1, 2, 4)]]))


@pytest.mark.parametrize(
    ("width", "height", "strokes"),
    [
        (0, 10, []),
        (10, 0, []),
        (65536, 10, []),
        (10, 10, [[P(10, 0, 0)]]),
        (10, 10, [[P(0, 10, 0)]]),
        (10, 10, [[P(-1, 0, 0)]]),
        (10, 10, [[P(0, 0, -1)]]),
        (10, 10, [[P(0, 0, 2**32)]]),
        (10, 10, [[]]),
        (10, 10, [[(1, 2)]]),
        (10, 10, [[(1.0, 2, 3)]]),
        (10, 10, [[(True, 2, 3)]]),
        (True, 10, []),
        (10, 10, [[P(0, 0, 0)] * 10_001]),
        (10, 10, [[P(0, 0, 0)] * 5000, [P(0, 0, 0)] * 5001]),
    ],
)
def test_encode_rejects(width: object, height: object, strokes: object) -> None:
    with pytest.raises(SignatureFormatError):
        encode_strokes(width, height, strokes)  # type: ignore[arg-type]


def test_max_points_is_allowed() -> None:
    data = encode_strokes(10, 10, [[P(0, 0, 0)] * 10_000])
    assert len(decode_strokes(data).strokes[0]) == 10_000


def _header(width: int = 10, height: int = 10, count: int = 1) -> bytes:
    return MAGIC + struct.pack("<HHH", width, height, count)


GOOD = encode_strokes(10, 10, [[P(1, 2, 3), P(2, 3, 10), P(3, 3, 20)]])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PDS",
        b"PDS2" + GOOD[4:],
        b"\x00" * 32,
        GOOD[:-1],
        GOOD[:12],
        GOOD + b"\x00",
        _header(0, 10, 0),
        _header(10, 10, 1) + struct.pack("<H", 0),
        _header(10, 10, 1) + struct.pack("<H", 1) + struct.pack("<HHI", 10, 0, 0),  # x outside canvas
        _header(10, 10, 1) + struct.pack("<H", 2) + struct.pack("<HHI", 9, 0, 0) + bytes([2, 0, 0]),  # x → 10
        _header(10, 10, 1) + struct.pack("<H", 2) + struct.pack("<HHI", 0, 0, 0) + bytes([1, 0, 0]),  # x → -1
        _header(10, 10, 1) + struct.pack("<H", 2) + struct.pack("<HHI", 0, 0, 0) + bytes([0, 0, 1]),  # t → -1
        _header(10, 10, 1) + struct.pack("<H", 2) + struct.pack("<HHI", 0, 0, 0) + bytes([0x80, 0x00, 0, 0]),
        _header(10, 10, 1) + struct.pack("<H", 2) + struct.pack("<HHI", 0, 0, 0) + bytes([0xFF] * 6 + [0, 0, 0]),
        _header(10, 10, 1) + struct.pack("<H", 2) + struct.pack("<HHI", 0, 0, 0) + bytes([0x80]),
        _header(10, 10, 2) + struct.pack("<H", 10_000) + struct.pack("<HHI", 0, 0, 0) + bytes(3 * 9_999)
        + struct.pack("<H", 1) + struct.pack("<HHI", 0, 0, 0),
    ],
)
def test_decode_rejects(data: bytes) -> None:
    with pytest.raises(SignatureFormatError):
        decode_strokes(data)


def test_decode_rejects_non_bytes() -> None:
    with pytest.raises(SignatureFormatError):
        decode_strokes("PDS1")  # type: ignore[arg-type]


def test_decode_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        decode_strokes(b"junk")


def test_is_blank() -> None:
    assert is_blank([[P(5, 5, 0)]])
    assert is_blank([[P(5, 5, 0), P(15, 5, 10)], [P(5, 6, 20), P(14, 6, 30)]])  # 19 px
    assert not is_blank([[P(5, 5, 0), P(15, 5, 10)], [P(5, 6, 20), P(15, 6, 30)]])  # 20 px
    assert not is_blank(_zigzag_signature())


def test_render_png_is_valid_with_ink_and_white_corners() -> None:
    sig = _zigzag_signature()
    png = render_png(sig)
    width, height, rows = _png_info(png)
    assert (width, height) == (600, 200)
    dark = sum(1 for row in rows for v in row if v < 128)
    assert dark > 500
    assert set(b"".join(rows)) <= {0, 255}
    for x, y in ((0, 0), (599, 0), (0, 199), (599, 199)):
        assert rows[y][x] == 255
    assert rows[sig.strokes[0][0].y][sig.strokes[0][0].x] == 0


def test_render_png_is_deterministic() -> None:
    sig = _zigzag_signature()
    assert render_png(sig) == render_png(sig)
    assert render_png(sig, scale=0.5, line_width=2) == render_png(sig, scale=0.5, line_width=2)


def test_render_png_scale_and_single_point_dot() -> None:
    sig = SignatureStrokes(100, 50, ((P(50, 25, 0),),))
    width, height, rows = _png_info(render_png(sig, scale=2.0, line_width=5))
    assert (width, height) == (200, 100)
    assert rows[50][100] == 0
    assert rows[50][102] == 0 and rows[50][98] == 0
    assert rows[50][104] == 255
    dark = sum(1 for row in rows for v in row if v == 0)
    assert 10 < dark < 40


def test_render_png_blank_is_all_white() -> None:
    _, _, rows = _png_info(render_png(SignatureStrokes(30, 20, ())))
    assert set(b"".join(rows)) == {255}


def test_render_png_line_connects_points() -> None:
    sig = SignatureStrokes(100, 20, ((P(10, 10, 0), P(90, 10, 100)),))
    _, _, rows = _png_info(render_png(sig, line_width=1))
    assert all(rows[10][x] == 0 for x in range(10, 91))
    assert rows[10][9] == 255 and rows[10][91] == 255


@pytest.mark.parametrize(("scale", "line_width"),
                         [(0, 3), (-1.0, 3), (float("nan"), 3), (1.0, 0), (1.0, 2.5), (100.0, 3)])
def test_render_png_rejects_bad_arguments(scale: float, line_width: int) -> None:
    with pytest.raises(ValueError):
        render_png(_zigzag_signature(), scale=scale, line_width=line_width)


def test_render_png_is_fast_enough() -> None:
    sig = _zigzag_signature()
    render_png(sig)
    best = min(_timed(lambda: render_png(sig)) for _ in range(5))
    assert best < 0.05, f"render took {best * 1000:.1f} ms"


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


_points = st.builds(
    SignaturePoint,
    st.integers(min_value=0, max_value=639),
    st.integers(min_value=0, max_value=239),
    st.integers(min_value=0, max_value=2**32 - 1),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_points, min_size=1, max_size=30).map(tuple), max_size=8).map(tuple))
def test_encode_decode_round_trip(strokes: tuple[tuple[SignaturePoint, ...], ...]) -> None:
    data = encode_strokes(640, 240, strokes)
    decoded = decode_strokes(data)
    assert decoded == SignatureStrokes(640, 240, strokes)
    assert encode_strokes(decoded.width, decoded.height, decoded.strokes) == data


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64))
def test_decode_garbage_raises_only_format_error(data: bytes) -> None:
    try:
        decode_strokes(MAGIC + data)
    except SignatureFormatError:
        pass


def test_render_png_thick_line_has_the_pen_width() -> None:
    sig = SignatureStrokes(100, 20, ((P(10, 10, 0), P(90, 10, 100)),))
    _, _, rows = _png_info(render_png(sig, line_width=5))
    assert [rows[y][50] for y in range(6, 15)] == [255, 255, 0, 0, 0, 0, 0, 255, 255]
    assert rows[10][7] == 255 and rows[10][8] == 0 and rows[10][92] == 0 and rows[10][93] == 255
