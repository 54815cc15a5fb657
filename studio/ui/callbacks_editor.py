"""Callbacks with their main parameters: each a checkable group stored in ``training.callbacks``."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QSpinBox,
                               QVBoxLayout, QWidget)

from studio.core import schema
from studio.ui import commands
from studio.ui.document import ProjectDocument
from studio.ui.language import translate

MONITORS = ("val_loss", "val_accuracy", "loss", "accuracy", "val_mean_absolute_error")
NEEDS_FOLDER = QT_TRANSLATE_NOOP("CallbacksEditor", "Writes into the project's runs folder, so the project must be "
                                                   "saved first.")
FIELD_LABELS = {"monitor": QT_TRANSLATE_NOOP("CallbacksEditor", "Monitor"),
                "patience": QT_TRANSLATE_NOOP("CallbacksEditor", "Patience"),
                "factor": QT_TRANSLATE_NOOP("CallbacksEditor", "Factor"),
                "restore_best_weights": QT_TRANSLATE_NOOP("CallbacksEditor", "Restore best weights")}


FLOAT_STEP = 0.01  # a float option's box steps by this; an open bound (0 < factor < 1) is one step inside


def _field(callback: str, kind: str, key: str) -> dict:
    """One option's box: its default and range are the project schema's (studio.core.schema.CALLBACKS),
    the ones the engine applies, never a copy."""
    option = schema.callback_options(callback).fields[key]
    spec = {"kind": kind, "key": key, "default": option.default}
    if kind in ("int", "float"):
        bounds = option.kind
        step = FLOAT_STEP if kind == "float" else 0
        spec["minimum"] = bounds.lo + (step if getattr(bounds, "lo_open", False) else 0)
        spec["maximum"] = bounds.hi - (step if getattr(bounds, "hi_open", False) else 0)
    return spec


# name -> (title, help, fields)
SPECS = {
    "early_stopping": (QT_TRANSLATE_NOOP("CallbacksEditor", "Stop early"),
                       QT_TRANSLATE_NOOP("CallbacksEditor", "Stop when the monitored value has not improved for "
                                                            "some epochs."), [
        _field("early_stopping", "monitor", "monitor"), _field("early_stopping", "int", "patience"),
        _field("early_stopping", "bool", "restore_best_weights")]),
    "reduce_lr_on_plateau": (QT_TRANSLATE_NOOP("CallbacksEditor", "Reduce learning rate on plateau"),
                             QT_TRANSLATE_NOOP("CallbacksEditor", "Multiply the learning rate by a factor when "
                                                                  "the monitored value stops improving."), [
        _field("reduce_lr_on_plateau", "monitor", "monitor"), _field("reduce_lr_on_plateau", "float", "factor"),
        _field("reduce_lr_on_plateau", "int", "patience")]),
    "model_checkpoint": (QT_TRANSLATE_NOOP("CallbacksEditor", "Keep the best model"),
                         QT_TRANSLATE_NOOP("CallbacksEditor", "Save the best model so far as best.h5."), [
        _field("model_checkpoint", "monitor", "monitor")]),
    "terminate_on_nan": (QT_TRANSLATE_NOOP("CallbacksEditor", "Stop when the loss becomes NaN"),
                         QT_TRANSLATE_NOOP("CallbacksEditor", "Keep the last good weights."), []),
    "tensorboard": (QT_TRANSLATE_NOOP("CallbacksEditor", "TensorBoard logs"),
                    QT_TRANSLATE_NOOP("CallbacksEditor", "Write logs TensorBoard can show."), []),
    "csv_logger": (QT_TRANSLATE_NOOP("CallbacksEditor", "CSV log of every epoch"),
                   QT_TRANSLATE_NOOP("CallbacksEditor", "Write history.csv."), []),
}


FOLDER_CALLBACKS = ("model_checkpoint", "tensorboard", "csv_logger")


class CallbacksEditor(QWidget):
    edited = Signal()

    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.groups: dict[str, tuple[QGroupBox, dict]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for name, (title, help_text, fields) in SPECS.items():
            title, help_text = translate("CallbacksEditor", title), translate("CallbacksEditor", help_text)
            if name in FOLDER_CALLBACKS:
                help_text += " " + translate("CallbacksEditor", NEEDS_FOLDER)
            group = QGroupBox(title, checkable=True)
            group.setToolTip(help_text)
            form = QFormLayout(group)
            widgets = {}
            for spec in fields:
                widget = self._make(spec)
                widgets[spec["key"]] = widget
                label = translate("CallbacksEditor", FIELD_LABELS[spec["key"]])
                form.addRow(label, widget) if spec["kind"] != "bool" else form.addRow(widget)
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
            widget = QCheckBox(translate("CallbacksEditor", FIELD_LABELS[spec["key"]]))
            widget.toggled.connect(lambda _=False: self._store())
        return widget

    def load(self) -> None:
        config = schema.TRAINING.value(self.document.project.training, "callbacks") or {}
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
        if schema.TRAINING.value(training, "callbacks") != value:
            self.document.push(commands.SetSection(training, "callbacks", value, "callbacks"))
            self.edited.emit()


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(lambda: CallbacksEditor(ProjectDocument()))
