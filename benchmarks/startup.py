"""From process start to the main window exposed (offscreen), median of several runs.

Target: <= 1.5 s on a 2-core machine. The child does what ``studio`` does up to
the window (QApplication, MainWindow, show) and reports when Qt says the window
is exposed; TensorFlow is not loaded by then (it loads afterwards, in the
background).

    .venv/bin/python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

CHILD = r"""
import sys
from PySide6.QtWidgets import QApplication
from studio.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
try:  # as run_app does: the bundled Korean font and the interface language
    from studio.ui import language
    language.install_fonts()
    language.install()
except ImportError:  # an older studio, for comparisons
    pass
window = MainWindow()
window.show()
while window.windowHandle() is None or not window.windowHandle().isExposed():
    app.processEvents()
print("exposed", "tensorflow" in sys.modules, flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    times, tf_loaded = [], False
    for _ in range(args.runs):
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True, env=env)
        line = child.stdout.readline()
        times.append(time.perf_counter() - start)
        tf_loaded |= line.split()[-1] == "True"
        child.kill()
        child.wait()
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"QPA {env['QT_QPA_PLATFORM']}")
    print(f"start -> window exposed: median {statistics.median(times):.2f} s, best {min(times):.2f} s, "
          f"worst {max(times):.2f} s over {args.runs} runs (target <= 1.5 s); TensorFlow loaded before: {tf_loaded}")


if __name__ == "__main__":
    main()
