"""Compile a Qt Linguist ``.ts`` catalogue into the binary ``.qm`` that ``QTranslator`` loads — in pure Python.

Why not ``lrelease``: it ships inside the PySide6 wheel, and building the package (``pip wheel .``, an isolated build
environment with only setuptools) must not download Qt to compile two small catalogues. This writes the same bytes as
``lrelease`` in its default mode (``tests/test_build.py`` compares the two), so ``./dev``, ``build.spec`` and the wheel
all ship one and the same ``.qm``.

The format (Qt's ``qttools/src/linguist/shared/qm.cpp``, "SaveEverything" mode): a 16-byte magic number, then tagged
blocks — the language, a table of (hash, offset) pairs sorted by hash, the messages, and the plural rules. Each
message is its translation (UTF-16BE), comment, source text and context (UTF-8), each with a 32-bit length; the hash is
the ELF hash of source text + comment, which ``QTranslator`` looks up by binary search. What ``lrelease`` leaves out,
this leaves out too: vanished and obsolete messages, and unfinished ones with no translation. A comment is dropped
unless another message has the same context and source text without one (``QTranslator`` tries without the comment
when the comment does not match).
"""

from __future__ import annotations

import struct
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

__all__ = ["QmError", "compile_ts", "qm_bytes", "elf_hash"]

MAGIC = bytes((0x3C, 0xB8, 0x64, 0x18, 0xCA, 0xEF, 0x9C, 0x95, 0xCD, 0x21, 0x1C, 0xBF, 0x60, 0xA1, 0xBD, 0xDD))
TAG_CONTEXTS, TAG_HASHES, TAG_MESSAGES, TAG_NUMERUS_RULES, TAG_LANGUAGE = 0x2F, 0x42, 0x69, 0x88, 0xA7
TAG_END, TAG_TRANSLATION, TAG_SOURCE_TEXT, TAG_CONTEXT, TAG_COMMENT = 1, 3, 6, 7, 8

NUMERUS_RULES = {
    # Qt's numerus.cpp, for the languages the app ships (a new language adds its rule here, or fails loudly)
    "en": bytes((0x01, 1)),  # English style: n == 1 → singular
    "vi": b"",  # Vietnamese (like Japanese): a single form, no rule block
}


class QmError(ValueError):
    """A catalogue this compiler cannot write (plural forms, an unknown language): one line for the developer."""


@dataclass(frozen=True, order=True)
class _Message:
    context: bytes
    source: bytes
    comment: bytes
    translation: str = ""


def elf_hash(data: bytes) -> int:
    """Qt's ``elfHash`` over the bytes up to the first NUL (never 0: a zero hash becomes 1)."""
    h = 0
    for byte in data.split(b"\0", 1)[0]:
        h = ((h << 4) + byte) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h or 1


def _read(ts: Path) -> tuple[str, list[_Message]]:
    root = ET.parse(ts).getroot()
    language = root.get("language") or ""
    kept: dict[tuple[bytes, bytes, bytes], _Message] = {}
    for context in root.iter("context"):
        name = (context.findtext("name") or "").encode("utf-8")
        for message in context.iter("message"):
            if message.get("numerus") == "yes":
                raise QmError(f"{ts.name}: plural forms (numerus) are not supported by tools/qm_writer.py")
            translation = message.find("translation")
            kind = (translation.get("type") or "") if translation is not None else "unfinished"
            text = (translation.text or "") if translation is not None else ""
            if kind in ("vanished", "obsolete") or (kind == "unfinished" and not text):
                continue
            source = (message.findtext("source") or "").encode("utf-8")
            comment = (message.findtext("comment") or "").encode("utf-8")
            plain = (name, source, b"")
            key = plain if plain not in kept else (name, source, comment)  # Releaser::insertInternal
            kept[key] = _Message(*key, text)
    return language, sorted(kept.values())


def _bytes(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


def qm_bytes(ts: Path) -> bytes:
    """The ``.qm`` file ``lrelease ts`` would write (see the module docstring)."""
    language, messages = _read(ts)
    base = language.split("_")[0].split("-")[0].lower()
    if base not in NUMERUS_RULES:
        raise QmError(f"{ts.name}: no plural rule known for language {language!r} (add it to NUMERUS_RULES)")
    body = bytearray()
    offsets: list[tuple[int, int]] = []
    for message in messages:
        offsets.append((elf_hash(message.source + message.comment), len(body)))
        translation = message.translation.encode("utf-16-be")
        body += bytes((TAG_TRANSLATION,)) + _bytes(translation)
        body += bytes((TAG_COMMENT,)) + _bytes(message.comment)
        body += bytes((TAG_SOURCE_TEXT,)) + _bytes(message.source)
        body += bytes((TAG_CONTEXT,)) + _bytes(message.context)
        body += bytes((TAG_END,))
    out = bytearray(MAGIC)
    if language:
        out += bytes((TAG_LANGUAGE,)) + _bytes(language.encode("utf-8"))
    if offsets:
        table = b"".join(struct.pack(">II", h, o) for h, o in sorted(offsets))
        out += bytes((TAG_HASHES,)) + _bytes(table)
    if body:
        out += bytes((TAG_MESSAGES,)) + _bytes(bytes(body))
    rules = NUMERUS_RULES[base]
    if rules:
        out += bytes((TAG_NUMERUS_RULES,)) + _bytes(rules)
    return bytes(out)


def compile_ts(ts: Path, out_dir: Path | None = None) -> Path:
    """Write ``<stem>.qm`` beside ``ts`` (or into ``out_dir``) and return its path."""
    target = (out_dir or ts.parent) / (ts.stem + ".qm")
    target.parent.mkdir(parents=True, exist_ok=True)
    data = qm_bytes(ts)
    tmp = target.with_suffix(".qm.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(compile_ts(Path(name)))
