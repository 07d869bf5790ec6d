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
