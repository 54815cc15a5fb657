"""Continue trains on from the saved model with the project's settings, not with those stored in the model file.

A changed learning rate goes to the same optimizer (its steps and moments go on); batch size, epochs and
callbacks are the project's; another optimizer starts afresh and says why, the weights going on; a changed
loss or metrics recompile with the same optimizer; a changed data section is read again.
"""

import json
import math

import numpy as np
from helpers import classification_csv, mlp_project

from studio.cli import main
from studio.core.project import load_project, save_project
from studio.training.current_model import current_run, resume, set_current
from studio.training.data_source import load_training_data
from studio.training.engine import TrainingJob
from studio.training.model_files import load_model, save_model
from studio.training.runs import new_run_dir

ROWS = 48  # 32 training rows: two steps of 16 per epoch


def tiny_project(tmp_path, **training):
    project = mlp_project(tmp_path, epochs=1, **training)
    classification_csv(tmp_path / "points.csv", n=ROWS)
    return project


def _trained(tmp_path, **training):
    """A project trained one epoch (Adam at 0.01), its model the current one, as after Train and Save."""
    project = tiny_project(tmp_path, **training)
    job = TrainingJob(project)
    assert job.train(1).reason == "completed"
    run = new_run_dir(project)
    save_model(job.model, run / "model.h5", job.metadata())
    set_current(run)
    return project, job


def _resumed(project, data=None, **training):
    """The project reopened, its settings changed in the window, Continue pressed (prepared)."""
    again = load_project(project.path)
    again.training.update(training)
    again.data.update(data or {})
    job = resume(again)
    job.prepare()
    assert job.reset is None  # the same model goes on
    return job


def _steps(job) -> int:
    return int(job.model.optimizer.iterations.numpy())


def _moments(job) -> list:
    """The optimizer's slots (Adam's two moments per weight), without its step count and rate."""
    optimizer = job.model.optimizer
    moments = [np.array(v) for v in optimizer.variables if v.name not in ("iteration", "learning_rate")]
    assert len(moments) == 2 * len(job.model.trainable_weights)
    return moments


def test_a_new_learning_rate_goes_to_the_same_optimizer_whose_steps_go_on(tmp_path):
    project, first = _trained(tmp_path)
    steps = _steps(first)
    job = _resumed(project, optimizer={"class_name": "Adam", "config": {"learning_rate": 0.002}})
    assert math.isclose(float(job.model.optimizer.learning_rate), 0.002, rel_tol=1e-6)
    assert _steps(job) == steps == 2 and job.optimizer_changes is None
    assert all(np.allclose(a, b) for a, b in zip(_moments(job), _moments(first)))  # Adam's moments kept
    job.train(1)
    assert _steps(job) == 2 * steps
    assert job.metadata()["training"]["optimizer"]["config"]["learning_rate"] == 0.002
    # the learning rate left to Keras' default is Adam's 0.001, not the file's 0.01
    job = _resumed(project, optimizer={"class_name": "Adam"})
    assert math.isclose(float(job.model.optimizer.learning_rate), 0.001, rel_tol=1e-6) and _steps(job) == steps


def test_a_rate_for_a_schedule_keeps_the_optimizer_state(tmp_path):
    schedule = {"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.01, "decay_steps": 10,
                                                              "decay_rate": 0.5}}
    project, first = _trained(tmp_path, schedule=schedule)
    steps = _steps(first)
    job = _resumed(project, schedule=None, optimizer={"class_name": "Adam", "config": {"learning_rate": 0.002}})
    assert job.optimizer_changes is None and _steps(job) == steps
    assert math.isclose(float(job.model.optimizer.learning_rate), 0.002, rel_tol=1e-6)
    assert all(np.allclose(a, b) for a, b in zip(_moments(job), _moments(first)))
    job.train(1)
    assert _steps(job) == 2 * steps


def test_the_batch_size_epochs_and_callbacks_are_the_projects(tmp_path):
    project, first = _trained(tmp_path)
    steps = _steps(first)
    job = _resumed(project, batch_size=4, epochs=2, callbacks={"csv_logger": True})
    job.run_dir = tmp_path / "run"
    job.run_dir.mkdir()
    assert job.train().reason == "completed"  # the project's epochs: 2 more
    assert job.epoch == 3 and len(job.history["loss"]) == 3
    assert _steps(job) == steps + 2 * math.ceil(job.data.train_size / 4)
    assert (job.run_dir / "history.csv").is_file()  # the CSV log the file's settings did not have


def test_another_optimizer_starts_afresh_says_why_and_the_weights_go_on(tmp_path):
    project, first = _trained(tmp_path)
    job = _resumed(project, optimizer={"class_name": "SGD", "config": {"learning_rate": 0.05, "momentum": 0.5}})
    optimizer = job.model.optimizer
    assert job.optimizer_changes == ["Adam → SGD"]
    assert type(optimizer).__name__ == "SGD" and optimizer.momentum == 0.5 and _steps(job) == 0
    assert math.isclose(float(optimizer.learning_rate), 0.05, rel_tol=1e-6)
    assert all(np.array_equal(a, b) for a, b in zip(job.model.get_weights(), first.model.get_weights()))
    assert job.epoch == 1 and job.train(1).reason == "completed" and _steps(job) == _steps(first)
    # an argument of the same class other than the learning rate: also a new optimizer, and said
    job = _resumed(project, optimizer={"class_name": "Adam", "config": {"learning_rate": 0.01, "beta_1": 0.8}})
    assert job.optimizer_changes == ["beta_1 0.9 → 0.8"] and job.model.optimizer.beta_1 == 0.8 and _steps(job) == 0


def test_a_new_loss_and_metrics_recompile_with_the_same_optimizer_state(tmp_path):
    project, first = _trained(tmp_path)
    steps = _steps(first)
    job = _resumed(project, loss="categorical_crossentropy", metrics=[])
    assert job.model.loss == "categorical_crossentropy" and job.optimizer_changes is None and _steps(job) == steps
    assert job.train(1).reason == "completed"  # one-hot targets: the sparse ones would not fit this loss
    assert _steps(job) == 2 * steps
    assert len(job.history["loss"]) == 2 and len(job.history["accuracy"]) == 1  # the new run has no accuracy


def test_a_changed_data_section_is_read_again_and_the_scaling_stays(tmp_path):
    project, first = _trained(tmp_path)
    steps = _steps(first)
    job = _resumed(project, data={"validation": 0.5})
    assert job.data.train_size < first.data.train_size and job.project.data["validation"] == 0.5
    scaling = [np.array(w) for w in first.model.get_layer("normalization").get_weights()]
    job.train(1)
    assert _steps(job) == steps + math.ceil(job.data.train_size / 16)
    # the model keeps the input scaling it was trained with
    assert all(np.array_equal(a, b) for a, b in zip(job.model.get_layer("normalization").get_weights(), scaling))


def test_settings_that_cannot_train_leave_the_session_job_as_it_was(tmp_path):
    project = tiny_project(tmp_path)
    job = TrainingJob(project)
    job.train(1)
    steps, settings = _steps(job), job.settings
    assert not job.continue_with(project)  # the same settings: the same run goes on
    broken = load_project(project.path)
    broken.data["path"] = "missing.csv"
    assert job.continue_with(broken)
    result = job.train(1)
    assert result.reason == "error" and "missing.csv" in str(result.error)
    assert job.settings is settings and job.project.data["path"] == "points.csv" and _steps(job) == steps
    changed = load_project(project.path)
    changed.training["optimizer"]["config"]["learning_rate"] = 0.003
    assert job.continue_with(changed) and job.train(1).reason == "completed" and _steps(job) == 2 * steps
    assert math.isclose(float(job.model.optimizer.learning_rate), 0.003, rel_tol=1e-6)


def test_studio_train_continue_trains_with_the_projects_settings(tmp_path, capsys):
    project = tiny_project(tmp_path)
    assert main(["train", str(project.path)]) == 0
    steps = int(load_model(current_run(project) / "model.h5")[0].optimizer.iterations.numpy())
    project = load_project(project.path)
    project.training.update(optimizer={"class_name": "Adam", "config": {"learning_rate": 0.003}}, batch_size=8)
    save_project(project, project.path)
    capsys.readouterr()
    assert main(["train", "--continue", str(project.path)]) == 0
    assert "note: the optimizer" not in capsys.readouterr().out  # its state went on
    run = current_run(project)
    model, metadata = load_model(run / "model.h5")
    assert math.isclose(float(model.optimizer.learning_rate), 0.003, rel_tol=1e-6)
    rows = load_training_data(load_project(project.path)).train_size
    assert int(model.optimizer.iterations.numpy()) == steps + math.ceil(rows / 8)
    training = json.loads((run / "run.json").read_text())["training"]
    assert training["optimizer"]["config"]["learning_rate"] == 0.003 and training["batch_size"] == 8
    assert metadata["training"]["optimizer"]["config"]["learning_rate"] == 0.003

    project.training["optimizer"] = {"class_name": "SGD", "config": {"learning_rate": 0.01}}
    save_project(project, project.path)
    assert main(["train", "--continue", str(project.path)]) == 0
    out = capsys.readouterr().out
    assert "note: the optimizer was changed since the model was trained (Adam → SGD)" in out
    assert type(load_model(current_run(project) / "model.h5")[0].optimizer).__name__ == "SGD"


def test_a_project_saved_elsewhere_is_the_same_data_and_the_same_run(tmp_path):
    project = tiny_project(tmp_path)
    job = TrainingJob(project)
    job.train(1)
    data = job.data
    moved = load_project(project.path)
    (tmp_path / "elsewhere").mkdir()
    save_project(moved, tmp_path / "elsewhere" / "points.studio.json")  # Save As: the CSV stays where it was
    assert moved.data["path"] == "../points.csv"
    assert not job.continue_with(moved)  # nothing changed: the run goes on as one
    job.prepare()
    assert job.data is data and job.project.path == moved.path  # not read again
