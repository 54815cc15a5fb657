"""One default loss for a project that names none, and progress that never counts past an epoch."""

import inspect

import numpy as np
import pandas as pd
from helpers import mlp_project

from studio.core import registries
from studio.core.advisor import DataFacts, advise
from studio.core.graph import Graph
from studio.core.loss_defaults import effective_loss
from studio.core.project import Project
from studio.training.engine import Reporter, TrainingJob
from studio.training.settings import default_learning_rate


def regression_project(tmp_path, rows=40, **training):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 3))
    pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "mpg": 20 + 5 * x[:, 0]}).to_csv(
        tmp_path / "cars.csv", index=False)
    g = Graph("cars")
    g.add_node("Input", {"shape": [3]}, "x")
    g.add_node("Dense", {"units": 1}, "mpg")
    g.connect("x", "mpg")
    g.set_output("mpg")
    settings = {"epochs": 2, "batch_size": 8}
    settings.update(training)
    return Project(g, {"source": "csv", "path": str(tmp_path / "cars.csv"), "target": "mpg"}, settings)


def test_a_regression_project_without_a_loss_trains_with_mean_squared_error(tmp_path):
    project = regression_project(tmp_path)
    job = TrainingJob(project)
    result = job.train()
    assert result.reason == "completed"
    assert job.model.loss == "mean_squared_error" == effective_loss(project.training, project.graph, project.data)


def test_a_classifier_without_a_loss_trains_with_cross_entropy_not_mse(tmp_path):
    project = mlp_project(tmp_path, epochs=1)
    del project.training["loss"]
    job = TrainingJob(project)
    assert job.train().reason == "completed"
    assert job.model.loss == "sparse_categorical_crossentropy"


def test_an_imported_mnist_classifier_without_training_settings_gets_sparse_cross_entropy():
    g = Graph("book")  # the book's MNIST MLP as Import Model makes it: no training section
    g.add_node("Input", {"shape": [28, 28]}, "x")
    g.add_node("Flatten", {}, "flat")
    g.add_node("Dense", {"units": 300, "activation": "relu"}, "h1")
    g.add_node("Dense", {"units": 10, "activation": "softmax"}, "out")
    g.connect("x", "flat"), g.connect("flat", "h1"), g.connect("h1", "out")
    g.set_output("out")
    for data in ({}, {"source": "mnist"}):
        assert TrainingJob(Project(g, data, {})).settings.loss == "sparse_categorical_crossentropy"
    # an image set is classes whatever the output says
    g.set_param("out", "activation", None)
    assert TrainingJob(Project(g, {"source": "mnist"}, {})).settings.loss == "sparse_categorical_crossentropy"
    assert TrainingJob(Project(g, {}, {})).settings.loss == "mean_squared_error"


def test_the_stated_task_decides_and_several_outputs_get_one_default_each():
    g = Graph()
    g.add_node("Input", {"shape": [4]}, "x")
    g.add_node("Dense", {"units": 1}, "price")
    g.add_node("Dense", {"units": 1, "activation": "sigmoid"}, "sold")
    g.connect("x", "price"), g.connect("x", "sold")
    g.set_outputs(["price", "sold"])
    assert effective_loss({}, g, {}) == {"price": "mean_squared_error", "sold": "binary_crossentropy"}
    assert effective_loss({"loss": {"price": "huber"}}, g, {}) == {"price": "huber", "sold": "binary_crossentropy"}
    assert effective_loss({}, g, {"source": "csv", "task": "regression"}) == {
        "price": "mean_squared_error", "sold": "mean_squared_error"}


def test_the_advisor_judges_the_default_loss_that_will_train():
    g = Graph()
    g.add_node("Input", {"shape": [4]}, "x")
    g.add_node("Dense", {"units": 3, "activation": "softmax"}, "out")
    g.connect("x", "out")
    g.set_output("out")
    facts = DataFacts("regression", 1)
    # no loss named: the engine trains sparse categorical cross-entropy, which does not fit a number
    findings = advise(g, {}, facts, {"source": "csv"})
    assert "loss" in [f.code for f in findings]
    g.set_param("out", "activation", None)
    g.set_param("out", "units", 1)
    assert advise(g, {}, facts, {"source": "csv"}) == []  # MSE for a number: fits
    classes = DataFacts("multiclass", 3)
    g.set_param("out", "units", 3)
    assert "loss" in [f.code for f in advise(g, {}, classes, {"source": "csv"})]  # MSE for classes


def test_the_default_learning_rates_are_keras_own():
    keras = registries.keras()
    assert default_learning_rate("SGD") == 0.01 == inspect.signature(keras.optimizers.SGD).parameters[
        "learning_rate"].default
    assert default_learning_rate("Adam") == 0.001


def test_progress_never_reports_a_batch_past_the_end_of_an_epoch(tmp_path):
    reports, started = [], []
    project = regression_project(tmp_path, rows=40, epochs=3, batch_size=8)
    job = TrainingJob(project, Reporter(started=started.append, progress=reports.append))
    assert job.train().reason == "completed"
    steps = started[0]["steps_per_epoch"]
    assert steps < job.execution_steps  # the case where Keras says batch 31 of an epoch of a few
    assert reports and all(0 <= r["batch"] < steps and r["steps"] == steps for r in reports)
    ends = [r["epoch"] for r in reports if r["batch"] == steps - 1]
    assert ends == [0, 1, 2]  # every epoch's last batch is reported


def test_continue_goes_on_to_the_target_as_keras_initial_epoch():
    from studio.training.engine import epochs_to_continue
    assert epochs_to_continue(6, 20) == 14   # stopped at 6 of 20: on to 20
    assert epochs_to_continue(0, 3) == 3
    assert epochs_to_continue(20, 20) == 20  # reached: the Epochs box's number more
    assert epochs_to_continue(26, 20) == 20


def test_limiting_the_training_images_keeps_the_same_share_of_test_images():
    from studio.training.data_source import test_images_kept
    assert test_images_kept(3000) == 500 and test_images_kept(3) == 1
