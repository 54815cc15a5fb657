"""The whole flow with the mouse's commands: build, train, stop, fail, export, import."""

import numpy as np
from PySide6.QtCore import Qt

from training.helpers import recorded_model

from studio.training.model_files import load_model
from studio.ui import self_test


def build_mnist_mlp(window):
    report = self_test.build_mnist_mlp(window, hidden=(32,), optimizer="Adam", learning_rate=0.001)
    assert report.ok, report.errors


def test_build_train_export_and_import_again(window, qtbot, tmp_path):
    build_mnist_mlp(window)
    panel = window.training
    with qtbot.waitSignal(panel.trained, timeout=120_000) as done:
        panel.train_button.click()
    result, results = done.args
    assert result.reason == "completed" and result.epochs_done == 1
    assert 0 <= results.test["accuracy"] <= 1
    assert len(panel.curves["loss"].getData()[0]) == 1 and len(panel.curves["val_accuracy"].getData()[1]) == 1
    shown = window.results
    assert window.tabs.currentWidget() is panel, "the curves stay in view when a run ends"
    assert window.tabs.tabText(window.tabs.indexOf(shown)).startswith("●"), "the Results tab is marked new"
    assert shown.matrix.rowCount() == 10 and shown.tabs.isTabVisible(0)
    cells = sum(int(shown.matrix.item(i, j).text().replace(",", "")) for i in range(10) for j in range(10))
    from studio.training.data_source import load_training_data
    assert cells == len(load_training_data(window.document.project).y_test)  # the whole test split
    assert shown.mistakes.count() == len(results.mistakes) > 0 and shown.tabs.isTabVisible(1)
    assert not shown.tabs.isTabVisible(2)  # no regression scatter for classes
    assert shown.runs_panel.list.count() == 1 and len(shown.runs_panel.curves) == 1
    assert panel.continue_button.isEnabled()
    path = tmp_path / "mlp.h5"
    with qtbot.waitSignal(window.job_ended, timeout=60_000) as ended:  # saved off the GUI thread
        assert window.export_model_file(str(path))
    assert ended.args == ["export", True]
    trained = recorded_model(panel.runner.job)
    saved_graph = {layer["name"]: (layer["class_name"], layer["inbound"])
                   for layer in window.document.graph.to_dict()["layers"]}
    window.document.undo_stack.setClean()
    window.unsaved_runs = lambda: False  # the user chose to discard the untitled run (asked otherwise)
    with qtbot.waitSignal(window.job_ended, timeout=120_000) as ended:  # loaded off the GUI thread
        assert window.import_model_file(str(path))
    assert ended.args == ["import", True]
    imported = {layer["name"]: (layer["class_name"], layer["inbound"])
                for layer in window.document.graph.to_dict()["layers"]}
    assert imported == saved_graph
    for a, b in zip(trained.get_weights(), load_model(window.training.runner.source["path"])[0].get_weights()):
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


def test_runs_of_a_saved_project_are_recorded_and_overlaid(window, qtbot, tmp_path):
    build_mnist_mlp(window)
    window.document.project.data["limit"] = 600
    window.save_as(str(tmp_path / "digits.studio.json"))
    for _ in range(2):
        with qtbot.waitSignal(window.training.trained, timeout=120_000):
            window.training.train_button.click()
    folders = sorted(p for p in (tmp_path / "digits.runs").iterdir() if p.is_dir())  # and current.json
    assert len(folders) == 2 and all((f / "model.h5").is_file() and (f / "run.json").is_file() for f in folders)
    runs = window.results
    # each new run is checked and earlier choices stay, so the new curve overlays the old
    assert [runs.runs_panel.list.item(i).checkState() for i in range(2)] == [Qt.Checked, Qt.Checked]
    assert len(runs.runs_panel.curves) == 2
    runs.runs_panel.list.item(0).setCheckState(Qt.Unchecked)
    assert len(runs.runs_panel.curves) == 1
    window.document.undo_stack.setClean()
    assert window.open_project(str(tmp_path / "digits.studio.json"))  # reopened: runs come from disk
    assert runs.runs_panel.list.count() == 2 and runs.runs_panel.metric.currentText() == "val_loss"
    with qtbot.waitSignal(window.job_ended, timeout=30_000):
        assert window.delete_runs([str(folders[0])], confirm=False) == 1
    assert runs.runs_panel.list.count() == 1 and not folders[0].exists() and folders[1].exists()


def test_the_inspector_offers_keras_lists_once_the_child_has_loaded_tensorflow(window, monkeypatch, qtbot):
    from PySide6.QtWidgets import QComboBox
    from studio.core import registries
    from studio.ui import commands
    snapshot = registries.snapshot()  # what the window's child sends when it is ready
    monkeypatch.setattr(registries, "keras_loaded", lambda: False)  # the window's process never loads Keras
    monkeypatch.setattr(registries, "_KNOWN", {})  # and its child has not said yet
    window.document.push(commands.AddNode(window.document.graph, "Dense", (0.0, 0.0)))
    name = window.document.graph.names[-1]
    window.inspector.show_node(name)
    assert not isinstance(window.inspector.editors["activation"], QComboBox)
    with qtbot.waitSignal(window.training.runner.loaded) as loaded:
        window.training.runner._on_event("ready", {"known": snapshot})
    assert loaded.args == [snapshot["devices"]]
    assert window.inspector.node_name == name
    assert isinstance(window.inspector.editors["activation"], QComboBox), "activation is a list, not a text box"
    items = [window.inspector.editors["activation"].itemText(i)
             for i in range(window.inspector.editors["activation"].count())]
    assert items == snapshot["activations"]
