"""Train on a CSV file larger than memory: scan it in chunks, then stream encoded batches through tf.data.

``scan_csv`` reads the file once in chunks (a second time only when the
"drop" policy must leave out rows with missing features, which columns are
features being known only after the first pass). It learns what ``prepare``
learns from a loaded table: each column's kind, the categories and classes,
the task, the fill values and the training split's mean and variance of every
encoded column (chunked sums in float64, merged as Chan et al.). Which split a
row belongs to is a seeded hash of its row number, so it is the same every
epoch and on every worker without keeping a list of rows.

``StreamedCsv.dataset`` then builds a ``tf.data.Dataset`` per split from a
generator that reads the file again in chunks and encodes each chunk with the
same ``FeatureEncoder`` the in-memory path uses, shuffling within a bounded
buffer. TensorFlow is imported only there.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from studio.data.columns import MAX_CATEGORIES, ColumnInfo, _TRUE
from studio.data.csv_file import _check_short_rows, _numeric_columns, _size
from studio.data.defaults import MISSING_POLICIES, TASKS
from studio.data.encoding import FeatureEncoder, _as_bool
from studio.data.errors import DataError, cell
from studio.data.sniff import CsvFormat, sniff
from studio.data.split import check_fractions
from studio.data.stream_scan import MAX_DISTINCT, ColumnScan, Sample, uniform, read_chunks, split_of_rows
from studio.data.tabular import (TabularOptions, _bad_rows, _check_task, _class_weight, _features, _require_columns,
                                 _require_rows, _where, infer_task)

SPLITS = ("train", "validation", "test")
#: Rows of each split kept in memory (a uniform sample by hash) for checks, plots and the confusion matrix.
SAMPLE_ROWS = {"train": 20_000, "validation": 2_000, "test": 10_000}
#: Rows shuffled together when training: the buffer's memory is this many encoded rows.
SHUFFLE_ROWS = 65_536


@dataclass
class StreamedCsv:
    """A CSV file scanned for training; ``dataset(split, ...)`` reads it again each time it is iterated."""

    path: Path
    format: CsvFormat
    numeric: list[str]
    options: TabularOptions
    task: str
    class_names: list[str]
    encoder: FeatureEncoder
    counts: dict[str, int]  # usable rows per split
    file_rows: int
    mean: list[float]
    variance: list[float]
    class_weight: dict[int, float] | None
    samples: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)
    class_values: np.ndarray | None = None  # a numeric class target's values, in class order
    drop_features: list[str] = field(default_factory=list)  # rows missing one of these are left out

    @property
    def feature_names(self) -> list[str]:
        return self.encoder.output_names

    @property
    def preprocessing(self) -> dict:
        return {"kind": "tabular", "task": self.task, "targets": self.options.targets,
                "class_names": self.class_names, "features": self.encoder.to_dict(),
                "feature_names": self.encoder.output_names, "missing": self.options.missing}

    @property
    def weighted(self) -> bool:
        return bool(self.options.sample_weight) or self.class_weight is not None

    # -- one chunk, encoded ---------------------------------------------------------------------

    def usable(self, chunk: pd.DataFrame) -> np.ndarray:
        """A mask of the chunk's rows that training uses (a usable target and weight, features as the policy says)."""
        names = self.options.targets + ([self.options.sample_weight] if self.options.sample_weight else [])
        return ~_bad_rows(chunk, names + self.drop_features)

    def split_of(self, chunk: pd.DataFrame) -> np.ndarray:
        o = self.options
        return split_of_rows(chunk.index.to_numpy(), o.validation, o.test, o.seed)

    def targets(self, frame: pd.DataFrame) -> np.ndarray:
        """The targets as ``prepare`` encodes them: class indices, or float32 values."""
        names = self.options.targets
        if self.task == "regression":
            y = np.column_stack([pd.to_numeric(frame[t], errors="coerce").to_numpy(np.float32) for t in names])
            return y[:, 0] if len(names) == 1 else y
        if self.task == "multilabel":
            return np.column_stack([(_as_bool(frame[t]) if frame[t].dtype == object else frame[t].astype(float))
                                    .to_numpy(np.float32) for t in names])
        column = frame[names[0]]
        if self.class_values is not None:
            numbers = column.to_numpy(np.float32).astype(np.float64)
            return np.searchsorted(self.class_values, np.nan_to_num(numbers)).astype(np.int64)
        text = column.astype(str).str.strip()
        return pd.Categorical(text, categories=self.class_names).codes.astype(np.int64)

    def weights(self, frame: pd.DataFrame, y: np.ndarray) -> np.ndarray | None:
        """Each row's weight: its sample weight times its class weight (as Keras multiplies them)."""
        if not self.weighted:
            return None
        w = (frame[self.options.sample_weight].to_numpy(np.float32) if self.options.sample_weight
             else np.ones(len(frame), np.float32))
        if self.class_weight is not None:
            table = np.array([self.class_weight.get(c, 1.0) for c in range(len(self.class_names))], np.float32)
            w = w * table[y]
        return w

    def encode(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(x, y, weights) of usable rows, encoded exactly as ``prepare`` encodes a loaded table."""
        x = self.encoder.transform(frame.reset_index(drop=True))
        y = self.targets(frame)
        return x, y, self.weights(frame, y)

    def batches(self, split: str, batch_size: int, shuffle: bool = True, seed: int = 0,
                shard: tuple[int, int] | None = None):
        """(x, y, weights) NumPy batches of one split, read from the file; every batch but the last is full.

        Rows are shuffled within a buffer of about SHUFFLE_ROWS rows; ``shard`` (workers, index)
        keeps only this worker's rows (row number modulo workers)."""
        which = SPLITS.index(split)
        rng = np.random.default_rng(seed)
        parts: list[tuple] = []
        held = 0
        for chunk in read_chunks(self.path, self.format, self.numeric):
            mask = (self.split_of(chunk) == which) & self.usable(chunk)
            if shard is not None:
                mask &= chunk.index.to_numpy() % shard[0] == shard[1]
            if not mask.any():
                continue
            parts.append(self.encode(chunk[mask]))
            held += int(mask.sum())
            if held >= SHUFFLE_ROWS:
                x, y, w = _joined(parts, rng if shuffle else None)
                full = len(x) // batch_size * batch_size
                for start in range(0, full, batch_size):
                    yield _cut(x, y, w, start, start + batch_size)
                parts = [_cut(x, y, w, full, len(x))] if full < len(x) else []
                held = len(x) - full
        if held:
            x, y, w = _joined(parts, rng if shuffle else None)
            for start in range(0, len(x), batch_size):
                yield _cut(x, y, w, start, start + batch_size)

    def steps(self, split: str, batch_size: int) -> int:
        return -(-self.counts[split] // batch_size)

    def dataset(self, split: str, batch_size: int, *, inputs: dict[str, list[int]] | None = None,
                outputs: list[str] | None = None, one_hot: bool = False, shuffle: bool = True, seed: int = 0,
                shard: tuple[int, int] | None = None):
        """A ``tf.data.Dataset`` of one split's batches, shaped for a model's inputs and outputs.

        ``inputs`` maps each Input's name to its encoded columns (one Input: plain arrays);
        ``outputs`` names the outputs (several: the same targets for each). Each iteration
        reads the file again, with a fresh shuffle. ``shard`` = (number of workers, this worker's
        index) for multi-worker training: each worker then streams only its own rows, and
        tf.data's own auto-sharding is turned off.
        """
        import tensorflow as tf
        width = len(self.encoder.output_names)
        inputs = inputs or {"x": list(range(width))}
        outputs = outputs or ["y"]
        n_classes = len(self.class_names)
        epochs = itertools.count()

        def shaped_x(x):
            if len(inputs) == 1:
                cols = next(iter(inputs.values()))
                return x if len(cols) == width else np.ascontiguousarray(x[:, cols])
            return {name: np.ascontiguousarray(x[:, cols]) for name, cols in inputs.items()}

        def shaped_y(y):
            if one_hot:
                y = np.eye(n_classes, dtype=np.float32)[y]
            return y if len(outputs) == 1 else {name: y for name in outputs}

        def generate():
            for x, y, w in self.batches(split, batch_size, shuffle, seed + next(epochs), shard):
                yield (shaped_x(x), shaped_y(y)) + ((w,) if w is not None else ())

        x_spec = {name: tf.TensorSpec((None, len(cols)), tf.float32) for name, cols in inputs.items()}
        x_spec = next(iter(x_spec.values())) if len(inputs) == 1 else x_spec
        y_one = self._target_spec(tf, one_hot)
        y_spec = y_one if len(outputs) == 1 else {name: y_one for name in outputs}
        signature = (x_spec, y_spec) + ((tf.TensorSpec((None,), tf.float32),) if self.weighted else ())
        data = tf.data.Dataset.from_generator(generate, output_signature=signature)
        if shard is None:
            data = data.apply(tf.data.experimental.assert_cardinality(self.steps(split, batch_size)))
        else:
            options = tf.data.Options()
            options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.OFF
            data = data.with_options(options)
        return data.prefetch(2)

    def _target_spec(self, tf, one_hot: bool):
        if self.task in ("binary", "multiclass"):
            return (tf.TensorSpec((None, len(self.class_names)), tf.float32) if one_hot
                    else tf.TensorSpec((None,), tf.int64))
        k = len(self.options.targets)
        return tf.TensorSpec((None,) if self.task == "regression" and k == 1 else (None, k), tf.float32)

    def describe(self) -> str:
        """One line for the warnings: how much was streamed and what each epoch costs."""
        size = _size(self.path.stat().st_size)
        return (f"streamed from disk: {self.file_rows:,} rows, about {size}; each epoch reads the file "
                f"(train {self.counts['train']:,}, validation {self.counts['validation']:,}, "
                f"test {self.counts['test']:,} rows)")


def _joined(parts, rng):
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    w = None if parts[0][2] is None else np.concatenate([p[2] for p in parts])
    if rng is not None:
        order = rng.permutation(len(x))
        x, y, w = x[order], y[order], (None if w is None else w[order])
    return x, y, w


def _cut(x, y, w, start, stop):
    return x[start:stop], y[start:stop], (None if w is None else w[start:stop])


# -- the scan ------------------------------------------------------------------------------------


def _pass(path, fmt, numeric, names, options, keep_extra, progress=None):
    """One read of the file: column scans over the training rows kept, samples, usable rows per split."""
    scans = {name: ColumnScan(name, name in numeric) for name in names}
    samples = {split: Sample(size) for split, size in SAMPLE_ROWS.items()}
    counts = dict.fromkeys(SPLITS, 0)
    wanted = options.targets + ([options.sample_weight] if options.sample_weight else [])
    for chunk in read_chunks(path, fmt, numeric):
        rows = chunk.index.to_numpy()
        which = split_of_rows(rows, options.validation, options.test, options.seed)
        keep = ~_bad_rows(chunk, wanted + keep_extra)
        train = (which == 0) & keep
        if options.sample_weight:
            weights = chunk[options.sample_weight].to_numpy(np.float32)
            negative = keep & (weights < 0)
            if negative.any():
                raise DataError(f"sample weight column {options.sample_weight!r} has a negative weight at "
                                f"{_where(int(rows[np.argmax(negative)]), 2 if fmt.header else 1)}")
        for name, scan in scans.items():
            scan.add(chunk[name], train)
        keys = uniform(rows, options.seed, 1)
        for k, split in enumerate(SPLITS):
            mask = (which == k) & keep
            counts[split] += int(mask.sum())
            samples[split].add(chunk[mask], keys[mask])
        if progress is not None:
            progress(int(rows[-1]) + 1)
    return scans, samples, counts


def scan_csv(path: str | Path, options: TabularOptions, *, encoding: str | None = None,
             delimiter: str | None = None, decimal: str | None = None, header: bool | None = None,
             progress=None) -> StreamedCsv:
    """Scan a CSV file for streamed training: what ``prepare`` checks and learns, without loading it.

    Raises:
        DataError: as ``load_csv`` and ``prepare`` would, one line saying what and where.
    """
    path = Path(path)
    if options.missing not in MISSING_POLICIES:
        raise DataError(f"unknown missing-value policy {options.missing!r}; choose one of "
                        f"{', '.join(MISSING_POLICIES)}")
    if options.task is not None and options.task not in TASKS:
        raise DataError(f"unknown task {options.task!r}; choose one of {', '.join(TASKS)}")
    check_fractions(options.validation, options.test)
    fmt = sniff(path, encoding, delimiter, decimal, header)
    try:
        numeric = _numeric_columns(path, fmt)
    except UnicodeError as exc:
        raise DataError(f"{path}: not readable as {fmt.encoding} ({exc}); choose the file's encoding") from None
    targets = options.targets
    if not targets:
        raise DataError("choose the column to predict (the target)")
    empty = pd.DataFrame(columns=fmt.columns)
    _require_columns(empty, targets, "target")
    if options.sample_weight:
        _require_columns(empty, [options.sample_weight], "sample-weight")
    offset = 2 if fmt.header else 1
    scans, samples, counts = _pass(path, fmt, numeric, fmt.columns, options, [], progress)
    file_rows = scans[fmt.columns[0]].rows
    if not file_rows:
        raise DataError(f"{path}: has a header row but no data rows" if fmt.header else f"{path}: has no data rows")
    if scans[fmt.columns[-1]].missing:
        _check_short_rows(path, fmt, pd.DataFrame({fmt.columns[-1]: [np.nan]}))
    _require_rows(file_rows)
    infos = {name: scan.info() for name, scan in scans.items()}
    warnings: list[str] = []
    features = _features(empty, options, infos, warnings)
    target_infos = [infos[t] for t in targets]
    inferred = infer_task(target_infos)
    task = options.task or inferred
    _check_task(task, inferred, target_infos)
    used = [i.name for i in features] + targets + ([options.sample_weight] if options.sample_weight else [])
    report = _missing_report([scans[n] for n in used], offset)
    if report and options.missing == "error":
        raise DataError("missing or infinite values: " + "; ".join(report) +
                        ". Choose to drop those rows or to fill them")
    dropped_targets = file_rows - sum(counts.values())
    if dropped_targets:
        warnings.append(f"{dropped_targets} row(s) without a usable target or weight are left out")
    drop = [i.name for i in features if options.missing == "drop" and (i.missing or i.infinite)]
    if drop:  # which rows are left out depends on which columns are features: read again, leaving them out
        before = sum(counts.values())
        scans, samples, counts = _pass(path, fmt, numeric, [i.name for i in features] + targets, options, drop,
                                       progress)
        left = before - sum(counts.values())
        if left:
            warnings.append(f"{left} row(s) with missing or infinite feature values are left out")
    _require_rows(sum(counts.values()))
    for split, wanted in (("train", True), ("validation", options.validation > 0), ("test", options.test > 0)):
        if wanted and counts[split] == 0:
            raise DataError(f"{sum(counts.values())} rows are too few: the {split if split != 'train' else 'training'} "
                            "split would be empty. Use more data or change the split")
    class_names, class_values = _classes(scans, target_infos, task)
    sample_frames = {split: s.rows() for split, s in samples.items()}
    fill = None if options.missing in ("drop", "error") else options.missing
    encoder, mean, variance, notes = _encoder(features, scans, fill or "mean", sample_frames["train"])
    warnings += notes
    stream = StreamedCsv(path, fmt, numeric, options, task, class_names, encoder, counts, file_rows, mean,
                         variance, None, sample_frames, warnings, class_values, drop)
    if task in ("binary", "multiclass"):
        train_counts = _class_counts(stream, scans[targets[0]])
        _check_classes(stream, train_counts, targets[0])
        y = np.repeat(np.arange(len(class_names)), train_counts)
        stream.class_weight = _class_weight(options.class_weight, task, class_names, y)
    else:
        stream.class_weight = _class_weight(options.class_weight, task, class_names, np.empty(0))
    return stream


def _missing_report(scans: list[ColumnScan], offset: int) -> list[str]:
    lines = []
    for scan in scans:
        parts = []
        if scan.missing:
            parts.append(f"{scan.missing} missing (first at {_where(scan.first_missing, offset)})")
        if scan.infinite:
            parts.append(f"{scan.infinite} infinite (first at {_where(scan.first_infinite, offset)})")
        if parts:
            lines.append(f"column {cell(scan.name)}: {', '.join(parts)}")
    return lines


def _classes(scans, infos: list[ColumnInfo], task: str) -> tuple[list[str], np.ndarray | None]:
    """Class names in order, as ``prepare`` names them (and a numeric target's values)."""
    if task == "regression":
        return [], None
    if task == "multilabel":
        return [i.name for i in infos], None
    scan = scans[infos[0].name]
    if scan.overflow:
        raise DataError(f"target {cell(scan.name)} has more than "
                        f"{MAX_CATEGORIES if scan.numeric else MAX_DISTINCT:,} different values, too many to be "
                        "classes of a file this large")
    if scan.numeric:
        values = np.array(sorted(scan.values), np.float64)
        return [str(int(v)) if float(v).is_integer() else repr(float(v)) for v in values], values
    return sorted(str(v) for v in scan.values), None


def _class_counts(stream: StreamedCsv, scan: ColumnScan) -> np.ndarray:
    """Training rows per class (from the scan's counts: exact, not a sample)."""
    if scan.numeric:
        return np.array([scan.counts.get(float(v), 0) for v in stream.class_values], np.int64)
    return np.array([scan.counts.get(name, 0) for name in stream.class_names], np.int64)


def _check_classes(stream: StreamedCsv, counts: np.ndarray, target: str) -> None:
    names = stream.class_names
    if (counts > 0).sum() < 2:
        raise DataError(f"target {target!r} has fewer than two classes in the training rows; a classifier "
                        "needs at least two")
    if stream.task == "binary" and len(names) != 2:
        raise DataError(f"target {target!r} has {len(names)} classes; binary needs exactly 2")


def _encoder(features: list[ColumnInfo], scans, fill: str, sample: pd.DataFrame):
    """The FeatureEncoder ``prepare`` would fit on the training rows, and the mean and variance of each
    encoded column over them (fills included), from the scan's sums rather than the rows themselves."""
    entries, mean, variance, notes = [], [], [], []
    for info in features:
        scan = scans[info.name]
        entry = {"name": info.name, "kind": info.kind}
        gaps = scan.train_gaps
        if info.kind == "numeric":
            m = scan.moments
            if not m.n:
                entry["fill"] = 0.0
            elif fill == "mean":
                entry["fill"] = float(m.mean)
            else:
                values = sample[info.name].to_numpy(np.float32) if len(sample) else np.empty(0, np.float32)
                values = values[np.isfinite(values)]
                if fill == "median":
                    entry["fill"] = float(np.median(values)) if len(values) else float(m.mean)
                else:
                    uniques, counts = np.unique(values, return_counts=True)
                    entry["fill"] = float(uniques[np.argmax(counts)]) if len(values) else float(m.mean)
                if gaps:
                    notes.append(f"column {cell(info.name)}: the {fill.replace('_', ' ')} that fills missing cells "
                                 f"comes from a sample of {len(values):,} training rows")
            n, f = m.n + gaps, entry["fill"]
            mu = (m.n * m.mean + gaps * f) / n if n else 0.0
            m2 = m.m2 + m.n * (m.mean - mu) ** 2 + gaps * (f - mu) ** 2
            mean.append(mu)
            variance.append(m2 / n if n else 0.0)
        elif info.kind == "boolean":
            ones = sum(c for v, c in scan.counts.items() if str(v).lower() in _TRUE)
            zeros = sum(scan.counts.values()) - ones
            entry["fill"] = 1.0 if ones > zeros else 0.0
            p = _share(ones + (gaps if entry["fill"] == 1.0 else 0), ones + zeros + gaps)
            mean.append(p)
            variance.append(p * (1 - p))
        elif info.kind == "categorical":
            entry["categories"] = [str(c) for c in info.categories]
            counts = {str(k): v for k, v in scan.counts.items()}
            top = max(counts.values(), default=0)
            entry["fill"] = min(k for k, v in counts.items() if v == top) if counts else entry["categories"][0]
            total = sum(counts.values()) + gaps
            for c in entry["categories"]:
                p = _share(counts.get(c, 0) + (gaps if c == entry["fill"] else 0), total)
                mean.append(p)
                variance.append(p * (1 - p))
        else:
            raise DataError(f"column {info.name!r} is {info.kind} and cannot be a feature")
        entries.append(entry)
    return FeatureEncoder(entries), mean, variance, notes


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
