"""Validation names the nodes of every problem and infers shapes like Keras."""

import time

import pytest

from studio.core.graph import Graph
from studio.core.validation import validate


def chain(*layers, input_shape=(4,)):
    """Input -> layers..., the last one an output. Each layer is (class_name, config)."""
    g = Graph()
    prev = g.add_node("Input", {"shape": list(input_shape)})
    for class_name, config in layers:
        name = g.add_node(class_name, config)
        g.connect(prev, name)
        prev = name
    g.set_output(prev)
    return g


def messages(report, severity="error"):
    return [(p.nodes, p.message) for p in report.problems if p.severity == severity]


def test_valid_chain_has_shapes_and_counts():
    report = validate(chain(("Dense", {"units": 3}), ("Dropout", {"rate": 0.2}), ("Dense", {"units": 1})))
    assert report.ok and not report.problems
    assert report.shapes["dense"].shape == (None, 3) and report.shapes["dense"].params == 15
    assert report.total_params == 15 + 4
    assert report.order == ["input_layer", "dense", "dropout", "dense_1"]


def test_cycle_names_its_nodes_in_order():
    g = chain(("Dense", {}), ("Dense", {}), ("Dense", {}))
    g.node("dense").inputs.append("dense_2")  # as a hand-edited file would have it
    errors = messages(validate(g))
    cycle = [e for e in errors if "cycle" in e[1]]
    assert len(cycle) == 1
    assert set(cycle[0][0]) == {"dense", "dense_1", "dense_2"}
    assert "dense -> dense_1 -> dense_2 -> dense" in cycle[0][1]


def test_unreachable_and_dead_end_nodes():
    g = chain(("Dense", {}))
    g.add_node("Dense", name="orphan")
    loose = g.add_node("Dense", name="dead_end")
    g.connect("input_layer", loose)
    errors = messages(validate(g))
    assert (("orphan",), "not connected to any Input layer") in errors
    assert any(nodes == ("dead_end",) and "reaches no model output" in m for nodes, m in errors)
    assert any(nodes == ("orphan",) and "reaches no model output" in m for nodes, m in errors)


def test_no_input_and_no_output():
    g = Graph()
    g.add_node("Dense")
    assert {m for _, m in messages(validate(g))} >= {"the model has no Input layer",
                                                      "no layer is marked as a model output"}


@pytest.mark.parametrize("class_name, n_inputs, message", [
    ("Concatenate", 1, "Concatenate takes at least 2 inputs; it has 1"),
    ("Add", 1, "Add takes at least 2 inputs; it has 1"),
    ("Average", 0, "Average takes at least 2 inputs; it has 0"),
    ("Dense", 0, "Dense takes exactly 1 input; it has 0"),
])
def test_wrong_number_of_inputs(class_name, n_inputs, message):
    g = Graph()
    a = g.add_node("Input", {"shape": [4]})
    node = g.add_node(class_name)
    for _ in range(n_inputs):
        g.connect(a, node)
    g.set_output(node)
    assert ((node,), message) in messages(validate(g))


def two_branch(merge, units=(4, 5), merge_config=None, input_shape=(3,)):
    g = Graph()
    a = g.add_node("Input", {"shape": list(input_shape)})
    m = g.add_node(merge, merge_config or {})
    for units_ in units:
        d = g.add_node("Dense", {"units": units_})
        g.connect(a, d)
        g.connect(d, m)
    g.set_output(m)
    return g


def test_add_of_4_and_5_units_is_refused():
    errors = messages(validate(two_branch("Add")))
    assert errors == [(("add",), "Add needs inputs of the same shape; got (None, 4), (None, 5)")]


def test_concatenate_along_a_mismatched_axis():
    errors = messages(validate(two_branch("Concatenate", merge_config={"axis": 1}, input_shape=(2, 3))))
    assert errors == [(("concatenate",), "Concatenate along axis 1 needs the other axes to match; "
                                         "got (None, 2, 4), (None, 2, 5)")]
    assert validate(two_branch("Concatenate")).shapes["concatenate"].shape == (None, 9)


def test_conv2d_on_a_1d_input():
    errors = messages(validate(chain(("Conv2D", {}), input_shape=(10,))))
    assert len(errors) == 1 and errors[0][0] == ("conv2d",)
    assert "needs images shaped (height, width, channels); its input is (None, 10)" in errors[0][1]


@pytest.mark.parametrize("layer, param, fragment", [
    (("Dense", {"units": 0}), "units", "units must be >= 1, got 0"),
    (("Dense", {"units": -3}), "units", "units must be >= 1, got -3"),
    (("Dropout", {"rate": 1.0}), "rate", "rate must be < 1, got 1"),
    (("Dropout", {"rate": -0.5}), "rate", "rate must be >= 0, got -0.5"),
])
def test_invalid_values_name_node_and_parameter(layer, param, fragment):
    report = validate(chain(layer))
    [problem] = report.errors
    assert problem.nodes == (report.order[1],) and problem.param == param and fragment in problem.message
    assert report.shapes[report.order[1]].shape is None  # no cascade of shape errors


def test_errors_do_not_cascade_downstream():
    report = validate(chain(("Conv2D", {}), ("Dense", {}), ("Dense", {}), input_shape=(10,)))
    assert len(report.errors) == 1


def test_dense_on_an_image_warns_but_is_legal():
    report = validate(chain(("Dense", {"units": 10}), input_shape=(28, 28)))
    assert report.ok
    [warning] = report.warnings
    assert warning.nodes == ("dense",) and "Flatten" in warning.message
    assert report.shapes["dense"].shape == (None, 28, 10)


def test_reshape_checks_the_number_of_values():
    errors = messages(validate(chain(("Reshape", {"target_shape": [5, -1]}), input_shape=(12,))))
    assert errors == [(("reshape",), "cannot reshape (None, 12) (12 values) to (5, -1)")]


def test_five_hundred_nodes_validate_quickly():
    # A sanity bound far above the benchmark's figure (docs/benchmarks.md), not a timing test.
    g = chain(*[("Dense", {"units": 8})] * 499)
    start = time.perf_counter()
    report = validate(g)
    assert report.ok and len(report.shapes) == 500
    assert time.perf_counter() - start < 5
