"""Building and reading a model on the canvas: top-to-bottom chains, legible nodes, placement, outputs, menus."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from studio.core.graph import Graph
from studio.core.project import Project, save_project
from studio.ui import canvas_items
from studio.ui.canvas import MIN_FIT_SCALE
from studio.ui.canvas_items import MIN_TEXT_PX, PAD_X, SMALL_TEXT_PX


_kept = []


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    """A settings store of this test's own: a window state remembered by an earlier test would size the canvas."""
    for scope in (QSettings.UserScope, QSettings.SystemScope):
        QSettings.setPath(QSettings.NativeFormat, scope, str(tmp_path / "settings"))
        QSettings.setPath(QSettings.IniFormat, scope, str(tmp_path / "settings"))


def palette_item(window, class_name):
    tree = window.palette.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        for j in range(group.childCount()):
            if group.child(j).text(0) == class_name:
                return group.child(j)
    raise AssertionError(class_name)


def double_click(window, class_name):
    window.palette.tree.itemDoubleClicked.emit(palette_item(window, class_name), 0)


def menu_action(menu, *path):
    _kept.append(menu)  # the menu must outlive its action
    for text in path[:-1]:
        menu = next(a.menu() for a in menu.actions() if a.text() == text)
    return next(a for a in menu.actions() if a.text() == path[-1])


def chain(window, n):
    double_click(window, "Input")
    for _ in range(n - 1):
        double_click(window, "Dense")
    return window.document.graph.names


def test_double_clicks_build_a_connected_chain_downwards_with_its_end_as_output(window):
    names = chain(window, 4)
    graph, scene = window.document.graph, window.scene
    assert [(s, d) for s, d, _ in graph.edges()] == list(zip(names, names[1:]))
    tops = [graph.node(n).pos[1] for n in names]
    assert all(scene.nodes[a].sceneBoundingRect().bottom() < scene.nodes[b].sceneBoundingRect().top()
               for a, b in zip(names, names[1:]))
    assert tops == sorted(tops)
    centres = [scene.nodes[n].sceneBoundingRect().center().x() for n in names]
    assert max(centres) - min(centres) <= 2  # one straight column
    assert graph.outputs == [names[-1]] and window.document.report.ok
    assert [i.name for i in scene.selectedItems()] == [names[-1]]
    assert not window.problems.isVisible() or window.problems.text() == ""
    window.document.undo_stack.undo()  # one step: the layer, its edge and the output move
    assert graph.names == names[:-1] and graph.outputs == [names[-2]]
    window.document.undo_stack.redo()
    assert graph.outputs == [names[-1]] and (names[-2], names[-1], 0) in graph.edges()


def test_a_new_layer_goes_below_the_selected_one_beside_its_existing_child(window):
    names = chain(window, 2)
    scene, graph = window.scene, window.document.graph
    scene.focus_node(names[0])
    double_click(window, "Dense")
    new = graph.names[-1]
    assert graph.node(new).inputs == [names[0]]
    a, b, c = (scene.nodes[n].sceneBoundingRect() for n in (names[0], names[1], new))
    assert scene.nodes[new].y() == scene.nodes[names[1]].y() and not c.intersects(b) and c.top() > a.bottom()
    assert graph.outputs == [names[1]]  # two loose ends now: the output stays where it was


def test_a_new_input_is_added_unconnected(window):
    chain(window, 2)
    double_click(window, "Input")
    graph = window.document.graph
    assert graph.node("input_layer_1").inputs == [] and len(graph.edges()) == 1


def test_dragging_a_connection_makes_the_end_of_the_chain_the_output_in_one_step(window):
    scene, graph = window.scene, window.document.graph
    scene.add_layer("Input", QPointF(0, 0))
    scene.add_layer("Dense", QPointF(0, 200))
    assert graph.outputs == []
    assert scene.connect_nodes("input_layer", "dense")
    assert graph.outputs == ["dense"]
    window.document.undo_stack.undo()
    assert graph.outputs == [] and graph.edges() == []


def test_ports_are_on_the_top_and_bottom_edges(window):
    names = chain(window, 2)
    item = window.scene.nodes[names[1]]
    rect = item.sceneBoundingRect()
    top, bottom = item.port_pos(True), item.port_pos(False)
    assert (top.x(), top.y()) == (rect.center().x(), item.scenePos().y())
    assert bottom.y() == item.scenePos().y() + item.rect().height() and bottom.x() == top.x()


def test_a_node_shows_its_key_settings_shape_and_parameters(window):
    scene, graph, doc = window.scene, window.document.graph, window.document
    names = chain(window, 2)
    graph.set_param(names[1], "units", 128)
    graph.set_param(names[1], "activation", "relu")
    text = scene.nodes[names[1]].settings.text()
    assert "units 128" in text and "activation relu" in text
    assert scene.nodes[names[1]].detail.text() == "(None, 128) · 640 params"
    double_click(window, "Dropout")
    assert "rate 0.5" in scene.nodes["dropout"].settings.text()
    scene.add_layer("Conv2D", QPointF(600, 0))
    assert "filters 32" in scene.nodes["conv2d"].settings.text()
    assert "kernel_size 3×3" in scene.nodes["conv2d"].settings.text()
    assert "scale 1/255" in canvas_items.NodeItem(scene, doc.graph.add_node("Rescaling")).settings.text()


def test_no_text_sticks_out_of_its_node_even_in_korean(window, monkeypatch):
    korean = {"output": "출력", "{0} params": "매개변수 {0}개"}
    monkeypatch.setattr(canvas_items, "translate", lambda context, text: korean.get(text, text))
    names = chain(window, 3)
    window.document.graph.rename_node(names[-1], "output_of_the_whole_model_dense")
    for item in window.scene.nodes.values():
        item.refresh()
        width = item.rect().width()
        for text in (item.title, item.kind, item.marker, item.settings, item.detail):
            assert text.pos().x() + text.boundingRect().width() <= width - PAD_X + 1, text.text()
            assert "…" not in text.text()
    assert window.scene.nodes["output_of_the_whole_model_dense"].marker.text() == "[출력]"


def test_fit_never_makes_text_unreadable(window, qtbot):
    chain(window, 14)  # taller than the canvas at any readable scale
    window.view.fit()
    assert window.view.zoom_level() >= MIN_FIT_SCALE
    assert SMALL_TEXT_PX * window.view.zoom_level() >= MIN_TEXT_PX
    first = window.scene.nodes["input_layer"].sceneBoundingRect()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(first)  # the chain starts on screen; the rest is a scroll away


def test_fit_shows_a_short_chain_whole(window):
    names = chain(window, 3)
    window.view.zoom(0.3)
    window.view.fit()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert all(visible.contains(window.scene.nodes[n].sceneBoundingRect()) for n in names), (
        visible, window.view.viewport().size(), [window.scene.nodes[n].sceneBoundingRect() for n in names])


def test_the_problem_count_opens_a_list_that_shows_and_fixes_each_problem(window, qtbot):
    from studio.ui import commands
    scene, graph, doc = window.scene, window.document.graph, window.document
    scene.add_layer("Input", QPointF(0, 0))
    scene.add_layer("Dense", QPointF(0, 200))
    doc.push(commands.Connect(graph, "input_layer", "dense"))  # no automatic output
    button = window.problems
    assert button.isVisible() and button.text() == "1 problem"
    texts = [a.text() for a in button.menu().actions()]
    assert "no layer is marked as a model output" in texts and "Set dense as model output" in texts
    scene.add_layer("Dense", QPointF(400, 0))  # a loose layer: its problems point at it
    problem = next(p for p in doc.report.errors if p.nodes == ("dense_1",))
    with qtbot.waitSignal(button.message) as said:
        next(a for a in button.menu().actions() if a.text().startswith("dense_1:")).trigger()
    assert [i.name for i in scene.selectedItems()] == ["dense_1"] and problem.message in said.args[0]
    scene.delete_selected()
    menu_action(button.menu(), "Set dense as model output").trigger()
    assert graph.outputs == ["dense"] and not button.isVisible()
    assert "parameters" in window.params_label.text() and "problem" not in window.params_label.text()


def test_right_click_menus_on_a_node_and_on_the_canvas(window):
    scene, graph = window.scene, window.document.graph
    names = chain(window, 2)
    menu = scene.node_menu(names[1])
    assert [a.text() for a in menu.actions() if a.text()] == ["Unset as model output", "Rename…", "Duplicate",
                                                             "Delete"]
    menu_action(menu, "Unset as model output").trigger()
    assert graph.outputs == []
    menu_action(scene.node_menu(names[1]), "Set as model output").trigger()
    assert graph.outputs == [names[1]]
    scene.focus_node(names[1])
    menu_action(scene.node_menu(names[1]), "Duplicate").trigger()
    assert graph.names[-1] == "dense_1"
    assert scene.rename_node("dense_1", "hidden")
    window.document.undo_stack.undo()
    assert "dense_1" in graph and "hidden" not in graph
    assert not scene.rename_node("dense_1", "not a name")
    at = QPointF(900, 900)
    menu_action(scene.canvas_menu(at), "Add layer", "Core", "Activation").trigger()
    rect = scene.nodes["activation"].sceneBoundingRect()
    assert abs(rect.center().x() - at.x()) < 1 and abs(rect.center().y() - at.y()) < 1
    menu = scene.canvas_menu(at)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Add layer", "Paste", "Automatic layout", "Fit to window"]
    menu_action(scene.node_menu("activation"), "Delete").trigger()
    assert "activation" not in graph


def test_ctrl_y_redoes(window, qtbot):
    redo = next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                if a.text() .startswith("&Redo"))
    assert {s.toString() for s in redo.shortcuts()} >= {"Ctrl+Y", "Ctrl+Shift+Z"}
    chain(window, 2)
    window.document.undo_stack.undo()
    assert len(window.document.graph) == 1
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keySequence(window, QKeySequence("Ctrl+Y"))
    assert len(window.document.graph) == 2


def test_the_inspector_fits_its_fields_at_the_default_window_size(window, qtbot):
    window.resize(1400, 860)
    window.scene.add_layer("Conv2D", QPointF(0, 0))  # the layer with the most fields
    window.scene.focus_node("conv2d")
    inspector = window.inspector
    qtbot.waitUntil(lambda: bool(inspector.editors) and all(e.isVisible() for e in inspector.editors.values()))
    viewport = inspector.scroll.viewport().width()
    assert inspector.form_host.minimumSizeHint().width() <= viewport
    assert inspector.width() >= 250
    for editor in inspector.editors.values():
        assert editor.mapTo(inspector.form_host, editor.rect().topRight()).x() <= viewport


def test_an_old_left_to_right_project_opens_top_to_bottom(window, tmp_path):
    graph = Graph()
    names = [graph.add_node("Input", {"shape": [4]}, pos=(0, 0))]
    for i in range(1, 4):
        names.append(graph.add_node("Dense", pos=(i * 220.0, 0)))
        graph.connect(names[-2], names[-1])
    graph.set_outputs([names[-1]])
    path = save_project(Project(graph), tmp_path / "old.studio.json")
    window.document.open(path)
    scene = window.scene
    assert all(scene.nodes[a].sceneBoundingRect().bottom() < scene.nodes[b].sceneBoundingRect().top()
               for a, b in zip(names, names[1:]))
    assert not window.document.dirty
    assert Path(path).read_text().count('"pos": [220.0, 0.0]') == 1  # the file is only rewritten on Save


def test_an_edge_that_skips_a_row_goes_around_the_node_between(window):
    scene, graph = window.scene, window.document.graph
    for class_name, at in (("Input", (0, 0)), ("Dense", (0, 200)), ("Add", (0, 400))):
        scene.add_layer(class_name, QPointF(*at))
    graph.set_param("input_layer", "shape", [32])
    for src, dst in (("input_layer", "dense"), ("dense", "add"), ("input_layer", "add")):
        scene.connect_nodes(src, dst)
    scene.auto_layout()
    skip = next(e for e in scene.edges if (e.src.name, e.dst.name) == ("input_layer", "add"))
    assert not canvas_items.stroke(skip.path()).intersects(scene.nodes["dense"].sceneBoundingRect())
    assert window.document.report.ok


def test_the_inspector_follows_the_output_moving_down_the_chain(window):
    names = chain(window, 2)
    window.scene.focus_node(names[1])
    assert window.inspector.output_box.isChecked()
    window.scene.add_layer("Dense", QPointF(600, 600))
    window.scene.focus_node(names[1])
    window.scene.connect_nodes(names[1], "dense_1")
    assert window.document.graph.outputs == ["dense_1"] and not window.inspector.output_box.isChecked()
    window.document.undo_stack.undo()
    assert window.inspector.output_box.isChecked()


def test_a_layer_that_cannot_take_the_shape_above_is_added_unconnected(window):
    names = chain(window, 2)  # Input(4) -> Dense: a Conv2D needs images, not vectors
    double_click(window, "Conv2D")
    graph = window.document.graph
    assert graph.node("conv2d").inputs == [] and graph.outputs == [names[-1]]
    window.document.undo_stack.undo()
    assert "conv2d" not in graph and graph.outputs == [names[-1]]
