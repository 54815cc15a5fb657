"""Edits of many layers at once (replace the graph, paste, delete, layout) check and redraw once per step."""

import pytest

import studio.ui.document as document_module
from studio.core import fragment
from studio.core.graph import Graph
from studio.ui import commands
from studio.ui.canvas import CanvasScene, EdgeItem, NodeItem

LAYERS = 50


def chain(units: int, n: int = LAYERS) -> Graph:
    g = Graph("chain")
    previous = g.add_node("Input", {"shape": [4]}, pos=(0, 0))
    for i in range(n - 1):
        name = g.add_node("Dense", {"units": units}, pos=(0, 120.0 * (i + 1)))
        g.connect(previous, name)
        previous = name
    g.set_outputs([previous])
    return g


@pytest.fixture
def counts(monkeypatch):
    seen = {"validate": 0, "edge rebuilds": 0}
    real_validate, real_rebuild = document_module.validate, CanvasScene._rebuild_edges

    def validate(graph, layer_problem=None):
        seen["validate"] += 1
        return real_validate(graph, layer_problem)

    def rebuild(scene):
        seen["edge rebuilds"] += 1
        return real_rebuild(scene)

    monkeypatch.setattr(document_module, "validate", validate)
    monkeypatch.setattr(CanvasScene, "_rebuild_edges", rebuild)

    def measure(action):
        seen.update({key: 0 for key in seen})
        action()
        return dict(seen)
    return measure


def assert_mirrors(scene):
    """The scene shows exactly the graph: one item per layer where it is, one edge per edge, nothing stale."""
    graph = scene.graph
    assert list(scene.nodes) == graph.names or set(scene.nodes) == set(graph.names)
    for name, item in scene.nodes.items():
        assert item.scene() is scene and (item.pos().x(), item.pos().y()) == graph.node(name).pos
    drawn = sorted((e.src.name, e.dst.name, e.index) for e in scene.edges)
    assert drawn == sorted(graph.edges())
    assert all(e.src is scene.nodes[e.src.name] and e.dst is scene.nodes[e.dst.name] for e in scene.edges)
    assert sum(isinstance(i, EdgeItem) for i in scene.items()) == len(graph.edges())
    assert sum(isinstance(i, NodeItem) for i in scene.items()) == len(graph)


def test_undo_and_redo_of_a_replaced_graph_check_once_and_rebuild_the_edges_once(window, counts):
    document, scene = window.document, window.scene
    document.push(commands.ReplaceGraph(document.graph, chain(8), "Load"))
    document.push(commands.ReplaceGraph(document.graph, chain(16), "Apply the best trial"))
    # Each used to be one check per event: 201 checks and 148 edge rebuilds for 50 layers.
    assert counts(document.undo_stack.undo) == {"validate": 1, "edge rebuilds": 1}
    assert document.graph.node("dense").config["units"] == 8
    assert_mirrors(scene)
    assert scene.nodes["dense"].kind.text() == "Dense"
    assert counts(document.undo_stack.redo) == {"validate": 1, "edge rebuilds": 1}
    assert document.graph.node("dense").config["units"] == 16
    assert_mirrors(scene)
    assert document.report.shapes["dense"].params == 4 * 16 + 16  # the report is the replaced graph's


def test_paste_and_delete_of_many_layers_check_once(window, counts):
    document, scene = window.document, window.scene
    document.push(commands.ReplaceGraph(document.graph, chain(8), "Load"))
    data = fragment.extract(document.graph, document.graph.names)
    pasted = []
    assert counts(lambda: pasted.extend(scene._add_fragment(data, None))) == {"validate": 1, "edge rebuilds": 1}
    assert len(pasted) == LAYERS and len(document.graph) == 2 * LAYERS
    assert sorted(item.name for item in scene.selectedItems()) == sorted(pasted)  # the pasted layers, selected
    assert_mirrors(scene)
    assert counts(scene.delete_selected) == {"validate": 1, "edge rebuilds": 1}
    assert len(document.graph) == LAYERS
    assert_mirrors(scene)
    assert counts(document.undo_stack.undo) == {"validate": 1, "edge rebuilds": 1}
    assert len(document.graph) == 2 * LAYERS
    assert_mirrors(scene)


def test_undoing_a_delete_restores_the_input_order(window):
    document = window.document
    g = Graph("two")
    g.add_node("Input", {"shape": [2]}, name="a"), g.add_node("Input", {"shape": [3]}, name="b")
    g.add_node("Concatenate", name="join")
    g.connect("a", "join"), g.connect("b", "join")
    g.set_outputs(["join"])
    document.push(commands.ReplaceGraph(document.graph, g, "Load"))
    document.graph.set_inputs(["b", "a"])
    document.push(commands.RemoveNodes(document.graph, ["b", "join"]))
    assert document.graph.inputs == ["a"]
    document.undo_stack.undo()
    assert document.graph.inputs == ["b", "a"] and document.graph.node("join").inputs == ["a", "b"]
    assert_mirrors(window.scene)


def test_a_layout_moves_every_node_in_one_step_and_keeps_the_selection(window, counts):
    document, scene = window.document, window.scene
    document.push(commands.ReplaceGraph(document.graph, chain(8, 12), "Load"))
    for i, name in enumerate(document.graph.names):
        document.graph.move_node(name, (300.0 * i, 0.0))
    scene.nodes["dense"].setSelected(True)
    before = {name: document.graph.node(name).pos for name in document.graph.names}
    assert counts(scene.auto_layout) == {"validate": 1, "edge rebuilds": 0}
    assert scene.nodes["dense"].isSelected()
    assert_mirrors(scene)
    document.undo_stack.undo()
    assert {name: document.graph.node(name).pos for name in document.graph.names} == before
    assert scene.nodes["dense"].isSelected()
    assert_mirrors(scene)
