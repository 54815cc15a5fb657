"""The window survives its training: the engine runs in a child process, which may be killed mid-epoch."""

import signal

import numpy as np
from PySide6.QtWidgets import QMessageBox

from training.helpers import recorded_model

from studio.training.model_files import load_model
from studio.ui import self_test


def long_small_mnist(window) -> None:
    """A 16-unit MNIST MLP on 600 images for 200 epochs: short epochs, a run that lasts."""
    report = self_test.build_mnist_mlp(window, hidden=(16,), optimizer="Adam", learning_rate=0.001)
    assert report.ok, report.errors
    window.document.project.data["limit"] = 600
    window.document.project.training["epochs"] = 200
    window.training.load_settings()


def test_a_child_killed_mid_epoch_leaves_the_window_and_continue_resumes_from_its_last_epoch(window, qtbot):
    long_small_mnist(window)
    before = window.document.project.to_dict()
    panel = window.training
    with qtbot.waitSignal(panel.runner.epoch_ended, timeout=120_000):
        panel.train_button.click()
    qtbot.waitUntil(lambda: panel.runner.remote.checkpoint is not None, timeout=60_000)
    with qtbot.waitSignal(panel.runner.crashed, timeout=60_000) as crashed:
        panel.runner.remote.process.send_signal(signal.SIGKILL)  # as the system's out-of-memory killer would
    message, can_continue = crashed.args
    kept = int(message.split("the weights of epoch ")[1].split(" ")[0])
    assert message.startswith("the training process was killed (SIGKILL") and can_continue and kept >= 1
    box = panel.error_box
    assert box.isVisible() and box.icon() == QMessageBox.Warning and "\n" not in box.text()
    assert window.isVisible() and window.document.project.to_dict() == before  # nothing of the project lost
    assert panel.train_button.isEnabled() and panel.continue_button.isEnabled() and not panel.stop_button.isEnabled()
    kept_weights = load_model(panel.runner.source["path"])[0].get_weights()
    panel.epochs.setValue(kept + 1)  # Continue goes on to the Epochs box: one epoch more than was kept
    go_on = next(b for b in box.buttons() if b.text() == "Continue training")
    with qtbot.waitSignal(panel.runner.started, timeout=120_000) as started:
        go_on.click()
    assert started.args[0]["initial_epoch"] == kept  # from the last completed epoch, not from new weights
    with qtbot.waitSignal(panel.trained, timeout=120_000) as done:
        pass
    result, _ = done.args
    assert result.reason == "completed" and result.epochs_done == kept + 1 and len(result.history["loss"]) == kept + 1
    trained = recorded_model(panel.runner.job).get_weights()
    assert any(not np.array_equal(a, b) for a, b in zip(kept_weights, trained))  # it trained on


def test_stop_while_the_child_starts_stops_the_job_as_soon_as_it_begins(window, qtbot):
    long_small_mnist(window)
    panel = window.training
    with qtbot.waitSignal(panel.trained, timeout=120_000) as done:
        panel.train_button.click()
        panel.stop_button.click()  # before the child has even prepared the data
    assert done.args[0].reason == "stopped" and done.args[0].epochs_done <= 1


def test_a_child_killed_while_idle_is_replaced_with_a_line_not_a_box(window, qtbot):
    runner = window.training.runner
    qtbot.waitUntil(runner.remote.ready.is_set, timeout=120_000)
    first = runner.remote.process
    boxes = []
    runner.crashed.connect(lambda *args: boxes.append(args))
    with qtbot.waitSignal(runner.note, timeout=30_000) as said:
        first.send_signal(signal.SIGKILL)
    assert said.args[0] == "the training process was killed (SIGKILL); a new one was started"  # no memory guess
    assert boxes == [] and runner.remote.process is not first and window.training.train_button.isEnabled()
