"""The inspector: editors generated from the catalog specs for the selected layer.

Each editor validates as the user types (the field turns red and the reason
shows below it) and commits one undoable SetParam when the value is valid.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout,
                               QWidget)

from studio.core.catalog import ParamSpec
from studio.core.graph import GraphError
from studio.ui import commands
from studio.ui.document import ProjectDocument
from studio.ui.language import translate

_BAD = "border: 1px solid #d62728; background: #fff0f0;"
MIN_WIDTH = 260         # the Inspector dock is never narrower than this
FIELD_MIN_CHARS = 8     # a list or text field may shrink to this many characters


def parse(param: ParamSpec, text: str):
    """Turn what was typed into a value of the parameter's kind; raises ValueError with a reason."""
    text = text.strip()
    if text == "" or text.lower() == "none":
        if param.optional:
            return None
        raise ValueError("a value is required")
    if param.kind == "int":
        return int(text)
    if param.kind == "float":
        if "/" in text:  # 1/255 is how people write a scale
            num, den = text.split("/", 1)
            return float(num) / float(den)
        return float(text)
    if param.kind == "shape":
        return [int(part) for part in text.replace("(", "").replace(")", "").replace("x", ",").split(",")
                if part.strip()]
    if param.kind == "regularizer":
        kind, _, factor = text.partition(" ")
        key = {"L1": "l1", "L2": "l2"}.get(kind)
        if key is None:
            return json.loads(text)
        return {"class_name": kind, "config": {key: float(factor or 0.01)}}
    return text


def show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        config = value.get("config", {})
        if len(config) == 1:
            return f"{value['class_name']} {next(iter(config.values()))}"
        return json.dumps(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class InspectorPanel(QWidget):
    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.node_name: str | None = None
        self.title = QLabel(self.tr("Select a layer to edit it"))
        self.title.setWordWrap(True)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        # Fields grow and shrink with the dock; a label that leaves no room goes above its field.
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the fields fit the width instead
        scroll.setWidget(self.form_host)
        self.setMinimumWidth(MIN_WIDTH)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.output_box: QCheckBox | None = None
        self._subscribe()
        document.graph_replaced.connect(lambda: (self._subscribe(), self.show_node(None)))

    def _subscribe(self) -> None:
        events = self.document.graph.events
        events.connect("param_changed", self._external_change)
        events.connect("outputs_changed", self._outputs_changed)
        events.connect("changed", self._batch_changed)

    def _batch_changed(self, held: list) -> None:
        """A batch of edits (paste, delete, replace the graph): what it did to the shown layer, as if the
        events had come one by one."""
        for name, args in held:
            if name == "param_changed":
                self._external_change(*args)
            elif name == "outputs_changed":
                self._outputs_changed(*args)

    def show_node(self, name: str | None) -> None:
        self.node_name = name
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors, self.errors, self.output_box = {}, {}, None
        if name is None or name not in self.document.graph:
            self.title.setText(self.tr("Select a layer to edit it"))
            return
        node = self.document.graph.node(name)
        spec = node.spec
        self.title.setText(f"<b>{name}</b> · {spec.class_name}<br><small>{translate('Catalog', spec.help)}</small>")
        self.output_box = output = QCheckBox(self.tr("Model output"))
        output.setChecked(name in self.document.graph.outputs)
        output.toggled.connect(lambda on: self.document.push(commands.SetOutput(self.document.graph, name, on)))
        self.form.addRow(output)
        for param in spec.params:
            editor = self._editor(param, node.config.get(param.name))
            editor.setToolTip(translate("Catalog", param.help))
            error = QLabel()
            error.setStyleSheet("color: #d62728;")
            error.setWordWrap(True)
            error.hide()
            self.editors[param.name], self.errors[param.name] = editor, error
            self.form.addRow(param.name, editor)
            self.form.addRow(error)

    def _editor(self, param: ParamSpec, value) -> QWidget:
        if param.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            box.toggled.connect(lambda on, p=param: self._commit(p, on))
            return box
        choices = param.choice_values(load=False) if param.kind in ("choice", "initializer") else None
        if choices:
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(FIELD_MIN_CHARS)
            combo.addItems([str(c) for c in choices])
            if isinstance(value, str) and value not in choices:
                combo.addItem(value)
            if isinstance(value, dict):
                combo.addItem(show(value))
            combo.setCurrentText(show(value) if isinstance(value, dict) else str(value))
            combo.activated.connect(lambda _, c=combo, p=param: self._commit(p, c.currentText()))
            return combo
        edit = QLineEdit(show(value))
        edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * FIELD_MIN_CHARS)
        edit.textEdited.connect(lambda text, p=param: self._check(p, text))
        edit.editingFinished.connect(lambda e=edit, p=param: self._finish(p, e.text()))
        return edit

    def _check(self, param: ParamSpec, text: str):
        """Validate what is typed; returns (ok, value)."""
        try:
            value = parse(param, text)
            problem = param.check(value)
        except (ValueError, TypeError) as exc:
            value, problem = None, self._unreadable(param, text, exc)
        editor, error = self.editors.get(param.name), self.errors.get(param.name)
        if editor is not None:
            editor.setStyleSheet(_BAD if problem else "")
            error.setText(f"{param.name} {problem}" if problem else "")
            error.setVisible(bool(problem))
        return problem is None, value

    def _unreadable(self, param: ParamSpec, text: str, exc: Exception) -> str:
        """Why typed text is not a value of the parameter's kind, in words (not Python's)."""
        if not text.strip():
            return self.tr("needs a value")
        if param.kind == "int":
            return self.tr("must be a whole number, such as 64")
        if param.kind == "float":
            return self.tr("must be a number, such as 0.5 or 1/255")
        if param.kind == "shape":
            return self.tr("must be whole numbers separated by commas, such as 28, 28")
        return self.tr("not a valid {0}: {1}").format(param.kind, exc)

    def _finish(self, param: ParamSpec, text: str) -> None:
        ok, value = self._check(param, text)
        if ok:
            self._commit(param, value)
        elif self.node_name is not None and param.name in self.errors:  # said where the user looks: not applied
            kept = self.document.graph.node(self.node_name).config.get(param.name)
            self.errors[param.name].setText(self.tr("{0}; the layer keeps {1}").format(
                self.errors[param.name].text(), show(kept) or self.tr("no value")))

    def _commit(self, param: ParamSpec, value) -> None:
        name = self.node_name
        if name is None or self.document.graph.node(name).config.get(param.name) == value:
            return
        try:
            self.document.push(commands.SetParam(self.document.graph, name, param.name, value))
        except GraphError as exc:
            self.errors[param.name].setText(str(exc))

    def _external_change(self, name, key, old, new) -> None:
        """An undo or redo changed a value: show it."""
        editor = self.editors.get(key) if name == self.node_name else None
        if isinstance(editor, QLineEdit) and not editor.hasFocus():
            editor.setText(show(new))
            editor.setStyleSheet("")
            self.errors[key].hide()
        elif isinstance(editor, QCheckBox):
            editor.blockSignals(True)
            editor.setChecked(bool(new))
            editor.blockSignals(False)
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(show(new) if isinstance(new, dict) else str(new))

    def _outputs_changed(self, outputs) -> None:
        """The outputs changed elsewhere (the canvas, its menus, an undo): tick the box to match."""
        if self.output_box is not None and self.node_name is not None:
            self.output_box.blockSignals(True)
            self.output_box.setChecked(self.node_name in outputs)
            self.output_box.blockSignals(False)
