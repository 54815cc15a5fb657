"""A CSV file over the memory limit trains through the engine streamed from disk, instead of being refused."""

import math

import numpy as np
import pandas as pd
import pytest

from studio.core.graph import Graph
from studio.core.project import Project
from studio.data.errors import DataError
from studio.training.data_source import load_training_data
from studio.training.engine import TrainingJob
from studio.training.results import summarize

TINY = 1000  # bytes: every file is "too large", so every load streams


def _project(tmp_path, loss="sparse_categorical_crossentropy", **data):
    rng = np.random.default_rng(0)
    n = 600
    a, b = rng.normal(size=n), rng.normal(size=n)
    color = rng.choice(["red", "green", "blue"], n)
    label = np.where(a + (color == "red") > 0.5, "yes", np.where(b > 0, "maybe", "no"))
    pd.DataFrame({"a": a, "b": b, "color": color, "label": label}).to_csv(tmp_path / "t.csv", index=False)
    g = Graph("streamed")
    i = g.add_node("Input", {"shape": [5]})
    h = g.add_node("Dense", {"units": 8, "activation": "relu"})
    o = g.add_node("Dense", {"units": 3, "activation": "softmax"})
    g.connect(i, h)
    g.connect(h, o)
    g.set_output(o)
    settings = {"loss": loss, "optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.01}},
                "metrics": ["accuracy"], "epochs": 1, "batch_size": 32, "seed": 3}
    project = Project(g, {"source": "csv", "path": "t.csv", "target": "label", **data}, settings)
    project.path = tmp_path / "t.studio.json"
    return project


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", "categorical_crossentropy"])
def test_a_file_over_the_limit_trains_one_epoch_streamed_to_a_finite_loss(tmp_path, loss):
    project = _project(tmp_path, loss, class_weight="balanced")
    data = load_training_data(project, memory_limit=TINY)
    assert data.stream is not None
    assert any(w.startswith("streamed from disk: 600 rows, about") for w in data.warnings)
    assert data.class_names == ["maybe", "no", "yes"] and data.train_size == data.stream.counts["train"]
    assert data.x_train.shape[1] == 5 and data.preprocessing["feature_names"][2:] == [
        "color=blue", "color=green", "color=red"]
    (mean, variance), = data.scaling.values()
    assert mean == pytest.approx(data.stream.mean) and len(variance) == 5
    job = TrainingJob(project, data=data)
    result = job.train(1)
    assert result.reason == "completed", result.error
    assert math.isfinite(job.history["loss"][-1]) and math.isfinite(job.history["val_loss"][-1])
    test = job.evaluate()
    assert math.isfinite(test["loss"])
    results = summarize(job, test)
    assert results.confusion.sum() == data.stream.counts["test"] == results.test_total


def test_the_same_file_under_the_limit_is_still_loaded_in_memory(tmp_path):
    data = load_training_data(_project(tmp_path))
    assert data.stream is None and not any("streamed" in w for w in data.warnings)


def test_shards_split_the_training_rows_between_workers(tmp_path):
    data = load_training_data(_project(tmp_path), memory_limit=TINY)
    seen = []
    for index in range(2):
        batches = data.split_dataset("train", 50, False, shard=(2, index))
        seen.append(sum(int(y.shape[0]) for _, y in batches))
    assert sum(seen) == data.train_size and all(0 < s < data.train_size for s in seen)


def test_a_streamed_data_error_is_one_line(tmp_path):
    project = _project(tmp_path, target="colour")
    with pytest.raises(DataError, match="there is no target column 'colour'; did you mean 'color'"):
        load_training_data(project, memory_limit=TINY)
