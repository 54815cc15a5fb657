"""Read a large CSV file as pieces of about 16 MB parsed on a few threads, in order.

pandas' C parser releases the GIL while it tokenizes and converts numbers, so
pieces parsed in two threads use two cores. This is what pandas 3.1 itself
does for a whole-file ``read_csv(path)`` (4 MB pieces of a memory-mapped
file), which cannot report progress or be cancelled; here each piece is one
``read_csv`` of its bytes, taken in file order by the caller's thread, which
copies it into the float32 block, reports progress and checks Cancel between
pieces. On a 2-core machine a 190 MB file parses in 0.35 s this way against
0.33 s for pandas' own whole-file read and 0.55 s for one chunked reader
(docs/benchmarks.md); 4 MB pieces cost 0.46 s (a ``read_csv`` call costs a
few milliseconds), 64 MB pieces 0.46 s (the last piece leaves one core idle).

A file can only be cut at a newline when no newline sits inside a quoted
field, so this path is for files with no quote character at all: a sample
with a quote never comes here, and a quote met while reading makes
``read_ranges`` give up (returns None) so the caller reads the file the
ordinary way. The same happens on any parse error, so the messages a user
sees are always those of the one-pass reader.
"""

from __future__ import annotations

import codecs
import ctypes
import io
import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from studio.data.errors import Cancelled
from studio.data.sniff import EXTRA_NA, LEGACY_ENCODINGS, CsvFormat

# Files smaller than this load in a fraction of a second anyway: one pass.
MIN_PARALLEL_BYTES = 32 * 1024 * 1024
MAX_RANGES = 4  # threads at most
PIECE_BYTES = 16 * 1024 * 1024
# ASCII-compatible encodings in which the byte 0x0A is always a newline (never part of a character).
_NEWLINE_SAFE = {codecs.lookup(name).name for name in ("utf-8", "utf-8-sig", "ascii", "latin-1", *LEGACY_ENCODINGS)}
_POLL_SECONDS = 0.05


class _QuoteSeen(Exception):
    """A quote character in a piece: a newline may be inside a field, so the cut may be wrong."""


def usable(path: Path, fmt: CsvFormat, size: int) -> bool:
    """Whether the file can be cut into pieces at newlines: large, newline-safe encoding, no quote seen."""
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


def cut_points(handle, size: int, parts: int) -> list[int]:
    """Byte offsets where each piece starts, each just after a newline; the first is 0, the last ``size``."""
    points = [0]
    for k in range(1, parts):
        handle.seek(max(size * k // parts, points[-1]))
        handle.readline()  # to the end of the line the guess fell in
        at = handle.tell()
        if at >= size:
            break
        if at > points[-1]:
            points.append(at)
    return points + [size]


def _parse(fd: int, start: int, end: int, fmt: CsvFormat, dtypes: dict, stop: threading.Event) -> pd.DataFrame:
    if stop.is_set():
        raise Cancelled()
    data = _read_at(fd, start, end)
    if b'"' in data:
        raise _QuoteSeen()
    first = start == 0  # only the first piece starts with the header (and a byte-order mark)
    encoding = fmt.encoding if first else codecs.lookup(fmt.encoding).name.replace("utf-8-sig", "utf-8")
    return pd.read_csv(io.BytesIO(data), sep=fmt.delimiter, decimal=fmt.decimal, encoding=encoding,
                       header=0 if fmt.header and first else None, names=fmt.columns, dtype=dtypes,
                       na_values=list(EXTRA_NA), engine="c")


def read_ranges(path: Path, fmt: CsvFormat, dtypes: dict, columns, progress: Callable[[float], None] | None,
                cancelled: Callable[[], bool] | None, expected_rows: int):
    """The file's rows added, in order, to ``columns`` (an object with ``add(frame)`` and ``rows``) and it
    returned; None when the file cannot be read this way (the caller reads it in one pass).

    Raises:
        Cancelled: ``cancelled()`` returned True.
        MemoryError: a piece did not fit.
    """
    workers = min(MAX_RANGES, os.cpu_count() or 1)
    # Numbers parsed straight to float32 (the same values as float64 narrowed, which the one-pass read does),
    # so the caller's thread only copies them into its block.
    dtypes = {name: dtypes.get(name, np.float32) for name in fmt.columns}
    stop = threading.Event()
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        points = cut_points(handle, size, max(workers, -(-size // PIECE_BYTES)))
        pieces = list(zip(points[:-1], points[1:]))
        if len(pieces) < 2:
            return None  # no newline to cut at
        try:
            return _read_pieces(handle.fileno(), pieces, workers, fmt, dtypes, columns, stop, progress, cancelled,
                                expected_rows)
        finally:
            _release_free_memory()


def _read_at(fd: int, start: int, end: int) -> bytes:
    """The bytes ``start:end`` of an open file, read without moving its position (safe from any thread).

    Read, not memory-mapped: a mapped file's pages would count in the process's resident memory."""
    parts, at = [], start
    while at < end:
        got = os.pread(fd, end - at, at) if hasattr(os, "pread") else _seek_read(fd, at, end - at)
        if not got:
            break  # the file shrank: load_csv's check after the read says so
        parts.append(got)
        at += len(got)
    return parts[0] if len(parts) == 1 else b"".join(parts)


_seek_lock = threading.Lock()


def _seek_read(fd: int, at: int, n: int) -> bytes:
    with _seek_lock:  # Windows has no pread: one thread at a time moves the position
        os.lseek(fd, at, os.SEEK_SET)
        return os.read(fd, n)


def _read_pieces(fd, pieces, workers, fmt, dtypes, columns, stop, progress, cancelled, expected_rows):
    pool = ThreadPoolExecutor(workers, thread_name_prefix="csv-piece")
    pending: deque = deque()
    todo = iter(pieces)
    try:
        while True:
            while len(pending) <= workers:  # a piece for each thread and one waiting: memory stays a few pieces
                piece = next(todo, None)
                if piece is None:
                    break
                pending.append(pool.submit(_parse, fd, *piece, fmt, dtypes, stop))
            if not pending:
                return columns
            future = pending.popleft()
            while True:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                try:
                    frame = future.result(_POLL_SECONDS)
                    break
                except FutureTimeout:
                    continue
                except (Cancelled, MemoryError):
                    raise
                except Exception:  # a quote, a bad cell, a short row, another encoding: read again in one pass
                    return None
            columns.add(frame)
            del frame
            if progress is not None:
                progress(min(columns.rows / max(expected_rows, 1), 0.99))
    finally:
        stop.set()  # pieces not started yet end at once; the ones being parsed finish first
        pool.shutdown(wait=True, cancel_futures=True)


def _release_free_memory() -> None:
    """Give the memory the range threads freed back to the system (glibc keeps it in per-thread arenas,
    where it would count against the load's peak while the arrays are made); elsewhere nothing to do."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass
