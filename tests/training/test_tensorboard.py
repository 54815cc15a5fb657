"""Every run writes TensorBoard logs; the studio's TensorBoard serves them on 127.0.0.1 and stops."""

import json
import urllib.request

import pytest

from studio.cli import main as studio
from studio.core.project import load_project
from studio.training.runs import delete_run, list_runs
from studio.training.tensorboard import TensorBoard, TensorBoardError
from training.helpers import mlp_project


def test_runs_write_logs_that_tensorboard_serves(tmp_path):
    mlp_project(tmp_path, epochs=2)
    path = tmp_path / "points.studio.json"
    assert studio(["train", str(path)]) == 0
    run = list_runs(load_project(path))[-1]
    events = sorted(p.parent.name for p in (tmp_path / run["dir"] / "tensorboard").rglob("events.out.tfevents*"))
    assert events == ["train", "validation"]
    board = TensorBoard(tmp_path / "points.runs")
    try:
        url = board.start()
        assert url.startswith("http://127.0.0.1:") and board.running
        with urllib.request.urlopen(url + "data/runs", timeout=10) as response:
            runs = json.loads(response.read())
        assert any(name.endswith("/train") for name in runs)  # e.g. "20261128-090000/tensorboard/train"
        assert board.start() == url  # already running: the same server
    finally:
        board.stop()
    assert not board.running


def test_tensorboard_needs_a_runs_folder(tmp_path):
    with pytest.raises(TensorBoardError, match="train once"):
        TensorBoard(tmp_path / "missing.runs").start()


def test_a_run_is_deleted_only_from_its_own_runs_folder(tmp_path):
    mlp_project(tmp_path, epochs=1)
    path = tmp_path / "points.studio.json"
    assert studio(["train", str(path)]) == 0
    project = load_project(path)
    run = list_runs(project)[-1]["dir"]
    with pytest.raises(OSError, match="not a run of this project"):
        delete_run(project, tmp_path)
    delete_run(project, run)
    assert list_runs(project) == []
