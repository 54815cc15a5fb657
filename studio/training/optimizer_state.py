"""An optimizer's state across a Continue: what changed, carrying its step count and moments over, and
keeping a copy of it to go back to (after a NaN epoch).

Keras keeps an optimizer's state (its step count, Adam's moments) in its own
variables; the engine keeps them when a Continue changes only the learning
rate or its schedule, and says what else changed when it cannot.
"""

from __future__ import annotations

import math

import numpy as np

from studio.core import schema
from studio.training.settings import TrainingSettings, default_learning_rate


def changes(current, wanted) -> list[str]:
    """What differs between two optimizers except their learning rate (or schedule): [] when ``current``'s
    state can train on as ``wanted``'s. One short line each ("Adam → SGD", "momentum 0.0 → 0.9")."""
    old, new = type(current).__name__, type(wanted).__name__
    if old != new:
        return [f"{old} → {new}"]
    a, b = current.get_config(), wanted.get_config()
    keys = sorted((set(a) | set(b)) - {"name", "learning_rate"})
    return [_cut(f"{key} {a.get(key)!r} → {b.get(key)!r}") for key in keys if not _same(a.get(key), b.get(key))]


def schedule_changed(current, wanted) -> bool:
    rates = current.get_config().get("learning_rate"), wanted.get_config().get("learning_rate")
    return any(isinstance(r, dict) for r in rates) and not _same(*rates)


def carry_state(current, wanted, variables) -> bool:
    """Give ``wanted`` (the same class and arguments, another learning rate or schedule) ``current``'s step
    count and moments; False when they do not fit."""
    wanted.build(variables)
    old, new = ([v for v in o.variables if v.name != "learning_rate"] for o in (current, wanted))
    if [tuple(v.shape) for v in old] != [tuple(v.shape) for v in new]:
        return False
    for target, source in zip(new, old):
        target.assign(source)
    return True


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool) and math.isclose(a, b, rel_tol=1e-6)
    return type(a) is type(b) and a == b


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def rate_of(settings: TrainingSettings) -> float | None:
    """The learning rate the settings ask for (Keras' default where they name none); None with a schedule."""
    if settings.schedule is not None:
        return None
    rate = schema.learning_rate_of({"optimizer": settings.optimizer})
    return float(rate) if rate is not None else default_learning_rate(settings.optimizer["class_name"])


def steps_taken(optimizer) -> int:
    try:
        return int(optimizer.iterations.numpy())
    except Exception:  # not built: it has taken no step
        return 0


def saved_state(model) -> list | None:
    """The optimizer's variables (step count, moments) as arrays; None before it has any."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(optimizer, "built", False):
        return None
    return [np.array(v) for v in optimizer.variables]


def restore_state(model, values: list | None) -> None:
    optimizer = getattr(model, "optimizer", None)
    if values is None or optimizer is None or len(values) != len(optimizer.variables):
        return
    for variable, value in zip(optimizer.variables, values):
        variable.assign(value)
