"""Hostile list files through the real doors: the reader in a process capped at 300 MB of address space, and the
desk's and the server's ``import-list`` commands.

The bombs are the attacker's shapes at CI size: a cell of 200 MB of text in a 200 KB .xlsx (in the shared strings,
as Excel writes text, and inline in the sheet), 600,000 bad rows as .xlsx and as CSV (over the 500,000-row limit).
Before the bounds, the first two needed gigabytes and the row bombs grew their list of errors without end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main as desk_main
from server.cli import main as server_main
from server.settings import ServerSettings
from server.setup import init_server
from tests.builders.hostile_lists import (
    GOOD_ROW,
    HEADER,
    cell_bomb,
    csv_row_bomb,
    row_bomb,
    row_xml,
    with_external_link,
    with_macros,
    write_xlsx_parts,
)
from tests.builders.province import offline_recovery_key

ROOT = Path(__file__).resolve().parent.parent
CAP_MB = 300
"""The address space the reading process may use: the target for a bomb's refusal is a peak under 300 MB."""

_READER = """
import json, resource, sys
cap = int(sys.argv[1]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from app.domain.errors import PayoutError
from app.lists.reader import read_list
answers = {}
for path in sys.argv[2:]:
    try:
        read_list(path)
        answers[path] = "read"
    except PayoutError as error:
        answers[path] = [error.code, error.message("vi")]
    except MemoryError:
        answers[path] = "MemoryError"
print(json.dumps(answers, ensure_ascii=False))
"""


def test_bombs_are_refused_by_a_reader_capped_at_300_mb(tmp_path: Path) -> None:
    files = [
        cell_bomb(tmp_path / "o-chu.xlsx", 200),
        cell_bomb(tmp_path / "o-trong-bang.xlsx", 200, shared=False),
        row_bomb(tmp_path / "600k-dong.xlsx", 600_000),
        csv_row_bomb(tmp_path / "600k-dong.csv", 600_000),
    ]
    assert all(path.stat().st_size < 1024 * 1024 for path in files[:2])  # 200 MB of text in under 1 MB
    done = subprocess.run([sys.executable, "-c", _READER, str(CAP_MB), *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    answers = json.loads(done.stdout)
    codes = {Path(path).name: answer[0] for path, answer in answers.items()}
    assert codes == {"o-chu.xlsx": "xlsx_ratio", "o-trong-bang.xlsx": "xlsx_ratio",
                     "600k-dong.xlsx": "list_too_many_rows", "600k-dong.csv": "list_too_many_rows"}
    messages = {Path(path).name: answer[1] for path, answer in answers.items()}
    assert "xl/sharedStrings.xml" in messages["o-chu.xlsx"] and "bom zip" in messages["o-chu.xlsx"]
    assert messages["600k-dong.csv"].startswith("Danh sách có hơn 500.000 dòng")


def _zero_amount_list(path: Path) -> Path:
    zero = list(GOOD_ROW)
    zero[HEADER.index("Mã hồ sơ")] = "QNH/LS-00002-TCM"
    zero[HEADER.index("Số tiền (đồng)")] = 0
    return write_xlsx_parts(path, row_xml(1, HEADER) + row_xml(2, GOOD_ROW) + row_xml(3, zero))


def test_the_desks_import_list_refuses_links_and_macros_and_shows_warnings(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    for path, words in ((with_external_link(tmp_path / "lien-ket.xlsx"), "liên kết tới tệp"),
                        (with_macros(tmp_path / "macro.xlsx"), "có macro")):
        assert desk_main(["import-list", str(path), "--data-dir", data]) == 2
        assert words in capsys.readouterr().err
    assert desk_main(["import-list", str(_zero_amount_list(tmp_path / "ds.xlsx")), "--data-dir", data]) == 0
    out = capsys.readouterr().out
    assert "thêm 2 khoản" in out and "Danh sách được nhập, với 1 cảnh báo:" in out
    assert "Dòng 3, cột «Số tiền (đồng)»: không thể chi như danh sách ghi: số tiền bằng 0" in out


def test_the_servers_import_list_has_the_same_bounds_and_warnings(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    settings = ServerSettings(data_dir=tmp_path / "server")
    init_server(settings, offline_recovery_key(tmp_path / "usb" / "recovery-key.txt"))
    base = ["--data", str(settings.data_dir)]
    assert server_main([*base, "import-list", str(with_external_link(tmp_path / "lien-ket.xlsx"))]) == 2
    assert "liên kết tới tệp" in capsys.readouterr().err
    assert server_main([*base, "import-list", str(cell_bomb(tmp_path / "bom.xlsx", 20))]) == 2
    assert "bom zip" in capsys.readouterr().err
    assert server_main([*base, "import-list", str(_zero_amount_list(tmp_path / "ds.xlsx"))]) == 0
    out = capsys.readouterr().out
    assert "2 khoản" in out and "Dòng 3, cột «Số tiền (đồng)»: không thể chi như danh sách ghi" in out
