"""Labs, assignments and reports never hold the GUI thread: they run with the status bar's progress and Cancel."""

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer

from studio.classroom import labs
from studio.classroom.labs import find_lab, work_folder
from studio.classroom.packs import create_pack
from training.helpers import mlp_project


@pytest.fixture
def labs_home(tmp_path, monkeypatch):
    home = tmp_path / "labs"
    monkeypatch.setenv("STUDIO_LABS_HOME", str(home))
    return home


@pytest.fixture
def held(monkeypatch):
    """Past its first full chunk the worker waits until the test lets it go: the job is caught in the middle.

    The wait is on the worker thread (a stand-in for a slow disk); the test itself only waits on signals.
    """
    reached, release = threading.Event(), threading.Event()
    real_step = labs.Progress.step
    calls = []

    def step(self, n):
        real_step(self, n)  # reports, and raises Cancelled when asked to stop
        if threading.current_thread() is not threading.main_thread():
            calls.append(n)
            if not reached.is_set() and sum(calls) > labs.CHUNK:
                reached.set()
                release.wait(20)
                real_step(self, 0)  # as the next chunk would: sees the Cancel

    monkeypatch.setattr(labs.Progress, "step", step)
    yield reached, release
    release.set()


def _record(project):
    """A finished run's record, as the worker writes it."""
    import json

    from studio.training.runs import new_run_dir
    folder = new_run_dir(project)
    record = {"format": "perceptron-studio/run", "version": 1, "kind": "training", "epochs": 1, "reason": "completed",
              "metrics": {"train": {"loss": 0.5}, "validation": {"loss": 0.6}, "test": {"mae": 3.0}},
              "graph": project.graph.to_dict(), "data": project.data, "training": project.training}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    (folder / "history.json").write_text(json.dumps({"loss": [0.5], "val_loss": [0.6]}), encoding="utf-8")
    return folder


def _pack(tmp_path, rows=40_000):
    """A teacher's pack whose CSV spans a few chunks."""
    teacher = tmp_path / "teacher"
    teacher.mkdir()
    mlp_project(teacher)
    csv = teacher / "points.csv"
    head, *body = csv.read_text().splitlines()
    csv.write_text("\n".join([head] + [body[i % len(body)] for i in range(rows)]) + "\n")
    assert csv.stat().st_size > 2 * labs.CHUNK
    return create_pack(teacher / "points.studio.json", tmp_path / "points.studio-pack")


def test_opening_a_pack_returns_at_once_keeps_the_window_live_and_cancel_leaves_nothing(
        window, qtbot, tmp_path, labs_home, held):
    reached, release = held
    pack = _pack(tmp_path)
    ticks = []
    timer = QTimer(window, interval=20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    began = time.monotonic()
    assert window.open_assignment(str(pack))
    assert time.monotonic() - began < 1.0  # returns at once: the unzip runs on its own thread
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    # mid-unpack: the status bar says what runs, with its progress and a Cancel button, and events flow
    assert window.busy.isVisible() and window.busy.cancel_button.isVisible()
    assert window.busy.label.text() == "Opening the assignment…"
    qtbot.waitUntil(lambda: window.busy.bar.maximum() == 1000 and 0 < window.busy.bar.value() < 1000, timeout=5000)
    start = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) - start >= 10, timeout=5000)
    assert window.jobs.busy
    with qtbot.waitSignal(window.job_ended, timeout=5000) as ended:
        qtbot.mouseClick(window.busy.cancel_button, Qt.LeftButton)
    assert ended.args == ["assignment", False] and not window.busy.isVisible()
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.thread_alive, timeout=10_000)  # the worker has cleaned up
    assignments = labs_home / "assignments"
    assert not assignments.exists() or list(assignments.iterdir()) == []  # no half folder, no .points.opening-*
    assert window.document.path is None and window.tabs.currentWidget() is not window.lab
    timer.stop()


def test_starting_a_lab_runs_in_the_background_and_cancel_leaves_no_copy(window, qtbot, labs_home, held,
                                                                         monkeypatch):
    reached, release = held
    monkeypatch.setattr(labs, "CHUNK", 1024)  # lab 5's CSV is small: copy it in many pieces
    lab = find_lab(5)
    assert window.open_lab(lab)
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    assert window.busy.isVisible() and window.busy.label.text() == "Opening lab 5…"
    with qtbot.waitSignal(window.job_ended, timeout=5000) as ended:
        qtbot.mouseClick(window.busy.cancel_button, Qt.LeftButton)
    assert ended.args == ["lab", False]
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.thread_alive, timeout=10_000)
    assert not labs_home.exists() or list(labs_home.iterdir()) == []
    with qtbot.waitSignal(window.job_ended, timeout=30_000) as ended:  # the next try goes through
        assert window.open_lab(lab)
    assert ended.args == ["lab", True]
    assert window.document.path == work_folder(lab) / lab.project and window.tabs.currentWidget() is window.lab


def test_a_damaged_pack_is_one_line_in_a_dialog_and_the_window_goes_on(window, qtbot, tmp_path, labs_home):
    pack = tmp_path / "broken.studio-pack"
    pack.write_text("not a zip")
    with qtbot.waitSignal(window.job_ended, timeout=10_000) as ended:
        assert window.open_assignment(str(pack))
    assert ended.args == ["assignment", False]
    box = window.job_error
    assert "not a readable assignment pack" in box.text() and not box.detailedText()
    box.close()


def test_export_as_assignment_and_run_report_run_in_the_background(window, qtbot, tmp_path, labs_home):
    with qtbot.waitSignal(window.job_ended, timeout=30_000):
        assert window.open_lab(find_lab(5))
    pack = tmp_path / "out.studio-pack"
    with qtbot.waitSignal(window.job_ended, timeout=30_000) as ended:
        assert window.export_assignment(str(pack))
    assert ended.args == ["export-assignment", True] and pack.is_file()
    _record(window.document.project)
    report = tmp_path / "report.html"
    with qtbot.waitSignal(window.job_ended, timeout=30_000) as ended:
        assert window.save_report(str(report))
    assert ended.args == ["report", True] and "<html" in report.read_text(encoding="utf-8").lower()


def test_tensorboard_is_offered_once_a_run_is_recorded(window, qtbot):
    button = window.results.runs_panel.tensorboard_button
    assert not button.isEnabled() and "Train the model once" in button.toolTip()
    window.open_tensorboard()  # nothing recorded yet: said, and no server started
    assert window.statusBar().currentMessage() == "Train the model once: TensorBoard shows the recorded runs."
    assert window.tensorboard is None and not window.tensorboard_starter.busy
    _record(window.document.project)  # the untitled project's runs folder
    window._load_runs()
    assert button.isEnabled() and "TensorBoard" in button.toolTip()
