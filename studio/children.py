"""Commands that start a Python module as a child process, from a checkout or from the packaged app.

In a checkout the child is ``python -m MODULE``. In the PyInstaller bundle
there is no ``python``: the bundle's own executable is started with
``--run-module MODULE`` and runs it (``packaging/launcher.py``). Only the
modules listed here may be started that way.
"""

from __future__ import annotations

import sys

CHILD_MODULES = ("studio.training.safe_load", "tensorboard.main", "studio.training.watchdog", "studio.training.child",
                 "studio.tuning.host", "studio.service")


def module_command(module: str, *args: str) -> list[str]:
    if module not in CHILD_MODULES:
        raise ValueError(f"{module!r} is not a module the studio starts as a child")
    if getattr(sys, "frozen", False):
        return [sys.executable, "--run-module", module, *args]
    return [sys.executable, "-m", module, *args]
