"""Rosenblatt's perceptron learning rule for one threshold logic unit (labs 1 and 2).

Not gradient descent: after each misclassified sample the weights move by
``learning_rate * (target - prediction) * x``, where the prediction is the
step function ``1 if w.x + b >= 0 else 0``. Every weight change is recorded, so
the application can animate the decision boundary as it learns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from studio.data.csv_file import load_csv
from studio.data.errors import DataError


@dataclass
class PerceptronData:
    x: np.ndarray          # (rows, 2) float
    y: np.ndarray          # (rows,) 0 or 1
    features: list[str]
    positive: str          # the class that is 1


@dataclass
class PerceptronRun:
    """How learning went: weights after every update, errors per epoch."""

    steps: list[tuple[np.ndarray, float]] = field(default_factory=list)  # (w, b) after each update
    errors: list[int] = field(default_factory=list)                       # misclassified per epoch
    converged: bool = False

    @property
    def weights(self) -> np.ndarray:
        return self.steps[-1][0]

    @property
    def bias(self) -> float:
        return self.steps[-1][1]

    def accuracy(self, data: PerceptronData) -> float:
        return float(np.mean(predict(self.weights, self.bias, data.x) == data.y))


def predict(w: np.ndarray, b: float, x: np.ndarray) -> np.ndarray:
    """The step function of w.x + b: 1 where >= 0, else 0."""
    return (x @ w + b >= 0).astype(np.int64)


def _labels(column):
    """Class names as the studio writes them: 1.0 -> "1", text stripped."""
    if column.dtype.kind in "fiu":
        return column.map(lambda v: str(int(v)) if float(v).is_integer() else repr(float(v)))
    return column.astype(str).str.strip()


def class_names(path: str | Path, target: str) -> list[str]:
    """The classes of ``target`` in a CSV file, sorted."""
    frame = load_csv(path).frame
    if target not in frame.columns:
        raise DataError(f"{path}: there is no column {target!r}")
    return sorted(set(_labels(frame[target].dropna())))


def load_perceptron_data(path: str | Path, features: list[str], target: str, positive: str) -> PerceptronData:
    """Two numeric feature columns and a yes/no target (``positive`` or not) from a CSV file."""
    frame = load_csv(path).frame
    for column in [*features, target]:
        if column not in frame.columns:
            raise DataError(f"{path}: there is no column {column!r}; the columns are {', '.join(frame.columns)}")
    if len(features) != 2:
        raise DataError(f"the perceptron lab plots two features; {len(features)} were chosen")
    frame = frame.dropna(subset=[*features, target])
    labels = _labels(frame[target])
    if positive not in set(labels):
        raise DataError(f"{target!r} has no class {positive!r}; it has {', '.join(sorted(set(labels)))}")
    try:
        x = frame[features].to_numpy(np.float64)
    except (TypeError, ValueError):
        raise DataError(f"the features {', '.join(features)} must hold numbers") from None
    return PerceptronData(x, (labels == positive).to_numpy(np.int64), list(features), positive)


def train_perceptron(data: PerceptronData, learning_rate: float = 1.0, epochs: int = 10,
                     seed: int = 42) -> PerceptronRun:
    """Run the perceptron rule; stops after the first epoch with no mistakes."""
    if not (isinstance(learning_rate, (int, float)) and learning_rate > 0):
        raise DataError(f"the learning rate must be a number > 0, got {learning_rate!r}")
    if not (isinstance(epochs, int) and epochs >= 1):
        raise DataError(f"epochs must be a whole number >= 1, got {epochs!r}")
    rng = np.random.default_rng(seed)
    w, b = np.zeros(data.x.shape[1]), 0.0
    run = PerceptronRun(steps=[(w.copy(), b)])
    for _ in range(epochs):
        mistakes = 0
        for i in rng.permutation(len(data.y)):
            error = data.y[i] - (data.x[i] @ w + b >= 0)
            if error:
                w = w + learning_rate * error * data.x[i]
                b = b + learning_rate * float(error)
                run.steps.append((w.copy(), b))
                mistakes += 1
        run.errors.append(mistakes)
        if mistakes == 0:
            run.converged = True
            break
    return run
