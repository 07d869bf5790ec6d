"""Import boundaries: every arrow of the layering points one way, Qt only under app/ui, a pure domain.

The allowed imports are the table in ``docs/ARCHITECTURE.md``; ``LAYERS`` below is that table, and
``layering_violations(root)`` checks a source tree against it. Every import counts: ``import a.b``, ``from a import b``
(``b`` may be a module, so it counts as ``a.b``), relative imports, imports inside functions, and
``importlib.import_module("a.b")`` with a literal name. The checker takes a root folder so the test of the test can
run it on a small tree with a backwards import in it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS: dict[str, frozenset[str]] = {
    "app.domain": frozenset(),
    "app.resources": frozenset(),
    "app.lists": frozenset({"app.domain", "app.resources"}),
    "app.wire": frozenset({"app.domain", "app.lists"}),
    "app.documents": frozenset({"app.domain", "app.lists", "app.resources"}),
    "app.store": frozenset({"app.domain", "app.lists", "app.documents", "app.resources"}),
    "app.sync": frozenset({"app.domain", "app.lists", "app.wire", "app.store", "app.resources"}),
    "app.ui": frozenset({"*"}),
    "app": frozenset({"*"}),  # app's own top-level modules: cli.py, __main__.py, __init__.py
    "server": frozenset({"app.domain", "app.lists", "app.wire", "app.resources"}),
}
"""Each layer (a package, or ``app`` for app's top-level modules) → the layers of ``app`` it may import.
``"*"`` means any layer of ``app``. Nothing under ``app`` may import ``server``; PySide6 only under ``app/ui``."""

QT_LAYERS = frozenset({"app.ui"})
CHECKED_FOLDERS = ("app", "server")


@dataclass(frozen=True)
class Import:
    line: int
    name: str


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The layer a module (or a name inside one) belongs to; None for a module of ``app`` in no layer."""
    parts = module.split(".")
    if parts[0] == "server":
        return "server"
    if parts[0] != "app":
        return None
    if len(parts) == 1:
        return "app"
    if "app." + parts[1] in LAYERS:
        return "app." + parts[1]
    return "app" if len(parts) == 2 else None  # app/cli.py is ``app``; app/newpart/x.py is in no layer


def file_layer(root: Path, path: Path) -> str | None:
    """The layer of a source file: its package under ``app`` (or ``app.resources``), ``app`` for app's other top-level
    modules, ``server`` for the server; None for a package of ``app`` the table does not name."""
    parts = path.relative_to(root).parts
    if parts[0] == "server":
        return "server"
    if len(parts) == 2:
        name = "app." + Path(parts[1]).stem
        return name if name in LAYERS else "app"
    return "app." + parts[1] if "app." + parts[1] in LAYERS else None


def imported_names(root: Path, path: Path) -> list[Import]:
    """Every module name a file imports, anywhere in it; ``from a import b`` counts as ``a.b`` (b may be a module)."""
    module = module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend(Import(node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.extend(Import(node.lineno, source if alias.name == "*" else f"{source}.{alias.name}")
                         for alias in node.names)
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id in ("import_module", "__import__")))):
            found.append(Import(node.lineno, node.args[0].value))
    return found


def source_files(root: Path) -> list[Path]:
    return sorted(path for folder in CHECKED_FOLDERS if (root / folder).is_dir()
                  for path in (root / folder).rglob("*.py"))


def layering_violations(root: Path) -> list[str]:
    """Every import under ``root/app`` and ``root/server`` that the layering does not allow, one line each."""
    problems: list[str] = []
    for path in source_files(root):
        where = path.relative_to(root).as_posix()
        layer = file_layer(root, path)
        if layer is None:
            problems.append(f"{where}: in no layer (add its package to LAYERS and to docs/ARCHITECTURE.md)")
            continue
        allowed = LAYERS[layer]
        for item in imported_names(root, path):
            top = item.name.split(".")[0]
            if top == "PySide6" and layer not in QT_LAYERS:
                problems.append(f"{where}:{item.line} imports {item.name} (PySide6 only under app/ui)")
            elif top == "server" and layer != "server":
                problems.append(f"{where}:{item.line} imports {item.name} (app never imports server)")
            elif top == "app":
                target = layer_of(item.name)
                if target == layer or "*" in allowed or target in allowed:
                    continue
                may = ", ".join(sorted(allowed)) or "nothing of app"
                problems.append(f"{where}:{item.line} imports {item.name} ({layer} may import {may})")
    return sorted(problems)


def test_every_import_follows_the_layering() -> None:
    assert layering_violations(ROOT) == []


def test_domain_is_pure() -> None:
    """No I/O, no database, no Qt, no network in the domain: the rules are pure functions of values."""
    forbidden = {"sqlalchemy", "sqlcipher3", "sqlite3", "PySide6", "requests", "openpyxl", "reportlab", "os",
                 "pathlib", "socket", "keyring"}
    offenders = {
        path.relative_to(ROOT).as_posix(): sorted({i.name for i in imported_names(ROOT, path)
                                                   if i.name.split(".")[0] in forbidden})
        for path in sorted((ROOT / "app" / "domain").rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


# --- the test of the test ---------------------------------------------------------------------------------------------


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


ALLOWED_TREE = {
    "app/__init__.py": "",
    "app/cli.py": "from app.sync import engine\nfrom app.ui import main_window\n",
    "app/resources.py": "import sys\n",
    "app/domain/model.py": "import datetime\n",
    "app/lists/reader.py": "from app.domain.model import Beneficiary\nfrom app.resources import resource_path\n",
    "app/wire/codec.py": "from app.lists.parsed import ParsedList\nfrom . import errors\n",
    "app/documents/sheet.py": "from app.lists import parsed\n",
    "app/store/printing.py": "from app.documents import sheet\nfrom .lists import apply_list\n",
    "app/sync/engine.py": "from app.store.sync import OutboxEntry\nfrom app.wire import codec\n",
    "app/ui/main_window.py": "from PySide6.QtWidgets import QWidget\nfrom app.sync import engine\nimport app.store\n",
    "server/api.py": "from app.wire import constants\nfrom app.domain import journal\nfrom server import db\n",
}


def test_the_checker_passes_a_tree_that_follows_the_layering(tmp_path: Path) -> None:
    write_tree(tmp_path, ALLOWED_TREE)
    assert layering_violations(tmp_path) == []


def test_the_checker_reports_every_kind_of_backwards_import(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        **ALLOWED_TREE,
        "app/store/sync.py": "import json\nfrom app.wire import codec\n",  # the arrow this layering removed
        "app/store/keys.py": "def make():\n    from app.sync.engine import SyncEngine\n",  # inside a function
        "app/store/offline.py": "from ..sync import engine\n",  # relative
        "app/domain/rules.py": "import app.store.database\n",
        "app/domain/money.py": "from app import resources\n",  # a leaf, but the domain does no I/O at all
        "app/resources.py": "from app.store import store\n",  # a leaf: importable from every layer, importing none
        "app/lists/columns.py": "from app import ui\n",  # `from a import b` where b is a module
        "app/wire/signing.py": "from app.store import keys\n",
        "app/documents/flow.py": "from app.store.printing import PrintingService\n",
        "app/sync/client.py": "from app.ui import tasks\n",
        "app/wire/constants.py": "from PySide6.QtCore import QObject\n",
        "app/store/embedded.py": "import server.cli\n",
        "app/domain/loader.py": "import importlib\nimportlib.import_module('app.sync.engine')\n",
        "app/newpart/thing.py": "x = 1\n",
        "server/ingest.py": "from app.store import payouts\nfrom app.sync.engine import SyncEngine\n",
        "server/cli.py": "from app import cli\n",
    })
    assert layering_violations(tmp_path) == [
        "app/documents/flow.py:1 imports app.store.printing.PrintingService (app.documents may import app.domain, "
        "app.lists, app.resources)",
        "app/domain/loader.py:2 imports app.sync.engine (app.domain may import nothing of app)",
        "app/domain/money.py:1 imports app.resources (app.domain may import nothing of app)",
        "app/domain/rules.py:1 imports app.store.database (app.domain may import nothing of app)",
        "app/lists/columns.py:1 imports app.ui (app.lists may import app.domain, app.resources)",
        "app/newpart/thing.py: in no layer (add its package to LAYERS and to docs/ARCHITECTURE.md)",
        "app/resources.py:1 imports app.store.store (app.resources may import nothing of app)",
        "app/store/embedded.py:1 imports server.cli (app never imports server)",
        "app/store/keys.py:2 imports app.sync.engine.SyncEngine (app.store may import app.documents, app.domain, "
        "app.lists, app.resources)",
        "app/store/offline.py:1 imports app.sync.engine (app.store may import app.documents, app.domain, app.lists, "
        "app.resources)",
        "app/store/sync.py:2 imports app.wire.codec (app.store may import app.documents, app.domain, app.lists, "
        "app.resources)",
        "app/sync/client.py:1 imports app.ui.tasks (app.sync may import app.domain, app.lists, app.resources, "
        "app.store, app.wire)",
        "app/wire/constants.py:1 imports PySide6.QtCore.QObject (PySide6 only under app/ui)",
        "app/wire/signing.py:1 imports app.store.keys (app.wire may import app.domain, app.lists)",
        "server/cli.py:1 imports app.cli (server may import app.domain, app.lists, app.resources, app.wire)",
        "server/ingest.py:1 imports app.store.payouts "
        "(server may import app.domain, app.lists, app.resources, app.wire)",
        "server/ingest.py:2 imports app.sync.engine.SyncEngine "
        "(server may import app.domain, app.lists, app.resources, app.wire)",
    ]


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


# --- the tests' own imports ----------------------------------------------------------------------------------------


def _fragile_import(name: str, local_modules: set[str]) -> bool:
    parts = name.split(".")
    return ("conftest" in parts  # pytest loads a conftest itself: imported again as a module, it runs twice
            or (parts[0] == "tests" and len(parts) > 1 and parts[1] != "builders")  # another test module
            or parts[0] in local_modules)  # found only because pytest put a test folder on sys.path


def fragile_test_imports(path: Path, local_modules: set[str]) -> list[str]:
    """The imports in ``path`` of anything under ``tests`` but ``tests.builders``, as ``line: module`` in line order.

    ``local_modules`` are the names of the modules in the test tree (a bare ``import harness`` works only while
    pytest has the module's folder on ``sys.path``).
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [(alias.name, [alias.name]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [(node.module, [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])]
        else:
            continue
        found.extend((node.lineno, module) for module, names in targets
                     if any(_fragile_import(name, local_modules) for name in names))
    return [f"{line}: {module}" for line, module in sorted(found)]


def test_modules_outside_the_test_builders_import_nothing_of_the_tests_but_the_builders():
    """Builders live in ``tests/builders``; conftest files hold fixtures only and test modules import no other."""
    local = {path.stem for path in modules("tests") if path.stem != "__init__"}
    offenders = [f"{path.relative_to(ROOT)}:{found}"
                 for folder in ("tests", "bench", "tools") for path in modules(folder)
                 for found in fragile_test_imports(path, local)]
    assert offenders == []


def test_the_test_import_check_names_a_conftest_a_test_module_and_a_module_found_by_its_folder(tmp_path: Path):
    sample = tmp_path / "test_sample.py"
    sample.write_text("from tests.store.conftest import DUC\n"
                      "from tests.ui.test_desk_flow import desk\n"
                      "def later():\n"
                      "    from harness import Province\n"
                      "import conftest\n"
                      "from tests.builders.store import HUE\n"
                      "from tests.builders import postgres\n"
                      "from app.store.store import Store\n", encoding="utf-8")
    assert fragile_test_imports(sample, {"harness", "conftest", "store"}) == [
        "1: tests.store.conftest", "2: tests.ui.test_desk_flow", "4: harness", "5: conftest"]


def test_ui_tests_drive_the_widgets_through_their_public_methods():
    """A test that reads ``panel._view`` breaks on every refactor of the panel; widgets name what tests may use."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}"
        for path in [*modules("tests/ui"), ROOT / "tests" / "builders" / "desk.py"]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
    ]
    assert offenders == []
