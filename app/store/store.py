"""A data folder: its encrypted database, its key, its device identity, and the services over them.

``Store.open(folder)`` is the one door to local data for the CLI and the UI; the services it hands out return frozen
domain values, never ORM objects or sessions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import platformdirs
from sqlalchemy import Connection, Engine, text

from app.domain.clock import DEFAULT_TIME_ZONE, ProvinceTime, UnknownTimeZone
from app.domain.errors import BadInputError, StoreError
from app.store import database
from app.store.keys import KeyStore, default_key_stores, find_key, new_key

DB_NAME = "payout.db"
STORE_ID_NAME = "store-id"
TIME_ZONE_META = "time_zone"
"""The province's time zone (an IANA name) in the ``meta`` table; absent means ``Asia/Ho_Chi_Minh``."""

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def default_data_dir(demo: bool = False) -> Path:
    """The user's data folder (platformdirs); demo data lives in its own folder beside it."""
    base = Path(platformdirs.user_data_dir("payout-desk", appauthor=False))
    return base / "demo" if demo else base


class Store:
    """An open data folder. Use as a context manager or call ``close()``."""

    def __init__(self, folder: Path, engine: Engine, device_id: str, clock: Clock, key: bytes,
                 province_time: ProvinceTime | None = None) -> None:
        self.folder = folder
        self.engine = engine
        self.device_id = device_id
        self.clock = clock
        """Now, as an aware UTC datetime (tests pass a fixed clock)."""
        self.key = key
        self.province_time = province_time or ProvinceTime()
        """How people see times: the province's time zone (``set_time_zone``), whatever the laptop's zone is."""
        self.key_stores: list[KeyStore] = []
        """Where this folder's keys are kept: the database key, and the device's signing key once enrolled."""

    # --- opening -----------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: Path | str,
        *,
        create: bool = True,
        key_stores: list[KeyStore] | None = None,
        clock: Clock = utc_now,
        demo: bool = False,
    ) -> "Store":
        """Open (or create) the data folder, check the key and pragmas, and migrate the schema."""
        folder = Path(folder)
        stores = key_stores if key_stores is not None else default_key_stores()
        db_path = folder / DB_NAME
        id_path = folder / STORE_ID_NAME
        if not db_path.exists():
            if not create:
                raise StoreError("store_no_key", path=str(folder))
            return cls._create(folder, stores, clock, demo)
        if not id_path.exists():
            raise StoreError("store_no_key", path=str(folder))
        store_id = id_path.read_text(encoding="ascii").strip()
        key = find_key(store_id, stores)
        if key is None:
            raise StoreError("store_no_key", path=str(folder))
        engine = database.make_engine(db_path, key)
        try:
            database.migrate(engine)
            with database.read(engine) as conn:
                device_id = _meta(conn, "device_id")
                zone = _meta(conn, TIME_ZONE_META)
        except BaseException:
            engine.dispose()
            raise
        if device_id is None:
            engine.dispose()
            raise StoreError("store_corrupt", detail="device identity missing")
        opened = cls(folder, engine, device_id, clock, key, _province_time(zone))
        opened.key_stores = stores
        return opened

    @classmethod
    def _create(cls, folder: Path, stores: list[KeyStore], clock: Clock, demo: bool) -> "Store":
        folder.mkdir(parents=True, exist_ok=True)
        store_id = str(uuid.uuid4())
        key = new_key()
        stores[0].put(store_id, key)
        (folder / STORE_ID_NAME).write_text(store_id + "\n", encoding="ascii")
        engine = database.make_engine(folder / DB_NAME, key)
        database.migrate(engine)
        device_id = str(uuid.uuid4())
        with database.write(engine) as conn:
            for name, value in (
                ("device_id", device_id),
                ("store_id", store_id),
                ("created_at", clock().isoformat()),
                ("demo", "1" if demo else "0"),
            ):
                conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v)"), {"k": name, "v": value})
        created = cls(folder, engine, device_id, clock, key)
        created.key_stores = stores
        return created

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- facts about the folder ---------------------------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    def meta(self, name: str) -> str | None:
        with database.read(self.engine) as conn:
            return _meta(conn, name)

    @property
    def is_demo(self) -> bool:
        return self.meta("demo") == "1"

    def set_time_zone(self, zone: str) -> ProvinceTime:
        """Record the province's time zone (an IANA name such as ``Asia/Ho_Chi_Minh``) for everything shown from now
        on; stored times do not change (they are UTC). Meant for the province's change feed (not sent yet) and the
        command line; a name this machine's IANA data does not know is refused and nothing changes."""
        try:
            province_time = ProvinceTime(zone.strip())
        except UnknownTimeZone:
            raise BadInputError("unknown_time_zone", zone=zone) from None
        with database.write(self.engine) as conn:
            conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                         {"k": TIME_ZONE_META, "v": province_time.zone})
        self.province_time = province_time
        return province_time

    # --- services ------------------------------------------------------------------------------------------------

    @property
    def lists(self) -> "ListService":
        from app.store.lists import ListService

        return ListService(self)

    @property
    def search(self) -> "SearchService":
        from app.store.search import SearchService

        return SearchService(self)

    @property
    def payouts(self) -> "PayoutService":
        from app.store.payouts import PayoutService

        return PayoutService(self)

    @property
    def desk(self) -> "DeskService":
        from app.store.desk import DeskService

        return DeskService(self)

    @property
    def staff(self) -> "StaffService":
        from app.store.staff import StaffService

        return StaffService(self)

    @property
    def reports(self) -> "ReportService":
        from app.store.reports import ReportService

        return ReportService(self)

    @property
    def printing(self) -> "PrintingService":
        from app.store.printing import PrintingService

        return PrintingService(self)

    @property
    def sync(self) -> "SyncService":
        from app.store.sync import SyncService

        return SyncService(self)

    @property
    def maintenance(self) -> "MaintenanceService":
        from app.store.maintenance import MaintenanceService

        return MaintenanceService(self)


def _province_time(zone: str | None) -> ProvinceTime:
    """The stored zone, or Vietnam time when none is set or this machine's IANA data lacks it (an older ``tzdata``
    must not stop the desk from opening; times then show in Vietnam time, the default)."""
    try:
        return ProvinceTime(zone or DEFAULT_TIME_ZONE)
    except UnknownTimeZone:
        return ProvinceTime()


def _meta(conn: Connection, name: str) -> str | None:
    return conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": name}).scalar()


if TYPE_CHECKING:
    from app.store.desk import DeskService
    from app.store.lists import ListService
    from app.store.maintenance import MaintenanceService
    from app.store.payouts import PayoutService
    from app.store.printing import PrintingService
    from app.store.reports import ReportService
    from app.store.search import SearchService
    from app.store.staff import StaffService
    from app.store.sync import SyncService
