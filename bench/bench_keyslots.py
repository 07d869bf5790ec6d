"""Key slots: the cost of opening a laptop with a staff member's password (Argon2id at the program's ``SLOT_KDF``),
against the bare Argon2id derivation with the same parameters, and what a thief pays per guess.

The target is about half a second per password on the reference machine: slow enough that guessing a password from a
stolen disk costs that much per guess per slot (and the memory, 320 MiB, per guess in parallel), fast enough for the
first sign-in of the day. Also measured: opening through the OS keyring's slot (no Argon2id) and making a new slot.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw

import benchlib
from app.domain.model import Role
from app.store import keyslots
from app.store.keys import os_keyring
from app.store.keyslots import Credentials
from app.store.store import Store

TARGET_S = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    benchlib.header("key slots: opening the laptop with a password")
    cost = keyslots.SLOT_KDF
    with tempfile.TemporaryDirectory(prefix="payout-bench-slots-") as tmp:
        folder = Path(tmp) / "data"
        began = time.perf_counter()
        with Store.open(folder) as store:
            store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mật-khẩu-của-Lan")
        made_s = time.perf_counter() - began
        raw, slot, keyring = [], [], []
        for _ in range(args.runs):
            salt = os.urandom(16)
            start = time.perf_counter()
            hash_secret_raw(b"mat-khau-cua-Lan", salt, cost.time_cost, cost.memory_kib, cost.parallelism, 32, Type.ID)
            raw.append(time.perf_counter() - start)
            start = time.perf_counter()
            keyslots.open_with_password(folder, Credentials("lan", "mật-khẩu-của-Lan"))
            slot.append(time.perf_counter() - start)
            start = time.perf_counter()
            assert keyslots.open_with_keyring(folder, os_keyring()) is not None
            keyring.append(time.perf_counter() - start)
        start = time.perf_counter()
        os.environ["PAYOUT_DESK_KEYRING"] = "off"
        opened, _staff = Store.open_as(folder, Credentials("lan", "mật-khẩu-của-Lan"))
        open_as_s = time.perf_counter() - start
        opened.close()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if sys.platform != "darwin" else float("nan")
    p50_slot, p50_raw = statistics.median(slot), statistics.median(raw)
    benchlib.print_table(
        ["what", "p50 s", "max s", "ratio", "target", "result"],
        [
            [f"Argon2id raw (t={cost.time_cost}, m={cost.memory_kib // 1024} MiB, p={cost.parallelism})",
             p50_raw, max(raw), "1.00×", "—", "—"],
            ["password slot unwrap", p50_slot, max(slot), f"{p50_slot / p50_raw:.2f}×", f"≈ {TARGET_S} s",
             "pass" if 0.25 <= p50_slot <= 1.0 else "MISS"],
            ["OS keyring slot unwrap", statistics.median(keyring), max(keyring), "—", "—", "—"],
            ["Store.open_as (slot + verifier + migrate check)", open_as_s, open_as_s, "—", "—", "—"],
            ["first slot made (staff.add)", made_s, made_s, "—", "—", "—"],
        ],
    )
    print(f"\npeak RSS {peak_mib:.0f} MiB")
    benchlib.record("keyslots", {"kdf": {"t": cost.time_cost, "m_kib": cost.memory_kib, "p": cost.parallelism},
                                 "raw_p50_s": round(p50_raw, 3), "slot_p50_s": round(p50_slot, 3),
                                 "slot_max_s": round(max(slot), 3),
                                 "keyring_p50_s": round(statistics.median(keyring), 4),
                                 "open_as_s": round(open_as_s, 3), "first_slot_s": round(made_s, 3),
                                 "peak_rss_mib": round(peak_mib)})


if __name__ == "__main__":
    main()
