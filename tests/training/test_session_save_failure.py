"""The window's training session (run in the training child): a run that cannot be saved is said in one line
that names where the model went, and the model stays in memory for Continue and Export Model (issue 15, item 9)."""

import errno
import os
import tempfile
from pathlib import Path

from training.helpers import mlp_project

from studio.training import model_files, runs
from studio.training.model_files import load_model
import pytest

from studio.core.errors import UserError
from studio.training.session import TrainingSession


def test_a_save_that_fails_after_training_is_one_line_with_the_rescued_model(tmp_path, monkeypatch):
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    project = mlp_project(tmp_path, epochs=1)
    real = model_files._save_h5

    def full_disk(model, path, meta):
        if Path(path).resolve().is_relative_to((tmp_path / "points.runs").resolve()):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(model, path, meta)
    monkeypatch.setattr(model_files, "_save_h5", full_disk)
    session = TrainingSession()
    with pytest.raises(UserError) as failed:
        session.run(*session.prepare(project))
    message = str(failed.value)
    assert "\n" not in message  # the user's disk, not a bug: no traceback to show
    assert message.startswith(f"cannot save the run in {tmp_path / 'points.runs'}")
    assert "(No space left on device); the trained model is kept in " in message
    rescued = Path(message.rsplit(" ", 1)[1])
    assert rescued.is_relative_to(system_tmp) and load_model(rescued)[1]["epoch"] == 1
    assert session.job.model is not None and session.has_model()  # still in memory
    assert runs.list_runs(project) == [] and os.listdir(tmp_path / "points.runs") == []


def test_a_disk_too_full_for_the_model_is_said_before_training(tmp_path, monkeypatch):
    from studio.core import files
    project = mlp_project(tmp_path, epochs=1)
    monkeypatch.setattr(files.shutil, "disk_usage", lambda path: type("Usage", (), {"free": 500_000})())
    from studio.training.engine import Reporter
    session = TrainingSession()
    epochs = []
    job, count = session.prepare(project)
    with pytest.raises(UserError) as failed:
        session.run(job, count, Reporter(epoch_ended=lambda epoch, logs: epochs.append(epoch)))
    message = str(failed.value)
    assert "not enough free space (0.5 MB free, about 1.0 MB needed)" in message
    assert "training does not start" in message and epochs == []
    assert os.listdir(tmp_path / "points.runs") == []  # no empty run folder


def test_a_run_folder_that_cannot_be_made_keeps_the_model_trained_before(tmp_path, monkeypatch):
    from studio.training.errors import OutputError
    project = mlp_project(tmp_path, epochs=1)
    session = TrainingSession()
    session.run(*session.prepare(project))
    trained = session.job

    def refused(snapshot, root=None):
        raise OutputError(f"cannot make a run folder in {tmp_path} (Read-only file system)")
    monkeypatch.setattr(runs, "new_run_dir", refused)
    with pytest.raises(OutputError):
        session.prepare(project)
    assert session.job is trained and session.has_model()  # the trained model is not dropped
