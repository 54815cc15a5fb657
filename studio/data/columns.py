"""What each column of a table is: numeric, boolean, categorical, identifier-like or constant."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Text columns with at most this many distinct values (and not more than half
# the rows) are categories; more than that looks like names or identifiers.
MAX_CATEGORIES = 50
_TRUE = {"true", "yes", "y", "t"}
_FALSE = {"false", "no", "n", "f"}


@dataclass
class ColumnInfo:
    """A column's kind and the problems it has.

    ``kind``: "numeric", "boolean", "categorical", "identifier" (text with too
    many distinct values to be a category), "constant" or "mixed" (mostly
    numbers with some text; ``first_bad`` holds (row, value)).
    """

    name: str
    kind: str
    missing: int = 0
    infinite: int = 0
    distinct: int = 0  # for real numbers: the count of values (not checked for repeats)
    categories: list = field(default_factory=list)
    integer: bool = False
    first_bad: tuple[int, str] | None = None
    first_missing: int | None = None

    @property
    def usable(self) -> bool:
        return self.kind in ("numeric", "boolean", "categorical")

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "missing": self.missing, "infinite": self.infinite,
                "distinct": self.distinct}


def _sorted_categories(values) -> list:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _is_whole(finite: np.ndarray) -> bool:
    head = finite[:1000]
    if not np.all(head == np.floor(head)):  # most real-valued columns are rejected here
        return False
    return bool(np.all(finite == np.floor(finite)))


def describe_column(series: pd.Series) -> ColumnInfo:
    name = str(series.name)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return _describe_numbers(name, series.to_numpy())
    missing_mask = series.isna().to_numpy()
    missing = int(missing_mask.sum())
    first_missing = int(np.argmax(missing_mask)) if missing else None
    values = series[~missing_mask]
    if pd.api.types.is_bool_dtype(series):
        cats = _sorted_categories(values.unique().tolist())
        return ColumnInfo(name, "boolean" if len(cats) == 2 else "constant", missing, 0, len(cats), cats,
                          first_missing=first_missing)
    text = values.astype(str).str.strip()
    lowered = set(text.str.lower().unique())
    if lowered and lowered <= _TRUE | _FALSE and len(lowered) <= 2 and lowered & _TRUE and lowered & _FALSE:
        return ColumnInfo(name, "boolean", missing, 0, 2, [False, True], first_missing=first_missing)
    numbers = pd.to_numeric(text, errors="coerce")
    parsed = numbers.notna()
    if len(text) and parsed.mean() >= 0.8:
        position = int(np.argmin(parsed.to_numpy()))
        return ColumnInfo(name, "mixed", missing, 0, int(text.nunique()),
                          first_bad=(int(text.index[position]), str(text.iloc[position])),
                          first_missing=first_missing)
    distinct = _sorted_categories(text.unique().tolist())
    if len(distinct) <= 1:
        kind = "constant"
    elif len(distinct) <= MAX_CATEGORIES and (len(distinct) <= len(text) / 2 or len(text) < 20):
        kind = "categorical"
    else:
        kind = "identifier"
    return ColumnInfo(name, kind, missing, 0, len(distinct), distinct if kind != "identifier" else [],
                      first_missing=first_missing)


def _describe_numbers(name: str, array: np.ndarray) -> ColumnInfo:
    array = array.astype(np.float64, copy=False) if array.dtype.kind in "iu" else array
    low, high = (array.min(), array.max()) if len(array) else (np.nan, np.nan)
    if np.isfinite(low) and np.isfinite(high):  # no NaN (it would propagate) and no infinity: the usual case
        missing = infinite = 0
        first_missing = None
        finite = array
    else:
        nan = np.isnan(array)
        missing = int(nan.sum())
        first_missing = int(np.argmax(nan)) if missing else None
        finite_mask = np.isfinite(array)
        infinite = int(len(array) - missing - finite_mask.sum())
        finite = array[finite_mask]
        low, high = (finite.min(), finite.max()) if len(finite) else (np.nan, np.nan)
    if len(finite) == 0 or low == high:
        cats = finite[:1].astype(float).tolist()
        return ColumnInfo(name, "constant", missing, infinite, len(cats), cats, first_missing=first_missing)
    integer = _is_whole(finite)
    # Distinct values matter for whole numbers (class labels); measured reals are simply "many".
    distinct_values = np.unique(finite) if integer else finite[:0]
    distinct = len(distinct_values) if integer else len(finite)
    cats = distinct_values.astype(float).tolist() if integer and distinct <= MAX_CATEGORIES else []
    return ColumnInfo(name, "numeric", missing, infinite, distinct, cats, integer, first_missing=first_missing)


def describe_columns(frame: pd.DataFrame) -> list[ColumnInfo]:
    return [describe_column(frame[name]) for name in frame.columns]
