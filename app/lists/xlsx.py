"""Reading the cell values of an .xlsx payout list with every dimension bounded, the values as openpyxl gives them.

An .xlsx is a zip of XML parts, and both layers can be made hostile: a 400 KB file can unpack to gigabytes, declare
sizes it does not have, hold one text of hundreds of millions of characters (openpyxl's read-only parser builds each
text whole, and each row element whole), or a row bomb of millions of rows. So this module reads the zip itself:

- the zip's table of parts is sized before ``zipfile`` reads it; each part's declared size and packing ratio are
  checked before it is opened, and its actual bytes while they stream (the table is never trusted alone);
- parts are parsed with expat in 64 KB chunks: text arrives in pieces and is kept only up to ``cell_chars`` (a longer
  cell becomes ``Overlong``); a tag or comment expat must hold whole is refused once it passes ``xml_token_bytes``;
  a DOCTYPE (entity expansion) is refused;
- a sheet's rows are counted by a quick scan before it is parsed, so a row bomb is refused in a second, not after
  reading millions of rows; rows, columns and cells per row are bounded while parsing;
- macros (``vbaProject.bin``, Excel 4 macro sheets, macro-enabled types) and external links (``externalLink`` parts
  and relationships, which can point at ``file:///etc/passwd``) are refused: a payout list has no need of them.

Values are those of openpyxl's ``read_only=True, data_only=True`` (the reader was written against it, and openpyxl
still writes our lists): numbers as int or float, dates by the cell's number format, the cached value of formulas,
shared and inline strings, booleans, error codes as text. openpyxl's pure helpers decide dates.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

from app.domain.errors import BadInputError
from app.lists.limits import ListLimits, Overlong

__all__ = ["XlsxBook", "Sheet", "column_letter"]

CHUNK = 64 * 1024
MAX_CELLS_PER_ROW = 16_384
"""Excel's own number of columns: a row with more cell elements is not a sheet Excel made."""

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "/officeDocument"
_WORKSHEET = "/worksheet"
_SHARED_STRINGS = "/sharedStrings"
_STYLES = "/styles"
_EXTERNAL_TYPES = ("/externalLink", "/externalLinkPath", "/oleObject", "/package")
"""Relationship types that pull data from outside the file (links, DDE and OLE objects)."""
_MACRO_TYPES = ("/vbaProject", "/xlMacrosheet", "/xlIntlMacrosheet", "/dialogsheet", "/macrosheet")
_MACRO_CONTENT = ("macroenabled", "vbaproject", "macrosheet")
_EXTERNAL_CONTENT = ("externallink",)


# --- refusals ---------------------------------------------------------------------------------------------------------


def column_letter(column: int) -> str:
    """1 → "A", 27 → "AA": how a spreadsheet names a column."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unreadable(detail: str) -> BadInputError:
    return BadInputError("list_unreadable", detail=detail)


def _too_big(part: str, limit: int) -> BadInputError:
    return BadInputError("xlsx_part_too_big", part=part, limit=_mb(limit))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB".replace(",", ".")


# --- the zip ---------------------------------------------------------------------------------------------------------


_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


def _directory_size(handle: BinaryIO) -> tuple[int, int]:
    """(entries, bytes) of the zip's central directory, from its end record, before ``zipfile`` reads it.

    ``zipfile`` builds one object per entry of the directory, whatever its length: a 100 MB directory of tiny
    entries would be a million objects. The end record's figures are read first and checked against the limits.
    """
    handle.seek(0, 2)
    size = handle.tell()
    tail_length = min(size, 22 + 65_535)
    handle.seek(size - tail_length)
    tail = handle.read(tail_length)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise _unreadable("không phải tệp .xlsx (tệp zip) / not an .xlsx (zip) file")
    entries, directory_bytes = struct.unpack("<HI", tail[at + 10: at + 16])
    locator = at - 20
    if locator >= 0 and tail[locator: locator + 4] == _ZIP64_LOCATOR:
        (record_at,) = struct.unpack("<Q", tail[locator + 8: locator + 16])
        handle.seek(record_at)
        record = handle.read(56)
        if len(record) == 56 and record[:4] == _ZIP64_EOCD:
            entries, directory_bytes = struct.unpack("<QQ", record[32:48])
    return entries, directory_bytes


@dataclass
class _Budget:
    """Bytes unpacked so far across the parts (the zip's whole unpacked size is bounded, not only each part)."""

    unpacked: int = 0


class _Zip:
    """The .xlsx zip with its limits checked before and while each part is read."""

    def __init__(self, path: Path, limits: ListLimits) -> None:
        self.limits = limits
        self.budget = _Budget()
        self.handle = open(path, "rb")  # noqa: SIM115 - the reader owns it until its close()
        try:
            entries, directory_bytes = _directory_size(self.handle)
            if entries > limits.zip_members:
                raise BadInputError("xlsx_too_many_parts", count=f"{entries:,}".replace(",", "."),
                                    limit=limits.zip_members)
            if directory_bytes > limits.zip_directory_bytes:
                raise _too_big("bảng mục lục của tệp zip / the zip's table of contents", limits.zip_directory_bytes)
            self.handle.seek(0)
            try:
                self.zip = zipfile.ZipFile(self.handle)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                raise _unreadable(f"{type(exc).__name__}: {exc}") from None
            infos = self.zip.infolist()
            if len(infos) > limits.zip_members:
                raise BadInputError("xlsx_too_many_parts", count=len(infos), limit=limits.zip_members)
            self.infos = {info.filename: info for info in infos}
            declared = 0
            for info in infos:
                declared += info.file_size
                self._check_declared(info)
            if declared > limits.unpacked_bytes:
                raise _too_big("toàn bộ tệp khi giải nén / the whole file unpacked", limits.unpacked_bytes)
        except BaseException:
            self.handle.close()
            raise

    def _allowed(self, info: zipfile.ZipInfo) -> int:
        """The most bytes this part may unpack to: the part limit, and the packing ratio past the grace size."""
        by_ratio = max(self.limits.ratio_grace_bytes, self.limits.ratio * info.compress_size)
        return min(self.limits.member_bytes, by_ratio)

    def _check_declared(self, info: zipfile.ZipInfo) -> None:
        if info.file_size > self.limits.member_bytes:
            raise _too_big(info.filename, self.limits.member_bytes)
        if info.file_size > self._allowed(info):
            raise BadInputError("xlsx_ratio", part=info.filename, limit=self.limits.ratio)

    def names(self) -> list[str]:
        return list(self.infos)

    def has(self, name: str) -> bool:
        return name in self.infos

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part's bytes in chunks of at most 64 KB, counted against its limits as they come."""
        info = self.infos[name]
        allowed = self._allowed(info)
        seen = 0
        try:
            with self.zip.open(info) as stream:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        return
                    seen += len(chunk)
                    self.budget.unpacked += len(chunk)
                    if seen > self.limits.member_bytes:
                        raise _too_big(name, self.limits.member_bytes)
                    if seen > allowed:
                        raise BadInputError("xlsx_ratio", part=name, limit=self.limits.ratio)
                    if self.budget.unpacked > self.limits.unpacked_bytes:
                        raise _too_big("toàn bộ tệp khi giải nén / the whole file unpacked", self.limits.unpacked_bytes)
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise _unreadable(f"{name}: {type(exc).__name__}: {exc}") from None
        except Exception as exc:  # zlib.error and the like: a damaged part
            if isinstance(exc, BadInputError):
                raise
            raise _unreadable(f"{name}: {type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        self.zip.close()
        self.handle.close()


# --- bounded XML -----------------------------------------------------------------------------------------------------


def _local(name: str) -> str:
    """The local name of a qualified XML name ("x:row" → "row")."""
    return name.rpartition(":")[2]


def _refuse_doctype(*_args: object) -> None:
    raise _unreadable("tệp có khai báo DOCTYPE/ENTITY, không dùng trong tệp Excel / a DOCTYPE or ENTITY declaration")


class _Parser:
    """An expat parser fed one part in chunks, which refuses a token it would have to hold past the limit.

    Expat hands text over in pieces as it arrives, but must hold a whole tag (with its attributes), comment or
    processing instruction before reporting it. Every event records where it started; after each chunk, the bytes
    fed past the last event are what expat holds, and more than ``xml_token_bytes`` of them is refused.
    """

    def __init__(self, zip_: _Zip, part: str) -> None:
        self.zip, self.part = zip_, part
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = _refuse_doctype
        self.parser.EntityDeclHandler = _refuse_doctype
        self.last_event = 0
        self.parser.CommentHandler = self._event
        self.parser.ProcessingInstructionHandler = self._event
        self.parser.XmlDeclHandler = self._event

    def _event(self, *_args: object) -> None:
        self.last_event = self.parser.CurrentByteIndex

    def feed(self) -> Iterator[None]:
        """Feed the part chunk by chunk, yielding after each so a caller can hand over what the handlers gathered."""
        fed = 0
        token = self.zip.limits.xml_token_bytes
        try:
            for chunk in self.zip.chunks(self.part):
                self.parser.Parse(chunk, False)
                fed += len(chunk)
                if fed - self.last_event > token:
                    raise BadInputError("xlsx_token_too_long", part=self.part, limit=_mb(token))
                yield
            self.parser.Parse(b"", True)
            yield
        except expat.ExpatError as exc:
            raise _unreadable(f"{self.part}: {exc}") from None


def _read_part(zip_: _Zip, part: str, start: Callable[[str, dict[str, str]], None],
               end: Callable[[str], None] | None = None, text: Callable[[str], None] | None = None) -> None:
    """Parse a small part (workbook, relationships, styles) with element handlers on local names."""
    parser = _Parser(zip_, part)

    def on_start(name: str, attributes: dict[str, str]) -> None:
        parser.last_event = parser.parser.CurrentByteIndex
        start(_local(name), attributes)

    def on_end(name: str) -> None:
        parser.last_event = parser.parser.CurrentByteIndex
        if end is not None:
            end(_local(name))

    parser.parser.StartElementHandler = on_start
    parser.parser.EndElementHandler = on_end
    def on_text(data: str) -> None:
        parser.last_event = parser.parser.CurrentByteIndex
        if text is not None:
            text(data)

    parser.parser.CharacterDataHandler = on_text
    for _ in parser.feed():
        pass


def _attribute(attributes: dict[str, str], name: str) -> str | None:
    """An attribute by local name, whatever its prefix (``r:id``, ``id``)."""
    if name in attributes:
        return attributes[name]
    for key, value in attributes.items():
        if _local(key) == name:
            return value
    return None


class _Text:
    """Text gathered for one value, kept only up to the cell limit (past it, only the fact that it was longer).

    Past ``hard`` characters the text is not a long note but a bomb: ``refuse`` is called and reading stops there,
    instead of streaming hundreds of megabytes only to report one row.
    """

    __slots__ = ("hard", "limit", "over", "parts", "refuse", "size")

    def __init__(self, limit: int, hard: int, refuse: Callable[[], BadInputError]) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit
        self.hard = hard
        self.refuse = refuse
        self.over = False

    def reset(self) -> None:
        self.parts.clear()
        self.size = 0
        self.over = False

    def add(self, data: str) -> None:
        self.size += len(data)
        if self.over:
            if self.size > self.hard:
                raise self.refuse()
            return
        if self.size > self.limit:
            self.over = True
            self.parts.clear()
        else:
            self.parts.append(data)

    def value(self) -> str | Overlong:
        return Overlong(self.limit) if self.over else "".join(self.parts)


# --- shared strings ---------------------------------------------------------------------------------------------------


class _SharedStrings:
    """The workbook's distinct texts, packed as UTF-8 in one buffer (a Python string per text would cost ~60 bytes
    of overhead each): a few hundred thousand names stay a few megabytes. Lookups of repeated texts (communes,
    regimes) return the same string object from a small cache, so the rows built from them share it."""

    def __init__(self, limits: ListLimits) -> None:
        self.limits = limits
        self.data = bytearray()
        self.ends = array("Q")
        self.overlong: set[int] = set()
        self.cache: dict[int, str] = {}

    def add(self, value: str | Overlong) -> None:
        if len(self.ends) >= self.limits.shared_strings:
            raise BadInputError("xlsx_too_many_texts", limit=f"{self.limits.shared_strings:,}".replace(",", "."))
        if isinstance(value, Overlong):
            self.overlong.add(len(self.ends))
        else:
            self.data += value.encode("utf-8", "surrogatepass")
            if len(self.data) > self.limits.shared_string_bytes:
                raise _too_big("xl/sharedStrings.xml", self.limits.shared_string_bytes)
        self.ends.append(len(self.data))

    def get(self, index: int) -> str | Overlong:
        if not 0 <= index < len(self.ends):
            raise _unreadable(f"ô trỏ tới chuỗi số {index}, tệp chỉ có {len(self.ends)} "
                              "/ a cell refers to a missing text")
        if index in self.overlong:
            return Overlong(self.limits.cell_chars)
        found = self.cache.get(index)
        if found is None:
            start = self.ends[index - 1] if index else 0
            found = self.data[start: self.ends[index]].decode("utf-8", "surrogatepass")
            if len(self.cache) >= 4096:
                self.cache.clear()
            self.cache[index] = found
        return found


# --- the workbook -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,31}:)?row[\s/>]")
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]*)$")
_MAIN_PARTS = ("xl/workbook.xml",)


def _target(base: str, target: str) -> str:
    """A relationship's target as a part name: relative to the folder of the part that names it, or absolute."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class XlsxBook:
    """An .xlsx opened for reading its worksheets' rows; ``close`` (or ``with``) releases the file."""

    def __init__(self, path: Path, limits: ListLimits) -> None:
        self.limits = limits
        self.zip = _Zip(path, limits)
        try:
            self._check_parts()
            self._open_workbook()
        except BaseException:
            self.zip.close()
            raise

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.zip.close()

    # -- what the file holds

    def _check_parts(self) -> None:
        """Refuse macros and external links by the parts' names and declared content types."""
        for name in self.zip.names():
            lowered = name.lower()
            if lowered.endswith("vbaproject.bin") or "/macrosheets/" in lowered or "/dialogsheets/" in lowered:
                raise BadInputError("xlsx_macros", part=name)
            if "/externallinks/" in lowered:
                raise BadInputError("xlsx_external_link", part=name)
        if self.zip.has("[Content_Types].xml"):
            def content_type(tag: str, attributes: dict[str, str]) -> None:
                kind = (attributes.get("ContentType") or "").lower()
                part = attributes.get("PartName") or attributes.get("Extension") or ""
                if any(marker in kind for marker in _MACRO_CONTENT):
                    raise BadInputError("xlsx_macros", part=part)
                if any(marker in kind for marker in _EXTERNAL_CONTENT):
                    raise BadInputError("xlsx_external_link", part=part)

            _read_part(self.zip, "[Content_Types].xml", content_type)

    def _relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Id → (type, target part, external?) of a part's relationships; refuses macro and external-data links."""
        rels_part = _rels_of(part)
        found: dict[str, tuple[str, str, bool]] = {}
        if not self.zip.has(rels_part):
            return found

        def relationship(tag: str, attributes: dict[str, str]) -> None:
            if tag != "Relationship":
                return
            kind = attributes.get("Type", "")
            target = attributes.get("Target", "")
            external = attributes.get("TargetMode", "").lower() == "external"
            if kind.endswith(_MACRO_TYPES):
                raise BadInputError("xlsx_macros", part=target or rels_part)
            if kind.endswith(_EXTERNAL_TYPES):
                raise BadInputError("xlsx_external_link", part=target or rels_part)
            found[attributes.get("Id", "")] = (kind, target if external else _target(part, target), external)

        _read_part(self.zip, rels_part, relationship)
        return found

    def _open_workbook(self) -> None:
        workbook_part = next(
            (target for kind, target, external in self._relationships("").values()
             if kind.endswith(_OFFICE_DOCUMENT) and not external),
            "xl/workbook.xml",
        ) if self.zip.has("_rels/.rels") else "xl/workbook.xml"
        if not self.zip.has(workbook_part):
            raise _unreadable("thiếu phần xl/workbook.xml / the workbook part is missing")
        rels = self._relationships(workbook_part)
        entries: list[tuple[str, str]] = []  # (name, relationship id) of every sheet, charts included
        state = {"date1904": False, "active": 0}

        def workbook(tag: str, attributes: dict[str, str]) -> None:
            if tag == "sheet":
                entries.append((attributes.get("name", ""), _attribute(attributes, "id") or ""))
            elif tag == "workbookPr":
                state["date1904"] = attributes.get("date1904", "").lower() in ("1", "true")
            elif tag == "workbookView" and "activeTab" in attributes:
                try:
                    state["active"] = int(attributes["activeTab"])
                except ValueError:
                    pass

        _read_part(self.zip, workbook_part, workbook)
        from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

        self.epoch = MAC_EPOCH if state["date1904"] else WINDOWS_EPOCH
        sheets: list[Sheet] = []
        active: Sheet | None = None
        for position, (name, rel_id) in enumerate(entries):
            kind, target, external = rels.get(rel_id, ("", "", False))
            if kind.endswith(_WORKSHEET) and not external and self.zip.has(target):
                sheet = Sheet(name, target)
                sheets.append(sheet)
                if position == state["active"]:
                    active = sheet
        if active is not None:
            sheets.remove(active)
            sheets.insert(0, active)
        self.sheets = sheets
        self._shared_part = next((t for k, t, e in rels.values() if k.endswith(_SHARED_STRINGS) and not e), None)
        self._styles_part = next((t for k, t, e in rels.values() if k.endswith(_STYLES) and not e), None)
        self._strings: _SharedStrings | None = None
        self._date_styles: tuple[frozenset[int], frozenset[int]] | None = None

    # -- shared parts, read on first use

    def _shared_strings(self) -> _SharedStrings:
        if self._strings is not None:
            return self._strings
        strings = _SharedStrings(self.limits)
        part = self._shared_part
        if part and self.zip.has(part):
            text = _Text(self.limits.cell_chars, self.limits.xml_token_bytes,
                         lambda: BadInputError("list_text_bomb", limit=self.limits.cell_chars,
                                               size=_mb(self.limits.xml_token_bytes)))
            state = {"si": False, "t": False, "phonetic": 0}

            def start(tag: str, _attributes: dict[str, str]) -> None:
                if tag == "si":
                    state["si"] = True
                    text.reset()
                elif tag == "rPh":
                    state["phonetic"] += 1
                elif tag == "t" and state["si"] and not state["phonetic"]:
                    state["t"] = True

            def end(tag: str) -> None:
                if tag == "t":
                    state["t"] = False
                elif tag == "rPh":
                    state["phonetic"] -= 1
                elif tag == "si":
                    state["si"] = False
                    strings.add(text.value())

            def characters(data: str) -> None:
                if state["t"]:
                    text.add(data)

            _read_part(self.zip, part, start, end, characters)
        self._strings = strings
        return strings

    def _styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles (indexes into ``cellXfs``) whose number format shows a date, and those showing a duration."""
        if self._date_styles is not None:
            return self._date_styles
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        custom: dict[int, str] = {}
        formats: list[int] = []
        state = {"xfs": False}

        def start(tag: str, attributes: dict[str, str]) -> None:
            if tag == "numFmt":
                try:
                    custom[int(attributes.get("numFmtId", ""))] = attributes.get("formatCode", "")
                except ValueError:
                    pass
            elif tag == "cellXfs":
                state["xfs"] = True
            elif tag == "xf" and state["xfs"]:
                try:
                    formats.append(int(attributes.get("numFmtId", "0")))
                except ValueError:
                    formats.append(0)

        def end(tag: str) -> None:
            if tag == "cellXfs":
                state["xfs"] = False

        part = self._styles_part
        if part and self.zip.has(part):
            _read_part(self.zip, part, start, end)
        dates, durations = set(), set()
        for index, number_format in enumerate(formats):
            code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format)
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        self._date_styles = frozenset(dates), frozenset(durations)
        return self._date_styles

    # -- rows

    def _count_rows(self, sheet: Sheet) -> None:
        """Count the sheet's row elements with a byte scan (a second per few hundred MB) before parsing any."""
        count = 0
        carry = b""
        for chunk in self.zip.chunks(sheet.part):
            data = carry + chunk
            cut = data.rfind(b"<")
            if cut < 0 or len(data) - cut > 40:  # no tag can be cut at the chunk's end
                count += len(_ROW_TAG.findall(data))
                carry = b""
            else:
                count += len(_ROW_TAG.findall(data, 0, cut))
                carry = data[cut:]
            if count > self.limits.rows:
                raise BadInputError("list_too_many_rows", limit=_count(self.limits.rows))
        count += len(_ROW_TAG.findall(carry))
        if count > self.limits.rows:
            raise BadInputError("list_too_many_rows", limit=_count(self.limits.rows))

    def rows(self, sheet: Sheet) -> Iterator[tuple[Any, ...]]:
        """The sheet's rows from row 1, as tuples of values (None where empty); a missing row is ``()``."""
        self._count_rows(sheet)
        strings = self._shared_strings()
        date_styles, duration_styles = self._styles()
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        limits = self.limits
        epoch = self.epoch
        parser = _Parser(self.zip, sheet.part)
        text = _Text(limits.cell_chars, limits.xml_token_bytes,
                     lambda: BadInputError("list_cell_bomb", row=_count(state["row"]),
                                           column=column_letter(state["column"]), limit=limits.cell_chars,
                                           size=_mb(limits.xml_token_bytes)))
        done: list[tuple[int, tuple[Any, ...]]] = []
        locals_: dict[str, str] = {}
        state: dict[str, Any] = {
            "data": False, "row": 0, "column": 0, "cells": [], "count": 0, "type": "n", "style": 0, "ref": None,
            "collect": False, "inline": False, "phonetic": 0, "value": None, "has_value": False,
        }

        def local(name: str) -> str:
            found = locals_.get(name)
            if found is None:
                found = locals_[name] = _local(name)
            return found

        def cell_value() -> Any:
            kind = state["type"]
            raw = text.value() if state["has_value"] else None
            if isinstance(raw, Overlong):
                return raw
            if kind == "inlineStr":
                return raw if state["inline"] else None
            if not raw:
                return None
            try:
                if kind == "s":
                    return strings.get(int(raw))
                if kind == "b":
                    return bool(int(raw))
                if kind in ("str", "e"):
                    return raw
                if kind == "d":
                    return from_ISO8601(raw)
                number: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
            except ValueError:
                raise _unreadable(f"{sheet.name}!{state['ref']}: «{raw[:40]}»") from None
            style = state["style"]
            if style in date_styles:
                try:
                    return from_excel(number, epoch, timedelta=style in duration_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number

        def on_start(name: str, attributes: dict[str, str]) -> None:
            parser.last_event = parser.parser.CurrentByteIndex
            tag = locals_.get(name) or local(name)
            if not state["data"]:
                if tag == "sheetData":
                    state["data"] = True
                return
            if tag == "c":
                state["count"] += 1
                if state["count"] > MAX_CELLS_PER_ROW:
                    raise _unreadable(f"{sheet.name}: dòng {state['row']} có quá {MAX_CELLS_PER_ROW} ô "
                                      "/ too many cells")
                reference = attributes.get("r")
                if reference:
                    match = _CELL_REF.match(reference)
                    if match is None:
                        raise _unreadable(f"{sheet.name}: ô «{reference[:20]}» / bad cell reference")
                    column = 0
                    for letter in match.group(1).upper():
                        column = column * 26 + ord(letter) - 64
                    state["column"] = column
                else:
                    state["column"] += 1
                state["ref"] = reference
                state["type"] = attributes.get("t", "n")
                style = attributes.get("s")
                try:
                    state["style"] = int(style) if style else 0
                except ValueError:
                    state["style"] = 0
                state["has_value"] = state["inline"] = False
                text.reset()
            elif tag == "v":
                state["collect"] = True
                state["has_value"] = True
                text.reset()
            elif tag == "is":
                state["inline"] = True
                state["has_value"] = True
                text.reset()
            elif tag == "t":
                state["collect"] = state["inline"] and not state["phonetic"]
            elif tag == "rPh":
                state["phonetic"] += 1
            elif tag == "row":
                reference = attributes.get("r")
                if reference:
                    try:
                        number = int(reference)
                    except ValueError:
                        try:
                            number = int(float(reference))
                        except ValueError:
                            raise _unreadable(f"{sheet.name}: dòng «{reference[:20]}» / bad row number") from None
                else:
                    number = state["row"] + 1
                if number > limits.rows:
                    raise BadInputError("list_too_many_rows_at", row=_count(number), limit=_count(limits.rows))
                state["row"] = number
                state["column"] = 0
                state["count"] = 0
                state["cells"] = []

        def on_end(name: str) -> None:
            parser.last_event = parser.parser.CurrentByteIndex
            if not state["data"]:
                return
            tag = locals_.get(name) or local(name)
            if tag in ("v", "t"):
                state["collect"] = False
            elif tag == "rPh":
                state["phonetic"] -= 1
            elif tag == "c":
                value = cell_value()
                if value is not None:
                    column = state["column"]
                    if column > limits.columns:
                        raise BadInputError("list_too_many_columns", row=_count(state["row"]),
                                            column=column_letter(column), limit=limits.columns)
                    state["cells"].append((column, value))
            elif tag == "row":
                cells = state["cells"]
                if cells:
                    width = max(column for column, _ in cells)
                    values: list[Any] = [None] * width
                    for column, value in cells:
                        values[column - 1] = value
                    done.append((state["row"], tuple(values)))
                else:
                    done.append((state["row"], ()))
            elif tag == "sheetData":
                state["data"] = False

        def on_text(data: str) -> None:
            parser.last_event = parser.parser.CurrentByteIndex
            if state["collect"]:
                text.add(data)

        parser.parser.StartElementHandler = on_start
        parser.parser.EndElementHandler = on_end
        parser.parser.CharacterDataHandler = on_text
        expected = 1
        for _ in parser.feed():
            for number, values in done:
                if number < expected:
                    continue  # a row out of order: openpyxl's reader drops it too
                while expected < number:
                    expected += 1
                    yield ()
                expected += 1
                yield values
            done.clear()


def _count(number: int) -> str:
    """A count as Vietnamese write it: 500.000."""
    return f"{number:,}".replace(",", ".")
