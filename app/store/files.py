"""Files only their owner can read: the data folder (0700) and what the app writes into it (0600).

A laptop may be shared with other OS accounts, and a stolen disk is read with whatever permissions the files carry,
so the data folder, the database with its WAL and shared-memory files, backups and safety copies, the key-slot file
and the sign-in counts are private to the user. Where the OS has no POSIX modes (Windows) the user profile's access
rules apply instead and these calls change nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed and make it private (0700); a folder that already exists is fixed
    too, so a data folder an older version made 0755 is closed at its next use."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if POSIX:
        os.chmod(path, PRIVATE_DIR)
    return path


def make_private(path: Path) -> None:
    """Make an existing file private (0600); missing files are ignored."""
    if POSIX:
        try:
            os.chmod(path, PRIVATE_FILE)
        except FileNotFoundError:
            pass


def create_private(path: Path) -> Path:
    """Create an empty file readable only by its owner, refusing to replace one (a backup never overwrites).

    SQLite gives its ``-wal``, ``-shm`` and ``-journal`` files the mode of the database file, so a database created
    on top of this empty file keeps all of them private.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically (write a private temporary file, fsync, rename, fsync the folder):
    a crash leaves the old content or the new, never half of one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        make_private(temporary)  # an old temporary left by a crash may carry another mode
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


def overwrite_and_delete(path: Path) -> None:
    """Overwrite a secret file with zeros, flush it, then delete it (what a disk keeps afterwards is up to the disk;
    this removes the copy the file system would otherwise leave readable)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b") as handle:
        handle.write(b"\0" * max(size, 1))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    if not POSIX:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
