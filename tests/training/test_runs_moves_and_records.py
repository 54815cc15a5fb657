"""One record for a run (run.json and the window's Runs list), one evaluate-and-record step, and runs that
move beside a saved project keeping the project's current model."""

from types import SimpleNamespace

import numpy as np

from studio.core.graph import Graph
from studio.core.project import Project, save_project
from studio.training import runs
from studio.training.current_model import MODEL_FILE, current_run
from studio.training.finish import evaluate_and_record
from studio.training.run_moves import adopt_runs, move_run, moved_to
from studio.training.run_records import read_record


def _result():
    return SimpleNamespace(reason="finished", epochs_done=2, error=None, history={"loss": [2.0, 1.0]},
                           final={"loss": 1.0, "val_loss": 1.5})


def _project():
    project = Project(Graph("model"))
    project.data, project.training = {"source": "csv", "target": "y"}, {"epochs": 2, "batch_size": 8}
    return project


def test_run_json_is_the_run_record_the_window_lists(tmp_path):
    project, result = _project(), _result()
    metrics = runs.run_metrics(result.final, {"loss": 1.2})
    record = runs.run_record(project, result, metrics)
    assert record["kind"] == "training" and record["epochs"] == 2 and record["reason"] == "finished"
    assert record["graph"] == project.graph.to_dict() and record["training"] == project.training
    assert record["training"] is not project.training  # a later edit of the project does not change it
    runs.record_run(tmp_path / "run", project, result, metrics)
    written = read_record(tmp_path / "run")
    assert set(written) == set(record)
    assert {k: v for k, v in written.items() if k not in ("created", "environment")} == \
        {k: v for k, v in record.items() if k not in ("created", "environment")}


def _job(project, run_dir):
    data = SimpleNamespace(task="regression", class_names=[], y_test=np.zeros((0, 1)))
    return SimpleNamespace(project=project, data=data, run_dir=run_dir, model=None, evaluate=lambda: {"loss": 0.5},
                           metadata=lambda: {})


def test_evaluate_and_record_writes_the_run_and_gives_the_results(tmp_path):
    project = _project()
    results = evaluate_and_record(_job(project, tmp_path / "run"), _result(), current=False)
    assert results.test == {"loss": 0.5}
    record = read_record(tmp_path / "run")
    assert record["metrics"]["test"] == {"loss": 0.5} and record["metrics"]["validation"] == {"loss": 1.5}


def test_evaluate_and_record_without_a_run_folder_writes_nothing(tmp_path):
    results = evaluate_and_record(_job(_project(), None), _result())
    assert results.test == {"loss": 0.5} and not any(tmp_path.iterdir())


def _fake_run(folder, model=True):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run.json").write_text('{"kind": "training"}', encoding="utf-8")
    if model:
        (folder / MODEL_FILE).write_bytes(b"model")
    return folder


def test_moved_to_finds_a_run_renamed_where_its_name_was_taken(tmp_path):
    moved = [tmp_path / "20261202-101500-1", tmp_path / "20261202-101600"]
    assert moved_to(moved, "20261202-101600") == moved[1]
    assert moved_to(moved, "20261202-101500") == moved[0]
    assert moved_to(moved, "20261202-090000") is None


def test_move_run_takes_a_free_name_and_makes_it_current(tmp_path):
    target = tmp_path / "mine.runs"
    _fake_run(target / "run1")
    source = _fake_run(tmp_path / "scratch" / "run1")
    destination = move_run(source, target)
    assert destination == target / "run1-1" and not source.exists()
    project = Project(Graph("model"), path=tmp_path / "mine.studio.json")
    assert current_run(project, target) == destination
    assert move_run(tmp_path / "scratch" / "gone", target) is None  # never recorded: nothing moves


def test_adopted_runs_keep_the_trained_model_current(tmp_path):
    from studio.training.current_model import set_current
    runs.reset_scratch()
    project = Project(Graph("model"))
    first = _fake_run(runs.new_run_dir(project))
    set_current(first)
    save_project(project, tmp_path / "mine.studio.json")
    moved = adopt_runs(project)
    assert [p.name for p in moved] == [first.name]
    assert current_run(project, tmp_path / "mine.runs") == moved[0]
    runs.remove_scratch_folders()
