"""Canvas, palette and inspector: every gesture becomes an undoable edit of the graph."""

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest

from studio.ui.canvas import LAYER_MIME


def drop(window, class_name, at=QPoint(200, 200)):
    mime = QMimeData()
    mime.setData(LAYER_MIME, class_name.encode())
    event = QDropEvent(QPointF(at), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.view.dropEvent(event)


def test_dropping_a_palette_item_adds_a_node(window):
    drop(window, "Dense")
    assert window.document.graph.names == ["dense"]
    assert "dense" in window.scene.nodes
    expected = window.view.mapToScene(QPoint(200, 200))
    node, (width, height) = window.document.graph.node("dense"), window.scene.nodes["dense"].size()
    assert abs(node.pos[0] + width / 2 - expected.x()) < 1 and abs(node.pos[1] + height / 2 - expected.y()) < 1


def test_palette_search_and_double_click(window, qtbot):
    window.palette.search.setText("pool")
    visible = [window.palette.tree.topLevelItem(i).text(0) for i in range(window.palette.tree.topLevelItemCount())
               if not window.palette.tree.topLevelItem(i).isHidden()]
    assert visible == ["Pooling"]
    item = window.palette.tree.topLevelItem(window.palette.tree.topLevelItemCount() - 1).child(0)
    window.palette.tree.itemDoubleClicked.emit(item, 0)
    assert window.document.graph.names == ["max_pooling2d"]


def test_dragging_from_an_output_port_to_a_node_connects_them(window, qtbot):
    scene = window.scene
    scene.add_layer("Input", QPointF(0, 0))
    scene.add_layer("Dense", QPointF(300, 0))
    window.view.resetTransform()
    window.view.centerOn(150, 0)
    source = scene.nodes["input_layer"].port_pos(False)
    target = scene.nodes["dense"].mapToScene(QPointF(60, 30))
    viewport = window.view.viewport()
    QTest.mousePress(viewport, Qt.LeftButton, Qt.NoModifier, window.view.mapFromScene(source))
    QTest.mouseMove(viewport, window.view.mapFromScene(target))
    QTest.mouseRelease(viewport, Qt.LeftButton, Qt.NoModifier, window.view.mapFromScene(target))
    assert window.document.graph.node("dense").inputs == ["input_layer"]
    assert len(scene.edges) == 1


def test_a_refused_connection_says_why(window, qtbot):
    scene = window.scene
    scene.add_layer("Input", QPointF(0, 0))
    scene.add_layer("Dense", QPointF(300, 0))
    with qtbot.waitSignal(scene.message) as blocker:
        assert not scene.connect_nodes("dense", "input_layer")
    assert "takes no inputs" in blocker.args[0]
    assert window.document.graph.edges() == []


def _dense_after_an_input_selected(window):
    """Input -> Dense drawn on the canvas, the Dense selected (the inspector shows it); (scene, graph)."""
    scene, graph = window.scene, window.document.graph
    scene.add_layer("Input", QPointF(0, 0))
    scene.add_layer("Dense", QPointF(300, 0))
    scene.connect_nodes("input_layer", "dense")
    scene.nodes["dense"].setSelected(True)
    return scene, graph


def test_the_inspector_follows_edits_made_in_a_batch(window):
    scene, graph = _dense_after_an_input_selected(window)
    with graph.batch():  # as a replaced graph's undo or an applied trial sets them
        graph.set_param("dense", "units", 9)
        graph.set_output("dense", False)
    assert window.inspector.editors["units"].text() == "9"
    assert not window.inspector.output_box.isChecked()


def test_inspector_edit_changes_graph_and_shape_label(window):
    scene, graph = _dense_after_an_input_selected(window)
    editor = window.inspector.editors["units"]
    editor.setText("7")
    editor.editingFinished.emit()
    assert graph.node("dense").config["units"] == 7
    assert "(None, 7)" in scene.nodes["dense"].detail.text()
    assert "35 params" in scene.nodes["dense"].detail.text()  # 4 x 7 + 7
    editor.setText("0")
    editor.textEdited.emit("0")
    assert window.inspector.errors["units"].text() == "units must be >= 1, got 0"
    editor.editingFinished.emit()
    assert graph.node("dense").config["units"] == 7  # an invalid value is never committed, and it says so
    assert window.inspector.errors["units"].text() == "units must be >= 1, got 0; the layer keeps 7"
    editor.setText("abc")
    editor.textEdited.emit("abc")
    assert window.inspector.errors["units"].text() == "units must be a whole number, such as 64"  # not Python's words


def test_undo_and_redo_every_edit(window):
    scene, graph, stack = window.scene, window.document.graph, window.document.undo_stack
    scene.add_layer("Input", QPointF(0, 0))
    scene.add_layer("Dense", QPointF(300, 0))
    scene.connect_nodes("input_layer", "dense")
    before = graph.to_dict()
    scene.nodes["dense"].setSelected(True)
    scene.delete_selected()
    assert graph.names == ["input_layer"] and scene.edges == []
    stack.undo()
    assert graph.to_dict() == before and len(scene.edges) == 1
    stack.undo()  # the connection
    assert graph.edges() == []
    stack.redo()
    stack.redo()
    assert graph.names == ["input_layer"]
    assert window.windowTitle().startswith("Untitled *")


def test_error_badge_tooltip_names_the_problem(window):
    window.scene.add_layer("Concatenate", QPointF(0, 0))
    item = window.scene.nodes["concatenate"]
    assert item.badge.text() == "!"
    assert "Concatenate takes at least 2 inputs; it has 0" in item.badge.toolTip()


def test_copy_paste_duplicates_layers_and_edges_as_one_undo_step(window):
    scene, graph = window.scene, window.document.graph
    scene.add_layer("Input", QPointF(0, 0))
    scene.add_layer("Dense", QPointF(300, 0))
    scene.connect_nodes("input_layer", "dense")
    for name in ("input_layer", "dense"):
        scene.nodes[name].setSelected(True)
    assert scene.copy_selected()
    pasted = scene.paste()
    assert pasted == ["input_layer_1", "dense_1"]
    assert ("input_layer_1", "dense_1", 0) in graph.edges()
    assert sorted(i.name for i in scene.selectedItems()) == ["dense_1", "input_layer_1"]
    window.document.undo_stack.undo()
    assert graph.names == ["input_layer", "dense"]


def test_pasting_text_that_is_not_layers_says_so(window, qtbot):
    from PySide6.QtGui import QGuiApplication
    QGuiApplication.clipboard().setText("not layers")
    with qtbot.waitSignal(window.scene.message) as said:
        assert window.scene.paste() == []
    assert "does not hold layers" in said.args[0]


def test_a_long_name_is_shown_whole_on_two_lines_not_cut_in_the_middle(window):
    window.scene.add_layer("Dense", QPointF(0, 0))
    long = "a_very_long_layer_name_that_would_run_past_the_node_edge"
    window.document.graph.rename_node("dense", long)
    item = window.scene.nodes[long]
    assert item.title.text().replace("\n", "") == long and "…" not in item.title.text()
    assert item.title.pos().x() + item.title.boundingRect().width() <= item.rect().width()
    assert long in item.toolTip()
    absurd = "x" * 200  # only a name longer than two full lines is elided, at its end
    window.document.graph.rename_node(long, absurd)
    text = window.scene.nodes[absurd].title.text()
    assert text.startswith("xxxx") and text.endswith("…") and absurd in window.scene.nodes[absurd].toolTip()


def test_a_refused_edit_leaves_no_undo_entry(window):
    scene = window.scene
    scene.add_layer("Input", QPointF(0, 0))
    scene.add_layer("Dense", QPointF(300, 0))
    count = window.document.undo_stack.count()
    assert not scene.connect_nodes("dense", "input_layer")
    assert window.document.undo_stack.count() == count
    window.document.undo_stack.undo()  # undoes the Dense, not a phantom connection
    assert window.document.graph.names == ["input_layer"]
