"""The summary's rows and counts are Keras' own, for every example and lab project (issue 17).

Keras' numbers are read from the text ``model.summary(print_fn=...)`` prints, not recomputed, so a
change in how Keras counts shows here. Build only, no training.
"""

import json
import re
from pathlib import Path

import keras
import numpy as np
import pytest

from studio.core.keras_bridge import build_model
from studio.core.model_summary import graph_for_training, summarize_model, summarize_project, will_scale_inputs
from studio.core.project import load_project
from studio.data.defaults import data_settings
from studio.training.data_source import load_training_data, scale_inputs

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def _projects() -> list[Path]:
    found = sorted((RESOURCES / "examples").glob("*.studio.json"))
    for lab in sorted((RESOURCES / "labs").glob("*/lab.json")):
        name = json.loads(lab.read_text(encoding="utf-8")).get("project")
        if name:
            found.append(lab.parent / name)
    return found


PROJECTS = _projects()


def keras_counts(model) -> dict:
    """Total, trainable, non-trainable (and optimizer) params as ``model.summary()`` prints them."""
    lines = []
    model.summary(print_fn=lambda text, line_break=True: lines.append(text))
    text = "\n".join(lines)
    counts = {}
    for key, label in (("total", "Total"), ("trainable", "Trainable"), ("non_trainable", "Non-trainable"),
                       ("optimizer", "Optimizer")):
        match = re.search(rf"^\s*{label} params: ([\d,]+)", text, re.MULTILINE)
        if match:
            counts[key] = int(match.group(1).replace(",", ""))
    return counts


def keras_shape(layer) -> str:
    shape = layer._inbound_nodes[-1].output_tensors[0].shape
    return "(" + ", ".join(str(d) for d in shape) + ")"


def test_every_example_and_lab_project_is_found():
    names = {p.name for p in PROJECTS}
    assert {"mnist_mlp.studio.json", "wide_deep.studio.json", "auto_mpg.studio.json", "xor.studio.json"} <= names
    assert len(PROJECTS) >= 11


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.name)
def test_a_projects_summary_is_keras_summary_of_the_same_model(path):
    project = load_project(path)
    settings = data_settings(project.data)
    summary = summarize_project(project, settings)
    graph, scaled = graph_for_training(project.graph, will_scale_inputs(settings))
    model = build_model(graph)
    assert summary.totals() == keras_counts(model)
    assert summary.total == model.count_params()
    assert [(r.name, r.type, r.output_shape) for r in summary.rows] == \
        [(layer.name, type(layer).__name__, keras_shape(layer)) for layer in model.layers]
    assert [r.params for r in summary.rows] == [layer.count_params() for layer in model.layers]
    assert summary.scaled_inputs == scaled
    if settings.get("source") == "csv" and settings.get("normalize"):
        assert set(scaled) == set(project.graph.inputs)


CSV_PROJECTS = [p for p in PROJECTS if will_scale_inputs(data_settings(load_project(p).data))]


@pytest.mark.parametrize("path", CSV_PROJECTS, ids=lambda p: p.name)
def test_the_input_scaling_counted_is_the_engines(path):
    """The engine's own step (real data, ``scale_inputs``) gives the model the summary describes."""
    project = load_project(path)
    summary = summarize_project(project, data_settings(project.data))
    graph = project.graph.copy()
    scale_inputs(graph, load_training_data(project))
    model = build_model(graph)
    assert summary.totals() == keras_counts(model)
    assert [r.name for r in summary.rows] == [layer.name for layer in model.layers]


def test_a_compiled_and_trained_model_shows_its_optimizer_params_and_connections():
    inputs = keras.Input((3,), name="x")
    shared = keras.layers.Dense(2, name="shared")
    left, right = shared(inputs), shared(inputs)  # one layer called twice: its weights count once
    frozen = keras.layers.Dense(1, name="frozen", trainable=False)
    outputs = frozen(keras.layers.Add(name="add")([left, right]))
    model = keras.Model(inputs, outputs, name="tiny")
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((4, 3)), np.zeros((4, 1)), epochs=1, verbose=0)
    summary = summarize_model(model)
    assert summary.totals() == keras_counts(model)
    assert summary.optimizer is not None and summary.optimizer > 0
    assert (summary.trainable, summary.non_trainable) == (8, 3)
    rows = {r.name: r for r in summary.rows}
    assert rows["add"].connected_to == ("shared", "shared")
    assert rows["frozen"].connected_to == ("add",)
    assert rows["x"].connected_to == ()
