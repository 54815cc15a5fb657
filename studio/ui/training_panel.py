"""Training settings, Train / Stop / Continue, progress and live curves, then the test results."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QProgressBar, QPushButton, QScrollArea, QSizePolicy, QSpinBox, QSplitter, QVBoxLayout, QWidget)

from studio.core import schema
from studio.core.loss_defaults import effective_loss, per_output
from studio.training.run_records import clean_history
from studio.training.settings import OPTIMIZERS, learning_rate_known
from studio.ui import commands
from studio.ui.callbacks_editor import CallbacksEditor
from studio.ui.document import ProjectDocument
from studio.ui.language import epochs as count_epochs
from studio.ui.outputs_editor import OutputsEditor
from studio.ui.training_plot import TrainingPlot
from studio.ui.wheel_guard import guard_wheel
from studio.ui.worker import TrainingRunner

REDRAW_MS = 1000   # curves and the text under the bar; benchmarks/ui_latency.py (each repaint costs training)
SETTINGS_SHARE = 0.35  # at most this share of the panel's height goes to the settings at first
PROGRESS_MS = 200  # the progress bar; a finished epoch is drawn at the next tick, so the text never runs ahead


def _spin(key: str) -> QSpinBox:
    """A box for a whole-number training setting, with the range the project file allows."""
    kind = schema.TRAINING.fields[key].kind
    return QSpinBox(minimum=kind.lo, maximum=kind.hi)


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
        self.epochs, self.batch, self.seed = (_spin(key) for key in ("epochs", "batch_size", "seed"))
        form = QFormLayout()
        form.addRow(self.outputs)
        form.addRow(self.tr("Optimizer"), self.optimizer)
        form.addRow(self.tr("Learning rate"), self.rate)
        self.optimizer_more = QLabel()  # what else the optimizer is given (an imported model's momentum, ...)
        self.optimizer_more.setWordWrap(True)
        form.addRow(self.optimizer_more)
        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("Batch size"), self.batch)
        form.addRow(self.tr("Seed"), self.seed)
        self.train_button, self.stop_button = QPushButton(self.tr("Train")), QPushButton(self.tr("Stop"))
        self.continue_button = QPushButton(self.tr("Continue"))
        self.reset_button = QPushButton(self.tr("Reset weights"))
        self.reset_button.setToolTip(self.tr("Forget the trained weights: the next run starts from new ones "
                                             "(the recorded runs stay)"))
        self.stop_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.train_button, self.stop_button, self.continue_button, self.reset_button):
            buttons.addWidget(button)
        self.progress_bar = QProgressBar()
        self.status = QLabel(self.tr("Ready"))
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)  # new text never re-lays out the panel
        self.plot = TrainingPlot()
        callbacks_title = QLabel("<b>" + self.tr("Callbacks") + "</b>")
        settings = QWidget()
        column = QVBoxLayout(settings)
        column.addLayout(form)
        column.addWidget(callbacks_title)
        column.addWidget(self.callbacks)
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        scroll.setWidget(settings)
        self._form = settings
        guard_wheel(settings)  # scrolling the form never changes the seed or the epochs by accident
        self.run_part = run = QWidget()
        run_layout = QVBoxLayout(run)
        run_layout.setContentsMargins(0, 0, 0, 0)
        run_layout.addLayout(buttons)
        run_layout.addWidget(self.progress_bar)
        run_layout.addWidget(self.status)
        run_layout.addWidget(self.plot, stretch=1)
        # the curves get the room: the settings scroll in at most SETTINGS_SHARE of the height (the student
        # drags the handle for more, or to the top to hide them), the plots never below their minimum
        scroll.setMinimumHeight(0)
        self.settings_scroll = scroll
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(run)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, True)
        self.splitter.setCollapsible(1, False)
        self.splitter.setHandleWidth(8)
        self.splitter.handle(1).setToolTip(self.tr("Drag to give the settings or the curves more room"))
        self._sized = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self._epochs = (0, 1)
        self._steps = 1
        self._t0 = time.perf_counter()
        self._done = 0          # batches done in this call, from the newest report (not throttled)
        self._latest = None     # the newest progress report
        self._stopping = False  # Stop was pressed and the run has not ended yet
        self._epoch_pending = False
        self._last_draw = 0.0
        self._discard = False   # the project was replaced while its run trained: ignore how it ends
        self._timer = QTimer(self, interval=PROGRESS_MS, timeout=self._tick)
        self._timer.start()
        self._connect()
        self._idle()
        document.graph_replaced.connect(self.project_replaced)
        document.edited.connect(self.load_settings)  # undo and redo of a setting show at once
        document.validated.connect(lambda _: self.outputs.load())  # outputs added or removed
        self.load_settings()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._sized and self.isVisible() and self.splitter.height() > 100:
            self._sized = True  # once, at the first real size; later the student's handle position is kept
            self.splitter.setSizes(self.default_sizes(self.splitter.height()))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._sized and self.splitter.height() > 100:
            self._sized = True
            self.splitter.setSizes(self.default_sizes(self.splitter.height()))

    def default_sizes(self, height: int) -> list[int]:
        """Settings and run part: the settings their natural height up to SETTINGS_SHARE, the rest the curves'."""
        wanted = self.settings_scroll.widget().sizeHint().height() + 4
        settings = max(min(wanted, int(height * SETTINGS_SHARE)), 0)
        settings = min(settings, max(height - self.run_part.minimumSizeHint().height(), 0))
        return [settings, height - settings]

    # -- settings --------------------------------------------------------------------------

    def load_settings(self) -> None:
        t = self.document.project.training
        self.outputs.load()
        self.callbacks.load()
        widgets = (self.optimizer, self.rate, self.epochs, self.batch, self.seed)
        for w in widgets:
            w.blockSignals(True)
        optimizer = schema.optimizer_of(t)
        self.optimizer.setCurrentText(optimizer["class_name"])
        rate = optimizer["config"].get("learning_rate")
        if rate is None:  # Keras' own default for this optimizer, once Keras has loaded (never loaded here)
            rate = learning_rate_known(self.optimizer.currentText())
        self.rate.setText(f"{rate:g}" if isinstance(rate, (int, float)) else "")
        self.rate.setPlaceholderText(self.tr("Keras' default"))
        self.rate.setStyleSheet("")
        more = {k: v for k, v in optimizer["config"].items() if k != "learning_rate"}
        self.optimizer_more.setText(self.tr("Also given to the optimizer: {0}").format(
            ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in more.items())) if more else "")
        self.optimizer_more.setVisible(bool(more))
        for box, key in ((self.epochs, "epochs"), (self.batch, "batch_size"), (self.seed, "seed")):
            box.setValue(int(schema.TRAINING.value(t, key)))
        for w in widgets:
            w.blockSignals(False)
        guard_wheel(self._form)  # also the outputs' and callbacks' fields made for this project

    def _set(self, key: str, value) -> None:
        training = self.document.project.training
        if training.get(key) != value:
            self.document.push(commands.SetSection(training, key, value, key.replace("_", " ")))

    def _rate_typed(self) -> None:
        """The learning-rate box was edited: store the typed rate."""
        text = self.rate.text().strip()
        old = schema.optimizer_of(self.document.project.training)
        rate = None  # emptied: back to the optimizer's default
        if text:
            try:
                rate = float(text)
            except ValueError:
                self.rate.setStyleSheet("border: 1px solid #d62728;")
                return
            if not math.isfinite(rate) or rate <= 0:
                self.rate.setStyleSheet("border: 1px solid #d62728;")
                return
            shown_default = learning_rate_known(self.optimizer.currentText())
            if old["config"].get("learning_rate") is None and rate == shown_default:
                return  # the shown default, left as it was
        self.rate.setStyleSheet("")
        self._set("optimizer", schema.with_learning_rate({**old, "class_name": self.optimizer.currentText()}, rate))

    def _optimizer_chosen(self) -> None:
        """Another optimizer: its own default rate, unless the user has typed one (which is kept)."""
        name = self.optimizer.currentText()
        old = schema.optimizer_of(self.document.project.training)
        if old["class_name"] == name:
            return
        rate = old["config"].get("learning_rate")
        previous_default = learning_rate_known(old["class_name"])
        if rate is None or rate == previous_default:  # not typed by the user (a typed rate is kept):
            rate = learning_rate_known(name)  # the new one's default; None until Keras has loaded, then Keras'
        self._set("optimizer", schema.with_learning_rate({"class_name": name, "config": {}}, rate))
        self.load_settings()

    def _connect(self) -> None:
        self.optimizer.activated.connect(lambda _: self._optimizer_chosen())
        self.rate.editingFinished.connect(self._rate_typed)
        self.epochs.valueChanged.connect(lambda v: self._set("epochs", v))
        self.batch.valueChanged.connect(lambda v: self._set("batch_size", v))
        self.seed.valueChanged.connect(lambda v: self._set("seed", v))
        self.train_button.clicked.connect(lambda: self.start(fresh=True))
        self.continue_button.clicked.connect(lambda: self.start(fresh=False))
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset_weights)
        r = self.runner
        r.started.connect(self._started)
        r.progress.connect(self._progress)
        r.epoch_ended.connect(self._epoch_ended)
        r.finished.connect(self._finished)
        r.failed.connect(self._failed)
        r.crashed.connect(self._crashed)
        r.note.connect(self.message)

    # -- running ---------------------------------------------------------------------------

    def start(self, fresh: bool = True) -> None:
        if not self.ready:  # TensorFlow is still loading: start as soon as it has (Stop takes it back)
            self._pending = fresh
            self.status.setText(self.tr("Waiting for TensorFlow to load…"))
            for button in (self.train_button, self.continue_button, self.reset_button):
                button.setEnabled(False)
            self.stop_button.setEnabled(True)
            return
        if self.blocked():
            self.message.emit(self.tr("A search or the learning-rate finder is running; stop it first (Tune tab)"))
            return
        if not self.document.report.ok:
            self.message.emit(
                self.tr("The model has errors; see the red badges on the canvas") if len(self.document.graph)
                else self.tr("The model is empty: drag a layer from the Layers panel onto the canvas"))
            QMessageBox.warning(self, self.tr("Cannot train"), "\n".join(str(p) for p in self.document.report.errors[:10]))
            return
        from studio.training.engine import TrainingError
        self.before_start()
        new_weights = fresh and self.runner.can_continue(self.document.project)
        try:
            self.runner.train(self.document.project, 0 if fresh else self.epochs.value(), fresh)
        except TrainingError as exc:
            QMessageBox.warning(self, self.tr("Cannot train"), str(exc))
            return
        self._discard = False
        self._latest, self._stopping = None, False  # nothing of the last run's progress is said for this one
        if fresh:
            self.plot.clear()
        self.train_button.setEnabled(False)
        self.continue_button.setEnabled(False)
        self.reset_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.progress_bar.setRange(0, 0)  # busy until the first epoch starts: no share of a finished run
        self.status.setText(self.tr("Preparing data and model (from new weights)…") if new_weights else
                            self.tr("Preparing data and model…"))
        if new_weights:  # there was a trained model: say that this run does not go on from it
            self.message.emit(self.tr("Train starts from new weights; Continue goes on from the trained model"))

    def reset_weights(self) -> None:
        """The Reset weights button: the trained model is forgotten, Continue is off until the next run."""
        self.runner.reset_weights(self.document.project)
        self._idle()
        self.status.setText(self.tr("Weights reset: the next run starts from new weights"))

    def tensorflow_ready(self) -> None:
        self.ready = True
        self.load_settings()  # Keras' default learning rates can be shown now
        if self._pending is not None:
            fresh, self._pending = self._pending, None
            self.start(fresh)

    def stop(self) -> None:
        if self._pending is not None:  # pressed while TensorFlow was loading: nothing runs yet, nothing will
            self._pending = None
            self._idle()
            self.status.setText(self.tr("Train was cancelled before TensorFlow had loaded"))
            return
        self.runner.stop()
        self._stopping = True  # the text stays until the run has ended: Stop was taken
        self.status.setText(self.tr("Stopping after the current steps…"))

    def project_replaced(self) -> None:
        """File > New, Open or Import Model: nothing of the previous project's run stays on screen."""
        if self.runner.running:
            self._discard = True  # its end must not show up over the new project
            self.runner.stop()
        else:
            self.runner.job = None  # Continue and Export must not reach the old model
        self.runner.source = None
        self._pending = None
        self.plot.clear()
        self._latest, self._done, self._epoch_pending = None, 0, False
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.resetFormat()
        self.status.setText(self.tr("Ready"))
        self.message.emit("")  # nor "Finished after 10 epochs" in the status bar
        self._idle()
        self.load_settings()

    def show_run(self, record: dict) -> None:
        """A reopened project: the curves and the ending of its newest recorded run (no model in memory)."""
        if self.runner.running:
            return
        # A record is a file: anything not of the shape the studio writes is left out.
        history = {key: series for key, series in clean_history(record.get("history")).items()
                   if key != "learning_rate"}
        training = record.get("training") if isinstance(record.get("training"), dict) else {}
        loss = training.get("loss")
        if per_output(loss):
            loss = ""
        loss = loss.get("class_name", "") if isinstance(loss, dict) else loss
        loss = loss[:60] if isinstance(loss, str) else ""
        self.plot.clear()
        self.plot.loss_name = loss
        self.plot.loss_plot.setTitle(self.tr("loss function: {0}").format(loss) if loss else None,
                                     size="9pt", color="#555555")
        self.plot.history = history
        self.plot.finish()
        epochs = record.get("epochs")
        epochs = epochs if _count(epochs) else max((len(v) for v in history.values()), default=0)
        target = training.get("epochs")
        target = target if _count(target) and target > 0 else epochs
        reason = record.get("reason") if isinstance(record.get("reason"), str) else None
        self.progress_bar.setRange(0, max(target, epochs, 1))
        self.progress_bar.setValue(max(target, epochs) if reason == "completed" else min(epochs, max(target, 1)))
        words = {"completed": self.tr("Newest run: finished after {0}"),
                 "stopped": self.tr("Newest run: stopped after {0}"),
                 "early_stopped": self.tr("Newest run: stopped early (no improvement) after {0}"),
                 "nan": self.tr("Newest run: stopped after {0} (the loss became NaN)")}
        self.status.setText(words.get(reason, self.tr("Newest run: {0}")).format(count_epochs(epochs)))
        self._idle()

    @property
    def curves(self) -> dict:
        """The epoch curves on screen, by history key (``loss``, ``val_accuracy``, ...)."""
        return self.plot.curves

    @property
    def history(self) -> dict:
        return self.plot.history

    def shown_loss(self) -> str:
        """The loss of the first output as the engine will compile it (and the outputs table shows)."""
        project = self.document.project
        loss = effective_loss(project.training, project.graph, project.data)
        if per_output(loss):
            loss = next(iter(loss.values()), "")
        return loss.get("class_name", "") if isinstance(loss, dict) else str(loss or "")

    def _started(self, info: dict) -> None:
        if self._discard:
            return
        self._epochs = (info["initial_epoch"], info["epochs"])
        self._steps = max(int(info["steps_per_epoch"]), 1)
        self._t0 = time.perf_counter()
        # the bar spans the whole run, 0 to the target epoch: a continuation starts where the stop left it
        self._done, self._latest = info["initial_epoch"] * self._steps, None
        self.progress_bar.setRange(0, max(info["epochs"] * self._steps, 1))
        self.progress_bar.setValue(self._done)
        job = self.runner.job
        loss = job.settings.loss if job is not None else self.shown_loss()
        if per_output(loss):
            loss = ""  # several outputs: the legend names each output's loss
        self.plot.start(info["initial_epoch"], info["epochs"],
                        loss.get("class_name", "") if isinstance(loss, dict) else str(loss))
        if info["initial_epoch"] > 0:
            self.status.setText(self.tr("Continuing from epoch {0} of the trained model…").format(info["initial_epoch"]))
        if getattr(job, "reset", None) is not None:  # Continue after an edit: say what kept its weights
            self.message.emit(self.tr("The model was edited since it was trained: {0} kept their weights; {1} "
                                      "start from new weights").format(", ".join(job.kept) or self.tr("no layer"),
                                                                       ", ".join(job.reset) or self.tr("no layer")))
        if getattr(job, "optimizer_changes", None):  # Continue with another optimizer: its state could not be kept
            self.message.emit(self.tr("The optimizer was changed since the model was trained ({0}): its state starts "
                                      "afresh; the weights go on").format("; ".join(job.optimizer_changes)))

    def _progress(self, info: dict) -> None:
        if self._discard:
            return
        steps = max(int(info.get("steps", self._steps)), 1)
        batch = min(int(info["batch"]), steps - 1)  # never more batches than an epoch has
        self._done = info["epoch"] * steps + batch + 1
        self._latest = dict(info, batch=batch)
        loss = info["logs"].get("loss")
        if loss is not None:
            self.plot.add_batch(info["epoch"] + (batch + 1) / steps, loss)  # epoch e ends at e + 1

    def _epoch_ended(self, epoch: int, logs: dict) -> None:
        if self._discard:
            return
        self.plot.add_epoch(logs)
        self._epoch_pending = True

    def _tick(self) -> None:
        """The bar moves at most every PROGRESS_MS; curves and text every REDRAW_MS or at an epoch's end."""
        if self.runner.running and not self._discard and self._latest is not None:
            self.progress_bar.setValue(min(self._done, self.progress_bar.maximum()))
        now = time.perf_counter()
        if not (self._epoch_pending or (now - self._last_draw) * 1000 >= REDRAW_MS):
            return
        self._epoch_pending = False
        self._last_draw = now
        self.plot.redraw()
        if self.runner.running and not self._discard and self._latest is not None and not self._stopping:
            self._describe(self._latest)

    def _describe(self, info: dict) -> None:
        first, last = self._epochs
        done = self._done
        elapsed = time.perf_counter() - self._t0
        left = elapsed / max(done - first * self._steps, 1) * max(self.progress_bar.maximum() - done, 0)
        self.status.setText(self.tr("Epoch {0}/{1}, batch {2}/{3}, about {4:.0f} s left").format(
            info["epoch"] + 1, last, info["batch"] + 1, info.get("steps", self._steps), left))

    def _idle(self) -> None:
        self.train_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        can = self.runner.can_continue(self.document.project)
        self.continue_button.setEnabled(can)
        self.reset_button.setEnabled(can)
        # a disabled button shows its tooltip too: say why it cannot be used
        self.continue_button.setToolTip(
            self.tr("Train more epochs, going on from the trained model (its weights and optimizer state)")
            if can else self.tr("No trained model to go on from (none trained yet, or its weights were reset): "
                                "Train starts a new one, which Continue can then go on from, also after the "
                                "project is saved and opened again"))

    def _forget_discarded(self) -> bool:
        """True (and the old job dropped) if the run that ended belonged to a replaced project."""
        if not self._discard:
            return False
        self._discard = False
        self.runner.job = None
        self._idle()
        return True

    def _finished(self, result, results) -> None:
        if self._forget_discarded():
            return
        self._idle()
        self.plot.finish()
        maximum = self.progress_bar.maximum()
        if result.reason == "completed":
            self.progress_bar.setValue(maximum)
        else:  # the true share: the epochs done (a stopped epoch counts, as Continue goes on after it) of the target
            self.progress_bar.setValue(max(0, min(result.epochs_done * self._steps, maximum)))
        words = {"completed": self.tr("Finished after {0}"), "stopped": self.tr("Stopped after {0}"),
                 "early_stopped": self.tr("Stopped early (no improvement) after {0}"),
                 "nan": self.tr("Stopped: the loss became NaN; the last good weights were kept. {0}")}
        self.status.setText(words.get(result.reason, result.reason + " ({0})").format(count_epochs(result.epochs_done)))
        self.message.emit(self.tr("{0}; see the Results tab for the test split").format(self.status.text())
                          if results is not None else self.status.text())
        self.trained.emit(result, results)

    def _failed(self, message: str, details: str) -> None:
        if self._forget_discarded():
            return
        self._idle()
        self.plot.finish()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.status.setText(self.tr("Training failed"))
        if details:  # a bug: the traceback is there for a report
            box = QMessageBox(QMessageBox.Critical, self.tr("Training failed"), message, parent=self)
            box.setDetailedText(details)
        else:  # the user's mistake (no data, bad settings): one clear line, nothing to debug
            box = QMessageBox(QMessageBox.Warning, self.tr("Cannot train"), message, parent=self)
        box.setModal(False)
        box.show()
        self.error_box = box
        self.message.emit(self.tr("Training failed: {0}").format(message))


    def _crashed(self, message: str, can_continue: bool) -> None:
        """The training process died while it trained: one line, the project untouched, and Continue offered
        where an epoch was kept."""
        if self._forget_discarded():
            return
        if getattr(self, "error_box", None) is not None:
            self.error_box.close()  # one box at a time: the newest ending is what counts
        self._idle()
        self.plot.finish()
        self.status.setText(self.tr("Training process ended"))
        box = QMessageBox(QMessageBox.Warning, self.tr("Training process ended"), message[:1].upper() + message[1:],
                          QMessageBox.Close, self)
        if can_continue:
            go_on = box.addButton(self.tr("Continue training"), QMessageBox.AcceptRole)
            go_on.clicked.connect(lambda: self.start(fresh=False))
            box.setDefaultButton(go_on)
        box.setModal(False)
        box.show()
        self.error_box = box
        self.message.emit(message)


def _count(value) -> bool:
    """An epoch count a progress bar can show (Qt's int is 32 bits)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2 ** 31


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(lambda: TrainingPanel(ProjectDocument()))
