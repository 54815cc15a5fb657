"""Predictions for new rows of a table, encoded exactly as the model's training rows were.

The encoding comes from training, never from the new file: the feature
encoder (columns and their order, the categories of each one-hot column, the
fill values learned from the training rows), which encoded columns feed which
Input, the class names and the missing-value policy. The studio saves all of
that with the model (``preprocessing`` in its metadata); for a model without
it, it is derived again from the project's training CSV with
``studio.training.data_source.load_training_data``, as training does. The
input scaling (Normalization) is inside a model the studio trained, so raw
encoded values go in, as in training.

A row that cannot be encoded as training would (a category the model never
saw, text in a numeric column, a missing value where the policy drops such
rows) is reported by its CSV line and column, one line each, and the other
rows are still predicted. A feature column missing from the file is one
problem for the whole file, and nothing is predicted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from studio.data.encoding import FeatureEncoder
from studio.data.errors import DataError, cell
from studio.data.sniff import EXTRA_NA, check_regular_file, sniff
from studio.prediction.model_source import TrainedModel
from studio.prediction.table import Predictions, RowProblem
from studio.core.errors import UserError

_BOOLEAN_TEXT = {"true", "yes", "y", "t", "1", "1.0", "false", "no", "n", "f", "0", "0.0"}
PREDICT_BATCH = 256


class PredictionError(UserError):
    """The model cannot make predictions for this data; the message says why, in one line."""


@dataclass
class TabularSpec:
    """How training turned a table into the model's inputs, and what its outputs mean.

    Attributes:
        task: "binary", "multiclass", "multilabel" or "regression".
        targets: the target columns (named in the output for regression and multilabel).
        class_names: the classes in the order of the output units (classification).
        encoder: the feature encoder fitted on the training rows.
        inputs: per Input name, the indices of the encoded columns that feed it (None: one Input, all).
        missing: the missing-value policy ("drop" and "error" refuse rows with missing values).
        csv_format: the data section's ``format`` (encoding, delimiter, decimal, header), each may be unset.
    """

    task: str
    targets: list[str]
    class_names: list[str]
    encoder: FeatureEncoder
    inputs: dict[str, list[int]] | None
    missing: str
    csv_format: dict


def tabular_spec(source: TrainedModel) -> TabularSpec:
    """How ``source``'s model was fed in training: from its saved preprocessing, else from its project's
    training CSV (encoders fitted on the training rows, exactly as training fits them).

    Raises:
        PredictionError: the model was not trained on a table, and no table project is known for it.
        DataError: the project's training data cannot be read.
    """
    preprocessing = source.preprocessing
    data = source.metadata.get("data") if isinstance(source.metadata.get("data"), dict) else None
    if preprocessing.get("kind") != "tabular" or not isinstance(preprocessing.get("features"), list):
        project = source.project
        if project is None or (project.data or {}).get("source") != "csv":
            raise PredictionError(f"{source.path}: the model was not trained on a table (CSV), and no CSV project "
                                  "is known for it")
        from studio.training.data_source import load_training_data
        preprocessing = load_training_data(project).preprocessing
        data = project.data
    if data is None and source.project is not None:
        data = source.project.data
    encoder = FeatureEncoder(preprocessing["features"])
    names = encoder.output_names
    inputs = None
    mapping = preprocessing.get("inputs")
    if isinstance(mapping, dict) and mapping:
        try:
            inputs = {str(k): [names.index(n) for n in v] for k, v in mapping.items()}
        except (ValueError, TypeError):
            raise PredictionError(f"{source.path}: the saved input mapping names columns the encoder does not "
                                  "have; the file is damaged") from None
    fmt = (data or {}).get("format")
    return TabularSpec(str(preprocessing.get("task") or ""), [str(t) for t in preprocessing.get("targets") or []],
                       [str(c) for c in preprocessing.get("class_names") or source.class_names],
                       encoder, inputs, str(preprocessing.get("missing") or "mean"),
                       dict(fmt) if isinstance(fmt, dict) else {})


def read_table(path: str | Path, csv_format: dict | None = None) -> tuple[pd.DataFrame, int, str]:
    """The CSV file's cells as text (NaN where missing), the line of its first data row, and its decimal mark.

    Every cell is read as text so that one bad cell is one row's problem, not the file's. Settings that
    ``csv_format`` leaves unset are detected, as for training data.
    """
    path = Path(path)
    csv_format = csv_format or {}
    check_regular_file(path)
    fmt = sniff(path, csv_format.get("encoding"), csv_format.get("delimiter"), csv_format.get("decimal"),
                csv_format.get("header"))
    try:
        frame = pd.read_csv(path, sep=fmt.delimiter, encoding=fmt.encoding, header=0 if fmt.header else None,
                            names=fmt.columns, dtype=str, na_values=list(EXTRA_NA), engine="c")
    except UnicodeError:
        raise DataError(f"{path}: not readable as {fmt.encoding}; choose the file's encoding") from None
    except (pd.errors.ParserError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{path}: cannot be read as CSV ({fmt.describe()}): {first}") from None
    return frame, 2 if fmt.header else 1, fmt.decimal


def encode_rows(spec: TabularSpec, frame: pd.DataFrame, first_line: int = 2, decimal: str = "."):
    """Check and encode a text table as training did.

    Returns ``(x, rows, problems)``: the encoded matrix of the rows that could be encoded (float32,
    one column per encoder output), their positions in ``frame``, and one ``RowProblem`` per bad cell.
    """
    problems: list[RowProblem] = []
    missing_columns = [f["name"] for f in spec.encoder.features if f["name"] not in frame.columns]
    if missing_columns:
        for name in missing_columns:
            problems.append(RowProblem(None, name, "the file has no such column, which the model was trained "
                                                   "with; no row can be predicted"))
        return np.zeros((0, len(spec.encoder.output_names)), np.float32), np.zeros(0, np.int64), problems
    bad = np.zeros(len(frame), dtype=bool)
    found: list[tuple[int, int, RowProblem]] = []  # (row, feature order, problem): reported row by row
    parsed = {}
    refuse_missing = spec.missing in ("drop", "error")
    for order, feature in enumerate(spec.encoder.features):
        name, kind = feature["name"], feature["kind"]
        raw = frame[name]
        filled = raw.fillna("").astype(str).str.strip()
        absent = raw.isna().to_numpy(bool) | (filled == "").to_numpy(bool)
        text = filled.where(~absent, None).astype(object)
        wrong = np.zeros(len(frame), dtype=bool)
        if kind == "numeric":
            numbers = pd.to_numeric(filled.str.replace(",", ".", regex=False) if decimal == "," else filled,
                                    errors="coerce").to_numpy(np.float64)
            wrong = ~absent & np.isnan(numbers)
            absent |= ~wrong & ~np.isfinite(numbers)  # infinite counts as missing, as in training
            parsed[name] = np.where(wrong | absent, np.nan, numbers)
            why = "{} is not a number"
        elif kind == "boolean":
            wrong = ~absent & ~filled.str.lower().isin(_BOOLEAN_TEXT).to_numpy(bool)
            parsed[name] = text.where(~pd.Series(absent | wrong, index=text.index))
            why = "{} is not true or false"
        else:
            categories = feature.get("categories") or []
            wrong = ~absent & ~filled.isin([str(c) for c in categories]).to_numpy(bool)
            parsed[name] = text.where(~pd.Series(absent | wrong, index=text.index))
            shown = ", ".join(cell(c) for c in categories[:8]) + (", ..." if len(categories) > 8 else "")
            why = "{} is not a category the model was trained with (" + shown + ")"
        for row in np.flatnonzero(wrong):
            found.append((int(row), order, RowProblem(int(row) + first_line, name,
                                                      why.format(cell(raw.iloc[row])))))
        bad |= wrong
        if refuse_missing:
            for row in np.flatnonzero(absent):
                found.append((int(row), order, RowProblem(
                    int(row) + first_line, name, f"the value is missing (the model was trained with the "
                                                 f"missing-value policy {spec.missing!r}, which does not fill it)")))
            bad |= absent
    problems = [p for _, _, p in sorted(found, key=lambda item: item[:2])]
    rows = np.flatnonzero(~bad)
    x = spec.encoder.transform(pd.DataFrame(parsed), rows)
    return x, rows, problems


def unused_features(spec: TabularSpec) -> set[str]:
    """The features whose encoded columns feed none of the model's inputs (a column ticked on the Data tab
    that no Input of a multi-input model takes)."""
    if not spec.inputs:
        return set()
    used = {c for cols in spec.inputs.values() for c in cols}
    unused, column = set(), 0
    for feature in spec.encoder.features:
        width = len(feature.get("categories") or []) if feature["kind"] == "categorical" else 1
        if not used.intersection(range(column, column + width)):
            unused.add(feature["name"])
        column += width
    return unused


def model_inputs(spec: TabularSpec, x: np.ndarray):
    """The encoded matrix split as the model's Inputs take it: the array itself, or a dict by Input name."""
    if not spec.inputs:
        return x
    split = {name: np.ascontiguousarray(x[:, cols]) for name, cols in spec.inputs.items()}
    return next(iter(split.values())) if len(split) == 1 else split


def predict_csv(source: TrainedModel, path: str | Path) -> Predictions:
    """Predict every row of the CSV file ``path`` that can be encoded as the training rows were.

    The file needs the model's feature columns (its target columns may be missing, and other columns are
    ignored). Rows that cannot be encoded are in ``problems``; the others are predicted (``rows``).

    Raises:
        DataError: the file cannot be read as CSV.
        PredictionError: the model was not trained on a table.
    """
    spec = tabular_spec(source)
    frame, first_line, decimal = read_table(path, spec.csv_format)
    return predict_frame(source, frame, first_line, decimal, spec)


def predict_frame(source: TrainedModel, frame: pd.DataFrame, first_line: int = 2, decimal: str = ".",
                  spec: TabularSpec | None = None) -> Predictions:
    """Predict the rows of a table of text cells (a CSV as read, or the Predict tab's one-row form)."""
    spec = spec or tabular_spec(source)
    x, rows, problems = encode_rows(spec, frame, first_line, decimal)
    lines = [int(r) + first_line for r in rows]
    if not len(rows):
        return Predictions(output_columns(spec, source.model), [], problems, len(frame))
    outputs = raw_outputs(source.model, model_inputs(spec, x))
    columns, values = output_table(spec, outputs)
    return Predictions(["line", *columns], [[line, *row] for line, row in zip(lines, values)], problems,
                       len(frame))


def feature_ranges(source: TrainedModel) -> dict[str, tuple[float, float]]:
    """{numeric feature: (smallest, largest)} in the project's data file, for a form's bounds; {} when the
    project or its file is not there (a lone model file) or cannot be read."""
    from studio.data.errors import DataError
    path = source.project.data_path() if source.project is not None else None
    if path is None or not Path(path).is_file():
        return {}
    spec = tabular_spec(source)
    try:
        frame, _first, decimal = read_table(path, spec.csv_format)
    except DataError:
        return {}
    ranges = {}
    for feature in spec.encoder.features:
        if feature["kind"] != "numeric" or feature["name"] not in frame.columns:
            continue
        text = frame[feature["name"]].astype(str).str.strip()
        numbers = pd.to_numeric(text.str.replace(",", ".", regex=False) if decimal == "," else text,
                                errors="coerce").to_numpy(np.float64)
        numbers = numbers[np.isfinite(numbers)]
        if len(numbers):
            ranges[feature["name"]] = (float(numbers.min()), float(numbers.max()))
    return ranges


def raw_outputs(model, x) -> list[tuple[str, np.ndarray]]:
    """``model.predict(x)`` as (output name, 2-D array) pairs in the model's output order."""
    result = model.predict(x, batch_size=PREDICT_BATCH, verbose=0)
    names = list(getattr(model, "output_names", None) or [])
    if isinstance(result, dict):
        pairs = list(result.items())
    elif isinstance(result, (list, tuple)):
        pairs = [(names[i] if i < len(names) else f"output {i + 1}", r) for i, r in enumerate(result)]
    else:
        pairs = [(names[0] if names else "output", result)]
    out = []
    for name, values in pairs:
        values = np.asarray(values, dtype=np.float64)
        out.append((str(name), values.reshape(len(values), -1)))
    return out


def probabilities(values: np.ndarray, n_classes: int) -> np.ndarray:
    """Class probabilities from a classifier's output: one sigmoid unit of a binary model is P(second class)."""
    if values.shape[1] == 1 and n_classes == 2:
        return np.column_stack([1.0 - values[:, 0], values[:, 0]])
    return values


def _unit_names(names: list[str], width: int, noun: str) -> list[str]:
    return names if len(names) == width else [f"{noun} {i + 1}" for i in range(width)]


def output_table(spec: TabularSpec, outputs: list[tuple[str, np.ndarray]]) -> tuple[list[str], list[list]]:
    """The prediction columns and each row's values for the model's outputs, side by side, named by output
    when there are several."""
    columns: list[str] = []
    blocks: list[list[np.ndarray | list]] = []
    several = len(outputs) > 1
    for name, values in outputs:
        prefix = f"{name} " if several else ""
        if spec.task in ("binary", "multiclass"):
            probs = probabilities(values, len(spec.class_names))
            classes = _unit_names(spec.class_names, probs.shape[1], "class")
            best = probs.argmax(axis=1)
            columns += [f"{prefix}predicted", f"{prefix}probability"] + [f"{prefix}probability {c}" for c in classes]
            blocks += [[classes[i] for i in best], probs[np.arange(len(best)), best]] + list(probs.T)
        elif spec.task == "multilabel":
            labels = _unit_names(spec.targets, values.shape[1], "label")
            for j, label in enumerate(labels):
                columns += [f"{prefix}{label}", f"{prefix}probability {label}"]
                blocks += [(values[:, j] >= 0.5).astype(int).tolist(), values[:, j]]
        else:
            targets = _unit_names(spec.targets, values.shape[1], "output")
            columns += [f"{prefix}{t}" for t in targets]
            blocks += list(values.T)
    rows = [list(row) for row in zip(*[[_plain(v) for v in block] for block in blocks])]
    return columns, rows


def output_columns(spec: TabularSpec, model) -> list[str]:
    """The columns a table of this model's predictions has (for a table with no row predicted)."""
    names = list(getattr(model, "output_names", None) or ["output"])
    widths = []
    for out in getattr(model, "outputs", None) or []:
        shape = tuple(out.shape[1:])
        widths.append(int(np.prod(shape)) if shape else 1)
    widths = widths or [1] * len(names)
    fake = [(n, np.zeros((0, w))) for n, w in zip(names, widths)]
    return ["line", *output_table(spec, fake)[0]]


def _plain(value):
    """A value as plain Python for CSV and JSON (full float precision)."""
    if isinstance(value, (np.floating, float)):
        return float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    return value
