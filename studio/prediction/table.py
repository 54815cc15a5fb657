"""The table of predictions, and the problems of the rows that could not be predicted.

Shared by CSV and image predictions: one row per predicted input (its CSV line, or its image file), and one
``RowProblem`` per (row, column) that kept a row from being predicted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.files import atomic_write
from studio.data.errors import cell
from studio.training.errors import OutputError


@dataclass
class RowProblem:
    """Why one row (or the whole file, ``line`` None) could not be predicted.

    Attributes:
        line: the CSV line as the user sees it (the header is line 1), or None for the whole file.
        column: the column at fault, or None.
        message: what is wrong, in English, without the location.
        file: the image file at fault (image predictions), or None.
    """

    line: int | None
    column: str | None
    message: str
    file: str | None = None

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.file is not None:
            where.append(self.file)
        if self.column is not None:
            where.append(f"column {cell(self.column)}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Predictions:
    """A table of predictions: ``columns`` names, ``rows`` values (one list per predicted row).

    Attributes:
        columns: the column names; the first is ``line`` (CSV) or ``file`` (images).
        rows: one list of values per predicted row, in the input's order.
        problems: one per (row, column) that kept a row from being predicted; a problem of the whole file
            (a missing column) has no line.
        total: rows (or files) in the input.
    """

    columns: list[str]
    rows: list[list] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    total: int = 0

    @property
    def predicted(self) -> int:
        return len(self.rows)

    @classmethod
    def from_dict(cls, data: dict) -> "Predictions":
        """The table from ``dataclasses.asdict`` of one (as the window's child answers a prediction)."""
        return cls([str(c) for c in data.get("columns") or []], [list(row) for row in data.get("rows") or []],
                   [RowProblem(**problem) for problem in data.get("problems") or []], int(data.get("total") or 0))

    def column(self, name: str) -> list:
        """The values of one column, by name."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def summary(self, output: str | None = None) -> dict:
        """The counts as plain JSON: rows in the input, rows predicted, problems, and where it was written."""
        return {"rows": self.total, "predicted": self.predicted, "problems": len(self.problems),
                "output": output}

    def write(self, stream) -> None:
        """Write the table as CSV (a header row, then one line per row) to an open text stream."""
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)

    def to_csv(self, path: str | Path) -> Path:
        """Write the table to ``path`` (UTF-8), atomically: an existing file is replaced only when complete."""
        path = Path(path)

        def write(temp: str) -> None:
            with open(temp, "w", encoding="utf-8", newline="") as stream:
                self.write(stream)

        try:
            atomic_write(path, write)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the predictions ({exc.strerror or exc})") from None
        return path
