"""How responsive the window stays while it trains the MNIST MLP, and what the GUI costs training.

A 10 ms QTimer on the GUI thread records how late each tick fires while the
application trains the MNIST MLP example (one epoch, 54,000 images, live
curves and progress on). Targets: p99 lateness <= 16 ms, max <= 100 ms
(a frame at 60 Hz; a tenth of a second). The window trains in its training
child (``studio.training.remote``); the time from pressing Train to the first
progress report is printed too (the first round is the window's first Train). The same training run headless
through the engine in a process of its own (no Qt) is timed alternately with
the app run, and the ratio of medians must be <= 1.05. The window's resident
memory is printed while editing and after the runs, and whether it imported
TensorFlow (it should not: its child has).

Training time is measured the same way in both: from the engine's ``started``
report (after data and model are prepared) to its last ``epoch_ended``.

    xvfb-run -a env QT_QPA_PLATFORM=xcb .venv/bin/python benchmarks/ui_latency.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from studio.resources import resource  # noqa: E402

TICK_MS = 10
EXAMPLE = resource("examples", "mnist_mlp.studio.json")


def configure(project) -> None:
    project.training.update(epochs=1, batch_size=32, seed=1)


HEADLESS = """
import sys, time
from studio.core.project import load_project
from studio.training.engine import Reporter, TrainingJob
marks = {}
project = load_project(sys.argv[1])
project.training.update(epochs=1, batch_size=32, seed=1)
job = TrainingJob(project, Reporter(started=lambda info: marks.setdefault("start", time.perf_counter()),
                                    epoch_ended=lambda e, logs: marks.__setitem__("end", time.perf_counter())))
job.train()
print(marks["end"] - marks["start"])
"""


def headless_seconds() -> float:
    """The same training through the engine in a process of its own, as the window's child runs it (no Qt)."""
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", HEADLESS, str(EXAMPLE)], capture_output=True, text=True,
                          check=True, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    return float(done.stdout.split()[-1])


def app_run(window) -> tuple[float, np.ndarray]:
    """Train in the window; returns the training time and every tick's lateness (ms) during it."""
    window.open_project(str(EXAMPLE))
    configure(window.document.project)
    window.training.load_settings()
    window.tabs.setCurrentWidget(window.training)  # the curves must be on screen (a run ends on Results)
    clock, ticks, marks = QElapsedTimer(), [], {}
    clock.start()
    timer = QTimer(interval=TICK_MS, timerType=Qt.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    runner, loop = window.training.runner, QEventLoop()
    now = lambda: (time.perf_counter(), clock.nsecsElapsed() / 1e6, time.process_time())  # noqa: E731
    connections = [runner.started.connect(lambda info: marks.setdefault("start", now())),
                   runner.progress.connect(lambda info: marks.setdefault("progress", now())),
                   runner.epoch_ended.connect(lambda e, logs: marks.__setitem__("end", now())),
                   window.training.trained.connect(lambda *a: loop.quit()),
                   runner.failed.connect(lambda message, details: (print(details), loop.quit()))]
    timer.start()
    marks["click"] = now()
    window.training.train_button.click()
    loop.exec()
    timer.stop()
    for connection in connections:
        QObject.disconnect(connection)
    (t0, c0, p0), (t1, c1, p1) = marks["start"], marks["end"]
    during = np.array([t for t in ticks if c0 <= t <= c1])
    # the window's own processor time while its child trained, as a share of one core
    return t1 - t0, np.diff(during) - TICK_MS, marks["progress"][0] - marks["click"][0], (p1 - p0) / (t1 - t0)


def resident_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from studio.ui.main_window import MainWindow
    app = QApplication.instance() or QApplication([])
    started = time.perf_counter()
    window = MainWindow()
    window.unsaved_runs = lambda: False  # each round opens the example again: its scratch runs are not asked about
    window.show()
    rss_editing = resident_mb()
    if not window.training.runner.remote.ready.is_set():  # TensorFlow loads in the window's child
        loop = QEventLoop()
        window.training.runner.loaded.connect(loop.quit)
        loop.exec()
    launched = time.perf_counter()
    _, _, first_train, _ = app_run(window)  # a fresh launch: Train pressed as soon as TensorFlow has loaded
    window.document.undo_stack.setClean()
    headless_times, app_times, lateness, first_progress, gui_cpu = [], [], [], [], []
    headless_seconds()  # warm-up: first graph tracing and data load
    for _ in range(args.rounds):
        headless_times.append(headless_seconds())
        seconds, late, progress, cpu = app_run(window)
        app_times.append(seconds)
        gui_cpu.append(cpu)
        lateness.append(late)
        first_progress.append(progress)
        window.document.undo_stack.setClean()
    late = np.concatenate(lateness)
    ratio = statistics.median(app_times) / statistics.median(headless_times)
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"QPA {os.environ['QT_QPA_PLATFORM']}, {args.rounds} rounds")
    print(f"training time: headless {', '.join(f'{t:.2f}' for t in headless_times)} s; "
          f"in the app {', '.join(f'{t:.2f}' for t in app_times)} s; ratio of medians {ratio:.3f} (target <= 1.05)")
    print(f"{TICK_MS} ms timer lateness over {len(late):,} ticks: median {np.median(late):.1f} ms, "
          f"p99 {np.percentile(late, 99):.1f} ms (target <= 16), max {late.max():.1f} ms (target <= 100)")
    print(f"Train pressed to first progress: the window's first Train {first_train:.2f} s ({launched - started:.1f} s "
          f"after the window opened); later Trains {', '.join(f'{t:.2f}' for t in first_progress)} s")
    print(f"the window's processor time while training: {', '.join(f'{c:.1%}' for c in gui_cpu)} of one core")
    loaded = [name for name in ("tensorflow", "keras") if name in sys.modules]
    print(f"the window's resident memory: {rss_editing:.0f} MB editing, {resident_mb():.0f} MB after the runs; "
          f"TensorFlow imported in the window: {'yes (' + ', '.join(loaded) + ')' if loaded else 'no'}; "
          f"its child: {resident_mb(window.training.runner.remote.process.pid):.0f} MB")
    window.training.runner.shutdown()
    app.quit()


if __name__ == "__main__":
    main()
