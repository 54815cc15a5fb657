"""The Training tab shows what will train: the default loss, Keras' default learning rate, no old state."""

import time

import numpy as np
import pandas as pd
from PySide6.QtWidgets import QMessageBox

from studio.core import registries
from studio.core.graph import Graph
from studio.core.project import Project
from studio.training.engine import TrainingJob
from studio.training.results import Results
from studio.ui.document import ProjectDocument
from studio.ui.training_panel import TrainingPanel
from studio.ui.worker import TrainingRunner


def regression(tmp_path) -> Project:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 2))
    pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "y": 3 * x[:, 0] + 40}).to_csv(tmp_path / "r.csv", index=False)
    g = Graph("r")
    g.add_node("Input", {"shape": [2]}, "x")
    g.add_node("Dense", {"units": 1}, "y")
    g.connect("x", "y")
    g.set_output("y")
    return Project(g, {"source": "csv", "path": str(tmp_path / "r.csv"), "target": "y"},
                   {"epochs": 2, "batch_size": 8})


def classifier() -> Project:
    g = Graph("digits")
    g.add_node("Input", {"shape": [28, 28], "dtype": "uint8"}, "x")
    g.add_node("Flatten", {}, "flat")
    g.add_node("Dense", {"units": 10, "activation": "softmax"}, "out")
    g.connect("x", "flat"), g.connect("flat", "out")
    g.set_output("out")
    return Project(g, {"source": "mnist", "limit": 300}, {"epochs": 1})


def panel_for(qtbot, project) -> TrainingPanel:
    document = ProjectDocument()
    document.replace(project)
    panel = TrainingPanel(document)
    qtbot.addWidget(panel)
    return panel


def test_the_loss_shown_is_the_loss_the_engine_compiles(qtbot, tmp_path):
    for project, expected in ((regression(tmp_path), "mean_squared_error"),
                              (classifier(), "sparse_categorical_crossentropy")):
        assert "loss" not in project.training
        panel = panel_for(qtbot, project)
        shown = panel.outputs.rows[0][0].currentText()
        job = TrainingJob(project)
        job.prepare()
        assert shown == job.model.loss == expected
        assert panel.outputs.rows[0][0].font().italic()  # a default, not the user's choice
        assert "loss" not in project.training  # showing it stores nothing


def test_a_chosen_loss_is_stored_and_metrics_leave_the_default_unset(qtbot, tmp_path):
    project = regression(tmp_path)
    panel = panel_for(qtbot, project)
    box, _, button = panel.outputs.rows[0]
    next(a for a in button.menu().actions() if a.text() == "mean_absolute_error").setChecked(True)
    assert project.training["metrics"] == ["mean_absolute_error"] and "loss" not in project.training
    box.setCurrentIndex(box.findText("huber"))
    box.activated.emit(box.currentIndex())
    assert project.training["loss"] == "huber" and not box.font().italic()


def test_sgd_gets_keras_default_rate_and_a_typed_rate_is_kept(qtbot):
    registries.keras()  # the window has loaded TensorFlow by the time a user picks an optimizer
    document = ProjectDocument()
    panel = TrainingPanel(document)
    qtbot.addWidget(panel)
    assert panel.rate.text() == "0.001"  # Adam's
    panel.optimizer.setCurrentText("SGD")
    panel.optimizer.activated.emit(panel.optimizer.currentIndex())
    optimizer = document.project.training["optimizer"]
    assert optimizer == {"class_name": "SGD", "config": {"learning_rate": 0.01}} and panel.rate.text() == "0.01"
    panel.optimizer.setCurrentText("Adam")  # not typed: follows the optimizer
    panel.optimizer.activated.emit(panel.optimizer.currentIndex())
    assert document.project.training["optimizer"]["config"]["learning_rate"] == 0.001
    panel.rate.setText("0.05")
    panel.rate.editingFinished.emit()
    panel.optimizer.setCurrentText("SGD")
    panel.optimizer.activated.emit(panel.optimizer.currentIndex())
    assert document.project.training["optimizer"] == {"class_name": "SGD", "config": {"learning_rate": 0.05}}
    assert panel.rate.text() == "0.05"


def test_a_user_error_is_one_line_without_a_traceback(qtbot):
    document = ProjectDocument()
    g = document.graph
    g.add_node("Input", {"shape": [4]}, "x")
    g.add_node("Dense", {"units": 1}, "y")
    g.connect("x", "y")
    g.set_output("y")
    document.replace(Project(g))  # no data chosen
    panel = TrainingPanel(document)
    qtbot.addWidget(panel)
    try:
        with qtbot.waitSignal(panel.runner.failed, timeout=60_000) as failed:
            panel.train_button.click()
        assert "no data" in failed.args[0] and failed.args[1] == ""
        box = panel.error_box
        assert box.icon() == QMessageBox.Warning and box.detailedText() == "" and "no data" in box.text()
        box.close()
    finally:
        panel.runner.shutdown()


def test_a_new_project_clears_curves_status_and_continue(qtbot, tmp_path):
    panel = panel_for(qtbot, regression(tmp_path))
    try:
        with qtbot.waitSignal(panel.trained, timeout=60_000):
            panel.train_button.click()
        assert panel.curves and panel.continue_button.isEnabled() and "Finished" in panel.status.text()
        panel.document.new()
        assert not panel.curves and not panel.plot.batch_x and panel.plot.batch_curve.getData()[0] is None or \
            len(panel.plot.batch_curve.getData()[0]) == 0
        assert not panel.continue_button.isEnabled() and panel.runner.job is None
        assert panel.status.text() == "Ready" and panel.progress_bar.value() <= 0
    finally:
        panel.runner.shutdown()


def test_the_window_clears_results_and_tune_on_new(window, qtbot):
    results = Results("multiclass", {"loss": 0.3, "accuracy": 0.9}, ["a", "b"], np.array([[3, 1], [0, 4]]))
    window.results.show_results(results, "Finished after 10 epochs")
    window.tune.finder_curve.setData([1e-4, 1e-3], [1.0, 0.5])
    window.tune.finder_line.show()
    window.tune.apply_rate_button.setEnabled(True)
    assert "0.9000" in window.results.summary.text()
    window.document.new()
    assert window.results.results is None and "0.9000" not in window.results.summary.text()
    assert window.results.matrix.rowCount() == 0 and not window.results.tabs.isTabVisible(0)
    assert window.tune.finder_curve.getData()[0] is None or len(window.tune.finder_curve.getData()[0]) == 0
    assert not window.tune.finder_line.isVisible() and not window.tune.apply_rate_button.isEnabled()


def test_shutdown_returns_within_two_seconds_while_training_and_ends_the_child(qtbot, tmp_path):
    project = regression(tmp_path)
    project.training["epochs"] = 500
    runner = TrainingRunner()
    with qtbot.waitSignal(runner.epoch_ended, timeout=120_000):
        runner.train(project)
    process = runner.remote.process
    start = time.perf_counter()
    assert runner.shutdown()
    assert time.perf_counter() - start < 2.0 and process.poll() is not None


def test_continue_finishes_at_the_epochs_box_then_trains_that_many_more(qtbot, tmp_path):
    project = regression(tmp_path)
    project.training["epochs"] = 1
    panel = panel_for(qtbot, project)
    try:
        with qtbot.waitSignal(panel.trained, timeout=60_000):
            panel.train_button.click()
        assert panel.runner.job.epoch == 1
        panel.epochs.setValue(3)  # as a run stopped at 1 of 3
        with qtbot.waitSignal(panel.trained, timeout=60_000):
            panel.continue_button.click()
        assert panel.runner.job.epoch == 3 and len(panel.history["loss"]) == 3
        assert "Finished after 3 epochs" in panel.status.text()
        with qtbot.waitSignal(panel.trained, timeout=60_000):
            panel.continue_button.click()  # the target reached: 3 more
        assert panel.runner.job.epoch == 6
    finally:
        panel.runner.shutdown()


def test_a_reopened_project_shows_its_newest_runs_curves_and_ending(window, qtbot, tmp_path):
    import json
    from studio.training import runs
    path = tmp_path / "again.studio.json"
    assert window.save_as(str(path))
    folder = runs.new_run_dir(window.document.project)
    record = {"format": "perceptron-studio/run", "version": 1, "kind": "training", "epochs": 3, "reason": "completed",
              "metrics": {"test": {"accuracy": 0.8}}, "training": {"epochs": 3, "loss": "mean_squared_error"},
              "graph": {"layers": []}, "data": {"task": "regression"}}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    (folder / "history.json").write_text(json.dumps({"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.6, 0.5],
                                                     "junk": "not numbers"}), encoding="utf-8")
    window.new_project()
    assert window.open_project(str(path))
    training = window.training
    assert training.curves["loss"].getData()[1].tolist() == [0.9, 0.5, 0.4]
    assert training.curves["val_loss"].getData()[0].tolist() == [1, 2, 3] and "junk" not in training.curves
    assert training.status.text() == "Newest run: finished after 3 epochs"
    assert training.progress_bar.value() == training.progress_bar.maximum() > 0
    # a record without its model file (or not the current one) gives Continue nothing to go on from
    assert not training.continue_button.isEnabled() and "No trained model to go on from" in training.continue_button.toolTip()


def test_a_finished_run_stays_on_the_training_tab_and_marks_results_new(window, qtbot):
    results = Results("multiclass", {"loss": 0.3, "accuracy": 0.9}, ["a", "b"], np.array([[3, 1], [0, 4]]))
    tabs = window.tabs
    tabs.setCurrentWidget(window.training)
    from studio.training.remote import RemoteJob
    job = RemoteJob(window.document.project, window.document.graph.to_dict())
    window.training.runner.job = job
    from studio.training.engine import TrainingResult
    window.training._finished(TrainingResult("completed", 2, {"loss": [0.5, 0.3]}), results)
    index = tabs.indexOf(window.results)
    assert tabs.currentWidget() is window.training  # the curves stay in view
    assert tabs.tabText(index).startswith("●") and window.results.unseen
    assert "see the Results tab" in window.statusBar().currentMessage()
    tabs.setCurrentWidget(window.results)
    assert tabs.tabText(index) == "Results" and not window.results.unseen
