"""The graph model: one call per edit, each announced on the event hub."""

import pytest

from studio.core.events import CHANGED, EventHub
from studio.core.graph import EVENTS, Graph, GraphError, snake_case


def recorder(graph):
    seen = []
    for name in EVENTS:
        graph.events.connect(name, lambda *args, name=name: seen.append((name, *args)))
    return seen


def test_names_follow_keras():
    assert snake_case("Conv2D") == "conv2d"
    assert snake_case("MaxPooling2D") == "max_pooling2d"
    assert snake_case("GlobalAveragePooling2D") == "global_average_pooling2d"
    g = Graph()
    assert [g.add_node("Dense") for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert g.add_node("Input") == "input_layer"


def test_every_edit_emits_one_event():
    g = Graph()
    seen = recorder(g)
    a = g.add_node("Input", {"shape": [3]}, pos=(1, 2))
    b = g.add_node("Dense", {"units": 4})
    g.connect(a, b)
    g.set_param(b, "units", 5)
    g.move_node(b, (10, 20))
    g.set_output(b)
    g.rename_node(b, "out")
    assert seen == [
        ("node_added", "input_layer"), ("node_added", "dense"), ("edge_added", "input_layer", "dense", 0),
        ("param_changed", "dense", "units", 4, 5), ("node_moved", "dense", (10.0, 20.0)),
        ("outputs_changed", ["dense"]), ("node_renamed", "dense", "out"),
    ]
    assert g.node("out").config["units"] == 5 and g.outputs == ["out"]


def test_remove_node_removes_its_edges_first():
    g = Graph()
    a, b = g.add_node("Input", {"shape": [3]}), g.add_node("Input", {"shape": [3]})
    c = g.add_node("Concatenate")
    d = g.add_node("Dense")
    g.connect(a, c), g.connect(b, c), g.connect(c, d)
    g.set_output(c)
    seen = recorder(g)
    g.remove_node(c)
    assert seen == [("edge_removed", "concatenate", "dense", 0), ("edge_removed", "input_layer_1", "concatenate", 1),
                    ("edge_removed", "input_layer", "concatenate", 0), ("outputs_changed", []),
                    ("node_removed", "concatenate")]
    assert g.edges() == [] and c not in g


def test_input_order_matters_and_can_be_chosen():
    g = Graph()
    a, b = g.add_node("Input", {"shape": [2]}), g.add_node("Input", {"shape": [3]})
    c = g.add_node("Concatenate")
    g.connect(b, c)
    g.connect(a, c, index=0)
    assert g.node(c).inputs == [a, b]
    assert g.disconnect(a, c) == 0
    assert g.node(c).inputs == [b]


@pytest.mark.parametrize("edit, message", [
    (lambda g: g.connect("dense", "input_layer"), "takes no inputs"),
    (lambda g: g.connect("input_layer_1", "dense"), "takes 1 input and already has 1"),
    (lambda g: g.connect("dense", "dense"), "cannot feed itself"),
    (lambda g: g.connect("nowhere", "dense"), "no layer named 'nowhere'"),
    (lambda g: g.add_node("Dense", name="dense"), "already exists"),
    (lambda g: g.add_node("Dense", name="has space"), "not a valid layer name"),
    (lambda g: g.disconnect("input_layer_1", "dense"), "does not feed"),
    (lambda g: g.set_outputs(["dense", "dense"]), "listed twice"),
])
def test_refused_edits_say_why(edit, message):
    g = Graph()
    g.add_node("Input", {"shape": [3]}), g.add_node("Input", {"shape": [3]})
    g.add_node("Dense")
    g.connect("input_layer", "dense")
    before = g.to_dict()
    with pytest.raises(GraphError, match=message):
        edit(g)
    assert g.to_dict() == before


def test_dict_round_trip_keeps_everything():
    g = Graph("net")
    a = g.add_node("Input", {"shape": [4]}, pos=(-5.5, 3))
    b = g.add_node("Dense", {"units": 2, "kernel_constraint": {"class_name": "NonNeg", "config": {}}})
    g.connect(a, b)
    g.set_output(b)
    again = Graph.from_dict(g.to_dict())
    assert again.to_dict() == g.to_dict()
    assert again.node(a).pos == (-5.5, 3.0)
    assert again.node(b).config["kernel_constraint"] == {"class_name": "NonNeg", "config": {}}


@pytest.mark.parametrize("data, message", [
    ({"layers": "no"}, "'layers' must be a list"),
    ({"layers": [{"class_name": "Dense"}]}, "layer #1 has no name"),
    ({"layers": [{"name": "x", "class_name": "LSTM"}]}, "layer 'x': unknown layer class 'LSTM'"),
    ({"layers": [{"name": "x", "class_name": "Dense", "inbound": ["y"]}]}, "input 'y' is not a layer"),
    ({"layers": [{"name": "x", "class_name": "Dense", "ui": {"pos": [1]}}]}, "'ui.pos' must be two numbers"),
    ({"layers": [{"name": "x", "class_name": "Dense"}], "outputs": ["z"]}, "output 'z' is not a layer"),
])
def test_malformed_graph_data_names_the_layer(data, message):
    with pytest.raises(GraphError, match=message):
        Graph.from_dict(data)


# -- batches: the events inside are held and announced as one 'changed' at the end --

def test_a_batch_is_one_changed_event_listing_its_edits_in_order():
    g = Graph()
    seen = recorder(g)
    with g.batch():
        a = g.add_node("Input", {"shape": [3]})
        b = g.add_node("Dense")
        g.connect(a, b)
        g.set_output(b)
        assert seen == []  # nothing is announced while the batch is open
    assert seen == [(CHANGED, [("node_added", ("input_layer",)), ("node_added", ("dense",)),
                               ("edge_added", ("input_layer", "dense", 0)), ("outputs_changed", (["dense"],))])]


def test_nested_batches_join_the_outermost():
    g = Graph()
    seen = recorder(g)
    with g.batch():
        g.add_node("Dense")
        with g.batch():
            g.add_node("Dense")
        assert seen == []
        g.add_node("Dense")
    assert len(seen) == 1 and [event for event, _ in seen[0][1]] == ["node_added"] * 3
    g.add_node("Dense")  # after the batch, edits are announced one by one again
    assert seen[-1] == ("node_added", "dense_3")


def test_an_empty_batch_announces_nothing():
    g = Graph()
    seen = recorder(g)
    with g.batch():
        pass
    assert seen == []


def test_an_error_inside_still_announces_what_was_done():
    g = Graph()
    seen = recorder(g)
    with pytest.raises(GraphError):
        with g.batch():
            g.add_node("Dense", name="x")
            g.add_node("Dense", name="x")
    assert seen == [(CHANGED, [("node_added", ("x",))])]
    g.add_node("Dense", name="y")
    assert seen[-1] == ("node_added", "y")  # the batch is closed


def test_every_hub_knows_the_changed_event():
    hub = EventHub(("ping",))
    got = []
    hub.connect(CHANGED, got.append)
    with hub.batch():
        hub.emit("ping", 1)
    assert got == [[("ping", (1,))]]
    with pytest.raises(ValueError, match="unknown event 'pong'"):
        hub.emit("pong")
