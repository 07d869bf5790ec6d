"""Widening a restore's window in a real second process: the child restores a backup into a data folder and stops
between its "are there newer entries?" check and the overwrite until the parent says go.

Run as ``python -m tests.builders.restore_race FOLDER BACKUP force|check`` from the repository's root (as
``tests/store/test_restore_lock.py`` does): it prints ``checked`` once the check is done (the writer lock held), reads
one line from stdin, overwrites, and prints ``restored <dropped entries> <safety copy>``. The test hook is here, in
the child: it wraps ``MaintenanceService._replace_content`` (the overwrite), the program has no hook of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start(folder: Path, backup: Path, *, force: bool) -> subprocess.Popen[bytes]:
    """Start the child and wait until it has checked (and holds the writer lock)."""
    child = subprocess.Popen([sys.executable, "-m", "tests.builders.restore_race", str(folder), str(backup),
                              "force" if force else "check"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=str(ROOT), env=dict(os.environ))
    assert child.stdout is not None
    line = child.stdout.readline()
    if line.strip() != b"checked":
        child.kill()
        _, err = child.communicate()
        raise AssertionError(f"the restore did not reach its check: {line!r} {err.decode(errors='replace')}")
    return child


def finish(child: subprocess.Popen[bytes]) -> tuple[int, str]:
    """Let the child overwrite; (entries dropped, safety copy path)."""
    out, err = child.communicate(b"go\n", timeout=60)
    assert child.returncode == 0, err.decode(errors="replace")
    _, dropped, safety = out.decode().split()
    return int(dropped), safety


def child_main(folder: str, backup: str, mode: str) -> None:
    from app.store.maintenance import MaintenanceService
    from app.store.store import Store

    overwrite = MaintenanceService._replace_content

    def widened(self, *args, **kwargs):  # wraps the method as it is
        os.write(1, b"checked\n")
        sys.stdin.readline()
        return overwrite(self, *args, **kwargs)

    MaintenanceService._replace_content = widened  # type: ignore[method-assign]
    with Store.open(folder, create=False) as store:
        report = store.maintenance.restore(backup, force=mode == "force")
    os.write(1, f"restored {report.dropped_entries} {report.safety_copy or '-'}\n".encode())


if __name__ == "__main__":
    child_main(sys.argv[1], sys.argv[2], sys.argv[3])
