"""Callbacks with their main parameters: each a checkable group stored in ``training.callbacks``."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QSpinBox,
                               QVBoxLayout, QWidget)

from studio.ui import commands
from studio.ui.document import ProjectDocument

MONITORS = ("val_loss", "val_accuracy", "loss", "accuracy", "val_mean_absolute_error")
NEEDS_FOLDER = "Writes into the project's runs folder, so the project must be saved first."


def _field(kind, value_key, default, **options):
    return {"kind": kind, "key": value_key, "default": default, **options}


# name -> (title, help, fields); defaults are the engine's (studio.training.callbacks)
SPECS = {
    "early_stopping": ("Stop early", "Stop when the monitored value has not improved for some epochs.", [
        _field("monitor", "monitor", "val_loss"), _field("int", "patience", 5, minimum=0, maximum=10000),
        _field("bool", "restore_best_weights", True)]),
    "reduce_lr_on_plateau": ("Reduce learning rate on plateau", "Multiply the learning rate by a factor when "
                             "the monitored value stops improving.", [
        _field("monitor", "monitor", "val_loss"), _field("float", "factor", 0.5, minimum=0.01, maximum=0.99),
        _field("int", "patience", 3, minimum=0, maximum=10000)]),
    "model_checkpoint": ("Keep the best model", "Save the best model so far as best.h5. " + NEEDS_FOLDER, [
        _field("monitor", "monitor", "val_loss")]),
    "terminate_on_nan": ("Stop when the loss becomes NaN", "Keep the last good weights.", []),
    "tensorboard": ("TensorBoard logs", "Write logs TensorBoard can show. " + NEEDS_FOLDER, []),
    "csv_logger": ("CSV log of every epoch", "Write history.csv. " + NEEDS_FOLDER, []),
}


class CallbacksEditor(QWidget):
    edited = Signal()

    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.groups: dict[str, tuple[QGroupBox, dict]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for name, (title, help_text, fields) in SPECS.items():
            group = QGroupBox(title, checkable=True)
            group.setToolTip(help_text)
            form = QFormLayout(group)
            widgets = {}
            for spec in fields:
                widget = self._make(spec)
                widgets[spec["key"]] = widget
                form.addRow(spec["key"].replace("_", " ").capitalize(), widget) if spec["kind"] != "bool" \
                    else form.addRow(widget)
            if not fields:
                form.addRow(QLabel(help_text, wordWrap=True))
            group.toggled.connect(lambda _=False: self._store())
            layout.addWidget(group)
            self.groups[name] = (group, widgets)
        self.load()

    def _make(self, spec: dict) -> QWidget:
        kind = spec["kind"]
        if kind == "monitor":
            widget = QComboBox(editable=True)
            widget.addItems(MONITORS)
            widget.activated.connect(lambda _: self._store())
            widget.lineEdit().editingFinished.connect(self._store)
        elif kind == "int":
            widget = QSpinBox(minimum=spec["minimum"], maximum=spec["maximum"])
            widget.editingFinished.connect(self._store)
        elif kind == "float":
            widget = QDoubleSpinBox(minimum=spec["minimum"], maximum=spec["maximum"], singleStep=0.05)
            widget.editingFinished.connect(self._store)
        else:
            widget = QCheckBox(spec["key"].replace("_", " ").capitalize())
            widget.toggled.connect(lambda _=False: self._store())
        return widget

    def load(self) -> None:
        config = self.document.project.training.get("callbacks", {"terminate_on_nan": True}) or {}
        for name, (group, widgets) in self.groups.items():
            value = config.get(name)
            options = value if isinstance(value, dict) else {}
            for w in (group, *widgets.values()):
                w.blockSignals(True)
            group.setChecked(bool(value))
            for spec in SPECS[name][2]:
                widget, current = widgets[spec["key"]], options.get(spec["key"], spec["default"])
                if spec["kind"] == "monitor":
                    widget.setCurrentText(str(current))
                elif spec["kind"] == "bool":
                    widget.setChecked(bool(current))
                else:
                    widget.setValue(current)
            for w in (group, *widgets.values()):
                w.blockSignals(False)

    def values(self) -> dict:
        config = {}
        for name, (group, widgets) in self.groups.items():
            if not group.isChecked():
                continue
            fields = SPECS[name][2]
            if not fields:
                config[name] = True
                continue
            options = {}
            for spec in fields:
                widget = widgets[spec["key"]]
                options[spec["key"]] = (widget.currentText().strip() if spec["kind"] == "monitor" else
                                        widget.isChecked() if spec["kind"] == "bool" else widget.value())
            config[name] = options
        return config

    def _store(self) -> None:
        training = self.document.project.training
        value = self.values()
        if training.get("callbacks", {"terminate_on_nan": True}) != value:
            self.document.push(commands.SetSection(training, "callbacks", value, "callbacks"))
            self.edited.emit()


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(lambda: CallbacksEditor(ProjectDocument()))
