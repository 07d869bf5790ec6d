"""Fixtures of the store tests: a settable clock, an open store holding the small commune (builders in
``tests/builders/store.py``) with a teller and a supervisor, and an open session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.model import Role
from app.store.store import Store
from tests.builders.store import COMMUNE, DAY, POINT, Clock, parsed_list


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data", clock=clock)
    opened.lists.import_parsed(parsed_list())
    opened.staff.add("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER, "pw-teller")
    opened.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    yield opened
    opened.close()


@pytest.fixture
def session_id(store: Store) -> str:
    return store.payouts.open_session(
        commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=50_000_000, staff="giaodich"
    ).session_id
