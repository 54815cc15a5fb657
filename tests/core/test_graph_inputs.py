"""The graph's ordered inputs list: kept as Inputs are added, removed and renamed; set, saved and checked."""

import pytest

from studio.core.graph import Graph, GraphError


def two_inputs():
    g = Graph()
    a, b = g.add_node("Input", {"shape": [2]}), g.add_node("Input", {"shape": [3]})
    c = g.add_node("Concatenate")
    d = g.add_node("Dense", {"units": 1})
    g.connect(a, c), g.connect(b, c), g.connect(c, d)
    g.set_output(d)
    return g


def test_adding_removing_and_renaming_inputs_keep_the_list():
    g = two_inputs()
    assert g.inputs == ["input_layer", "input_layer_1"]
    g.rename_node("input_layer", "wide")
    assert g.inputs == ["wide", "input_layer_1"]
    g.add_node("Input", {"shape": [1]}, name="extra")
    assert g.inputs == ["wide", "input_layer_1", "extra"]
    g.remove_node("input_layer_1")
    assert g.inputs == ["wide", "extra"]


def test_set_inputs_reorders_and_says_so():
    g = two_inputs()
    seen = []
    g.events.connect("inputs_changed", seen.append)
    g.set_inputs(["input_layer_1", "input_layer"])
    assert g.inputs == ["input_layer_1", "input_layer"] and seen == [["input_layer_1", "input_layer"]]
    assert g.names == ["input_layer", "input_layer_1", "concatenate", "dense"]  # the layers stay where they were


def test_the_order_survives_a_round_trip():
    g = two_inputs()
    g.set_inputs(["input_layer_1", "input_layer"])
    data = g.to_dict()
    assert list(data)[-2:] == ["inputs", "outputs"] and data["inputs"] == ["input_layer_1", "input_layer"]
    again = Graph.from_dict(data)
    assert again.inputs == ["input_layer_1", "input_layer"] and again.to_dict() == data
    assert g.copy().inputs == g.inputs


def test_a_graph_without_the_list_takes_its_inputs_in_layer_order():
    """A trained model's metadata written before the list existed holds a graph without it."""
    data = two_inputs().to_dict()
    del data["inputs"]
    data["layers"].reverse()
    assert Graph.from_dict(data).inputs == ["input_layer_1", "input_layer"]


@pytest.mark.parametrize("inputs, message", [
    ("input_layer", "'inputs' must be a list of Input layer names"),
    ({"a": 1}, "'inputs' must be a list of Input layer names"),
    (None, "'inputs' must be a list of Input layer names"),
    ([["input_layer"], "input_layer_1"], "'inputs' must be a list of Input layer names"),
    (["input_layer", "nowhere"], "'inputs': 'nowhere' is not a layer of this graph"),
    (["input_layer", "x" * 5000], r"'inputs': 'x+\.\.\..* is not a layer"),
    (["input_layer", "input_layer_1", "dense"], "'inputs': 'dense' is a Dense, not an Input layer"),
    (["input_layer", "input_layer", "input_layer_1"], "'inputs': 'input_layer' is listed twice"),
    (["input_layer_1"], "'inputs': the Input layer 'input_layer' is not listed"),
    ([], "'inputs': the Input layer 'input_layer' is not listed"),
])
def test_a_hostile_inputs_list_is_one_line_naming_the_field(inputs, message):
    data = two_inputs().to_dict()
    data["inputs"] = inputs
    with pytest.raises(GraphError, match=message) as caught:
        Graph.from_dict(data)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300
    g = two_inputs()
    with pytest.raises(GraphError, match=message):
        g.set_inputs(inputs)
    assert g.inputs == ["input_layer", "input_layer_1"]  # a refused order changes nothing


def test_the_input_order_of_a_record_old_or_new():
    from studio.core.graph import record_inputs
    g = Graph("two")
    b = g.add_node("Input", {"shape": [2]}, name="b")
    a = g.add_node("Input", {"shape": [3]}, name="a")
    g.set_inputs([a, b])
    record = g.to_dict()
    assert record_inputs(record) == ["a", "b"]
    del record["inputs"]  # written before the list existed: the Inputs in file order
    assert record_inputs(record) == ["b", "a"]
    assert record_inputs("not a graph") == [] and record_inputs({"layers": "x"}) == []
