"""The JSON API (``/api/v1``): ``main.create_app`` wires ``routes/`` (one module per resource), ``deps.py``
(the app's engine, settings and clock; the signed device; the staff member), ``schemas.py``, ``errors.py`` and the
body limit. Services holding SQL live in ``server/*.py``; a route calls one of them and answers."""

from __future__ import annotations

from server.api.main import create_app

__all__ = ["create_app"]
