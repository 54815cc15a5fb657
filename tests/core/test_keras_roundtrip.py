"""Graph -> Keras -> graph: configs, shapes and parameter counts agree exactly."""

import keras
import numpy as np
import pytest
from conftest import EXAMPLES
from random_graphs import random_graph

from studio.core.keras_bridge import BuildError, ImportRefused, build_model, import_model
from studio.core.graph import Graph
from studio.core.project import load_project
from studio.core.validation import validate


def by_name(graph):
    return {layer["name"]: (layer["class_name"], layer["config"], layer["inbound"])
            for layer in graph.to_dict()["layers"]}


def assert_matches_keras(graph, model):
    """Every node's shape and parameter count equal Keras' own."""
    report = validate(graph)
    for node in graph:
        layer = model.get_layer(node.name)
        assert report.shapes[node.name].shape == tuple(layer.output.shape), node.name
        assert report.shapes[node.name].params == layer.count_params(), node.name
    assert report.total_params == model.count_params()


def assert_round_trip(graph):
    model = build_model(graph)
    assert_matches_keras(graph, model)
    again = import_model(model)
    model_again = build_model(again)
    assert model_again.get_config() == model.get_config()
    assert model_again.count_params() == model.count_params()
    assert again.inputs == graph.inputs and again.outputs == graph.outputs
    # The imported graph is a fixed point: importing once more changes nothing.
    assert by_name(import_model(model_again)) == by_name(again)
    return model, again


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_round_trip(path):
    graph = load_project(path).graph
    model, again = assert_round_trip(graph)
    assert by_name(again) == by_name(graph)
    assert sorted(layer.name for layer in model.layers) == sorted(graph.names)


def test_example_parameter_counts():
    counts = {p.name: build_model(load_project(p).graph).count_params() for p in EXAMPLES}
    assert counts["mnist_mlp.studio.json"] == 266_610
    assert counts["wide_deep.studio.json"] == 1_207


@pytest.mark.parametrize("seed", range(25))
def test_random_graphs_round_trip(seed):
    graph = random_graph(seed, steps=12)
    assert validate(graph).ok
    assert len(graph) >= 6
    assert_round_trip(graph)


def test_random_graphs_cover_the_catalog():
    seen = {node.class_name for seed in range(25) for node in random_graph(seed, steps=12)}
    assert seen >= {"Input", "Dense", "Flatten", "Reshape", "Dropout", "Activation", "BatchNormalization",
                    "Normalization", "Rescaling", "Concatenate", "Conv2D", "MaxPooling2D",
                    "GlobalAveragePooling2D"} and seen & {"Add", "Average"}


def test_arguments_outside_the_catalog_survive():
    inputs = keras.Input((3,), name="x")
    outputs = keras.layers.Dense(2, kernel_constraint="non_neg", trainable=False, name="d",
                                 kernel_initializer=keras.initializers.RandomNormal(stddev=0.3))(inputs)
    model = keras.Model(inputs, outputs)
    graph = import_model(model)
    config = graph.node("d").config
    assert config["kernel_initializer"] == {"class_name": "RandomNormal",
                                            "config": {"seed": None, "mean": 0.0, "stddev": 0.3}}
    assert config["trainable"] is False and config["kernel_constraint"]["class_name"] == "NonNeg"
    assert build_model(graph).get_config() == model.get_config()


def test_sequential_model_imports_as_a_chain():
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)],
                             name="seq")
    graph = import_model(model)
    assert [n.class_name for n in graph] == ["Input", "Flatten", "Dense"]
    assert graph.outputs == [graph.names[-1]]
    assert validate(graph).total_params == model.count_params() == 7850
    ys = [n.pos[1] for n in graph]
    assert ys == sorted(ys) and len(set(ys)) == 3  # laid out top to bottom


def test_multi_input_order_is_kept():
    b = keras.Input((2,), name="b")
    a = keras.Input((3,), name="a")
    out = keras.layers.Concatenate(name="c")([a, b])
    model = keras.Model([b, a], out)
    graph = import_model(model)
    assert graph.inputs == ["b", "a"]
    assert graph.node("c").inputs == ["a", "b"]
    rebuilt = build_model(graph)
    x = [np.ones((1, 2)), np.zeros((1, 3))]
    np.testing.assert_array_equal(rebuilt(x), model(x))



def test_inputs_listed_in_another_order_than_the_layers_are_imported_in_the_models_order():
    """Keras lists the deeper input's layers first; the graph keeps the model's input order as its own list."""
    first = keras.Input((3,), name="first")
    second = keras.Input((2,), name="second")
    deep = keras.layers.Dense(4, name="h2")(keras.layers.Dense(4, name="h1")(second))
    joined = keras.layers.Concatenate(name="join")([first, deep])
    model = keras.Model([first, second], keras.layers.Dense(1, name="out")(joined))
    assert [layer["name"] for layer in model.get_config()["layers"]][:3] == ["second", "h1", "first"]
    graph = import_model(model)
    assert graph.inputs == ["first", "second"] and graph.to_dict()["inputs"] == ["first", "second"]
    assert graph.names == ["second", "h1", "first", "h2", "join", "out"]  # the layers as Keras lists them
    assert graph.node("join").inputs == ["first", "h2"]
    rebuilt = build_model(graph)
    assert [t.name for t in rebuilt.inputs] == ["first", "second"]
    rebuilt.set_weights(model.get_weights())
    x = [np.ones((2, 3)), np.full((2, 2), 0.5)]
    np.testing.assert_allclose(rebuilt(x), model(x), rtol=1e-6)
    assert import_model(rebuilt).inputs == ["first", "second"]

def test_subclassed_model_is_refused_by_name():
    class Tiny(keras.Model):
        def __init__(self):
            super().__init__(name="tiny")
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    model = Tiny()
    model(np.zeros((1, 2)))
    with pytest.raises(ImportRefused, match="'tiny' is a subclassed model \\(class Tiny\\)"):
        import_model(model)


def test_layer_outside_the_catalog_is_refused_by_name():
    inputs = keras.Input((5, 3))
    model = keras.Model(inputs, keras.layers.LSTM(4, name="memory")(inputs))
    with pytest.raises(ImportRefused, match="layer 'memory' is a LSTM, which the studio does not offer"):
        import_model(model)


def test_shared_layer_is_refused():
    a, b = keras.Input((3,)), keras.Input((3,))
    shared = keras.layers.Dense(2, name="shared")
    model = keras.Model([a, b], keras.layers.Add()([shared(a), shared(b)]))
    with pytest.raises(ImportRefused, match="'shared' is used more than once"):
        import_model(model)


def test_invalid_graph_does_not_build():
    g = Graph()
    g.add_node("Dense")
    with pytest.raises(BuildError) as info:
        build_model(g)
    assert any("no Input" in p.message for p in info.value.problems)
