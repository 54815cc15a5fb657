"""Read a large CSV file as a few byte ranges parsed at once, one thread each.

pandas' C parser releases the GIL while it tokenizes and converts numbers, so
parsing two halves of a file in two threads uses two cores; nothing faster
was found on this machine (pyarrow's CSV reader and numpy's loadtxt both took
longer than one pandas thread). A file can only be cut at a newline when no
newline sits inside a quoted field, so this path is for files with no quote
character at all: a sample with a quote never comes here, and a quote met
while reading makes ``read_ranges`` give up (returns None) so the caller
reads the file the ordinary way. The same happens on any parse error, so the
messages a user sees are always those of the one-pass reader.

Progress and Cancel stay in the caller's thread: it polls ``cancelled()`` and
reports progress while the ranges are read.
"""

from __future__ import annotations

import codecs
import ctypes
import io
import os
import threading
from pathlib import Path
from typing import Callable

import pandas as pd

from studio.data.errors import Cancelled
from studio.data.sniff import EXTRA_NA, LEGACY_ENCODINGS, CsvFormat

# Files smaller than this load in a fraction of a second anyway: one range.
MIN_PARALLEL_BYTES = 32 * 1024 * 1024
MAX_RANGES = 4
# ASCII-compatible encodings in which the byte 0x0A is always a newline (never part of a character).
_NEWLINE_SAFE = {codecs.lookup(name).name for name in ("utf-8", "utf-8-sig", "ascii", "latin-1", *LEGACY_ENCODINGS)}
_POLL_SECONDS = 0.05


class Overflow(Exception):
    """A range holds more rows than the room set aside for it: read the file in one pass."""


class _QuoteSeen(Exception):
    """A quote character in a range: a newline may be inside a field, so the cut may be wrong."""


class RangeFile(io.RawIOBase):
    """The bytes ``start:end`` of a file as a binary file object, refusing any that hold a quote.

    A raw binary stream, so that pandas decodes it as it decodes a file it opens itself.
    """

    def __init__(self, path: Path, start: int, end: int, stop: threading.Event):
        super().__init__()
        self._file = open(path, "rb", buffering=0)
        self._file.seek(start)
        self._left = end - start
        self._stop = stop

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._stop.is_set():
            raise Cancelled()
        data = self._file.read(min(len(buffer), self._left)) if self._left > 0 else b""
        if b'"' in data:
            raise _QuoteSeen()
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._file.close()
        super().close()


def usable(path: Path, fmt: CsvFormat, size: int) -> bool:
    """Whether the file can be cut into ranges at newlines: large, newline-safe encoding, no quote seen."""
    if size < MIN_PARALLEL_BYTES or (os.cpu_count() or 1) < 2:
        return False
    try:
        if codecs.lookup(fmt.encoding).name not in _NEWLINE_SAFE:
            return False
    except LookupError:
        return False
    with open(path, "rb") as f:
        sample = f.read(256 * 1024)
    return b'"' not in sample


def cut_points(path: Path, parts: int) -> list[int]:
    """Byte offsets where each range starts, each just after a newline; the first is the file's start."""
    size = path.stat().st_size
    points = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(max(size * k // parts, points[-1]))
            f.readline()  # to the end of the line the guess fell in
            if f.tell() < size and f.tell() > points[-1]:
                points.append(f.tell())
    return points + [size]


def _read_range(path, start, end, fmt, first, dtypes, columns, chunk_rows, stop, outcome, index):
    try:
        handle = io.BufferedReader(RangeFile(path, start, end, stop), 1 << 20)
        try:
            # Only the first range starts with the header (and a byte-order mark).
            encoding = fmt.encoding if first else codecs.lookup(fmt.encoding).name.replace("utf-8-sig", "utf-8")
            reader = pd.read_csv(handle, sep=fmt.delimiter, decimal=fmt.decimal, encoding=encoding,
                                 header=0 if fmt.header and first else None, names=fmt.columns, dtype=dtypes,
                                 na_values=list(EXTRA_NA), engine="c", chunksize=chunk_rows)
            with reader:
                for chunk in reader:
                    if stop.is_set():
                        raise Cancelled()
                    columns.add(chunk)
        finally:
            handle.close()
        outcome[index] = None
    except Exception as exc:  # a quote, a bad cell, a short row, another encoding, Cancel, MemoryError
        outcome[index] = exc
        stop.set()  # the other ranges' work is wasted now


def read_ranges(path: Path, fmt: CsvFormat, dtypes: dict, make_columns: Callable[[list[float]], list],
                join: Callable[[list], object], chunk_rows: int, progress: Callable[[float], None] | None,
                cancelled: Callable[[], bool] | None, expected_rows: int):
    """The file's rows collected by the objects ``make_columns(shares)`` gives, one per range
    (``shares``: each range's part of the file), then ``join(parts)`` in order; None when the file cannot be read this way (the caller reads it in one pass).

    Raises:
        Cancelled: ``cancelled()`` returned True.
    """
    points = cut_points(path, min(MAX_RANGES, os.cpu_count() or 1))
    size = max(points[-1], 1)
    ranges = list(zip(points[:-1], points[1:]))
    if len(ranges) < 2:
        return None  # no newline to cut at
    # Smaller chunks per range: the parsers' buffers together take what one parser's would.
    chunk_rows = max(1024, chunk_rows // len(ranges))
    parts = make_columns([(end - start) / size for start, end in ranges])
    stop = threading.Event()
    outcome: list = [None] * len(ranges)
    threads = [threading.Thread(target=_read_range, name=f"csv-range-{i}", daemon=True,
                                args=(path, start, end, fmt, i == 0, dtypes, parts[i], chunk_rows, stop,
                                      outcome, i))
               for i, (start, end) in enumerate(ranges)]
    for thread in threads:
        thread.start()
    user_cancelled = False
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(_POLL_SECONDS)
                if cancelled is not None and cancelled():
                    user_cancelled = True
                    stop.set()
                if progress is not None:
                    progress(min(sum(p.rows for p in parts) / max(expected_rows, 1), 0.99))
    except BaseException:  # a progress callback that failed: the threads stop before this is passed on
        stop.set()
        for thread in threads:
            thread.join()
        raise
    if user_cancelled:
        raise Cancelled()
    for problem in outcome:
        if isinstance(problem, MemoryError):
            raise problem
    if any(problem is not None for problem in outcome):
        return None  # a quote, a bad cell, a short row, another encoding: read again in one pass
    joined = join(parts)
    _release_free_memory()
    return joined


def _release_free_memory() -> None:
    """Give the memory the range threads freed back to the system (glibc keeps it in per-thread arenas,
    where it would count against the load's peak while the arrays are made); elsewhere nothing to do."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass
