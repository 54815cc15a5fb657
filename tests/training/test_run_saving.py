"""A run is saved whole or not at all, and a trained model is never thrown away (issue 15, items 9 and 17).

Item 9: a read-only output folder or a full disk gave OSError tracebacks after the whole training, and the
trained model was lost. Item 17: a process killed while it wrote a run left the new model beside the
previous run's record, and temporary files that nothing removed.
"""

import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import keras
import numpy as np
import pytest
from helpers import mlp_project

from studio.cli import main
from studio.core import files
from studio.training import model_files, runs
from studio.training.errors import RunSaveError
from studio.training.model_files import load_model, read_metadata


@pytest.fixture
def system_tmp(tmp_path, monkeypatch):
    """The system's temporary folder, where a model that cannot be saved is kept: one of the test's own."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def full_disk_under(monkeypatch, folder):
    """Writing a model anywhere under ``folder`` fails as on a full disk (h5py's words, seen on a 2 MB tmpfs)."""
    real = model_files._save_h5

    def save(model, path, meta):
        if Path(path).resolve().is_relative_to(Path(folder).resolve()):
            raise OSError(errno.ENOSPC, "Unable to synchronously create file (file write failed: time = Wed Dec  2 "
                                        f"06:12:02 2026\n, filename = '{path}', file descriptor = 3, errno = 28, "
                                        "error message = 'No space left on device', buf = 0x55b5f12a17e8, total "
                                        "write size = 96, bytes this sub-write = 96, offset = 0)")
        real(model, path, meta)
    monkeypatch.setattr(model_files, "_save_h5", save)


def refuse_new_files_under(monkeypatch, folder, code=errno.EROFS):
    """Every new file or folder under ``folder`` is refused, as on a read-only disk."""
    for name in ("mkstemp", "mkdtemp"):
        real = getattr(tempfile, name)

        def refuse(*args, real=real, **kwargs):
            where = kwargs.get("dir")
            if where is not None and Path(where).resolve().is_relative_to(Path(folder).resolve()):
                raise OSError(code, os.strerror(code), str(where))
            return real(*args, **kwargs)
        monkeypatch.setattr(tempfile, name, refuse)


def no_traceback(err):
    assert "Traceback" not in err and "Errno" not in err


# -- item 9: said before training, kept after it -------------------------------------------------

def test_a_read_only_output_folder_is_said_before_training(tmp_path, capsys, monkeypatch):
    project = mlp_project(tmp_path, epochs=2)
    disk = tmp_path / "read-only-disk"
    disk.mkdir()
    out = disk / "out"
    refuse_new_files_under(monkeypatch, disk)
    assert main(["train", str(project.path), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "epoch 1:" not in captured.out  # nothing was trained
    (line,) = captured.err.strip().splitlines()
    assert line == (f"studio train: {out}: cannot write there (Read-only file system); a trained model could "
                    "not be saved there, so training does not start")
    assert not out.exists()


def test_a_runs_folder_that_cannot_be_made_is_said_in_one_line(tmp_path, capsys, monkeypatch):
    project = mlp_project(tmp_path, epochs=1)
    real = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self.resolve().is_relative_to((tmp_path / "points.runs").resolve()):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Path, "mkdir", read_only)
    assert main(["train", str(project.path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"studio train: {tmp_path / 'points.runs'}: cannot make a run folder there (Read-only file system)"


def test_a_disk_too_full_for_the_model_is_said_before_training_and_leaves_no_run_folder(tmp_path, capsys,
                                                                                            monkeypatch):
    project = mlp_project(tmp_path, epochs=2)
    monkeypatch.setattr(files.shutil, "disk_usage", lambda path: type("Usage", (), {"free": 500_000})())
    assert main(["train", str(project.path)]) == 2
    captured = capsys.readouterr()
    assert "epoch 1:" not in captured.out
    (line,) = captured.err.strip().splitlines()
    assert "not enough free space (0.5 MB free, about 1.0 MB needed)" in line and str(tmp_path) in line
    assert not [p for p in (tmp_path / "points.runs").iterdir() if p.is_dir()]


def test_a_save_that_fails_after_training_keeps_the_model_and_says_where(tmp_path, capsys, monkeypatch,
                                                                           system_tmp):
    project = mlp_project(tmp_path, epochs=2)
    full_disk_under(monkeypatch, tmp_path / "points.runs")
    assert main(["train", str(project.path)]) == 2
    captured = capsys.readouterr()
    assert "epoch 2:" in captured.out  # trained, then the save failed
    (line,) = captured.err.strip().splitlines()
    no_traceback(line)
    assert line.startswith(f"studio train: cannot save the run in {tmp_path / 'points.runs'}")
    assert "(No space left on device); the trained model is kept in " in line
    rescued = Path(line.rsplit(" ", 1)[1])
    assert rescued.parent.parent == system_tmp and rescued.name == "model.h5"
    model, metadata = load_model(rescued)
    assert metadata["epoch"] == 2 and "warnings" not in metadata and model.count_params() == 4 * 8 + 8 + 8 * 3 + 3 + 9
    record = json.loads((rescued.parent / "run.json").read_text())
    assert record["epochs"] == 2 and record["reason"] == "completed"
    # nothing half-made beside the project: no run, no empty folder, no temporary file
    assert runs.list_runs(project) == [] and os.listdir(tmp_path / "points.runs") == []


def test_when_nothing_can_be_kept_it_is_said_too(tmp_path, monkeypatch, system_tmp):
    project = mlp_project(tmp_path, epochs=1)
    full_disk_under(monkeypatch, tmp_path)
    job = _trained(project)
    with pytest.raises(RunSaveError) as caught:
        runs.record_run(tmp_path / "run", project, job.result, {}, model=job.model, model_metadata=job.metadata())
    assert str(caught.value) == (f"cannot save the trained model in {tmp_path / 'run'} (No space left on device), "
                                 f"nor in {system_tmp} (No space left on device); nothing of it is on disk")
    assert caught.value.rescued is None and os.listdir(system_tmp) == []


def _trained(project):
    from studio.training.engine import TrainingJob
    job = TrainingJob(project)
    job.result = job.train()
    return job


# -- item 17: never a mix of two runs, nothing left behind ------------------------------------

CRASH = r"""
import os, sys
from pathlib import Path
import keras
from types import SimpleNamespace
from studio.core import files
from studio.core.graph import Graph
from studio.core.project import Project
from studio.training import model_files, runs
run_dir, point = Path(sys.argv[1]), sys.argv[2]
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer="ones")])
def half_a_model(model, path, meta):
    with open(path, "wb") as f:  # half a model file, then the end
        f.write(b"\x89HDF\r\n\x1a\n" + b"\0" * 50_000)
    os._exit(9)
if point == "model":
    model_files._save_h5 = half_a_model
elif point == "record":
    real_write = files.atomic_write_text
    def write(path, text):
        if Path(path).name == "run.json":
            os._exit(9)
        real_write(path, text)
    runs.atomic_write_text = write
else:  # everything written, killed before the swap
    runs.replace_folder = lambda staged, target: os._exit(9)
result = SimpleNamespace(reason="completed", epochs_done=7, error=None, history={"loss": [0.5]})
runs.environment = lambda: {}
runs.record_run(run_dir, Project(Graph("second")), result, {"run": "second"}, model=model,
                model_metadata={"epoch": 7})
"""


@pytest.mark.parametrize("point", ["model", "record", "swap"])
def test_a_run_killed_while_it_is_written_leaves_the_previous_run_whole(tmp_path, point, monkeypatch):
    from types import SimpleNamespace

    from studio.core.graph import Graph
    from studio.core.project import Project
    monkeypatch.setattr(runs, "environment", lambda: {})
    run_dir = tmp_path / "runs" / "20260101-000000"
    run_dir.mkdir(parents=True)
    (run_dir / "history.csv").write_text("epoch,loss\n0,1.0\n")  # what a callback wrote while it trained
    first = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer="zeros")])
    runs.record_run(run_dir, Project(Graph("first")),
                    SimpleNamespace(reason="completed", epochs_done=3, error=None, history={"loss": [1.0]}),
                    {"run": "first"}, model=first, model_metadata={"epoch": 3})
    before = sorted(p.name for p in run_dir.iterdir())
    assert before == ["history.csv", "history.json", "model.h5", "run.json", "tensorboard"]

    child = subprocess.run([sys.executable, "-c", CRASH, str(run_dir), point], env=dict(os.environ,
                           TF_CPP_MIN_LOG_LEVEL="3"), stderr=subprocess.DEVNULL)
    assert child.returncode == 9  # killed at that point
    record = json.loads((run_dir / "run.json").read_text())
    assert record["metrics"] == {"run": "first"} and record["epochs"] == 3
    model, metadata = load_model(run_dir / "model.h5")
    assert metadata["epoch"] == 3 and "warnings" not in metadata
    assert not np.any(model.get_weights()[0])  # the first run's (zero) kernel, not the second's
    assert sorted(p.name for p in run_dir.iterdir()) == before
    (left,) = [p for p in run_dir.parent.iterdir() if p != run_dir]  # the half-written second run
    assert left.name.startswith(".20260101-000000.studio-") and left.name.endswith(".tmp")

    runs.new_run_dir(Project(Graph("third")), root=run_dir.parent)  # the next start removes it
    assert not left.exists()


def test_a_second_run_into_the_same_folder_replaces_the_first_whole(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from studio.core.graph import Graph
    from studio.core.project import Project
    monkeypatch.setattr(runs, "environment", lambda: {})
    run_dir = tmp_path / "out"
    for epochs, init in ((3, "zeros"), (7, "ones")):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer=init)])
        runs.record_run(run_dir, Project(Graph("g")), SimpleNamespace(reason="completed", epochs_done=epochs,
                        error=None, history={"loss": [1.0]}), {}, model=model, model_metadata={"epoch": epochs})
    assert json.loads((run_dir / "run.json").read_text())["epochs"] == 7
    assert read_metadata(run_dir / "model.h5")["epoch"] == 7
    assert os.listdir(tmp_path) == ["out"]


def test_a_run_folder_on_its_own_disk_is_written_in_place_record_last(tmp_path, monkeypatch):
    """``--out`` at the top of a mounted disk: no folder can be made beside it, so the files go in place."""
    from types import SimpleNamespace

    from studio.core.graph import Graph
    from studio.core.project import Project
    monkeypatch.setattr(runs, "environment", lambda: {})
    monkeypatch.setattr(runs, "_same_disk_as_parent", lambda folder: False)
    run_dir = tmp_path / "mounted"
    run_dir.mkdir()
    (run_dir / "run.json").write_text('{"epochs": 1}')
    written = []
    real = runs.atomic_write_text
    monkeypatch.setattr(runs, "atomic_write_text", lambda path, text: (written.append(Path(path).name),
                                                                       real(path, text)))
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    runs.record_run(run_dir, Project(Graph("g")), SimpleNamespace(reason="completed", epochs_done=2, error=None,
                    history={"loss": [1.0]}), {}, model=model, model_metadata={"epoch": 2})
    assert written[-1] == "run.json" and json.loads((run_dir / "run.json").read_text())["epochs"] == 2
    assert read_metadata(run_dir / "model.h5")["epoch"] == 2
