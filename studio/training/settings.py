"""Training settings as stored in a project's ``training`` section, checked before training.

Losses, optimizers and metrics are named as Keras names them and resolved
through Keras' own registries; short names ("mse") are stored in their
canonical form ("mean_squared_error"), because Keras 3.15 cannot reload an
``.h5`` compiled with the short string.
"""

from __future__ import annotations

import copy
import functools
import inspect
import math
import sys
from dataclasses import dataclass, field
from typing import Any

from studio.core import registries
from studio.core.loss_defaults import effective_loss, is_unset

OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "Nadam")
SCHEDULES = ("ExponentialDecay", "PiecewiseConstantDecay")


class SettingsError(ValueError):
    """Settings that cannot train; the message says which and why."""


@dataclass
class TrainingSettings:
    """Everything ``model.compile`` and ``model.fit`` need, as plain data.

    Attributes:
        loss: one Keras loss (name or {"class_name", "config"}) or one per output name; None (the
            project names none) until ``for_project`` fills in the task's default
            (studio.core.loss_defaults), which is what the window shows.
        loss_weights: {output name: weight}.
        optimizer: {"class_name": "SGD", "config": {"learning_rate": 0.01, ...}}.
        schedule: an optional learning-rate schedule {"class_name", "config"}.
        metrics: a list for every output, or {output name: [metrics]}.
        callbacks: {"early_stopping": {...}, "model_checkpoint": {...},
            "reduce_lr_on_plateau": {...}, "terminate_on_nan": true,
            "tensorboard": {...}, "csv_logger": {...}}; a missing key is off.
    """

    loss: Any = None
    loss_weights: dict[str, float] | None = None
    optimizer: dict = field(default_factory=lambda: {"class_name": "Adam", "config": {}})
    schedule: dict | None = None
    metrics: Any = field(default_factory=list)
    epochs: int = 10
    batch_size: int = 32
    seed: int = 42
    callbacks: dict = field(default_factory=lambda: {"terminate_on_nan": True})

    @classmethod
    def from_dict(cls, data: dict) -> "TrainingSettings":
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise SettingsError(f"unknown training setting(s): {', '.join(sorted(unknown))}")
        return cls(**copy.deepcopy(data))

    @classmethod
    def for_project(cls, project) -> "TrainingSettings":
        """The settings a project trains with: its own, and the task's default loss where it names none."""
        settings = cls.from_dict(project.training)
        settings.loss = effective_loss(project.training, project.graph, project.data)
        return settings

    def to_dict(self) -> dict:
        return {name: copy.deepcopy(getattr(self, name)) for name in self.__dataclass_fields__}

    # -- checks ----------------------------------------------------------------------

    def check(self, outputs: list[str]) -> None:
        """Raise SettingsError for anything that would fail or silently mislead."""
        for name, value, lo in (("epochs", self.epochs, 1), ("batch size", self.batch_size, 1)):
            if not isinstance(value, int) or isinstance(value, bool) or value < lo:
                raise SettingsError(f"{name} must be a whole number >= {lo}, got {value!r}")
        if self.optimizer.get("class_name") not in OPTIMIZERS:
            raise SettingsError(f"unknown optimizer {self.optimizer.get('class_name')!r}; choose one of "
                                f"{', '.join(OPTIMIZERS)}")
        rate = self.optimizer.get("config", {}).get("learning_rate", 0.001)
        if self.schedule is None and (not isinstance(rate, (int, float)) or isinstance(rate, bool)
                                      or not math.isfinite(rate) or rate <= 0):
            raise SettingsError(f"the learning rate must be a finite number > 0, got {rate!r}")
        if self.schedule is not None and self.schedule.get("class_name") not in SCHEDULES:
            raise SettingsError(f"unknown learning-rate schedule {self.schedule.get('class_name')!r}; "
                                f"choose one of {', '.join(SCHEDULES)}")
        if is_unset(self.loss):
            raise SettingsError("no loss is chosen")
        if len(outputs) > 1 and not isinstance(self.loss, dict):
            raise SettingsError(f"the model has {len(outputs)} outputs ({', '.join(outputs)}); give a loss for "
                                "each output")
        if isinstance(self.loss, dict):
            missing = [o for o in outputs if o not in self.loss]
            extra = [k for k in self.loss if k not in outputs]
            if missing or extra:
                raise SettingsError(f"losses are given for {', '.join(self.loss) or 'no output'} but the "
                                    f"model's outputs are {', '.join(outputs)}")
        for key in (self.loss_weights or {}):
            if key not in outputs:
                raise SettingsError(f"a loss weight is given for {key!r}, which is not an output")
        for name, cfg in (self.callbacks or {}).items():
            if name not in CALLBACKS:
                raise SettingsError(f"unknown callback {name!r}; known: {', '.join(CALLBACKS)}")
        for loss in (self.loss.values() if isinstance(self.loss, dict) else [self.loss]):
            canonical_loss(loss)

    # -- Keras objects -----------------------------------------------------------------

    def build_optimizer(self):
        keras = registries.keras()
        config = dict(self.optimizer.get("config", {}))
        if self.schedule is not None:
            config["learning_rate"] = keras.optimizers.schedules.deserialize(
                {"class_name": self.schedule["class_name"], "config": self.schedule.get("config", {})})
        return keras.optimizers.deserialize({"class_name": self.optimizer["class_name"], "config": config})

    def compile_arguments(self, outputs: list[str]) -> dict:
        loss = ({o: canonical_loss(self.loss[o]) for o in outputs} if isinstance(self.loss, dict)
                else canonical_loss(self.loss))
        metrics = self.metrics
        if isinstance(metrics, dict):
            metrics = {o: [canonical_metric(m) for m in metrics.get(o, [])] for o in outputs}
        elif len(outputs) > 1:
            metrics = {o: [canonical_metric(m) for m in metrics] for o in outputs}
        else:
            metrics = [canonical_metric(m) for m in metrics]
        weights = None
        if self.loss_weights:
            weights = {o: float(self.loss_weights.get(o, 1.0)) for o in outputs}
        return {"loss": loss, "loss_weights": weights, "metrics": metrics}


@functools.lru_cache(maxsize=None)
def default_learning_rate(class_name: str) -> float:
    """Keras' own default learning rate of an optimizer class (0.01 for SGD, 0.001 for Adam)."""
    keras = registries.keras()
    parameter = inspect.signature(getattr(keras.optimizers, class_name)).parameters["learning_rate"]
    return float(parameter.default)


def learning_rate_known(class_name: str) -> float | None:
    """``default_learning_rate`` if Keras is already loaded (never loads it), else None."""
    module = sys.modules.get("keras")
    # keras is in sys.modules from the moment its import begins (on the loader thread): wait for the end
    if module is None or getattr(getattr(module, "__spec__", None), "_initializing", False) \
            or not hasattr(module, "optimizers"):
        return None
    return default_learning_rate(class_name)


def canonical_loss(loss):
    """'mse' -> 'mean_squared_error'; a class config is kept. Raises SettingsError if unknown."""
    keras = registries.keras()
    if isinstance(loss, dict):
        try:
            keras.losses.deserialize({"class_name": loss["class_name"], "config": loss.get("config", {})})
        except Exception as exc:
            raise SettingsError(f"unknown loss {loss!r}: {exc}") from None
        return {"class_name": loss["class_name"], "config": loss.get("config", {})}
    try:
        resolved = keras.losses.get(loss)
    except Exception:
        resolved = None
    if resolved is None:
        raise SettingsError(f"unknown loss {loss!r}")
    name = getattr(resolved, "__name__", None)
    return name if name and isinstance(loss, str) else loss


def canonical_metric(metric):
    """Metric names are kept as given except Keras' short loss-style aliases."""
    aliases = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "rmse": "root_mean_squared_error",
               "acc": "accuracy"}
    return aliases.get(metric, metric) if isinstance(metric, str) else metric


CALLBACKS = ("early_stopping", "model_checkpoint", "reduce_lr_on_plateau", "terminate_on_nan",
             "tensorboard", "csv_logger")
