"""Each month's list is kept on the server (issue 11, point 3), on SQLite and PostgreSQL: December's settlement and
progress say the same after January's list, January's payments of carried-over lines and a death recorded in
January with a date before December — the December report judged each person as December's list kept them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from server import db, progress
from server import province as province_module
from server.settlement import settlement
from tests.builders.store import COMMUNE, HUE
from tests.server.test_settlement import DECEMBER, build


def _december(engine) -> tuple[object, str, list[object], list[object]]:
    with engine.connect() as conn:
        report = settlement(conn, DECEMBER, COMMUNE, now=dt.datetime(2027, 1, 10, 3, 0, tzinfo=dt.timezone.utc))
        return (report.communes[0].figures, report.document_code, progress.communes(conn, DECEMBER),
                progress.people(conn, DECEMBER, COMMUNE))


def test_a_death_recorded_after_the_next_list_leaves_december_as_it_was(database_url: str, tmp_path: Path) -> None:
    scenario = build(database_url, tmp_path)  # December paid and settled; January's list and payments arrived
    try:
        engine = scenario.province.engine
        before = _december(engine)
        with db.transaction(engine) as conn:  # Huệ, listed and paid late, is found to have died in November
            province_module.amend(conn, HUE, scenario.province.clock(), death=dt.date(2026, 11, 20),
                                  representative=("Đặng Văn Bình", "022170000333"), by="tinh",
                                  reason="Giấy báo tử")
        after = _december(engine)
        assert after[0] == before[0] and after[1] == before[1]  # the same figures and document code
        assert after[2] == before[2]
        assert [dataclasses.astuple(row) if dataclasses.is_dataclass(row) else row for row in after[3]] == \
            [dataclasses.astuple(row) if dataclasses.is_dataclass(row) else row for row in before[3]]
        with engine.connect() as conn:  # while January's list is the newest, January does see the death
            january = settlement(conn, "2027-01", COMMUNE)
        assert january.communes[0].figures.barred.lines >= 1
    finally:
        scenario.province.close()
