"""Hostile and big payout lists through the real commands and the console: the bounds of issue 17, point 1.

Parts (``--part bombs|big|console|all``; the files are written as raw zipped XML in seconds):

- **bombs** — the attacker's files: a cell bomb (350 MB of one letter in a ~360 KB .xlsx, in the shared strings as
  Excel writes text, and inline in the sheet) and a row bomb (3,000,000 bad rows: an ~80 MB .xlsx and a ~119 MB
  CSV). ``payout-desk import-list`` and ``payout-server import-list`` each run in a fresh process; wall time and peak
  RSS (the child's own ``ru_maxrss`` from ``wait4``). Baseline: the same command importing a one-line list (its own
  start-up and store). Targets: refused in ≤ 5 s with peak RSS ≤ 300 MB.
- **big** — a valid 314,624-line CSV (95 MB; 261,000 people in 1,800 communes: three demo provinces of 600 communes
  renumbered into one) imported by both commands into fresh stores. Baseline: the csv module iterating the file
  (raw parse, nothing checked, nothing kept). Target: peak RSS ≤ 500 MB. Before: 73 s / 1.70 GB (desk) and
  67 s / 1.74 GB (server) on this machine.
- **console** — the real server process on SQLite; an officer uploads the cell bomb, then a valid 45,000-line CSV
  (14 MB, under the 16 MB request limit), while a thread asks ``/api/v1/health`` every 20 ms. Health p50 / p95 / max
  during each upload, the time to the job's outcome, the server's and the worker's peak RSS. Target: health
  ≤ 100 ms throughout.

Run: ``python bench/bench_list_bounds.py [--part P] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import benchlib
from benchlib import ROOT, print_table, record, summary_ms, verdict
from tests.builders import hostile_lists

TARGET_BOMB_S = 5.0
TARGET_BOMB_MB = 300
TARGET_BIG_MB = 500
TARGET_HEALTH_MS = 100


_PEAK = """
import atexit, os, runpy, sys
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(os.environ["BENCH_PEAK_FILE"], "w").write(line.split()[1])
atexit.register(report)
module, sys.argv = sys.argv[1], sys.argv[1:]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""
"""Runs ``python -m MODULE ARGS`` and writes its own resident peak (``VmHWM``, KB) to ``$BENCH_PEAK_FILE`` at exit.

Not ``wait4``'s ``ru_maxrss``: on Linux it also counts the parent's pages the child had between fork and exec, so
a child of a big benchmark process would show the benchmark's memory."""


def run_measured(command: list[str]) -> tuple[float, float, int, str]:
    """(wall s, peak RSS MB, exit code, first line of output) of ``python -m MODULE …`` in its own process."""
    assert command[0] == sys.executable and command[1] == "-m"
    with tempfile.NamedTemporaryFile(prefix="peak-", suffix=".kb", delete=False) as handle:
        peak_file = Path(handle.name)
    try:
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PEAK, *command[2:]], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env={**os.environ, "BENCH_PEAK_FILE": str(peak_file)})
        wall = time.perf_counter() - began
        peak_mb = int(peak_file.read_text() or 0) / 1024
    finally:
        peak_file.unlink(missing_ok=True)
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    return wall, peak_mb, done.returncode, (lines[0] if lines else "")[:110]


def desk(file: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "app", "import-list", str(file), "--data-dir", str(folder)]


def server(file: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "server.cli", "--data", str(folder), "import-list", str(file)]


def fresh_desk(folder: Path) -> Path:
    """A desk data folder set up as on a laptop with an OS keyring (its first supervisor made)."""
    if folder.exists():
        shutil.rmtree(folder)
    subprocess.run([sys.executable, "-m", "app", "user", "add", "giamsat", "--role", "supervisor",
                    "--password-stdin", "--data-dir", str(folder)], input=b"mat-khau-giam-sat\n", cwd=ROOT,
                   check=True, capture_output=True)
    return folder


def fresh_server(folder: Path) -> Path:
    from server.settings import ServerSettings
    from server.setup import init_server
    from tests.builders.province import offline_recovery_key

    if folder.exists():
        shutil.rmtree(folder)
    key_file = folder.parent / f"{folder.name}-key.txt"
    key_file.unlink(missing_ok=True)
    init_server(ServerSettings(data_dir=folder), offline_recovery_key(key_file))
    return folder


def one_line_list(folder: Path) -> Path:
    return hostile_lists.valid_xlsx(folder / "mot-dong.xlsx")


def bombs(work: Path) -> dict[str, Any]:
    began = time.perf_counter()
    files = {
        "cell bomb, shared strings (350 MB)": hostile_lists.cell_bomb(work / "o-chu.xlsx", 350),
        "cell bomb, inline (350 MB)": hostile_lists.cell_bomb(work / "o-trong-bang.xlsx", 350, shared=False),
        "row bomb .xlsx (3,000,000 rows)": hostile_lists.row_bomb(work / "3m-dong.xlsx", 3_000_000),
        "row bomb .csv (3,000,000 rows)": hostile_lists.csv_row_bomb(work / "3m-dong.csv", 3_000_000),
    }
    print(f"bombs written in {time.perf_counter() - began:.0f} s: "
          + ", ".join(f"{path.name} {path.stat().st_size / 1e6:.1f} MB" for path in files.values()) + "\n")
    baseline_file = one_line_list(work)
    rows: list[list[Any]] = []
    figures: dict[str, Any] = {}
    for side, command in (("desk", desk), ("server", server)):
        make = fresh_desk if side == "desk" else fresh_server
        base_wall, base_rss, code, _ = run_measured(command(baseline_file, make(work / f"{side}-base")))
        assert code == 0, f"{side} baseline failed"
        rows.append([side, "one-line list (baseline)", base_wall, base_rss, "1.0×", "imported"])
        figures[f"{side}_baseline"] = {"s": round(base_wall, 2), "rss_mb": round(base_rss)}
        for name, path in files.items():
            wall, rss, code, said = run_measured(command(path, make(work / f"{side}-bomb")))
            assert code == 2, (side, name, code, said)
            rows.append([side, name, wall, rss, f"{wall / base_wall:.1f}×",
                         f"{verdict(wall, TARGET_BOMB_S)}/{verdict(rss, TARGET_BOMB_MB)}: {said[:60]}"])
            figures[f"{side}: {name}"] = {"s": round(wall, 2), "rss_mb": round(rss), "said": said,
                                          "target": verdict(wall, TARGET_BOMB_S) == verdict(rss, TARGET_BOMB_MB)
                                          == "pass"}
    print_table(["command", "file", "wall s", "peak RSS MB", "× baseline", "targets (≤5 s / ≤300 MB): refusal"],
                rows)
    return figures


def big_csv(path: Path) -> Path:
    """Three demo provinces of 600 communes × 145 people, renumbered into one province: 314,624 lines."""
    from app.lists.demo import DemoSpec, generate_demo_rows
    from app.lists.writer import write_list_csv

    parts = []
    for number, id_province in enumerate(("022", "031", "001")):
        rows = generate_demo_rows(DemoSpec(communes=600, people_per_commune=145, seed=number + 1,
                                           payout_period="2026-12", id_province=id_province))
        for row in rows:
            if row.get("line_id"):
                row["line_id"] = f"P{number}{row['line_id']}"
            row["record_code"] = re.sub(r"-(\d{5})-", lambda m: f"-{number}{m.group(1)}-",  # noqa: B023 - now
                                        str(row["record_code"]))
            row["commune_code"] = f"QNH-{int(str(row['commune_code'])[4:]) + number * 600:04d}"
        part = path.with_suffix(f".{number}")
        write_list_csv(part, rows, payout_period="2026-12")
        parts.append(part)
    with open(path, "wb") as out:
        for number, part in enumerate(parts):
            with open(part, "rb") as handle:
                if number:
                    handle.readline()  # the header once
                shutil.copyfileobj(handle, out)
            part.unlink()
    return path


def raw_csv_baseline(path: Path) -> tuple[float, float]:
    """The csv module over every record of the file, nothing kept (``bench/raw_csv.py``)."""
    wall, rss, exit_code, _ = run_measured([sys.executable, "-m", "bench.raw_csv", str(path)])
    assert exit_code == 0
    return wall, rss


def big(work: Path) -> dict[str, Any]:
    path = work / "danh-sach-314k.csv"
    if not path.exists():
        began = time.perf_counter()
        big_csv(path)
        print(f"{path.name}: {path.stat().st_size / 1e6:.0f} MB written in {time.perf_counter() - began:.0f} s\n")
    base_wall, base_rss = raw_csv_baseline(path)
    rows = [["csv module, every record (raw)", base_wall, base_rss, "1.0×", ""]]
    figures: dict[str, Any] = {"csv_bytes": path.stat().st_size, "raw": {"s": round(base_wall, 2),
                                                                          "rss_mb": round(base_rss)}}
    for side, command, make in (("desk", desk, fresh_desk), ("server", server, fresh_server)):
        wall, rss, code, said = run_measured(command(path, make(work / f"{side}-big")))
        assert code == 0, (side, said)
        rows.append([f"{side} import-list", wall, rss, f"{wall / base_wall:.0f}×",
                     f"{verdict(rss, TARGET_BIG_MB)}: {said[:70]}"])
        figures[side] = {"s": round(wall, 1), "rss_mb": round(rss), "target": verdict(rss, TARGET_BIG_MB)}
    print_table(["step", "wall s", "peak RSS MB", "× raw", "target (≤ 500 MB)"], rows)
    return figures


def _worker_peak(stop: threading.Event, peaks: list[float]) -> None:
    """The highest VmHWM of any ``server.list_worker`` process seen while ``stop`` is not set."""
    while not stop.is_set():
        for status in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if b"server.list_worker" not in status.read_bytes():
                    continue
                for line in (status.parent / "status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        stop.wait(0.05)


def console(work: Path) -> dict[str, Any]:
    from tests.builders.console import OfficerSession
    from tests.builders.server_process import HealthWatch, ServerProcess

    big_file = work / "danh-sach-314k.csv"
    if not big_file.exists():
        big_csv(big_file)
    upload = work / "danh-sach-45k.csv"
    with open(big_file, encoding="utf-8") as source, open(upload, "w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number > 45_000:
                break
            target.write(line)
    bomb = work / "o-chu.xlsx"
    if not bomb.exists():
        hostile_lists.cell_bomb(bomb, 350)
    folder = work / "console-server"
    if folder.exists():
        shutil.rmtree(folder)
    running = ServerProcess(folder, f"sqlite:///{folder}-db.sqlite")
    rows: list[list[Any]] = []
    figures: dict[str, Any] = {}
    try:
        tinh = OfficerSession(running.url)
        tinh.sign_in("tinh", "pw-tinh")
        with HealthWatch(running.url) as idle:
            time.sleep(2)
        rows.append(["no upload (baseline)", "", *_health(idle.times), "", ""])
        figures["idle"] = summary_ms(idle.times)
        for name, path in (("cell bomb (350 MB in 360 KB)", bomb), ("valid 45,000-line CSV (14 MB)", upload)):
            tinh.get("/console/lists")
            stop, peaks = threading.Event(), [0.0]
            sampler = threading.Thread(target=_worker_peak, args=(stop, peaks))
            sampler.start()
            with HealthWatch(running.url) as watch:
                began = time.perf_counter()
                page = tinh.upload_list(path, timeout=600)
                took = time.perf_counter() - began
            stop.set()
            sampler.join()
            outcome = "imported" if "list-result" in page.text else "refused" if page.status_code == 400 else "?"
            p50, p95, worst = _health(watch.times)
            rows.append([name, f"{took:.1f} s → {outcome}", p50, p95, worst, f"{max(peaks):.0f}",
                         verdict(worst, TARGET_HEALTH_MS)])
            figures[name] = {"job_s": round(took, 2), "outcome": outcome, "health": summary_ms(watch.times),
                             "worker_rss_mb": round(max(peaks)), "target": verdict(worst, TARGET_HEALTH_MS)}
        figures["server_rss_mb"] = round(running.peak_rss_mb())
    finally:
        running.stop()
    print_table(["upload", "job", "health p50 ms", "p95 ms", "max ms", "worker peak MB", "max ≤ 100 ms"], rows)
    print(f"\nthe server process's peak RSS over all of it: {figures['server_rss_mb']} MB")
    return figures


def _health(times: list[float]) -> tuple[float, float, float]:
    summary = summary_ms(times)
    return summary["p50_ms"], summary["p95_ms"], summary["max_ms"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("bombs", "big", "console", "all"), default="all")
    parser.add_argument("--keep", help="a folder to write the files into and keep (reused by later runs)")
    args = parser.parse_args()
    benchlib.header("hostile and big payout lists: bounded reading")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="payout-bench-lists-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    figures: dict[str, Any] = {}
    try:
        if args.part in ("bombs", "all"):
            print("-- bombs --")
            figures["bombs"] = bombs(work)
        if args.part in ("big", "all"):
            print("\n-- a valid 314,624-line CSV --")
            figures["big"] = big(work)
        if args.part in ("console", "all"):
            print("\n-- the console: uploads while the health call is asked every 20 ms --")
            figures["console"] = console(work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    figures["loadavg"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(f"\n(load average {figures['loadavg'][0]} → {figures['loadavg'][1]} on {os.cpu_count()} cores)")
    record("list_bounds", figures)


if __name__ == "__main__":
    main()
