"""The project's current model: saved, reopened and continued exactly; edits keep the weights that still fit."""

import json

import numpy as np
from helpers import mlp_project

from studio.cli import main
from studio.core.project import load_project
from studio.training.current_model import (POINTER, clear_current, continue_from, current_run, model_file,
                                           resume, same_model, set_current)
from studio.training.engine import TrainingJob
from studio.training.model_files import load_model, save_model
from studio.training.runs import new_run_dir


def _train_and_keep(project, epochs):
    job = TrainingJob(project)
    job.train(epochs)
    run = new_run_dir(project)
    save_model(job.model, run / "model.h5", job.metadata())
    set_current(run)
    return job, run


def test_a_reopened_project_continues_exactly_as_uninterrupted_training(tmp_path):
    project = mlp_project(tmp_path, epochs=2)
    straight = TrainingJob(project)
    straight.train(2)
    straight.train(2)  # Continue in the same window, never closed

    _, run = _train_and_keep(load_project(project.path), 2)
    reopened = load_project(project.path)  # the window was closed; the project opened again
    assert model_file(reopened) == run / "model.h5"
    job = resume(reopened)
    job.prepare()  # checks and loads the file (in the window: on the training thread)
    assert job.reset is None and job.epoch == 2 and len(job.history["loss"]) == 2
    steps = int(job.model.optimizer.iterations.numpy())
    assert steps == int(straight.model.optimizer.iterations.numpy()) // 2 > 0
    job.train(2)
    assert job.epoch == 4 and int(job.model.optimizer.iterations.numpy()) == 2 * steps
    for a, b in zip(job.model.get_weights(), straight.model.get_weights()):
        assert np.allclose(a, b, atol=1e-6)
    assert np.allclose(job.history["loss"], straight.history["loss"], atol=1e-6)


def test_an_edit_keeps_the_weights_of_the_layers_that_still_fit(tmp_path):
    project = mlp_project(tmp_path, epochs=1)
    trained, _ = _train_and_keep(project, 1)
    edited = load_project(project.path)
    hidden = next(n.name for n in edited.graph if n.config.get("units") == 8)
    output = edited.graph.outputs[0]
    edited.graph.set_param(hidden, "units", 5)  # its kernel and the output's change shape
    model, metadata = load_model(model_file(edited))
    job = continue_from(edited, model, metadata)
    job.prepare()
    assert set(job.reset) == {hidden, output} and "normalization" in job.kept
    assert job.epoch == 0 and job.model.get_layer(hidden).get_weights()[0].shape == (4, 5)
    old = trained.model.get_layer("normalization").get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(job.model.get_layer("normalization").get_weights(), old))


def test_layout_and_input_scaling_are_not_an_edit(tmp_path):
    project = mlp_project(tmp_path)
    job, _ = _train_and_keep(project, 1)
    recorded = job.metadata()["graph"]  # has the Normalization that training put in
    mine = project.graph.to_dict()
    mine["layers"][0]["ui"] = {"pos": [999, 999]}
    assert same_model(mine, recorded)
    mine["layers"][1]["config"]["activation"] = "tanh"
    assert not same_model(mine, recorded)


def test_the_pointer_is_a_name_in_the_runs_folder_never_a_path(tmp_path):
    project = mlp_project(tmp_path)
    _, run = _train_and_keep(project, 1)
    pointer = run.parent / POINTER
    for hostile in ("../../etc", "/etc/passwd", "..", run.name + "/../" + run.name, 7, None):
        pointer.write_text(json.dumps({"run": hostile}))
        assert current_run(project) is None
    pointer.write_text("{not json")
    assert current_run(project) is None
    set_current(run)
    assert current_run(project) == run
    clear_current(project)  # Reset weights
    assert current_run(project) is None and resume(project) is None and run.is_dir()


def test_studio_train_continue_goes_on_and_numbers_the_epochs_on(tmp_path, capsys):
    project = mlp_project(tmp_path, epochs=2)
    assert main(["train", "--continue", str(project.path)]) == 1  # nothing trained yet: said in one line
    assert "no trained model to continue yet" in capsys.readouterr().err
    assert main(["train", str(project.path)]) == 0
    first = current_run(project)
    steps = int(load_model(first / "model.h5")[0].optimizer.iterations.numpy())
    capsys.readouterr()
    assert main(["train", "--continue", "--epochs", "3", str(project.path)]) == 0
    out = capsys.readouterr().out
    assert f"continuing from epoch 2 ({steps:,} optimizer steps taken)" in out
    assert "epoch 3:" in out and "epoch 5:" in out and "epoch 1:" not in out
    second = current_run(project)
    assert second != first
    history = json.loads((second / "history.json").read_text())
    assert len(history["loss"]) == 5 and json.loads((second / "run.json").read_text())["epochs"] == 5
    model, metadata = load_model(second / "model.h5")
    assert int(model.optimizer.iterations.numpy()) == steps * 5 // 2 and metadata["epoch"] == 5


def test_two_graphs_that_differ_only_in_input_order_are_other_models():
    from studio.core.graph import Graph
    from studio.training.current_model import same_model
    g = Graph("two")
    a = g.add_node("Input", {"shape": [2]}, name="a")
    b = g.add_node("Input", {"shape": [2]}, name="b")
    c = g.add_node("Concatenate", {}, name="c")
    g.connect(a, c)
    g.connect(b, c)
    g.set_output(c)
    before = g.to_dict()
    old_record = {k: v for k, v in before.items() if k != "inputs"}  # a run recorded before the list existed
    assert same_model(before, old_record)
    g.set_inputs([b, a])
    assert not same_model(g.to_dict(), before)
