"""The core never imports Qt: only explorer/ui (and the GUI launch) may."""

from __future__ import annotations

import ast
from pathlib import Path

import explorer
from explorer.tabs import TAB_NAMES

PACKAGE = Path(explorer.__file__).resolve().parent
QT_MODULES = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_qt():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "ui":
            continue
        for name in imported_modules(path):
            if name.split(".")[0] in QT_MODULES:
                offenders.append(f"{relative}: {name}")
    assert offenders == []


def test_core_modules_do_not_import_the_ui_at_module_level():
    # The CLI and the app entry import explorer.ui lazily, inside functions, so that
    # `explorer --help` and argument errors work without Qt.
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "ui":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("explorer.ui"):
                offenders.append(str(relative))
            if isinstance(node, ast.Import) and any(
                a.name.startswith("explorer.ui") for a in node.names
            ):
                offenders.append(str(relative))
    assert offenders == []


def test_the_core_imports_without_qt_installed(tmp_path):
    import subprocess
    import sys

    # A meta-path finder that refuses Qt proves the core needs none of it.
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        "import sys\n"
        "class _NoQt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {QT_MODULES!r}:\n"
        "            raise ImportError('Qt is blocked in this test: ' + name)\n"
        "sys.meta_path.insert(0, _NoQt())\n"
    )
    core = [
        p.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] != "ui" and p.name != "__main__.py"
    ]
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in core)
    env = {"PYTHONPATH": f"{tmp_path}:{PACKAGE.parent}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Every explorer module and the explorer modules it imports, lazily or not.

    ``from explorer.a import b`` counts as importing ``explorer.a.b`` when that is a module,
    else ``explorer.a``.
    """
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets = [
                    f"{node.module}.{alias.name}"
                    if f"{node.module}.{alias.name}" in modules
                    else node.module
                    for alias in node.names
                ]
            else:
                continue
            edges.update(t for t in targets if t in modules and t != name)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` as a list of modules, or [] (iterative DFS)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if root in state:
            continue
        path = [root]
        stack = [iter(sorted(graph[root]))]
        state[root] = 1
        while stack:
            child = next(stack[-1], None)
            if child is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif child not in state:
                state[child] = 1
                path.append(child)
                stack.append(iter(sorted(graph[child])))
    return []


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


# The engine's Tensor and Module are each one class whose methods are spread over a few modules.
CYCLES_ALLOWED_IN = ("explorer.engine",)


def test_no_import_cycles_even_through_lazy_imports():
    graph = import_graph()
    for name in graph:
        # A package __init__ that re-exports its modules is not a cycle with them.
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
        if name.startswith(CYCLES_ALLOWED_IN):
            graph[name] = set()
    assert find_cycle(graph) == []


TABS = TAB_NAMES


def test_tabs_never_import_each_other():
    offenders = []
    for name, targets in import_graph().items():
        parts = name.split(".")
        if parts[:2] != ["explorer", "ui"] or len(parts) < 3 or parts[2] not in TABS:
            continue
        for target in targets:
            other = target.split(".")
            if other[:2] == ["explorer", "ui"] and len(other) > 2 and other[2] in TABS:
                if other[2] != parts[2]:
                    offenders.append(f"{name} -> {target}")
    assert offenders == []
