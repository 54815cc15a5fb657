"""Graph editing as a person does it: drop a layer on an edge to insert it, edges back up go around nodes,
the View menu brings closed panels back, an Input offers no 'Set as model output'."""

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QDockWidget

from studio.ui.canvas_items import stroke


def chain(window):
    g = window.document.graph
    g.add_node("Input", {"shape": [4]}, "x", pos=(0, 0))
    g.add_node("Dense", {"units": 8, "activation": "relu"}, "hidden", pos=(0, 180))
    g.connect("x", "hidden")
    g.set_outputs(["hidden"])
    return g


def edge_middle(window, src, dst):
    edge = next(e for e in window.scene.edges if (e.src.name, e.dst.name) == (src, dst))
    return edge.path().pointAtPercent(0.5)


def test_a_layer_dropped_on_an_edge_goes_between_its_layers_in_one_undo_step(window):
    g = chain(window)
    name = window.scene.drop_layer("Dropout", edge_middle(window, "x", "hidden"))
    assert g.node(name).inputs == ["x"] and g.node("hidden").inputs == [name]
    rects = {n: window.scene.nodes[n].sceneBoundingRect() for n in ("x", name, "hidden")}
    assert rects["x"].bottom() < rects[name].top() and rects[name].bottom() < rects["hidden"].top()  # no overlap
    window.document.undo_stack.undo()
    assert name not in g and g.node("hidden").inputs == ["x"] and tuple(g.node("hidden").pos) == (0, 180)


def test_a_layer_whose_shape_does_not_fit_is_only_dropped(window):
    g = chain(window)
    name = window.scene.drop_layer("Conv2D", edge_middle(window, "x", "hidden"))  # needs an image, gets a vector
    assert name in g and g.node(name).inputs == [] and g.node("hidden").inputs == ["x"]


def test_a_drop_away_from_edges_just_adds(window):
    g = chain(window)
    name = window.scene.drop_layer("Dense", QPointF(900, 900))
    assert g.node(name).inputs == [] and g.node("hidden").inputs == ["x"]


def test_an_edge_back_up_goes_around_its_ends_and_the_nodes_between(window):
    g = window.document.graph
    g.add_node("Input", {"shape": [4]}, "x", pos=(0, 0))
    g.add_node("Dense", {"units": 8}, "top", pos=(0, 150))
    g.add_node("Dense", {"units": 8}, "middle", pos=(0, 300))
    g.add_node("Dense", {"units": 8}, "bottom", pos=(0, 450))
    g.connect("x", "top")
    g.connect("bottom", "middle")
    g.connect("top", "bottom")  # runs down past middle
    edge = next(e for e in window.scene.edges if (e.src.name, e.dst.name) == ("bottom", "middle"))
    line = stroke(edge.path())
    for name in ("bottom", "middle"):
        body = window.scene.nodes[name].sceneBoundingRect().adjusted(4, 12, -4, -12)  # the ports stay reachable
        assert not line.intersects(body), name


def test_the_view_menu_lists_the_panels_and_brings_a_closed_one_back(window):
    view = next(a.menu() for a in window.menuBar().actions() if a.menu() and "View" in a.text())
    texts = [a.text() for a in view.actions()]
    for title in ("Layers", "Inspector", "Train"):
        assert title in texts
    inspector = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == "Inspector")
    inspector.close()
    action = next(a for a in view.actions() if a.text() == "Inspector")
    assert action.isCheckable() and not action.isChecked()
    action.trigger()
    assert inspector.isVisible()


def test_an_input_offers_no_set_as_model_output(window):
    chain(window)
    menu = window.scene.node_menu("x")  # kept: its actions die with it
    texts = [a.text() for a in menu.actions()]
    assert "Set as model output" not in texts and "Unset as model output" not in texts and "Rename…" in texts
    other = window.scene.node_menu("hidden")
    assert "Unset as model output" in [a.text() for a in other.actions()]


def test_the_edit_menu_copies_and_pastes_the_selected_layers(window):
    chain(window)
    edit = next(a.menu() for a in window.menuBar().actions() if a.menu() and "Edit" in a.text())
    actions = {a.text().replace("&", ""): a for a in edit.actions()}
    for name in ("x", "hidden"):
        window.scene.nodes[name].setSelected(True)
    actions["Copy"].trigger()
    actions["Paste"].trigger()  # as Ctrl+V does: the action's triggered(checked) must not reach paste(at)
    assert len(window.document.graph) == 4
    assert window.document.undo_stack.undoText().startswith("Paste")
