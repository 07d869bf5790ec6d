"""The stolen laptop: a copy of every file the program wrote during a working day — data folder, config, cache,
temporary files, the backup and the journal file on the "USB stick" — opens nothing on another machine without a
staff member's password: not the database, not the backup, and the device key cannot sign a sync. With the password,
it does. No file holds the database key, the device key or the key slots' master key in any form.

The day runs in a child process (``tests/builders/stolen_laptop.py``) whose HOME, XDG folders and TMPDIR all sit in
one folder, on a laptop without an OS keyring (the case the disk alone would otherwise open); the thief's commands run
in other processes with another HOME, no keyring, and the copy.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from tests.builders.province import Province
from tests.builders.stolen_laptop import PASSWORD, TELLER
from tests.builders.store import Clock

ROOT = Path(__file__).resolve().parents[2]


def _user_folders(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("XDG_", "PAYOUT_DESK_", "PYTHON_KEYRING"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_STATE_HOME=str(home / ".local" / "state"),
               TMPDIR=str(home / "tmp"), PAYOUT_DESK_KEYRING="off", QT_QPA_PLATFORM="offscreen")
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    return env


def _run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, input=stdin, capture_output=True,
                          text=True, timeout=120)


def _forms(secret: bytes) -> list[bytes]:
    return [secret, secret.hex().encode(), secret.hex().upper().encode(), base64.b64encode(secret),
            base64.urlsafe_b64encode(secret)]


@pytest.mark.skipif(sys.platform == "win32", reason="HOME and XDG folders: the POSIX layout")
def test_a_copy_of_every_file_the_laptop_wrote_opens_nothing_without_a_password(tmp_path):
    province = Province(f"sqlite:///{tmp_path}/server.db", tmp_path / "province",
                        Clock(dt.datetime.now(dt.UTC)))
    try:
        home = tmp_path / "laptop-user"
        day = subprocess.run([sys.executable, "-m", "tests.builders.stolen_laptop", province.url,
                              province.enrol_code()], cwd=ROOT, env=_user_folders(home), capture_output=True,
                             text=True, timeout=180)
        assert day.returncode == 0, day.stdout + day.stderr
        secrets = json.loads(day.stdout.strip().splitlines()[-1])
        written = [path for path in home.rglob("*") if path.is_file()]
        data_dir = Path(secrets["data_dir"])
        assert data_dir.is_relative_to(home) and (data_dir / "payout.db").exists()
        names = {path.name for path in written}
        assert {"payout.db", "keyslots.json", "sao-luu.db", "sao-luu.db.sealed-key", "nhat-ky.json",
                "bien-nhan.pdf"} <= names, names
        assert any(path.suffix == ".conf" for path in written), "the desk's settings were not written"

        # The thief copies all of it to another machine: another user, no OS keyring.
        stolen = tmp_path / "thief" / "copy"
        shutil.copytree(home, stolen, symlinks=True)
        for path in (p for p in stolen.rglob("*") if p.is_file()):
            content = path.read_bytes()
            for name in ("database", "device", "master"):
                assert not any(form in content for form in _forms(bytes.fromhex(secrets[name]))), (name, path)
        copied = stolen / data_dir.relative_to(home)
        thief = _user_folders(tmp_path / "thief" / "home")
        thief["PAYOUT_DESK_KEY_DIR"] = str(stolen / ".config" / "payout-desk" / "keys")  # where keys used to be

        # The database and the backup do not open as SQLite, nor with an empty key.
        for database in (copied / "payout.db", stolen / "usb" / "sao-luu.db"):
            with pytest.raises(sqlite3.DatabaseError):
                sqlite3.connect(database).execute("SELECT count(*) FROM sqlite_master").fetchone()
            raw = sqlcipher.connect(str(database))
            try:
                with pytest.raises(sqlcipher.DatabaseError):
                    raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                raw.close()

        # Nothing opens without a password; the device key cannot sign a sync or a journal file.
        data = ["--data-dir", str(copied)]
        commands = (["verify"], ["sync"], ["export-journal", str(tmp_path / "thief" / "j.json")])
        for left, command in zip((4, 3, 2), commands):
            refused = _run(thief, *command, *data, "--as", TELLER, "--password-stdin", stdin="doan-mo\n")
            assert refused.returncode == 2 and f"(còn {left} lần thử)" in refused.stderr, refused.stderr
        asked = _run(thief, "sync", *data, "--password-stdin")  # nobody named: nothing to try
        assert asked.returncode == 2 and "--as" in asked.stderr
        assert not (tmp_path / "thief" / "j.json").exists()
        assert len(province.entries()) == 2  # the session and the payment, sent by the laptop itself

        # With the teller's password it opens, and the device key signs: the province accepts the copy's sync.
        opened = _run(thief, "verify", *data, "--as", TELLER, "--password-stdin", stdin=PASSWORD + "\n")
        assert opened.returncode == 0 and "hợp lệ" in opened.stdout, opened.stderr
        synced = _run(thief, "sync", *data, "--as", TELLER, "--password-stdin", stdin=PASSWORD + "\n")
        assert synced.returncode == 0 and "Đồng bộ xong" in synced.stdout, synced.stdout + synced.stderr
    finally:
        province.close()
