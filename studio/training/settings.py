"""Training settings as stored in a project's ``training`` section, checked before training.

Losses, optimizers and metrics are named as Keras names them and resolved
through Keras' own registries; short names ("mse") are stored in their
canonical form ("mean_squared_error"), because Keras 3.15 cannot reload an
``.h5`` compiled with the short string.

The section's types, ranges and defaults are ``studio.core.schema.TRAINING``'s;
``problems()`` adds what only Keras can say (an optimizer's arguments, loss and
metric names) and what only the graph can say (one loss per output). The same
``problems()`` serves ``studio check`` (``project_problems``) and the engine
(``check()``), so both refuse the same settings with the same words.
"""

from __future__ import annotations

import copy
import inspect
from dataclasses import dataclass, field
from typing import Any

from studio.core import kinds, registries, schema
from studio.core.errors import UserError
from studio.core.loss_defaults import effective_loss, is_unset, per_output
from studio.core.schema import OPTIMIZERS, SCHEDULES, TRAINING

# OPTIMIZERS and SCHEDULES are the schema's, and still importable from here.
__all__ = ["OPTIMIZERS", "SCHEDULES", "SettingsError", "TrainingSettings", "project_problems"]


class SettingsError(UserError):
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

    # Every default is the schema's (studio.core.schema.TRAINING), the one the file format documents.
    loss: Any = TRAINING.default("loss")
    loss_weights: dict[str, float] | None = TRAINING.default("loss_weights")
    optimizer: dict = field(default_factory=lambda: TRAINING.default("optimizer"))
    schedule: dict | None = TRAINING.default("schedule")
    metrics: Any = field(default_factory=lambda: TRAINING.default("metrics"))
    epochs: int = TRAINING.default("epochs")
    batch_size: int = TRAINING.default("batch_size")
    seed: int = TRAINING.default("seed")
    callbacks: dict = field(default_factory=lambda: TRAINING.default("callbacks"))

    @classmethod
    def from_dict(cls, data: dict) -> "TrainingSettings":
        """Settings from a project's ``training`` section; SettingsError for an unknown key or a wrong type."""
        problems = schema.section_problems("training", data)
        if problems:
            raise SettingsError(kinds.summary(problems))
        # a field left null is its default, as the window shows it (kinds.Record.value)
        return cls(**{key: TRAINING.value(data, key) if key in TRAINING.fields else value
                      for key, value in data.items()})

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
        """Raise SettingsError for anything that would fail or silently mislead (the first problem, and how
        many more there are)."""
        problems = self.problems(outputs)
        if problems:
            raise SettingsError(kinds.summary(problems))

    def problems(self, outputs: list[str]) -> list[str]:
        """Every problem of these settings for a model with ``outputs``, one line each naming the field.

        Types and ranges first (the schema's); only settings of the right types
        are then given to Keras (which this loads).
        """
        out = schema.section_problems("training", self.to_dict())
        if out:
            return out
        config = self.optimizer.get("config") or {}
        if self.schedule is None and "learning_rate" in config:
            rate = schema.LEARNING_RATE
            rate.kind.problems(config["learning_rate"], "training.optimizer.config.learning_rate", rate.label, out)
        if is_unset(self.loss):
            out.append("training.loss: no loss is chosen")
        elif len(outputs) > 1 and not per_output(self.loss):
            out.append(f"training.loss: the model has {len(outputs)} outputs ({', '.join(outputs)}); give a loss "
                       "for each output")
        elif per_output(self.loss):
            missing = [o for o in outputs if o not in self.loss]
            extra = [k for k in self.loss if k not in outputs]
            if missing or extra:
                given = ", ".join(map(kinds.shown, self.loss)) or "no output"
                out.append(f"training.loss: losses are given for {given} but the model's outputs are "
                           f"{', '.join(outputs)}")
        for key in (self.loss_weights or {}):
            if key not in outputs:
                out.append(f"training.loss_weights: a loss weight is given for {kinds.shown(key)}, which is not an "
                           "output")
        if isinstance(self.metrics, dict):
            for key in self.metrics:
                if key not in outputs:
                    out.append(f"training.metrics: metrics are given for {kinds.shown(key)}, which is not an output")
        if out:
            return out
        return self._keras_problems(outputs)

    def _keras_problems(self, outputs: list[str]) -> list[str]:
        """What Keras refuses: optimizer and schedule arguments, losses and metrics."""
        keras = registries.keras()
        out = _arguments_problems(keras.optimizers, self.optimizer, "training.optimizer")
        if self.schedule is not None:
            out += _arguments_problems(keras.optimizers.schedules, self.schedule, "training.schedule")
        if not out:
            try:
                self.build_optimizer()
            except Exception as exc:  # Keras checks its arguments' values as it makes the optimizer
                out.append(f"training.optimizer: Keras refuses these settings: {kinds.one_line(exc)}")
        losses = self.loss.items() if per_output(self.loss) else [(None, self.loss)]
        for output, loss in losses:
            try:
                canonical_loss(loss)
            except SettingsError as exc:
                out.append(f"training.loss{'.' + kinds.shown(output) if output else ''}: {exc}")
        metrics = self.metrics.items() if isinstance(self.metrics, dict) else [(None, self.metrics)]
        for output, names in metrics:
            for i, metric in enumerate(names):
                problem = _metric_problem(keras, metric)
                if problem:
                    out.append(f"training.metrics{'.' + kinds.shown(output) if output else ''}[{i}]: {problem}")
        return out

    # -- Keras objects -----------------------------------------------------------------

    def build_optimizer(self):
        keras = registries.keras()
        config = _floats_as_keras_wants(getattr(keras.optimizers, self.optimizer["class_name"]),
                                        self.optimizer.get("config") or {})
        if self.schedule is not None:
            config["learning_rate"] = keras.optimizers.schedules.deserialize(
                {"class_name": self.schedule["class_name"], "config": self.schedule.get("config", {})})
        return keras.optimizers.deserialize({"class_name": self.optimizer["class_name"], "config": config})

    def compile_arguments(self, outputs: list[str]) -> dict:
        loss = ({o: canonical_loss(self.loss[o]) for o in outputs} if per_output(self.loss)
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


def default_learning_rate(class_name: str) -> float:
    """Keras' own default learning rate of an optimizer class (0.01 for SGD, 0.001 for Adam); the class is one of
    OPTIMIZERS (the training section's schema refuses any other)."""
    rate = registries.default_learning_rate(class_name)
    if rate is None:
        raise SettingsError(f"training.optimizer: {kinds.shown(class_name)} is not one of {', '.join(OPTIMIZERS)}")
    return rate


def learning_rate_known(class_name: str) -> float | None:
    """``default_learning_rate`` where this process has loaded Keras or has been told by the training child
    (``registries.install``); never loads it, else None."""
    return registries.default_learning_rate(class_name, load=False)


def project_problems(project) -> list[str]:
    """Every problem in a project's data and training sections that training would refuse, one line each.

    The graph's own problems are ``studio.core.validation.validate``'s. Used by
    ``studio check``; the engine meets the same checks on its way
    (``load_training_data`` and ``check``). Loads Keras.
    """
    from studio.training.data_source import data_problems

    out = data_problems(project.data)
    try:
        settings = TrainingSettings.for_project(project)
    except SettingsError:
        return out + schema.section_problems("training", project.training)
    return out + settings.problems(project.graph.outputs)


def _arguments_problems(module, value: dict, path: str) -> list[str]:
    """Each key of an optimizer's (or schedule's) config that its Keras class does not take, and each value
    whose type is not that of the argument's Keras default."""
    cls = getattr(module, value["class_name"])
    params = {p.name: p for p in inspect.signature(cls.__init__).parameters.values()
              if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
    out = []
    for key, given in (value.get("config") or {}).items():
        key = str(key)
        where = f"{path}.config.{key if key.isidentifier() and len(key) <= 40 else kinds.shown(key)}"
        if key not in params:
            out.append(f"{where}: {value['class_name']} takes no argument {kinds.shown(key)}; it takes "
                       f"{', '.join(params)}")
            continue
        default = params[key].default
        if key == "learning_rate" or default is inspect.Parameter.empty:
            continue  # checked above, or by Keras as it makes the object
        if isinstance(default, bool):
            kind = kinds.Flag()
        elif isinstance(default, (int, float)) or (default is None and key != "name"):
            kind = kinds.Nullable(kinds.Number()) if default is None else kinds.Number()
        elif isinstance(default, str) or key == "name":
            kind = kinds.Nullable(kinds.Text()) if default is None else kinds.Text()
        else:
            continue
        kind.problems(given, where, "", out)
    return out


def _floats_as_keras_wants(cls, config: dict) -> dict:
    """``config`` with whole numbers as floats where the argument is a float in Keras.

    JSON does not tell 1 from 1.0, but Keras does: SGD refuses ``learning_rate=1``
    and ``momentum=0`` (they "must be a float"), so a hand-written file with them
    failed at compile time.
    """
    params = inspect.signature(cls.__init__).parameters
    config = dict(config)
    for key, value in config.items():
        default = params[key].default if key in params else None
        if (isinstance(value, int) and not isinstance(value, bool)
                and (key == "learning_rate" or isinstance(default, float))):
            config[key] = float(value)
    return config


# Metric names that model.compile resolves itself from the loss (Keras' compile_utils), not through the registry.
_COMPILE_METRICS = ("accuracy", "acc", "crossentropy", "ce")


def _metric_problem(keras, metric) -> str | None:
    try:
        if isinstance(metric, str):
            if canonical_metric(metric) in _COMPILE_METRICS:
                return None
            keras.metrics.get(canonical_metric(metric))
        else:
            keras.metrics.deserialize({"class_name": metric["class_name"], "config": metric.get("config", {})})
    except Exception as exc:
        return f"unknown metric {kinds.shown(metric) if isinstance(metric, str) else ''}".rstrip() + \
            f" ({kinds.one_line(exc)})"
    return None


def canonical_loss(loss):
    """'mse' -> 'mean_squared_error'; a class config is kept. Raises SettingsError if unknown."""
    keras = registries.keras()
    if isinstance(loss, dict):
        try:
            keras.losses.deserialize({"class_name": loss["class_name"], "config": loss.get("config", {})})
        except Exception as exc:
            raise SettingsError(f"unknown loss {kinds.shown(loss.get('class_name'))}: {kinds.one_line(exc)}") from None
        return {"class_name": loss["class_name"], "config": loss.get("config", {})}
    try:
        resolved = keras.losses.get(loss)
    except Exception:
        resolved = None
    if resolved is None:
        raise SettingsError(f"unknown loss {kinds.shown(loss)}")
    name = getattr(resolved, "__name__", None)
    return name if name and isinstance(loss, str) else loss


def canonical_metric(metric):
    """Metric names are kept as given except Keras' short loss-style aliases."""
    aliases = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "rmse": "root_mean_squared_error",
               "acc": "accuracy"}
    return aliases.get(metric, metric) if isinstance(metric, str) else metric


CALLBACKS = tuple(schema.CALLBACKS.fields)
