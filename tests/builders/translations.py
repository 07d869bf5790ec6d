"""The translations tool (``tools/build_translations.py``) loaded as a module, for the tests that check catalogues."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def translations_tool() -> ModuleType:
    """``tools/build_translations.py`` (tools/ is not a package)."""
    if "build_translations" not in sys.modules:
        spec = importlib.util.spec_from_file_location("build_translations", ROOT / "tools" / "build_translations.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclass needs its module registered
        spec.loader.exec_module(module)
    return sys.modules["build_translations"]
