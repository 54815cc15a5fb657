"""Continue on the session's job (same graph) trains with the settings the window shows now.

A changed learning rate goes to the same optimizer (its steps go on); batch size, epochs and callbacks are
the new ones; another optimizer starts afresh (the weights go on); a changed loss recompiles with the same
optimizer; a changed data section is read again. A run of other settings gets its own record, which names
them; the earlier run's record stays as it was.
"""

import json
import math

import pytest
from training.helpers import classification_csv, mlp_project

from studio.core.errors import UserError
from studio.training.engine import Reporter
from studio.training.session import TrainingSession


def tiny_project(tmp_path):
    project = mlp_project(tmp_path, epochs=1)
    classification_csv(tmp_path / "points.csv", n=48)  # 32 training rows: two steps of 16 per epoch
    return project


class SessionRunner:
    """The window's Train and Continue as the training child runs them: a TrainingSession, here in-process."""

    def __init__(self):
        self.session = TrainingSession()
        self.ended = []
        self.said = []

    @property
    def job(self):
        return self.session.job

    def train(self, project, epochs, fresh):
        try:
            job, epochs = self.session.prepare(project, epochs, fresh)
            result, _ = self.session.run(job, epochs, Reporter(started=lambda info: [f(info) for f in self.said]))
        except UserError as exc:
            self.ended.append(("failed", str(exc)))
            return
        self.ended.append(("finished", result))


@pytest.fixture
def runner():
    return SessionRunner()


def _run(runner, project, fresh, epochs=0):
    """Train (fresh) or Continue with the Epochs box at ``epochs``; the result (a failure fails the test)."""
    runner.ended.clear()
    runner.train(project, epochs, fresh)
    kind, payload = runner.ended[0]
    assert kind == "finished", payload
    return payload


def _trained(runner, tmp_path):
    project = tiny_project(tmp_path)
    _run(runner, project, fresh=True)
    return project, runner.job, _steps(runner.job)


def _steps(job) -> int:
    return int(job.model.optimizer.iterations.numpy())


def _record(run_dir) -> dict:
    return json.loads((run_dir / "run.json").read_text(encoding="utf-8"))


def test_a_new_learning_rate_goes_to_the_same_optimizer_and_the_record_names_it(runner, tmp_path):
    project, job, steps = _trained(runner, tmp_path)
    first_run = job.run_dir
    project.training["optimizer"] = {"class_name": "Adam", "config": {"learning_rate": 0.002}}
    _run(runner, project, fresh=False, epochs=1)
    assert runner.job is job and job.optimizer_changes is None  # the session's job went on
    assert math.isclose(float(job.model.optimizer.learning_rate), 0.002, rel_tol=1e-6)
    assert _steps(job) == 2 * steps
    assert job.run_dir != first_run  # other settings: a run of its own
    record = _record(job.run_dir)
    assert record["training"]["optimizer"]["config"]["learning_rate"] == 0.002 and record["epochs"] == 2
    assert _record(first_run)["training"]["optimizer"]["config"]["learning_rate"] == 0.01  # still true


def test_the_new_batch_size_epochs_and_callbacks_are_used(runner, tmp_path):
    project, job, steps = _trained(runner, tmp_path)
    first_run = job.run_dir
    project.training["epochs"] = 2  # only the Epochs box: the same run goes on
    _run(runner, project, fresh=False, epochs=2)
    assert job.epoch == 2 and job.run_dir == first_run and _steps(job) == 2 * steps
    project.training.update(batch_size=4, epochs=3, callbacks={"csv_logger": True})
    _run(runner, project, fresh=False, epochs=3)
    assert runner.job is job and job.epoch == 3 and job.settings.batch_size == 4
    assert _steps(job) == 2 * steps + math.ceil(job.data.train_size / 4)
    assert job.run_dir != first_run and (job.run_dir / "history.csv").is_file()  # the CSV log is on
    record = _record(job.run_dir)
    assert record["training"]["batch_size"] == 4 and record["training"]["callbacks"] == {"csv_logger": True}


def test_another_optimizer_starts_afresh_and_a_new_loss_keeps_the_state(runner, tmp_path):
    project, job, steps = _trained(runner, tmp_path)
    project.training.update(loss="categorical_crossentropy", metrics=[])
    _run(runner, project, fresh=False, epochs=1)  # one-hot targets: sparse ones would not fit this loss
    assert job.model.loss == "categorical_crossentropy" and job.optimizer_changes is None
    assert _steps(job) == 2 * steps
    assert len(job.history["loss"]) == 2 and len(job.history["accuracy"]) == 1  # no accuracy in the new run
    assert _record(job.run_dir)["training"]["loss"] == "categorical_crossentropy"
    project.training["optimizer"] = {"class_name": "SGD", "config": {"learning_rate": 0.05}}
    said = []
    runner.said.append(lambda info: said.append(job.optimizer_changes))
    _run(runner, project, fresh=False, epochs=1)
    assert said == [["Adam → SGD"]]  # known as the run starts (the Training tab says it then)
    assert type(job.model.optimizer).__name__ == "SGD" and _steps(job) == steps  # from step 0
    assert math.isclose(float(job.model.optimizer.learning_rate), 0.05, rel_tol=1e-6)
    assert _record(job.run_dir)["training"]["optimizer"]["class_name"] == "SGD" and len(job.history["loss"]) == 3


def test_a_changed_data_section_is_read_again(runner, tmp_path):
    project, job, steps = _trained(runner, tmp_path)
    rows = job.data.train_size
    project.data["validation"] = 0.5
    _run(runner, project, fresh=False, epochs=1)
    assert runner.job is job and job.data.train_size < rows
    assert _steps(job) == steps + math.ceil(job.data.train_size / 16)
    assert _record(job.run_dir)["data"]["validation"] == 0.5


def test_a_continue_that_cannot_train_leaves_the_job_and_no_folder_and_the_next_one_records(runner, tmp_path):
    project, job, steps = _trained(runner, tmp_path)
    first_run = job.run_dir
    project.data["path"] = "missing.csv"
    runner.ended.clear()
    runner.train(project, 1, False)
    kind, message = runner.ended[0]
    assert kind == "failed" and "missing.csv" in message
    assert not job.run_dir.exists() and first_run.is_dir()  # the failed run left no folder
    assert job.project.data["path"] == "points.csv" and _steps(job) == steps  # the job is as it was
    project.data["path"] = "points.csv"  # put back: the same settings as the first run
    _run(runner, project, fresh=False, epochs=1)
    assert job.run_dir.is_dir() and job.run_dir != first_run and _record(job.run_dir)["epochs"] == 2
