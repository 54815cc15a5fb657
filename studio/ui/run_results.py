"""Show a recorded run in the Results tab from its record alone (a reopened project: no model in memory).

Uses only the Results panel's public methods: ``show_results`` with a
``studio.training.results.Results`` rebuilt from ``run.json`` (test metrics,
class names, confusion matrix; the mistakes' images and the regression
scatter are not recorded, so those tabs stay hidden), and the runs list's
ticks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from studio.ui.language import translate


def results_from_record(record: dict):
    """The Results a run record can give back, or None when it kept no test metrics.

    A record is a file: a part of the wrong type (class names that are not a list, a confusion
    matrix of text or of another size than the classes) is left out.
    """
    from studio.data.defaults import IMAGE_SOURCES
    from studio.data.defaults import TASKS
    from studio.training.results import Results
    from studio.training.run_records import clean_metrics
    test = clean_metrics(record.get("metrics")).get("test", {})
    names = record.get("class_names")
    names = [str(n) for n in names] if isinstance(names, list) else []
    confusion = record.get("confusion")
    matrix = None
    if names and isinstance(confusion, list):
        try:
            matrix = np.asarray(confusion, dtype=np.int64)
        except (TypeError, ValueError, OverflowError):
            matrix = None
        if matrix is not None and (matrix.shape != (len(names), len(names)) or (matrix < 0).any()):
            matrix = None
    if not test and matrix is None:
        return None
    data = record.get("data") if isinstance(record.get("data"), dict) else {}
    task = data.get("task") if data.get("task") in TASKS else ("multiclass" if matrix is not None else "regression")
    results = Results(task, test, names if matrix is not None else [], matrix)
    if matrix is not None:
        results.mistakes_total = int(matrix.sum() - np.trace(matrix))
    results.images = data.get("source") in IMAGE_SOURCES
    return results


def show_newest_run(panel, training=None) -> dict | None:
    """Tick the newest training run in ``panel`` (a ResultsPanel after load_runs) and show its results.

    ``training`` (default: the window's Training tab, where there is one) shows
    the run's curves and how it ended.
    """
    runs = [r for r in panel.runs if r.get("kind", "training") == "training"] or list(panel.runs)
    if not runs:
        return None
    newest = runs[-1]
    key = newest.get("dir") or newest["label"]
    panel.runs_panel.fill(panel.runs_panel.checked_keys() | {key})
    results = results_from_record(newest)
    if results is not None:
        name = Path(newest["dir"]).name if newest.get("dir") else newest["label"]
        panel.show_results(results, translate("MainWindow", "newest run, {0}").format(name), newest.get("graph"))
    if training is None:
        training = getattr(panel.window(), "training", None)
    if training is not None and hasattr(training, "show_run"):
        training.show_run(newest)
    return newest
