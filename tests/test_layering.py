"""The layers point one way: only studio.ui may import Qt, and the core loads no TensorFlow."""

import pkgutil
import subprocess
import sys

import studio

QT_FREE = sorted(
    f"studio.{m.name}" for m in pkgutil.iter_modules(studio.__path__) if m.ispkg and m.name != "ui"
)


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_data_training_are_the_qt_free_packages():
    assert "studio.core" in QT_FREE
    assert "studio.ui" not in QT_FREE


def test_no_qt_outside_ui():
    for package in QT_FREE:
        # Every submodule too: a lazy import inside one would not show otherwise.
        code = (f"import importlib, pkgutil, sys, {package} as p\n"
                f"for m in pkgutil.walk_packages(p.__path__, '{package}.'):\n"
                f"    importlib.import_module(m.name)\n"
                f"print('\\n'.join(sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        qt = {m for m in out.stdout.split() if m.split(".")[0] in {"PySide6", "shiboken6", "pyqtgraph"}}
        assert not qt, f"{package} imports Qt: {sorted(qt)[:5]}"


def test_qt_free_packages_have_no_qt_import_statement():
    import re
    from pathlib import Path

    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|pyqtgraph)\b", re.M)
    root = Path(studio.__file__).parent
    for package in QT_FREE:
        for path in (root / package.split(".")[1]).rglob("*.py"):
            assert not pattern.search(path.read_text(encoding="utf-8")), f"{path} imports Qt"


def test_core_import_does_not_load_tensorflow():
    modules = _modules_after_import("studio.core")
    assert not {"tensorflow", "keras"} & modules
