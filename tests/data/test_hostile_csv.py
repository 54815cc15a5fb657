"""CSV input from an unlucky user: never a traceback, never a hang; one line that says what and where."""

import os
import threading

import pytest

from studio.cli import main
from studio.data.csv_file import load_csv
from studio.data.errors import DataError


def test_a_pipe_is_refused_at_once_not_read_forever(tmp_path):
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    done = []
    worker = threading.Thread(target=lambda: done.append(pytest.raises(DataError, load_csv, fifo)), daemon=True)
    worker.start()
    worker.join(5)
    assert done and "not a regular file" in str(done[0].value)


def test_long_cells_and_wide_lines_are_read(tmp_path):
    path = tmp_path / "wide.csv"
    columns = 20_000
    path.write_text(",".join(f"g{i}" for i in range(columns)) + ",note\n"
                    + ",".join("1" for _ in range(columns)) + "," + "x" * 5_000_000 + "\n"
                    + ",".join("2" for _ in range(columns)) + ",short\n")
    table = load_csv(path)
    assert table.frame.shape == (2, columns + 1) and len(table.frame["note"][0]) == 5_000_000


@pytest.mark.parametrize("args, said", [
    (["--delimiter", ""], "the delimiter must be one character"),
    (["--delimiter", "ab"], "the delimiter must be one character"),
    (["--encoding", "utf-16"], "utf-16"),
    (["--encoding", "no-such-codec"], "no-such-codec"),
])
def test_bad_reading_options_are_one_line_and_exit_2(tmp_path, capsys, args, said):
    path = tmp_path / "points.csv"
    path.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    assert main(["data", str(path), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("studio data:") and said in err and "\n" not in err and "Traceback" not in err


def test_a_file_that_changes_while_it_is_read_is_said(tmp_path, monkeypatch):
    import studio.data.csv_file as csv_file
    path = tmp_path / "growing.csv"
    path.write_text("a,b\n" + "1,2\n" * 1000)
    real = csv_file._Columns.add

    def add_and_grow(self, chunk):
        real(self, chunk)
        with open(path, "a") as f:  # someone else still writing the file
            f.write("3,4\n")
    monkeypatch.setattr(csv_file._Columns, "add", add_and_grow)
    with pytest.raises(DataError, match="changed while it was read"):
        load_csv(path)
