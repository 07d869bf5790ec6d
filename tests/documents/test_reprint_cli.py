"""``payout-desk print`` twice: the second PDF is marked "BẢN IN LẠI" by itself, and ``verify-document`` accepts
both."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from tests.builders.document_world import DAY, POINT, World
from tests.builders.documents import page_texts


def _run(world: World, *args: str) -> int:
    return main([*args, "--data-dir", str(world.folder)])


def test_printing_twice_marks_the_second_and_both_verify(fresh_world: World, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]):
    sheet = ["print", "sheet-signed", "--point", POINT, "--date", DAY.isoformat()]
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    assert _run(fresh_world, *sheet, "--out", str(first)) == 0, capsys.readouterr().err
    assert "BẢN IN LẠI" not in capsys.readouterr().out
    assert _run(fresh_world, *sheet, "--staff", "giaodich", "--out", str(second)) == 0, capsys.readouterr().err
    assert "BẢN IN LẠI" in capsys.readouterr().out  # the title says so

    first_text, second_text = "".join(page_texts(first.read_bytes())), "".join(page_texts(second.read_bytes()))
    assert "BẢN IN LẠI" not in first_text
    assert "BẢN IN LẠI — in lại lúc " in second_text  # the CLI runs on the real clock
    code = next(line for line in page_texts(first.read_bytes())[0].splitlines()
                if "Mã xác thực" in line).split("Mã xác thực ")[1].split(" ")[0]
    assert f"Mã xác thực {code}" in second_text  # a reprint keeps its fingerprint

    for pdf in (first, second):
        assert _run(fresh_world, "verify-document", str(pdf)) == 0
        assert capsys.readouterr().out.startswith("KHỚP")

    prints = fresh_world.store.printing.prints("sheet-signed", {"point": POINT, "day": DAY.isoformat(),
                                                                "period": "2026-12", "agency": "*"})
    assert [(p.staff, p.how) for p in prints] == [("cli", "cli"), ("giaodich", "cli")]


def test_a_failed_write_is_not_logged(fresh_world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = tmp_path / "no-such-folder" / "sheet.pdf"
    assert _run(fresh_world, "print", "sheet-blank", "--point", POINT, "--out", str(missing)) != 0
    capsys.readouterr()
    assert _run(fresh_world, "print", "sheet-blank", "--point", POINT, "--out", str(tmp_path / "ok.pdf")) == 0
    assert "BẢN IN LẠI" not in "".join(page_texts((tmp_path / "ok.pdf").read_bytes()))
