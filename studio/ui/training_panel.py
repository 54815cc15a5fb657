"""Training settings, Train / Stop / Continue, progress and live curves, then the test results."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QProgressBar, QPushButton, QScrollArea, QSizePolicy, QSpinBox, QSplitter, QVBoxLayout, QWidget)

from studio.training.settings import OPTIMIZERS, DEFAULT_LEARNING_RATES
from studio.ui import commands
from studio.ui.callbacks_editor import CallbacksEditor
from studio.ui.document import ProjectDocument
from studio.ui.outputs_editor import OutputsEditor
from studio.ui.worker import TrainingRunner

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
REDRAW_MS = 1000   # curves; measured in benchmarks/ui_latency.py (each repaint costs the training thread)
PROGRESS_MS = 200  # progress bar and status text


class TrainingPanel(QWidget):
    """Emits ``message`` for the status bar and ``trained`` (TrainingResult, Results) when a run has finished."""

    message = Signal(str)
    trained = Signal(object, object)

    def __init__(self, document: ProjectDocument, runner: TrainingRunner | None = None, parent=None):
        super().__init__(parent)
        self.document = document
        self.runner = runner or TrainingRunner(self)
        self.ready = True  # set False by the window until TensorFlow has loaded
        self.blocked = lambda: False  # the window says when a search or the finder is using the machine
        self.before_start = lambda: None  # the window writes its recovery file before each run
        self._pending = None
        self.outputs = OutputsEditor(document)
        self.callbacks = CallbacksEditor(document)
        self.optimizer = QComboBox()
        self.optimizer.addItems(OPTIMIZERS)
        self.rate = QLineEdit()
        self.epochs = QSpinBox(minimum=1, maximum=100000)
        self.batch = QSpinBox(minimum=1, maximum=65536)
        self.seed = QSpinBox(minimum=0, maximum=2 ** 31 - 1)
        form = QFormLayout()
        form.addRow(self.outputs)
        form.addRow(self.tr("Optimizer"), self.optimizer)
        form.addRow(self.tr("Learning rate"), self.rate)
        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("Batch size"), self.batch)
        form.addRow(self.tr("Seed"), self.seed)
        self.train_button, self.stop_button = QPushButton(self.tr("Train")), QPushButton(self.tr("Stop"))
        self.continue_button = QPushButton(self.tr("Continue"))
        self.stop_button.setEnabled(False)
        self.continue_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.train_button, self.stop_button, self.continue_button):
            buttons.addWidget(button)
        self.progress_bar = QProgressBar()
        self.status = QLabel(self.tr("Ready"))
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)  # new text never re-lays out the panel
        self.plot = pg.PlotWidget(background="w")
        self.plot.addLegend()
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        callbacks_title = QLabel("<b>" + self.tr("Callbacks") + "</b>")
        settings = QWidget()
        column = QVBoxLayout(settings)
        column.addLayout(form)
        column.addWidget(callbacks_title)
        column.addWidget(self.callbacks)
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        scroll.setWidget(settings)
        run = QWidget()
        run_layout = QVBoxLayout(run)
        run_layout.setContentsMargins(0, 0, 0, 0)
        run_layout.addLayout(buttons)
        run_layout.addWidget(self.progress_bar)
        run_layout.addWidget(self.status)
        run_layout.addWidget(self.plot, stretch=1)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(run)
        self.splitter.setSizes([360, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.history: dict[str, list[float]] = {}
        self.batch_curve = self.plot.plot([], [], pen=pg.mkPen("#bbbbbb", width=1), name="loss (batches)")
        self.batch_points: list[tuple[float, float]] = []
        self._y_range = None
        self._dirty_plot = False
        self._timer = QTimer(self, interval=REDRAW_MS, timeout=self._redraw)
        self._timer.start()
        self._connect()
        document.graph_replaced.connect(self.load_settings)
        document.edited.connect(self.load_settings)  # undo and redo of a setting show at once
        document.validated.connect(lambda _: self.outputs.load())  # outputs added or removed
        self.load_settings()

    # -- settings --------------------------------------------------------------------------

    def load_settings(self) -> None:
        t = self.document.project.training
        self.outputs.load()
        self.callbacks.load()
        widgets = (self.optimizer, self.rate, self.epochs, self.batch, self.seed)
        for w in widgets:
            w.blockSignals(True)
        optimizer = t.get("optimizer", {"class_name": "Adam", "config": {}})
        self.optimizer.setCurrentText(optimizer.get("class_name", "Adam"))
        rate = optimizer.get("config", {}).get("learning_rate",
                                               DEFAULT_LEARNING_RATES.get(optimizer.get("class_name"), 0.001))
        self.rate.setText(f"{rate:g}")
        self.epochs.setValue(int(t.get("epochs", 10)))
        self.batch.setValue(int(t.get("batch_size", 32)))
        self.seed.setValue(int(t.get("seed", 42)))
        for w in widgets:
            w.blockSignals(False)

    def _set(self, key: str, value) -> None:
        training = self.document.project.training
        if training.get(key) != value:
            self.document.push(commands.SetSection(training, key, value, key.replace("_", " ")))

    def _set_optimizer(self) -> None:
        try:
            rate = float(self.rate.text())
            self.rate.setStyleSheet("")
        except ValueError:
            self.rate.setStyleSheet("border: 1px solid #d62728;")
            return
        old = self.document.project.training.get("optimizer", {})
        config = dict(old.get("config", {}) if old.get("class_name") == self.optimizer.currentText() else {})
        config["learning_rate"] = rate
        self._set("optimizer", {"class_name": self.optimizer.currentText(), "config": config})

    def _connect(self) -> None:
        self.optimizer.activated.connect(lambda _: self._set_optimizer())
        self.rate.editingFinished.connect(self._set_optimizer)
        self.epochs.valueChanged.connect(lambda v: self._set("epochs", v))
        self.batch.valueChanged.connect(lambda v: self._set("batch_size", v))
        self.seed.valueChanged.connect(lambda v: self._set("seed", v))
        self.train_button.clicked.connect(lambda: self.start(fresh=True))
        self.continue_button.clicked.connect(lambda: self.start(fresh=False))
        self.stop_button.clicked.connect(self.stop)
        r = self.runner
        r.started.connect(self._started)
        r.progress.connect(self._progress)
        r.epoch_ended.connect(self._epoch_ended)
        r.finished.connect(self._finished)
        r.failed.connect(self._failed)

    # -- running ---------------------------------------------------------------------------

    def start(self, fresh: bool = True) -> None:
        if not self.ready:  # TensorFlow is still loading: start as soon as it has
            self._pending = fresh
            self.status.setText(self.tr("Waiting for TensorFlow to load…"))
            return
        if self.blocked():
            self.message.emit(self.tr("A search or the learning-rate finder is running; stop it first (Tune tab)"))
            return
        if not self.document.report.ok:
            self.message.emit(self.tr("The model has errors; see the red badges on the canvas"))
            QMessageBox.warning(self, self.tr("Cannot train"), "\n".join(str(p) for p in self.document.report.errors[:10]))
            return
        from studio.training.engine import TrainingError
        self.before_start()
        try:
            self.runner.train(self.document.project, 0 if fresh else self.epochs.value(), fresh)
        except TrainingError as exc:
            QMessageBox.warning(self, self.tr("Cannot train"), str(exc))
            return
        if fresh:
            self._clear_plot()
        self.train_button.setEnabled(False)
        self.continue_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status.setText(self.tr("Preparing data and model…"))

    def tensorflow_ready(self) -> None:
        self.ready = True
        if self._pending is not None:
            fresh, self._pending = self._pending, None
            self.start(fresh)

    def stop(self) -> None:
        self.runner.stop()
        self.status.setText(self.tr("Stopping after the current steps…"))

    def _started(self, info: dict) -> None:
        self._epochs = (info["initial_epoch"], info["epochs"])
        self._steps = info["steps_per_epoch"]
        self._t0 = time.perf_counter()
        self._shown = 0.0
        self.progress_bar.setRange(0, max((info["epochs"] - info["initial_epoch"]) * self._steps, 1))
        self.progress_bar.setValue(0)
        # Fixed ranges while training: an axis that re-ranges on every update makes each repaint
        # 2-3x dearer (measured in benchmarks/ui_latency.py); the y range only grows, in steps.
        self.plot.disableAutoRange()
        self.plot.setXRange(0, info["epochs"], padding=0.02)
        self._y_range = None

    def _progress(self, info: dict) -> None:
        first, last = self._epochs
        done = (info["epoch"] - first) * self._steps + info["batch"] + 1
        loss = info["logs"].get("loss")
        if loss is not None and np.isfinite(loss):
            self.batch_points.append((info["epoch"] + (info["batch"] + 1) / self._steps, loss))  # epoch e ends at e+1
            self._dirty_plot = True
        now = time.perf_counter()
        if now - self._shown < PROGRESS_MS / 1000:
            return  # the bar and text change at most 5 times a second: each change repaints
        self._shown = now
        self.progress_bar.setValue(done)
        elapsed = time.perf_counter() - self._t0
        left = elapsed / max(done, 1) * (self.progress_bar.maximum() - done)
        self.status.setText(self.tr("Epoch {0}/{1}, batch {2}/{3}, about {4:.0f} s left").format(
            info["epoch"] + 1, last, info["batch"] + 1, self._steps, left))

    def _epoch_ended(self, epoch: int, logs: dict) -> None:
        for key, value in logs.items():
            if key != "learning_rate":
                self.history.setdefault(key, []).append(value)
        self._dirty_plot = True

    def _redraw(self) -> None:
        """Curves are created once and updated with setData, at most every REDRAW_MS."""
        if not self._dirty_plot:
            return
        self._dirty_plot = False
        for i, (key, values) in enumerate(sorted(self.history.items())):
            base = key[4:] if key.startswith("val_") else key
            if key not in self.curves:
                color = PALETTE[sorted({k[4:] if k.startswith("val_") else k for k in self.history}).index(base)
                                % len(PALETTE)]
                style = Qt.DashLine if key.startswith("val_") else Qt.SolidLine
                self.curves[key] = self.plot.plot([], [], pen=pg.mkPen(color, width=2, style=style),
                                                  symbol="o", symbolSize=5, name=key)
            self.curves[key].setData(np.arange(1, len(values) + 1), values)
        if self.batch_points:
            points = np.array(self.batch_points)
            weights = np.exp(np.linspace(-3, 0, 8))
            smooth = np.convolve(points[:, 1], weights / weights.sum(), mode="valid") if len(points) >= 8 else points[:, 1]
            self.batch_curve.setData(points[len(points) - len(smooth):, 0], smooth)
        self._fit_y()

    def _fit_y(self) -> None:
        """Grow the y range (by half again) only when a value falls outside it."""
        if self.plot.getViewBox().autoRangeEnabled()[1]:
            return
        arrays = [np.asarray(curve.getData()[1], dtype=float) for curve in (*self.curves.values(), self.batch_curve)
                  if curve.getData()[1] is not None and len(curve.getData()[1])]
        values = np.concatenate(arrays) if arrays else np.empty(0)
        values = values[np.isfinite(values)]
        if not len(values):
            return
        lo, hi = float(values.min()), float(values.max())
        if self._y_range is None or lo < self._y_range[0] or hi > self._y_range[1]:
            low = min(0.0, lo * 1.5) if lo < 0 else 0.0
            self._y_range = (low, hi * 1.5 if hi > 0 else 1.0)
            self.plot.setYRange(*self._y_range, padding=0)

    def _clear_plot(self) -> None:
        for curve in self.curves.values():
            self.plot.removeItem(curve)
        self.curves, self.history, self.batch_points = {}, {}, []
        self.batch_curve.setData([], [])

    def _idle(self) -> None:
        self.train_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.continue_button.setEnabled(self.runner.job is not None and self.runner.job.model is not None)

    def _finished(self, result, results) -> None:
        self._idle()
        self._dirty_plot = True
        self._redraw()
        self.plot.enableAutoRange()  # the finished run fills the plot
        words = {"completed": self.tr("Finished after {0} epochs"), "stopped": self.tr("Stopped after {0} epochs"),
                 "early_stopped": self.tr("Stopped early (no improvement) after {0} epochs"),
                 "nan": self.tr("Stopped: the loss became NaN; the last good weights were kept. {0} epochs")}
        self.status.setText(words.get(result.reason, result.reason + " ({0})").format(result.epochs_done))
        self.message.emit(self.status.text())
        self.trained.emit(result, results)

    def _failed(self, message: str, details: str) -> None:
        self._idle()
        self.plot.enableAutoRange()
        self.status.setText(self.tr("Training failed"))
        box = QMessageBox(QMessageBox.Critical, self.tr("Training failed"), message, parent=self)
        box.setDetailedText(details)
        box.setModal(False)
        box.show()
        self.error_box = box
        self.message.emit(self.tr("Training failed: {0}").format(message))
