"""What import-linter cannot see of the layering (its contracts are in pyproject.toml, run by `make test`).

import-linter reads import statements: it cannot tell a lazy import from a module-level one, nor see a package
outside the studio that loads Qt behind the studio's back. These tests import the modules and look.
"""

import pkgutil
import subprocess
import sys

import pytest

import studio

QT_FREE = sorted(
    f"studio.{m.name}" for m in pkgutil.iter_modules(studio.__path__) if m.ispkg and m.name != "ui"
)


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_no_qt_outside_ui():
    for package in QT_FREE:
        # Every submodule, and what each loads from outside the studio, which import-linter does not follow.
        code = (f"import importlib, pkgutil, sys, {package} as p\n"
                f"for m in pkgutil.walk_packages(p.__path__, '{package}.'):\n"
                f"    importlib.import_module(m.name)\n"
                f"print('\\n'.join(sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        qt = {m for m in out.stdout.split() if m.split(".")[0] in {"PySide6", "shiboken6", "pyqtgraph"}}
        assert not qt, f"{package} imports Qt: {sorted(qt)[:5]}"


@pytest.mark.parametrize("package", ["studio.core", "studio.data"])
def test_core_and_data_imports_do_not_load_tensorflow(package):
    modules = _modules_after_import(package)
    assert not {"tensorflow", "keras"} & modules
