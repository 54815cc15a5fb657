"""Losses, weights, metrics and callbacks are edited per output, undoably, and shown after undo."""

from PySide6.QtCore import QPointF

from studio.ui import commands
from studio.ui.callbacks_editor import CallbacksEditor
from studio.ui.document import ProjectDocument
from studio.ui.outputs_editor import OutputsEditor


def choose(box, text: str) -> None:
    box.setCurrentIndex(box.findText(text))
    box.activated.emit(box.currentIndex())


def two_outputs(document: ProjectDocument) -> None:
    g = document.graph
    g.add_node("Input", {"shape": [4]}, "x")
    g.add_node("Dense", {"units": 1}, "price")
    g.add_node("Dense", {"units": 3, "activation": "softmax"}, "kind")
    g.connect("x", "price"), g.connect("x", "kind")
    g.set_outputs(["price", "kind"])


def test_one_output_stores_plain_values(qtbot):
    document = ProjectDocument()
    document.graph.add_node("Input", {"shape": [4]}, "x")
    document.graph.add_node("Dense", {"units": 1}, "y")
    document.graph.connect("x", "y")
    document.graph.set_outputs(["y"])
    editor = OutputsEditor(document)
    qtbot.addWidget(editor)
    box, weight, button = editor.rows[0]
    assert not weight.isEnabled()
    choose(box, "huber")
    next(a for a in button.menu().actions() if a.text() == "mean_absolute_error").setChecked(True)
    t = document.project.training
    assert t["loss"] == "huber" and t["metrics"] == ["mean_absolute_error"] and "loss_weights" not in t
    assert button.text() == "mean_absolute_error"


def test_several_outputs_store_a_loss_weight_and_metrics_each_and_undo_shows(qtbot):
    document = ProjectDocument()
    two_outputs(document)
    editor = OutputsEditor(document)
    qtbot.addWidget(editor)
    assert editor.outputs == ["price", "kind"] and editor.table.rowCount() == 2
    choose(editor.rows[0][0], "mean_squared_error")
    choose(editor.rows[1][0], "sparse_categorical_crossentropy")
    editor.rows[0][1].setValue(0.9)
    editor.rows[0][1].editingFinished.emit()
    next(a for a in editor.rows[1][2].menu().actions() if a.text() == "accuracy").setChecked(True)
    t = document.project.training
    assert t["loss"] == {"price": "mean_squared_error", "kind": "sparse_categorical_crossentropy"}
    assert t["loss_weights"] == {"price": 0.9, "kind": 1.0}
    assert t["metrics"] == {"price": [], "kind": ["accuracy"]}
    document.edited.connect(editor.load)
    document.undo_stack.undo()  # the metric
    assert t["metrics"] == {"price": [], "kind": []} and editor.rows[1][2].text() == "none"
    assert editor.rows[0][1].value() == 0.9


def test_callbacks_are_stored_with_their_parameters(qtbot):
    document = ProjectDocument()
    editor = CallbacksEditor(document)
    qtbot.addWidget(editor)
    assert editor.values() == {"terminate_on_nan": True}  # the engine's default
    group, widgets = editor.groups["early_stopping"]
    widgets["patience"].setValue(2)
    group.setChecked(True)
    stored = document.project.training["callbacks"]
    assert stored["early_stopping"] == {"monitor": "val_loss", "patience": 2, "restore_best_weights": True}
    assert stored["terminate_on_nan"] is True
    document.undo_stack.undo()
    editor.load()
    assert not group.isChecked()


def test_the_training_panel_follows_new_outputs(window):
    window.scene.add_layer("Input", QPointF(0, 0))
    window.scene.add_layer("Dense", QPointF(300, 0))
    window.document.push(commands.Connect(window.document.graph, "input_layer", "dense"))  # no automatic output
    assert window.training.outputs.outputs == ["(no output yet)"]
    window.document.push(commands.SetOutput(window.document.graph, "dense", True))
    assert window.training.outputs.outputs == ["dense"]
    window.document.undo_stack.undo()
    assert window.training.outputs.outputs == ["(no output yet)"]


def test_nothing_in_the_outputs_table_is_cut_off(qtbot):
    from studio.ui.outputs_editor import LOSSES
    document = ProjectDocument()
    document.graph.add_node("Input", {"shape": [4]}, "x")
    document.graph.add_node("Dense", {"units": 3, "activation": "softmax"}, "y")
    document.graph.connect("x", "y")
    document.graph.set_outputs(["y"])
    editor = OutputsEditor(document)
    qtbot.addWidget(editor)
    editor.resize(360, 120)
    editor.show()
    box, _, button = editor.rows[0]
    next(a for a in button.menu().actions() if a.text() == "accuracy").setChecked(True)
    longest = max(box.fontMetrics().horizontalAdvance(t) for t in LOSSES)
    assert box.width() >= longest + 20  # "sparse_categorical_crossentropy" whole
    assert button.text() == "accuracy" and button.width() >= button.fontMetrics().horizontalAdvance("accuracy")
    assert editor.table.isColumnHidden(3) and editor.metrics_row.isVisible()
    assert box.view().font().pointSizeF() == editor.font().pointSizeF()
