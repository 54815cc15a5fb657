"""The task advisor catches each mismatch, explains it in English and Korean, and its fix removes it."""

import copy

import pytest

from studio.core.advisor import DataFacts, advise, apply_fix, facts_for_images
from studio.core.graph import Graph
from studio.core.project import load_project
from studio.core.validation import validate
from studio.resources import resource


def mlp(shape=(8,), units=3, activation="softmax", hidden_activation="relu", flatten=False, rescale=False):
    g = Graph()
    prev = g.add_node("Input", {"shape": list(shape)}, "x")
    for class_name, config in ((("Rescaling", {"scale": 1 / 255}),) if rescale else ()) + \
            ((("Flatten", {}),) if flatten else ()):
        node = g.add_node(class_name, config)
        g.connect(prev, node)
        prev = node
    g.add_node("Dense", {"units": 16, "activation": hidden_activation}, "hidden")
    g.add_node("Dense", {"units": units, "activation": activation}, "out")
    g.connect(prev, "hidden")
    g.connect("hidden", "out")
    g.set_outputs(["out"])
    return g


CLASSES = DataFacts("multiclass", 3)


def codes(graph, training, facts):
    return sorted(f.code for f in advise(graph, training, facts))


def fixed(graph, training, facts):
    """Apply every finding's fix in turn (re-advising after each) and return what is left."""
    for _ in range(10):
        findings = [f for f in advise(graph, training, facts) if f.fix]
        if not findings:
            break
        apply_fix(graph, training, findings[0].fix)
    assert validate(graph).ok, validate(graph).errors
    return codes(graph, training, facts)


@pytest.mark.parametrize("graph, training, facts, expected", [
    (mlp(units=2), {"loss": "sparse_categorical_crossentropy"}, CLASSES, ["units"]),
    (mlp(activation="sigmoid"), {"loss": "sparse_categorical_crossentropy"}, CLASSES, ["activation"]),
    (mlp(units=1, activation="softmax"), {"loss": "binary_crossentropy"}, DataFacts("binary", 2),
     ["activation"]),
    (mlp(units=4, activation="softmax"), {"loss": "binary_crossentropy"}, DataFacts("multilabel", 4),
     ["activation"]),
    (mlp(units=1, activation="sigmoid"), {"loss": "mean_squared_error"}, DataFacts("regression", 1),
     ["activation"]),
    (mlp(units=1, activation="relu"), {"loss": "mean_squared_error"}, DataFacts("regression", 1),
     ["activation"]),
    (mlp(), {"loss": "categorical_crossentropy"}, CLASSES, ["loss_form"]),
    (mlp(), {"loss": "sparse_categorical_crossentropy"}, DataFacts("multiclass", 3, "one_hot"), ["loss_form"]),
    (mlp(), {"loss": "mean_squared_error"}, CLASSES, ["loss"]),
    (mlp(units=1, activation="linear"), {"loss": "binary_crossentropy"}, DataFacts("regression", 1), ["loss"]),
    (mlp(), {"loss": "binary_crossentropy"}, CLASSES, ["loss"]),
    (mlp(shape=(28, 28), units=10), {"loss": "sparse_categorical_crossentropy"}, facts_for_images(10),
     ["flatten", "unscaled"]),
    (mlp(hidden_activation="linear"), {"loss": "sparse_categorical_crossentropy"}, CLASSES, ["linear"]),
])
def test_each_mismatch_is_found_and_its_fix_clears_it(graph, training, facts, expected):
    assert codes(graph, training, facts) == expected
    for finding in advise(graph, training, facts):
        assert finding.en and finding.ko and finding.en != finding.ko and finding.fix_label
    assert fixed(graph, copy.deepcopy(training), facts) == []


def test_sound_models_get_no_findings():
    assert codes(mlp(), {"loss": "sparse_categorical_crossentropy"}, CLASSES) == []
    assert codes(mlp(units=1, activation="softplus"), {"loss": "huber"},
                 DataFacts("regression", 1, positive=True)) == []
    assert codes(mlp(units=2, activation="softmax"), {"loss": "sparse_categorical_crossentropy"},
                 DataFacts("binary", 2)) == []
    example = load_project(resource("examples", "mnist_mlp.studio.json"))
    assert codes(example.graph, example.training, facts_for_images(10)) == []


def test_inserted_layers_take_over_the_edges():
    graph = mlp(shape=(28, 28), units=10)
    apply_fix(graph, {}, [("insert_after", "x", "Flatten", {})])
    assert graph.node("hidden").inputs == ["flatten"] and graph.node("flatten").inputs == ["x"]
    assert validate(graph).shapes["hidden"].shape == (None, 16)
