"""Small projects and data the training tests make themselves."""

import numpy as np
import pandas as pd

from studio.core.graph import Graph
from studio.core.project import Project, save_project


def classification_csv(path, n=240, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    label = np.array(["low", "mid", "high"])[(x[:, 0] + 0.5 * x[:, 1] > 0).astype(int) + (x[:, 2] > 1)]
    pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "d": x[:, 3], "label": label}).to_csv(path, index=False)
    return path


def mlp_project(tmp_path, units=3, epochs=2, loss="sparse_categorical_crossentropy", activation="softmax",
                **training):
    csv = classification_csv(tmp_path / "points.csv")
    g = Graph("points")
    i = g.add_node("Input", {"shape": [4]})
    h = g.add_node("Dense", {"units": 8, "activation": "relu"})
    o = g.add_node("Dense", {"units": units, "activation": activation})
    g.connect(i, h)
    g.connect(h, o)
    g.set_output(o)
    settings = {"loss": loss, "optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.01}},
                "metrics": ["accuracy"], "epochs": epochs, "batch_size": 16, "seed": 3}
    settings.update(training)
    project = Project(g, {"source": "csv", "path": "points.csv", "target": "label"}, settings)
    save_project(project, tmp_path / "points.studio.json")
    return project


def recorded_model(job):
    """The Keras model the window's child recorded for ``job`` (the window itself holds only its file)."""
    from studio.training.model_files import load_model
    assert job is not None and job.model_path is not None, "no model recorded"
    return load_model(job.model_path)[0]
