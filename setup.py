"""The package's one build step: compile the translations (``app/resources/translations/*.ts`` → ``.qm``).

Everything else about the package is declared in ``pyproject.toml``. The ``.qm`` files are build output (never
committed), so the wheel gets them here, from ``tools/qm_writer.py`` — pure Python, the same bytes as Qt's
``lrelease`` — and ``pip wheel .`` needs nothing beyond setuptools in its isolated build environment. An editable
install (``pip install -e .``, what ``./dev`` makes) gets them compiled beside the ``.ts`` instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
TRANSLATIONS = Path("app", "resources", "translations")


class BuildWithTranslations(build_py):
    """``build_py`` that also writes the compiled translations into the build (or beside the sources when editable)."""

    def run(self) -> None:
        super().run()
        sys.path.insert(0, str(ROOT / "tools"))
        from qm_writer import compile_ts

        target = None if self.editable_mode else Path(self.build_lib, TRANSLATIONS)
        sources = sorted((ROOT / TRANSLATIONS).glob("*.ts"))
        if not sources:
            raise SystemExit(f"setup.py: no translations (*.ts) in {ROOT / TRANSLATIONS}")
        for ts in sources:
            compile_ts(ts, target)


setup(cmdclass={"build_py": BuildWithTranslations})
