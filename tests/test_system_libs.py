"""``./dev`` names the system libraries Qt lacks before starting (``tools/qt_system_libs.py``), with the apt-get
line."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("qt_system_libs", ROOT / "tools" / "qt_system_libs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LDD_WITHOUT_XCB_LIBS = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibEGL.so.1 => not found
\tlibglib-2.0.so.0 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)
"""


def test_each_missing_library_is_named_with_its_debian_package(tool) -> None:
    missing = tool.missing_libraries(Path("libqxcb.so"), ldd=lambda _path: LDD_WITHOUT_XCB_LIBS)
    assert missing == ["libEGL.so.1", "libglib-2.0.so.0", "libxcb-cursor.so.0", "libxcb-icccm.so.4",
                       "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0"]
    text = tool.report("xcb", missing, apt=lambda package: package)
    assert "libxcb-cursor.so.0" in text.splitlines()[0]
    assert text.splitlines()[1] == ("  sudo apt-get install -y libegl1 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 "
                                    "libxcb-keysyms1 libxkbcommon-x11-0")


@pytest.mark.parametrize("soname, package", [
    ("libxcb-render-util.so.0", "libxcb-render-util0"), ("libX11-xcb.so.1", "libx11-xcb1"), ("libGL.so.1", "libgl1"),
    ("libdbus-1.so.3", "libdbus-1-3"), ("libfontconfig.so.1", "libfontconfig1"), ("libz.so.1", "zlib1g"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"), ("libxcb-shape.so.0", "libxcb-shape0"), ("libxkbcommon.so.0", "libxkbcommon0"),
])
def test_library_names_map_to_packages(tool, soname: str, package: str) -> None:
    assert tool.package_for(soname) == package


def test_this_machine_has_what_the_offscreen_tests_need(tool) -> None:
    plugin = tool.plugin_path("offscreen")
    assert plugin is not None and plugin.exists()
    assert tool.missing_libraries(plugin) == []
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "qt_system_libs.py"), "offscreen"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_window_without_a_display_is_refused_before_qt_starts(tool, monkeypatch, capsys) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(tool, "missing_libraries", lambda plugin: [])
    assert tool.main(["xcb"]) == 1
    assert "--summary" in capsys.readouterr().err
    monkeypatch.setattr(tool, "missing_libraries", lambda plugin: ["libxcb-cursor.so.0"])
    monkeypatch.setattr(tool, "apt_name", lambda package: package)
    assert tool.main(["xcb"]) == 1
    assert "sudo apt-get install -y libxcb-cursor0" in capsys.readouterr().err
