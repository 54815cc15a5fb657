"""The learning-rate finder: one epoch while the learning rate grows exponentially, loss against rate.

The rate starts at ``start`` (1e-5) and is multiplied after every batch so
that it reaches ``end`` (10) at the last batch of the epoch; the loss of each
batch is recorded (smoothed with an exponential moving average, as in Leslie
Smith's range test). The run stops early once the smoothed loss is four times
the lowest seen: from there on the model is diverging. The suggested rate is
a tenth of the rate at the lowest smoothed loss, "well below the point where
the loss shoots up". The model's weights are not kept: the finder trains a
fresh model, and the project is unchanged.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field, replace
from typing import Callable

from studio.core import registries, schema
from studio.core.project import Project
from studio.training.data_source import TrainingData, first_output, load_training_data
from studio.training.engine import TrainingError, TrainingJob

START, END = 1e-5, 10.0
SMOOTHING = 0.98            # weight of the running average
DIVERGED = 4.0              # stop when the smoothed loss passes this many times its lowest value
SKIP = 10                   # batches before the divergence rule applies (the average starts noisy)
FELL = 0.05                 # the loss must fall this much below its start for a suggestion


@dataclass
class FinderResult:
    rates: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)      # raw loss of each batch
    smoothed: list[float] = field(default_factory=list)    # bias-corrected moving average
    suggestion: float | None = None
    minimum: float | None = None                           # the rate at the lowest smoothed loss
    stopped_early: bool = False
    message: str = ""

    def to_dict(self) -> dict:
        return {"suggestion": self.suggestion, "minimum": self.minimum, "batches": len(self.rates),
                "stopped_early": self.stopped_early}


def suggest(rates: list[float], smoothed: list[float]) -> tuple[float | None, float | None]:
    """(suggested rate, rate at the lowest smoothed loss): a tenth of the latter.

    None when there is nothing to go on: fewer than five points, or a loss that
    never fell by FELL below where it started (the sweep was too short to learn).
    """
    finite = [(r, s) for r, s in zip(rates, smoothed) if math.isfinite(s)]
    if len(finite) < 5:
        return None, None
    best_rate, best_loss = min(finite, key=lambda pair: pair[1])
    if best_loss > (1 - FELL) * finite[0][1]:
        return None, best_rate
    return best_rate / 10.0, best_rate


def find_learning_rate(project: Project, start: float = START, end: float = END, batch_size: int | None = None,
                       progress: Callable[[FinderResult], None] | None = None,
                       stop: threading.Event | None = None, max_batches: int | None = None) -> FinderResult:
    """Run the range test for ``project`` (its data, graph, loss and optimizer); see the module text.

    A client of the engine like any other: a ``TrainingJob`` of a copy of the
    project (one epoch, no schedule, callbacks or metrics, one batch per step
    execution so that every batch reports its loss), trained with the range
    test as an extra callback. The project is unchanged.
    """
    if not (0 < start < end):
        raise TrainingError(f"the range must satisfy 0 < start < end; got {start} to {end}")
    variant = project.copy()
    training = variant.training
    training.pop("schedule", None)
    training.update(callbacks={}, metrics=[], epochs=1)
    training["optimizer"] = schema.with_learning_rate(schema.optimizer_of(training), start)
    if batch_size:
        training["batch_size"] = batch_size
    data = load_training_data(variant)  # a DataError is the user's: said as it is
    batch = schema.TRAINING.value(training, "batch_size")
    if max_batches:
        data = _first_rows(data, max_batches * batch)
    data = replace(data, x_val=_first_rows_of(data.x_val, 0), y_val=_first_rows_of(data.y_val, 0))  # no validation
    batches = max(math.ceil(len(first_output(data.y_train)) / batch), 2)
    if max_batches:
        batches = min(batches, max_batches)
    factor = (end / start) ** (1.0 / (batches - 1))
    result = FinderResult()
    keras = registries.keras()

    class RangeTest(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.average, self.best = 0.0, math.inf

        def on_train_batch_end(self, batch, logs=None):
            loss = float((logs or {}).get("loss", math.nan))
            rate = float(self.model.optimizer.learning_rate.numpy())
            step = len(result.rates) + 1
            self.average = SMOOTHING * self.average + (1 - SMOOTHING) * loss
            smoothed = self.average / (1 - SMOOTHING ** step)
            result.rates.append(rate)
            result.losses.append(loss)
            result.smoothed.append(smoothed)
            if math.isfinite(smoothed):
                self.best = min(self.best, smoothed)
            if (not math.isfinite(smoothed) or (step > SKIP and smoothed > DIVERGED * self.best)
                    or step >= batches or (stop is not None and stop.is_set())):
                result.stopped_early = step < batches
                self.model.stop_training = True
                return
            self.model.optimizer.learning_rate.assign(rate * factor)
            if progress is not None and step % 5 == 0:
                progress(result)

    job = TrainingJob(variant, data=data, steps_per_execution=1)
    outcome = job.train(1, callbacks=[RangeTest()])
    if outcome.reason == "error":
        raise outcome.error
    result.suggestion, result.minimum = suggest(result.rates, result.smoothed)
    if result.suggestion is None:
        result.message = (f"no rate to suggest: in {len(result.rates)} batches the loss did not fall "
                          f"{FELL:.0%} below where it started. Use more training rows or a smaller batch size, "
                          "so the sweep has more steps")
    if progress is not None:
        progress(result)
    return result


def _first_rows_of(value, rows: int):
    """The first ``rows`` rows of an array, or of each array of a dict by input or output name."""
    return {k: v[:rows] for k, v in value.items()} if isinstance(value, dict) else value[:rows]


def _first_rows(data: TrainingData, rows: int) -> TrainingData:
    """``data`` with only its first ``rows`` training rows (a sweep of ``max_batches``)."""
    weight = data.sample_weight[:rows] if data.sample_weight is not None else None
    return replace(data, x_train=_first_rows_of(data.x_train, rows), y_train=_first_rows_of(data.y_train, rows),
                   sample_weight=weight)


def record_finder_run(project: Project, result: FinderResult):
    """Record the sweep as a run of the project (``kind: "finder"``); None for an unsaved project."""
    from types import SimpleNamespace

    from studio.training.runs import new_run_dir, record_run
    run_dir = new_run_dir(project)
    if run_dir is None:
        return None
    history = {"loss": list(result.smoothed), "learning_rate": list(result.rates)}
    outcome = SimpleNamespace(reason="stopped" if result.stopped_early else "completed", epochs_done=1, error=None,
                              history=history)
    record_run(run_dir, project, outcome, {"train": {}, "validation": {}, "test": {}},
               extra={"kind": "finder", "suggestion": result.suggestion, "minimum": result.minimum})
    return run_dir

