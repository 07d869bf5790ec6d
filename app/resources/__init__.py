"""The bundled files the desk and the server read at run time: policy reference (``policy/``), fonts with their
licence (``fonts/``), compiled translations (``translations/*.qm``) and demo seeds (``demo/``).

They live inside this package, so an installed wheel carries them as package data and they are found through
``importlib.resources`` — in a source checkout, an installed wheel and the PyInstaller build alike (PyInstaller keeps
them at ``app/resources`` in its bundle). Importable from every layer (a leaf): it only names files.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

__all__ = ["resources_dir", "resource_path"]


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    """This package's folder on disk.

    Fonts are handed to Qt and reportlab, and translations to ``QTranslator``, by file name, so the resources must be
    real files: they are, wherever the package is installed unpacked (a wheel, an editable install, a frozen build).
    """
    root = files(__name__)
    if not isinstance(root, Path):  # e.g. a zip import: not a way this program is ever installed
        raise RuntimeError(f"app.resources is not on the file system ({root!r}): install the package unpacked")
    return root


def resource_path(*parts: str) -> Path:
    """A file under the bundled resources, e.g. ``resource_path("policy", "regimes.json")``."""
    return resources_dir().joinpath(*parts)
