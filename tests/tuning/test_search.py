"""Hyperparameter search: keras-tuner picks, the engine trains, runs are recorded, the best is reported."""

import json
import threading

import pytest

from conftest import ROOT
from studio.cli import main as studio
from studio.core.project import load_project, save_project
from studio.core.validation import validate
from studio.training.runs import list_runs
from studio.tuning.search import Search, SearchError, SearchReporter, TuningSettings, apply_values
from training.helpers import mlp_project

MNIST = ROOT / "resources" / "examples" / "mnist_mlp.studio.json"


def small_mnist(tmp_path, limit=1200):
    project = load_project(MNIST)
    project.data["limit"] = limit
    project.path = None
    save_project(project, tmp_path / "mnist.studio.json")
    return tmp_path / "mnist.studio.json"


def test_a_random_search_of_three_trials_from_the_command_line(tmp_path, capsys):
    path = small_mnist(tmp_path)
    assert studio(["tune", str(path), "--trials", "3", "--max-epochs", "1", "--algorithm", "random"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("trial ")] == ["trial 1", "trial 2", "trial 3"]
    summary = json.loads(lines[-1])
    assert summary["trials"] == 3 and summary["objective"] == "val_accuracy"
    assert set(summary["best_hyperparameters"]) == {"layers", "units", "activation", "learning_rate",
                                                    "batch_size", "optimizer"}
    assert 0.1 < summary["best_objective"] <= 1.0
    runs = list_runs(load_project(path))
    assert [r["kind"] for r in runs] == ["trial"] * 3
    best = next(r for r in runs if r["dir"] == summary["best_run"])
    assert best["hyperparameters"] == summary["best_hyperparameters"]
    assert max(r["metrics"]["validation"]["accuracy"] for r in runs) == pytest.approx(summary["best_objective"])


def test_the_varied_graph_keeps_the_stem_and_the_output():
    project = load_project(MNIST)
    values = {"layers": 3, "units": 48, "activation": "tanh", "learning_rate": 0.003, "batch_size": 64,
              "optimizer": "SGD", "dropout": 0.2}
    graph, training = apply_values(project, values)
    classes = [graph.node(n).class_name for n in validate(graph).order]
    assert classes == ["Input", "Rescaling", "Flatten", "Dense", "Dropout", "Dense", "Dropout", "Dense",
                       "Dropout", "Dense"]
    assert graph.outputs == project.graph.outputs
    assert graph.node(graph.outputs[0]).config == project.graph.node(project.graph.outputs[0]).config
    assert [graph.node(f"hidden{i}").config["units"] for i in (1, 2, 3)] == [48, 48, 48]
    assert training["optimizer"] == {"class_name": "SGD", "config": {"learning_rate": 0.003}}
    assert training["batch_size"] == 64 and training["loss"] == project.training["loss"]
    assert validate(graph).ok


def test_a_search_that_cannot_run_says_why(tmp_path):
    wide_deep = load_project(ROOT / "resources" / "examples" / "wide_deep.studio.json")
    with pytest.raises(SearchError, match="straight chain.*2 input"):
        Search(wide_deep, TuningSettings())
    with pytest.raises(SearchError, match="must be a validation metric"):
        TuningSettings.from_dict({"objective": "accuracy"})
    with pytest.raises(SearchError, match="unknown algorithm 'grid'"):
        TuningSettings.from_dict({"algorithm": "grid"})
    with pytest.raises(SearchError, match="learning rate range"):
        TuningSettings.from_dict({"learning_rate": [0.1, 0.01]})
    with pytest.raises(SearchError, match="unknown tuning setting"):
        TuningSettings.from_dict({"neurons": 3})


@pytest.mark.parametrize("algorithm", ["hyperband", "bayesian"])
def test_hyperband_and_bayesian_search_a_small_table(algorithm, tmp_path):
    project = mlp_project(tmp_path)
    settings = TuningSettings.from_dict({"algorithm": algorithm, "max_trials": 3, "max_epochs": 3,
                                         "units": [4, 16, 4], "layers": [1, 2], "objective": "val_loss"})
    seen = []
    search = Search(project, settings, SearchReporter(trial_ended=seen.append))
    best = search.run()
    assert best is not None and 1 <= len(search.trials) <= 3 and seen == search.trials
    assert best.objective == min(t.objective for t in search.trials if t.status == "completed")
    if algorithm == "hyperband":
        assert all(len(t.history["loss"]) <= 3 for t in search.trials)


def test_stop_ends_the_running_trial_and_starts_no_other(tmp_path):
    path = small_mnist(tmp_path, limit=3000)
    started = threading.Event()
    search = Search(load_project(path), TuningSettings.from_dict({"max_trials": 5, "max_epochs": 20}),
                    SearchReporter(trial_started=lambda trial: started.set()))
    thread = threading.Thread(target=search.run)
    thread.start()
    assert started.wait(60)
    search.stop()
    thread.join(60)
    assert not thread.is_alive()
    assert len(search.trials) == 1 and search.trials[0].status == "stopped"
    assert len(search.trials[0].history["loss"]) < 20
