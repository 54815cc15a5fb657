"""The Summary tab: the table of Keras' ``model.summary()`` for the model training will build.

A row per layer (name, type, output shape, parameters, the layers feeding it)
and the total, trainable and non-trainable counts under it, equal to Keras'
own (``studio.core.model_summary``). It is the graph's model as the engine
builds it, the input scaling of CSV data included, not a trained model file.
Building needs Keras, so the window's child builds it (``studio.service``), a
short while after the last edit and only while the tab is shown.

Run on its own: ``python -m studio.ui.summary_panel [PROJECT.studio.json]``.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from studio.core.model_summary import ModelSummary
from studio.ui.asker import Asker
from studio.ui.document import ProjectDocument

REFRESH_MS = 400  # typing in the inspector does not rebuild a Keras model on every key


class SummaryPanel(QWidget):
    refreshed = Signal(object)  # the ModelSummary now shown, or None (the graph does not build)

    def __init__(self, document: ProjectDocument, runner=None, parent=None):
        super().__init__(parent)
        self.document = document
        if runner is None:  # on its own: a child of its own
            from studio.ui.worker import TrainingRunner
            runner = TrainingRunner(self)
        self.runner = runner
        self.summary = None
        self._shown_key = None  # the graph and data settings the table shows
        self.note = QLabel(wordWrap=True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("Layer"), self.tr("Type"), self.tr("Output shape"),
                                              self.tr("Params"), self.tr("Connected to")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.totals = QLabel()
        self.totals.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, stretch=1)
        layout.addWidget(self.totals)
        self.timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.worker = Asker(runner, "summarize", self._built, lambda text, _details: self._failed(text),
                            ModelSummary.from_dict)
        document.edited.connect(self.timer.start)
        document.graph_replaced.connect(self.timer.start)
        document.validated.connect(lambda _report: self.timer.start())  # also after TensorFlow has loaded

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.timer.start()

    def _key(self) -> str:
        project = self.document.project
        return json.dumps([project.graph.to_dict(), project.data], sort_keys=True, default=str)

    def refresh(self) -> None:
        """Build the graph's model off the GUI thread and show its summary (nothing when hidden or unchanged)."""
        if not self.isVisible():
            return  # showEvent refreshes when the tab is opened
        key = self._key()
        if key == self._shown_key:  # shown, or being built
            return
        self._shown_key = key
        project = self.document.project
        if not self.runner.remote.ready.is_set():
            self.note.setText(self.tr("TensorFlow is loading…"))
        self.worker.ask({"project": project.to_dict(), "path": str(project.path) if project.path else None})

    def _built(self, summary) -> None:
        self.summary = summary
        if summary.scaled_inputs:
            self.note.setText(self.tr("The model training builds from this graph, with the input scaling of the "
                                      "data ({0}). A trained model file may differ.")
                              .format(", ".join(summary.scaled_inputs)))
        else:
            self.note.setText(self.tr("The model training builds from this graph. A trained model file may differ."))
        self.table.setRowCount(len(summary.rows))
        for i, row in enumerate(summary.rows):
            cells = (row.name, row.type, row.output_shape, f"{row.params:,}", ", ".join(row.connected_to) or "-")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(i, c, item)
        lines = [self.tr("Total params: {0}").format(f"{summary.total:,}"),
                 self.tr("Trainable params: {0}").format(f"{summary.trainable:,}"),
                 self.tr("Non-trainable params: {0}").format(f"{summary.non_trainable:,}")]
        self.totals.setText("\n".join(lines))
        self.refreshed.emit(summary)

    def _failed(self, text: str) -> None:
        self.summary = None
        self.note.setText(self.tr("The model cannot be built yet: {0}").format(text))
        self.table.setRowCount(0)
        self.totals.setText("")
        self.refreshed.emit(None)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    document = ProjectDocument()
    if len(sys.argv) > 1:
        document.open(sys.argv[1])
    panel = SummaryPanel(document)
    panel.resize(720, 420)
    panel.show()
    sys.exit(app.exec())
