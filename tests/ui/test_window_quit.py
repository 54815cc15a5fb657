"""Quitting is quick whatever runs: after a real Import Model, with a loader child hanging, the process tree
is gone within 2 s of closing the window (the real application's exit path, in a subprocess)."""

import os
import subprocess
import sys
import textwrap
import time

SCRIPT = textwrap.dedent("""
    import os, sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from studio.resources import resource
    from studio.training import safe_load
    from studio.ui.app import quit_now, start_window

    window, loader = start_window()
    app = QApplication.instance()
    out = sys.argv[1]
    steps = []

    def next_step(kind=None, ok=True):
        if not ok:
            print("FAILED", kind, flush=True); quit_now(3)
        step = steps.pop(0)
        QTimer.singleShot(0, step)

    def export():
        window.open_project(str(resource("examples", "mnist_mlp.studio.json")))
        window.export_model_file(out)

    def import_it():
        window.import_model_file(out)

    def hang_and_close():
        safe_load.stop_loader()
        os.environ["STUDIO_TEST_LOADER_HANGS"] = "1"  # the next import's child never answers
        window.job_ended.disconnect(next_step)
        window.document.undo_stack.setClean()  # the first import left an unsaved project: no question here
        window.import_model_file(out)
        def close():
            print("CHILD", safe_load._loader.process.pid, flush=True)
            print("CLOSING", time.time(), flush=True)
            window.document.undo_stack.setClean()  # an imported project is unsaved: no question here
            window.close()
        QTimer.singleShot(1500, close)

    steps += [import_it, hang_and_close]
    window.job_ended.connect(next_step)
    QTimer.singleShot(0, export)
    quit_now(app.exec())
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie left for its (dead) parent's reaper counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


def test_closing_after_an_import_ends_the_process_tree_within_2_s(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("STUDIO_TEST_LOADER_HANGS", None)
    process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp_path / "m.h5")], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    child, closing = None, None
    try:
        for line in process.stdout:
            if line.startswith("CHILD"):
                child = int(line.split()[1])
            elif line.startswith("CLOSING"):
                closing = float(line.split()[1])
                break
            elif line.startswith("FAILED"):
                raise AssertionError(line)
        assert closing is not None, "the window never got to closing"
        process.wait(10)
        took = time.time() - closing
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert took < 2.0, f"quitting took {took:.1f} s"
    deadline = time.monotonic() + 1
    while child is not None and _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child is not None and not _alive(child), "the loader child outlived the application"
