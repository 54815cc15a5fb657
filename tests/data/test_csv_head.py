"""A CSV too large to load: its first rows, with the note that says training streams the rest."""

import pytest

from studio.data.csv_file import TooLargeError, load_csv
from studio.data.csv_head import csv_head
from studio.data.errors import DataError


def write(path, rows):
    path.write_text("x;y;label\n" + "".join(f"{i},5;{i % 7};{'ab'[i % 2]}\n" for i in range(rows)))
    return path


def test_the_first_rows_come_with_the_format_detected_and_a_note(tmp_path):
    path = write(tmp_path / "big.csv", 500)
    with pytest.raises(TooLargeError) as refused:
        load_csv(path, memory_limit=100)
    assert refused.value.rows >= 400 and refused.value.needed > refused.value.limit == 100
    table = csv_head(path, refused.value, rows=50)
    assert table.rows == 50 and list(table.frame.columns) == ["x", "y", "label"]
    assert table.format.delimiter == ";" and table.format.decimal == ","
    assert table.frame["x"].iloc[3] == pytest.approx(3.5)  # the decimal comma read as in load_csv
    assert "shows its first 50 rows" in table.notes[0] and "streams the whole file" in table.notes[0]


def test_a_file_with_no_rows_is_one_line(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("a,b\n")
    with pytest.raises(DataError, match="no data rows"):
        csv_head(path, TooLargeError("too large", 0, 10, 1))
