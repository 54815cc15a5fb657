"""Run records are files: a hand-edited or damaged run.json / history.json never breaks the window.

A fuzz test (fixed seed): records whose fields hold random types, deep nesting, markup and
non-finite numbers are put beside a project; reopening it lists, ticks, compares and shows them
without an exception (pytest-qt fails a test on any exception raised inside a Qt slot or paint).
"""

import json
import random

from PySide6.QtCore import Qt

from studio.training import runs

GOOD = {"format": "perceptron-studio/run", "version": 1, "kind": "training", "epochs": 2, "reason": "completed",
        "metrics": {"train": {"loss": 0.5}, "validation": {"loss": 0.6}, "test": {"accuracy": 0.8}},
        "training": {"batch_size": 32, "epochs": 2, "loss": "binary_crossentropy"}, "graph": {"layers": []},
        "data": {"task": "binary", "source": "csv"}, "class_names": ["no", "yes"], "confusion": [[4, 1], [2, 3]],
        "created": "2026-12-02T10:00:00"}
HISTORY = {"loss": [0.9, 0.5], "val_loss": [1.0, 0.6], "accuracy": [0.6, 0.8]}


def _value(rng, depth=0):
    """A value of a random kind: what a hand-edited or damaged record could hold."""
    kinds = ["text", "int", "huge", "float", "nan", "none", "bool", "markup", "list", "dict", "deep"]
    kind = rng.choice(kinds if depth < 2 else kinds[:8])
    if kind == "list":
        return [_value(rng, depth + 1) for _ in range(2)]
    if kind == "dict":
        return {"loss": _value(rng, depth + 1), "x": _value(rng, depth + 1)}
    if kind == "deep":
        return json.loads("[" * 300 + "]" * 300)
    return {"text": "abc", "int": -3, "huge": 2 ** 70, "float": 1e308, "nan": float("nan"), "none": None,
            "bool": True, "markup": "<b>x</b>"}[kind]


def _mutate(rng, record: dict) -> dict:
    record = json.loads(json.dumps(record))
    for _ in range(rng.randint(1, 3)):
        section = rng.choice(sorted(record))
        if isinstance(record[section], dict) and record[section] and rng.random() < 0.6:
            key = rng.choice(sorted(record[section]))
            record[section][key] = _value(rng)
        else:
            record[section] = _value(rng)
    return record


def _hostile_history(rng):
    choice = rng.randrange(6)
    if choice == 0:
        return _value(rng)
    history = json.loads(json.dumps(HISTORY))
    key = rng.choice(sorted(history))
    history[key] = _value(rng) if choice < 4 else [_value(rng), 0.5]
    return history


def test_hostile_run_records_are_listed_shown_and_compared_without_an_exception(window, qtbot, tmp_path):
    rng = random.Random(15)
    path = tmp_path / "fuzz.studio.json"
    assert window.save_as(str(path))
    project = window.document.project
    for i in range(60):
        folder = runs.new_run_dir(project)
        record = _mutate(rng, GOOD) if i % 4 else _value(rng)  # every fourth record is not even an object
        (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
        (folder / "history.json").write_text(json.dumps(_hostile_history(rng)), encoding="utf-8")
    good = runs.new_run_dir(project)
    (good / "run.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (good / "history.json").write_text(json.dumps(HISTORY), encoding="utf-8")
    window.new_project()
    assert window.open_project(str(path))
    panel = window.results.runs_panel
    assert panel.list.count() >= 1
    newest = [panel.list.item(i).data(Qt.UserRole) for i in range(panel.list.count())
              if panel.list.item(i).checkState() == Qt.Checked]
    assert newest == [str(good)]  # the newest run is the good one, and it is shown
    assert "0.8000" in window.results.summary.text()
    for i in range(panel.list.count()):  # tick every run: all curves drawn together
        panel.list.item(i).setCheckState(Qt.Checked)
    for index in range(panel.metric.count()):  # and compare them by every metric, in every order
        panel.metric.setCurrentIndex(index)
        for order in range(panel.sort.count()):
            panel.sort.setCurrentIndex(order)
    panel.filter.setText("loss <= 0.7")
    window.grab()  # paint it all
    from studio.ui.run_results import results_from_record
    for run in window.results.runs:  # each one shown as the newest run of a reopened project
        results = results_from_record(run)
        if results is not None:
            window.results.show_results(results, "fuzz", run.get("graph"))
        window.training.show_run(run)
    window.grab()
