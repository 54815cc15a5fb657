"""Results for the results view: image mistakes by confidence, regression predictions."""

import numpy as np
import pandas as pd

from studio.core.graph import Graph
from studio.core.project import Project
from studio.training.engine import TrainingJob
from studio.training.results import MAX_MISTAKES, summarize


def test_image_mistakes_come_most_confident_first(tmp_path):
    g = Graph("digits")
    i = g.add_node("Input", {"shape": [28, 28]})
    f = g.add_node("Flatten")
    r = g.add_node("Rescaling", {"scale": 1 / 255})
    o = g.add_node("Dense", {"units": 10, "activation": "softmax"})
    g.connect(i, r), g.connect(r, f), g.connect(f, o)
    g.set_output(o)
    project = Project(g, {"source": "mnist", "limit": 600},
                      {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"], "epochs": 1,
                       "batch_size": 64})
    job = TrainingJob(project)
    job.train()
    test = job.evaluate()
    results = summarize(job, test)
    truth = np.asarray(job.data.y_test)
    assert results.mistakes_total == int((results.confusion.sum() - np.trace(results.confusion)))
    assert 0 < len(results.mistakes) <= MAX_MISTAKES
    confidences = [m.confidence for m in results.mistakes]
    assert confidences == sorted(confidences, reverse=True)
    first = results.mistakes[0]
    assert first.truth == truth[first.index] != first.predicted
    np.testing.assert_array_equal(results.mistake_images[0], job.data.images_test[first.index])


def test_regression_gives_predicted_against_true(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 2))
    pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "y": 3 * x[:, 0] - x[:, 1]}).to_csv(tmp_path / "r.csv", index=False)
    g = Graph("reg")
    i = g.add_node("Input", {"shape": [2]})
    o = g.add_node("Dense", {"units": 1})
    g.connect(i, o)
    g.set_output(o)
    project = Project(g, {"source": "csv", "path": str(tmp_path / "r.csv"), "target": "y"},
                      {"loss": "mean_squared_error", "epochs": 2, "batch_size": 16})
    job = TrainingJob(project)
    job.train()
    results = summarize(job, job.evaluate())
    assert results.confusion is None and results.task == "regression"
    assert len(results.predicted) == len(results.truth) == len(job.data.y_test)
    np.testing.assert_allclose(results.predicted, job.predict(job.data.x_test)[:, 0], rtol=1e-5)
    np.testing.assert_allclose(results.truth, np.asarray(job.data.y_test).reshape(-1))


def test_runs_go_beside_a_saved_project_but_never_into_the_bundled_examples(tmp_path):
    from studio.core.project import load_project
    from studio.resources import resource
    from studio.training.runs import runs_folder
    example = load_project(resource("examples", "mnist_mlp.studio.json"))
    assert not runs_folder(example).resolve().is_relative_to(resource("examples").resolve())  # a scratch folder
    example.path = tmp_path / "mine.studio.json"
    assert runs_folder(example) == tmp_path / "mine.runs"
