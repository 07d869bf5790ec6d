"""Fixtures of the list tests: the policy reference, and spreadsheet makers writing into the test's temp folder
(the writers are in ``tests/builders/sheets.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from app.domain.policy import PolicyReference
from app.lists.policy import load_policy
from tests.builders.sheets import SheetRows, write_csv, write_xlsx


@pytest.fixture(scope="session")
def policy() -> PolicyReference:
    return load_policy()


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """``make_xlsx(rows, merges=(), name="list.xlsx")`` → path of the written workbook."""

    def make(rows: SheetRows, merges: Iterable[str] = (), name: str = "list.xlsx") -> Path:
        return write_xlsx(tmp_path / name, rows, merges)

    return make


@pytest.fixture
def make_csv(tmp_path: Path) -> Callable[..., Path]:
    """``make_csv(rows, delimiter=",", encoding="utf-8-sig", name="list.csv")`` → path of the written file."""

    def make(rows: SheetRows, delimiter: str = ",", encoding: str = "utf-8-sig", name: str = "list.csv") -> Path:
        return write_csv(tmp_path / name, rows, delimiter, encoding)

    return make
