"""The Predict tab: use the trained model on data the user brings.

An image model (MNIST) gets a drawing pad: the digit drawn is centred as MNIST
digits are and the ten class probabilities follow the pen as a bar chart; an
image file can be opened instead. A tabular model gets a CSV file predicted row
by row with the preprocessing of training (``studio.prediction.tabular``): a
table of the predictions, the rows that could not be predicted listed by line
and column, and Save as CSV.

The model is the one training left: this session's, an imported one, or the
project's saved current model. The panel names it by its file; the window's
child process (``studio.service``) loads it (a file the studio did not write is
checked in a loader child first) and makes every prediction, so no TensorFlow
work runs in the window's process and nothing waits on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from studio.prediction.table import Predictions
from studio.ui import file_actions
from studio.ui.asker import Asker
from studio.ui.background import Background
from studio.ui.drawing_pad import DrawingPad
from studio.ui.feature_form import FeatureForm
from studio.ui.language import epochs as count_epochs

DRAW_MS = 120  # the chart follows the pen without a prediction for every mouse move
SHOWN_ROWS = 1000  # rows put in the table; Save as CSV writes all of them


class PredictPanel(QWidget):
    predicted = Signal(object)  # {class: probability} for a drawing or an image, or the Predictions of a CSV
    row_predicted = Signal(object)  # the Predictions of the form's one row

    def __init__(self, document, runner, parent=None):
        super().__init__(parent)
        self.document, self.runner = document, runner
        self._source = None  # the model predictions use, as a call names it: {model: {path, own}, project, path}
        self._said = ""  # which model that is, in a line
        self.predictions = None
        self.probabilities = None  # {class: probability} now shown in the chart
        self.note = QLabel(wordWrap=True)

        self.pad = DrawingPad()
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.pad.clear)
        self.open_image = QPushButton(self.tr("Open image…"))
        self.open_image.clicked.connect(lambda: self.predict_image())
        self.answer = QLabel()
        self.answer.setStyleSheet("font-size: 18pt; font-weight: bold")
        self.chart = pg.PlotWidget()
        self.chart.setBackground("w")
        self.chart.setMouseEnabled(False, False)
        self.chart.setYRange(0, 1)
        self.chart.setLabel("left", self.tr("probability"))
        self.chart.hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#4a7fc1")
        self.chart.addItem(self.bars)
        buttons = QHBoxLayout()
        buttons.addWidget(clear)
        buttons.addWidget(self.open_image)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.pad)
        left.addLayout(buttons)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.answer)
        right.addWidget(self.chart, stretch=1)
        images = QHBoxLayout()
        images.addLayout(left)
        images.addLayout(right, stretch=1)
        self.image_box = QGroupBox(self.tr("Draw a digit"))
        self.image_box.setLayout(images)

        self.choose_csv = QPushButton(self.tr("Predict a CSV file…"))
        self.choose_csv.clicked.connect(lambda: self.predict_csv())
        self.save_csv = QPushButton(self.tr("Save as CSV…"))
        self.save_csv.setEnabled(False)
        self.save_csv.clicked.connect(lambda: self.save())
        self.problems = QLabel(wordWrap=True)
        self.problems.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        row = QHBoxLayout()
        row.addWidget(self.choose_csv)
        row.addWidget(self.save_csv)
        row.addStretch(1)
        table = QVBoxLayout()
        table.addLayout(row)
        table.addWidget(self.problems)
        table.addWidget(self.table, stretch=1)
        self.form = FeatureForm()
        self.row_answer = QLabel(wordWrap=True)
        self.row_answer.setTextInteractionFlags(Qt.TextSelectableByMouse)
        one = QVBoxLayout()
        one.addWidget(self.form)
        one.addWidget(self.row_answer)
        self.form_box = QGroupBox(self.tr("Try one row"))
        self.form_box.setLayout(one)
        table.addWidget(self.form_box)
        self.table_box = QGroupBox(self.tr("Predict new rows"))
        self.table_box.setLayout(table)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.image_box, stretch=1)
        layout.addWidget(self.table_box, stretch=1)

        self.timer = QTimer(self, singleShot=True, interval=DRAW_MS)
        self.timer.timeout.connect(self.predict_drawing)
        self.pad.drawn.connect(self.timer.start)
        self.pad.cleared.connect(self._show_nothing)
        self.worker = Background(self, name="studio-predict-save")  # Save as CSV (no TensorFlow)
        self.worker.done.connect(self._predicted)
        self.worker.failed.connect(lambda text, _details: self._say(text))
        said = lambda text, _details: self._say(text)  # noqa: E731
        self.describer = Asker(runner, "predict_describe", self._described, said)
        self.drawer = Asker(runner, "predict_drawing", self._predicted, said)
        self.imager = Asker(runner, "predict_image", self._predicted, said)
        self.tabler = Asker(runner, "predict_csv", self._predicted, said, Predictions.from_dict)
        self.rower = Asker(runner, "predict_rows", self._row_predicted,
                           lambda text, _details: self.row_answer.setText(text), Predictions.from_dict)
        self.askers = (self.describer, self.drawer, self.imager, self.tabler, self.rower)
        self.row_timer = QTimer(self, singleShot=True, interval=DRAW_MS)
        self.row_timer.timeout.connect(self.predict_row)
        self.form.changed.connect(self.row_timer.start)
        runner.finished.connect(lambda *_: self.refresh())
        document.graph_replaced.connect(self.refresh)
        self.refresh()

    # -- which model -------------------------------------------------------------------------

    def is_images(self) -> bool:
        return self.document.project.data.get("source") == "mnist"

    def refresh(self) -> None:
        """Show the part that fits the project's data and find the model predictions use (its file: the
        window's child loads it and predicts with it)."""
        images = self.is_images()
        self.image_box.setVisible(images)
        self.table_box.setVisible(not images)
        self._source = None
        for asker in self.askers:
            asker.forget()
        if self.runner.running:
            return self._say(self.tr("Training is running; predictions use the model it leaves."), usable=False)
        from studio.training.current_model import model_file
        job, source = self.runner.job, self.runner.source
        project = self.document.project
        if job is not None and job.model_path is not None:
            named, project, said = {"path": str(job.model_path), "own": True}, job.project, self.tr(
                "Predictions use the model trained last ({0}).").format(count_epochs(job.epoch))
        elif source is not None:
            named, said = {"path": source["path"], "own": bool(source.get("own"))}, self.tr(
                "Predictions use the imported model.")
        else:
            found = model_file(project)
            if found is None:
                return self._say(self.tr("Train a model first: predictions use the trained model."), usable=False)
            named, said = {"path": str(found), "own": False}, self.tr(
                "Predictions use the project's trained model ({0}).").format(found.parent.name)
        self._source = {"model": named, "project": project.to_dict(),
                        "path": str(project.path) if project.path else None}
        self._said = said
        self._say(self.tr("Opening the trained model…"), usable=False)
        # the child loads it (checked first when not the studio's own) and, for a table, says what the form shows
        self.describer.ask({**self._source, "images": images})

    def _described(self, description) -> None:
        self._say(self._said)
        if not self.is_images():
            self.form.build(description["features"], {k: tuple(v) for k, v in description["ranges"].items()},
                            set(description["unused"]))
            self.predict_row()

    def _say(self, text: str, usable: bool = True) -> None:
        self.note.setText(text)
        for widget in (self.pad, self.open_image, self.choose_csv, self.form_box):
            widget.setEnabled(usable)

    @property
    def busy(self) -> bool:
        """Whether a prediction (or the model's description) is still to come from the child, or a save runs."""
        return self.worker.busy or any(asker.busy for asker in self.askers)

    # -- images ------------------------------------------------------------------------------

    def predict_drawing(self) -> None:
        if self._source is None or self.pad.is_empty():
            return
        self.drawer.ask({**self._source, "drawing": self.pad.array()})

    def predict_image(self, path: str | None = None) -> None:
        """Predict one image file (PNG, JPEG), asking which when not given; an MNIST model sees it as MNIST
        digits were made: white on black, centred by its mass."""
        if self._source is None:
            return
        if not path:
            path = file_actions.choose_file(self, "image", self.tr("Open image"),
                                            self.tr("Images (*.png *.jpg *.jpeg *.bmp)"),
                                            project=self.document.path)
            if not path:
                return
        self.imager.ask({**self._source, "image": str(path)})

    def _show_probabilities(self, probabilities: dict) -> None:
        self.probabilities = probabilities
        names, values = list(probabilities), list(probabilities.values())
        self.bars.setOpts(x=list(range(len(values))), height=values, width=0.7)
        self.chart.getAxis("bottom").setTicks([list(enumerate(names))])
        self.chart.setXRange(-0.6, len(values) - 0.4, padding=0)
        best = max(range(len(values)), key=values.__getitem__)
        self.answer.setText(self.tr("{0}  ({1:.0%})").format(names[best], values[best]))

    def _show_nothing(self) -> None:
        self.probabilities = None
        self.bars.setOpts(x=[], height=[])
        self.answer.setText("")

    # -- one row -----------------------------------------------------------------------------

    def predict_row(self) -> None:
        """Predict the row the form holds."""
        if self._source is None or not self.form.editors:
            return
        self.rower.ask({**self._source, "rows": [self.form.values()]})

    def _row_predicted(self, predictions) -> None:
        if not predictions.rows:
            self.row_answer.setText("\n".join(p.message for p in predictions.problems))
        else:
            pairs = zip(predictions.columns[1:], predictions.rows[0][1:])
            self.row_answer.setText("\n".join(f"{name}: {value:.4g}" if isinstance(value, float) else
                                              f"{name}: {value}" for name, value in pairs))
        self.row_predicted.emit(predictions)

    # -- tables ------------------------------------------------------------------------------

    def predict_csv(self, path: str | None = None) -> None:
        """Predict every row of a CSV file with the model's feature columns (the target may be missing)."""
        if self._source is None:
            return
        if not path:
            path = file_actions.choose_file(self, "data", self.tr("Predict a CSV file"),
                                            self.tr("CSV files (*.csv *.txt);;All files (*)"),
                                            project=self.document.path)
            if not path:
                return
        self.problems.setText(self.tr("Predicting {0}…").format(Path(path).name))
        self.tabler.ask({**self._source, "csv": str(path)})

    def _show_table(self, predictions) -> None:
        self.predictions = predictions
        self.save_csv.setEnabled(bool(predictions.rows))
        self.table.clear()
        self.table.setColumnCount(len(predictions.columns))
        self.table.setHorizontalHeaderLabels(predictions.columns)
        shown = predictions.rows[:SHOWN_ROWS]
        self.table.setRowCount(len(shown))
        for r, values in enumerate(shown):
            for c, value in enumerate(values):
                text = f"{value:.4g}" if isinstance(value, float) else str(value)
                item = QTableWidgetItem(text)
                if isinstance(value, (int, float)):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        lines = [self.tr("{0} of {1} rows predicted.").format(predictions.predicted, predictions.total)]
        if len(predictions.rows) > SHOWN_ROWS:
            lines.append(self.tr("The first {0} are shown; Save as CSV writes them all.").format(SHOWN_ROWS))
        lines += [str(p) for p in predictions.problems[:10]]
        if len(predictions.problems) > 10:
            lines.append(self.tr("… and {0} more rows that could not be predicted.").format(
                len(predictions.problems) - 10))
        self.problems.setText("\n".join(lines))

    def save(self, path: str | None = None) -> None:
        if self.predictions is None:
            return
        if not path:
            path = file_actions.choose_file(self, "predictions", self.tr("Save predictions"),
                                            self.tr("CSV files (*.csv)"), "predictions.csv", save=True,
                                            project=self.document.path)
            if not path:
                return
        predictions = self.predictions

        def work(progress, cancelled):
            return predictions.to_csv(path)
        self.worker.start(work)

    def _predicted(self, result) -> None:
        if isinstance(result, dict) and "field" in result:  # an image file: the digit the model was given
            self.pad.show_image(np.asarray(result["field"], dtype=np.float32))
            result = result["probabilities"]
        if isinstance(result, dict):
            self._show_probabilities(result)
        elif isinstance(result, Path):
            self.problems.setText(self.tr("Saved {0}").format(result))
            return
        else:
            self._show_table(result)
        self.predicted.emit(result)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    from studio.ui.document import ProjectDocument
    from studio.ui.worker import TrainingRunner
    app = QApplication(sys.argv)
    document = ProjectDocument()
    if len(sys.argv) > 1:
        document.open(sys.argv[1])
    panel = PredictPanel(document, TrainingRunner())
    panel.resize(700, 500)
    panel.show()
    sys.exit(app.exec())
