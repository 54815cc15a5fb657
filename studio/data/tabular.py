"""From a table to training-ready arrays: target, task, missing values, splits, weights.

``prepare(frame, options)`` checks everything before any training starts and
raises a DataError that names the column and row at fault. Its result holds
float32 arrays for the train, validation and test splits, the class names in
order, and a plain-JSON ``preprocessing`` record that is saved with the model.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from studio.data.columns import ColumnInfo, describe_column
from studio.data.defaults import CSV_DEFAULTS
from studio.data.defaults import MISSING_POLICIES, TASKS
from studio.data.encoding import FeatureEncoder
from studio.data.errors import DataError, cell, column_list
from studio.data.split import balanced_class_weights, split_indices

MAX_INTEGER_CLASSES = 20


@dataclass
class TabularOptions:
    """What to predict and how to prepare the data; every field has a sensible default.

    Attributes:
        target: one column, or several (multi-output regression or multilabel).
        features: the input columns; default: every usable other column.
        task: one of TASKS; default: inferred from the target.
        missing: "drop" rows, fill with "mean", "median" or "most_frequent"
            (computed on the training rows), or "error".
        validation, test: shares of the rows; the rest is for training.
        seed: makes the split repeatable.
        class_weight: None, "balanced" or {class name or index: weight}.
        sample_weight: a column of non-negative row weights (not a feature).
    """

    target: list[str] | str
    features: list[str] | None = None
    task: str | None = None
    missing: str = CSV_DEFAULTS["missing"]
    validation: float = CSV_DEFAULTS["validation"]
    test: float = CSV_DEFAULTS["test"]
    seed: int = CSV_DEFAULTS["seed"]
    class_weight: str | dict | None = None
    sample_weight: str | None = None

    @property
    def targets(self) -> list[str]:
        return [self.target] if isinstance(self.target, str) else list(self.target)


@dataclass
class Split:
    x: np.ndarray
    y: np.ndarray
    sample_weight: np.ndarray | None = None
    rows: np.ndarray | None = None  # row positions in the source table

    def __len__(self) -> int:
        return len(self.x)


@dataclass
class TabularData:
    task: str
    targets: list[str]
    class_names: list[str]
    feature_names: list[str]
    train: Split
    validation: Split
    test: Split
    class_weight: dict[int, float] | None
    preprocessing: dict
    columns: list[ColumnInfo]
    warnings: list[str] = field(default_factory=list)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def normalization(self) -> tuple[list[float], list[float]]:
        """Mean and variance of each feature over the training rows (for a Normalization layer)."""
        x = self.train.x.astype(np.float64)
        return x.mean(axis=0).tolist(), x.var(axis=0).tolist()


def _where(row: int, line_offset: int | None) -> str:
    return f"row {row + 1}" + (f" (line {row + line_offset})" if line_offset else "")


def _require_columns(frame: pd.DataFrame, names: list[str], what: str) -> None:
    for name in names:
        if name not in frame.columns:
            close = difflib.get_close_matches(name, [str(c) for c in frame.columns], n=1)
            listed = column_list(frame.columns)
            hint = (f"; did you mean {cell(close[0])}?" if close else
                    f"; the columns are {listed}" if listed else
                    "; the file was read as a single column (is the delimiter right, and is it a table?)")
            raise DataError(f"there is no {what} column {name!r}{hint}")


def infer_task(infos: list[ColumnInfo]) -> str:
    """The task a target suggests; raises DataError for a target that cannot be learned."""
    for info in infos:
        if info.kind == "constant" and not info.categories:
            raise DataError(f"target {cell(info.name)} has no values: every row of it is empty or missing")
        if info.kind == "constant":
            raise DataError(f"target {cell(info.name)} has only one class ({cell(info.categories[0])}); a model "
                            "needs at least two different values to learn from")
        if info.kind == "mixed":
            row, value = info.first_bad
            raise DataError(f"target {cell(info.name)} holds numbers but row {row + 1} has {cell(value)}")
    if len(infos) > 1:
        if all(i.kind == "boolean" or (i.kind == "numeric" and set(i.categories) <= {0.0, 1.0}
                                       and i.categories) for i in infos):
            return "multilabel"
        if all(i.kind == "numeric" for i in infos):
            return "regression"
        text = next(i.name for i in infos if i.kind != "numeric")
        raise DataError(f"several targets must all be numbers (regression) or all 0/1 (multilabel); "
                        f"{text!r} is not")
    info = infos[0]
    if info.kind == "identifier":
        raise DataError(f"target {cell(info.name)} has {info.distinct} different texts, too many to be classes")
    if info.kind == "boolean":
        return "binary"
    if info.kind == "categorical":
        return "binary" if info.distinct == 2 else "multiclass"
    if info.integer and info.distinct <= MAX_INTEGER_CLASSES:
        return "binary" if info.distinct == 2 else "multiclass"
    return "regression"


def _class_labels(series: pd.Series) -> tuple[list[str], np.ndarray]:
    """Class names in order and each row's class index (-1 where missing)."""
    valid = series.notna()
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        numbers = series.to_numpy(np.float64)
        values = np.unique(numbers[valid.to_numpy()])
        names = [str(int(v)) if float(v).is_integer() else repr(float(v)) for v in values]
        codes = np.searchsorted(values, np.nan_to_num(numbers))
        return names, np.where(valid, codes, -1)
    text = series.astype(str).str.strip()
    names = sorted(text[valid].unique().tolist())
    codes = pd.Categorical(text.where(valid), categories=names).codes.astype(np.int64)
    return names, codes


def _missing_report(frame, infos: list[ColumnInfo], line_offset) -> list[str]:
    lines = []
    for info in infos:
        parts = []
        if info.missing:
            parts.append(f"{info.missing} missing (first at {_where(info.first_missing, line_offset)})")
        if info.infinite:
            values = frame[info.name].to_numpy(np.float64)
            first = int(np.argmax(np.isinf(values)))
            parts.append(f"{info.infinite} infinite (first at {_where(first, line_offset)})")
        if parts:
            lines.append(f"column {cell(info.name)}: {', '.join(parts)}")
    return lines


def _bad_rows(frame: pd.DataFrame, names: list[str], infos: dict[str, ColumnInfo] | None = None) -> np.ndarray:
    """A mask of rows with a missing or infinite value in any of ``names``; where the columns'
    descriptions (``infos``) already counted those values, a column without any is not looked at again."""
    bad = np.zeros(len(frame), dtype=bool)
    for name in names:
        if infos is not None and not infos[name].missing and not infos[name].infinite:
            continue
        column = frame[name]
        if pd.api.types.is_float_dtype(column) and isinstance(column.dtype, np.dtype):
            bad |= ~np.isfinite(column.to_numpy())  # NaN or infinite, in one pass and without a copy
            continue
        bad |= column.isna().to_numpy()
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            bad |= np.isinf(column.to_numpy(np.float64))
    return bad


def _features(frame, options, infos: dict[str, ColumnInfo], warnings: list[str]) -> list[ColumnInfo]:
    excluded = set(options.targets) | ({options.sample_weight} if options.sample_weight else set())
    if options.features is not None:
        _require_columns(frame, options.features, "feature")
        chosen = [infos[name] for name in options.features if name not in excluded]
        for info in chosen:
            if info.kind == "mixed":
                row, value = info.first_bad
                raise DataError(f"column {cell(info.name)} holds numbers but row {row + 1} has {cell(value)}; "
                                "mixed types in one column cannot be used")
            if info.kind == "identifier":
                raise DataError(f"column {cell(info.name)} has {info.distinct} different texts; it looks like "
                                "names or identifiers and cannot be a feature")
        constant = [i for i in chosen if i.kind == "constant"]
    else:
        chosen, constant = [], []
        for name in frame.columns:
            info = infos[str(name)]
            if info.name in excluded:
                continue
            if info.kind == "mixed":
                row, value = info.first_bad
                raise DataError(f"column {cell(info.name)} holds numbers but row {row + 1} has {cell(value)}; "
                                "mixed types in one column cannot be used (fix the cell or leave the column out)")
            if info.kind == "identifier":
                warnings.append(f"column {cell(info.name)} has {info.distinct} different texts; it looks like "
                                "names or identifiers and is left out of the features")
            elif info.kind == "constant":
                constant.append(info)
            else:
                chosen.append(info)
    for info in constant:
        warnings.append(f"column {cell(info.name)} has the same value in every row; it carries no information"
                        + (" and is left out" if options.features is None else ""))
    chosen = [i for i in chosen if i.kind != "constant"]
    if not chosen:
        raise DataError("no usable feature columns are left; a model needs at least one input")
    return chosen


def feature_names(frame: pd.DataFrame, options: TabularOptions, infos: list[ColumnInfo]) -> list[str]:
    """The feature columns ``prepare`` gives the model (one per category of a one-hot column), read from
    the column descriptions alone: what the window checks the model's inputs against. Raises DataError."""
    chosen = _features(frame, options, {i.name: i for i in infos}, [])
    return FeatureEncoder([{"name": i.name, "kind": i.kind, "categories": [str(c) for c in i.categories]}
                           for i in chosen]).output_names


def prepare(frame: pd.DataFrame, options: TabularOptions, line_offset: int | None = 2) -> TabularData:
    """Check and encode a table for training. ``line_offset`` maps rows to file lines."""
    if options.missing not in MISSING_POLICIES:
        raise DataError(f"unknown missing-value policy {options.missing!r}; choose one of "
                        f"{', '.join(MISSING_POLICIES)}")
    if options.task is not None and options.task not in TASKS:
        raise DataError(f"unknown task {options.task!r}; choose one of {', '.join(TASKS)}")
    targets = options.targets
    if not targets:
        raise DataError("choose the column to predict (the target)")
    _require_columns(frame, targets, "target")
    if options.sample_weight:
        _require_columns(frame, [options.sample_weight], "sample-weight")
    _require_rows(len(frame))
    infos = {str(name): describe_column(frame[name]) for name in frame.columns}
    warnings: list[str] = []
    features = _features(frame, options, infos, warnings)
    target_infos = [infos[t] for t in targets]
    inferred = infer_task(target_infos)
    task = options.task or inferred
    _check_task(task, inferred, target_infos)

    used = [i.name for i in features] + targets + ([options.sample_weight] if options.sample_weight else [])
    report = _missing_report(frame, [infos[n] for n in used], line_offset)
    if report and options.missing == "error":
        raise DataError("missing or infinite values: " + "; ".join(report) +
                        ". Choose to drop those rows or to fill them")
    bad_target = _bad_rows(frame, targets + ([options.sample_weight] if options.sample_weight else []), infos)
    if bad_target.any():
        warnings.append(f"{int(bad_target.sum())} row(s) without a usable target or weight are left out")
    keep = ~bad_target
    if options.missing == "drop":
        bad_features = _bad_rows(frame, [i.name for i in features], infos) & keep
        if bad_features.any():
            warnings.append(f"{int(bad_features.sum())} row(s) with missing or infinite feature values are left out")
        keep &= ~bad_features
    rows = np.flatnonzero(keep)
    _require_rows(len(rows))

    class_names, y_all = _targets(frame, targets, task)
    if task in ("binary", "multiclass"):
        present = np.unique(y_all[rows])
        if len(present) < 2:
            raise DataError(f"target {targets[0]!r} has only one class ({cell(class_names[present[0]])}) in the "
                            "usable rows; a classifier needs at least two")
        if task == "binary" and len(class_names) != 2:
            raise DataError(f"target {targets[0]!r} has {len(class_names)} classes; binary needs exactly 2")
    strata = y_all[rows] if task in ("binary", "multiclass") else None
    parts = split_indices(len(rows), options.validation, options.test, options.seed, strata)
    # Every row usable: the split's positions are the rows themselves (not copied again).
    train_rows, val_rows, test_rows = parts if len(rows) == len(frame) else (rows[p] for p in parts)

    fill = None if options.missing in ("drop", "error") else options.missing
    encoder = FeatureEncoder.fit(frame, features, fill or "mean", train_rows)
    weights = (frame[options.sample_weight].to_numpy(np.float32) if options.sample_weight else None)
    if weights is not None and (weights[rows] < 0).any():
        first = int(rows[np.argmax(weights[rows] < 0)])
        raise DataError(f"sample weight column {options.sample_weight!r} has a negative weight at "
                        f"{_where(first, line_offset)}")

    def make(split_rows):
        return Split(encoder.transform(frame, split_rows), y_all[split_rows],
                     None if weights is None else weights[split_rows], split_rows)

    train, validation, test = make(train_rows), make(val_rows), make(test_rows)
    class_weight = _class_weight(options.class_weight, task, class_names, train.y)
    preprocessing = {
        "kind": "tabular", "task": task, "targets": targets, "class_names": class_names,
        "features": encoder.to_dict(), "feature_names": encoder.output_names,
        "missing": options.missing,
    }
    return TabularData(task, targets, class_names, encoder.output_names, train, validation, test,
                       class_weight, preprocessing, [infos[str(c)] for c in frame.columns], warnings)


def _require_rows(count: int) -> None:
    if count < 3:
        raise DataError(f"only {count} usable data row{'s' if count != 1 else ''}; at least 3 are needed "
                        "to train, validate and test (and many more to learn anything)")


def _check_task(task: str, inferred: str, infos: list[ColumnInfo]) -> None:
    if task == "regression":
        for info in infos:
            if info.kind not in ("numeric", "boolean"):
                sample = ", ".join(cell(c) for c in info.categories[:3])
                raise DataError(f"target {cell(info.name)} holds text ({sample}{', ...' if info.distinct > 3 else ''}); "
                                "regression needs numbers. Choose classification for categories")
    elif task == "multilabel" and inferred != "multilabel":
        raise DataError("multilabel needs target columns that hold only 0/1 or true/false")
    elif task in ("binary", "multiclass") and len(infos) > 1:
        raise DataError(f"{task} classification takes one target column; choose multilabel for several")


def _targets(frame, targets: list[str], task: str) -> tuple[list[str], np.ndarray]:
    if task == "regression":
        y = np.column_stack([pd.to_numeric(frame[t], errors="coerce").to_numpy(np.float32) for t in targets])
        return [], (y[:, 0] if len(targets) == 1 else y)
    if task == "multilabel":
        y = np.column_stack([frame[t].astype(float).to_numpy(np.float32) for t in targets])
        return list(targets), y
    return _class_labels(frame[targets[0]])


def _class_weight(option, task: str, class_names: list[str], y: np.ndarray) -> dict[int, float] | None:
    if option is None:
        return None
    if task not in ("binary", "multiclass"):
        raise DataError(f"class weights apply to classification, not {task}")
    if option == "balanced":
        return balanced_class_weights(y, len(class_names))
    if not isinstance(option, dict):
        raise DataError(f"class weights must be 'balanced' or a weight per class, got {option!r}")
    weights = {c: 1.0 for c in range(len(class_names))}
    for key, value in option.items():
        index = class_names.index(str(key)) if str(key) in class_names else None
        if index is None and isinstance(key, int) and 0 <= key < len(class_names):
            index = key
        if index is None:
            raise DataError(f"class weight for {key!r}: there is no such class; the classes are "
                            f"{', '.join(class_names)}")
        if not isinstance(value, (int, float)) or value < 0 or not np.isfinite(value):
            raise DataError(f"class weight for {key!r} must be a number >= 0, got {value!r}")
        weights[index] = float(value)
    return weights
