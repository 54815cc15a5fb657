"""The first rows of a CSV file too large to load: what the Data tab shows of a file that training streams.

``load_csv`` refuses a file whose parsed table would not fit in the memory
that can be used (``TooLargeError``); training then streams it from disk
(``studio.data.streaming``). The Data tab still needs its columns, their kinds
and a preview to choose the target, so it reads the file's first rows with the
same detected format, and says that is what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.data.csv_file import CsvTable, TooLargeError, _parser_error, _size
from studio.data.errors import DataError
from studio.data.sniff import EXTRA_NA, sniff

HEAD_ROWS = 20_000  # enough rows to tell a column's kind and its classes; a few MB


@dataclass
class CsvHead(CsvTable):
    """The first rows of a file; ``total_rows`` is about how many the whole file has."""

    total_rows: int = 0


def csv_head(path: str | Path, too_large: TooLargeError, rows: int = HEAD_ROWS, *, encoding: str | None = None,
             delimiter: str | None = None, decimal: str | None = None, header: bool | None = None) -> CsvHead:
    """The first ``rows`` rows of ``path`` (which ``load_csv`` refused with ``too_large``), with a note that says so.

    Raises DataError when even those rows cannot be read; the message says why and where.
    """
    import pandas as pd

    path = Path(path)
    fmt = sniff(path, encoding, delimiter, decimal, header)
    try:
        frame = pd.read_csv(path, sep=fmt.delimiter, decimal=fmt.decimal, encoding=fmt.encoding,
                            header=0 if fmt.header else None, names=fmt.columns, na_values=list(EXTRA_NA),
                            nrows=rows, engine="c", encoding_errors="replace")
    except pd.errors.ParserError as exc:
        raise _parser_error(exc, path, fmt) from None
    except (ValueError, UnicodeError) as exc:
        raise DataError(f"{path}: cannot be read as CSV ({fmt.describe()}): {exc}") from None
    if frame.empty:
        raise DataError(f"{path}: has no data rows")
    note = (f"the file is too large to load (about {too_large.rows:,} rows, {_size(too_large.needed)} of memory, "
            f"more than the {_size(too_large.limit)} that can be used now): this tab shows its first "
            f"{len(frame):,} rows, and training streams the whole file from disk, reading it once per epoch")
    return CsvHead(path, frame, fmt, [note], total_rows=too_large.rows)
