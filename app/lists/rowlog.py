"""A bounded log of row errors or warnings: the first ones by row are kept, the rest only counted.

A list may be wrong on every row, and a hostile file may have millions of rows: the reader reports what a person can
act on (the first ``kept`` problems, in row order) and how many more there are, in constant memory.
"""

from __future__ import annotations

import heapq
from typing import Generic, Protocol, TypeVar

__all__ = ["RowLog"]


class _AtRow(Protocol):
    @property
    def row(self) -> int: ...


T = TypeVar("T", bound=_AtRow)


class RowLog(Generic[T]):
    """Keeps the ``kept`` entries with the lowest rows (earliest first among equal rows) and counts all of them."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self.total = 0
        self._heap: list[tuple[int, int, T]] = []  # (-row, -sequence, entry): the root is the latest kept entry

    def append(self, entry: T) -> None:
        self.total += 1
        item = (-entry.row, -self.total, entry)
        if len(self._heap) < self.kept:
            heapq.heappush(self._heap, item)
        elif self.kept and item > self._heap[0]:
            heapq.heapreplace(self._heap, item)

    def __len__(self) -> int:
        """Every entry appended, kept or not."""
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def entries(self) -> list[T]:
        """The kept entries in row order (earliest first within a row)."""
        return [entry for _row, _seq, entry in sorted(self._heap, key=lambda item: (-item[0], -item[1]))]
