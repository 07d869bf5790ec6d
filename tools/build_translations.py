"""Qt translations of the desktop client: compile ``.ts`` → ``.qm``, or update the ``.ts`` from the UI sources.

Vietnamese is the source language (the text inside ``self.tr(...)`` and ``QCoreApplication.translate(...)``); English is
a translation kept in ``app/resources/translations/payout_desk_en.ts`` and edited by hand (or in Qt Linguist). The
``.qm`` files are build output, never committed: ``./dev`` compiles them when a ``.ts`` is newer, and ``build.spec``
compiles them before bundling.

``qtbase_vi.ts`` is another kind of catalogue: Vietnamese for the texts Qt itself shows (standard buttons, the file and
print dialogs), which the PySide6 wheels do not translate. Its sources are Qt's English texts, so ``--update`` leaves it
alone and ``--check`` only requires every message to be finished.

    python tools/build_translations.py             compile every app/resources/translations/*.ts into a .qm beside it
    python tools/build_translations.py --out DIR   compile into DIR instead
    python tools/build_translations.py --update    re-scan app/ui with lupdate first: translations are kept, new strings
                                                   are added as unfinished, strings gone from the code are dropped
    python tools/build_translations.py --check     exit 1 if the code has strings the .ts lacks or a message is
                                                   unfinished (what tests/test_build.py also checks)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tools") not in sys.path:  # qm_writer beside this file, also when loaded as a module by the tests
    sys.path.insert(0, str(ROOT / "tools"))
TS_DIR = ROOT / "app" / "resources" / "translations"
SOURCE_DIRS = ("app/ui",)
"""Where translatable strings live (PySide6 is imported only under app/ui)."""
SOURCE_LANGUAGE = "vi_VN"
LANGUAGES = ("en",)
"""Translations the app ships; ``--update`` creates ``payout_desk_<lang>.ts`` for each one that is missing."""


class ToolError(RuntimeError):
    """lupdate/lrelease missing or failing: one line for the developer, no traceback."""


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    kind: str  # "" (finished), "unfinished", "vanished", "obsolete"


def qt_tool(name: str) -> Path:
    """The ``lupdate``/``lrelease`` binary shipped inside the PySide6 wheel (no system Qt needed)."""
    exe = name + (".exe" if sys.platform == "win32" else "")
    try:
        import PySide6

        bundled = Path(PySide6.__file__).resolve().parent / exe
        if bundled.exists():
            return bundled
    except ImportError:
        pass
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if not found:
        raise ToolError(f"{name} not found: install the project (pip install -e .) so PySide6 provides it")
    return Path(found)


def _run(cmd: list[str | os.PathLike[str]], quiet: bool) -> None:
    result = subprocess.run([os.fspath(part) for part in cmd], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolError(f"{Path(cmd[0]).name} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    if not quiet and result.stdout.strip():
        print(result.stdout.strip())


def ts_files(ts_dir: Path = TS_DIR) -> list[Path]:
    """Every catalogue to compile: the app's (``payout_desk_<lang>.ts``) and Qt's own texts (``qtbase_<lang>.ts``)."""
    return sorted(ts_dir.glob("*.ts"))


def app_ts_files(ts_dir: Path = TS_DIR) -> list[Path]:
    """The app's catalogues, whose sources are the UI code (``--update`` rescans them)."""
    return sorted(ts_dir.glob("payout_desk_*.ts"))


def unfinished(ts: Path) -> list[str]:
    return [f"{ts.name}: unfinished [{m.context}] {m.source!r}" for m in read_messages(ts)
            if m.kind == "unfinished" or (m.kind == "" and not m.translation.strip())]


def source_files() -> list[Path]:
    return sorted(path for folder in SOURCE_DIRS for path in (ROOT / folder).rglob("*.py"))


def compile_ts(ts: Path, out_dir: Path | None = None, *, quiet: bool = True) -> Path:
    """Compile one ``.ts``; returns the ``.qm``. Untranslated messages are left out (Vietnamese shows instead).

    The compiler is ``tools/qm_writer.py`` (pure Python, the same bytes as ``lrelease``), the one the package build
    (``setup.py``) uses too, so every way of building ships the same file."""
    from qm_writer import QmError
    from qm_writer import compile_ts as write_qm

    try:
        return write_qm(ts, out_dir)
    except (QmError, ET.ParseError) as error:
        raise ToolError(str(error)) from None


def compile_all(out_dir: Path | None = None, *, ts_dir: Path = TS_DIR, quiet: bool = True) -> list[Path]:
    files = ts_files(ts_dir)
    if not files:
        raise ToolError(f"no .ts files in {ts_dir}")
    return [compile_ts(ts, out_dir, quiet=quiet) for ts in files]


def stale(ts_dir: Path = TS_DIR) -> list[Path]:
    """The ``.ts`` files whose ``.qm`` beside them is missing or older."""
    result = []
    for ts in ts_files(ts_dir):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            result.append(ts)
    return result


def update_ts(ts: Path, *, quiet: bool = False) -> None:
    """``lupdate`` the UI sources into ``ts`` (kept translations, new strings unfinished, vanished ones dropped); a new
    string already translated in another context takes that translation."""
    sources = [os.path.relpath(path, ROOT) for path in source_files()]
    language = ts.stem.rsplit("_", 1)[-1]
    ts.parent.mkdir(parents=True, exist_ok=True)
    earlier = finished_translations(ts)
    _run([qt_tool("lupdate"), *(["-silent"] if quiet else []), "-no-obsolete", "-locations", "relative",
          "-source-language", SOURCE_LANGUAGE, "-target-language", language, *sources,
          "-ts", os.path.relpath(ts, ROOT)], quiet)
    reused = reuse_same_text(ts, earlier)
    if reused and not quiet:
        print(f"    {reused} new string(s) took the translation the same text has elsewhere")


def finished_translations(ts: Path) -> dict[str, str]:
    return {m.source: m.translation for m in read_messages(ts) if m.kind == "" and m.translation.strip()} \
        if ts.exists() else {}


def reuse_same_text(ts: Path, earlier: dict[str, str] | None = None) -> int:
    """Finish the new messages whose source text is already translated, in another context or before the string moved
    ("Đóng" → "Close" in every dialog). lupdate leaves them unfinished (or empty, when the old context is gone); the
    diff still shows them to the reviewer. A different pre-filled guess (a reworded string) is left for a human."""
    finished = {**(earlier or {}), **finished_translations(ts)}
    count = 0

    def finish(match: re.Match[str]) -> str:
        nonlocal count
        block = match.group(0)
        source = re.search(r"<source>(.*?)</source>", block, re.S)
        unfinished = re.search(r'<translation type="unfinished">(.*?)</translation>', block, re.S)
        if not source or not unfinished:
            return block
        text = ET.fromstring(f"<t>{source.group(1)}</t>").text or ""
        done = finished.get(text)
        if done is None or (ET.fromstring(f"<t>{unfinished.group(1)}</t>").text or "") not in ("", done):
            return block
        count += 1
        escaped = done.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
        return block.replace(unfinished.group(0), f"<translation>{escaped}</translation>")

    content = ts.read_text(encoding="utf-8")
    ts.write_text(re.sub(r"<message>.*?</message>", finish, content, flags=re.S), encoding="utf-8")
    return count


def read_messages(ts: Path) -> list[Message]:
    messages = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            messages.append(Message(
                context=name,
                source=message.findtext("source") or "",
                translation=(translation.text or "") if translation is not None else "",
                kind=(translation.get("type") or "") if translation is not None else "unfinished",
            ))
    return messages


def runtime_contexts() -> set[str]:
    """The contexts Qt looks translations up under: the UI's class names (``self.tr``) and the literal first argument
    of ``QCoreApplication.translate("context", …)``.

    lupdate names the context of ``window.tr("…")`` called from outside the class ``window``, but PySide6 looks it up
    under the class name of ``window``, so such strings would never be translated.
    """
    contexts = set()
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        contexts.update(re.findall(r"^\s*class\s+(\w+)", text, re.MULTILINE))
        contexts.update(re.findall(r"translate\(\s*[\"'](\w+)[\"']", text))
    return contexts


def problems(ts: Path) -> list[str]:
    """Unfinished or empty messages in ``ts``, strings in the code that ``ts`` does not have yet, and strings whose
    context Qt would never look up."""
    found = unfinished(ts)
    known_contexts = runtime_contexts()
    with tempfile.TemporaryDirectory() as tmp:
        # the copy must sit at the same depth as the real file so lupdate's relative paths resolve
        probe = Path(tmp) / "app" / "resources" / "translations" / ts.name
        probe.parent.mkdir(parents=True)
        shutil.copy2(ts, probe)
        known = {(m.context, m.source) for m in read_messages(ts)}
        sources = [os.fspath(path) for path in source_files()]
        language = ts.stem.rsplit("_", 1)[-1]
        _run([qt_tool("lupdate"), "-silent", "-locations", "none", "-source-language", SOURCE_LANGUAGE,
              "-target-language", language, *sources, "-ts", probe], True)
        for message in read_messages(probe):
            if message.kind in ("", "unfinished") and (message.context, message.source) not in known:
                found.append(f"{ts.name}: not in the .ts yet [{message.context}] {message.source!r}")
            if message.kind in ("", "unfinished") and message.context not in known_contexts:
                found.append(f"{ts.name}: context {message.context!r} is looked up under another name at run time "
                             f"(call self.tr inside the class, or QCoreApplication.translate('Context', …)): "
                             f"{message.source!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="re-scan the UI sources with lupdate first")
    parser.add_argument("--check", action="store_true", help="fail on unfinished or missing messages")
    parser.add_argument("--if-stale", action="store_true", help="compile only when a .ts is newer than its .qm")
    parser.add_argument("--out", type=Path, help="write the .qm files here instead of beside the .ts")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.update:
            for ts in sorted(set(app_ts_files()) | {TS_DIR / f"payout_desk_{lang}.ts" for lang in LANGUAGES}):
                update_ts(ts, quiet=args.quiet)
        if args.check:
            found = [problem for ts in app_ts_files() for problem in problems(ts)]
            found += [problem for ts in sorted(set(ts_files()) - set(app_ts_files())) for problem in unfinished(ts)]
            for problem in found:
                print(problem, file=sys.stderr)
            if found:
                print("fill them in (python tools/build_translations.py --update adds new strings)", file=sys.stderr)
                return 1
            return 0
        if args.if_stale and not args.out and not stale():
            return 0
        for qm in compile_all(args.out, quiet=args.quiet):
            if not args.quiet:
                print(f"compiled {os.path.relpath(qm, ROOT)}")
    except ToolError as error:
        print(f"build_translations: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
