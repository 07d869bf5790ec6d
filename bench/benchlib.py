"""Shared bits of the benchmarks: isolated key folder, percentiles, the machine and SQLite/SQLCipher build, results.

Imported first by every ``bench/*.py`` script: it puts the repository on ``sys.path`` and keeps the key slots the
benchmarks make in a throw-away stand-in for the OS keyring (``tests/builders/os_keyring.py``), never the developer's
own keyring; stores then reopen without a password, as on a laptop with Credential Manager or Keychain. Results are
printed as a small table and appended as one JSON line per run to ``bench/out/<name>.jsonl`` (gitignored);
``docs/PERFORMANCE.md`` quotes them.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_KEYS = tempfile.mkdtemp(prefix="payout-bench-keys-")
atexit.register(shutil.rmtree, _KEYS, ignore_errors=True)
os.environ.pop("PAYOUT_DESK_KEYRING", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.builders.os_keyring.TestKeyring"
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))  # child scripts
os.environ["PAYOUT_DESK_TEST_KEYRING"] = _KEYS
os.environ["PAYOUT_DESK_KEY_DIR"] = _KEYS


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / max in milliseconds, rounded for the table."""
    return {
        "n": len(seconds),
        "p50_ms": round(percentile(seconds, 50) * 1000, 3),
        "p95_ms": round(percentile(seconds, 95) * 1000, 3),
        "max_ms": round(max(seconds) * 1000, 3) if seconds else float("nan"),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def build_info() -> dict[str, Any]:
    """The machine and the SQLite/SQLCipher build the app uses (sqlcipher3), for every result line."""
    import sqlalchemy
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(":memory:")
    try:
        sqlite_version = conn.execute("SELECT sqlite_version()").fetchone()[0]
        cipher_version = conn.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        conn.close()
    try:
        from importlib.metadata import version

        sqlcipher3_version = version("sqlcipher3")
    except Exception:  # a vendored or renamed build
        sqlcipher3_version = "?"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {cpu_model()}, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite_version,
        "sqlcipher": cipher_version,
        "sqlcipher3": sqlcipher3_version,
        "sqlalchemy": sqlalchemy.__version__,
    }


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    rows = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    print("  ".join(str(h).ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(cell.rjust(w) if _numeric(cell) else cell.ljust(w) for cell, w in zip(row, widths)))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _numeric(cell: str) -> bool:
    return cell.replace(".", "", 1).replace(",", "").replace("-", "", 1).replace("×", "").isdigit()


def record(name: str, figures: dict[str, Any]) -> Path:
    """Append this run's figures (with the build info) as one JSON line to ``bench/out/<name>.jsonl``."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jsonl"
    line = {"bench": name, **build_info(), **figures}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n")
    print(f"\nrecorded in {path.relative_to(ROOT)}")
    return path


def header(title: str) -> None:
    info = build_info()
    print(f"== {title} ==")
    print(f"{info['date']} · {info['machine']} · Python {info['python']} · SQLite {info['sqlite']} · "
          f"SQLCipher {info['sqlcipher']} (sqlcipher3 {info['sqlcipher3']}) · SQLAlchemy {info['sqlalchemy']}\n")


def verdict(value: float, target: float) -> str:
    return "pass" if value <= target else "MISS"
