"""``payout-desk print KIND ... --out FILE.pdf`` and ``payout-desk verify-document``: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from app.cli import main
from tests.builders.document_world import COMMUNE, DAY, POINT, World
from tests.builders.documents import page_texts


def _run(world: World, *args: str) -> int:
    return main([*args, "--data-dir", str(world.folder)])


@pytest.mark.usefixtures("use_world_keys")
def test_print_every_kind_then_verify(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    payment = next(iter(world.payments.values()))
    cases = {
        "sheet-blank": ["--point", POINT, "--date", "07/12/2026"],
        "sheet-signed": ["--point", POINT, "--date", DAY.isoformat()],
        "receipt": ["--payment", payment.entry_id, "--reprint"],
        "minutes": ["--session", world.session_id],
        "notice": ["--point", POINT, "--period", "2026-12"],
        "monthly": ["--commune", COMMUNE, "--period", "2026-12"],
    }
    for kind, options in cases.items():
        out = tmp_path / f"{kind}.pdf"
        assert _run(world, "print", kind, *options, "--out", str(out)) == 0, capsys.readouterr().err
        said = capsys.readouterr().out
        assert str(out) in said and "trang" in said
        assert out.read_bytes().startswith(b"%PDF")
        if kind != "notice":
            assert "mã xác thực" in said
            assert _run(world, "verify-document", str(out)) == 0
            assert capsys.readouterr().out.startswith("KHỚP")
    assert "BẢN IN LẠI" in "".join(page_texts((tmp_path / "receipt.pdf").read_bytes()))
    assert _run(world, "verify-document", str(tmp_path / "notice.pdf")) == 1
    capsys.readouterr()
    code = next(line for line in page_texts((tmp_path / "sheet-signed.pdf").read_bytes())[0].splitlines()
                if "Mã xác thực" in line).split("Mã xác thực ")[1].split(" ")[0]
    assert _run(world, "verify-document", code, "--lang", "en") == 0
    assert capsys.readouterr().out.startswith("MATCHES")
    assert _run(world, "verify-document", "0000-0000-0000-0000") == 1
    assert "KHÔNG KHỚP" in capsys.readouterr().out


@pytest.mark.usefixtures("use_world_keys")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["print", "sheet-signed", "--out", "x.pdf"], "cần tùy chọn --point"),
        (["print", "receipt", "--out", "x.pdf"], "cần tùy chọn --payment"),
        (["print", "minutes", "--out", "x.pdf"], "cần tùy chọn --session"),
        (["print", "monthly", "--commune", COMMUNE, "--out", "x.pdf"], "cần tùy chọn --period"),
        (["print", "sheet-blank", "--point", "khong-co", "--out", "x.pdf"], "Không tìm thấy điểm chi trả «khong-co»"),
        (["print", "sheet-blank", "--point", POINT, "--date", "31/02/2026", "--out", "x.pdf"], "Ngày không hợp lệ"),
        (["print", "monthly", "--commune", COMMUNE, "--period", "12/2026", "--out", "x.pdf"], "YYYY-MM"),
        (["print", "minutes", "--session", "khong-co", "--out", "x.pdf"], "Không tìm thấy phiên chi trả"),
        (["print", "receipt", "--payment", "khong-co", "--out", "x.pdf"], "Không tìm thấy khoản chi"),
        (["print", "bien-ban", "--out", "x.pdf"], "invalid choice"),
        (["print", "notice", "--point", POINT], "--out"),
        (["verify-document", "khong-co.pdf"], "Không tìm thấy tệp khong-co.pdf"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], args: list[str], message: str):
    monkeypatch.chdir(tmp_path)
    assert _run(world, *args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.usefixtures("use_world_keys")
def test_verify_a_tampered_file_exits_1(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "sheet.pdf"
    assert _run(world, "print", "sheet-signed", "--point", POINT, "--out", str(out)) == 0
    # the file's record says another fingerprint (written back the way any PDF tool would write it)
    reader = PdfReader(out)
    assert reader.metadata is not None
    keywords = str(reader.metadata["/Keywords"])
    marker = '"fingerprint":"'
    at = keywords.index(marker) + len(marker)
    flipped = "0" if keywords[at] != "0" else "1"
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Keywords": keywords[:at] + flipped + keywords[at + 1:]})
    with out.open("wb") as file:
        writer.write(file)
    capsys.readouterr()
    assert _run(world, "verify-document", str(out)) == 1
    assert "KHÔNG KHỚP" in capsys.readouterr().out
