"""Import boundaries: Qt only under app/ui, no server code in the client, a pure domain."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def qualified_imports(path: Path) -> set[str]:
    """Like ``imports``, with ``from a.b import c`` counted as ``a.b.c`` (c may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_pyside6_only_under_app_ui():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("app", "server")
        for path in modules(folder)
        if "app/ui" not in path.as_posix() and any(name.split(".")[0] == "PySide6" for name in imports(path))
    ]
    assert offenders == []


def test_app_never_imports_server():
    offenders = [str(p.relative_to(ROOT)) for p in modules("app") if any(n.split(".")[0] == "server" for n in imports(p))]
    assert offenders == []


def test_domain_is_pure():
    forbidden = {"sqlalchemy", "sqlcipher3", "sqlite3", "PySide6", "requests", "openpyxl", "reportlab", "os",
                 "pathlib", "socket", "keyring"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in imports(path) if n.split(".")[0] in forbidden)
        for path in modules("app/domain")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_layers_point_one_way():
    rules = {"app/lists": {"app.store", "app.documents", "app.sync", "app.ui"},
             "app/domain": {"app.lists", "app.store", "app.documents", "app.sync", "app.ui"}}
    offenders = []
    for folder, forbidden in rules.items():
        for path in modules(folder):
            for name in imports(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_server_imports_only_the_shared_parts_of_app():
    """The list format, the wire format and the chain hash are shared; nothing else of the client is."""
    allowed = ("app.domain", "app.lists", "app.sync.protocol")
    offenders = []
    for path in modules("server"):
        for name in qualified_imports(path):
            if (name == "app" or name.startswith("app.")) and not any(
                    name == prefix or name.startswith(prefix + ".") for prefix in allowed):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_sync_engine_has_no_qt():
    offenders = [str(p.relative_to(ROOT)) for p in modules("app/sync")
                 if any(n.split(".")[0] == "PySide6" for n in imports(p))]
    assert offenders == []


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
    found = []
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
