"""A tiny trained table project with a categorical feature, shared by the prediction tests."""

import numpy as np
import pandas as pd
import pytest

from studio.core.graph import Graph
from studio.core.project import Project, load_project, save_project
from studio.training.current_model import set_current
from studio.training.engine import TrainingJob
from studio.training.model_files import save_model
from studio.training.runs import new_run_dir

COLOURS = ["red", "green", "blue"]


def colours_csv(path, n=48, seed=0):
    """Numbers a, b and a colour; the label depends on all three."""
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=n), rng.normal(size=n) * 3 + 10
    colour = np.array(COLOURS)[np.arange(n) % 3]
    label = np.where(a + (colour == "blue") > 0.3, "yes", "no")
    frame = pd.DataFrame({"a": a, "b": b, "colour": colour, "label": label})
    frame.to_csv(path, index=False)
    return frame


def trained_colours_project(folder, missing="drop"):
    """A saved project (5 encoded inputs -> 2 classes) trained for one epoch, its model the current one."""
    colours_csv(folder / "colours.csv")
    g = Graph("colours")
    i = g.add_node("Input", {"shape": [5]})
    h = g.add_node("Dense", {"units": 6, "activation": "relu"})
    o = g.add_node("Dense", {"units": 2, "activation": "softmax"})
    g.connect(i, h)
    g.connect(h, o)
    g.set_output(o)
    settings = {"loss": "sparse_categorical_crossentropy", "optimizer": {"class_name": "Adam",
                "config": {"learning_rate": 0.05}}, "metrics": ["accuracy"], "epochs": 1, "batch_size": 16,
                "seed": 3}
    project = Project(g, {"source": "csv", "path": "colours.csv", "target": "label", "missing": missing},
                      settings)
    save_project(project, folder / "colours.studio.json")
    project = load_project(folder / "colours.studio.json")
    job = TrainingJob(project)
    job.train(1)
    run = new_run_dir(project)
    save_model(job.model, run / "model.h5", job.metadata())
    set_current(run)
    return project, run


# Fixtures for the test modules that import them. Not in a conftest.py: that module's name would shadow
# tests/conftest.py for the tests that import from it (``from conftest import ROOT``). Training is the slow
# part, so each is made once per test session, whichever module asks first.
_MADE = {}


@pytest.fixture
def colours(tmp_path_factory):
    """(project, run folder) of a table project trained for one epoch (missing-value policy "drop")."""
    if "colours" not in _MADE:
        _MADE["colours"] = trained_colours_project(tmp_path_factory.mktemp("colours"))
    return _MADE["colours"]


@pytest.fixture
def colours_model(colours):
    """The trained colours model, opened as ``studio predict`` opens it."""
    if "model" not in _MADE:
        from studio.prediction.model_source import trained_model
        _MADE["model"] = trained_model(colours[0].path)
    return _MADE["model"]
