"""The Predict tab: use the trained model on data the user brings.

An image model (MNIST) gets a drawing pad: the digit drawn is centred as MNIST
digits are and the ten class probabilities follow the pen as a bar chart; an
image file can be opened instead. A tabular model gets a CSV file predicted row
by row with the preprocessing of training (``studio.prediction.tabular``): a
table of the predictions, the rows that could not be predicted listed by line
and column, and Save as CSV.

The model is the one training left: this session's, an imported one, or the
project's saved current model (loaded safely, in the background, once). All
TensorFlow work runs as ``Background`` tasks; nothing waits on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from studio.ui import file_actions
from studio.ui.background import Background
from studio.ui.drawing_pad import DrawingPad
from studio.ui.feature_form import FeatureForm

DRAW_MS = 120  # the chart follows the pen without a prediction for every mouse move
SHOWN_ROWS = 1000  # rows put in the table; Save as CSV writes all of them


class PredictPanel(QWidget):
    predicted = Signal(object)  # {class: probability} for a drawing or an image, or the Predictions of a CSV
    row_predicted = Signal(object)  # the Predictions of the form's one row

    def __init__(self, document, runner, parent=None):
        super().__init__(parent)
        self.document, self.runner = document, runner
        self._loaded = None  # (model file, its mtime, TrainedModel) of the project's saved model
        self._source = None  # the TrainedModel predictions use, once known
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
        self._form_model = None  # the model the form's fields were made for

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.image_box, stretch=1)
        layout.addWidget(self.table_box, stretch=1)

        self.timer = QTimer(self, singleShot=True, interval=DRAW_MS)
        self.timer.timeout.connect(self.predict_drawing)
        self.pad.drawn.connect(self.timer.start)
        self.pad.cleared.connect(self._show_nothing)
        self.loader = Background(self, name="studio-predict-model")
        self.loader.done.connect(self._model_loaded)
        self.loader.failed.connect(lambda text, _details: self._say(text))
        self.worker = Background(self, name="studio-predict")
        self.worker.done.connect(self._predicted)
        self.worker.failed.connect(lambda text, _details: self._say(text))
        self.former = Background(self, name="studio-predict-form")
        self.former.done.connect(self._form_ready)
        self.former.failed.connect(lambda text, _details: self.row_answer.setText(text))
        self.row_worker = Background(self, name="studio-predict-row")
        self.row_worker.done.connect(self._row_predicted)
        self.row_worker.failed.connect(lambda text, _details: self.row_answer.setText(text))
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
        """Show the part that fits the project's data and find the model predictions use."""
        images = self.is_images()
        self.image_box.setVisible(images)
        self.table_box.setVisible(not images)
        self._source = None
        if self.runner.running:
            return self._say(self.tr("Training is running; predictions use the model it leaves."), usable=False)
        from studio.prediction.model_source import TrainedModel
        job = self.runner.job
        if job is not None and job.model is not None:
            folder = job.run_dir or Path(".")
            self._source = TrainedModel(job.model, job.metadata(), folder, job.project)
            return self._say(self.tr("Predictions use the model trained last ({0} epochs).").format(job.epoch))
        if self.runner.source is not None:
            model, metadata = self.runner.source
            self._source = TrainedModel(model, metadata, Path("."), self.document.project)
            return self._say(self.tr("Predictions use the imported model."))
        from studio.training.current_model import model_file
        found = model_file(self.document.project)
        if found is None:
            return self._say(self.tr("Train a model first: predictions use the trained model."), usable=False)
        stamp = found.stat().st_mtime if found.exists() else None
        if self._loaded is not None and self._loaded[:2] == (found, stamp):
            self._source = self._loaded[2]
            return self._say(self.tr("Predictions use the project's trained model ({0}).").format(found.parent.name))
        self._say(self.tr("Opening the project's trained model…"), usable=False)
        project = self.document.project.copy()

        def load(progress, cancelled):
            from studio.prediction.model_source import TrainedModel
            from studio.training.safe_load import open_untrusted
            model, metadata = open_untrusted(found, cancelled=cancelled)
            return found, stamp, TrainedModel(model, metadata if isinstance(metadata, dict) else {}, found, project)
        self.loader.start(load)

    def _model_loaded(self, loaded) -> None:
        self._loaded = loaded
        self.refresh()

    def _say(self, text: str, usable: bool = True) -> None:
        self.note.setText(text)
        for widget in (self.pad, self.open_image, self.choose_csv, self.form_box):
            widget.setEnabled(usable)
        if usable and self._source is not None and not self.is_images() and self._form_model is not self._source.model:
            self._build_form()

    # -- images ------------------------------------------------------------------------------

    def predict_drawing(self) -> None:
        if self._source is None or self.pad.is_empty():
            return
        source, drawing = self._source, self.pad.array()

        def work(progress, cancelled):
            from studio.prediction.images import drawing_probabilities
            return drawing_probabilities(source, drawing)
        self.worker.start(work)

    def predict_image(self, path: str | None = None) -> None:
        """Predict one image file (PNG, JPEG), asking which when not given."""
        if self._source is None:
            return
        if not path:
            path = file_actions.choose_file(self, "image", self.tr("Open image"),
                                            self.tr("Images (*.png *.jpg *.jpeg *.bmp)"),
                                            project=self.document.path)
            if not path:
                return
        source = self._source

        def work(progress, cancelled):
            # An MNIST model sees the picture as MNIST digits were made: white on black, centred by its mass
            from studio.prediction.images import digit_from_image, drawing_probabilities, read_image
            field = digit_from_image(read_image(path))
            return field, drawing_probabilities(source, field, centre=False)
        self.worker.start(work)

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

    def _build_form(self) -> None:
        source = self._source
        self._form_model = source.model

        def work(progress, cancelled):
            from studio.prediction.tabular import feature_ranges, tabular_spec, unused_features
            spec = tabular_spec(source)
            return source, spec.encoder.features, feature_ranges(source), unused_features(spec)
        self.former.start(work)

    def _form_ready(self, made) -> None:
        source, features, ranges, unused = made
        if self._source is None or source.model is not self._source.model:
            return
        self.form.build(features, ranges, unused)
        self.predict_row()

    def predict_row(self) -> None:
        """Predict the row the form holds."""
        if self._source is None or not self.form.editors:
            return
        source, row = self._source, self.form.values()

        def work(progress, cancelled):
            import pandas as pd

            from studio.prediction.tabular import predict_frame
            return predict_frame(source, pd.DataFrame([row], dtype=str))
        self.row_worker.start(work)

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
        source = self._source
        self.problems.setText(self.tr("Predicting {0}…").format(Path(path).name))

        def work(progress, cancelled):
            from studio.prediction.tabular import predict_csv
            return predict_csv(source, path)
        self.worker.start(work)

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
        if isinstance(result, tuple):  # an image file: the digit the model was given, shown on the pad
            field, result = result
            self.pad.show_image(field)
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
