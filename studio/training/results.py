"""What the results view shows after a run, computed once on the worker thread.

Classification: the confusion matrix on the test split and, for image data,
the misclassified test images, most confident mistakes first. Regression: the
predicted and true values of the first output (a sample, for the scatter).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from studio.training.data_source import first_output

MAX_MISTAKES = 64
MAX_POINTS = 5000


@dataclass
class Mistake:
    index: int          # row in the test split
    truth: int
    predicted: int
    confidence: float   # the model's probability for its (wrong) answer


@dataclass
class Results:
    task: str
    test: dict[str, float]
    class_names: list[str] = field(default_factory=list)
    confusion: np.ndarray | None = None
    mistakes: list[Mistake] = field(default_factory=list)
    mistake_images: np.ndarray | None = None   # (n, h, w) uint8, in the order of ``mistakes``
    mistakes_total: int = 0
    predicted: np.ndarray | None = None        # regression: first output, first column
    truth: np.ndarray | None = None
    images: bool = False                       # the test split is images, not table rows
    test_total: int | None = None              # the whole test split, where only part of it was used
    notes: list[str] = field(default_factory=list)  # what the figures are drawn from, where not the whole split

    @property
    def accuracy(self) -> float | None:
        if self.confusion is None or self.confusion.sum() == 0:
            return None
        return float(np.trace(self.confusion) / self.confusion.sum())


def summarize(job, test: dict[str, float], seed: int = 0) -> Results:
    """Results of a trained TrainingJob on its test split."""
    data = job.data
    results = Results(data.task, dict(test), list(data.class_names))
    results.images = getattr(data, "images_test", None) is not None
    results.test_total = getattr(data, "test_total", None)
    truth = np.asarray(first_output(data.y_test))
    if len(truth) == 0:  # no test split: nothing to show but that
        return results
    if getattr(data, "stream", None) is not None and results.test_total and results.test_total > len(truth):
        results.notes.append(f"the test split was streamed from disk: the figures use a sample of {len(truth):,} "
                             f"of its {results.test_total:,} rows; the test metrics use them all")
    if data.task in ("binary", "multiclass"):
        predicted, confidence = job.predict_classes(data.x_test)
        truth = truth.reshape(-1).astype(int)
        n = len(data.class_names)
        results.confusion = np.bincount(truth * n + predicted, minlength=n * n).reshape(n, n)
        wrong = np.flatnonzero(predicted != truth)
        results.mistakes_total = int(len(wrong))
        if data.images_test is not None and len(wrong):
            order = wrong[np.argsort(-confidence[wrong], kind="stable")][:MAX_MISTAKES]
            results.mistakes = [Mistake(int(i), int(truth[i]), int(predicted[i]), float(confidence[i]))
                                for i in order]
            results.mistake_images = np.asarray(data.images_test[order])
    elif data.task == "regression":
        rows = len(truth)
        pick = np.arange(rows) if rows <= MAX_POINTS else np.sort(
            np.random.default_rng(seed).choice(rows, MAX_POINTS, replace=False))
        x = data.x_test
        x = {k: v[pick] for k, v in x.items()} if isinstance(x, dict) else x[pick]
        results.predicted = np.asarray(job.predict(x)).reshape(len(pick), -1)[:, 0]
        results.truth = truth.reshape(rows, -1)[pick, 0]
    return results
