"""A restore holds the store's writer lock from its check to the overwrite: a payment another process attempts in
between waits (or, past the wait, is refused with a message) and lands on the restored data — never under it, lost
from the live store and from the safety copy alike. Two real processes; the child's window is widened by a test hook
(``tests/builders/restore_race.py``)."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from app.domain.errors import StoreError
from app.store import locking
from app.store.database import raw_connect
from tests.builders import restore_race
from tests.builders.province import DUC_MONTHLY, DUC_SUPPLEMENT, key
from tests.builders.store import DUC, request

DUC_PENSION = key(DUC, "pension", programme="luong_huu")


@pytest.mark.skipif(sys.platform == "win32", reason="the child's stdin handshake is POSIX-only here")
@pytest.mark.parametrize("force", [False, True], ids=["checked", "forced"])
def test_a_payment_during_a_restore_waits_and_is_never_lost(store, session_id, tmp_path, force, monkeypatch):
    store.payouts.pay(request(session_id, DUC, [DUC_MONTHLY]))
    backup = store.maintenance.backup(tmp_path / "backup.db").path
    dropped = None
    if force:  # an entry the backup lacks: a forced restore drops it, keeping it in the safety copy
        dropped = store.payouts.pay(request(session_id, DUC, [DUC_PENSION]))

    child = restore_race.start(store.folder, backup, force=force)
    try:
        monkeypatch.setattr(locking, "WAIT_SECONDS", 0.3)
        with pytest.raises(StoreError) as refused:  # a short wait: refused with a message, nothing written
            store.payouts.pay(request(session_id, DUC, [DUC_SUPPLEMENT]))
        assert refused.value.code == "store_busy" and "thử lại" in refused.value.message("vi")
        monkeypatch.setattr(locking, "WAIT_SECONDS", 60.0)

        done: dict[str, object] = {}

        def pay() -> None:
            try:
                done["payment"] = store.payouts.pay(request(session_id, DUC, [DUC_SUPPLEMENT]))
            except BaseException as error:  # reported below
                done["error"] = error

        payer = threading.Thread(target=pay)
        payer.start()
        time.sleep(0.5)
        assert not done, f"the payment did not wait for the restore: {done}"
        dropped_count, safety = restore_race.finish(child)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    payer.join(30)
    assert "error" not in done, done.get("error")
    payment = done["payment"]

    with_it = {row.entry_id for row in store.payouts.person(DUC).payments}
    assert payment.entry_id in with_it  # landed on the restored data
    assert store.maintenance.verify().ok and len(store.maintenance.restores()) == 1
    assert payment.seq == 3  # the session's opening, Đức's monthly line (in the backup), then this one
    if force:
        assert dropped_count == 1 and dropped.entry_id not in with_it
        copy = raw_connect(__import__("pathlib").Path(safety), store.key)
        try:
            kept = {row[0] for row in copy.execute("SELECT entry_id FROM journal")}
        finally:
            copy.close()
        assert dropped.entry_id in kept and payment.entry_id not in kept
    else:
        assert dropped_count == 0
