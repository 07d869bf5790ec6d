"""A laptop's working day in a child process whose user folders (HOME, XDG data/config/cache, TMPDIR) all sit in one
test folder, so that every file the program writes lands there: the thief's copy in
``tests/store/test_stolen_laptop.py`` is then simply that whole folder.

Run as ``python -m tests.builders.stolen_laptop SERVER_URL ENROL_CODE`` from the repository's root with those folders
in its environment: it enrols through the command line (the teller's password makes the first key slot), pays a
person, prints the receipt, takes a backup, writes the offline journal for a USB stick, syncs, opens the desk window
(settings written, screen locked and unlocked), and prints one JSON line with the secrets a thief must never find in
those files: the database key, the device key and the master key of the key slots. Key slots are made cheap here
(test speed); the files are what is tested, not the cost.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

TELLER, PASSWORD = "giaodich", "pw-teller"


def _cli(*args: str, stdin: str = "") -> int:
    from app.cli import main

    sys.stdin = io.StringIO(stdin)
    try:
        return main(list(args))
    finally:
        sys.stdin = sys.__stdin__


def laptop_day(server_url: str, code: str) -> dict[str, str]:
    from app.store import keyslots
    from app.store.keyslots import Credentials, KdfParams
    from app.store.store import Store, default_data_dir
    from tests.builders.store import DUC, request

    keyslots.SLOT_KDF = KdfParams(1, 8 * 1024, 1)
    home = Path(os.environ["HOME"])
    (home / "Documents").mkdir(parents=True, exist_ok=True)  # the teller's own folder for printed documents
    assert _cli("enrol", server_url, code, "--as", TELLER, "--password-stdin", stdin=PASSWORD + "\n") == 0
    store, _staff = Store.open_as(default_data_dir(), Credentials(TELLER, PASSWORD))
    try:
        session = store.payouts.open_session(commune_code="QNH-0001", point_id="QNH-0001/nha-van-hoa-thon-dong",
                                             day=store.province_time.day_of(store.clock()), cash_advance=50_000_000,
                                             staff=TELLER)
        view = store.payouts.person(DUC, session.session_id)
        payment = store.payouts.pay(request(session.session_id, DUC, view.selected))
        device_key = store.sync.device_key()
        assert device_key is not None and isinstance(store.vault, keyslots.Vault)  # enrolled, with a vault
        secrets = {"database": store.key.hex(), "device": device_key.hex(),
                   "master": store.vault._master.hex(), "payment": payment.entry_id,  # the test's eyes
                   "data_dir": str(store.folder), "device_id": store.device_id}
    finally:
        store.close()
    opener = ["--as", TELLER, "--password-stdin"]
    assert _cli("print", "receipt", "--payment", secrets["payment"], "--out", str(home / "Documents" / "bien-nhan.pdf"),
                *opener, stdin=PASSWORD + "\n") == 0
    assert _cli("backup", str(home / "usb" / "sao-luu.db"), *opener, stdin=PASSWORD + "\n") == 0
    assert _cli("export-journal", str(home / "usb" / "nhat-ky.json"), *opener, stdin=PASSWORD + "\n") == 0
    assert _cli("sync", *opener, stdin=PASSWORD + "\n") == 0
    _desk_window(Credentials(TELLER, PASSWORD))
    return secrets


def _desk_window(credentials) -> None:  # credentials: Credentials
    """The window as a teller uses it: settings saved, the screen locked and unlocked."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.lists.policy import load_policy
    from app.store.store import Store, default_data_dir
    from app.ui.main_window import MainWindow
    from app.ui.settings import IDLE_LOCK_MINUTES, qsettings
    from app.ui.tasks import DbRunner

    app = QApplication.instance() or QApplication([])
    IDLE_LOCK_MINUTES.set(qsettings(), 3)
    qsettings().sync()
    runner = DbRunner()
    store, staff = runner.run_sync(lambda: Store.open_as(default_data_dir(), credentials))
    window = MainWindow(runner, store, staff, load_policy(), "vi")
    window.show()
    window.lock()
    lock_screen = window.lock_screen
    assert lock_screen is not None  # just locked
    lock_screen.password.setText(credentials.password)
    lock_screen.sign_in_button.click()
    while window.locked:
        app.processEvents()
    window.close()
    runner.run_sync(store.close)
    runner.stop()


if __name__ == "__main__":
    print(json.dumps(laptop_day(sys.argv[1], sys.argv[2])))
