"""Regression: the predicted values by target; a model with two outputs gives both, side by side, by output."""

import numpy as np
import pandas as pd

from studio.core.graph import Graph
from studio.core.project import Project, load_project, save_project
from studio.prediction.model_source import TrainedModel
from studio.prediction.tabular import encode_rows, predict_csv, tabular_spec
from studio.training.engine import TrainingJob


def test_a_two_output_regression_model_gives_each_outputs_targets_named_by_output(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2))
    pd.DataFrame({"p": x[:, 0], "q": x[:, 1], "u": x[:, 0] + x[:, 1], "v": x[:, 0] - 2 * x[:, 1]}).to_csv(
        tmp_path / "uv.csv", index=False)
    g = Graph("uv")
    i = g.add_node("Input", {"shape": [2]})
    h = g.add_node("Dense", {"units": 4, "activation": "relu"})
    first = g.add_node("Dense", {"units": 2}, name="first")
    second = g.add_node("Dense", {"units": 2}, name="second")
    g.connect(i, h)
    g.connect(h, first)
    g.connect(h, second)
    g.set_output(first)
    g.set_output(second)
    settings = {"loss": {"first": "mse", "second": "mse"}, "optimizer": {"class_name": "Adam", "config": {}},
                "epochs": 1, "batch_size": 16}
    save_project(Project(g, {"source": "csv", "path": "uv.csv", "target": ["u", "v"]}, settings),
                 tmp_path / "uv.studio.json")
    project = load_project(tmp_path / "uv.studio.json")
    job = TrainingJob(project)
    result = job.train(1)
    assert result.error is None, result.error
    source = TrainedModel(job.model, job.metadata(), tmp_path / "model.h5", project)
    pd.DataFrame({"q": x[:5, 1], "p": x[:5, 0]}).to_csv(tmp_path / "new.csv", index=False)  # columns swapped
    table = predict_csv(source, tmp_path / "new.csv")
    assert table.columns == ["line", "first u", "first v", "second u", "second v"]
    spec = tabular_spec(source)
    encoded, _, _ = encode_rows(spec, pd.DataFrame({"p": x[:5, 0].astype(str), "q": x[:5, 1].astype(str)}))
    first_out, second_out = job.model.predict(encoded, verbose=0)
    got = np.array([row[1:] for row in table.rows])
    assert np.abs(got - np.hstack([first_out, second_out])).max() < 1e-6


def _spec(task, targets=(), class_names=()):
    from studio.data.encoding import FeatureEncoder
    from studio.prediction.tabular import TabularSpec
    return TabularSpec(task, list(targets), list(class_names), FeatureEncoder([]), None, "drop", {})


def test_one_sigmoid_unit_of_a_binary_model_is_the_second_class_probability():
    from studio.prediction.tabular import output_table
    columns, rows = output_table(_spec("binary", class_names=["cat", "dog"]), [("out", np.array([[0.8], [0.1]]))])
    assert columns == ["predicted", "probability", "probability cat", "probability dog"]
    assert rows[0][0] == "dog" and np.allclose(rows[0][1:], [0.8, 0.2, 0.8])
    assert rows[1][0] == "cat" and np.allclose(rows[1][1:], [0.9, 0.9, 0.1])


def test_multilabel_gives_each_label_and_its_probability():
    from studio.prediction.tabular import output_table
    columns, rows = output_table(_spec("multilabel", targets=["red", "round"]), [("out", np.array([[0.7, 0.2]]))])
    assert columns == ["red", "probability red", "round", "probability round"]
    assert rows[0][0] == 1 and rows[0][2] == 0 and np.allclose([rows[0][1], rows[0][3]], [0.7, 0.2])
