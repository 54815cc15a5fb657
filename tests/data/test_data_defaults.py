"""Data settings have one set of defaults: the panel shows them, the engine trains with them, the report prints them."""

import pytest

from studio.core.graph import Graph
from studio.core.project import Project
from studio.data.defaults import CSV_DEFAULTS, IMAGE_DEFAULTS, data_settings
from studio.data.errors import DataError
from studio.exports.report import _settings_table
from studio.training.data_source import load_training_data


def test_unset_settings_come_from_the_defaults_of_the_source():
    assert data_settings({"source": "mnist"}) == {"source": "mnist", **IMAGE_DEFAULTS}
    assert data_settings({"source": "csv", "validation": None, "test": 0.2})["validation"] == CSV_DEFAULTS["validation"]
    assert data_settings({"source": "csv", "test": 0.2})["test"] == 0.2
    assert data_settings({}) == {} and data_settings({"limit": 3000}) == {"limit": 3000}  # no source, no defaults


def test_the_engine_splits_a_csv_with_the_default_shares(tmp_path):
    path = tmp_path / "xy.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i * 2},{i % 2}\n" for i in range(200)))
    graph = Graph("m")
    graph.add_node("Input", {"shape": [2]}, "x")
    graph.add_node("Dense", {"units": 1, "activation": "sigmoid"}, "out")
    graph.connect("x", "out")
    graph.set_output("out")
    data = load_training_data(Project(graph, {"source": "csv", "path": str(path), "target": "y"}))
    assert len(data.x_val) == round(200 * CSV_DEFAULTS["validation"])
    assert len(data.x_test) == round(200 * CSV_DEFAULTS["test"])


def test_a_project_without_a_source_says_where_to_choose_it():
    with pytest.raises(DataError, match="no data yet; choose it in the Data tab"):
        load_training_data(Project(Graph("m"), {"limit": 3000}))


def test_the_report_prints_the_defaults_the_run_used():
    table = _settings_table({}, {"source": "mnist", "limit": 3000})
    assert f"{IMAGE_DEFAULTS['validation']} / the set&#x27;s own test images" in table
    assert "<th>training images</th><td>3000</td>" in table
    table = _settings_table({}, {"source": "csv", "path": "/x/fish.csv", "target": "y"})
    assert f"{CSV_DEFAULTS['validation']} / {CSV_DEFAULTS['test']}" in table and "fish.csv" in table
