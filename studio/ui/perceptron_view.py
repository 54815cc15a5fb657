"""Labs 1 and 2: the perceptron learning rule on two features, its decision boundary animated.

The rule itself is ``studio.classroom.perceptron`` (NumPy, milliseconds); the
view replays the recorded weights after each update with a timer, so the line
visibly jumps after every mistake. The settings are saved in the lab folder,
where the lab's check reads them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from studio.classroom.labs import save_perceptron
from studio.classroom.perceptron import PerceptronData, class_names, load_perceptron_data, train_perceptron
from studio.data.errors import DataError
from studio.ui.language import epochs as count_epochs

FRAME_MS = 40          # one recorded update per frame
MAX_FRAMES = 150       # long runs skip frames so the animation lasts at most ~6 s


class PerceptronView(QWidget):
    changed = Signal()  # the settings were saved

    def __init__(self, parent=None):
        super().__init__(parent)
        self.folder: Path | None = None
        self.settings: dict = {}
        self.data: PerceptronData | None = None
        self.frames: list = []
        self.positive = QComboBox()
        self.rate = QDoubleSpinBox(decimals=3, minimum=0.001, maximum=100.0, singleStep=0.1, value=1.0)
        self.epochs = QSpinBox(minimum=1, maximum=1000, value=10)
        self.run_button = QPushButton(self.tr("Run the perceptron rule"))
        self.status = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow(self.tr("Class to recognise:"), self.positive)
        form.addRow(self.tr("Learning rate η:"), self.rate)
        form.addRow(self.tr("Epochs at most:"), self.epochs)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(220)
        self.plot.addLegend(offset=(5, 5))
        self.others = self.plot.plot([], [], pen=None, symbol="o", symbolSize=6, symbolBrush=(160, 160, 160),
                                     symbolPen=None, name=self.tr("others"))
        self.chosen = self.plot.plot([], [], pen=None, symbol="t", symbolSize=8, symbolBrush=(31, 119, 180),
                                     symbolPen=None, name=self.tr("chosen class"))
        self.boundary = self.plot.plot([], [], pen=pg.mkPen((214, 39, 40), width=2))
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.plot, stretch=1)
        layout.addWidget(self.status)
        self.timer = QTimer(self, interval=FRAME_MS)
        self.timer.timeout.connect(self._next_frame)
        self.run_button.clicked.connect(self.run)
        self.positive.currentIndexChanged.connect(self._load_points)

    def set_lab(self, settings: dict, folder: Path) -> None:
        """Show the student's settings (``labs.load_perceptron``) for the lab in ``folder``."""
        self.timer.stop()
        self.folder, self.settings = Path(folder), dict(settings)
        features = settings["features"]
        self.plot.setLabel("bottom", features[0])
        self.plot.setLabel("left", features[1])
        self.rate.setValue(float(settings.get("learning_rate", 1.0)))
        self.epochs.setValue(int(settings.get("epochs", 10)))
        try:
            names = class_names(settings["data"], settings["target"])
        except (DataError, KeyError) as exc:
            self.status.setText(str(exc))
            return
        self.positive.blockSignals(True)
        self.positive.clear()
        self.positive.addItems(names)
        self.positive.setCurrentText(settings["positive"])
        self.positive.blockSignals(False)
        self._load_points()
        self.status.setText(self.tr("Press Run to watch the rule learn."))

    def _load_points(self) -> None:
        if not self.settings:
            return
        try:
            self.data = load_perceptron_data(self.settings["data"], self.settings["features"],
                                             self.settings["target"], self.positive.currentText())
        except DataError as exc:
            self.status.setText(str(exc))
            return
        x, y = self.data.x, self.data.y
        self.others.setData(x[y == 0, 0], x[y == 0, 1])
        self.chosen.setData(x[y == 1, 0], x[y == 1, 1])
        self.boundary.setData([], [])
        pad = 0.1 * (x.max(axis=0) - x.min(axis=0))
        self.plot.setXRange(x[:, 0].min() - pad[0], x[:, 0].max() + pad[0], padding=0)
        self.plot.setYRange(x[:, 1].min() - pad[1], x[:, 1].max() + pad[1], padding=0)
        self.plot.disableAutoRange()

    def current_settings(self) -> dict:
        return {**self.settings, "positive": self.positive.currentText(), "learning_rate": self.rate.value(),
                "epochs": self.epochs.value()}

    def run(self) -> None:
        """Run the rule with the chosen settings, save them for the check, and animate the result."""
        if self.data is None or self.folder is None:
            return
        self.settings = self.current_settings()
        save_perceptron(self.folder, self.settings)
        self.changed.emit()
        self.result = train_perceptron(self.data, self.rate.value(), self.epochs.value(),
                                       int(self.settings.get("seed", 42)))
        steps = self.result.steps
        stride = max(1, len(steps) // MAX_FRAMES)
        self.frames = steps[::stride] + ([steps[-1]] if (len(steps) - 1) % stride else [])
        self.frame = 0
        self.timer.start()

    def _next_frame(self) -> None:
        if self.frame >= len(self.frames):
            self.timer.stop()
            self._summary()
            return
        w, b = self.frames[self.frame]
        self._draw_line(w, b)
        self.status.setText(self.tr("Update {0} of {1}").format(self.frame + 1, len(self.frames)))
        self.frame += 1

    def _draw_line(self, w: np.ndarray, b: float) -> None:
        (x0, x1), (y0, y1) = self.plot.viewRange()
        if abs(w[1]) > 1e-12:  # w0 x + w1 y + b = 0  ->  y = -(w0 x + b) / w1
            xs = np.array([x0, x1])
            self.boundary.setData(xs, -(w[0] * xs + b) / w[1])
        elif abs(w[0]) > 1e-12:
            x = -b / w[0]
            self.boundary.setData([x, x], [y0, y1])
        else:
            self.boundary.setData([], [])

    def _summary(self) -> None:
        run = self.result
        accuracy = run.accuracy(self.data)
        errors = ", ".join(str(e) for e in run.errors)
        if run.converged:
            text = self.tr("Converged after {0}: mistakes per epoch {1}. Training accuracy {2:.3f}.")
        else:
            text = self.tr("Did not converge in {0}: mistakes per epoch {1}. Training accuracy {2:.3f}.")
        self.status.setText(text.format(count_epochs(len(run.errors)), errors, accuracy))
