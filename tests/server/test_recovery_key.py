"""The province recovery private key never stays on the server: whoever copies the server's data folder and database
cannot open any laptop's database key; the officer's key file (or paper key) with its passphrase can. Passwords and
passphrases never come as command-line arguments. On SQLite and PostgreSQL, with real files and processes.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from reportlab.graphics.barcode.qr import QrCodeWidget
from sqlalchemy import MetaData, select

from app.wire import sealing
from app.wire.errors import ProtocolError
from server import accounts, db, recovery_key
from server.cli import main as server_main
from server.paper_key import _qr
from server.settings import ServerSettings
from server.setup import init_server, legacy_plain_keys
from tests.builders.province import CHEAP_KDF, DUC_MONTHLY, RECOVERY_PASSPHRASE, Province
from tests.builders.store import DUC

ROOT = Path(__file__).resolve().parents[2]
CHEAP = {"PAYOUT_SERVER_KDF_MEMORY_MIB": "8", "PAYOUT_SERVER_DB": ""}


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    yield running
    running.close()


def payout_server(*args: str, stdin: str = "", env: dict[str, str] | None = None,
                  cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``payout-server`` as its own process."""
    return subprocess.run([sys.executable, "-m", "server.cli", *args], input=stdin, capture_output=True, text=True,
                          timeout=60, cwd=cwd or ROOT, env={**os.environ, **CHEAP, **(env or {})})


def forms_of(key: bytes) -> list[bytes]:
    """The ways a 32-byte key could sit in a file: raw, hex, base64, base32."""
    return [key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key),
            base64.urlsafe_b64encode(key).rstrip(b"="), base64.b32encode(key).rstrip(b"=")]


def database_text(province: Province) -> bytes:
    """Every row of every table of the server's database, as text."""
    metadata = MetaData()
    metadata.reflect(province.engine)
    out = io.StringIO()
    with province.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                out.write(repr(tuple(row)))
    return out.getvalue().encode("utf-8", "replace")


def test_a_copy_of_the_servers_data_folder_and_database_opens_no_laptop_the_key_file_with_its_passphrase_does(
        province: Province, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    device = province.device("laptop")
    payment = device.pay(DUC, [DUC_MONTHLY])
    backup = tmp_path / "dead-laptop" / "payout.bak"
    device.store.maintenance.backup(backup)
    with province.engine.connect() as conn:
        row = accounts.device_row(conn, device.store.device_id)
    assert row is not None
    sealed = row["sealed_key"]
    assert sealed

    # What a thief copies: the data folder and the database. The private key is in neither, in any form.
    stolen = shutil.copytree(province.settings.data_dir, tmp_path / "stolen")
    everything = b"".join(path.read_bytes() for path in Path(stolen).rglob("*") if path.is_file())
    everything += database_text(province)
    private = recovery_key.unlock(recovery_key.read_key_text(province.recovery_key_file).code or "",
                                  RECOVERY_PASSPHRASE)
    assert all(form not in everything for form in forms_of(private))
    candidates = {bytes.fromhex(text.decode()) for text in re.findall(rb"[0-9a-fA-F]{64}", everything)}
    for candidate in candidates:  # device keys, hashes, the public key...: none opens the sealed key
        with pytest.raises(ProtocolError):
            sealing.unseal(candidate, sealed, sealing.SEAL_DATABASE_KEY)
    assert province.recovery_key_file.stat().st_mode & 0o077 == 0

    # The officer, with the key file from the USB stick and the passphrase, opens the dead laptop's backup.
    server = ["--data", str(province.settings.data_dir), "--db", province.settings.database_url]
    out = tmp_path / "opened.sqlite"
    recover = ["recover-backup", str(backup), "--out", str(out), "--device", device.store.device_id,
               "--key", str(province.recovery_key_file), "--passphrase-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("not the passphrase\n"))
    assert server_main(server + recover) == 2 and not out.exists()
    assert "sai cụm mật khẩu" in capsys.readouterr().err
    opened = payout_server(*server, *recover, stdin=RECOVERY_PASSPHRASE + "\n")  # as its own process
    assert opened.returncode == 0, opened.stderr
    with sqlite3.connect(out) as plain:
        assert plain.execute("SELECT count(*) FROM journal WHERE entry_id = ?", (payment.entry_id,)).fetchone() == (1,)

    # The paper key: its text, typed (here: copied out of the PDF) into a file, opens it too.
    paper = tmp_path / "paper.pdf"
    monkeypatch.setattr("sys.stdin", io.StringIO(RECOVERY_PASSPHRASE + "\n" + RECOVERY_PASSPHRASE + "\n"))
    assert server_main(server + ["paper-key", "--key", str(province.recovery_key_file), "--out", str(paper),
                                 "--passphrase-stdin"]) == 0
    page = pypdf.PdfReader(paper).pages[0].extract_text()
    assert "KHÓA KHÔI PHỤC CỦA TỈNH" in page and "Cụm mật khẩu do người khác giữ" in page
    typed = tmp_path / "typed-from-paper.txt"
    typed.write_text(page, encoding="utf-8")
    again = tmp_path / "opened-again.sqlite"
    assert server_main(server + ["recover-backup", str(backup), "--out", str(again), "--device",
                                 device.store.device_id, "--key", str(typed), "--passphrase-stdin"]) == 0
    assert again.exists()
    code = recovery_key.read_key_text(province.recovery_key_file).code or ""
    widget = _qr(code).contents[0]
    assert isinstance(widget, QrCodeWidget) and widget.value == code.replace(" ", "")  # the QR code holds the code


def test_init_writes_the_key_only_encrypted_outside_the_data_folder_and_takes_no_secret_as_an_argument(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    usb = tmp_path / "usb"
    done = payout_server("--data", str(data), "init", "--key-out", str(usb / "key.txt"), "--paper",
                         str(usb / "paper.pdf"), "--passphrase-stdin", stdin="một câu thơ có số 12\n")
    assert done.returncode == 0, done.stderr
    assert "Move this file to offline media" in done.stdout and "XÓA khỏi máy này" in done.stdout
    assert sorted(path.name for path in data.iterdir()) == ["server.db"]
    assert (usb / "key.txt").stat().st_mode & 0o777 == 0o600 and (usb / "paper.pdf").stat().st_mode & 0o777 == 0o600
    public = re.search(r"recovery public key: ([0-9a-f]{64})", done.stdout).group(1)  # type: ignore[union-attr]
    key = recovery_key.unlock(recovery_key.read_key_text(usb / "key.txt").code or "", "một câu thơ có số 12")
    assert sealing.recovery_public_key(key) == public

    monkeypatch.setenv("PAYOUT_SERVER_DB", "")
    args = ["--data", str(data)]
    refusals = [
        (["init", "--rotate", "--key-out", str(data / "key.txt"), "--passphrase-stdin"], "thư mục dữ liệu",
         "một câu thơ có số 12\n"),
        (["init", "--rotate", "--key-out", str(usb / "k2.txt"), "--passphrase-stdin"], "ít nhất 12 ký tự", "ngắn\n"),
        (["init", "--rotate", "--key-out", str(usb / "k3.txt"), "--passphrase", "một câu thơ có số 12"],
         "never taken on the command line", ""),
        (["add-user", "tinh", "--role", "officer", "--commune", "*", "--password", "pw-tinh-123"],
         "never taken on the command line", ""),
    ]
    for command, message, stdin in refusals:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        assert server_main(args + command) == 2, command
        assert message in capsys.readouterr().err, command
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-tinh-123\n"))
    assert server_main(args + ["add-user", "tinh", "--role", "officer", "--commune", "*", "--password-stdin"]) == 0
    engine = db.make_engine(f"sqlite:///{data / 'server.db'}")
    try:
        with engine.connect() as conn:
            assert accounts.check_password(conn, "tinh", "pw-tinh-123") is not None
            assert db.get_meta(conn, "recovery_public_key") == public  # no refused rotation changed the key
    finally:
        engine.dispose()
    assert sorted(path.name for path in data.iterdir()) == ["server.db"]


def test_a_server_set_up_before_is_told_to_protect_its_plain_key_and_one_command_does_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    current, older = sealing.new_recovery_key(), sealing.new_recovery_key()
    (data / "recovery.key").write_text(current.hex() + "\n")
    (data / "recovery.key.20260101T000000").write_text(older.hex() + "\n")
    settings = ServerSettings(data_dir=data, database_url=f"sqlite:///{data / 'server.db'}")
    assert init_server(settings).public_key == sealing.recovery_public_key(current)  # as the old version made it

    monkeypatch.setenv("PAYOUT_SERVER_DB", "")
    args = ["--data", str(data)]
    assert server_main(args + ["init"]) == 0
    warning = capsys.readouterr().err
    assert "KHÔNG MÃ HÓA" in warning and "protect-recovery-key --key-out" in warning

    usb = tmp_path / "usb"
    monkeypatch.setattr("sys.stdin", io.StringIO("một câu thơ có số 12\n"))
    monkeypatch.setattr(recovery_key.KdfCost, "from_environment", classmethod(lambda cls: CHEAP_KDF))
    assert server_main(args + ["protect-recovery-key", "--key-out", str(usb / "key.txt"), "--passphrase-stdin"]) == 0
    assert legacy_plain_keys(settings) == () and sorted(path.name for path in data.iterdir()) == ["server.db"]
    for name, key in (("key.txt", current), ("key-20260101T000000.txt", older)):
        code = recovery_key.read_key_text(usb / name).code or ""
        assert recovery_key.unlock(code, "một câu thơ có số 12") == key
    capsys.readouterr()
    assert server_main(args + ["init"]) == 0
    assert "KHÔNG MÃ HÓA" not in capsys.readouterr().err
