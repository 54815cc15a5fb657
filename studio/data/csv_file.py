"""Read a CSV file into a DataFrame: detected format, progress, cancel, clear errors.

``progress(fraction)`` is called as rows are read and ``cancelled()`` is
polled at the same points, both in the caller's thread, so a worker thread
can show progress and stop the load. A large file without quotes is parsed
as pieces on a few threads at once (studio.data.csv_ranges); anything unusual in
it sends it back to the one-pass read, whose messages are the ones shown.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from studio.core.memory import data_memory_limit
from studio.data import csv_ranges
from studio.data.errors import Cancelled, DataError, cell
from studio.data.sniff import (EXTRA_NA, SAMPLE_BYTES, SAMPLE_LINES, CsvFormat, check_regular_file, detect_encoding,
                               is_missing, is_number, sniff, undecodable_lines)

# Memory a parsed cell takes at most (float64 or a pointer to a short string),
# and the share of the available memory a load may plan to use.
_BYTES_PER_CELL = 8
_TEXT_CELL_BYTES = 64
_MEMORY_SHARE = 0.5


class TooLargeError(DataError):
    """The parsed file would not fit in the memory that can be used now (it can still be streamed)."""

    def __init__(self, message: str, rows: int, needed: int, limit: int):
        super().__init__(message)
        self.rows, self.needed, self.limit = rows, needed, limit


@dataclass
class CsvTable:
    """A loaded CSV file with the format it was read with."""

    path: Path
    frame: pd.DataFrame
    format: CsvFormat
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.frame)


# Rows per chunk: about this many cells, so a chunk's text and arrays stay a few MB.
_CHUNK_CELLS = 1_300_000
_MAX_CHUNK_ROWS = 65_536  # also how often progress is reported and cancel is checked


class _Columns:
    """Collects chunks column by column: numbers into one growing float32 block."""

    def __init__(self, names: list[str], numeric: set[str], expected_rows: int):
        self.names = names
        self.numeric = [n for n in names if n in numeric]
        self.block = np.empty((len(self.numeric), max(int(expected_rows * 1.05) + 1024, 1024)), np.float32)
        self.text: dict[str, list[np.ndarray]] = {n: [] for n in names if n not in numeric}
        self.rows = 0

    def _room(self, n: int) -> None:
        if self.rows + n > self.block.shape[1]:
            grown = np.empty((self.block.shape[0], int((self.rows + n) * 1.5)), np.float32)
            grown[:, :self.rows] = self.block[:, :self.rows]
            self.block = grown

    def add(self, chunk: pd.DataFrame) -> None:
        n = len(chunk)
        self._room(n)
        for i, name in enumerate(self.numeric):
            self.block[i, self.rows:self.rows + n] = chunk[name].to_numpy()
        for name, parts in self.text.items():
            parts.append(chunk[name].to_numpy(dtype=object))
        self.rows += n

    def frame(self) -> pd.DataFrame:
        numbers = self.block[:, :self.rows]
        if not self.text:  # one float32 block, shared with the frame rather than copied
            return pd.DataFrame(numbers.T, columns=self.names, copy=False)
        columns = {}
        for name in self.names:
            if name in self.text:
                parts = self.text[name]
                columns[name] = np.concatenate(parts) if parts else np.empty(0, object)
            else:
                columns[name] = numbers[self.numeric.index(name)]
        return pd.DataFrame(columns, columns=self.names)


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def estimate_memory(path: Path, fmt: CsvFormat, text_columns: int | None = None) -> tuple[int, int]:
    """(estimated rows, estimated bytes once parsed), from the file size and a sample
    (``text_columns``: how many columns hold text, when the caller already sampled them)."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        sample = f.read(1024 * 1024)
    lines = max(sample.count(b"\n"), 1)
    rows = max(int(size / (len(sample) / lines)) - int(fmt.header), 0) if sample else 0
    text_cells = _sample_kinds(path, fmt)[1] if text_columns is None else text_columns
    per_row = (len(fmt.columns) - text_cells) * _BYTES_PER_CELL + text_cells * _TEXT_CELL_BYTES
    return rows, rows * per_row


def _sample_rows(path: Path, fmt: CsvFormat, limit: int = SAMPLE_LINES) -> list[list[str]]:
    with open(path, encoding=fmt.encoding, errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=fmt.delimiter)
        rows = []
        for row in reader:
            if len(rows) > limit:
                break
            rows.append(row)
    return rows[1:] if fmt.header else rows


def _sample_kinds(path: Path, fmt: CsvFormat) -> tuple[list[str], int]:
    """From the sampled rows: the columns whose cells are all numbers or missing (read as float32),
    and how many columns hold some text."""
    rows = _sample_rows(path, fmt)
    numeric, text = [], 0
    for i, name in enumerate(fmt.columns):
        cells = [r[i] for r in rows if i < len(r) and not is_missing(r[i])]
        numbers = sum(1 for c in cells if is_number(c, fmt.decimal))
        if cells and numbers == len(cells):
            numeric.append(name)
        text += numbers < len(cells)
    return numeric, text


def _numeric_columns(path: Path, fmt: CsvFormat) -> list[str]:
    """Columns whose sampled cells are all numbers or missing: read them as float32 (studio.data.streaming)."""
    return _sample_kinds(path, fmt)[0]


def _parser_error(exc: Exception, path: Path, fmt: CsvFormat) -> DataError:
    message = str(exc)
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if match:
        expected, line, saw = (int(g) for g in match.groups())
        return DataError(f"{path}: line {line} has {saw} fields but the header has {expected}. "
                         f"Check for an extra {fmt.describe().split(', ')[1]} or a value that needs quotes")
    match = re.search(r"EOF inside string starting (?:at|with) (?:row|line) (\d+)", message)
    if match or "EOF inside string" in message:
        where = f" on line {int(match.group(1)) + (1 if fmt.header else 0)}" if match else ""
        return DataError(f"{path}: a quote opened{where} is never closed, so the rest of the file "
                         "would be read as one value")
    return DataError(f"{path}: cannot be read as CSV ({fmt.describe()}): {message}")


def _check_short_rows(path: Path, fmt: CsvFormat, frame: pd.DataFrame) -> None:
    """A row with fewer fields than the header is an error, not missing values."""
    if frame.empty or not frame.iloc[:, -1].isna().any():
        return
    width = len(fmt.columns)
    with open(path, encoding=fmt.encoding, errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=fmt.delimiter)
        for row in reader:
            if row and len(row) < width:
                line = reader.line_num
                raise DataError(f"{path}: line {line} has {len(row)} field{'s' if len(row) != 1 else ''} but "
                                f"the header has {width}")


def _first_bad_cell(path: Path, fmt: CsvFormat, numeric: list[str]) -> DataError | None:
    """Find the first text cell in a column the sample showed as numeric."""
    frame = pd.read_csv(path, sep=fmt.delimiter, decimal=fmt.decimal, encoding=fmt.encoding,
                        header=0 if fmt.header else None, names=fmt.columns, dtype=str,
                        na_values=list(EXTRA_NA), encoding_errors="replace")
    for name in numeric:
        column = frame[name]
        values = column.dropna()
        bad = values[~values.map(lambda c: is_number(c, fmt.decimal))]
        if len(bad):
            row = int(bad.index[0])
            line = row + (2 if fmt.header else 1)
            return DataError(f"{path}: column {name!r} holds numbers but row {row + 1} (line {line}) has "
                             f"{cell(bad.iloc[0])}; mixed types in one column cannot be used. Fix the cell "
                             "or mark it as missing")
    return None


def _rising(progress: Callable[[float], None] | None) -> Callable[[float], None] | None:
    """``progress`` that never goes back (a read that starts again keeps the bar where it was)."""
    if progress is None:
        return None
    shown = [0.0]

    def report(fraction: float) -> None:
        if fraction > shown[0]:
            shown[0] = fraction
            progress(fraction)
    return report


def _read_in_one_pass(path: Path, fmt: CsvFormat, dtypes: dict, numeric: list[str], rows: int, chunk_rows: int,
                      progress, cancelled) -> _Columns:
    columns = _Columns(fmt.columns, set(numeric), rows)
    reader = pd.read_csv(path, sep=fmt.delimiter, decimal=fmt.decimal, encoding=fmt.encoding,
                         header=0 if fmt.header else None, names=fmt.columns, dtype=dtypes,
                         na_values=list(EXTRA_NA), engine="c", chunksize=chunk_rows)
    with reader:
        for chunk in reader:
            if cancelled is not None and cancelled():
                raise Cancelled()
            columns.add(chunk)
            if progress is not None:
                progress(min(columns.rows / max(rows, 1), 0.99))
    return columns


def load_csv(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
             decimal: str | None = None, header: bool | None = None,
             progress: Callable[[float], None] | None = None,
             cancelled: Callable[[], bool] | None = None,
             memory_limit: int | None = None) -> CsvTable:
    """Read a CSV file; every setting not given is detected.

    Raises:
        DataError: the file cannot be used; the message says why and where.
        Cancelled: ``cancelled()`` returned True.
    """
    path = Path(path)
    before = check_regular_file(path)
    fmt = sniff(path, encoding, delimiter, decimal, header)
    try:
        numeric, text_columns = _sample_kinds(path, fmt)
        rows, needed = estimate_memory(path, fmt, text_columns)
    except UnicodeError as exc:  # an encoding given by the user that the file is not in (utf-16 without a BOM)
        raise DataError(f"{path}: not readable as {fmt.encoding} ({exc}); choose the file's encoding") from None
    limit = memory_limit if memory_limit is not None else data_memory_limit(_MEMORY_SHARE)
    if needed > limit:
        raise TooLargeError(f"{path}: about {rows:,} rows x {len(fmt.columns)} columns would take about "
                            f"{_size(needed)} of memory, more than the {_size(limit)} that can be used now; "
                            "use a smaller file or a machine with more memory", rows, needed, limit)
    # Numbers parse fastest as pandas' default float64; each chunk is narrowed to float32 as it is stored.
    dtypes = {name: object for name in fmt.columns if name not in numeric}
    chunk_rows = min(max(1024, _CHUNK_CELLS // max(len(fmt.columns), 1)), _MAX_CHUNK_ROWS)
    notes = []
    progress = _rising(progress)
    for attempt in ("detected", "fallback"):
        columns = None
        try:
            if attempt == "detected" and csv_ranges.usable(path, fmt, before.st_size):
                # Large and unquoted: parsed as pieces on a few threads (None: read in one pass after all).
                columns = csv_ranges.read_ranges(path, fmt, dtypes, _Columns(fmt.columns, set(numeric), rows),
                                                 progress, cancelled, rows)
            if columns is None:
                columns = _read_in_one_pass(path, fmt, dtypes, numeric, rows, chunk_rows, progress, cancelled)
            break
        except UnicodeError:  # UnicodeDecodeError, or "UTF-16 stream does not start with BOM"
            if attempt == "fallback" or "encoding" not in fmt.detected:
                raise DataError(f"{path}: not readable as {fmt.encoding}; choose the file's encoding") from None
            # The sample was not the whole story: detect again from the lines it could not read.
            lines = undecodable_lines(path, fmt.encoding, cancelled=cancelled)
            if cancelled is not None and cancelled():
                raise Cancelled() from None
            found = detect_encoding(lines, truncated=False) if lines else "latin-1"
            if found == fmt.encoding:
                found = "latin-1"  # reads any bytes
            notes.append(f"the file is not all {fmt.encoding} after its first {SAMPLE_BYTES // 1024} KiB; "
                         f"read as {found}")
            fmt.encoding = found
        except pd.errors.ParserError as exc:
            raise _parser_error(exc, path, fmt) from None
        except csv.Error as exc:  # a cell over csv's field limit
            raise DataError(f"{path}: {exc}") from None
        except ValueError as exc:
            bad = _first_bad_cell(path, fmt, numeric)
            raise (bad or DataError(f"{path}: {exc}")) from None
    after = check_regular_file(path)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise DataError(f"{path}: the file changed while it was read ({before.st_size:,} bytes before, "
                        f"{after.st_size:,} after); read it again once it is complete")
    frame = columns.frame()
    if frame.empty:
        raise DataError(f"{path}: has a header row but no data rows" if fmt.header
                        else f"{path}: has no data rows")
    _check_short_rows(path, fmt, frame)
    if progress is not None:
        progress(1.0)
    return CsvTable(path, frame, fmt, notes)
