"""The console's list-upload worker: one process per uploaded list, with a memory cap, reporting in a status file.

The console must keep answering (devices sync through the same server) whatever is uploaded, and a list's memory must
be given back when it is done. So the upload is read and imported here, in a child process started by
``server.web.list_jobs``: ``python -m server.list_worker`` with the job as JSON on stdin (the database URL may hold a
password, which must not appear in the process list). The address space is capped first, before anything big is
imported; progress and the outcome go to ``status_file`` (written whole, then renamed, so the console never reads
half a file).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any


def cap_memory(megabytes: int) -> None:
    """Limit this process's address space (POSIX; elsewhere the cap is skipped)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def write_status(path: Path, status: dict[str, Any]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def run(job: dict[str, Any]) -> int:
    status_file = Path(job["status_file"])
    write_status(status_file, {"state": "reading", "rows": 0})
    from app.domain.journal import format_timestamp
    from server import db
    from server.list_import import import_list_file
    from server.web.audit import record

    now = dt.datetime.fromisoformat(job["now"])
    engine = db.make_engine(job["database_url"])

    def progress(stage: str, rows: int) -> None:
        write_status(status_file, {"state": stage, "rows": rows})

    def audit(conn: Any, parsed: Any, counts: Any) -> None:
        record(conn, job["officer"], "list_import", job["filename"], "",
               {"period": parsed.payout_period, "agency": parsed.agency, **counts}, now=now)

    try:
        outcome = import_list_file(engine, Path(job["file"]), period=job.get("period"), now=now,
                                   agency=job.get("agency"), progress=progress, audit=audit)
    except MemoryError:
        write_status(status_file, {"state": "failed", "code": "list_import_memory"})
        return 3
    except Exception as exc:  # said to the officer by its kind only: no list data in the message
        write_status(status_file, {"state": "failed", "code": "list_import_failed", "detail": type(exc).__name__})
        return 1
    finally:
        engine.dispose()
    write_status(status_file, {"state": "finished", "outcome": outcome.to_json(), "at": format_timestamp(now)})
    return 0


def main() -> int:
    job = json.loads(sys.stdin.read(1024 * 1024))
    cap_memory(int(job["memory_mb"]))
    return run(job)


if __name__ == "__main__":
    sys.exit(main())
