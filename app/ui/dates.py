"""The date a date field shows, as a Python date.

PySide6 types ``QDate.toPython()`` as returning ``object``; it returns a ``datetime.date``, which is what the rest of
the app takes.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtWidgets import QDateEdit


def picked_date(field: QDateEdit) -> dt.date:
    return cast(dt.date, field.date().toPython())
