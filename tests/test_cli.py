"""The payout-desk command line: the whole path a user takes, its messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from app.cli import main
from app.store import database
from app.store.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_demo_list_import_search_verify_backup_restore(tmp_path, capsys):
    data = str(tmp_path / "data")
    xlsx = str(tmp_path / "list.xlsx")

    code, out, _ = run(capsys, "demo-data", "--communes", "3", "--seed", "7", "--period", "2026-12", "--out", xlsx)
    assert code == 0 and "3 xã" in out

    code, out, _ = run(capsys, "import-list", xlsx, "--data-dir", data)
    assert code == 0 and "Đã nhập danh sách kỳ 12/2026" in out
    assert "Đối chiếu danh sách: tổng" in out and "Tiền mặt tại" in out  # the list reconciled with itself
    assert "Tổng cộng" not in out  # the demo list's own total agrees with its lines

    code, out, _ = run(capsys, "--data-dir", data, "import-list", xlsx)
    assert code == 0 and "không có gì thay đổi" in out

    code, out, _ = run(capsys, "search", "nguyen van duc", "--json", "--data-dir", data)
    hits = json.loads(out)["hits"]
    assert code == 0 and hits[0]["full_name"] == "Nguyễn Văn Đức"

    code, out, _ = run(capsys, "search", "dang thi hue", "--data-dir", data, "--lang", "en")
    assert code == 0 and "Đặng Thị Huệ" in out and "Relative of a martyr" in out

    code, out, _ = run(capsys, "verify", "--data-dir", data)
    assert code == 0 and "hợp lệ" in out

    code, out, _ = run(capsys, "backup", str(tmp_path / "b.db"), "--data-dir", data)
    assert code == 0
    code, _, err = run(capsys, "backup", str(tmp_path / "b.db"), "--data-dir", data)
    assert code == 2 and "đã tồn tại" in err
    code, out, _ = run(capsys, "restore", str(tmp_path / "b.db"), "--data-dir", data)
    assert code == 0 and "Đã khôi phục" in out


def test_bad_input_exits_2_with_one_line_per_problem(tmp_path, capsys):
    data = str(tmp_path / "data")
    code, _, err = run(capsys, "import-list", str(tmp_path / "missing.xlsx"), "--data-dir", data)
    assert code == 2 and err.strip() == f"Không tìm thấy tệp: {tmp_path / 'missing.xlsx'}"

    bad = tmp_path / "bad.csv"
    bad.write_text("Mã hồ sơ,Họ và tên,Xã/Phường,Loại đối tượng,Chế độ,Số tiền,Kỳ\n"
                   "QNH/AQ-1,Nguyễn Văn A,Xã Yên Đức,AQ,Trợ cấp hằng tháng,abc,12/2026\n"
                   "QNH/AQ-2,Nguyễn Văn B,Xã Yên Đức,ZZ,Trợ cấp hằng tháng,1.000.000,12/2026\n", encoding="utf-8")
    code, _, err = run(capsys, "import-list", str(bad), "--data-dir", data, "--lang", "en")
    lines = err.strip().splitlines()
    assert code == 2 and "nothing was imported" in lines[0]
    assert any(line.startswith("Row 2") for line in lines) and any(line.startswith("Row 3") for line in lines)
    assert "Traceback" not in err

    code, _, err = run(capsys, "search", "x", "--data-dir", data, "--limit", "nope")
    assert code == 2


def test_verify_names_a_tampered_entry_and_exits_1(tmp_path, capsys):
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.payouts.open_session(commune_code="X", point_id="P", day=__import__("datetime").date(2026, 12, 5),
                                   cash_advance=1_000_000, staff="giaodich")
        with database.write(store.engine) as conn:
            conn.execute(text("DROP TRIGGER journal_no_update"))
            conn.execute(text("UPDATE journal SET payload = replace(payload, '1000000', '9000000')"))
    code, out, _ = run(capsys, "verify", "--data-dir", str(data))
    assert code == 1 and "bút toán #1" in out


def test_wrong_key_is_one_line_exit_1(tmp_path, capsys):
    data = tmp_path / "data"
    with Store.open(data), Store.open(tmp_path / "other"):
        pass
    (data / "keyslots.json").write_bytes((tmp_path / "other" / "keyslots.json").read_bytes())  # another folder's key
    code, _, err = run(capsys, "verify", "--data-dir", str(data))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "khóa mã hóa" in err


def test_without_a_keyring_a_command_opens_the_laptop_as_someone_who_signed_in_here(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    data = str(tmp_path / "data")
    code, _, err = run(capsys, "search", "x", "--data-dir", data)
    assert code == 2 and "Chưa có dữ liệu" in err and "user add" in err  # nothing would open a new folder again

    monkeypatch.setattr(sys, "stdin", io.StringIO("mật-khẩu-Lan\n"))
    code, out, _ = run(capsys, "user", "add", "lan", "--role", "supervisor", "--full-name", "Trần Thị Lan",
                       "--password-stdin", "--data-dir", data)
    assert code == 0 and "Đã tạo tài khoản lan" in out  # the first account: its password opens the laptop

    code, _, err = run(capsys, "search", "x", "--password-stdin", "--data-dir", data)
    assert code == 2 and "--as" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("sai\n"))
    code, _, err = run(capsys, "search", "x", "--as", "lan", "--password-stdin", "--data-dir", data)
    assert code == 2 and "còn 4 lần thử" in err and "?" not in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("mật-khẩu-Lan\nmk-hoa\n"))  # the opener's, then the new account's
    code, out, _ = run(capsys, "user", "add", "hoa", "--role", "teller", "--as", "lan", "--password-stdin",
                       "--data-dir", data)
    assert code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("mk-hoa\n"))
    code, out, _ = run(capsys, "verify", "--as", "hoa", "--password-stdin", "--data-dir", data)
    assert code == 0 and "hợp lệ" in out

    # typed at a terminal: who opens it is asked, the password without echo
    monkeypatch.setattr(sys, "stdin", io.StringIO("nobody\n"))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "whatever")
    code, _, err = run(capsys, "verify", "--data-dir", data)
    assert code == 2 and "Trần Thị Lan (lan)" in err and "chưa đăng nhập lần nào trên máy này" in err


def test_demo_creates_its_own_marked_folder_with_accounts(tmp_path, capsys):
    data = tmp_path / "demo"
    code, out, _ = run(capsys, "demo", "--summary", "--communes", "2", "--data-dir", str(data))
    assert code == 0 and "DỮ LIỆU THỬ" in out and "Nguyễn Văn Đức" in out and "giaodich" in out
    with Store.open(data) as store:
        assert store.is_demo
        assert store.staff.check_password("giaodich", "giaodich123") is not None
        assert store.staff.check_password("giamsat", "wrong") is None
    code, out, _ = run(capsys, "demo", "--summary", "--data-dir", str(data))  # reuses the folder
    assert code == 0 and "Đang tạo" not in out


def test_user_add_reads_the_password_from_stdin(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("mật-khẩu-1\n"))
    code, _out, _ = run(capsys, "user", "add", "lan", "--role", "supervisor", "--password-stdin",
                       "--data-dir", str(tmp_path / "d"))
    assert code == 0
    with Store.open(tmp_path / "d") as store:
        assert store.staff.check_password("lan", "mật-khẩu-1").role.value == "supervisor"


def test_the_installed_command_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app", "search", "abc", "--data-dir", str(tmp_path / "d"), "--lang", "en"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0 and "Nobody found" in result.stdout
