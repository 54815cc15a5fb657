"""Every lab opens, fails its check with hints as it starts, and passes once solved and trained."""

import json

import numpy as np
import pytest

from studio.classroom.activations import NAMES, collapse_linear, curve
from studio.classroom.lab_checks import check_lab
from studio.classroom.labs import (LabError, find_lab, list_labs, load_perceptron, save_perceptron, start_lab)
from studio.classroom.perceptron import load_perceptron_data, predict, train_perceptron
from studio.cli import main as studio
from studio.core.project import load_project, save_project
from classroom.lab_solutions import SOLUTIONS

LABS = list_labs()


def test_ten_labs_in_order_with_lessons_in_both_languages():
    assert [lab.number for lab in LABS] == list(range(1, 11))
    for lab in LABS:
        assert lab.text("title", "ko") != lab.text("title", "en")
        english, korean = lab.lesson("en"), lab.lesson("ko")
        assert english.startswith(f"# Lab {lab.number} ") and korean.startswith(f"# 실습 {lab.number} ")
        assert any("\uac00" <= ch <= "\ud7a3" for ch in korean)  # Hangul syllables


def test_a_lab_is_found_by_number_or_name_and_a_wrong_one_is_named():
    assert find_lab(4).id == find_lab("04-mnist-sequential").id == "04-mnist-sequential"
    with pytest.raises(LabError, match="there is no lab 11.*1 \\(01-perceptron\\)"):
        find_lab(11)


def test_starting_copies_project_and_data_and_keeps_earlier_work(tmp_path):
    lab = find_lab(5)
    folder = start_lab(lab, tmp_path)
    project = load_project(folder / lab.project)
    assert project.data_path() == folder / "auto_mpg.csv" and project.data_path().is_file()
    project.graph.set_param("output", "units", 1)
    project.training["epochs"] = 3
    save_project(project)
    assert start_lab(lab, tmp_path) == folder  # opening again keeps the work
    assert load_project(folder / lab.project).training["epochs"] == 3
    start_lab(lab, tmp_path, restart=True)
    old = [p for p in tmp_path.iterdir() if p.name.startswith(f"{lab.id}.old-")]
    assert len(old) == 1 and load_project(old[0] / lab.project).training["epochs"] == 3
    assert load_project(folder / lab.project).training["epochs"] == 100


def test_a_broken_lab_file_is_refused_with_the_reason(tmp_path):
    (tmp_path / "lab.json").write_text(json.dumps({"format": "perceptron-studio/lab", "version": 1,
                                                   "kind": "project", "title": {"en": "t"},
                                                   "summary": {"en": "s"}, "check": [{"kind": "magic"}]}))
    from studio.classroom.labs import load_lab
    with pytest.raises(LabError, match="check item 1 has an unknown kind 'magic'"):
        load_lab(tmp_path)


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.id)
def test_each_lab_fails_as_it_starts_with_a_hint(lab, tmp_path):
    result = check_lab(lab, start_lab(lab, tmp_path))
    assert not result.passed
    failed = [item for item in result.items if not item.ok]
    assert failed and all(item.hint("en") and item.hint("ko") for item in failed)
    assert "FAIL" in result.report("en") and "힌트" in result.report("ko")


def test_lab_1_passes_when_the_perceptron_learns_a_separable_class(tmp_path):
    lab = find_lab(1)
    folder = start_lab(lab, tmp_path)
    settings = load_perceptron(lab, folder)
    save_perceptron(folder, {**settings, "positive": "setosa", "epochs": 10})
    result = check_lab(lab, folder)
    assert result.passed, result.report()
    assert "converged" in result.items[0].en


def test_perceptron_rule_separates_setosa_and_never_converges_on_xor(tmp_path):
    lab = find_lab(2)
    settings = load_perceptron(lab, start_lab(lab, tmp_path))
    xor = load_perceptron_data(settings["data"], ["x1", "x2"], "label", "1")
    run = train_perceptron(xor, 1.0, 20)
    assert not run.converged and run.accuracy(xor) < 0.8 and min(run.errors) > 50
    iris = load_perceptron_data(find_lab(1).folder / "../../datasets/iris.csv",
                                ["petal_length", "petal_width"], "species", "setosa")
    run = train_perceptron(iris, 1.0, 10)
    assert run.converged and (predict(run.weights, run.bias, iris.x) == iris.y).all()
    # every recorded step is a real update: the weights differ from the step before
    assert all(not np.array_equal(a[0], b[0]) or a[1] != b[1] for a, b in zip(run.steps, run.steps[1:]))


@pytest.mark.parametrize("lab_id", sorted(SOLUTIONS))
def test_each_lab_passes_once_solved_and_trained(lab_id, tmp_path):
    lab = find_lab(lab_id)
    folder = start_lab(lab, tmp_path)
    path = folder / lab.project
    project = load_project(path)
    runs = SOLUTIONS[lab_id](project)
    for changes in runs:
        project.training.update(changes() if callable(changes) else changes)
        save_project(project)
        assert studio(["train", str(path)]) == 0
    result = check_lab(lab, folder)
    assert result.passed, result.report()


def test_changing_the_model_after_training_asks_for_a_new_run(tmp_path):
    lab = find_lab(5)
    folder = start_lab(lab, tmp_path)
    path = folder / lab.project
    project = load_project(path)
    SOLUTIONS[lab.id](project)
    save_project(project)
    assert studio(["train", str(path), "--epochs", "2"]) == 0
    project.graph.set_param("hidden1", "units", 8)
    save_project(project)
    metric = check_lab(lab, folder).items[-1]
    assert not metric.ok and "changed after the last run" in metric.en and "다시 훈련" in metric.ko


def test_activation_curves_and_their_derivatives():
    z = np.linspace(-4, 4, 81)
    for name in NAMES[1:]:  # the step function has no useful derivative
        value, slope = curve(name, z)
        numeric = np.gradient(value, z)
        away = (np.abs(z) > 0.15) & (np.abs(z) < 3.9)  # ReLU has a kink at 0; the ends are one-sided
        assert np.allclose(slope[away], numeric[away], atol=2e-2), name
    step, slope = curve("step", z)
    assert set(step) == {0.0, 1.0} and not slope.any()


def test_stacked_linear_layers_collapse_into_one():
    rng = np.random.default_rng(0)
    layers = [(rng.normal(size=(2, 8)), rng.normal(size=8)), (rng.normal(size=(8, 8)), rng.normal(size=8)),
              (rng.normal(size=(8, 1)), rng.normal(size=1))]
    x = rng.normal(size=(50, 2))
    out = x
    for w, b in layers:
        out = out @ w + b
    w, b = collapse_linear(layers)
    assert w.shape == (2, 1) and np.allclose(x @ w + b, out)


def test_starting_a_lab_reports_progress_and_a_cancelled_start_leaves_nothing(tmp_path):
    from studio.data.errors import Cancelled
    lab = find_lab(5)  # copies its CSV data along
    seen = []
    with pytest.raises(Cancelled):
        start_lab(lab, tmp_path, progress=seen.append, cancelled=lambda: bool(seen))
    assert list(tmp_path.iterdir()) == []  # no half-copied folder, no .05-regression.starting-*
    folder = start_lab(lab, tmp_path, progress=seen.append)
    assert seen[-1] == 1.0 and (folder / "auto_mpg.csv").is_file()
    project = load_project(folder / lab.project)
    project.training["epochs"] = 3
    save_project(project)
    with pytest.raises(Cancelled):  # a cancelled Start Over keeps the earlier work where it was
        start_lab(lab, tmp_path, restart=True, cancelled=lambda: True)
    assert [p.name for p in tmp_path.iterdir()] == [lab.id]
    assert load_project(folder / lab.project).training["epochs"] == 3


def _lab_folder(tmp_path, **fields):
    """A project lab in its own folder, with ``fields`` of lab.json replaced."""
    from studio.classroom.labs import load_lab
    source = list_labs()[2]  # lab 3: a project lab with a CSV
    folder = tmp_path / "lab"
    folder.mkdir()
    data = json.loads((source.folder / "lab.json").read_text(encoding="utf-8"))
    project = load_project(source.folder / source.project)
    (folder / "points.csv").write_bytes(project.data_path().read_bytes())
    project.data["path"] = "points.csv"
    project.path = None
    save_project(project, folder / source.project)
    data.update(fields)
    (folder / "lab.json").write_text(json.dumps(data), encoding="utf-8")
    return folder, load_lab


@pytest.mark.parametrize("fields, said", [
    ({"project": "/etc/hostname"}, "'project' names a file outside the lab folder"),
    ({"project": "../outside.studio.json"}, "'project' names a file outside the lab folder"),
    ({"project": 5}, "'project' must name a file in the lab folder"),
    ({"perceptron": {"data": "/etc/passwd"}}, "'perceptron.data' names a file outside the lab folder"),
    ({"perceptron": "x"}, "'perceptron' must be an object"),
    ({"number": "abc"}, "'number' must be a whole number"),
    ({"check": [5]}, "check item 1 has no known kind"),
    ({"check": [{"kind": {"x": 1}}]}, "check item 1 has no known kind"),
])
def test_a_lab_file_names_no_file_outside_its_folder_and_wrong_types_are_one_line(tmp_path, fields, said):
    """An opened pack is a lab folder: its lab.json is someone else's file."""
    (tmp_path / "outside.studio.json").write_text("{}")
    folder, load_lab = _lab_folder(tmp_path, **fields)
    with pytest.raises(LabError, match=said) as raised:
        load_lab(folder)
    assert "\n" not in str(raised.value)


def test_a_lab_whose_project_reads_data_outside_its_folder_does_not_start(tmp_path):
    folder, load_lab = _lab_folder(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n")
    project = load_project(next(folder.glob("*.studio.json")))
    project.data["path"] = str(secret)
    save_project(project, project.path)
    lab = load_lab(folder)
    with pytest.raises(LabError, match="data file is outside the lab folder"):
        start_lab(lab, home=tmp_path / "home")
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("secret.csv"))
    assert "1,2" not in "".join(p.read_text(errors="replace") for p in (tmp_path / "home").rglob("*") if p.is_file()) \
        if (tmp_path / "home").exists() else True
