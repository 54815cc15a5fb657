"""The whole flow with the mouse's commands: build, train, stop, fail, export, import."""

import numpy as np
from PySide6.QtWidgets import QMessageBox

from studio.ui import self_test


def build_mnist_mlp(window):
    report = self_test.build_mnist_mlp(window, hidden=(32,), optimizer="Adam", learning_rate=0.001)
    assert report.ok, report.errors


def test_build_train_export_and_import_again(window, qtbot, tmp_path):
    build_mnist_mlp(window)
    panel = window.training
    with qtbot.waitSignal(panel.trained, timeout=120_000) as done:
        panel.train_button.click()
    result, test = done.args
    assert result.reason == "completed" and result.epochs_done == 1
    assert 0 <= test["accuracy"] <= 1
    assert len(panel.curves["loss"].getData()[0]) == 1 and len(panel.curves["val_accuracy"].getData()[1]) == 1
    assert panel.matrix.rowCount() == 10 and not panel.matrix.isHidden()
    assert panel.continue_button.isEnabled()
    path = tmp_path / "mlp.h5"
    assert window.export_model_file(str(path))
    trained = panel.runner.job.model
    saved_graph = {layer["name"]: (layer["class_name"], layer["inbound"])
                   for layer in window.document.graph.to_dict()["layers"]}
    window.document.undo_stack.setClean()
    assert window.import_model_file(str(path))
    imported = {layer["name"]: (layer["class_name"], layer["inbound"])
                for layer in window.document.graph.to_dict()["layers"]}
    assert imported == saved_graph
    for a, b in zip(trained.get_weights(), window.imported_model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_stop_during_training(window, qtbot):
    build_mnist_mlp(window)
    window.document.project.training["epochs"] = 200
    window.training.load_settings()
    panel = window.training
    with qtbot.waitSignal(panel.runner.progress, timeout=120_000):
        panel.train_button.click()
    with qtbot.waitSignal(panel.trained, timeout=60_000) as done:
        panel.stop_button.click()
    assert done.args[0].reason == "stopped" and done.args[0].epochs_done < 200
    assert panel.train_button.isEnabled()


def test_a_failing_job_shows_its_error_and_leaves_the_project_intact(window, qtbot, monkeypatch):
    build_mnist_mlp(window)
    before = window.document.project.to_dict()
    from studio.training import engine

    def broken(self):
        raise RuntimeError("the data went missing")

    monkeypatch.setattr(engine.TrainingJob, "evaluate", broken)
    with qtbot.waitSignal(window.training.runner.failed, timeout=120_000) as failed:
        window.training.train_button.click()
    assert "the data went missing" in failed.args[0] and "RuntimeError" in failed.args[1]
    box = window.training.error_box
    assert box.icon() == QMessageBox.Critical and "the data went missing" in box.text()
    box.close()
    assert window.document.project.to_dict() == before
    assert window.training.train_button.isEnabled()
