"""Reading a CSV payout list as a stream of rows, with every dimension bounded.

The file is never read whole: lines come from the disk in blocks and no record may pass ``ListLimits.record_chars``
(an unclosed quote would otherwise swallow the rest of the file into one field), records are counted against
``rows``, values against ``columns`` and ``cell_chars`` (a longer value becomes ``Overlong``). Text is UTF-8 (with
or without the BOM Excel writes); any other encoding is refused with the way to fix it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from app.domain.errors import BadInputError
from app.lists.limits import ListLimits, Overlong
from app.lists.safe_cells import unmark_csv_field

__all__ = ["csv_rows", "count_records", "DELIMITERS"]

DELIMITERS = (",", ";", "\t")
"""Delimiters tried: Excel writes "," or ";" by the computer's regional settings; some programs write tabs."""

_BLOCK = 64 * 1024


def _not_utf8() -> BadInputError:
    return BadInputError(
        "list_unreadable",
        detail="tệp CSV không phải mã UTF-8 — hãy mở bằng Excel và lưu lại dạng «CSV UTF-8» "
        "(the CSV file is not UTF-8: open it in Excel and save it as “CSV UTF-8”)",
    )


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class _Lines:
    """The file's physical lines for ``csv.reader``, refusing a record that grows past the limit.

    ``csv.reader`` pulls lines until a record is complete (a quoted field may span lines); the characters handed
    over since the last complete record are counted, and ``record_done`` resets the count.
    """

    def __init__(self, handle: io.TextIOBase, limits: ListLimits) -> None:
        self.handle = handle
        self.limits = limits
        self.pending = 0
        self.record = 1  # the 1-based number of the record being read

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            line = self.handle.readline(self.limits.record_chars + 1)
        except UnicodeDecodeError:
            raise _not_utf8() from None
        if not line:
            raise StopIteration
        self.pending += len(line)
        if self.pending > self.limits.record_chars:
            raise BadInputError("list_record_too_long", row=_count(self.record),
                                limit=_count(self.limits.record_chars))
        if "\x00" in line:
            raise BadInputError("list_unreadable", detail="CSV file contains NUL bytes")
        return line

    def record_done(self) -> None:
        self.pending = 0
        self.record += 1


def csv_rows(path: Path, delimiter: str, limits: ListLimits) -> Iterator[tuple[object, ...]]:
    """The file's records as tuples of text (a value past ``cell_chars`` as ``Overlong``; trailing blanks dropped;
    the ``'`` an export puts before formula-like text removed, see ``safe_cells``).

    The file stays open until the iterator is exhausted or closed.
    """
    with open(path, encoding="utf-8-sig", newline="", buffering=_BLOCK) as handle:
        lines = _Lines(handle, limits)
        reader = csv.reader(lines, delimiter=delimiter)
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise BadInputError("list_unreadable", detail=f"{exc} (dòng/row {lines.record})") from None
            number = lines.record
            lines.record_done()
            if number > limits.rows:
                raise BadInputError("list_too_many_rows", limit=_count(limits.rows))
            width = len(record)
            while width and not record[width - 1]:
                width -= 1
            if width > limits.columns:
                raise BadInputError("list_too_many_columns", row=_count(number), column=width,
                                    limit=limits.columns)
            cell_chars = limits.cell_chars
            yield tuple(
                Overlong(cell_chars) if len(value) > cell_chars else unmark_csv_field(value)
                for value in record[:width]
            )


def count_records(path: Path, delimiter: str, limits: ListLimits) -> int:
    """Count the file's records at the csv module's speed (a second per ~100 MB), refusing past ``rows``: a file of
    millions of bad rows is refused before the reader spends time on any of them."""
    count = 0
    with open(path, encoding="utf-8-sig", newline="", buffering=_BLOCK) as handle:
        lines = _Lines(handle, limits)
        reader = csv.reader(lines, delimiter=delimiter)
        while True:
            try:
                next(reader)
            except StopIteration:
                return count
            except csv.Error as exc:
                raise BadInputError("list_unreadable", detail=f"{exc} (dòng/row {lines.record})") from None
            lines.record_done()
            count += 1
            if count > limits.rows:
                raise BadInputError("list_too_many_rows", limit=_count(limits.rows))
