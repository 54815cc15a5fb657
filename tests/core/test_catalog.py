"""The catalog against Keras itself: real arguments, real defaults, registry choices."""

import inspect

import keras
import pytest

from studio.core import registries
from studio.core.catalog import CATALOG, CATEGORIES, PARAM_KINDS, spec_for, UnknownLayerError
from studio.core.shapes import RULES

OFFERED = ["Input", "Dense", "Flatten", "Reshape", "Dropout", "Activation", "BatchNormalization",
           "Normalization", "Rescaling", "Concatenate", "Add", "Average", "Conv2D", "MaxPooling2D",
           "GlobalAveragePooling2D"]


def _keras_class(spec):
    return getattr(keras.layers, spec.keras_class_name)


def _default_instance(spec, **overrides):
    required = {p.name: p.default for p in spec.params if p.keras_required}
    return _keras_class(spec)(**{**required, **overrides})


def test_catalog_offers_the_listed_layers():
    assert sorted(CATALOG) == sorted(OFFERED)
    assert set(CATEGORIES) == {spec.category for spec in CATALOG.values()}


@pytest.mark.parametrize("class_name", OFFERED)
def test_every_parameter_is_a_keras_argument(class_name):
    spec = CATALOG[class_name]
    arguments = inspect.signature(_keras_class(spec).__init__).parameters
    for param in spec.params:
        assert param.name in arguments, f"{class_name}.{param.name} is not a Keras argument"
        assert param.kind in PARAM_KINDS
        assert param.help and len(param.help.splitlines()) == 1
        if not param.keras_required:
            assert arguments[param.name].default is not inspect.Parameter.empty


@pytest.mark.parametrize("class_name", OFFERED)
def test_catalog_defaults_equal_keras_defaults(class_name):
    spec = CATALOG[class_name]
    keras_default = _default_instance(spec).get_config()
    from_catalog = _default_instance(
        spec, **{p.name: p.default for p in spec.params if not p.keras_required}).get_config()
    keras_default.pop("name")
    from_catalog.pop("name")
    assert from_catalog == keras_default
    for param in spec.params:
        value = keras_default["batch_shape"][1:] if param.name == "shape" else keras_default[param.name]
        if param.kind == "initializer":
            assert keras.initializers.serialize(keras.initializers.get(param.default)) == value
        elif param.default is not None:  # None means "Keras decides", e.g. strides = pool size
            expected = tuple(param.default) if param.kind == "shape" else param.default
            assert (tuple(value) if isinstance(value, (list, tuple)) else value) == expected, param.name
        assert param.check(param.default) is None, f"{class_name}.{param.name} default fails its own check"


def test_every_layer_has_a_shape_rule():
    assert set(RULES) == set(CATALOG)


def test_choices_come_from_keras_registries():
    activations = registries.names("activations")
    for name in ("relu", "sigmoid", "softmax", "tanh", "softplus", "linear", "selu"):
        assert name in activations
    assert "threshold" not in activations  # needs more than the tensor
    assert "swish" not in activations  # an alias of silu
    for name in activations:
        keras.layers.Activation(name)
    assert {"glorot_uniform", "he_normal", "zeros", "ones"} <= set(registries.names("initializers"))
    assert {"L1", "L2", "L1L2"} <= set(registries.names("regularizers"))
    assert spec_for("Dense").param("activation").choice_values() == activations


@pytest.mark.parametrize("class_name, param, value, fragment", [
    ("Dense", "units", 0, ">= 1"),
    ("Dense", "units", 2.5, "whole number"),
    ("Dense", "units", True, "whole number"),
    ("Dense", "activation", "relux", "one of"),
    ("Dense", "kernel_initializer", "glorot_unicorn", "unknown initializer"),
    ("Dense", "kernel_regularizer", {"class_name": "L3", "config": {}}, "unknown regularizer"),
    ("Dropout", "rate", 1.0, "< 1"),
    ("Dropout", "rate", -0.1, ">= 0"),
    ("Dropout", "rate", float("nan"), "finite"),
    ("Conv2D", "kernel_size", [3], "2 entries"),
    ("Conv2D", "kernel_size", [3, 0], ">= 1"),
    ("Reshape", "target_shape", [-1, -1], "-1 at most once"),
    ("Input", "shape", [], "list of whole numbers"),
    ("BatchNormalization", "epsilon", 0.0, "> 0"),
])
def test_invalid_values_are_explained(class_name, param, value, fragment):
    registries.names("activations")  # membership checks need Keras loaded
    problem = spec_for(class_name).param(param).check(value)
    assert problem is not None and fragment in problem


@pytest.mark.parametrize("class_name, param, value", [
    ("Dropout", "rate", 0.0), ("Dropout", "rate", 0.99), ("Dense", "units", 1),
    ("Dense", "kernel_regularizer", {"class_name": "L2", "config": {"l2": 0.01}}),
    ("Dense", "kernel_initializer", {"class_name": "RandomNormal", "config": {"stddev": 0.1}}),
    ("Reshape", "target_shape", [7, -1]), ("MaxPooling2D", "strides", None),
])
def test_valid_values_pass(class_name, param, value):
    assert spec_for(class_name).param(param).check(value) is None


def test_unknown_class_is_named():
    with pytest.raises(UnknownLayerError, match="'LSTM'"):
        spec_for("LSTM")
