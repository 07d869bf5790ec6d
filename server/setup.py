"""Setting a server up: the database, and the province recovery key — made once, its private half never kept here.

``init_server`` migrates the database and, for a new province (or ``--rotate``), makes the recovery key pair: the
public key goes into the database (devices seal their keys to it at enrolment); the private key is written only
as an encrypted key file (``server.recovery_key``) where the officer says, which they move to offline media. A
server set up before this kept the private key in plain hex in its data folder (``recovery.key``, and
``recovery.key.<time>`` after a rotation): ``legacy_plain_keys`` finds those, and ``protect_legacy_keys`` encrypts
each into a key file and destroys the plain one (``payout-server protect-recovery-key``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from app.domain.clock import VIETNAM as PROVINCE_TIME
from app.wire import sealing
from server import db, recovery_key
from server.recovery_key import KdfCost, RecoveryKeyError
from server.settings import ServerSettings

LEGACY_KEY_NAME = "recovery.key"


@dataclass(frozen=True)
class NewKey:
    """Where and how to write a new private recovery key."""

    key_file: Path
    passphrase: str
    cost: KdfCost | None = None
    inside_data_folder: bool = False
    """Only the demo may leave its key file in the data folder (its passphrase is printed anyway)."""


@dataclass(frozen=True)
class Initialised:
    public_key: str
    key_file: Path | None  # the new encrypted key file, when a key was made
    code: str | None  # its key code (for the paper key)
    plain_keys: tuple[Path, ...]  # plain private keys still in the data folder (to protect and remove)


def open_engine(settings: ServerSettings) -> Engine:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(settings.database_url)
    db.migrate(engine)
    return engine


def legacy_plain_keys(settings: ServerSettings) -> tuple[Path, ...]:
    """Plain private recovery keys left in the data folder by an older version (the current one first)."""
    folder = settings.data_dir
    current = folder / LEGACY_KEY_NAME
    older = sorted(folder.glob(LEGACY_KEY_NAME + ".*")) if folder.is_dir() else []
    return tuple(([current] if current.is_file() else []) + [path for path in older if path.is_file()])


def init_server(settings: ServerSettings, new_key: Callable[[], NewKey] | None = None,
                rotate: bool = False) -> Initialised:
    """Migrate the database; make the province recovery key pair when there is none yet, or with ``rotate``.

    ``new_key`` is asked only when a key is made (it may prompt for the passphrase). The province's public key is
    never replaced silently: without ``rotate`` an existing one stays. A database made afresh beside an old plain
    ``recovery.key`` takes that key's public half (devices sealed their keys to it).
    """
    engine = open_engine(settings)
    try:
        with engine.connect() as conn:
            current = db.get_meta(conn, "recovery_public_key")
        plain = legacy_plain_keys(settings)
        if current and not rotate:
            return Initialised(current, None, None, plain)
        if not current and not rotate and plain and plain[0].name == LEGACY_KEY_NAME:
            public = sealing.recovery_public_key(_read_plain(plain[0]))
            key_file, code = None, None
        else:
            if new_key is None:
                raise RecoveryKeyError("cần cụm mật khẩu và nơi ghi tệp khóa / a new recovery key needs a passphrase "
                                       "and a key file (--key-out)")
            wanted = new_key()
            _check_outside(settings, wanted)
            private = sealing.new_recovery_key()
            public = sealing.recovery_public_key(private)
            code = recovery_key.lock(private, wanted.passphrase, wanted.cost or KdfCost.from_environment())
            recovery_key.write_key_file(wanted.key_file, code, public, _made(settings.clock()))
            key_file = wanted.key_file
        with db.transaction(engine) as conn:
            db.set_meta(conn, "recovery_public_key", public)
        return Initialised(public, key_file, code, plain)
    finally:
        engine.dispose()


def protect_legacy_keys(settings: ServerSettings, key_file: Path, passphrase: str,
                        cost: KdfCost | None = None) -> list[tuple[Path, Path, str]]:
    """Encrypt every plain private key in the data folder into a key file, then destroy the plain file.

    The current key goes to ``key_file``; an older, rotated one to ``<key_file stem>-<its suffix><suffix>`` beside
    it. Returns (plain file, key file, key code) for each; nothing is destroyed until every key file is written."""
    plain = legacy_plain_keys(settings)
    if not plain:
        raise RecoveryKeyError(f"không có khóa dạng rõ trong thư mục dữ liệu / no plain recovery key in "
                               f"{settings.data_dir}")
    _check_outside(settings, NewKey(key_file, passphrase))
    cost = cost or KdfCost.from_environment()
    made: list[tuple[Path, Path, str]] = []
    for path in plain:
        private = _read_plain(path)
        target = key_file if path.name == LEGACY_KEY_NAME else key_file.with_name(
            f"{key_file.stem}-{path.name[len(LEGACY_KEY_NAME) + 1:]}{key_file.suffix}")
        code = recovery_key.lock(private, passphrase, cost)
        recovery_key.write_key_file(target, code, sealing.recovery_public_key(private), _made(settings.clock()))
        if recovery_key.unlock(recovery_key.read_key_text(target).code or "", passphrase) != private:
            raise RecoveryKeyError(f"tệp khóa vừa ghi không mở lại được / {target} does not read back")
        made.append((path, target, code))
    for path, _, _ in made:
        recovery_key.destroy(path)
    return made


def _read_plain(path: Path) -> bytes:
    text = recovery_key.read_key_text(path)
    if text.plain_key is None:
        raise RecoveryKeyError(f"{path} không phải khóa dạng rõ / is not a plain key")
    return text.plain_key


def _check_outside(settings: ServerSettings, wanted: NewKey) -> None:
    if wanted.inside_data_folder:
        return
    data = settings.data_dir.resolve()
    target = wanted.key_file.resolve()
    if target == data or data in target.parents:
        raise RecoveryKeyError(f"không ghi khóa bí mật vào thư mục dữ liệu của máy chủ / the private key file must "
                               f"not be in the server's data folder ({data}): choose a path on offline media")


def _made(now: dt.datetime) -> str:
    return f"{PROVINCE_TIME.format_datetime(now)} (giờ Việt Nam)"
