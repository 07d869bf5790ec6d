"""Typed errors that carry a code and parameters, rendered in Vietnamese (default) or English.

Every layer raises these for user-facing problems so the CLI and the UI can show one clear sentence in the user's
language from one catalogue (``messages.py``) instead of a traceback.
"""

from __future__ import annotations

from typing import Any

from app.domain.messages import render


class PayoutError(Exception):
    """A problem the user can understand and act on."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "vi") -> str:
        """The sentence to show the user."""
        return render(self.code, lang, self.params)


class BadInputError(PayoutError):
    """The user's input (a file, an argument, a form) is wrong; nothing was changed (exit code 2)."""


class PaymentRefused(BadInputError):
    """The rules forbid this payment; nothing was written."""


class StoreError(PayoutError):
    """The local database cannot be used as asked (wrong key, corrupt file, pragmas not applied, ...)."""


class ListImportError(BadInputError):
    """A payout list has errors; nothing was imported.

    ``errors`` lists the bad rows reported one by one (the first ones by row, bounded: a file of millions of bad rows
    must not fill the memory); ``total`` counts them all, ``more`` those not listed.
    """

    def __init__(self, errors: list[RowError], path: str = "", total: int | None = None) -> None:
        self.errors = errors
        self.total = len(errors) if total is None else max(total, len(errors))
        super().__init__("list_has_errors", count=self.total, path=path)

    @property
    def more(self) -> int:
        return self.total - len(self.errors)

    def message(self, lang: str = "vi") -> str:
        head = super().message(lang)
        lines = [error.message(lang) for error in self.errors]
        if self.more:
            lines.append(render("list_more_errors", lang, {"count": self.more, "shown": len(self.errors)}))
        return "\n".join([head, *lines])


class RowError:
    """One problem in one row (and column) of a payout list."""

    __slots__ = ("code", "column", "params", "row")

    def __init__(self, row: int, column: str, code: str, **params: Any) -> None:
        self.row = row
        self.column = column
        self.code = code
        self.params = params

    def message(self, lang: str = "vi") -> str:
        where = render("row_column", lang, {"row": self.row, "column": self.column})
        return f"{where}: {render(self.code, lang, self.params)}"

    def __repr__(self) -> str:
        return f"RowError(row={self.row}, column={self.column!r}, code={self.code!r}, params={self.params!r})"
