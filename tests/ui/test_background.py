"""Background: one rule for a failed task (a user's mistake in one line, a bug with its traceback); the Keras
loader is a Background task and still reports the devices."""

from __future__ import annotations

import pytest

from studio.classroom.labs import LabError
from studio.core.graph import GraphError
from studio.data.errors import Cancelled
from studio.ui.background import Background, failure


def _raise(exc):
    def task(progress, cancelled):
        raise exc
    return task


@pytest.mark.parametrize("error", [GraphError("the graph has no Input"), LabError("lab 3: no lesson file")])
def test_a_users_mistake_is_one_line_without_details(qtbot, error):
    task = Background()
    with qtbot.waitSignal(task.failed, timeout=5000) as failed:
        task.start(_raise(error))
    assert failed.args == [str(error), ""]
    qtbot.waitUntil(lambda: not task.busy)


def test_a_bug_is_reported_with_its_traceback(qtbot):
    task = Background()

    def buggy(progress, cancelled):
        return {}["missing"]
    with qtbot.waitSignal(task.failed, timeout=5000) as failed:
        task.start(buggy)
    message, details = failed.args
    assert message == "'missing'"
    assert "Traceback" in details and "KeyError: 'missing'" in details and "buggy" in details


def test_a_bug_without_a_message_is_named_by_its_type():
    try:
        raise RuntimeError()
    except RuntimeError as exc:
        message, details = failure(exc)
    assert message == "RuntimeError" and "RuntimeError" in details


def test_a_result_comes_back_and_cancelled_is_said(qtbot):
    task = Background()
    with qtbot.waitSignal(task.done, timeout=5000) as done:
        task.start(lambda progress, cancelled: 42)
    assert done.args == [42]
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.start(_raise(Cancelled()))
    assert task.wait(5) and not task.thread_alive


def _stub_keras(monkeypatch, devices=("CPU", "GPU:0"), error=None):
    from studio.core import registries

    def keras():
        if error is not None:
            raise error
    monkeypatch.setattr(registries, "keras", keras)
    monkeypatch.setattr(registries, "names", lambda registry, load=True: ("relu",))
    monkeypatch.setattr(registries, "devices", lambda: list(devices))


def test_the_keras_loader_reports_the_devices(qtbot, monkeypatch):
    from studio.ui.app import load_keras
    _stub_keras(monkeypatch)
    loader = Background(name="tensorflow-loader")
    with qtbot.waitSignal(loader.done, timeout=5000) as done:
        loader.start(load_keras)
    assert done.args == [["CPU", "GPU:0"]]


def test_the_keras_loader_names_what_failed(qtbot, monkeypatch):
    from studio.ui.app import load_keras
    _stub_keras(monkeypatch, error=ImportError("No module named 'tensorflow'"))
    loader = Background()
    with qtbot.waitSignal(loader.failed, timeout=5000) as failed:
        loader.start(load_keras)
    message, details = failed.args
    assert message == "ImportError: No module named 'tensorflow'"  # as the status bar has always said it
    assert "Traceback" in details


@pytest.fixture
def started(qtbot, tmp_path, monkeypatch):
    """start_window as ``studio`` runs it; closed as the ``window`` fixture closes its window."""
    from studio.training.runs import reset_scratch
    from studio.ui import language
    from studio.ui.app import start_window
    monkeypatch.setenv("HOME", str(tmp_path))
    reset_scratch()
    opened = []

    def start():
        opened.append(start_window(language="en"))
        return opened[-1]
    yield start
    for window, loader in opened:
        loader.wait(10)
        window.training.runner.shutdown()
        window.document.undo_stack.setClean()
        window.unsaved_runs = lambda: False
        window.close()
        window.deleteLater()
    language.install("en")


def test_the_window_says_which_device_trains_once_the_loader_is_done(qtbot, monkeypatch, started):
    _stub_keras(monkeypatch, devices=("CPU",))
    window, loader = started()
    qtbot.waitUntil(lambda: "ready" in window.tf_label.text(), timeout=10_000)
    assert window.tf_label.text() == "TensorFlow ready · training on CPU"
    assert window.training.ready


def test_the_window_says_tensorflow_failed(qtbot, monkeypatch, started):
    _stub_keras(monkeypatch, error=ImportError("broken"))
    window, loader = started()
    qtbot.waitUntil(lambda: "failed" in window.tf_label.text(), timeout=10_000)
    assert window.tf_label.text() == "TensorFlow failed to load: ImportError: broken"


@pytest.mark.parametrize("error, has_details", [(LabError("no data"), False), (KeyError("loss"), True)])
def test_training_fails_by_the_same_rule(error, has_details):
    from studio.core.errors import failure
    try:
        raise error  # a traceback, as the engine's error has one
    except Exception as exc:
        error = exc
    message, details = failure(error)
    assert message == str(error) and bool(details) == has_details


def test_a_run_that_cannot_train_is_one_line_from_the_training_child(qtbot, tmp_path):
    from training.helpers import mlp_project

    from studio.ui.worker import TrainingRunner
    project = mlp_project(tmp_path, epochs=1)
    project.data["path"] = "missing.csv"
    runner = TrainingRunner()
    try:
        with qtbot.waitSignal(runner.failed, timeout=120_000) as failed:
            runner.train(project)
        message, details = failed.args
        assert "missing.csv" in message and details == "" and not runner.running
        assert not runner.can_continue(project)
    finally:
        assert runner.shutdown()
