"""The package is installable: a wheel built from this checkout, installed into a fresh virtual environment outside
it, runs the desk (self-test, a list import, a print) and the province server (init, serve, a console page).

Nothing may be found next to the checkout: the installed program runs from a scratch folder, and the test checks that
``app`` and ``server`` are imported from the new environment (the laptop's keyring is the suite's stand-in, copied on
its own). The dependencies (PySide6, FastAPI, …) are not
downloaded again: the wheel is installed with ``--no-deps`` and the new environment sees this environment's
site-packages through a ``.pth`` line. A ``.pth`` line only adds a folder to ``sys.path`` (the folder's own ``.pth``
files are not run), so the editable install of this checkout stays invisible there.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_FILES = (  # a few by name, so a failure reads plainly; ``shipped`` below requires every one
    "app/resources/fonts/DejaVuSans.ttf",
    "app/resources/fonts/LICENSE-DejaVu.txt",
    "app/resources/policy/regimes.json",
    "app/resources/translations/payout_desk_en.qm",
    "app/resources/translations/qtbase_vi.qm",
    "app/store/migrations/versions/0001_initial.py",
    "server/migrations/env.py",
    "server/web/templates/base.html",
    "server/web/static/console.css",
)


def shipped() -> set[str]:
    """Every file the packages hold in this checkout (code, data, templates, migrations), with each translation as
    its compiled ``.qm`` — what the wheel must carry."""
    found = set()
    for top in ("app", "server"):
        for path in (ROOT / top).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".qm"):
                continue
            name = path.relative_to(ROOT).as_posix()
            found.add(name[:-3] + ".qm" if path.suffix == ".ts" else name)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 120,
         stdin: str | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, input=stdin)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """(the new environment's bin folder, the environment variables to run it with)."""
    scratch = tmp_path_factory.mktemp("package")
    wheels = scratch / "wheels"
    started = time.monotonic()
    # setuptools stages the package in build/lib and never removes a file the checkout no longer has: a migration
    # renamed since the last build would ship twice and give alembic two heads. Staging output only, never committed.
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "--no-index",
          "--quiet", "-w", str(wheels)], scratch, dict(os.environ))
    (wheel,) = wheels.glob("payout_desk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(name for name in {*RUNTIME_FILES, *shipped()} if name not in names)
    assert not missing, f"the wheel lacks {missing}"
    assert not any(name.startswith(("tests/", "bench/", "tools/")) for name in names)
    target = scratch / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet",
          str(wheel)], scratch, dict(os.environ))
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     scratch, dict(os.environ)).stdout.strip())
    (site / "_payout_desk_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    # The laptop's keyring: the suite's stand-in (tests/builders/os_keyring.py), copied alone into a folder of its own
    # so that the folder put on PYTHONPATH holds nothing of this checkout's packages.
    stand_in = scratch / "keyring-backend"
    stand_in.mkdir()
    (stand_in / "pd_stand_in_keyring.py").write_text(
        (ROOT / "tests" / "builders" / "os_keyring.py").read_text(encoding="utf-8"), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "PAYOUT_"))}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(stand_in),
               PYTHON_KEYRING_BACKEND="pd_stand_in_keyring.TestKeyring", PAYOUT_DESK_TEST_KEYRING=str(scratch / "os"),
               PAYOUT_DESK_KEY_DIR=str(scratch / "keys"), XDG_CONFIG_HOME=str(scratch / "config"),
               XDG_DATA_HOME=str(scratch / "data"), PAYOUT_SERVER_DB="")
    where = _run([str(python), "-c", "import app, server; print(app.__file__); print(server.__file__)"],
                 scratch, env).stdout.split()
    assert all(Path(path).is_relative_to(target) for path in where), where
    print(f"wheel built and installed in {time.monotonic() - started:.1f} s")
    return bin_dir, env


def test_the_installed_desk_imports_a_list_prints_and_passes_its_self_test(installed, tmp_path: Path) -> None:
    bin_dir, env = installed
    desk = str(bin_dir / "payout-desk")
    data = tmp_path / "xa"
    _run([desk, "demo-data", "--communes", "1", "--seed", "3", "--period", "2026-12", "--out", "ds.xlsx"],
         tmp_path, env)
    _run([desk, "import-list", "ds.xlsx", "--data-dir", str(data)], tmp_path, env)
    hits = json.loads(_run([desk, "search", "nguyen", "--json", "--data-dir", str(data)], tmp_path, env).stdout)["hits"]
    point = next(hit["point_id"] for hit in hits if hit["point_id"])
    printed = _run([desk, "print", "sheet-blank", "--point", point, "--out", "ds.pdf", "--data-dir", str(data)],
                   tmp_path, env)
    assert (tmp_path / "ds.pdf").read_bytes().startswith(b"%PDF") and "mã xác thực" in printed.stdout
    english = _run([desk, "--lang", "en", "--self-test", "--data-dir", str(data)], tmp_path, env, timeout=180)
    assert "self-test: ok" in english.stdout.splitlines(), english.stdout + english.stderr


def test_the_installed_server_initialises_serves_and_shows_the_console(installed, tmp_path: Path) -> None:
    bin_dir, env = installed
    server = str(bin_dir / "payout-server")
    data = tmp_path / "tinh"
    _run([server, "--data", str(data), "init", "--key-out", str(tmp_path / "usb" / "key.txt"), "--passphrase-stdin"],
         tmp_path, env, stdin="một câu thơ có số 12\n")
    port = _free_port()
    ready = tmp_path / "ready.json"
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen([server, "--data", str(data), "serve", "--port", str(port), "--ready-file",
                                    str(ready)], cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
            assert time.monotonic() < deadline, "the installed server did not start"
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/console/signin", timeout=10) as page:
            html = page.read().decode("utf-8")
        assert page.status == 200 and "Đăng nhập" in html and "/console/static/console.css" in html
        with urllib.request.urlopen(f"{base}/console/static/console.css", timeout=10) as css:
            assert css.status == 200 and b"font-face" in css.read()
        with urllib.request.urlopen(f"{base}/console/fonts/DejaVuSans.ttf", timeout=10) as font:
            assert font.status == 200 and len(font.read()) > 100_000
    finally:
        process.terminate()
        process.wait(15)
