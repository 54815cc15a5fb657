"""One row typed by hand: a field per feature a table model was trained with.

A number gets a spin box bounded by the range of the training data (with room
on either side, so a student can ask "what if"), a category a list of the
categories the model knows, a yes/no a check box. Each starts at the value
training fills a missing cell with. ``values()`` gives the row as the text
cells a CSV would hold, so it is predicted exactly as a file's row is.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QWidget

MARGIN = 0.5  # how far past the training range a spin box goes, as a share of that range


class FeatureForm(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.editors: dict[str, QWidget] = {}

    def build(self, features: list[dict], ranges: dict[str, tuple[float, float]], unused=()) -> None:
        """Fields for ``features`` (a FeatureEncoder's: name, kind, fill, categories); the ``unused`` ones (that
        feed none of the model's inputs) are shown greyed, saying so."""
        while self.layout_.rowCount():
            self.layout_.removeRow(0)
        self.editors = {}
        for feature in features:
            name, kind = feature["name"], feature["kind"]
            if kind == "numeric":
                editor = QDoubleSpinBox()
                editor.setDecimals(4)
                lo, hi = ranges.get(name, (None, None))
                if lo is None:
                    editor.setRange(-1e9, 1e9)
                else:
                    room = (hi - lo) * MARGIN or 1.0
                    editor.setRange(lo - room, hi + room)
                    editor.setSingleStep(max((hi - lo) / 100, 1e-4))
                    editor.setToolTip(self.tr("In the training data: {0:g} to {1:g}").format(lo, hi))
                    editor.setDecimals(_decimals(lo, hi))
                editor.setValue(float(feature.get("fill", 0.0)))
                editor.valueChanged.connect(self.changed)
            elif kind == "boolean":
                editor = QCheckBox()
                editor.setChecked(bool(feature.get("fill")))
                editor.toggled.connect(self.changed)
            else:
                editor = QComboBox()
                editor.addItems([str(c) for c in feature.get("categories") or []])
                editor.setCurrentText(str(feature.get("fill", "")))
                editor.currentIndexChanged.connect(self.changed)
            if name in unused:
                editor.setEnabled(False)
                editor.setToolTip(self.tr("The model does not use this column: it feeds none of its inputs"))
            self.editors[name] = editor
            self.layout_.addRow(name, editor)

    def values(self) -> dict[str, str]:
        """The row as text cells, by feature name."""
        row = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QDoubleSpinBox):
                row[name] = repr(editor.value())
            elif isinstance(editor, QCheckBox):
                row[name] = "true" if editor.isChecked() else "false"
            else:
                row[name] = editor.currentText()
        return row


def _decimals(lo: float, hi: float) -> int:
    """Decimals enough to step through a range of this size a hundredth at a time (a year: 0, 0.1-0.9: 3)."""
    span = abs(hi - lo)
    if span <= 0:
        return 2
    return int(min(6, max(0, 2 - math.floor(math.log10(span)))))
