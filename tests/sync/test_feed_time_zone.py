"""The province's time zone reaches the desk through the change feed: a province on another zone than Vietnam's sets
it on its devices at their next sync (kept across restarts); a zone the laptop's IANA data lacks is not taken."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.store.store import Store
from app.sync.feed import apply_time_zone
from tests.builders.province import Province


def test_a_device_takes_the_provinces_time_zone_from_the_feed(tmp_path: Path) -> None:
    province = Province(f"sqlite:///{tmp_path}/server.db", tmp_path, time_zone="Asia/Bangkok")
    try:
        device = province.device("a", sync=False)
        assert device.store.province_time.zone == "Asia/Ho_Chi_Minh"
        assert device.sync().ok
        assert device.store.province_time.zone == "Asia/Bangkok"
        moment = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
        assert device.store.province_time.format_datetime(moment) == "01/12/2026 06:30"  # UTC+7 as Vietnam
        folder = device.store.folder
        device.store.close()
        province.devices.remove(device)
        reopened = Store.open(folder, clock=province.clock)
        try:
            assert reopened.province_time.zone == "Asia/Bangkok"
            assert apply_time_zone(reopened, "Mars/Olympus_Mons") is False  # unknown here: the zone it has stays
            assert reopened.province_time.zone == "Asia/Bangkok"
            assert apply_time_zone(reopened, "Asia/Bangkok") is False  # the same zone: nothing written
            assert apply_time_zone(reopened, "Asia/Ho_Chi_Minh") is True
            assert reopened.province_time.zone == "Asia/Ho_Chi_Minh"
        finally:
            reopened.close()
    finally:
        province.close()
