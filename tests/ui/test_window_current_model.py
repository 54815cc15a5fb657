"""In the window: the trained model survives closing and reopening, an imported model trains on from its own
optimizer state, Reset weights forgets it, and an edit keeps the weights that still fit."""

import json

import keras
import numpy as np
import pandas as pd
from training.helpers import recorded_model
from training.helpers import classification_csv, mlp_project

from studio.training.current_model import current_run

STEPS = 63


def _train(window, qtbot, button):
    """Click Train or Continue; the run's result once it is over (a failure fails the test, with its message)."""
    ended = []
    window.training.trained.connect(lambda result, results: ended.append(("trained", result)))
    window.training.runner.failed.connect(lambda message, details: ended.append(("failed", message)))
    button.click()
    qtbot.waitUntil(lambda: bool(ended), timeout=120_000)
    kind, payload = ended[0]
    assert kind == "trained", payload
    return payload


def test_a_reopened_project_continues_where_it_stopped(window, qtbot, tmp_path):
    project = mlp_project(tmp_path, epochs=2)
    assert window.open_project(str(project.path))
    training = window.training
    assert not training.continue_button.isEnabled()  # nothing trained yet
    _train(window, qtbot, training.train_button)
    first = training.runner.job
    steps = int(recorded_model(first).optimizer.iterations.numpy())
    window.new_project()  # the project is closed: nothing of its model stays in memory
    assert training.runner.job is None and not training.continue_button.isEnabled()

    assert window.open_project(str(project.path))
    assert training.continue_button.isEnabled() and "optimizer state" in training.continue_button.toolTip()
    result = _train(window, qtbot, training.continue_button)
    job = training.runner.job
    assert job.source_run is not None and job.reset is None
    assert result.epochs_done == 4 and len(job.history["loss"]) == 4  # 2 + the 2 the Epochs box asks for
    assert int(recorded_model(job).optimizer.iterations.numpy()) == 2 * steps
    assert current_run(window.document.project) == job.run_dir  # and that run is now the current model


def test_train_says_it_starts_from_new_weights_and_reset_forgets_the_model(window, qtbot, tmp_path):
    project = mlp_project(tmp_path, epochs=1)
    assert window.open_project(str(project.path))
    training = window.training
    _train(window, qtbot, training.train_button)
    steps = int(recorded_model(training.runner.job).optimizer.iterations.numpy())
    messages = []
    training.message.connect(messages.append)
    _train(window, qtbot, training.train_button)
    assert "Train starts from new weights; Continue goes on from the trained model" in messages
    assert int(recorded_model(training.runner.job).optimizer.iterations.numpy()) == steps  # from step 0 again
    assert training.reset_button.isEnabled()
    training.reset_button.click()
    assert not training.continue_button.isEnabled() and current_run(window.document.project) is None
    assert "new weights" in training.status.text()
    window.new_project()
    assert window.open_project(str(project.path))
    assert not training.continue_button.isEnabled()  # also after reopening


def test_continue_after_an_edit_keeps_the_weights_that_fit_and_says_which(window, qtbot, tmp_path):
    project = mlp_project(tmp_path, epochs=1)
    assert window.open_project(str(project.path))
    training = window.training
    _train(window, qtbot, training.train_button)
    graph = window.document.graph
    hidden = next(n.name for n in graph if n.config.get("units") == 8)
    from studio.ui import commands
    window.document.push(commands.SetParam(graph, hidden, "units", 6))
    messages = []
    training.message.connect(messages.append)
    _train(window, qtbot, training.continue_button)
    job = training.runner.job
    assert hidden in job.reset and "normalization" in job.kept
    said = [m for m in messages if m.startswith("The model was edited since it was trained")]
    assert said and hidden in said[0] and "normalization" in said[0]


def test_an_imported_model_trains_on_from_its_optimizer_step(window, qtbot, tmp_path):
    keras.utils.set_random_seed(1)
    x = np.random.default_rng(0).random((STEPS * 2, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu", name="hidden"),
                              keras.layers.Dense(1, name="out")], name="regression")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mean_squared_error")
    model.fit(x, x.sum(axis=1), batch_size=2, epochs=1, verbose=0)
    path = tmp_path / "regression.h5"
    model.save(path)
    with qtbot.waitSignal(window.job_ended, timeout=60_000) as ended:
        assert window.import_model_file(str(path))
    assert ended.args == ["import", True]
    training = window.training
    project = window.document.project
    assert project.training["optimizer"] == {"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}}
    assert training.optimizer.currentText() == "SGD" and float(training.rate.text()) == 0.01
    assert training.continue_button.isEnabled()
    (label,) = [window.results.runs_panel.list.item(i).text() for i in range(window.results.runs_panel.list.count())]
    assert label.endswith(" · imported model · hidden 4, SGD 0.01")  # not "0 epochs · import"

    frame = pd.DataFrame(x[:40], columns=["a", "b", "c"])
    frame["y"] = x[:40].sum(axis=1)
    frame.to_csv(tmp_path / "points.csv", index=False)
    project.data.update(source="csv", path=str(tmp_path / "points.csv"), target="y", normalize=False,
                        validation=0.0, test=0.0)
    project.training.update(epochs=1, batch_size=2)
    training.load_settings()
    _train(window, qtbot, training.continue_button)
    job = training.runner.job
    assert int(recorded_model(job).optimizer.iterations.numpy()) == STEPS + 20  # the file's 63, then 40 rows / 2


def test_continue_trains_with_the_settings_the_training_tab_shows(window, qtbot, tmp_path):
    project = mlp_project(tmp_path, epochs=1)
    classification_csv(tmp_path / "points.csv", n=48)  # 32 training rows: two steps of 16 per epoch
    assert window.open_project(str(project.path))
    training = window.training
    _train(window, qtbot, training.train_button)
    job = training.runner.job
    steps = int(recorded_model(job).optimizer.iterations.numpy())
    training.rate.setText("0.002")  # the student lowers the learning rate and doubles the batches
    training.rate.editingFinished.emit()
    training.batch.setValue(8)
    messages = []
    training.message.connect(messages.append)
    _train(window, qtbot, training.continue_button)
    assert training.runner.job is job and job.epoch == 2
    assert abs(float(recorded_model(job).optimizer.learning_rate) - 0.002) < 1e-9
    assert int(recorded_model(job).optimizer.iterations.numpy()) == steps + 4  # 32 rows in batches of 8, the state kept
    assert not [m for m in messages if "optimizer" in m]
    record = json.loads((job.run_dir / "run.json").read_text(encoding="utf-8"))["training"]
    assert record["optimizer"] == {"class_name": "Adam", "config": {"learning_rate": 0.002}}
    assert record["batch_size"] == 8

    training.optimizer.setCurrentText("SGD")
    training.optimizer.activated.emit(training.optimizer.currentIndex())
    _train(window, qtbot, training.continue_button)
    assert type(recorded_model(job).optimizer).__name__ == "SGD" and int(recorded_model(job).optimizer.iterations.numpy()) == 4
    said = [m for m in messages if m.startswith("The optimizer was changed since the model was trained")]
    assert said == ["The optimizer was changed since the model was trained (Adam → SGD): its state starts "
                    "afresh; the weights go on"]
