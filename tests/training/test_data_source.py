"""Loading a project's data leaves the project as it was; the scaling comes back beside the arrays."""

import numpy as np
import pytest

from studio.core.graph import Graph
from studio.core.project import Project
from studio.training.data_source import load_training_data, scale_inputs
from studio.training.engine import TrainingJob
from training.helpers import mlp_project


@pytest.mark.parametrize("normalize", [True, False])
def test_loading_a_csv_changes_nothing_in_the_project(tmp_path, normalize):
    project = mlp_project(tmp_path)
    project.data["normalize"] = normalize
    before = project.to_dict()
    data = load_training_data(project)
    assert project.to_dict() == before
    assert [n.class_name for n in project.graph] == ["Input", "Dense", "Dense"]
    if normalize:
        (mean, variance), = data.scaling.values()
        np.testing.assert_allclose(mean, data.x_train.mean(axis=0), atol=1e-6)
        np.testing.assert_allclose(variance, data.x_train.var(axis=0), atol=1e-6)
    else:
        assert data.scaling == {}


def test_loading_mnist_changes_nothing_and_has_no_scaling():
    g = Graph("digits")
    i = g.add_node("Input", {"shape": [28, 28]})
    o = g.add_node("Dense", {"units": 10, "activation": "softmax"})
    g.connect(i, o)
    g.set_output(o)
    project = Project(g, {"source": "mnist", "limit": 60})
    before = project.to_dict()
    data = load_training_data(project)
    assert project.to_dict() == before and data.scaling == {} and data.train_size > 0


def test_scale_inputs_puts_the_statistics_after_the_input_once(tmp_path):
    project = mlp_project(tmp_path)
    data = load_training_data(project)
    graph = project.graph.copy()
    scale_inputs(graph, data)
    scale_inputs(graph, data)  # again (a search's trials, Continue): the same layer gets the statistics
    norms = [n for n in graph if n.class_name == "Normalization"]
    assert len(norms) == 1 and norms[0].inputs == ["input_layer"]
    assert norms[0].config["mean"] == data.scaling["input_layer"][0]


def test_the_job_scales_its_own_copy_not_the_callers_project(tmp_path):
    project = mlp_project(tmp_path)
    before = project.to_dict()
    job = TrainingJob(project.copy())
    job.prepare()
    assert project.to_dict() == before
    assert job.project.graph.node("normalization").config["mean"] == job.data.scaling["input_layer"][0]
