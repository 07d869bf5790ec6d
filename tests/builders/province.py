"""A province server over real HTTP with the store tests' small commune, and enrolled devices that pay and sync."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, select, text

from app.domain.model import line_key
from app.lists.parsed import ParsedList
from app.store.store import Store
from app.sync.client import ServerClient
from app.sync.engine import SyncEngine, SyncReport
from app.sync.enrolment import enrol
from server import accounts, db, province, schema
from server.api import create_app
from server.recovery_key import KdfCost
from server.settings import ServerSettings
from server.setup import NewKey, init_server
from tests.builders.loopback import LiveServer
from tests.builders.store import COMMUNE, DAY, DUC, HUE, NOW, POINT, Clock, parsed_list, request

RECOVERY_PASSPHRASE = "cụm mật khẩu khôi phục của tỉnh"
CHEAP_KDF = KdfCost(time_cost=1, memory_mib=8, lanes=1)
"""Argon2id costs low enough for tests (a real key code costs about a second to open)."""


def offline_recovery_key(key_file: Path) -> Any:
    """``init_server``'s ``new_key``: the recovery key written to ``key_file`` (the officer's USB stick)."""
    return lambda: NewKey(key_file, RECOVERY_PASSPHRASE, CHEAP_KDF)


OTHER_COMMUNE = "QNH-0002"
OTHER_PERSON = "QNH/AQ-09999-TCM"


def key(record: str, regime: str, period: str = "2026-12", programme: str = "uu_dai") -> str:
    return line_key(None, record, period, programme, regime)


JANUARY = "2027-01"


def january_list() -> ParsedList:
    """January's list, prepared weeks before: the small commune as in December (Nguyễn Văn Đức still receiving)."""
    from tests.builders.store import lines

    return parsed_list(period=JANUARY, the_lines=lines(JANUARY), source="ds-01-2027.xlsx")


def payable_to_the_person(device: Device, record: str, period: str) -> list[str]:
    """The lines the desk would pay to the person themselves in ``period`` (none once they are dead)."""
    view = device.store.payouts.person(record, period=period)
    return [state.line.key for state in view.lines if state.payable and not state.representative_only]


DUC_MONTHLY = key(DUC, "monthly")
DUC_SUPPLEMENT = key(DUC, "supplement")
HUE_MONTHLY = key(HUE, "monthly")


@dataclass
class Device:
    """One enrolled laptop: its store, a session opened on first payment, and a sync engine without real sleeps."""

    name: str
    store: Store
    url: str
    session_id: str | None = None
    delays: list[float] = field(default_factory=list)

    def pay(self, record: str, keys: list[str], **extra: Any):  # -> Payment
        if self.session_id is None:
            self.session_id = self.store.payouts.open_session(
                commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=50_000_000, staff="giaodich"
            ).session_id
        return self.store.payouts.pay(request(self.session_id, record, keys, **extra))

    @property
    def clock(self) -> Clock:
        """The device's settable clock (the province's, unless the test gave the device its own)."""
        return cast(Clock, self.store.clock)

    @property
    def paying_session(self) -> str:
        """The session the device's first payment opened (read after paying)."""
        assert self.session_id is not None
        return self.session_id

    @property
    def signing_key(self) -> bytes:
        """The device's private signing key (an enrolled test device always has one)."""
        key = self.store.sync.device_key()
        assert key is not None
        return key

    def client(self, url: str | None = None, timeout: tuple[float, float] = (2.0, 10.0)) -> ServerClient:
        return ServerClient(url or self.url, device_id=self.store.device_id, private_key=self.store.sync.device_key(),
                            timeout=timeout, clock=self.store.clock)

    def sync(self, url: str | None = None, *, batch_size: int = 500, max_attempts: int = 6,
             timeout: tuple[float, float] = (2.0, 10.0), sleep: Any = None) -> SyncReport:
        """A sync whose backoff delays are recorded, not slept (or passed to ``sleep``)."""
        engine = SyncEngine(self.store, self.client(url, timeout), batch_size=batch_size, max_attempts=max_attempts,
                            sleep=sleep or self.delays.append)
        return engine.run()

    def journal(self) -> list[tuple[int, str, str]]:
        with self.store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT seq, entry_id, entry_hash FROM journal ORDER BY seq"))]

    def outbox_states(self) -> dict[str, int]:
        with self.store.engine.connect() as conn:
            return dict(conn.execute(text("SELECT state, count(*) FROM outbox GROUP BY state")).all())


class Province:
    """The server, its database and the test list; ``devices`` enrol with fresh one-time codes."""

    def __init__(self, database_url: str, folder: Path, clock: Clock | None = None,
                 first_list: ParsedList | None = None, **settings: Any) -> None:
        """``first_list``: the list imported at the start (the store tests' small commune unless given; its tellers
        and supervisors then cover every commune of it); ``settings``: other ``ServerSettings`` fields (trusted
        proxies, sign-in limits...)."""
        self.folder = folder
        self.clock = clock or Clock()
        self.settings = ServerSettings(data_dir=folder / "server", database_url=database_url, clock=self.clock,
                                       **settings)
        self.recovery_key_file = folder / "usb" / "recovery-key.txt"
        init_server(self.settings, offline_recovery_key(self.recovery_key_file))
        self.engine: Engine = db.make_engine(database_url)
        with db.transaction(self.engine) as conn:
            first = first_list or parsed_list()
            now = NOW if first_list is None else self.clock()
            province.import_list(conn, first, now)
            staffed = [COMMUNE] if first_list is None else [commune.code for commune in first.communes]
            accounts.add_user(conn, "giaodich", "Nguyễn Thị Giao Dịch", "teller", "pw-teller", staffed, now)
            accounts.add_user(conn, "giamsat", "Trần Văn Giám Sát", "supervisor", "pw-supervisor", staffed, now)
        self.app = create_app(self.settings, self.engine)
        self.live = LiveServer(self.app).start()
        self.devices: list[Device] = []

    @property
    def url(self) -> str:
        return self.live.url

    def add_other_commune(self) -> str:
        """A second commune (QNH-0002) with one person, Vũ Văn Khác, and one monthly line."""
        import dataclasses

        from app.domain.model import Beneficiary, Commune, LineKind, PayoutPoint
        from tests.builders.store import line

        other = parsed_list(the_people=[Beneficiary(OTHER_PERSON, "Vũ Văn Khác", OTHER_COMMUNE, "AQ",
                                                    point_id="QNH-0002/ubnd")],
                            the_lines=[line(OTHER_PERSON, "monthly", 3_000_000, kind=LineKind.RECURRING)])
        other = dataclasses.replace(
            other, communes=(Commune(OTHER_COMMUNE, "Xã Khác", "QNH"),), villages=(), authorisations=(),
            points=(PayoutPoint("QNH-0002/ubnd", OTHER_COMMUNE, "UBND xã Khác"),),
        )
        with db.transaction(self.engine) as conn:
            province.import_list(conn, other, NOW)
        return OTHER_COMMUNE

    def add_officer(self, username: str, role: str = "officer", communes: list[str] | None = None) -> str:
        """A console account; its password is ``pw-<username>``."""
        with db.transaction(self.engine) as conn:
            accounts.add_user(conn, username, f"Cán bộ {username}", role, f"pw-{username}", communes or ["*"],
                              self.clock())
        return f"pw-{username}"

    def enrol_code(self, communes: list[str] | None = None) -> str:
        with db.transaction(self.engine) as conn:
            return accounts.make_enrol_code(conn, communes or [COMMUNE], self.clock(), 72)

    def device(self, name: str, clock: Clock | None = None, sync: bool = True,
               communes: list[str] | None = None) -> Device:
        store = Store.open(self.folder / name, clock=clock or self.clock)
        enrol(store, self.url, self.enrol_code(communes), label=name)
        device = Device(name, store, self.url)
        self.devices.append(device)
        if sync:
            assert device.sync().ok
        return device

    def amend(self, record: str, **options: Any) -> None:
        with db.transaction(self.engine) as conn:
            province.amend(conn, record, self.clock(), **options)

    def entries(self, device: Device | None = None) -> list[tuple[int, str, str]]:
        e = schema.entries.c
        query = select(e.seq, e.entry_id, e.entry_hash).order_by(e.device_id, e.seq, e.id)
        if device is not None:
            query = query.where(e.device_id == device.store.device_id)
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]

    def flags(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.flags).order_by(schema.flags.c.flag_id)).mappings().all()
        return [dict(row, detail=json.loads(row["detail"])) for row in rows]

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    def close(self) -> None:
        self.live.stop()
        for device in self.devices:
            device.store.close()
        self.engine.dispose()


def later(clock: Clock, minutes: int) -> None:
    clock.now = clock.now + dt.timedelta(minutes=minutes)
