"""A model file written before graphs listed their inputs still opens, its inputs in the order of its layers."""

import numpy as np

from studio.core.graph import Graph
from studio.core.keras_bridge import build_model
from studio.training.model_files import load_model, save_model


def two_input_graph() -> Graph:
    g = Graph("two")
    g.add_node("Input", {"shape": [3]}, name="deep")
    g.add_node("Dense", {"units": 4}, name="hidden")
    g.add_node("Input", {"shape": [2]}, name="wide")
    g.add_node("Concatenate", name="join")
    g.add_node("Dense", {"units": 1}, name="out")
    g.connect("deep", "hidden"), g.connect("wide", "join"), g.connect("hidden", "join"), g.connect("join", "out")
    g.set_outputs(["out"])
    return g


def test_a_model_files_graph_without_an_inputs_list_still_loads(tmp_path):
    graph = two_input_graph()
    model = build_model(graph)
    model.compile(optimizer="adam", loss="mse")
    old = graph.to_dict()
    del old["inputs"]  # as the studio wrote it before format version 3
    path = save_model(model, tmp_path / "model.h5", {"graph": old})
    loaded, metadata = load_model(path)
    again = Graph.from_dict(metadata["graph"])
    assert again.inputs == ["deep", "wide"] == [t.name for t in loaded.inputs]
    assert again.to_dict() == graph.to_dict()
    x = [np.ones((2, 3)), np.zeros((2, 2))]
    rebuilt = build_model(again)
    rebuilt.set_weights(loaded.get_weights())
    np.testing.assert_allclose(rebuilt(x), loaded(x), rtol=1e-6)
