"""Batched edits: the events inside a batch are held and announced as one 'changed' at its end."""

import pytest

from studio.core.events import CHANGED, EventHub
from studio.core.graph import EVENTS, Graph, GraphError


def recorder(graph):
    seen = []
    for name in EVENTS:
        graph.events.connect(name, lambda *args, name=name: seen.append((name, *args)))
    return seen


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
