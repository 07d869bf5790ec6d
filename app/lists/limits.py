"""How big a payout list may be, in one place: the file, the .xlsx zip inside it, rows, columns, cells and reports.

A list comes from outside (an e-mail, a USB stick, the console's upload form), so every dimension of it is bounded
before and while it is read, and the reader never holds more than these limits allow: a 400 KB .xlsx can unpack to
gigabytes of XML or hold one cell of hundreds of millions of characters. The figures are generous for the largest
real list (a province's month: a few hundred thousand lines of about thirty columns, names and notes of a few dozen
characters) and far below what would hurt a laptop or the province server. Each limit is named in words in the
refusal (``app.domain.messages``), so an officer knows what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ListLimits", "LIMITS", "Overlong"]

_MIB = 1024 * 1024


@dataclass(frozen=True)
class ListLimits:
    """The bounds of one list read. ``LIMITS`` holds the product's; tests pass smaller ones."""

    file_bytes: int = 128 * _MIB
    """The list file as given (.xlsx or .csv). A 300,000-line CSV is about 95 MB; the same as .xlsx about 15 MB."""
    rows: int = 500_000
    """Rows of the sheet (or CSV records), title, header and footer included; also the highest row number used."""
    columns: int = 256
    """Columns holding a value; a list has about thirty."""
    cell_chars: int = 500
    """Characters in one cell: a name, an address or a note is a few dozen, at most a few hundred."""
    errors_kept: int = 200
    """Row errors reported one by one (the first ones by row); the rest are counted."""
    warnings_kept: int = 200
    """Row warnings reported one by one; the rest are counted."""

    # .xlsx: a zip of XML parts
    zip_members: int = 1_000
    """Parts in the .xlsx zip (a workbook has a few dozen)."""
    zip_directory_bytes: int = _MIB
    """The zip's central directory (the table of its parts), read before anything else."""
    member_bytes: int = 1024 * _MIB
    """One part unpacked (a 300,000-line sheet is about 400 MB of XML)."""
    unpacked_bytes: int = 2048 * _MIB
    """All parts read, unpacked."""
    ratio: int = 200
    """Unpacked bytes per packed byte of one part; real sheets pack 5–50 times, zip bombs a thousand times."""
    ratio_grace_bytes: int = _MIB
    """A part may unpack this much whatever its ratio (tiny parts pack unevenly)."""
    xml_token_bytes: int = _MIB
    """One XML tag, comment or instruction, which the parser must hold whole."""
    shared_strings: int = 4_000_000
    """Distinct texts of a workbook (names, codes, notes…)."""
    shared_string_bytes: int = 256 * _MIB
    """All distinct texts of a workbook, as UTF-8."""

    @property
    def record_chars(self) -> int:
        """Characters of one CSV record (a full row of full cells with their quotes and delimiters)."""
        return self.columns * (self.cell_chars + 3)


LIMITS = ListLimits()
"""The limits every list read uses unless a caller (a test) passes its own."""


class Overlong:
    """A cell whose text passed ``cell_chars``: it stands in the row for the text, which is never kept.

    The reader reports it as a row error on the row and column where it sits, if that column is one it reads.
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __repr__(self) -> str:
        return f"Overlong(>{self.limit} chars)"
