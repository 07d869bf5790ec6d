"""Payout lists: reading a province's .xlsx/.csv into domain values (with row-level errors) and writing them.

No Qt and no SQL here, so the desktop client and the province server read a list with the same code.
"""

from app.lists.parsed import ParsedList
from app.lists.reader import read_list
from app.lists.writer import write_list_csv, write_list_xlsx

__all__ = ["ParsedList", "read_list", "write_list_csv", "write_list_xlsx"]
