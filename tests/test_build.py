"""The build's own pieces: the English translation is complete and compiles, and the self-test passes from source.

The frozen build itself (build.spec) is made and self-tested by ``./dev build`` in CI; these tests keep what it packs
honest: every string shown in the UI has an English translation, and the ``.qm`` that ``tools/qm_writer.py`` makes (the
same bytes as Qt's lrelease) really turns the Vietnamese source text into English.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from tests.builders.translations import translations_tool

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "app" / "resources" / "translations" / "payout_desk_en.ts"
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")

KNOWN = [  # (context, Vietnamese source, English)
    ("MainWindow", "Tìm người", "Find a person"),
    ("SignInForm", "Đăng nhập", "Sign in"),
    ("SignInForm", "Mật khẩu", "Password"),
    ("PersonPanel", "Tổng chi: {amount}", "Total to pay: {amount}"),
    ("errors", "Không thực hiện được", "Could not be done"),
]


_tool = translations_tool


def test_translations_compile_and_turn_vietnamese_into_english(tmp_path: Path) -> None:
    compiled = _tool().compile_all(tmp_path)
    assert sorted(compiled) == [tmp_path / "payout_desk_en.qm", tmp_path / "qtbase_vi.qm"]
    qm = tmp_path / "payout_desk_en.qm"
    translator = QTranslator()
    assert translator.load(str(qm)) and not translator.isEmpty()
    for context, source, english in KNOWN:
        assert translator.translate(context, source) == english, (context, source)
    assert translator.translate("MainWindow", "chuỗi không có trong bản dịch") == ""


def test_the_pure_python_compiler_writes_what_lrelease_writes(tmp_path: Path) -> None:
    """``tools/qm_writer.py`` (what ``./dev``, ``build.spec`` and the wheel's build step use) against Qt's lrelease,
    byte for byte, on every catalogue the app ships — plus a catalogue with a comment, an untranslated message and a
    vanished one, which lrelease leaves out."""
    tool = _tool()
    extra = tmp_path / "extra_en.ts"
    extra.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="en" sourcelanguage="vi_VN">'
        "<context><name>A</name>"
        "<message><source>Đóng</source><translation>Close</translation></message>"
        "<message><source>Đóng</source><comment>cửa sổ</comment><translation>Close window</translation></message>"
        "<message><source>Mở</source><comment>tệp</comment><translation>Open</translation></message>"
        '<message><source>Chưa dịch</source><translation type="unfinished"></translation></message>'
        '<message><source>Cũ</source><translation type="vanished">Old</translation></message>'
        "</context></TS>", encoding="utf-8")
    for ts in [*tool.ts_files(), extra]:
        ours = tool.compile_ts(ts, tmp_path / "ours")
        theirs = tmp_path / "lrelease" / ours.name
        theirs.parent.mkdir(exist_ok=True)
        subprocess.run([str(tool.qt_tool("lrelease")), "-silent", str(ts), "-qm", str(theirs)], check=True)
        assert ours.read_bytes() == theirs.read_bytes(), ts.name
    translator = QTranslator()
    assert translator.load(str(tmp_path / "ours" / "extra_en.qm"))
    assert translator.translate("A", "Đóng", "cửa sổ") == "Close window"
    assert translator.translate("A", "Mở") == "Open"  # the lone comment is dropped, as lrelease does
    assert translator.translate("A", "Chưa dịch") == "" and translator.translate("A", "Cũ") == ""


def test_every_message_has_a_finished_english_translation() -> None:
    messages = _tool().read_messages(TS)
    assert len(messages) > 100
    bad = [m for m in messages if m.kind or not m.translation.strip()]
    assert not bad, "unfinished, vanished or empty in payout_desk_en.ts:\n" + "\n".join(
        f"  [{m.context}] {m.source!r} ({m.kind or 'empty'})" for m in bad)
    for m in messages:
        assert sorted(PLACEHOLDER.findall(m.source)) == sorted(PLACEHOLDER.findall(m.translation)), m
        assert m.source.count("&") == m.translation.count("&"), m  # keyboard accelerators (&Phiên → &Session)


def test_the_ts_has_every_translatable_string_in_the_ui_code_under_a_context_qt_uses() -> None:
    found = [problem for problem in _tool().problems(TS) if "unfinished" not in problem]
    assert not found, ("run `python tools/build_translations.py --update`, translate the new strings in "
                       "app/resources/translations/payout_desk_en.ts, and give every string a context Qt looks up:\n"
                       + "\n".join(found))


def test_install_translations_loads_the_compiled_english(qapp) -> None:
    from app.resources import resource_path
    from app.ui.app import install_translations

    if _tool().stale():
        pytest.fail("app/resources/translations/*.qm missing or older than the .ts: ./dev compiles them "
                    "(or run python tools/build_translations.py)")
    assert resource_path("translations", "payout_desk_en.qm").exists()
    before = set(qapp.findChildren(QTranslator))
    try:
        assert install_translations(qapp, "en")
        assert QCoreApplication.translate("MainWindow", "Tìm người") == "Find a person"
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
            translator.setParent(None)
    assert QCoreApplication.translate("MainWindow", "Tìm người") == "Tìm người"
    assert not install_translations(qapp, "xx")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_self_test_passes_from_source(tmp_path: Path, lang: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PAYOUT_DESK_KEYRING="file",
               PAYOUT_DESK_KEY_DIR=str(tmp_path / "keys"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--self-test", "--communes", "2", "--lang", lang,
         "--data-dir", str(tmp_path / "demo")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: ok" in result.stdout.splitlines()


def test_a_self_test_opens_a_laptop_without_keyring_as_a_staff_member(tmp_path: Path) -> None:
    """``--self-test --as USER --password-stdin``: a laptop whose data the OS keyring does not open is checked as a
    staff member who can open it (in its own process: the window's application-wide filters stay there)."""
    from app.domain.model import Role
    from app.store.store import Store

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PAYOUT_DESK_KEYRING="file",
               PAYOUT_DESK_KEY_DIR=str(tmp_path / "keys"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    previous = {name: os.environ.get(name) for name in ("PAYOUT_DESK_KEYRING", "PAYOUT_DESK_KEY_DIR")}
    os.environ.update(PAYOUT_DESK_KEYRING="file", PAYOUT_DESK_KEY_DIR=str(tmp_path / "keys"))
    try:
        with Store.open(tmp_path / "data") as store:
            store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    env["PAYOUT_DESK_KEYRING"] = "off"  # another laptop: no keyring; only lan's password opens the data
    command = [sys.executable, "-m", "app", "--self-test", "--data-dir", str(tmp_path / "data")]
    refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "lan" in refused.stderr, refused.stdout + refused.stderr
    opened = subprocess.run([*command, "--as", "lan", "--password-stdin"], cwd=ROOT, env=env, input="mk-lan-123\n",
                            capture_output=True, text=True, timeout=120)
    assert opened.returncode == 0, opened.stdout + opened.stderr
    assert "self-test: ok" in opened.stdout.splitlines()


def test_build_spec_is_valid_python() -> None:
    compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec")
