"""A drop-down of places (communes, payout points) that finds an entry as the teller types, with or without accents.

A province has 174 communes with beneficiaries; scrolling a drop-down for one of them, with people waiting, is slow.
``PlacePicker`` is an editable combo box: typing "ha phong" (or "Hà Phong", or "phong") shows the places with a
word starting with each typed word, compared folded (``app.domain.text.fold_tokens``: no tones, đ→d, case-folded), in
the order they were given (the caller passes them in Vietnamese order); Enter or a click picks the first or the chosen
one. Leaving the box without picking puts back the current place's name, so the box never shows something that is not
chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QCompleter, QLineEdit, QWidget

from app.domain.text import fold_tokens

Index = QModelIndex | QPersistentModelIndex
CHROME = 64  # the drop-down arrow, the frame and the line edit's margins around the text, in pixels


class _FoldedFilter(QSortFilterProxyModel):
    """Keeps the rows where every typed word begins a word of the name ("ha" finds "Hà Phong", not "Yên Thanh"), those
    whose match comes earlier in the name first ("ha": "Xã Hà Tu" before "Xã Cẩm Hà"), else in the given order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_query(self, text: str) -> None:
        words = fold_tokens(text)
        self.sort(-1)  # back to the source order first (then sorting by column 0 below is a fresh sort)
        self.beginFilterChange()
        self._words = words
        self.endFilterChange()
        if words:
            self.sort(0)

    def _name(self, source_row: int, source_parent: Index) -> list[str]:
        model = self.sourceModel()
        return fold_tokens(str(model.data(model.index(source_row, 0, source_parent)) or ""))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        name = self._name(source_row, source_parent)
        return all(any(part.startswith(word) for part in name) for word in self._words)

    def _rank(self, index: Index) -> tuple[int, int]:
        if not self._words:
            return 0, index.row()
        name = self._name(index.row(), index.parent())
        first = next((position for position, part in enumerate(name) if part.startswith(self._words[0])), len(name))
        return first, index.row()

    def lessThan(self, left: Index, right: Index) -> bool:
        return self._rank(left) < self._rank(right)


class PlacePicker(QComboBox):
    """``set_places([(name, id), ...])`` fills it (keep the caller's order); ``currentData()`` is the chosen id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMaxVisibleItems(15)
        self._filter = _FoldedFilter(self)
        self._filter.setSourceModel(self.model())
        completer = QCompleter(self._filter, self)
        # the filter does the matching (folded, any word anywhere); the completer only shows what it keeps
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(15)
        self.setCompleter(completer)  # QComboBox maps a picked row of this proxy back to its own row
        self.line_edit().textEdited.connect(self._typed)
        self.line_edit().returnPressed.connect(self._enter)

    def set_places(self, places: Iterable[tuple[str, str]]) -> None:
        """Replace the entries with ``(name, id)`` pairs, in the order given; the first is chosen."""
        self.blockSignals(True)
        self.clear()
        for name, place_id in places:
            self.addItem(name, place_id)
        self._filter.set_query("")
        self.blockSignals(False)
        self.setCurrentIndex(0 if self.count() else -1)

    def fit(self, names: Iterable[str], limit: int) -> None:
        """Be wide enough for the longest of ``names`` (all it may ever show: a commune's points change with the
        commune), up to ``limit`` pixels, so a long point name is never cut off."""
        widest = max((self.fontMetrics().horizontalAdvance(name) for name in names), default=0)
        self.setMinimumWidth(min(widest + CHROME, limit))

    def choose(self, place_id: str) -> bool:
        """Make the entry with this id the current one; False if there is none."""
        index = self.findData(place_id)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0

    def matches(self) -> list[str]:
        """The names the typed text finds (what the drop-down shows), in order."""
        return [str(self._filter.index(row, 0).data()) for row in range(self._filter.rowCount())]

    # The picker is editable from its construction, with the completer set there: its line edit, completer and
    # drop-down always exist.
    def line_edit(self) -> QLineEdit:
        return cast(QLineEdit, self.lineEdit())

    def _completer(self) -> QCompleter:
        return cast(QCompleter, self.completer())

    def _popup(self) -> QAbstractItemView:
        return cast(QAbstractItemView, self._completer().popup())

    def _typed(self, text: str) -> None:
        self._filter.set_query(text)
        completer = self._completer()
        if self._filter.rowCount() and text.strip():
            completer.complete()
            # After this handler the line edit's own completion looks for a match by prefix ("hoang" is no prefix
            # of "Xã Hoàng Quế") and clears the drop-down's current row: select the first match once it is done,
            # so that Enter picks it.
            QTimer.singleShot(0, self._select_first_match)
        else:
            self._popup().hide()

    def _select_first_match(self) -> None:
        completer = self._completer()
        popup = self._popup()
        model = completer.completionModel()
        if popup.isVisible() and model.rowCount():
            popup.setCurrentIndex(model.index(0, 0))

    def _enter(self) -> None:
        """Enter without the drop-down: pick the first match of what was typed, else keep the current place."""
        if self._filter.rowCount() and self.line_edit().text() != self.currentText():
            self.setCurrentIndex(self._filter.mapToSource(self._filter.index(0, 0)).row())
        self._restore_text()

    def _restore_text(self) -> None:
        if self.currentIndex() >= 0 and self.line_edit().text() != self.itemText(self.currentIndex()):
            self.line_edit().setText(self.itemText(self.currentIndex()))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if not self._popup().isVisible():
            self._filter.set_query("")
            self._restore_text()
