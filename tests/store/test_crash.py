"""A payment survives a power cut: SIGKILL a paying process at random moments and check the store every time.

The child (``tests/builders/crash.py``) pays in a loop and reports each entry after COMMIT; the parent kills it
20–200 ms after its first report (``CRASH_KILLS`` times, default 30), reopens the store and checks: integrity, the
chain, every reported entry present, the outbox one to one with the journal, and no derived row without its entry.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import pytest

from tests.builders.crash import check_store, prepare_store, run_and_kill

KILLS = int(os.environ.get("CRASH_KILLS", "30"))
SEED = int(os.environ.get("CRASH_SEED", "20261205"))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_mid_payment_the_store_stays_whole(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    session_id = prepare_store(folder)
    rng = random.Random(SEED)
    reported_so_far = []
    entries_before = 1  # the session opening
    began = time.perf_counter()
    for kill in range(KILLS):
        delay = rng.uniform(0.020, 0.200)
        round_ = run_and_kill(folder, session_id, seed=rng.randrange(2**31), delay_s=delay)
        assert round_.reported, f"kill {kill}: the child reported nothing (exit {round_.returncode}):\n{round_.stderr}"
        assert round_.returncode == -9, (
            f"kill {kill}: the child ended by itself ({round_.returncode}):\n{round_.stderr}")
        reported_so_far.extend(round_.reported)
        check = check_store(folder, reported_so_far, session_id=session_id)
        assert check.entries >= entries_before + len(round_.reported), f"kill {kill}: entries went missing"
        entries_before = check.entries
    elapsed = time.perf_counter() - began
    assert check.payments > KILLS and check.reversals > 0, check
    print(f"{KILLS} kills, {check.entries} entries ({check.payments} payments, {check.reversals} reversals) "
          f"in {elapsed:.1f} s")
