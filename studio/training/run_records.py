"""Reading run records back: ``run.json`` and ``history.json`` are files, and files may be anything.

A record that is not a JSON object (or is nested too deep to parse) is no run; inside a record, the
parts the studio computes with are given back only in the shape it wrote them: the history as
``{name: [float, ...]}`` (null, written for NaN, read back as NaN) and the metrics as
``{split: {name: float}}``. Everything else in the record is left as it is for the code that shows it
(the report and the window escape and check each value they show).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

#: What a run folder holds: a training, a tuning trial, a learning-rate finder sweep, an imported model.
RUN_KINDS = ("training", "trial", "finder", "import")


def run_order(folder: Path) -> tuple:
    """Run folders in the order they were made: ``20261202-101500-10`` after ``20261202-101500-9``."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", Path(folder).name))


def read_json(path: Path):
    """The parsed file, or None when it cannot be read or parsed (nesting too deep included)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def read_record(run_dir: Path) -> dict | None:
    """The run's record with its metrics cleaned, or None when ``run.json`` is not a record."""
    record = read_json(Path(run_dir) / "run.json")
    if not isinstance(record, dict):
        return None
    record["metrics"] = clean_metrics(record.get("metrics"))
    return record


def read_history(run_dir: Path) -> dict[str, list[float]] | None:
    """The run's per-epoch history, or None when ``history.json`` is missing or not a history."""
    data = read_json(Path(run_dir) / "history.json")
    return clean_history(data) if isinstance(data, dict) else None


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float
        return None


def clean_history(data) -> dict[str, list[float]]:
    """Series of numbers only; a series holding anything else is left out."""
    history = {}
    for key, values in (data.items() if isinstance(data, dict) else ()):
        if not isinstance(values, list):
            continue
        series = [math.nan if v is None else _number(v) for v in values]
        if series and None not in series:
            history[str(key)] = series
    return history


def clean_metrics(data) -> dict[str, dict[str, float]]:
    """``{split: {name: value}}`` with finite numbers only."""
    metrics = {}
    for split, values in (data.items() if isinstance(data, dict) else ()):
        if isinstance(values, dict):
            numbers = {str(k): _number(v) for k, v in values.items()}
            metrics[str(split)] = {k: v for k, v in numbers.items() if v is not None and math.isfinite(v)}
    return metrics
