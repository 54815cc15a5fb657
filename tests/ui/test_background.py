"""Background: one rule for a failed task (a user's mistake in one line, a bug with its traceback)."""

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
