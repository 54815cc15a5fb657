"""The learning-rate finder on the MNIST MLP: an exponential sweep, a divergence stop, a sensible rate."""

import json

import numpy as np
import pytest

from conftest import ROOT
from studio.cli import main as studio
from studio.core.project import load_project, save_project
from studio.training.engine import TrainingError
from studio.training.runs import list_runs
from studio.tuning.lr_finder import END, START, find_learning_rate, suggest

MNIST = ROOT / "resources" / "examples" / "mnist_mlp.studio.json"


def small_mnist(limit=20000):
    project = load_project(MNIST)
    project.data["limit"] = limit
    return project


def test_the_finder_suggests_a_rate_for_the_mnist_mlp():
    project = small_mnist()
    before = project.to_dict()
    result = find_learning_rate(project)
    rates = np.asarray(result.rates)
    ratios = rates[1:] / rates[:-1]
    assert rates[0] == pytest.approx(START) and np.allclose(ratios, ratios[0])  # exponential growth
    # 18,000 training images in batches of 32: 563 batches would take the rate from 1e-5 to 10
    assert ratios[0] == pytest.approx((END / START) ** (1 / 562), rel=1e-4)
    assert result.stopped_early and rates[-1] < END  # the loss shot up before the end
    assert 1e-3 <= result.suggestion <= 1.0
    assert result.suggestion == pytest.approx(result.minimum / 10)
    i = int(np.argmin(result.smoothed))
    assert result.minimum == pytest.approx(rates[i])
    assert result.smoothed[-1] > 2 * min(result.smoothed)
    assert project.to_dict() == before  # the project is not changed


def test_suggest_needs_a_few_points_and_ignores_nan():
    assert suggest([1e-4, 1e-3], [1.0, 0.5]) == (None, None)
    rates = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0]
    assert suggest(rates, [2.0, 1.5, 0.9, 0.4, 3.0, float("nan")]) == pytest.approx((1e-2, 1e-1))
    assert suggest(rates, [2.0, 1.99, 1.98, 2.5, 3.0, 9.0]) == (None, 1e-2)  # the loss never really fell


def test_a_bad_range_is_refused():
    with pytest.raises(TrainingError, match="0 < start < end"):
        find_learning_rate(small_mnist(), start=1.0, end=0.1)


def test_lr_find_command_and_a_sweep_too_short_to_judge(tmp_path, capsys):
    project = small_mnist(12000)
    project.path = None
    save_project(project, tmp_path / "mnist.studio.json")
    assert studio(["lr-find", str(tmp_path / "mnist.studio.json")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("rate 1e-05: loss")
    summary = json.loads(lines[-1])
    assert 1e-3 <= summary["suggestion"] <= 1.0 and summary["batches"] > 100
    runs = list_runs(load_project(tmp_path / "mnist.studio.json"))  # the sweep is listed with the runs
    assert [r["kind"] for r in runs] == ["finder"] and runs[0]["suggestion"] == summary["suggestion"]
    project.data["limit"] = 3000  # 84 batches: SGD cannot learn anything in so short a sweep
    save_project(project)
    assert studio(["lr-find", str(tmp_path / "mnist.studio.json")]) == 1
    assert "no rate to suggest" in capsys.readouterr().err
