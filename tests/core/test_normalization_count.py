"""An adapted Normalization keeps its statistics and its parameter count through import, data scaling and export.

The course's models adapt a Normalization layer; Keras counts its mean, variance and count
weights (2 * features + 1) in model.summary(). The studio used to turn them into constants
(0 parameters), so an imported file's count dropped (5,618 -> 5,601).
"""

import keras
import numpy as np
import pytest

from studio.core.codegen import STYLES, model_module, sequential_problem
from studio.core.keras_bridge import build_model, import_model
from studio.core.normalization import set_input_normalization
from studio.core.validation import validate
from studio.training.model_files import load_model

FEATURES = 3


@pytest.fixture(scope="module")
def adapted(tmp_path_factory):
    """A tiny functional model with an adapted Normalization, saved by Keras as .h5."""
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(40, FEATURES)) * [1.0, 5.0, 0.1] + [3.0, -2.0, 0.5]).astype("float32")
    norm = keras.layers.Normalization(name="norm")
    norm.adapt(x)
    inputs = keras.Input((FEATURES,), name="features")
    hidden = keras.layers.Dense(4, activation="relu", name="hidden")(norm(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1, name="out")(hidden), name="housing")
    path = tmp_path_factory.mktemp("norm") / "housing.h5"
    model.save(path)
    return model, path, x


def scaled(model, x):
    return np.asarray(keras.Model(model.inputs, model.get_layer("norm").output)(x))


def test_the_studio_counts_an_adapted_normalization_as_keras_does(adapted):
    model, path, x = adapted
    expected = model.count_params()
    assert expected == (2 * FEATURES + 1) + (FEATURES * 4 + 4) + 5
    loaded, _ = load_model(path)
    graph = import_model(loaded)
    assert graph.node("norm").config["mean"] is not None  # the statistics are kept in the graph
    assert validate(graph).total_params == expected == loaded.count_params()
    rebuilt = build_model(graph)
    assert rebuilt.count_params() == expected
    np.testing.assert_allclose(scaled(rebuilt, x), scaled(model, x), rtol=1e-5, atol=1e-5)


def test_data_scaling_does_not_change_the_count(adapted):
    """The data step writes its own statistics into the layer; they stay weights."""
    model, _, x = adapted
    graph = import_model(model)
    mean, variance = [float(v) for v in x.mean(axis=0)], [float(v) for v in x.var(axis=0)]
    set_input_normalization(graph, "features", mean, variance)
    assert validate(graph).total_params == model.count_params()
    rebuilt = build_model(graph)
    assert rebuilt.count_params() == model.count_params()
    np.testing.assert_allclose(scaled(rebuilt, x), (x - mean) / np.sqrt(variance), rtol=1e-4, atol=1e-4)


def test_the_exported_build_model_has_the_files_count(adapted):
    model, _, x = adapted
    graph = import_model(model)
    styles = [s for s in STYLES if s != "sequential" or not sequential_problem(graph)]
    assert "sequential" in styles
    for style in styles:
        text = model_module(graph, style, "test")
        assert "mean=" not in text.split("def build_model")[1].split("set_statistics(")[0], style
        namespace = {}
        exec(compile(text, f"<{style}>", "exec"), namespace)  # the text the studio wrote, not a file's
        exported = namespace["build_model"]()
        assert exported.count_params() == model.count_params(), style
        for layer in model.layers:  # the file's trained weights, layer by layer: the same predictions
            if layer.weights:
                next(e for e in exported.layers if e.name == layer.name).set_weights(layer.get_weights())
        np.testing.assert_allclose(np.asarray(exported(x)), np.asarray(model(x)), rtol=1e-5, atol=1e-5,
                                   err_msg=style)
        layer = next(layer for layer in exported.layers if layer.name == "norm")
        np.testing.assert_allclose(np.asarray(layer(x)), scaled(model, x), rtol=1e-5, atol=1e-5, err_msg=style)
