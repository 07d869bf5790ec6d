"""Name the system libraries Qt needs that this machine lacks, with the ``apt-get install`` line — before Qt starts.

The PySide6 wheel brings Qt itself, not the X11/OpenGL/font libraries under it. Without them a window does not open
and Qt says only "Could not load the Qt platform plugin xcb", so ``./dev`` runs this first:

    python tools/qt_system_libs.py xcb          the libraries a window needs (./dev demo, ./dev run)
    python tools/qt_system_libs.py offscreen    what tests and the self-test need (./dev test, ./dev build)

It asks ``ldd`` about Qt's own platform plugin in the installed wheel, so the list is exactly what this Qt build links
to (``.ci/run`` checks the offscreen set the same way, by library file name), and maps each missing library to its
Debian/Ubuntu package. Exit 1 when something is missing; 0 otherwise, and also where it cannot tell (no ``ldd``: not
Linux), so it never stops a machine that could run. For a window it also needs a display (``DISPLAY`` or
``WAYLAND_DISPLAY``) and says so when there is none.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

PACKAGES = {
    # where the Debian package is not the library's name + version (the rule in ``package_for``)
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libGLdispatch.so.0": "libglvnd0",
    "libz.so.1": "zlib1g",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libstdc++.so.6": "libstdc++6",
}


def package_for(soname: str) -> str:
    """The Debian package of a library: ``libxcb-icccm.so.4`` → ``libxcb-icccm4``, ``libxkbcommon-x11.so.0`` →
    ``libxkbcommon-x11-0`` (a name ending in a digit takes a dash), ``libEGL.so.1`` → ``libegl1``."""
    if soname in PACKAGES:
        return PACKAGES[soname]
    match = re.fullmatch(r"(lib[\w.+-]+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if not match:
        return soname
    name, version = match.group(1).lower(), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def plugin_path(platform: str) -> Path | None:
    """Qt's platform plugin in the installed PySide6 (found without importing Qt, which is what may fail)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms"
    found = sorted(folder.glob(f"libq{platform}.so*"))
    return found[0] if found else None


def run_ldd(path: Path) -> str:
    return subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False).stdout


def missing_libraries(plugin: Path, ldd: Callable[[Path], str] = run_ldd) -> list[str]:
    """The libraries ``plugin`` links to (directly or not) that the system does not have."""
    return sorted({line.split()[0] for line in ldd(plugin).splitlines() if "not found" in line})


def apt_name(package: str) -> str:
    """Debian 13 renamed some library packages (libglib2.0-0 → libglib2.0-0t64): the one this system's apt knows."""
    if shutil.which("apt-cache") is None:
        return package
    known = subprocess.run(["apt-cache", "show", package], capture_output=True, check=False).returncode == 0
    if not known and subprocess.run(["apt-cache", "show", package + "t64"], capture_output=True,
                                    check=False).returncode == 0:
        return package + "t64"
    return package


def report(platform: str, missing: list[str], apt: Callable[[str], str] | None = None) -> str:
    """What to tell the person at the terminal (Vietnamese, then English)."""
    packages = sorted({(apt or apt_name)(package_for(soname)) for soname in missing})
    use = "cửa sổ / a window" if platform == "xcb" else "chạy thử / tests"
    return (f"Thiếu thư viện hệ thống mà Qt cần ({use}) / missing system libraries Qt needs: {', '.join(missing)}\n"
            f"  sudo apt-get install -y {' '.join(packages)}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    platform = args[0] if args else "xcb"
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return 0
    plugin = plugin_path(platform)
    if plugin is None:
        return 0  # PySide6 not installed yet, or another layout: Qt will say what is wrong itself
    missing = missing_libraries(plugin)
    if missing:
        print(report(platform, missing), file=sys.stderr)
        return 1
    if platform == "xcb" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("Không có màn hình (DISPLAY) / no display: ./dev demo --summary in dữ liệu thử ra chữ / prints the demo "
              "as text", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
