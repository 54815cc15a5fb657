"""Runs of a project without a file go to a scratch folder and move beside the project on Save As."""

import json

from studio.core.graph import Graph
from studio.core.project import Project, save_project
from studio.training import runs


def _fake_run(project, name_hint="x"):
    folder = runs.new_run_dir(project)
    (folder / "run.json").write_text(json.dumps({"kind": "training", "epochs": 1, "metrics": {}}), encoding="utf-8")
    (folder / "history.json").write_text(json.dumps({"loss": [1.0]}), encoding="utf-8")
    return folder


def test_an_untitled_projects_runs_are_kept_and_move_on_save_as(tmp_path):
    runs.reset_scratch()
    project = Project(Graph("model"))
    first, second = _fake_run(project), _fake_run(project)
    assert first.parent == runs.scratch_folder() and len(runs.list_runs(project)) == 2
    in_progress = runs.new_run_dir(project)  # a run still training has no run.json yet: it stays
    save_project(project, tmp_path / "mine.studio.json")
    moved = runs.adopt_scratch_runs(project)
    assert sorted(p.name for p in moved) == sorted([first.name, second.name])
    assert all(p.parent == tmp_path / "mine.runs" and (p / "run.json").is_file() for p in moved)
    assert [r["dir"] for r in runs.list_runs(project)] == [str(p) for p in sorted(moved)]
    assert not first.exists() and in_progress.exists()
    runs.remove_scratch_folders()
    assert not in_progress.exists()


def test_new_or_open_starts_a_fresh_scratch_folder(tmp_path):
    runs.reset_scratch()
    project = Project(Graph("model"))
    old = _fake_run(project)
    runs.reset_scratch()  # File > New
    assert runs.list_runs(Project(Graph("model"))) == []
    assert old.exists()  # a job may still write there: removed only when the application quits
    runs.remove_scratch_folders()
    assert not old.exists()


def test_a_name_taken_beside_the_project_is_not_overwritten(tmp_path):
    runs.reset_scratch()
    project = Project(Graph("model"))
    run = _fake_run(project)
    save_project(project, tmp_path / "p.studio.json")
    (tmp_path / "p.runs" / run.name).mkdir(parents=True)
    (moved,) = runs.adopt_scratch_runs(project)
    assert moved.name == f"{run.name}-1" and (tmp_path / "p.runs" / run.name).is_dir()
    runs.remove_scratch_folders()
