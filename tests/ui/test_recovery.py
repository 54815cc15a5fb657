"""Nothing lost: the open project is autosaved; after a kill the next start recovers it; a clean exit leaves nothing."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from studio.core import recovery

CHILD = textwrap.dedent("""
    import sys, time
    from PySide6.QtWidgets import QApplication
    from studio.ui import commands
    from studio.ui.main_window import MainWindow
    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.show()
    graph = window.document.graph
    window.document.push(commands.AddNode(graph, "Input", (0.0, 0.0), {"shape": [4]}, name="features"))
    window.document.push(commands.AddNode(graph, "Dense", (200.0, 0.0), {"units": 7}, name="crash_me"))
    window.autosave()
    print("saved", flush=True)
    if sys.argv[1] == "wait":
        time.sleep(120)
    else:  # a clean exit: the user saved elsewhere or discarded, then closed the window
        window.document.undo_stack.setClean()
        window.close()
        app.processEvents()
        print("closed", flush=True)
""")


@pytest.fixture
def recovery_dir(tmp_path, monkeypatch):
    folder = tmp_path / "recovery"
    monkeypatch.setenv("STUDIO_RECOVERY_DIR", str(folder))
    return folder


def run_child(mode, folder):
    env = dict(os.environ, STUDIO_RECOVERY_DIR=str(folder), QT_QPA_PLATFORM="offscreen", TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.Popen([sys.executable, "-c", CHILD, mode], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)


def test_a_killed_studio_is_recovered_at_the_next_start(window, recovery_dir):
    child = run_child("wait", recovery_dir)
    try:
        assert child.stdout.readline().strip() == "saved"
        written = recovery_dir / f"{child.pid}.recovery.json"
        assert json.loads(written.read_text())["project"]["graph"]["layers"][1]["name"] == "crash_me"
        assert recovery.find_recoveries() == []  # the studio that wrote it still runs
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    found = recovery.find_recoveries()
    assert [r.pid for r in found] == [child.pid] and found[0].name == "model"
    assert window.offer_recovery(answer="recover")
    assert [n.name for n in window.document.graph] == ["features", "crash_me"]
    assert window.document.dirty  # recovered work is unsaved until the user saves it
    assert not written.exists() and recovery.find_recoveries() == []


def test_a_clean_exit_removes_the_recovery_file(recovery_dir):
    child = run_child("close", recovery_dir)
    out, _ = child.communicate(timeout=120)
    assert out.split() == ["saved", "closed"] and child.returncode == 0
    assert list(recovery_dir.glob("*.recovery.json")) == []


def test_autosave_follows_unsaved_changes_and_discard_removes(window, qtbot, recovery_dir):
    from studio.ui import commands
    window.autosave_timer.setInterval(50)
    window.document.push(commands.AddNode(window.document.graph, "Input", (0.0, 0.0), {"shape": [3]}))
    own = recovery.own_file()
    qtbot.waitUntil(own.exists, timeout=5000)
    window.document.undo_stack.setClean()
    qtbot.waitUntil(lambda: not own.exists(), timeout=5000)  # nothing unsaved: nothing to recover
    stale = recovery_dir / "999999991.recovery.json"
    stale.write_text(json.dumps({"format": recovery.FORMAT, "version": 1, "pid": 999999991, "saved": 1.0,
                                 "original": None, "project": {"format": "perceptron-studio/project",
                                                               "version": 2, "graph": {"layers": []}}}))
    (recovery_dir / "999999992.recovery.json").write_text("{damaged")
    assert [r.pid for r in recovery.find_recoveries()] == [999999991]  # the damaged file is skipped
    assert not window.offer_recovery(answer="discard")
    assert not stale.exists() and (recovery_dir / "999999992.recovery.json").exists()
