"""The window as ``studio`` starts it: shown at once, TensorFlow loaded in its training child, which says when it
is ready (the devices, the registries' names, the optimizers' default rates) or why it cannot start."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def started(qtbot, tmp_path, monkeypatch):
    """start_window as ``studio`` runs it, with a child of its own (no spare one another test left)."""
    from studio.training import remote
    from studio.training.runs import reset_scratch
    from studio.ui import language
    from studio.ui.app import start_window
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(remote, "_SPARE", [])
    reset_scratch()
    opened = []

    def start():
        opened.append(start_window(language="en"))
        return opened[-1]
    yield start
    for window in opened:
        window.training.runner.shutdown()
        window.document.undo_stack.setClean()
        window.unsaved_runs = lambda: False
        window.close()
        window.deleteLater()
    language.install("en")


def test_the_window_says_which_device_trains_once_its_child_is_ready(qtbot, started):
    window = started()
    assert not window.training.ready and window.tf_label.text() == "Loading TensorFlow…"
    with qtbot.waitSignal(window.training.runner.loaded, timeout=120_000) as loaded:
        pass
    assert loaded.args == [["CPU"]]
    assert window.tf_label.text() == "TensorFlow ready · training on CPU"
    assert window.training.ready
    known = window.training.runner.remote.known
    optimizer = window.training.optimizer.currentText()
    assert window.training.rate.text() == f"{known['learning_rates'][optimizer]:g}"  # Keras' default, as said
    assert "relu" in known["activations"]


def test_the_window_says_tensorflow_failed_to_load(qtbot, started, tmp_path, monkeypatch):
    broken = tmp_path / "broken"
    (broken / "keras").mkdir(parents=True)
    (broken / "keras" / "__init__.py").write_text("raise ImportError('broken')\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(broken), *filter(None, [os.environ.get("PYTHONPATH")])]))
    window = started()
    qtbot.waitUntil(lambda: "failed" in window.tf_label.text(), timeout=60_000)
    assert window.tf_label.text() == "TensorFlow failed to load: ImportError: broken"
    assert not window.training.ready


def test_a_train_pressed_before_tensorflow_has_loaded_can_be_taken_back(qtbot, started):
    from studio.resources import resource
    window = started()
    window.open_project(str(resource("examples", "wide_deep.studio.json")))
    panel = window.training
    assert not panel.ready
    panel.train_button.click()
    assert panel.status.text() == "Waiting for TensorFlow to load…"
    assert panel.stop_button.isEnabled() and not panel.train_button.isEnabled()
    panel.stop_button.click()
    assert panel.status.text() == "Train was cancelled before TensorFlow had loaded"
    assert panel.train_button.isEnabled() and not panel.stop_button.isEnabled()
    with qtbot.waitSignal(panel.runner.loaded, timeout=120_000):
        pass
    assert not panel.runner.running  # nothing started once it had
