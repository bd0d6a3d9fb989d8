"""The core never imports Qt: only explorer/ui (and the GUI launch) may."""

from __future__ import annotations

import ast
from pathlib import Path

import explorer

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
