"""Lab 3: activation functions and their derivatives, and a trained linear stack collapsed into one layer."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.classroom.activations import NAMES, collapse_linear, curve

COLOURS = {"step": (127, 127, 127), "sigmoid": (31, 119, 180), "tanh": (44, 160, 44), "relu": (214, 39, 40),
           "softplus": (148, 103, 189)}


class ActivationView(QWidget):
    collapse_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(220)
        self.plot.addLegend(offset=(5, 5))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        z = np.linspace(-5, 5, 401)
        self.curves = {}
        boxes = QHBoxLayout()
        for name in NAMES:
            value, slope = curve(name, z)
            colour = COLOURS[name]
            solid = self.plot.plot(z, value, pen=pg.mkPen(colour, width=2), name=name)
            dashed = self.plot.plot(z, slope, pen=pg.mkPen(colour, width=1, style=Qt.DashLine))
            self.curves[name] = (solid, dashed)
            box = QCheckBox(name, checked=name != "step")
            box.toggled.connect(lambda on, n=name: [c.setVisible(on) for c in self.curves[n]])
            for c in self.curves[name]:
                c.setVisible(box.isChecked())
            boxes.addWidget(box)
        self.plot.setYRange(-1.2, 2.2)
        self.collapse_button = QPushButton(self.tr("Collapse the trained linear layers"))
        self.result = QLabel(wordWrap=True)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Solid: the function. Dashed: its derivative, which backpropagation "
                                        "multiplies into every gradient."), wordWrap=True))
        layout.addLayout(boxes)
        layout.addWidget(self.plot, stretch=1)
        layout.addWidget(self.collapse_button)
        layout.addWidget(self.result)
        self.collapse_button.clicked.connect(self.collapse_requested)

    def collapse(self, chain: list[dict]) -> None:
        """Multiply out the longest run of activation-free Dense layers of a trained model (``linear_chain``'s
        run: {name, kernel, bias} each; the window's child reads it from the model file)."""
        if not chain:
            self.result.setText(self.tr("No two Dense layers in a row compute a linear function: every hidden "
                                        "layer has a non-linear activation, so the stack cannot be collapsed."))
            return
        chain = [{**layer, "kernel": np.asarray(layer["kernel"], np.float32),
                  "bias": np.asarray(layer["bias"], np.float32)} for layer in chain]
        pairs = [(layer["kernel"], layer["bias"]) for layer in chain]
        w, b = collapse_linear(pairs)
        x = np.random.default_rng(0).normal(size=(200, pairs[0][0].shape[0])).astype(np.float32)
        out = x
        for kernel, bias in pairs:  # layer by layer, each weighted sum fed to the next
            out = out @ kernel + bias
        difference = float(np.max(np.abs((x @ w + b) - out)))
        shapes = " → ".join(f"{layer['name']} {tuple(layer['kernel'].shape)}" for layer in chain)
        self.result.setText(self.tr("{0} collapse into one layer with weights of shape {1} and a bias of length "
                                    "{2}. On 200 random inputs the single layer and the stack differ by at most "
                                    "{3:.2g}.")
                            .format(shapes, tuple(w.shape), b.shape[0], difference))
