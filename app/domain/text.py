"""Vietnamese text helpers: one normal form for storage and one folded form for search.

Names arrive from spreadsheets, keyboards and ID-card scanners in mixed Unicode forms (NFC, NFD, legacy
input methods) and people search without tone marks ("nguyen van duc"). Storage uses NFC so equal names compare
equal; search indexes and queries use `fold` so "Đức", "ĐỨC" and "duc" all meet. SQLite's FTS5 `remove_diacritics`
does not fold Đ/đ, which is why folding is done here and the folded text is indexed.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["nfc", "fold", "fold_tokens"]

# Đ/đ are letters of their own (no decomposition), so dropping combining marks does not touch them.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})
# A token is a run of letters or digits; "_" is a word character for `re` but a separator for us.
_TOKEN_RE = re.compile(r"[^\W_]+")


def nfc(s: str) -> str:
    """Return the NFC form, the one form we store, so equal text compares equal whatever its source."""
    return unicodedata.normalize("NFC", s)


def fold(s: str) -> str:
    """Fold text for search: no tone or vowel marks, đ→d, case-folded, single spaces, trimmed.

    Case folding runs before and after mark removal so that the result is a fixed point
    (`fold(fold(s)) == fold(s)`), which lets the index and the query be folded independently.
    """
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", s).casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    folded = stripped.translate(_D_MAP).casefold()
    return " ".join(folded.split())


def fold_tokens(s: str) -> list[str]:
    """Fold, then split on every non-alphanumeric character, so record codes like "QNH/LS-01234" match by part."""
    return _TOKEN_RE.findall(fold(s))
