"""Recorded runs (training, search trials, learning-rate finder): listed with settings and final metrics,
sorted and filtered by a metric, overlaid for comparison, deleted, or opened in TensorBoard.

The panel only shows; the window does the file work when ``delete_requested``
or ``tensorboard_requested`` is emitted.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from studio.core.metrics import lower_is_better
from studio.core.schema import learning_rate_of
from studio.training.run_records import RUN_KINDS
from studio.ui import language

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
_FILTER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*([-+0-9.eE]+)\s*$")


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def summary(run: dict) -> str:
    """A short line of a run's settings: hidden units, optimizer and learning rate, batch size.

    A record is a file: a part of the wrong type is left out of the line.
    """
    training = _dict(run.get("training"))
    layers = _dict(run.get("graph")).get("layers")
    layers = [_dict(layer) for layer in layers] if isinstance(layers, list) else []
    units = [str(_dict(l.get("config")).get("units")) for l in layers if l.get("class_name") == "Dense"][:-1]
    optimizer = _dict(training.get("optimizer"))  # the record's own: no default filled in
    rate = learning_rate_of(training)
    name = optimizer.get("class_name")
    parts = []
    if units:
        parts.append("hidden " + "-".join(u[:12] for u in units))
    if isinstance(name, str) and name:
        known = isinstance(rate, (int, float)) and not isinstance(rate, bool) and math.isfinite(rate)
        parts.append(f"{name[:30]} {rate:g}" if known else name[:30])
    batch = training.get("batch_size")
    if isinstance(batch, int) and not isinstance(batch, bool) and batch > 0:
        parts.append(f"batch {batch}")
    return ", ".join(parts)


def final_value(run: dict, key: str) -> float | None:
    values = [v for v in run.get("history", {}).get(key, []) if isinstance(v, (int, float)) and math.isfinite(v)]
    return values[-1] if values else None


def _swatch(color: str) -> QIcon:
    """A small square of a curve's colour, beside its run in the list (the legend)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class RunsPanel(QWidget):
    delete_requested = Signal(list)        # run folders
    tensorboard_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runs: list[dict] = []   # {"label", "history", "metrics", "dir", "kind", "training", "graph"}
        self.metric = QComboBox()
        self.sort = QComboBox()
        for key, label in (("oldest", self.tr("oldest first")), ("newest", self.tr("newest first")),
                           ("best", self.tr("best final value first"))):
            self.sort.addItem(label, key)
        self.filter = QLineEdit(placeholderText=self.tr("filter, e.g. val_accuracy >= 0.9"))
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setSelectionMode(QListWidget.ExtendedSelection)
        self.delete_button = QPushButton(self.tr("Delete Selected…"))
        self.tensorboard_button = QPushButton(self.tr("Open in TensorBoard"))
        self.note = QLabel()
        self.plot = pg.PlotWidget(background="w")
        # no legend over the curves: each ticked run's line in the list carries its curve's colour
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.curves: list[pg.PlotDataItem] = []
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Compare")))
        top.addWidget(self.metric, stretch=1)
        top.addWidget(self.sort)
        buttons = QHBoxLayout()
        buttons.addWidget(self.filter, stretch=1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.tensorboard_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.list, stretch=1)
        layout.addWidget(self.plot, stretch=2)
        self.list.itemChanged.connect(lambda _: self.draw())
        self.metric.activated.connect(lambda _: self.fill())
        self.sort.activated.connect(lambda _: self.fill())
        self.filter.textChanged.connect(lambda _: self.fill())
        self.delete_button.clicked.connect(self._delete)
        self.tensorboard_button.clicked.connect(self.tensorboard_requested)
        self.note.hide()
        self._enable_tensorboard()

    # -- content ----------------------------------------------------------------------------

    def set_runs(self, runs: list[dict], check_last: bool = False) -> None:
        checked = self.checked_keys()
        if check_last and runs:
            checked.add(self._key(runs[-1]))
        self.runs = runs
        self._enable_tensorboard()
        keys = sorted({k for run in runs for k in run["history"] if k != "learning_rate"})
        current = self.metric.currentText() or "val_loss"
        self.metric.blockSignals(True)
        self.metric.clear()
        self.metric.addItems(keys)
        self.metric.setCurrentText(current if current in keys else (keys[0] if keys else ""))
        self.metric.blockSignals(False)
        self.fill(checked)

    def _enable_tensorboard(self) -> None:
        """TensorBoard reads the recorded runs' folders: nothing to show before the first one."""
        recorded = any(run.get("dir") for run in self.runs)
        self.tensorboard_button.setEnabled(recorded)
        self.tensorboard_button.setToolTip(
            self.tr("Show the recorded runs in TensorBoard, in the browser") if recorded
            else self.tr("Train the model once: TensorBoard shows the recorded runs."))

    @staticmethod
    def _key(run: dict) -> str:
        return run.get("dir") or run["label"]

    def checked_keys(self) -> set:
        return {self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.Checked}

    def shown_runs(self) -> list[dict]:
        """The runs in the list's order after filtering and sorting."""
        key = self.metric.currentText()
        runs = list(self.runs)
        self.note.hide()
        text = self.filter.text().strip()
        if text:
            match = _FILTER.match(text)
            if match is None:
                self.note.setText(self.tr("A filter reads METRIC >= VALUE (or >, <, <=), e.g. val_accuracy >= 0.9"))
                self.note.show()
            else:
                name, op, bound = match.group(1), match.group(2), float(match.group(3))
                compare = {">=": float.__ge__, "<=": float.__le__, ">": float.__gt__, "<": float.__lt__}[op]
                runs = [r for r in runs if final_value(r, name) is not None and compare(float(final_value(r, name)), bound)]
        order = self.sort.currentData()
        if order == "newest":
            runs.reverse()
        elif order == "best" and key:
            lower = lower_is_better(key)
            present = [r for r in runs if final_value(r, key) is not None]
            runs = sorted(present, key=lambda r: final_value(r, key), reverse=not lower) + \
                [r for r in runs if final_value(r, key) is None]
        return runs

    def fill(self, checked: set | None = None) -> None:
        checked = self.checked_keys() if checked is None else checked
        key = self.metric.currentText()
        self.list.blockSignals(True)
        self.list.clear()
        for run in self.shown_runs():
            value = final_value(run, key)
            kind = run.get("kind") if run.get("kind") in RUN_KINDS else "training"
            parts = [run["label"]] + ([language.term(kind)] if kind not in ("training", "import") else []) + \
                    ([summary(run)] if summary(run) else [])
            if value is not None:
                parts.append(f"{key} {value:.4g}")
            item = QListWidgetItem(" · ".join(parts))
            item.setData(Qt.UserRole, self._key(run))
            item.setCheckState(Qt.Checked if self._key(run) in checked else Qt.Unchecked)
            test = run["metrics"].get("test", {})
            if test:
                item.setToolTip(self.tr("test: {0}").format(", ".join(f"{k} {v:.4g}" for k, v in test.items())))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.draw()

    def draw(self) -> None:
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        key = self.metric.currentText()
        self.plot.setLabel("left", key)
        by_key = {self._key(r): r for r in self.runs}
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() != Qt.Checked:
                item.setIcon(QIcon())
                continue
            run = by_key[item.data(Qt.UserRole)]
            values = run["history"].get(key, [])
            color = PALETTE[i % len(PALETTE)]
            item.setIcon(_swatch(color))
            pen = pg.mkPen(color, width=2)
            self.curves.append(self.plot.plot(np.arange(1, len(values) + 1), values, pen=pen, symbol="o",
                                              symbolSize=4, symbolBrush=color, symbolPen=color,
                                              name=run["label"]))
        self.list.blockSignals(False)
        if self.curves:
            self.plot.enableAutoRange()
            self.plot.autoRange()  # at once, not at the next paint
        else:  # nothing ticked (or another project): no axes left over from the last curves
            self.plot.disableAutoRange()
            self.plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.02)

    def _delete(self) -> None:
        folders = [item.data(Qt.UserRole) for item in self.list.selectedItems()]
        folders = [f for f in folders if f and Path(f).is_dir()]
        if folders:
            self.delete_requested.emit(folders)
