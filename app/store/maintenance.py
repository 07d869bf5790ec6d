"""Verifying, backing up and restoring a data folder.

Backups go through SQLite's backup API into a new file encrypted with the same key (never a file copy of a live
database), created private (0600). An enrolled laptop writes the database key sealed to the province's recovery key
beside it (``<backup>.sealed-key``), so the province can open it; the staff's key slots never travel with a backup.

A restore refuses to drop journal entries that the backup lacks unless forced, keeps a safety copy of what it
replaces, and records that the store was restored so the sync can flag a fork instead of silently overwriting. It
holds the store's writer lock (``database.writer_lock``) from its "are there newer entries?" check to the end of the
overwrite: a payment another program attempts meanwhile waits and lands on the restored data, never under it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from app.domain.errors import BadInputError, StoreError
from app.store import database
from app.store import journal as store_journal
from app.store.database import raw_connect
from app.store.files import create_private, write_private

if TYPE_CHECKING:
    from app.store.store import Store


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    entries: int
    head_seq: int
    head_hash: str


@dataclass(frozen=True)
class RestoreReport:
    source: Path
    entries: int
    dropped_entries: int
    safety_copy: Path | None


SEALED_KEY_SUFFIX = ".sealed-key"
"""Beside a backup: the database key sealed to the province's recovery key (read by
``payout-server recover-backup``)."""

SYNC_META = ("server_url", "communes", "recovery_public_key", "enrolled_at", "ca_bundle", "sealed_key",
             "sealed_key_sent", "acked_seq", "acked_hash")
"""Meta values a restore carries over from the data it replaces."""


class MaintenanceService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def verify(self) -> store_journal.VerifyReport:
        """Integrity check, chain recomputation and cross-checks; names the first bad entry."""
        with database.read(self.store.engine) as conn:
            return store_journal.verify(conn)

    def backup(self, target: Path | str) -> BackupInfo:
        """An encrypted copy through the backup API; refuses to overwrite an existing file."""
        target = Path(target)
        if target.exists():
            raise BadInputError("backup_target_exists", path=str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        key = self._key()
        create_private(target)  # SQLite gives the file's mode to its journal too
        source = raw_connect(self.store.db_path, key)
        try:
            dest = raw_connect(target, key)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            finally:
                dest.close()
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        finally:
            source.close()
        info = _describe(target, key)
        sealed = self.store.meta("sealed_key")
        if sealed:
            sidecar = target.with_name(target.name + SEALED_KEY_SUFFIX)
            write_private(sidecar, json.dumps({"device_id": self.store.device_id, "sealed_key": sealed}).encode())
        return info

    def restore(self, backup: Path | str, *, force: bool = False) -> RestoreReport:
        """Replace this store's content with a backup made with the same key."""
        backup = Path(backup)
        if not backup.exists():
            raise BadInputError("backup_not_found", path=str(backup))
        key = self._key()
        try:
            info = _describe(backup, key)
        except StoreError:
            raise BadInputError("backup_unreadable", path=str(backup)) from None
        with database.writer_lock(self.store.db_path):
            return self._restore_locked(backup, key, info, force)

    def _restore_locked(self, backup: Path, key: bytes, info: BackupInfo, force: bool) -> RestoreReport:
        """The restore itself, under the writer lock: no write of any process on this folder can come between the
        check for newer entries and the overwrite."""
        source = raw_connect(backup, key)
        try:
            backup_entries = {row[0] for row in source.execute("SELECT entry_id FROM journal")}
            backup_device = source.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
            report = _verify_raw(backup, key)
            if report is not None:
                raise BadInputError("backup_chain_broken", detail=report)
            if backup_device and backup_device[0] != self.store.device_id and not force:
                raise BadInputError("backup_other_device", device=backup_device[0])
            with database.read(self.store.engine) as conn:
                current = {row[0] for row in conn.execute(text("SELECT entry_id FROM journal"))}
                kept_meta = conn.execute(
                    text("SELECT key, value FROM meta WHERE key IN (" + ", ".join(f"'{k}'" for k in SYNC_META) + ")")
                ).all()
            missing = current - backup_entries
            if missing and not force:
                raise BadInputError("restore_would_lose", count=len(missing))
            safety: Path | None = None
            if current:
                stamp = self.store.clock().strftime("%Y%m%dT%H%M%S")
                safety = self.store.folder / f"before-restore-{stamp}-{uuid.uuid4().hex[:8]}.db"
                self.backup(safety)  # refuses to overwrite: every restore keeps its own copy
            self._replace_content(source, backup, key, info, force, kept_meta)
        finally:
            source.close()
        database.migrate(self.store.engine)
        return RestoreReport(backup, info.entries, len(missing), safety)

    def _replace_content(self, source: object, backup: Path, key: bytes, info: BackupInfo, force: bool,
                         kept_meta: Sequence[Any]) -> None:
        """Overwrite the live database with the backup's content and record the restore, in one step."""
        self.store.engine.dispose()
        dest = raw_connect(self.store.db_path, key)
        try:
            source.backup(dest)  # type: ignore[attr-defined]
            dest.execute("BEGIN IMMEDIATE")  # the restore's record is written whole or not at all
            dest.execute(
                "INSERT INTO restore_log (restored_at, source, head_seq, head_hash, forced) VALUES (?, ?, ?, ?, ?)",
                (self.store.clock().isoformat(), backup.name, info.head_seq, info.head_hash, int(force)),
            )
            dest.execute(
                "INSERT INTO meta (key, value) VALUES ('restored_at', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (self.store.clock().isoformat(),),
            )
            # Enrolment and the server's acknowledged head are newer facts than the backup: keep them, so
            # `verify` can say the restored journal no longer extends what the server acknowledged (a fork).
            for name, value in kept_meta:
                dest.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (name, value),
                )
            dest.execute("COMMIT")
        finally:
            dest.close()

    def restores(self) -> list[dict[str, object]]:
        with database.read(self.store.engine) as conn:
            rows = conn.execute(
                text("SELECT restored_at, source, head_seq, head_hash, forced FROM restore_log ORDER BY restore_id")
            ).mappings().all()
        return [dict(row) for row in rows]

    def _key(self) -> bytes:
        return self.store.key


def _describe(path: Path, key: bytes) -> BackupInfo:
    conn = raw_connect(path, key)
    try:
        count = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
        head = conn.execute("SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    except Exception as error:  # not our schema
        raise StoreError("store_corrupt", detail=str(error)) from None
    finally:
        conn.close()
    return BackupInfo(path, count, head[0] if head else 0, head[1] if head else "0" * 64)


def _verify_raw(path: Path, key: bytes) -> str | None:
    """Verify a backup file's journal; the first problem as text, or None."""
    engine = database.make_engine(path, key)
    try:
        with database.read(engine) as conn:
            report = store_journal.verify(conn)
    finally:
        engine.dispose()
    if report.ok:
        return None
    problem = report.problems[0]
    return f"{problem.reason} (seq {problem.seq}, {problem.entry_id})"

