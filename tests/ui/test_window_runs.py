"""Results do not vanish: Save As keeps an untitled project's runs, reopening shows the newest run."""

import json

from PySide6.QtCore import Qt

from studio.training import runs


def _record(project, accuracy, epochs):
    folder = runs.new_run_dir(project)
    record = {"format": "perceptron-studio/run", "version": 1, "kind": "training", "epochs": epochs,
              "metrics": {"train": {"loss": 0.5}, "validation": {"loss": 0.6}, "test": {"accuracy": accuracy}},
              "training": {"batch_size": 32}, "graph": {"layers": []}, "data": {"task": "binary"},
              "class_names": ["no", "yes"], "confusion": [[40, 10], [5, 45]]}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    (folder / "history.json").write_text(json.dumps({"loss": [0.9, 0.5][:epochs], "val_loss": [1.0, 0.6][:epochs]}),
                                         encoding="utf-8")
    return folder


def test_save_as_keeps_the_runs_of_an_untitled_project(window, qtbot, tmp_path):
    project = window.document.project
    first, second = _record(project, 0.7, 1), _record(project, 0.85, 2)
    window._load_runs()  # as after training
    assert window.results.runs_panel.list.count() == 2
    with qtbot.waitSignal(window.job_ended, timeout=10_000) as ended:
        assert window.save_as(str(tmp_path / "kept.studio.json"))
    assert ended.args == ["move-runs", True]
    moved = sorted((tmp_path / "kept.runs").iterdir())
    assert [p.name for p in moved] == [first.name, second.name] and not first.exists()
    assert window.results.runs_panel.list.count() == 2
    assert [r["dir"] for r in window.results.runs] == [str(p) for p in moved]


def test_reopening_a_project_shows_its_newest_run(window, qtbot, tmp_path):
    path = tmp_path / "again.studio.json"
    assert window.save_as(str(path))
    _record(window.document.project, 0.7, 1)
    newest = _record(window.document.project, 0.85, 2)
    window.new_project()
    assert window.results.runs_panel.list.count() == 0
    assert window.open_project(str(path))
    panel = window.results.runs_panel
    assert panel.list.count() == 2
    ticked = [panel.list.item(i).data(Qt.UserRole) for i in range(2) if panel.list.item(i).checkState() == Qt.Checked]
    assert ticked == [str(newest)] and len(panel.curves) == 1
    assert list(panel.curves[0].getData()[1]) == [1.0, 0.6] or list(panel.curves[0].getData()[1]) == [0.9, 0.5]
    summary = window.results.summary.text()
    assert "accuracy" in summary and "0.8500" in summary and newest.name in summary
    assert window.results.matrix.rowCount() == 2 and window.results.tabs.isTabVisible(0)
    assert window.results.matrix.item(1, 1).text() == "45"
