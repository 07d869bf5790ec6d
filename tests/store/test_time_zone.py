"""The province's time zone is a store setting: Vietnam time by default, kept across openings, validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.clock import DEFAULT_TIME_ZONE
from app.domain.errors import BadInputError
from app.store.store import TIME_ZONE_META, Store


def test_vietnam_time_by_default_and_a_province_zone_kept_across_openings(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        assert store.province_time.zone == DEFAULT_TIME_ZONE
        assert store.meta(TIME_ZONE_META) is None
        assert store.set_time_zone(" Asia/Bangkok ").zone == "Asia/Bangkok"
        assert store.province_time.zone == "Asia/Bangkok"
    with Store.open(tmp_path / "data") as store:
        assert store.province_time.zone == "Asia/Bangkok"
        store.set_time_zone(DEFAULT_TIME_ZONE)
        assert store.meta(TIME_ZONE_META) == DEFAULT_TIME_ZONE


def test_an_unknown_zone_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        with pytest.raises(BadInputError) as refused:
            store.set_time_zone("Asia/Hanoi_City")
        assert refused.value.code == "unknown_time_zone"
        assert store.province_time.zone == DEFAULT_TIME_ZONE
        assert store.meta(TIME_ZONE_META) is None


def test_a_zone_this_machine_does_not_know_falls_back_to_vietnam_time(tmp_path: Path) -> None:
    """An older tzdata than the province's must not stop the desk from opening."""
    with Store.open(tmp_path / "data") as store:
        from sqlalchemy import text

        from app.store import database

        with database.write(store.engine) as conn:
            conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, 'Mars/Olympus_Mons')"), {"k": TIME_ZONE_META})
    with Store.open(tmp_path / "data") as store:
        assert store.province_time.zone == DEFAULT_TIME_ZONE
