"""One pass over a CSV file in chunks: each column's statistics, the seeded split of rows, a bounded sample.

``studio.data.streaming`` builds on these to train on a file larger than
memory: ``ColumnScan`` learns from chunks what ``describe_column`` says of
a whole column (and the training rows' mean and variance, merged as Chan et
al.), ``split_of_rows`` puts each row number in a split by a seeded hash
(the same every epoch and on every worker), and ``Sample`` keeps a uniform
sample of bounded size by the smallest hash keys.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from studio.data.columns import MAX_CATEGORIES, ColumnInfo, _FALSE, _TRUE
from studio.data.csv_file import _parser_error
from studio.data.errors import DataError, cell
from studio.data.sniff import EXTRA_NA, CsvFormat, is_number

#: Distinct texts remembered per column; a column with more is names or identifiers, never categories.
MAX_DISTINCT = 10_000
_CHUNK_CELLS = 1_300_000
_MAX_CHUNK_ROWS = 65_536


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 of each uint64: a fast hash whose output bits are all well mixed."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def uniform(rows: np.ndarray, seed: int, salt: int) -> np.ndarray:
    """A number in [0, 1) per row number, fixed by ``seed`` and ``salt`` (independent draws per salt)."""
    with np.errstate(over="ignore"):
        key = np.asarray(rows, np.uint64) ^ _mix(np.array([seed * 2 + salt], np.uint64))
    return (_mix(key) >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def split_of_rows(rows: np.ndarray, validation: float, test: float, seed: int) -> np.ndarray:
    """0 (train), 1 (validation) or 2 (test) for each row number: a seeded hash, the same every epoch."""
    u = uniform(rows, seed, 0)
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


class Moments:
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


class ColumnScan:
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
        self.moments = Moments()  # numbers: the finite values of the training rows
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


class Sample:
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
