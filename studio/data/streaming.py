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

import csv
import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from studio.data.columns import MAX_CATEGORIES, ColumnInfo, _FALSE, _TRUE
from studio.data.csv_file import _check_short_rows, _numeric_columns, _parser_error, _size
from studio.data.defaults import MISSING_POLICIES, TASKS
from studio.data.encoding import FeatureEncoder, _as_bool
from studio.data.errors import DataError, cell
from studio.data.sniff import EXTRA_NA, CsvFormat, is_number, sniff
from studio.data.split import check_fractions
from studio.data.tabular import (TabularOptions, _bad_rows, _check_task, _class_weight, _features, _require_columns,
                                 _require_rows, _where, infer_task)

SPLITS = ("train", "validation", "test")
#: Distinct texts remembered per column; a column with more is names or identifiers, never categories.
MAX_DISTINCT = 10_000
#: Rows of each split kept in memory (a uniform sample by hash) for checks, plots and the confusion matrix.
SAMPLE_ROWS = {"train": 20_000, "validation": 2_000, "test": 10_000}
#: Rows shuffled together when training: the buffer's memory is this many encoded rows.
SHUFFLE_ROWS = 65_536
_CHUNK_CELLS = 1_300_000
_MAX_CHUNK_ROWS = 65_536


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 of each uint64: a fast hash whose output bits are all well mixed."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _uniform(rows: np.ndarray, seed: int, salt: int) -> np.ndarray:
    """A number in [0, 1) per row number, fixed by ``seed`` and ``salt`` (independent draws per salt)."""
    with np.errstate(over="ignore"):
        key = np.asarray(rows, np.uint64) ^ _mix(np.array([seed * 2 + salt], np.uint64))
    return (_mix(key) >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def split_of_rows(rows: np.ndarray, validation: float, test: float, seed: int) -> np.ndarray:
    """0 (train), 1 (validation) or 2 (test) for each row number: a seeded hash, the same every epoch."""
    u = _uniform(rows, seed, 0)
    out = np.zeros(len(u), np.int8)
    out[u < test] = 2
    out[(u >= test) & (u < test + validation)] = 1
    return out


def chunk_rows(columns: int) -> int:
    return min(max(1024, _CHUNK_CELLS // max(columns, 1)), _MAX_CHUNK_ROWS)


def read_chunks(path: Path, fmt: CsvFormat, numeric: list[str], rows: int | None = None):
    """The file as DataFrames of ``rows`` rows, typed as ``load_csv`` types them; the index is the row number."""
    dtypes = {name: object for name in fmt.columns if name not in numeric}
    reader = pd.read_csv(path, sep=fmt.delimiter, decimal=fmt.decimal, encoding=fmt.encoding,
                         header=0 if fmt.header else None, names=fmt.columns, dtype=dtypes,
                         na_values=list(EXTRA_NA), engine="c", chunksize=rows or chunk_rows(len(fmt.columns)))
    try:
        with reader:
            for chunk in reader:
                for name in numeric:
                    if chunk[name].dtype.kind not in "iuf":
                        raise _bad_cell(path, fmt, name, chunk[name])
                yield chunk
    except UnicodeError:
        raise DataError(f"{path}: not readable as {fmt.encoding}; choose the file's encoding") from None
    except pd.errors.ParserError as exc:
        raise _parser_error(exc, path, fmt) from None
    except csv.Error as exc:
        raise DataError(f"{path}: {exc}") from None


def _bad_cell(path: Path, fmt: CsvFormat, name: str, column: pd.Series) -> DataError:
    """The message ``load_csv`` gives for text in a numeric column, for the first such cell of a chunk."""
    values = column.dropna().astype(str)
    bad = values[~values.map(lambda c: is_number(c, fmt.decimal))]
    row = int(bad.index[0]) if len(bad) else int(column.index[0])
    value = bad.iloc[0] if len(bad) else ""
    line = row + (2 if fmt.header else 1)
    return DataError(f"{path}: column {name!r} holds numbers but row {row + 1} (line {line}) has "
                     f"{cell(value)}; mixed types in one column cannot be used. Fix the cell or mark it as missing")


class _Moments:
    """Count, mean and sum of squared deviations of a stream of numbers, merged chunk by chunk."""

    def __init__(self):
        self.n, self.mean, self.m2 = 0, 0.0, 0.0

    def add(self, values: np.ndarray) -> None:
        if not len(values):
            return
        n, mean = len(values), float(values.mean())
        m2 = float(((values - mean) ** 2).sum())
        total = self.n + n
        delta = mean - self.mean
        self.mean += delta * n / total
        self.m2 += m2 + delta * delta * self.n * n / total
        self.n = total


class _ColumnScan:
    """What ``describe_column`` says of a whole column, and the training rows' statistics, from chunks."""

    def __init__(self, name: str, numeric: bool):
        self.name, self.numeric = name, numeric
        self.rows = self.missing = self.infinite = 0
        self.first_missing: int | None = None
        self.first_infinite: int | None = None
        self.low, self.high, self.whole = np.inf, -np.inf, True
        self.values: set = set()  # whole numbers (up to MAX_CATEGORIES + 1) or texts (up to MAX_DISTINCT)
        self.overflow = False
        self.parsed = 0  # text cells that read as numbers
        self.first_text: tuple[int, str] | None = None
        self.moments = _Moments()  # numbers: the finite values of the training rows
        self.counts: Counter = Counter()  # texts: each value's count in the training rows
        self.train_gaps = 0  # training rows where this column is missing or infinite

    def add(self, column: pd.Series, train: np.ndarray) -> None:
        rows = column.index.to_numpy()
        self.rows += len(column)
        if self.numeric:
            self._add_numbers(column.to_numpy(np.float32).astype(np.float64), rows, train)
        else:
            self._add_text(column, rows, train)

    def _add_numbers(self, values: np.ndarray, rows: np.ndarray, train: np.ndarray) -> None:
        nan = np.isnan(values)
        finite = np.isfinite(values)
        inf = ~nan & ~finite
        if nan.any():
            self.missing += int(nan.sum())
            if self.first_missing is None:
                self.first_missing = int(rows[np.argmax(nan)])
        if inf.any():
            self.infinite += int(inf.sum())
            if self.first_infinite is None:
                self.first_infinite = int(rows[np.argmax(inf)])
        good = values[finite]
        if len(good):
            self.low, self.high = min(self.low, float(good.min())), max(self.high, float(good.max()))
            if self.whole and not np.all(good == np.floor(good)):
                self.whole = False
            if self.whole and not self.overflow:
                self.values.update(np.unique(good).tolist())
                self.overflow = len(self.values) > MAX_CATEGORIES
        used = values[train & finite]
        self.moments.add(used)
        if self.whole and not self.overflow and len(used):  # whole numbers may be classes: count them
            uniques, counts = np.unique(used, return_counts=True)
            self.counts.update(dict(zip(uniques.tolist(), counts.tolist())))
        self.train_gaps += int((train & ~finite).sum())

    def _add_text(self, column: pd.Series, rows: np.ndarray, train: np.ndarray) -> None:
        present = column.notna().to_numpy()
        if not present.all():
            self.missing += int((~present).sum())
            if self.first_missing is None:
                self.first_missing = int(rows[np.argmax(~present)])
        text = column[present].astype(str).str.strip()
        numbers = pd.to_numeric(text, errors="coerce").notna().to_numpy()
        self.parsed += int(numbers.sum())
        if self.first_text is None and not numbers.all():
            at = int(np.argmin(numbers))
            self.first_text = (int(text.index[at]), str(text.iloc[at]))
        if not self.overflow:
            self.values.update(text.unique().tolist())
            self.overflow = len(self.values) > MAX_DISTINCT
            if not self.overflow:
                self.counts.update(text[train[present]].value_counts().to_dict())
        self.train_gaps += int((train & ~present).sum())

    def info(self) -> ColumnInfo:
        """The ColumnInfo ``describe_column`` gives for the whole column."""
        if self.numeric:
            return self._numbers_info()
        present = self.rows - self.missing
        if self.first_text is not None and present and self.parsed / present >= 0.8:
            return ColumnInfo(self.name, "mixed", self.missing, 0, len(self.values), first_bad=self.first_text,
                              first_missing=self.first_missing)
        lowered = {str(v).lower() for v in self.values}
        if not self.overflow and lowered and lowered <= _TRUE | _FALSE and len(lowered) <= 2 \
                and lowered & _TRUE and lowered & _FALSE:
            return ColumnInfo(self.name, "boolean", self.missing, 0, 2, [False, True],
                              first_missing=self.first_missing)
        distinct = len(self.values)
        if distinct <= 1 and not self.overflow:
            kind = "constant"
        elif not self.overflow and distinct <= MAX_CATEGORIES and (distinct <= present / 2 or present < 20):
            kind = "categorical"
        else:
            kind = "identifier"
        categories = sorted(self.values) if kind != "identifier" else []
        return ColumnInfo(self.name, kind, self.missing, 0, distinct, categories, first_missing=self.first_missing)

    def _numbers_info(self) -> ColumnInfo:
        if self.low > self.high or self.low == self.high:
            cats = [] if self.low > self.high else [float(self.low)]
            return ColumnInfo(self.name, "constant", self.missing, self.infinite, len(cats), cats,
                              first_missing=self.first_missing)
        finite = self.rows - self.missing - self.infinite
        distinct = len(self.values) if self.whole and not self.overflow else finite
        cats = sorted(float(v) for v in self.values) if self.whole and not self.overflow else []
        return ColumnInfo(self.name, "numeric", self.missing, self.infinite, distinct, cats, self.whole,
                          first_missing=self.first_missing)


class _Sample:
    """The raw rows with the smallest hash keys seen so far: a uniform sample of bounded size."""

    def __init__(self, size: int):
        self.size = size
        self.frame: pd.DataFrame | None = None
        self.keys = np.empty(0)

    def add(self, chunk: pd.DataFrame, keys: np.ndarray) -> None:
        if len(self.keys) >= self.size:
            wanted = keys < self.keys.max()
            chunk, keys = chunk[wanted], keys[wanted]
        if not len(keys):
            return
        frame = chunk if self.frame is None else pd.concat([self.frame, chunk])
        keys = np.concatenate([self.keys, keys])
        if len(keys) > self.size:
            keep = np.sort(np.argpartition(keys, self.size - 1)[:self.size])
            frame, keys = frame.iloc[keep], keys[keep]
        self.frame, self.keys = frame, keys

    def rows(self) -> pd.DataFrame:
        """The sample in row order."""
        if self.frame is None:
            return pd.DataFrame()
        return self.frame.sort_index()


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
    scans = {name: _ColumnScan(name, name in numeric) for name in names}
    samples = {split: _Sample(size) for split, size in SAMPLE_ROWS.items()}
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
        keys = _uniform(rows, options.seed, 1)
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


def _missing_report(scans: list[_ColumnScan], offset: int) -> list[str]:
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


def _class_counts(stream: StreamedCsv, scan: _ColumnScan) -> np.ndarray:
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
