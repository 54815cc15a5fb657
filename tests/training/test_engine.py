"""The engine: train, continue, stop, early stop, NaN, errors, and checks before training."""

import threading

import numpy as np
import pytest
from helpers import mlp_project

from studio.training.engine import Reporter, TrainingError, TrainingJob
from studio.training.results import summarize


def test_train_continue_evaluate_and_confusion(tmp_path):
    events = {"started": [], "epochs": [], "progress": 0}
    reporter = Reporter(started=events["started"].append,
                        epoch_ended=lambda e, logs: events["epochs"].append((e, logs)),
                        progress=lambda info: events.__setitem__("progress", events["progress"] + 1))
    job = TrainingJob(mlp_project(tmp_path), reporter)
    first = job.train()
    assert first.reason == "completed" and first.epochs_done == 2 and len(first.history["loss"]) == 2
    assert events["started"][0]["initial_epoch"] == 0 and events["started"][0]["steps_per_epoch"] > 0
    assert [e for e, _ in events["epochs"]] == [0, 1] and "val_accuracy" in events["epochs"][0][1]
    assert events["progress"] >= 1
    iterations = int(job.model.optimizer.iterations.numpy())
    again = job.train(1)  # continue: same optimizer, history goes on
    assert again.epochs_done == 3 and len(again.history["loss"]) == 3
    assert int(job.model.optimizer.iterations.numpy()) > iterations
    assert events["started"][-1]["initial_epoch"] == 2
    test = job.evaluate()
    assert 0 <= test["accuracy"] <= 1
    results = summarize(job, test)
    assert results.confusion.shape == (3, 3) and results.confusion.sum() == len(job.data.y_test)
    assert abs(results.accuracy - test["accuracy"]) < 1e-6
    assert results.mistakes == [] and results.mistakes_total == results.confusion.sum() - np.trace(results.confusion)
    classes, confidence = job.predict_classes(job.data.x_test)
    assert ((confidence >= 1 / 3 - 1e-6) & (confidence <= 1)).all()
    assert job.data.class_names == ["high", "low", "mid"]


def test_stop_from_another_thread(tmp_path):
    job = TrainingJob(mlp_project(tmp_path, epochs=500))
    job.prepare()
    started = threading.Event()
    job.reporter.progress = lambda info: started.set()
    thread = threading.Thread(target=lambda: (started.wait(60), job.stop()))
    thread.start()
    result = job.train()
    thread.join()
    assert result.reason == "stopped" and result.epochs_done < 500
    assert result.stop_delay is not None and result.stop_delay < 5


def test_early_stopping(tmp_path):
    project = mlp_project(tmp_path, epochs=200, callbacks={"early_stopping": {"patience": 1, "min_delta": 10}})
    result = TrainingJob(project).train()
    assert result.reason == "early_stopped" and result.epochs_done <= 3


def test_nan_ends_the_run_and_restores_the_last_good_weights(tmp_path):
    project = mlp_project(tmp_path, epochs=5, optimizer={"class_name": "SGD", "config": {"learning_rate": 1e30}})
    job = TrainingJob(project)
    job.prepare()
    result = job.train()
    assert result.reason == "nan"
    assert all(np.isfinite(w).all() for w in job.model.get_weights())


def test_after_nan_the_optimizer_state_is_the_last_good_epochs_too_so_continue_works(tmp_path):
    project = mlp_project(tmp_path, epochs=1, optimizer={"class_name": "Adam", "config": {"learning_rate": 0.01}})
    job = TrainingJob(project)
    assert job.train(2).reason == "completed"
    good_steps = int(job.model.optimizer.iterations.numpy())
    job.model.optimizer.learning_rate.assign(1e30)  # a rate that blows up at once
    assert job.train(3).reason == "nan"
    values = [np.array(v) for v in job.model.optimizer.variables]
    assert all(np.isfinite(v).all() for v in values)  # Adam's moments were NaN: 12 of 14 variables
    assert int(job.model.optimizer.iterations.numpy()) == good_steps  # as after the last good epoch
    job.model.optimizer.learning_rate.assign(0.01)
    result = job.train(1)  # Continue at a sane rate
    assert result.reason == "completed" and np.isfinite(result.history["loss"][-1])


def test_an_exception_during_training_is_reported_not_raised(tmp_path, monkeypatch):
    job = TrainingJob(mlp_project(tmp_path))
    job.prepare()
    before = [w.copy() for w in job.model.get_weights()]
    finished = []
    job.reporter.finished = finished.append

    def broken_fit(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(job.model, "fit", broken_fit)
    result = job.train()
    assert result.reason == "error" and "disk on fire" in str(result.error) and finished == [result]
    assert all(np.array_equal(a, b) for a, b in zip(before, job.model.get_weights()))


@pytest.mark.parametrize("change, message", [
    ({"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0}}}, "learning rate must be a finite number > 0"),
    ({"optimizer": {"class_name": "Adam", "config": {"learning_rate": float("nan")}}}, "finite number > 0"),
    ({"optimizer": {"class_name": "Adamm", "config": {}}}, "unknown optimizer 'Adamm'"),
    ({"epochs": 0}, "epochs must be a whole number >= 1"),
    ({"batch_size": 0}, "batch size must be a whole number >= 1"),
    ({"loss": "mean_squared_errr"}, "unknown loss"),
])
def test_bad_settings_are_refused_before_training(tmp_path, change, message):
    project = mlp_project(tmp_path)
    project.training.update(change)
    with pytest.raises(TrainingError, match=message):
        TrainingJob(project).prepare()


def test_labels_outside_the_output_width(tmp_path):
    with pytest.raises(TrainingError, match="labels go up to 2 \\(3 classes\\) but output 'dense_1' has 2 units"):
        TrainingJob(mlp_project(tmp_path, units=2)).prepare()


def test_output_width_that_does_not_match_a_regression_target(tmp_path):
    project = mlp_project(tmp_path, units=3, loss="mean_squared_error", activation="linear", metrics=[])
    project.data.update(target="d", features=["a", "b", "c"])
    project.graph.set_param("input_layer", "shape", [3])
    with pytest.raises(TrainingError, match="output 'dense_1' has 3 units but the target has 1 value per row"):
        TrainingJob(project).prepare()


def test_several_outputs_need_a_loss_each(tmp_path):
    project = mlp_project(tmp_path)
    g = project.graph
    extra = g.add_node("Dense", {"units": 3, "activation": "softmax"})
    g.connect("dense", extra)
    g.set_output(extra)
    with pytest.raises(TrainingError, match="the model has 2 outputs \\(dense_1, dense_2\\); give a loss for each"):
        TrainingJob(project).prepare()


def test_validation_share_of_one_is_refused(tmp_path):
    project = mlp_project(tmp_path)
    project.data["validation"] = 1.0
    with pytest.raises(TrainingError, match="validation share must be from 0 up to \\(not including\\) 1"):
        TrainingJob(project).prepare()


def test_a_model_too_large_for_memory(tmp_path, monkeypatch):
    """One rule (studio.core.validation): the window's problems and studio check say it before Train refuses."""
    from studio.core import validation
    monkeypatch.setattr(validation, "available_memory", lambda: 10 ** 9)
    project = mlp_project(tmp_path)
    hidden = next(n for n in project.graph if n.class_name == "Dense")
    hidden.config["units"] = 20_000_000  # 4 inputs: 80 million parameters, 1.3 GB to train
    report = validation.validate(project.graph)
    (problem,) = [p for p in report.errors if "more than is available" in p.message]
    assert problem.nodes == (hidden.name,) and "1.0 GB" in problem.message
    with pytest.raises(TrainingError, match="parameters; training it needs about .* more than is available"):
        TrainingJob(project).prepare()


def test_nan_in_the_data_is_refused(tmp_path):
    job = TrainingJob(mlp_project(tmp_path))
    from studio.training.data_source import load_training_data
    data = load_training_data(job.project)
    data.x_train[0, 0] = np.nan
    job.data = data
    with pytest.raises(TrainingError, match="NaN or infinite"):
        job.prepare()


def test_normalization_goes_into_the_graph(tmp_path):
    project = mlp_project(tmp_path)
    job = TrainingJob(project)
    job.prepare()
    norm = project.graph.node("normalization")
    assert norm.inputs == ["input_layer"] and project.graph.node("dense").inputs == ["normalization"]
    x = job.data.x_train
    np.testing.assert_allclose(norm.config["mean"], x.mean(axis=0), rtol=1e-5, atol=1e-6)
    scaled = job.model.get_layer("normalization")(x).numpy()
    np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-4)
