"""Results of the last run (test metrics, confusion matrix, mistakes, predicted vs true) and earlier runs.

Everything shown is computed on the worker thread (studio.training.results);
this panel only draws it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from studio.ui.image_grid import ImageGrid

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


class ResultsPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary = QLabel(self.tr("Train a model to see its results on the test split."))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.matrix = QTableWidget()
        self.matrix.setEditTriggers(QTableWidget.NoEditTriggers)
        self.mistakes = ImageGrid(56)
        self.mistakes_note = QLabel()
        mistakes = QWidget()
        box = QVBoxLayout(mistakes)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.mistakes_note)
        box.addWidget(self.mistakes)
        self.scatter = pg.PlotWidget(background="w")
        self.scatter.setLabel("bottom", "true value")
        self.scatter.setLabel("left", "predicted value")
        self.scatter.showGrid(x=True, y=True, alpha=0.3)
        self.scatter_points = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(31, 119, 180, 120))
        self.scatter_line = pg.PlotDataItem([], [], pen=pg.mkPen("#d62728", width=1, style=Qt.DashLine))
        self.scatter.addItem(self.scatter_points)
        self.scatter.addItem(self.scatter_line)
        self.tabs.addTab(self.matrix, self.tr("Confusion matrix"))
        self.tabs.addTab(mistakes, self.tr("Mistakes"))
        self.tabs.addTab(self.scatter, self.tr("Predicted vs true"))
        self.tabs.addTab(self._runs_tab(), self.tr("Runs"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, stretch=1)
        self.results = None
        self.runs: list[dict] = []   # {"label", "history", "metrics", "dir"}
        self._show_tabs(None)

    def _runs_tab(self) -> QWidget:
        tab = QWidget()
        self.runs_list = QListWidget()
        self.runs_metric = QComboBox()
        self.runs_plot = pg.PlotWidget(background="w")
        self.runs_plot.addLegend()
        self.runs_plot.setLabel("bottom", "epoch")
        self.runs_plot.showGrid(x=True, y=True, alpha=0.3)
        self.run_curves: list[pg.PlotDataItem] = []
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Compare")))
        row.addWidget(self.runs_metric, stretch=1)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.runs_list, stretch=1)
        layout.addWidget(self.runs_plot, stretch=2)
        self.runs_list.itemChanged.connect(lambda _: self.draw_runs())
        self.runs_metric.activated.connect(lambda _: self.draw_runs())
        return tab

    # -- the last run ------------------------------------------------------------------------

    def show_results(self, results, reason: str = "") -> None:
        self.results = results
        metrics = "".join(f"<tr><td>{k}</td><td align='right'>&nbsp;{v:.4f}</td></tr>"
                          for k, v in results.test.items())
        extra = ""
        if results.confusion is not None:
            extra = "<br>" + self.tr("{0} of {1} test rows misclassified").format(
                f"{results.mistakes_total:,}", f"{int(results.confusion.sum()):,}")
        title = self.tr("Test split")
        self.summary.setText(f"<b>{title}</b>{f' ({reason})' if reason else ''}<table>{metrics}</table>{extra}")
        if results.confusion is not None:
            self._fill_matrix(results.confusion, results.class_names)
        self._fill_mistakes(results)
        if results.predicted is not None:
            self._fill_scatter(results.truth, results.predicted)
        self._show_tabs(results)

    def _show_tabs(self, results) -> None:
        classification = results is not None and results.confusion is not None
        self.tabs.setTabVisible(0, classification)
        self.tabs.setTabVisible(1, classification and results.mistake_images is not None)
        self.tabs.setTabVisible(2, results is not None and results.predicted is not None)
        # a new result is shown on its first view; before any result, the runs
        self.tabs.setCurrentIndex(next((i for i in range(3) if self.tabs.isTabVisible(i)), 3))

    def _fill_matrix(self, matrix: np.ndarray, names: list[str]) -> None:
        n = len(names)
        self.matrix.setRowCount(n)
        self.matrix.setColumnCount(n)
        self.matrix.setHorizontalHeaderLabels([f"→ {name}" for name in names])
        self.matrix.setVerticalHeaderLabels(list(names))
        self.matrix.setToolTip(self.tr("Rows: the true class. Columns: the class the model predicted."))
        top = max(int(matrix.max()), 1)
        for i in range(n):
            for j in range(n):
                count = int(matrix[i, j])
                item = QTableWidgetItem(f"{count:,}")
                item.setTextAlignment(Qt.AlignCenter)
                shade = int(255 - 140 * count / top)
                item.setBackground(pg.mkColor(shade, shade, 255) if i == j else pg.mkColor(255, shade, shade))
                row_total = max(int(matrix[i].sum()), 1)
                item.setToolTip(self.tr("true {0}, predicted {1}: {2} ({3:.1f}% of the {0} rows)").format(
                    names[i], names[j], f"{count:,}", 100 * count / row_total))
                self.matrix.setItem(i, j, item)
        self.matrix.resizeColumnsToContents()

    def _fill_mistakes(self, results) -> None:
        if results.mistake_images is None:
            self.mistakes.clear()
            return
        names = results.class_names
        captions = [f"{names[m.truth]} → {names[m.predicted]}\n{100 * m.confidence:.0f}%" for m in results.mistakes]
        tip = self.tr("test image {0}: true {1}, predicted {2} with {3:.1f}% confidence")
        tips = [tip.format(m.index, names[m.truth], names[m.predicted], 100 * m.confidence) for m in results.mistakes]
        self.mistakes.set_images(results.mistake_images, captions, tips)
        shown = len(results.mistakes)
        self.mistakes_note.setText(self.tr("The {0} most confident of {1} mistakes (true → predicted, confidence)")
                                   .format(shown, f"{results.mistakes_total:,}"))

    def _fill_scatter(self, truth: np.ndarray, predicted: np.ndarray) -> None:
        self.scatter_points.setData(truth, predicted)
        lo = float(min(truth.min(), predicted.min()))
        hi = float(max(truth.max(), predicted.max()))
        self.scatter_line.setData([lo, hi], [lo, hi])

    # -- runs --------------------------------------------------------------------------------

    def add_run(self, label: str, history: dict, metrics: dict, folder: str | None = None) -> None:
        """A run of this session (already on disk when ``folder`` is given)."""
        self.runs = [r for r in self.runs if not folder or r.get("dir") != folder]
        self.runs.append({"label": label, "history": history, "metrics": metrics, "dir": folder})
        self._fill_runs(check_last=True)

    def load_runs(self, records: list[dict]) -> None:
        """Runs recorded beside the project (studio.training.runs.list_runs)."""
        self.runs = []
        for record in records:
            try:
                history = json.loads((Path(record["dir"]) / "history.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a run without a readable history is skipped
            label = self.tr("{0} · {1} epochs").format(Path(record["dir"]).name, record.get("epochs", "?"))
            self.runs.append({"label": label,
                              "history": history, "metrics": record.get("metrics", {}), "dir": record["dir"]})
        self._fill_runs(check_last=False)

    def _fill_runs(self, check_last: bool) -> None:
        checked = {self.runs_list.item(i).data(Qt.UserRole) for i in range(self.runs_list.count())
                   if self.runs_list.item(i).checkState() == Qt.Checked}
        self.runs_list.blockSignals(True)
        self.runs_list.clear()
        for i, run in enumerate(self.runs):
            test = run["metrics"].get("test", {})
            shown = ", ".join(f"{k} {v:.4f}" for k, v in list(test.items())[:3])
            item = QListWidgetItem(run["label"] + (self.tr(" — test {0}").format(shown) if shown else ""))
            item.setData(Qt.UserRole, run.get("dir") or run["label"])
            on = item.data(Qt.UserRole) in checked or (check_last and i == len(self.runs) - 1)
            item.setCheckState(Qt.Checked if on else Qt.Unchecked)
            self.runs_list.addItem(item)
        self.runs_list.blockSignals(False)
        keys = sorted({k for run in self.runs for k in run["history"] if k != "learning_rate"})
        current = self.runs_metric.currentText() or "val_loss"
        self.runs_metric.clear()
        self.runs_metric.addItems(keys)
        self.runs_metric.setCurrentText(current if current in keys else (keys[0] if keys else ""))
        self.draw_runs()

    def draw_runs(self) -> None:
        for curve in self.run_curves:
            self.runs_plot.removeItem(curve)
        self.run_curves = []
        key = self.runs_metric.currentText()
        self.runs_plot.setLabel("left", key)
        for i in range(self.runs_list.count()):
            if self.runs_list.item(i).checkState() != Qt.Checked:
                continue
            values = self.runs[i]["history"].get(key, [])
            pen = pg.mkPen(PALETTE[i % len(PALETTE)], width=2)
            self.run_curves.append(self.runs_plot.plot(np.arange(1, len(values) + 1), values, pen=pen,
                                                       symbol="o", symbolSize=4, name=self.runs[i]["label"]))


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(ResultsPanel)
