"""Hostile payout-list files, written as raw zipped XML in seconds (openpyxl would take minutes and the memory the
files are meant to exhaust): a cell bomb, a row bomb, an external link, macros, and a big valid CSV.

Every workbook here is a minimal valid .xlsx (content types, relationships, workbook, one sheet, optionally shared
strings) with the list's required columns in row 1, so the only thing wrong with it is the hostile part.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

HEADER = ("Mã hồ sơ", "Họ và tên", "Xã/Phường", "Loại đối tượng", "Chế độ", "Kỳ", "Số tiền (đồng)")
GOOD_ROW = ("QNH/LS-00001-TCM", "Nguyễn Văn Đức", "Xã Đông Ngũ", "LS", "Trợ cấp hằng tháng", "12/2026", 2789000)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_BOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
LINK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"

Part = bytes | Iterable[bytes]


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(row: int, column: int, value: object) -> str:
    ref = f"{_column(column)}{row}"
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row_xml(number: int, values: Iterable[object]) -> bytes:
    cells = "".join(_cell(number, column, value) for column, value in enumerate(values, start=1) if value is not None)
    return f'<row r="{number}">{cells}</row>'.encode()


def write_xlsx_parts(path: Path, sheet_rows: Part, *, shared_strings: Part | None = None,
                     extra_parts: Mapping[str, bytes] | None = None, book_type: str = BOOK_TYPE,
                     extra_types: str = "", extra_rels: str = "", level: int = 6) -> Path:
    """A workbook whose one sheet's ``<sheetData>`` is ``sheet_rows`` (bytes or chunks, streamed into the zip)."""
    overrides = (f'<Override PartName="/xl/workbook.xml" ContentType="{book_type}"/>'
                 f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>')
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_strings is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts: dict[str, Part] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}{extra_types}</Types>'
        ).encode(),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}{extra_rels}</Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": _wrapped(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode(), sheet_rows,
                                             b"</sheetData></worksheet>"),
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = _wrapped(f'<sst xmlns="{MAIN}">'.encode(), shared_strings, b"</sst>")
    parts.update(extra_parts or {})
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in parts.items():
            with archive.open(name, "w", force_zip64=True) as handle:
                for chunk in ([content] if isinstance(content, bytes) else content):
                    handle.write(chunk)
    return path


def _wrapped(head: bytes, body: Part, tail: bytes) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + head
    if isinstance(body, bytes):
        yield body
    else:
        yield from body
    yield tail


def valid_xlsx(path: Path) -> Path:
    """The smallest list that imports: the header and one good row."""
    return write_xlsx_parts(path, row_xml(1, HEADER) + row_xml(2, GOOD_ROW))


def cell_bomb(path: Path, megabytes: int, *, shared: bool = True, level: int = 9) -> Path:
    """A list whose second row's name is ``megabytes`` MB of one letter: a few hundred KB zipped.

    ``shared``: the text sits in ``xl/sharedStrings.xml`` (as Excel writes text), else inline in the sheet.
    """
    def text() -> Iterator[bytes]:
        block = b"A" * (1024 * 1024)
        for _ in range(megabytes):
            yield block

    name_column = HEADER.index("Họ và tên") + 1
    before = "".join(_cell(2, column, value) for column, value in enumerate(GOOD_ROW[:name_column - 1], start=1))
    after = "".join(_cell(2, column, value) for column, value in enumerate(GOOD_ROW, start=1) if column > name_column)
    ref = f"{_column(name_column)}2"
    if shared:
        strings = _wrapped(b"<si><t>", text(), b"</t></si>")
        rows = row_xml(1, HEADER) + f'<row r="2">{before}<c r="{ref}" t="s"><v>0</v></c>{after}</row>'.encode()
        return write_xlsx_parts(path, rows, shared_strings=_strip_declaration(strings), level=level)
    sheet = _wrapped(row_xml(1, HEADER) + f'<row r="2">{before}<c r="{ref}" t="inlineStr"><is><t>'.encode(),
                     text(), f"</t></is></c>{after}</row>".encode())
    return write_xlsx_parts(path, _strip_declaration(sheet), level=level)


def _strip_declaration(chunks: Iterator[bytes]) -> Iterator[bytes]:
    first = next(chunks)
    yield re.sub(rb"^<\?xml[^>]*\?>", b"", first)
    yield from chunks


def row_bomb(path: Path, rows: int, *, level: int = 1) -> Path:
    """A list of ``rows`` bad rows (an amount in words on each): about 27 bytes a row zipped at level 1, 8 at 9."""
    def body() -> Iterator[bytes]:
        yield row_xml(1, HEADER)
        batch: list[bytes] = []
        for number in range(2, rows + 2):
            batch.append(
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>QNH/LS-%d</t></is></c>'
                b'<c r="B%d" t="inlineStr"><is><t>X</t></is></c><c r="C%d" t="inlineStr"><is><t>X</t></is></c>'
                b'<c r="D%d" t="inlineStr"><is><t>ZZ</t></is></c><c r="E%d" t="inlineStr"><is><t>?</t></is></c>'
                b'<c r="G%d" t="inlineStr"><is><t>nhi\xe1\xbb\x81u</t></is></c></row>'
                % (number, number, number, number, number, number, number, number)
            )
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch.clear()
        yield b"".join(batch)

    return write_xlsx_parts(path, body(), level=level)


def with_external_link(path: Path, target: str = "file:///etc/passwd") -> Path:
    """A valid list that also links to an outside workbook (as Excel saves a formula like ='file:///…'!A1)."""
    link = (f'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="{MAIN}" xmlns:r="{REL}">'
            '<externalBook r:id="rId1"><sheetNames><sheetName val="passwd"/></sheetNames></externalBook>'
            '</externalLink>').encode()
    link_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
                 f'<Relationship Id="rId1" Type="{REL}/externalLinkPath" Target="{escape(target)}" '
                 'TargetMode="External"/></Relationships>').encode()
    return write_xlsx_parts(
        path, row_xml(1, HEADER) + row_xml(2, GOOD_ROW),
        extra_parts={"xl/externalLinks/externalLink1.xml": link,
                     "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels},
        extra_types=f'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="{LINK_TYPE}"/>',
        extra_rels=f'<Relationship Id="rId9" Type="{REL}/externalLink" Target="externalLinks/externalLink1.xml"/>',
    )


def with_macros(path: Path) -> Path:
    """A valid list carrying a VBA project (what Excel saves as .xlsm, renamed .xlsx)."""
    return write_xlsx_parts(
        path, row_xml(1, HEADER) + row_xml(2, GOOD_ROW),
        extra_parts={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504},
        book_type=MACRO_BOOK_TYPE,
        extra_types='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
        extra_rels=('<Relationship Id="rId8" Type="http://schemas.microsoft.com/office/2006/relationships/'
                    'vbaProject" Target="vbaProject.bin"/>'),
    )


def csv_row_bomb(path: Path, rows: int) -> Path:
    """A CSV of ``rows`` bad rows under a good header."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        line = "QNH/LS-{},X,X,ZZ,?,12/2026,nhiều\n"
        for start in range(0, rows, 10_000):
            handle.write("".join(line.format(number) for number in range(start, min(rows, start + 10_000))))
    return path
