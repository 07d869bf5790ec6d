"""The one error of the wire contract."""

from __future__ import annotations


class ProtocolError(ValueError):
    """Something on the wire does not have the agreed shape (answered 400/422, or treated as a bad server answer)."""
