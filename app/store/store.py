"""A data folder: its encrypted database, the key slots that open it, its device identity, and the services.

``Store.open(folder)`` is the one door to local data for the CLI and the UI; the services it hands out return frozen
domain values, never ORM objects or sessions. Opening needs a key slot (``app.store.keyslots``): the OS keyring's,
where the OS has a real keyring, or a staff member's password (``credentials``). Without either, ``Store.open`` says
who can open the laptop (``store_sign_in_needed``) and opens nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Connection, Engine, text

from app.domain.auth import attempts_left
from app.domain.clock import DEFAULT_TIME_ZONE, ProvinceTime, UnknownTimeZone
from app.domain.errors import BadInputError, StoreError
from app.domain.model import Staff
from app.store import database, keyslots
from app.store.attempts import SignInAttempts
from app.store.files import create_private, make_private, private_dir
from app.store.keys import LegacyKeys, OsKeyring, find_legacy_keys, new_key, os_keyring
from app.store.keyslots import Credentials, Keys, NoSlot, SlotFileError, Vault, WrongPassword

DB_NAME = "payout.db"
TIME_ZONE_META = "time_zone"
"""The province's time zone (an IANA name) in the ``meta`` table; absent means ``Asia/Ho_Chi_Minh``."""

Clock = Callable[[], dt.datetime]
_FROM_THE_OS = object()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_data_dir(demo: bool = False) -> Path:
    """The user's data folder (platformdirs); demo data lives in its own folder beside it."""
    base = Path(platformdirs.user_data_dir("payout-desk", appauthor=False))
    return base / "demo" if demo else base


def holders_text(folder: Path) -> str:
    """Who can open this laptop (their password slots), for a sentence; empty when nobody can."""
    try:
        data = keyslots.read_slots(folder)
    except SlotFileError:
        return ""
    return ", ".join(holder.describe() for holder in keyslots.holders(data)) if data else ""


class LegacyVault:
    """The keys of a data folder made before key slots, found where older versions kept them, until the first
    sign-in moves them into slots (``Store.keep_key_for``) and erases the old copies."""

    def __init__(self, legacy: LegacyKeys) -> None:
        self.legacy = legacy
        self.folder = legacy.folder

    @property
    def database_key(self) -> bytes:
        return self.legacy.database

    @property
    def device_key(self) -> bytes | None:
        return self.legacy.device

    def holders(self) -> tuple[keyslots.SlotHolder, ...]:
        return ()

    def set_device_key(self, key: bytes) -> None:
        """Enrolling a folder not yet moved to slots: the device key is kept the old way beside the database key
        until the next sign-in moves both into the vault (and erases both old copies)."""
        self.legacy.device = self.legacy.keep_device_key(key)

    def set_recovery(self, public_key: str, sealed_database_key: str) -> None:
        """Recorded in the database's meta already; copied into the slot file when the folder moves to slots."""


class Store:
    """An open data folder. Use as a context manager or call ``close()``."""

    def __init__(self, folder: Path, engine: Engine, device_id: str, clock: Clock, vault: Vault | LegacyVault,
                 province_time: ProvinceTime | None = None, keyring: OsKeyring | None = None) -> None:
        self.folder = folder
        self.engine = engine
        self.device_id = device_id
        self.clock = clock
        """Now, as an aware UTC datetime (tests pass a fixed clock)."""
        self.vault = vault
        """The folder's keys in memory (database key, device key) and its key slots."""
        self.keyring = keyring
        """The OS keyring this folder's keyring slot lives in (None where the OS has no real one)."""
        self.province_time = province_time or ProvinceTime()
        """How people see times: the province's time zone (``set_time_zone``), whatever the laptop's zone is."""
        self.sign_in_attempts = SignInAttempts(folder)

    @property
    def key(self) -> bytes:
        """The database key (raw, 256 bits)."""
        return self.vault.database_key

    # --- opening -----------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: Path | str,
        *,
        create: bool = True,
        credentials: Credentials | None = None,
        keyring: OsKeyring | object | None = _FROM_THE_OS,
        clock: Clock = utc_now,
        demo: bool = False,
    ) -> Store:
        """Open (or create) the data folder: unlock its keys, check the pragmas, migrate the schema.

        The OS keyring's slot is tried first; then ``credentials`` open that staff member's password slot (a wrong
        password counts towards their lockout). ``keyring`` defaults to the OS's real keyring, if any.
        """
        folder = Path(folder)
        ring: OsKeyring | None = os_keyring() if keyring is _FROM_THE_OS else keyring  # type: ignore[assignment]
        db_path = folder / DB_NAME
        if not db_path.exists():
            if not create:
                raise StoreError("store_not_found", path=str(folder))
            return cls._create(folder, ring, clock, demo)
        vault = _unlock(folder, ring, credentials, clock)
        private_dir(folder)
        for suffix in ("", "-wal", "-shm"):
            make_private(folder / (DB_NAME + suffix))  # folders made by older versions were 0755 / 0644
        engine = database.make_engine(db_path, vault.database_key)
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
        opened = cls(folder, engine, device_id, clock, vault, _province_time(zone), ring)
        try:
            if ring is not None and isinstance(vault, Vault):
                vault.ensure_keyring(ring)  # a keyring that appeared since (or lost its entry) gets a slot
            opened.forget_departed_staff()
        except BaseException:
            opened.close()
            raise
        return opened

    @classmethod
    def open_as(cls, folder: Path | str, credentials: Credentials, *, clock: Clock = utc_now,
                demo: bool = False) -> tuple[Store, Staff]:
        """Open an existing folder as a staff member and sign them in (their password opens their key slot, where the
        OS keyring does not open the laptop, then is checked against their verifier with the lockout). Nothing stays
        open when the sign-in is refused."""
        store = cls.open(folder, create=False, credentials=credentials, clock=clock, demo=demo)
        try:
            staff = store.staff.sign_in(credentials.username, credentials.password)
        except BaseException:
            store.close()
            raise
        return store, staff

    @classmethod
    def _create(cls, folder: Path, ring: OsKeyring | None, clock: Clock, demo: bool) -> Store:
        private_dir(folder)
        vault = keyslots.create(folder, Keys(new_key()), ring)
        create_private(folder / DB_NAME)
        engine = database.make_engine(folder / DB_NAME, vault.database_key)
        database.migrate(engine)
        device_id = str(uuid.uuid4())
        with database.write(engine) as conn:
            for name, value in (
                ("device_id", device_id),
                ("store_id", str(uuid.uuid4())),
                ("created_at", clock().isoformat()),
                ("demo", "1" if demo else "0"),
            ):
                conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v)"), {"k": name, "v": value})
        return cls(folder, engine, device_id, clock, vault, keyring=ring)

    # --- key slots ----------------------------------------------------------------------------------------------

    def keep_key_for(self, staff: Staff, password: str, verifier: str) -> None:
        """After a right password (checked against ``verifier``, the staff member's Argon2id hash): make sure this
        staff member's password opens the laptop next time. Their slot is made on their first sign-in here, remade
        after a password change; a folder made before key slots moves to slots now, and its old key file is
        overwritten and deleted."""
        digest = keyslots.verifier_digest(verifier)
        vault = self.vault
        if isinstance(vault, LegacyVault):
            moved = keyslots.create(self.folder, Keys(vault.database_key, vault.device_key), self.keyring)
            moved.add_password(staff.username, staff.full_name, password, digest)
            sealed, public = self.meta("sealed_key"), self.meta("recovery_public_key")
            if sealed and public:
                moved.set_recovery(public, sealed)
            self.vault = moved
            vault.legacy.erase()
            return
        if not vault.has_password_slot(staff.username, digest):
            vault.add_password(staff.username, staff.full_name, password, digest)
            self.forget_departed_staff()  # slots kept only as the laptop's last way in can go now

    def forget_departed_staff(self) -> list[str]:
        """Drop the slot of everyone no longer an active account here, or whose password the province changed (their
        new password gets a new slot at their next sign-in); the usernames dropped. The last way into a laptop
        without an OS keyring stays until another staff member's sign-in replaces it (``Vault.keep_only``)."""
        if not isinstance(self.vault, Vault):
            return []
        with database.read(self.engine) as conn:
            rows = conn.execute(text("SELECT username, password_hash FROM staff WHERE active = 1 "
                                     "AND password_hash IS NOT NULL AND password_hash != ''")).all()
        return self.vault.keep_only({username: keyslots.verifier_digest(verifier) for username, verifier in rows},
                                    other_way_in=self.vault.opens_by_keyring(self.keyring))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
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
    def lists(self) -> ListService:
        from app.store.lists import ListService

        return ListService(self)

    @property
    def amendments(self) -> AmendmentService:
        from app.store.amendments import AmendmentService

        return AmendmentService(self)

    @property
    def persons(self) -> PersonService:
        from app.store.persons import PersonService

        return PersonService(self)

    @property
    def search(self) -> SearchService:
        from app.store.search import SearchService

        return SearchService(self)

    @property
    def payouts(self) -> PayoutService:
        from app.store.payouts import PayoutService

        return PayoutService(self)

    @property
    def desk(self) -> DeskService:
        from app.store.desk import DeskService

        return DeskService(self)

    @property
    def staff(self) -> StaffService:
        from app.store.staff import StaffService

        return StaffService(self)

    @property
    def reports(self) -> ReportService:
        from app.store.reports import ReportService

        return ReportService(self)

    @property
    def printing(self) -> PrintingService:
        from app.store.printing import PrintingService

        return PrintingService(self)

    @property
    def sync(self) -> SyncService:
        from app.store.sync import SyncService

        return SyncService(self)

    @property
    def postings(self) -> PostingService:
        from app.store.postings import PostingService

        return PostingService(self)

    @property
    def survey(self) -> SurveyService:
        from app.store.survey import SurveyService

        return SurveyService(self)

    @property
    def maintenance(self) -> MaintenanceService:
        from app.store.maintenance import MaintenanceService

        return MaintenanceService(self)


STORE_FILES = (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", DB_NAME + database.WRITER_LOCK_SUFFIX,
               keyslots.SLOTS_NAME, keyslots.LOCK_NAME, "sign-in-attempts.json", "province-ca.pem")
"""Everything a data folder's setup writes (``set_aside_unfinished`` moves them)."""


def set_aside_unfinished(folder: Path, clock: Clock = utc_now) -> Path | None:
    """Move the files of a setup nobody can open (no key slot opens them: the first-run screen was left before anyone
    signed in) into a sub-folder, so the laptop can be set up again; the sub-folder, or None when there was nothing.
    Nothing is deleted: the province can still open the database with its recovery key if it matters."""
    present = [name for name in STORE_FILES if (folder / name).exists()]
    if not present:
        return None
    target = private_dir(folder / f"chua-cai-dat-xong-{clock().strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}")
    for name in present:
        (folder / name).rename(target / name)
    return target


def remove_unused(folder: Path) -> None:
    """Delete a data folder's files that nobody ever used: a new laptop's first-run screen left before it enrolled
    or made an account (nothing was recorded; nobody could open it again)."""
    for name in STORE_FILES:
        (folder / name).unlink(missing_ok=True)


def _unlock(folder: Path, ring: OsKeyring | None, credentials: Credentials | None,
            clock: Clock) -> Vault | LegacyVault:
    """The folder's keys: through the OS keyring's slot, else the staff member's password slot, else (a folder made
    before key slots) where older versions kept them."""
    try:
        data = keyslots.read_slots(folder)
        if data is None:
            legacy = find_legacy_keys(folder)
            if legacy is None:
                raise StoreError("store_no_key", path=str(folder))
            return LegacyVault(legacy)
        vault = keyslots.open_with_keyring(folder, ring)
        if vault is not None:
            return vault
        holders = keyslots.holders(data)
        if not holders:
            raise StoreError("store_no_opener", path=str(folder))
        if credentials is None:
            raise StoreError("store_sign_in_needed", holders=", ".join(h.describe() for h in holders))
        return _open_with_password(folder, credentials, holders, clock)
    except SlotFileError as error:
        raise StoreError("store_corrupt", detail=str(error)) from None


def _open_with_password(folder: Path, credentials: Credentials, holders: tuple[keyslots.SlotHolder, ...],
                        clock: Clock) -> Vault:
    username = credentials.username.strip()
    names = ", ".join(h.describe() for h in holders)
    if not username or not credentials.password:
        raise BadInputError("sign_in_required")
    if all(holder.username != username for holder in holders):
        raise BadInputError("store_open_first", username=username, holders=names)
    attempts = SignInAttempts(folder)
    now = clock()
    until = attempts.locked(username, now, known=True)
    if until is not None:
        raise BadInputError("account_locked", until=_lock_end(until))
    try:
        return keyslots.open_with_password(folder, credentials)
    except WrongPassword:
        state = attempts.failed(username, now, known=True)
        if state.locked_until is not None:
            raise BadInputError("account_locked", until=_lock_end(state.locked_until)) from None
        raise BadInputError("sign_in_failed", left=attempts_left(state)) from None
    except NoSlot as error:  # the slot went away meanwhile (another program on this laptop dropped it)
        raise BadInputError("store_open_first", username=username, holders=names) from error


def _lock_end(moment: dt.datetime) -> str:
    """When a lock ends, in the province's time (its zone is inside the still-closed database: Vietnam's, the
    default, is shown until it opens)."""
    return ProvinceTime().format_time(moment, seconds=True)


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
    from app.store.amendments import AmendmentService
    from app.store.desk import DeskService
    from app.store.lists import ListService
    from app.store.maintenance import MaintenanceService
    from app.store.payouts import PayoutService
    from app.store.persons import PersonService
    from app.store.postings import PostingService
    from app.store.printing import PrintingService
    from app.store.reports import ReportService
    from app.store.search import SearchService
    from app.store.staff import StaffService
    from app.store.survey import SurveyService
    from app.store.sync import SyncService
