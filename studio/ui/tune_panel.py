"""The Tune tab: the learning-rate finder and the hyperparameter search, both in the window's training child (so
no TensorFlow work runs in the window's process).

The finder plots the smoothed loss against the learning rate (log axis) and
applies its suggestion with one click. The search space is edited here and
stored in the project's ``tuning`` section; trials appear in a table as they
end, the running trial's curve grows, Stop ends it, and "Apply Best" puts the
best configuration into the graph and the settings as one undoable edit.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QScrollArea, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from studio.core import schema
from studio.core.project import Project
from studio.ui import commands
from studio.ui.document import ProjectDocument
from studio.ui.wheel_guard import guard_wheel

COLUMNS = ("layers", "units", "activation", "learning_rate", "batch_size", "optimizer", "dropout")


def rate_label(exponent: float) -> str:
    """A learning rate at 10**exponent as a student reads it: 1e-4, 3e-3, 0.1, 1."""
    value = 10 ** exponent
    if 0.01 <= value < 100:
        return f"{value:.3g}"
    mantissa, power = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(power)}"


class DecadeAxis(pg.AxisItem):
    """A log axis labelled at each power of ten (and at 2 and 5 times one when less than two decades show),
    not "2 3 4 … 9" with the decades unnamed."""

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        low, high = self.range
        few = (high - low) < 2
        out = []
        for v in values:
            mantissa = 10 ** (v - np.floor(v + 1e-9))
            near = [m for m in ((1, 2, 5) if few else (1,)) if abs(mantissa - m) < 0.02 * m]
            out.append(rate_label(v) if near else "")
        return out


@dataclass
class SearchSeen:
    """The window's view of the search running in the child: its settings and the trials reported so far."""

    settings: object  # studio.tuning.search.TuningSettings
    trials: list = field(default_factory=list)
    best: object = None  # the best trial reported (studio.tuning.search.Trial)


def _snapshot(project: Project) -> Project:
    return project.copy()


class TunePanel(QWidget):
    message = Signal(str)
    runs_changed = Signal()     # a search recorded new runs

    def __init__(self, document: ProjectDocument, busy=lambda: False, parent=None, runner=None):
        super().__init__(parent)
        self.document = document
        self.busy = busy                    # True while the Training tab trains
        self._runner = runner               # the window's training child runs the finder (made here if none)
        if runner is not None:
            self._listen(runner)
        self.search = None  # SearchSeen while a search runs and after it
        self.finder = None
        self.running = None         # "finder" or "search" while one runs
        self.trial_history: dict[str, list[float]] = {}
        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self._finder_box())
        column.addWidget(self._search_box())
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._discard = False  # the project was replaced while a finder or search ran: ignore its end
        document.graph_replaced.connect(self.project_replaced)
        self.load()

    # -- layout ---------------------------------------------------------------------------------

    def _finder_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Learning-rate finder"))
        self.find_button = QPushButton(self.tr("Find a Learning Rate"))
        self.apply_rate_button = QPushButton(self.tr("Apply"))
        self.apply_rate_button.setEnabled(False)
        self.finder_note = QLabel(self._finder_intro(), wordWrap=True)
        self.finder_plot = pg.PlotWidget(background="w", axisItems={"bottom": DecadeAxis("bottom")})
        self.finder_plot.setMinimumHeight(180)
        self.finder_plot.setLogMode(x=True, y=False)
        self.finder_plot.setLabel("bottom", self.tr("learning rate"))
        self.finder_plot.setLabel("left", self.tr("loss (smoothed)"))
        self.finder_plot.showGrid(x=True, y=True, alpha=0.3)
        _plain_axes(self.finder_plot)
        self.finder_curve = self.finder_plot.plot([], [], pen=pg.mkPen("#1f77b4", width=2))
        self.finder_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#d62728", style=Qt.DashLine))
        self.finder_line.hide()
        self.finder_plot.addItem(self.finder_line)
        row = QHBoxLayout()
        row.addWidget(self.find_button)
        row.addWidget(self.apply_rate_button)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.finder_note)
        layout.addLayout(row)
        layout.addWidget(self.finder_plot)
        self.find_button.clicked.connect(self.find_rate)
        self.apply_rate_button.clicked.connect(self.apply_rate)
        return box

    def _search_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Hyperparameter search"))
        self.layers_min, self.layers_max = QSpinBox(minimum=0, maximum=10), QSpinBox(minimum=1, maximum=10)
        self.units_min, self.units_max = QSpinBox(minimum=1, maximum=4096), QSpinBox(minimum=1, maximum=4096)
        self.units_step = QSpinBox(minimum=1, maximum=1024)
        self.activations = QLineEdit()
        self.rate_min = QDoubleSpinBox(decimals=6, minimum=1e-6, maximum=9.0, singleStep=1e-4)
        self.rate_max = QDoubleSpinBox(decimals=6, minimum=1e-6, maximum=9.0, singleStep=1e-3)
        self.batch_sizes, self.optimizers = QLineEdit(), QLineEdit()
        self.dropout_min = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=0.95, singleStep=0.05)
        self.dropout_max = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=0.95, singleStep=0.05)
        self.objective = QComboBox(editable=True)
        self.objective.addItems(["val_accuracy", "val_loss"])
        self.trials_box, self.epochs_box = QSpinBox(minimum=1, maximum=1000), QSpinBox(minimum=1, maximum=1000)
        self.algorithm = QComboBox()
        for name in ("random", "hyperband", "bayesian"):
            self.algorithm.addItem(name, name)
        form = QFormLayout()
        form.addRow(self.tr("Hidden layers"), _pair(self.layers_min, self.layers_max))
        form.addRow(self.tr("Neurons per layer"), _pair(self.units_min, self.units_max, self.units_step))
        form.addRow(self.tr("Activations"), self.activations)
        form.addRow(self.tr("Learning rate (log)"), _pair(self.rate_min, self.rate_max))
        form.addRow(self.tr("Batch sizes"), self.batch_sizes)
        form.addRow(self.tr("Optimizers"), self.optimizers)
        form.addRow(self.tr("Dropout"), _pair(self.dropout_min, self.dropout_max))
        form.addRow(self.tr("Objective"), self.objective)
        form.addRow(self.tr("Trials, epochs each"), _pair(self.trials_box, self.epochs_box))
        form.addRow(self.tr("Algorithm"), self.algorithm)
        self.activations.setToolTip(self.tr("Comma-separated, e.g. relu, tanh"))
        self.batch_sizes.setToolTip(self.tr("Comma-separated, e.g. 32, 64"))
        self.optimizers.setToolTip(self.tr("Comma-separated, e.g. Adam, SGD"))
        self.start_button, self.stop_button = QPushButton(self.tr("Start Search")), QPushButton(self.tr("Stop"))
        self.apply_best_button = QPushButton(self.tr("Apply Best"))
        self.stop_button.setEnabled(False)
        self.apply_best_button.setEnabled(False)
        self.search_note = QLabel(wordWrap=True)
        self.table = QTableWidget(0, len(COLUMNS) + 2)
        self.table.setHorizontalHeaderLabels(["#", *COLUMNS, self.tr("objective")])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setMinimumHeight(140)
        self.trial_plot = pg.PlotWidget(background="w")
        self.trial_plot.setMinimumHeight(160)
        self.trial_plot.setLabel("bottom", self.tr("epoch"))
        self.trial_plot.showGrid(x=True, y=True, alpha=0.3)
        _plain_axes(self.trial_plot)
        self.trial_curve = self.trial_plot.plot([], [], pen=pg.mkPen("#ff7f0e", width=2), symbol="o", symbolSize=5)
        row = QHBoxLayout()
        for button in (self.start_button, self.stop_button, self.apply_best_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        guard_wheel(box)  # the wheel scrolls the tab; it changes a field only once that field has been clicked
        layout.addLayout(row)
        layout.addWidget(self.search_note)
        layout.addWidget(self.table)
        layout.addWidget(self.trial_plot)
        self.start_button.clicked.connect(self.start_search)
        self.stop_button.clicked.connect(self.stop)
        self.apply_best_button.clicked.connect(self.apply_best)
        return box

    def _finder_intro(self) -> str:
        return self.tr("Trains one epoch while the learning rate grows from 1e-5 to 10, and suggests a rate well "
                       "below where the loss shoots up.")

    def project_replaced(self) -> None:
        """File > New, Open or Import Model: the previous project's curve, trials and suggestion go."""
        if self.running is not None:
            self._discard = True
            self.stop()
        self.finder = None
        self.finder_curve.setData([], [])
        self.finder_line.hide()
        self.finder_plot.enableAutoRange()
        self.finder_note.setText(self._finder_intro())
        self.apply_rate_button.setEnabled(False)
        self.find_button.setEnabled(self.running is None)
        self.search = None if self.running is None else self.search
        self.table.setRowCount(0)
        self.trial_history = {}
        self.trial_curve.setData([], [])
        self.trial_plot.setLabel("left", "")
        self.trial_plot.enableAutoRange()  # not the previous project's objective range
        self.search_note.setText("")
        self.apply_best_button.setEnabled(False)
        self.load()

    # -- the tuning section ------------------------------------------------------------------------

    def load(self) -> None:
        """Show the project's tuning section (defaults where it is silent)."""
        from studio.tuning.search import SearchError, TuningSettings
        try:
            s = TuningSettings.from_dict(self.document.project.tuning)
        except SearchError:
            s = TuningSettings()
        self.layers_min.setValue(s.layers[0])
        self.layers_max.setValue(s.layers[1])
        self.units_min.setValue(s.units[0])
        self.units_max.setValue(s.units[1])
        self.units_step.setValue(s.units[2])
        self.activations.setText(", ".join(s.activations))
        self.rate_min.setValue(s.learning_rate[0])
        self.rate_max.setValue(s.learning_rate[1])
        self.batch_sizes.setText(", ".join(map(str, s.batch_sizes)))
        self.optimizers.setText(", ".join(s.optimizers))
        self.dropout_min.setValue(s.dropout[0])
        self.dropout_max.setValue(s.dropout[1])
        self.objective.setCurrentText(s.objective)
        self.trials_box.setValue(s.max_trials)
        self.epochs_box.setValue(s.max_epochs)
        self.algorithm.setCurrentIndex(self.algorithm.findData(s.algorithm))

    def settings(self):
        """The form as TuningSettings; raises SearchError with what is wrong."""
        from studio.tuning.search import SearchError, TuningSettings

        def items(edit, kind):
            parts = [p.strip() for p in edit.text().split(",") if p.strip()]
            try:
                return [kind(p) for p in parts]
            except ValueError:
                raise SearchError(f"{edit.toolTip()}: {edit.text()!r} is not a list of {kind.__name__}s") from None

        return TuningSettings.from_dict({
            "layers": [self.layers_min.value(), self.layers_max.value()],
            "units": [self.units_min.value(), self.units_max.value(), self.units_step.value()],
            "activations": items(self.activations, str), "batch_sizes": items(self.batch_sizes, int),
            "learning_rate": [self.rate_min.value(), self.rate_max.value()],
            "optimizers": items(self.optimizers, str),
            "dropout": [self.dropout_min.value(), self.dropout_max.value()],
            "objective": self.objective.currentText().strip(), "max_trials": self.trials_box.value(),
            "max_epochs": self.epochs_box.value(), "algorithm": self.algorithm.currentData()})

    # -- the finder ---------------------------------------------------------------------------------

    @property
    def runner(self):
        """The window's training runner; a panel on its own makes one when the finder is first used."""
        if self._runner is None:
            from studio.ui.worker import TrainingRunner
            self._runner = TrainingRunner(self)
            self._listen(self._runner)
        return self._runner

    def _listen(self, runner) -> None:
        runner.finder_progress.connect(self._finder_progress)
        runner.finder_done.connect(lambda result: self._done(("finder", result)))
        runner.finder_failed.connect(self._failed)
        runner.trial_started.connect(self._trial_started)
        runner.trial_epoch.connect(self._epoch_ended)
        runner.trial_ended.connect(self._trial_ended)
        runner.search_done.connect(lambda best: self._done(("search", best)))
        runner.search_failed.connect(self._failed)

    def _refuse_if_busy(self) -> bool:
        if self.busy() or self.running is not None:
            self.message.emit(self.tr("Wait for the current training, search or finder to end."))
            return True
        return False

    def find_rate(self) -> None:
        if self._refuse_if_busy():
            return
        project = _snapshot(self.document.project)
        self.find_button.setEnabled(False)
        self.apply_rate_button.setEnabled(False)
        self.finder_line.hide()
        self.finder_note.setText(self.tr("Finding a learning rate…"))
        if not self.runner.find_rate(project):  # in the training child: never TensorFlow work in the window
            self.find_button.setEnabled(True)
            self.finder_note.setText(self.tr("Wait for the current training, search or finder to end."))
            return
        self.running = "finder"

    def _finder_progress(self, result) -> None:
        if self._discard or not result.rates:
            return
        smoothed = np.asarray(result.smoothed)
        self.finder_curve.setData(np.asarray(result.rates), smoothed)
        finite = smoothed[np.isfinite(smoothed)]
        if len(finite):  # the part that matters: from the lowest loss to a little above the start,
            low, start = float(finite.min()), float(finite[0])  # not the final blow-up
            span = max(start - low, 0.05 * max(abs(start), 1e-3))
            self.finder_plot.setYRange(low - 0.1 * span, start + 0.5 * span, padding=0)

    def _finder_done(self, result) -> None:
        self.finder = result
        self.find_button.setEnabled(True)
        self._finder_progress(result)
        if result.suggestion is None:
            self.finder_note.setText(result.message)
            return
        self.finder_line.setValue(np.log10(result.suggestion))
        self.finder_line.show()
        self.finder_note.setText(self.tr("Suggested learning rate: {0:.3g} (a tenth of {1:.3g}, where the loss was "
                                         "lowest).").format(result.suggestion, result.minimum))
        self.apply_rate_button.setEnabled(True)

    def apply_rate(self) -> None:
        """Set the optimizer's learning rate to the suggestion (one undoable edit)."""
        if self.finder is None or self.finder.suggestion is None:
            return
        training = self.document.project.training
        rate = float(f"{self.finder.suggestion:.3g}")
        optimizer = schema.with_learning_rate(schema.optimizer_of(training), rate)
        self.document.push(commands.SetSection(training, "optimizer", optimizer, self.tr("learning rate")))
        self.message.emit(self.tr("Learning rate set to {0}").format(rate))

    # -- the search ---------------------------------------------------------------------------------

    def start_search(self) -> None:
        from studio.tuning.search import SearchError, template
        if self._refuse_if_busy():
            return
        try:
            settings = self.settings()
        except SearchError as exc:
            self.search_note.setText(str(exc))
            return
        tuning, stored = settings.to_dict(), self.document.project.tuning
        if stored != tuning:  # the space is saved with the project, as one undoable edit
            self.document.undo_stack.beginMacro(self.tr("Set the search space"))
            for key, value in tuning.items():
                if stored.get(key) != value:
                    self.document.push(commands.SetSection(stored, key, value, key))
            self.document.undo_stack.endMacro()
        project = _snapshot(self.document.project)
        try:
            template(project.graph)  # a graph the search cannot vary is refused here, with the reason
        except SearchError as exc:
            self.search_note.setText(str(exc))
            return
        if not self.runner.search(project, settings.to_dict()):  # in the training child
            self.search_note.setText(self.tr("Wait for the current training, search or finder to end."))
            return
        self.search = SearchSeen(settings)
        self.table.setRowCount(0)
        self.apply_best_button.setEnabled(False)
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.search_note.setText(self.tr("Searching…"))
        self.running = "search"

    def stop(self) -> None:
        if self.running == "search":
            self.runner.stop_search()
        if self.running == "finder":
            self.runner.stop_finder()
        self.stop_button.setEnabled(False)

    def _trial_started(self, trial) -> None:
        if self._discard or self.search is None:
            return
        self.trial_history = {}
        self.trial_curve.setData([], [])
        self.trial_plot.setLabel("left", self.search.settings.objective if self.search else "")
        self.search_note.setText(self.tr("Trial {0} running…").format(trial.number))

    def _epoch_ended(self, epoch: int, logs: dict) -> None:
        if self.search is None or self._discard:
            return
        key = self.search.settings.objective
        self.trial_history.setdefault(key, []).append(float(logs.get(key, np.nan)))
        values = self.trial_history[key]
        self.trial_curve.setData(np.arange(1, len(values) + 1), values)

    def _trial_ended(self, trial, best_number=None) -> None:
        if self._discard or self.search is None:
            return
        search = self.search
        search.trials.append(trial)
        search.best = next((t for t in search.trials if t.number == best_number), None)  # the child compares
        row = self.table.rowCount()
        self.table.insertRow(row)
        cells = [str(trial.number)] + [_shown(trial.hyperparameters.get(c, "")) for c in COLUMNS]
        if trial.objective is None:
            cells.append(self.tr("failed"))
        elif trial.status == "stopped":  # stopped before its last epoch: shown, never compared
            cells.append(self.tr("stopped ({0:.4f})").format(trial.objective))
        else:
            cells.append(f"{trial.objective:.4f}")
        tip = trial.message or (self.tr("Stopped before its last epoch, so it is not compared with the others.")
                                if trial.status == "stopped" else "")
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if tip:
                item.setToolTip(tip)
            self.table.setItem(row, column, item)
        best = search.best
        if best is not None:
            self.search_note.setText(self.tr("Best so far: trial {0}, {1} {2:.4f}").format(
                best.number, self.search.settings.objective, best.objective))

    def apply_best(self) -> None:
        """Put the best trial's layers and settings into the project as one undoable edit."""
        from studio.tuning.search import apply_values
        best = self.search.best if self.search else None
        if best is None:
            return
        doc = self.document
        graph, training = apply_values(doc.project, best.hyperparameters)
        doc.undo_stack.beginMacro(self.tr("Apply the best trial"))
        doc.push(commands.ReplaceGraph(doc.graph, graph, self.tr("Apply the best trial")))
        for key in ("optimizer", "batch_size"):
            doc.push(commands.SetSection(doc.project.training, key, training[key], key))
        doc.undo_stack.endMacro()
        self.message.emit(self.tr("Applied trial {0}").format(best.number))

    # -- endings -------------------------------------------------------------------------------------

    def _forget_discarded(self) -> bool:
        """True if the finder or search that ended belonged to a replaced project (its runs stay recorded)."""
        if not self._discard:
            return False
        self._discard = False
        self.running = None
        self.search = None
        self.find_button.setEnabled(True)
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.runs_changed.emit()
        return True

    def _done(self, payload) -> None:
        if self._forget_discarded():
            return
        kind, result = payload
        self.running = None
        if kind == "finder":
            self._finder_done(result)
            self.runs_changed.emit()
            return
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.runs_changed.emit()
        best = result  # the child's best: the same trial as the one kept from the reports
        if best is not None and self.search is not None:
            self.search.best = next((t for t in self.search.trials if t.number == best.number), best)
        self.apply_best_button.setEnabled(best is not None)
        if best is None:
            self.search_note.setText(self.tr("No trial finished."))
        else:
            finished = sum(trial.status == "completed" for trial in self.search.trials)
            self.search_note.setText(self.tr("Done: {0} trial(s); the best is trial {1} with {2} {3:.4f}.").format(
                finished, best.number, self.search.settings.objective, best.objective))

    def _failed(self, text: str, details: str) -> None:
        if self._forget_discarded():
            return
        kind, self.running = self.running, None
        self.find_button.setEnabled(True)
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        best = self.search.best if kind == "search" and self.search is not None else None
        if best is not None:  # the trials that finished before it failed are recorded runs: the best can be used
            text = self.tr("{0}. The best of the trials that finished is trial {1} with {2} {3:.4f}.").format(
                text.rstrip("."), best.number, self.search.settings.objective, best.objective)
            self.apply_best_button.setEnabled(True)
        (self.finder_note if kind == "finder" else self.search_note).setText(text)
        if kind == "search":
            self.runs_changed.emit()
        self.message.emit(text)


def _plain_axes(plot) -> None:
    """Tick labels as the values are: pyqtgraph's "(x0.001)" beside a label reads as another quantity."""
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)


def _pair(*widgets) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w)
    return row


def _shown(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(lambda: TunePanel(ProjectDocument()))
