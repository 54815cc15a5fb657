"""Results of the last run (test metrics, confusion matrix, mistakes, predicted vs true) and earlier runs.

Everything shown is computed on the worker thread (studio.training.results);
this panel only draws it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget

from studio.core.graph import same_model
from studio.training.run_records import read_history
from studio.ui.image_grid import ImageGrid
from studio.ui.language import epochs as count_epochs
from studio.ui.runs_panel import RunsPanel


NEW_MARK = "● "  # before the Results tab's title while it holds results not yet looked at
NEW_COLOR = "#1f77b4"


class ResultsPanel(QWidget):
    """Given the document (or, failing that, its window's), it clears the last run's results when the
    project is replaced (File > New, Open, Import Model); the runs list is the window's to reload."""

    def __init__(self, document=None, parent=None):
        super().__init__(parent)
        self.document = None
        self.summary = QLabel(self._placeholder())
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.stale = QLabel(self.tr("These results are from the model as it was before your last changes; "
                                    "train again to see how the changed model does."))
        self.stale.setWordWrap(True)
        self.stale.setStyleSheet("color: #777777;")
        self.stale.hide()
        self._model = None  # the graph record of the model the shown results are from
        self.tabs = QTabWidget()
        self.matrix = QTableWidget()
        self.matrix.setEditTriggers(QTableWidget.NoEditTriggers)
        matrix = QWidget()  # the matrix says which way it reads, not only in a tooltip
        box = QVBoxLayout(matrix)
        box.setContentsMargins(0, 0, 0, 0)
        self.matrix_note = QLabel(self.tr("Rows: the true class. Columns (→): the class the model predicted. "
                                          "The diagonal counts the right answers."), wordWrap=True)
        box.addWidget(self.matrix_note)
        box.addWidget(self.matrix)
        self.mistakes = ImageGrid(56)
        self.mistakes_note = QLabel()
        mistakes = QWidget()
        box = QVBoxLayout(mistakes)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.mistakes_note)
        box.addWidget(self.mistakes)
        self.scatter = pg.PlotWidget(background="w")
        self.scatter.setLabel("bottom", self.tr("true value"))
        self.scatter.setLabel("left", self.tr("predicted value"))
        self.scatter.showGrid(x=True, y=True, alpha=0.3)
        self.scatter_points = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(31, 119, 180, 120))
        self.scatter_line = pg.PlotDataItem([], [], pen=pg.mkPen("#d62728", width=1, style=Qt.DashLine))
        self.scatter.addItem(self.scatter_points)
        self.scatter.addItem(self.scatter_line)
        self.tabs.addTab(matrix, self.tr("Confusion matrix"))
        self.tabs.addTab(mistakes, self.tr("Mistakes"))
        self.tabs.addTab(self.scatter, self.tr("Predicted vs true"))
        self.runs_panel = RunsPanel()
        self.tabs.addTab(self.runs_panel, self.tr("Runs"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.stale)
        layout.addWidget(self.tabs, stretch=1)
        self.results = None
        self.unseen = False  # new results the student has not looked at yet (the tab is marked)
        self._title = None   # the tab's own title, without the mark
        self._watched = None
        self.runs: list[dict] = []   # {"label", "history", "metrics", "dir"}
        self._show_tabs(None)
        if document is not None:
            self.attach(document)

    def _placeholder(self) -> str:
        return self.tr("Train a model to see its results on the test split.")

    def attach(self, document) -> None:
        """Clear the shown results whenever ``document`` gets another project."""
        if self.document is document:
            return
        if self.document is not None:
            self.document.graph_replaced.disconnect(self.clear_results)
            self.document.edited.disconnect(self._check_stale)
        self.document = document
        document.graph_replaced.connect(self.clear_results)
        document.edited.connect(self._check_stale)

    def _check_stale(self) -> None:
        """Grey the note in when the model has changed since the shown results were computed."""
        stale = self.results is not None and self._model is not None and self.document is not None and \
            not same_model(self.document.graph.to_dict(), self._model)
        self.stale.setVisible(stale)

    def _attach_to_window(self) -> None:
        from studio.ui.document import ProjectDocument
        document = getattr(self.window(), "document", None)
        if self.document is None and isinstance(document, ProjectDocument):
            self.attach(document)

    # -- the tab's "new" mark -----------------------------------------------------------------

    def _tab_widget(self):
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, QTabWidget):
            widget = widget.parentWidget()
        return widget

    def mark_new(self) -> None:
        """Results of a run that just ended: the tab is marked until it is opened (training stays in view)."""
        tabs = self._tab_widget()
        if tabs is None:
            return
        index = tabs.indexOf(self)
        if index < 0 or tabs.currentIndex() == index:
            return
        if self._watched is not tabs:
            tabs.currentChanged.connect(self._tab_changed)
            self._watched = tabs
        if self._title is None:
            self._title = tabs.tabText(index)
        tabs.setTabText(index, NEW_MARK + self._title)
        tabs.tabBar().setTabTextColor(index, QColor(NEW_COLOR))
        tabs.setTabToolTip(index, self.tr("New results: the test split of the run that just ended"))
        self.unseen = True

    def _unmark(self) -> None:
        tabs = self._tab_widget()
        if not self.unseen or tabs is None or tabs.indexOf(self) < 0:
            return
        index = tabs.indexOf(self)
        tabs.setTabText(index, self._title)
        tabs.tabBar().setTabTextColor(index, QColor())  # the style's own colour again
        tabs.setTabToolTip(index, "")
        self.unseen = False

    def _tab_changed(self, index: int) -> None:
        tabs = self._tab_widget()
        if tabs is not None and tabs.widget(index) is self:
            self._unmark()

    def clear_results(self) -> None:
        """No last run on screen: the summary, matrix, mistakes and scatter are emptied (the runs stay)."""
        self._unmark()
        self.results = None
        self._model = None
        self.stale.hide()
        self.summary.setText(self._placeholder())
        self.matrix.clear()
        self.matrix.setRowCount(0)
        self.matrix.setColumnCount(0)
        self.mistakes.clear()
        self.mistakes_note.setText("")
        self.scatter_points.setData([], [])
        self.scatter_line.setData([], [])
        self._show_tabs(None)

    # -- the last run ------------------------------------------------------------------------

    def show_results(self, results, reason: str = "", graph: dict | None = None) -> None:
        """Show ``results``; ``graph`` (default: the newest run's) is the model they are from, so that a
        later change of the model marks them as old."""
        self._attach_to_window()
        self.results = results
        if graph is None and self.runs:
            graph = self.runs[-1].get("graph")
        self._model = graph if isinstance(graph, dict) else None
        self._check_stale()
        metrics = "".join(f"<tr><td>{k}</td><td align='right'>&nbsp;{v:.4f}</td></tr>"
                          for k, v in results.test.items())
        extra = ""
        images = getattr(results, "images", False)
        if results.confusion is not None:
            words = self.tr("{0} of {1} test images misclassified") if images else \
                self.tr("{0} of {1} test rows misclassified")
            extra = "<br>" + words.format(f"{results.mistakes_total:,}", f"{int(results.confusion.sum()):,}")
        used = int(results.confusion.sum()) if results.confusion is not None else None
        total = getattr(results, "test_total", None)
        if images and used is not None and total and total > used:
            extra += "<br>" + self.tr("Tested on {0} of the {1:,} test images: \"Training images\" in the Data "
                                      "tab limits the test images in the same share").format(f"{used:,}", total)
        elif getattr(results, "notes", None) and total:  # a CSV larger than memory, streamed: figures from a sample
            shown = used if used is not None else len(results.truth) if results.truth is not None else 0
            extra += "<br>" + self.tr("The test split was streamed from disk: the figures use a sample of {0} of "
                                      "its {1} rows; the test metrics use them all").format(f"{shown:,}", f"{total:,}")
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

    def add_run(self, label: str, history: dict, metrics: dict, folder: str | None = None,
                record: dict | None = None) -> None:
        """A run of this session (already on disk when ``folder`` is given), ticked for comparison."""
        self.runs = [r for r in self.runs if not folder or r.get("dir") != folder]
        self.runs.append({**(record or {}), "label": label, "history": history, "metrics": metrics, "dir": folder})
        self.runs_panel.set_runs(self.runs, check_last=True)

    def load_runs(self, records: list[dict]) -> None:
        """Runs recorded beside the project (studio.training.runs.list_runs)."""
        self.runs = []
        for record in records:
            history = read_history(Path(record["dir"]))
            if history is None:
                continue  # a run without a readable history is skipped
            epochs = record.get("epochs")
            epochs = epochs if isinstance(epochs, int) and not isinstance(epochs, bool) else \
                max((len(v) for v in history.values()), default=0)
            name = Path(record["dir"]).name
            label = (self.tr("{0} · imported model").format(name) if record.get("kind") == "import" else
                     self.tr("{0} · {1}").format(name, count_epochs(epochs)))
            self.runs.append({**record, "label": label, "history": history, "metrics": record.get("metrics", {})})
        self.runs_panel.set_runs(self.runs)


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(ResultsPanel)
