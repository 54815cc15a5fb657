"""The training engine: one job trains, stops, continues, evaluates and predicts.

Everything reports through plain Python callables (a Reporter), so the
application, the CLI and the tuner drive the same engine. ``stop()`` may be
called from any thread; the job stops at the end of the current step
execution. Keras is imported when a job is prepared, never at import time.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from studio.core import registries
from studio.core.files import NotWritable, check_writable
from studio.core.keras_bridge import build_model
from studio.core.project import Project
from studio.core.validation import validate
from studio.data.errors import DataError
from studio.training.data_source import TrainingData, first_output, load_training_data, scale_inputs
from studio.training import optimizer_state, pace
from studio.training.errors import OutputError, TrainingError
from studio.training.pipeline import fit_arguments
from studio.training.settings import SettingsError, TrainingSettings

PROGRESS_INTERVAL = 0.05  # seconds: at most ~20 progress reports a second
RECORD_BYTES = 1 << 20    # a run's record, history, logs and the model file's own structure, at most about


@dataclass
class Reporter:
    """Plain callables the engine calls from the training thread; each is optional."""

    started: Callable[[dict], None] | None = None        # {"epochs", "steps_per_epoch", "initial_epoch"}
    progress: Callable[[dict], None] | None = None       # {"epoch", "batch", "steps", "logs"}
    epoch_ended: Callable[[int, dict], None] | None = None
    finished: Callable[["TrainingResult"], None] | None = None


@dataclass
class TrainingResult:
    """How a call to ``train()`` ended: completed, stopped, early_stopped, nan or error."""

    reason: str
    epochs_done: int
    history: dict[str, list[float]] = field(default_factory=dict)
    error: BaseException | None = None
    stop_delay: float | None = None  # seconds from stop() to the loop noticing it

    @property
    def final(self) -> dict[str, float]:
        return {k: v[-1] for k, v in self.history.items() if v}


def epochs_to_continue(done: int, target: int) -> int:
    """How many more epochs Continue trains, as Keras' ``fit(initial_epoch=done, epochs=target)``.

    A run stopped at epoch 6 of 20 goes on to 20; one that has already reached
    its target (``done >= target``) trains ``target`` epochs more.
    """
    target = max(int(target), 1)
    return target - done if done < target else target


class TrainingJob:
    """Trains one project's model; train() can be called again to continue."""

    def __init__(self, project: Project, reporter: Reporter | None = None, data: TrainingData | None = None,
                 steps_per_execution: int | None = None, strategy=None):
        """Train ``project``: the job's own (pass a copy to keep yours), whose graph gets the input scaling
        learned from the data (``data_source.scale_inputs``) before a new model is built, so the model's
        description saved with it is the model's. ``data`` is used instead of loading the project's;
        ``steps_per_execution`` is how many batches Keras runs per call (1: every batch reports to the
        callbacks, as the learning-rate finder needs; None: as many as take about a tenth of a second,
        ``studio.training.pace``)."""
        self.project = project
        self.steps_per_execution = steps_per_execution  # as asked
        self.execution_steps = steps_per_execution or 1  # as the model was last compiled with
        self.reporter = reporter or Reporter()
        self.data = data
        self.strategy = strategy
        self.model = None
        self.epoch = 0
        self.history: dict[str, list[float]] = {}
        self._stop = threading.Event()
        self._stop_time: float | None = None
        self._noticed: float | None = None
        self._saw_nan = False
        self._good_weights = None
        self._good_optimizer = None
        self.run_dir = None  # set by the caller to write checkpoints, TensorBoard and CSV logs
        self.source_run = None  # the run whose model this job goes on from (None: fresh weights)
        # what of the optimizer changed when a Continue could not keep its state (its steps, Adam's moments)
        self.optimizer_changes: list[str] | None = None
        self._trained_with: TrainingSettings | None = None  # an adopted model's own settings, where known
        self._next: tuple[TrainingSettings, Project] | None = None  # settings a Continue goes on with
        self._prepared = False
        try:
            self.settings = TrainingSettings.for_project(project)  # the loss the window shows
        except (SettingsError, TypeError) as exc:
            raise TrainingError(str(exc)) from None

    # -- set-up -------------------------------------------------------------------------

    def adopt(self, model, metadata: dict | None = None) -> None:
        """Go on from ``model`` as loaded from a file: its weights, optimizer state, epochs and history.

        ``prepare()`` then compiles it with the project's settings (``self.settings``),
        which win over the ones it was saved with; its optimizer and the
        optimizer's state are kept where those settings allow it (see
        ``continue_with``).
        """
        metadata = metadata or {}
        self.model = model
        self._trained_with = _settings_or_none(metadata.get("training"))
        epoch = metadata.get("epoch")
        self.epoch = epoch if isinstance(epoch, int) and not isinstance(epoch, bool) and epoch >= 0 else 0
        history = metadata.get("history")
        self.history = {str(k): [float(v) for v in values] for k, values in history.items()
                        if isinstance(values, list) and all(isinstance(v, (int, float)) for v in values)} \
            if isinstance(history, dict) else {}

    def carry_weights(self, previous) -> tuple[list[str], list[str]]:
        """Start from ``previous`` model's weights where the new graph's layers still fit them.

        Layers are matched by name; one whose weights all have the same shapes
        keeps them, the others start afresh. Returns (kept, reset) layer names.
        The optimizer starts afresh (its state belongs to the old variables).
        Call it on a prepared job.
        """
        old = {layer.name: layer for layer in previous.layers}
        kept, reset = [], []
        for layer in self.model.layers:
            weights = layer.get_weights()
            if not weights:
                continue
            source = old.get(layer.name)
            values = source.get_weights() if source is not None else None
            if values is not None and [v.shape for v in values] == [w.shape for w in weights]:
                layer.set_weights(values)
                kept.append(layer.name)
            else:
                reset.append(layer.name)
        return kept, reset

    def continue_with(self, project: Project | None) -> bool:
        """Train on from this job's model with ``project``'s training and data sections (the graph is the same).

        What the window shows is what the next ``train()`` uses: its batch size,
        epochs, seed and callbacks; a changed learning rate (or schedule) is
        given to the optimizer, whose state (step count, moments) goes on; a
        changed loss, loss weights or metrics recompile the model with the same
        optimizer; a changed optimizer class or other argument gives a new
        optimizer, whose state starts afresh (``optimizer_changes`` then says
        what changed); a changed data section is read again (the model keeps
        the input scaling it was trained with). The weights always go on. It
        all happens in the next ``prepare()`` (on the training thread: reading
        data takes time); a problem there is a TrainingError and leaves the job
        as it was. ``None`` drops a change not prepared yet.

        Returns whether anything but the epochs target differs from what the
        job trained with: a run of other settings, which deserves its own record.
        """
        if project is None:
            self._next = None
            return False
        try:
            settings = TrainingSettings.for_project(project)
        except (SettingsError, TypeError) as exc:
            raise TrainingError(str(exc)) from None
        sections = project.copy()
        self._next = (settings, sections)

        def shaping(training):  # the epochs box only says how long to go on
            return {key: value for key, value in training.items() if key != "epochs"}
        return (shaping(sections.training) != shaping(self.project.training)
                or _data_of(sections) != _data_of(self.project))

    def prepare(self) -> None:
        """Load the data, check everything, build and compile the model (once)."""
        if self._next is not None and self.model is not None:
            return self._go_on()
        if self._prepared:
            return
        graph = self.project.graph
        try:
            if self.data is None:
                self.data = load_training_data(self.project)
            self.settings.check(graph.outputs)
        except (DataError, SettingsError) as exc:
            raise TrainingError(str(exc)) from None
        report = validate(graph)
        if not report.ok:
            raise TrainingError("the model has errors: " + "; ".join(str(p) for p in report.errors))
        self._check_targets(report, self.data)
        keras = registries.keras()
        if self.model is not None:  # adopted from a file: trained on with the project's settings
            self._use_settings(self.settings, self._trained_with, recompile=True)
        else:  # a new model: the input scaling learned from the data goes into the job's own graph
            scale_inputs(graph, self.data)
            keras.utils.set_random_seed(self.settings.seed)
            with self._scope():
                self.model = build_model(graph)
                self._compile()
        self._prepared = True

    def _scope(self):
        """The strategy's scope, where the model's and the optimizer's variables are made (or nothing)."""
        from contextlib import nullcontext
        return self.strategy.scope() if self.strategy is not None else nullcontext()

    def _compile(self) -> None:
        args = self.settings.compile_arguments(self.project.graph.outputs)
        self._one_hot = wants_one_hot(args["loss"])
        self.model.compile(optimizer=self.settings.build_optimizer(),
                           steps_per_execution=self._execution_steps(self.settings), **args)

    def _execution_steps(self, settings: TrainingSettings) -> int:
        """Batches per call into TensorFlow for the model as it is now, at ``settings``' batch size."""
        steps = self.steps_per_execution or pace.steps_per_execution(self.model, settings.batch_size)
        self.execution_steps = steps
        return steps

    def _go_on(self) -> None:
        """Apply the settings ``continue_with`` was given; nothing changes if they cannot train."""
        (settings, sections), self._next = self._next, None  # tried once: a failure leaves the job as it was
        graph = self.project.graph  # the trained model's, with its input scaling
        data = self.data
        try:
            if data is None or _data_of(sections) != _data_of(self.project):
                # the model keeps the scaling it was trained with: nothing new goes into the graph
                data = load_training_data(sections.copy(graph=graph))
            settings.check(graph.outputs)
        except (DataError, SettingsError) as exc:
            raise TrainingError(str(exc)) from None
        self._check_targets(validate(graph), data)
        # a model adopted but never prepared (that failed) is still compiled as its file says
        first = not self._prepared
        before = self._trained_with if first else self.settings
        self.settings, self.data = settings, data
        self.project.data, self.project.training, self.project.path = sections.data, sections.training, sections.path
        self._use_settings(settings, before, recompile=first)
        self._prepared = True

    def _use_settings(self, settings: TrainingSettings, before: TrainingSettings | None, recompile: bool) -> None:
        """Compile the model with ``settings``, keeping its optimizer's state where they allow it.

        The state (step count, moments) goes on when the optimizer's class and
        its arguments other than the learning rate are the same. ``before`` is
        what the model trained with (None: not known): the learning rate is
        set when the settings' differs from it (an unchanged rate leaves the
        optimizer's, which ReduceLROnPlateau may have lowered, as it is). Without
        ``recompile`` the model is compiled only when its loss, loss weights,
        metrics or optimizer change.
        """
        outputs = self.project.graph.outputs
        args = settings.compile_arguments(outputs)
        self._one_hot = wants_one_hot(args["loss"])
        current = self.model.optimizer if getattr(self.model, "compiled", False) else None
        wanted = settings.build_optimizer()
        changes = optimizer_state.changes(current, wanted) if current is not None else []
        self.optimizer_changes = None
        optimizer = current
        if current is None or changes or not current.built:
            if current is not None and optimizer_state.steps_taken(current) > 0:
                self.optimizer_changes = changes  # its state belonged to the other optimizer's settings
            optimizer = wanted
        elif optimizer_state.schedule_changed(current, wanted):  # a rate for a schedule or back: the state moves
            optimizer = wanted
            carried = optimizer_state.carry_state(current, wanted, self.model.trainable_variables)
            if not carried and optimizer_state.steps_taken(current) > 0:
                self.optimizer_changes = ["learning-rate schedule"]
        else:
            rate = optimizer_state.rate_of(settings)
            if rate is not None:
                old = optimizer_state.rate_of(before) if before is not None and before.schedule is None \
                    and before.optimizer.get("class_name") == settings.optimizer.get("class_name") else None
                if old is None:
                    old = float(current.learning_rate)
                if not math.isclose(rate, old, rel_tol=1e-6):
                    current.learning_rate = rate  # the same variable: the step count and the moments go on
        if not recompile and optimizer is current:
            try:
                recompile = before is None or before.compile_arguments(outputs) != args
            except SettingsError:
                recompile = True
        if recompile or optimizer is not current:
            self.model.compile(optimizer=optimizer, steps_per_execution=self._execution_steps(settings), **args)

    def _check_targets(self, report, data) -> None:
        graph = self.project.graph
        for name in graph.outputs:
            width = report.shapes[name].shape[-1]
            y = data.y_train[name] if isinstance(data.y_train, dict) else data.y_train
            if data.task in ("binary", "multiclass"):
                top = int(max(np.max(labels) for labels in (y, first_output(data.y_val), first_output(data.y_test))
                              if len(labels)))
                if data.task == "binary" and width == 1:
                    continue
                if top >= width:
                    raise TrainingError(f"labels go up to {top} ({len(data.class_names)} classes) but output "
                                        f"{name!r} has {width} unit{'s' if width != 1 else ''}; set its units "
                                        f"to {len(data.class_names)}")
                if width != len(data.class_names):
                    raise TrainingError(f"output {name!r} has {width} units but there are "
                                        f"{len(data.class_names)} classes; set its units to {len(data.class_names)}")
            else:
                need = 1 if y.ndim == 1 else y.shape[1]
                if width != need:
                    raise TrainingError(f"output {name!r} has {width} units but the target has {need} "
                                        f"value{'s' if need != 1 else ''} per row; set its units to {need}")
        for split in (data.x_train, data.y_train):
            for array in (split.values() if isinstance(split, dict) else [split]):
                if array.dtype.kind == "f" and not np.isfinite(array).all():
                    raise TrainingError("the training data holds NaN or infinite values; choose a "
                                        "missing-value policy")

    def output_size(self) -> int:
        """About how many bytes the trained model takes on disk with its record (call on a prepared job).

        The weights and the optimizer's variables; an optimizer not built yet is
        counted with two slots per trainable weight (Adam's moments).
        """
        def size(variables):
            return sum(int(np.prod(v.shape)) * np.dtype(v.dtype).itemsize for v in variables)
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and getattr(optimizer, "built", False):
            state = size(optimizer.variables)
        else:
            state = 2 * size(self.model.trainable_weights)
        return size(self.model.weights) + state + RECORD_BYTES

    def check_output(self, folder) -> None:
        """Raise OutputError unless ``folder`` (or, not made yet, its parent) can take the trained model and
        its record.

        Checked before training, so that a read-only folder or a full disk is
        said at once instead of after the whole training.
        """
        self.prepare()
        try:
            check_writable(folder, self.output_size())
        except NotWritable as exc:
            raise OutputError(f"{exc}; a trained model could not be saved there, so training does not start") \
                from None

    # -- training ---------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the running train() to stop after the current step execution (thread-safe)."""
        self._stop_time = time.perf_counter()
        self._stop.set()

    def train(self, epochs: int | None = None, callbacks: list | None = None) -> TrainingResult:
        """Train ``epochs`` more epochs (default: the settings'); continues where the last call ended.

        ``callbacks`` are Keras callbacks added to the settings' own for this call (the learning-rate
        finder's range test); one that sets ``model.stop_training`` ends the run as "completed".
        """
        try:
            self.prepare()
            if self.run_dir is not None:
                self.check_output(self.run_dir)
        except TrainingError as exc:
            result = TrainingResult("error", self.epoch, dict(self.history), exc)
            _call(self.reporter.finished, result)
            return result
        keras = registries.keras()
        self._stop.clear()
        self._noticed = self._stop_time = None
        epochs = epochs or self.settings.epochs
        start_epoch, target = self.epoch, self.epoch + epochs
        data = self.data
        callbacks = [self._progress_callback(keras)] + self._keras_callbacks(keras) + list(callbacks or [])
        self._good_weights, self._good_optimizer = self.model.get_weights(), optimizer_state.saved_state(self.model)
        reason, error = "completed", None
        y_train, y_val = self._targets(data.y_train), self._targets(data.y_val)
        has_val = len(first_output(data.y_val)) > 0
        keras.utils.set_random_seed(self.settings.seed + start_epoch)
        try:
            if data.stream is not None:  # a file larger than memory: datasets read from disk, weights inside
                history = self.model.fit(**data.fit_arguments(self.settings.batch_size, self._one_hot,
                                                              self.settings.seed + start_epoch),
                                         epochs=target, initial_epoch=start_epoch, callbacks=callbacks, verbose=0)
            else:
                batches = fit_arguments(data.x_train, y_train, self.settings.batch_size, data.sample_weight,
                                        data.class_weight if len(self.project.graph.outputs) == 1 else None)
                history = self.model.fit(
                    **batches, epochs=target, initial_epoch=start_epoch,
                    validation_data=(data.x_val, y_val) if has_val else None, callbacks=callbacks, verbose=0)
            logs = history.history
        except Exception as exc:  # the job ends; model, project and earlier runs stay as they were
            logs, reason, error = {}, "error", exc
        for key, values in logs.items():
            self.history.setdefault(key, []).extend(float(v) for v in values)
        self.epoch = start_epoch + len(next(iter(logs.values()), []))
        if reason != "error":
            reason = self._reason(callbacks)
        if reason == "nan":  # the last good epoch's weights, and its optimizer state (Adam's moments are NaN too)
            self.model.set_weights(self._good_weights)
            optimizer_state.restore_state(self.model, self._good_optimizer)
        delay = (self._noticed - self._stop_time) if self._noticed and self._stop_time else None
        result = TrainingResult(reason, self.epoch, dict(self.history), error, delay)
        _call(self.reporter.finished, result)
        return result

    def _reason(self, callbacks) -> str:
        last = {k: v[-1] for k, v in self.history.items() if v}
        if self._saw_nan or any(not math.isfinite(v) for v in last.values()):
            return "nan"
        if self._stop.is_set():
            return "stopped"
        if any(type(cb).__name__ == "EarlyStopping" and cb.stopped_epoch > 0 for cb in callbacks):
            return "early_stopped"
        return "completed"

    def _targets(self, y):
        if not self._one_hot:
            return y
        n = len(self.data.class_names)
        if isinstance(y, dict):
            return {k: np.eye(n, dtype=np.float32)[v] for k, v in y.items()}
        return np.eye(n, dtype=np.float32)[y]

    def _progress_callback(self, keras):
        job = self
        self._saw_nan = False

        class Progress(keras.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.last = 0.0
                self.epoch = job.epoch
                self.steps = max(math.ceil(job.data.train_size / job.settings.batch_size), 1)
                _call(job.reporter.started, {"initial_epoch": job.epoch, "epochs": self.params.get("epochs"),
                                             "steps_per_epoch": self.steps})

            def on_epoch_begin(self, epoch, logs=None):
                self.epoch = epoch

            def on_train_batch_end(self, batch, logs=None):
                if job._stop.is_set():
                    job._noticed = job._noticed or time.perf_counter()
                    self.model.stop_training = True
                loss = (logs or {}).get("loss")
                if loss is not None and not math.isfinite(float(loss)):
                    job._saw_nan = True
                    if (job.settings.callbacks or {}).get("terminate_on_nan", True):
                        self.model.stop_training = True
                now = time.perf_counter()
                # Keras reports the last step of each execution as begin + steps per execution - 1, even
                # where the epoch ends sooner: the true index is at most the epoch's last batch
                batch = min(int(batch), self.steps - 1)
                if now - self.last >= PROGRESS_INTERVAL or batch == self.steps - 1:
                    self.last = now
                    _call(job.reporter.progress, {"epoch": self.epoch, "batch": batch, "steps": self.steps,
                                                  "logs": {k: float(v) for k, v in (logs or {}).items()}})

            def on_epoch_end(self, epoch, logs=None):
                logs = {k: float(v) for k, v in (logs or {}).items()}
                if all(math.isfinite(v) for v in logs.values()):
                    job._good_weights = self.model.get_weights()
                    job._good_optimizer = optimizer_state.saved_state(self.model)
                _call(job.reporter.epoch_ended, epoch, logs)

        return Progress()

    def _keras_callbacks(self, keras) -> list:
        from studio.training.callbacks import build_callbacks
        return build_callbacks(keras, self.settings.callbacks or {}, self.run_dir)

    def metadata(self) -> dict:
        """What the studio saves with the model: graph, settings, preprocessing, history."""
        return {"graph": self.project.graph.to_dict(), "training": self.settings.to_dict(),
                "data": self.project.data, "preprocessing": self.data.preprocessing if self.data else {},
                "class_names": self.data.class_names if self.data else [], "epoch": self.epoch,
                "history": self.history, "steps_per_execution": self.execution_steps}

    # -- results ------------------------------------------------------------------------------

    def evaluate(self) -> dict[str, float]:
        """Loss and metrics on the test split."""
        self.prepare()
        data = self.data
        if len(first_output(data.y_test)) == 0:  # the data section keeps no test split
            return {}
        if data.stream is not None:  # the whole test split, read from disk
            logs = self.model.evaluate(data.split_dataset("test", 256, self._one_hot), verbose=0, return_dict=True)
        else:
            logs = self.model.evaluate(data.x_test, self._targets(data.y_test), batch_size=256, verbose=0,
                                       return_dict=True)
        return {k: float(v) for k, v in logs.items()}

    def predict(self, x) -> np.ndarray:
        """Model outputs for ``x`` (the first output when there are several)."""
        self.prepare()
        out = self.model.predict(x, batch_size=256, verbose=0)
        return out[0] if isinstance(out, (list, tuple)) else out

    def predict_classes(self, x) -> tuple[np.ndarray, np.ndarray]:
        """(class index, probability of that class) per row, for classification."""
        probs = self.predict(x)
        if probs.shape[-1] == 1:  # a sigmoid output
            p = probs[:, 0]
            classes = (p >= 0.5).astype(int)
            return classes, np.where(classes == 1, p, 1 - p)
        return probs.argmax(axis=-1), probs.max(axis=-1)


def _data_of(project: Project) -> dict:
    """A project's data section with its file as an absolute path: a Save As elsewhere changes no data."""
    data = dict(project.data)
    path = project.data_path()
    if path is not None:
        data["path"] = str(path)
    return data


def _settings_or_none(training) -> TrainingSettings | None:
    """The settings a model file says it was trained with; None when it says none usable (it is a file)."""
    if not isinstance(training, dict) or not training:
        return None
    try:
        return TrainingSettings.from_dict(training)
    except (SettingsError, TypeError):
        return None


def wants_one_hot(loss) -> bool:
    losses = loss.values() if isinstance(loss, dict) else [loss]
    return any(l == "categorical_crossentropy" or (isinstance(l, dict) and l.get("class_name") ==
                                                   "CategoricalCrossentropy") for l in losses)


def _call(callback, *args) -> None:
    if callback is not None:
        callback(*args)
