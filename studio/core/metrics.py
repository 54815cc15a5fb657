"""Whether a metric is better higher or lower: one rule for the checkpoint, the search and the Runs list.

Keras itself decides this inside its callbacks from the metric objects of a
compiled model; the studio also needs it where no model exists (a run record,
the Runs list's "best first"), so the rule works on the name as it appears in a
history ("val_mae", "accuracy", "val_loss"): losses and errors are better low,
everything else (accuracy, AUC, precision, recall, R², F1, IoU, cosine
similarity) high.
"""

from __future__ import annotations

# words in a metric's name that make it an error (lower is better); whole names for the short aliases
_LOWER_WORDS = ("loss", "error", "crossentropy", "hinge", "divergence", "poisson", "logcosh")
_LOWER_NAMES = frozenset({"mse", "mae", "mape", "msle", "rmse", "kld"})


def lower_is_better(metric: str) -> bool:
    """True for a loss or an error ("val_loss", "mae", "mean_squared_error"), False for a score."""
    name = metric.lower().removeprefix("val_")
    return name in _LOWER_NAMES or any(word in name for word in _LOWER_WORDS)


def direction(metric: str) -> str:
    """``"min"`` or ``"max"``, as Keras' callbacks and keras-tuner's objectives spell it."""
    return "min" if lower_is_better(metric) else "max"
