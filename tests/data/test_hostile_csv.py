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


SECRET = "s3cr3t-token-do-not-show"


@pytest.mark.parametrize("content", [
    # /etc/passwd-like: one "column" in the header, a later line with more fields
    "root:x:0:0:root:/root:/bin/bash\n" + "daemon:x:1:1\n" * 3 + f"me:x:{SECRET},a,b,c\n",
    # a short row
    "user,token,home\nroot,x,/root\n" + f"{SECRET},x\n",
    # a text cell in a numeric column
    "a,b\n1,2\n3,4\n" + "5," + SECRET + "x" * 100 + "\n",
])
def test_messages_about_a_file_quote_no_more_of_it_than_locates_the_problem(tmp_path, content):
    """A project can name any file as its data: a message must not carry that file's content."""
    from studio.data.tabular import TabularOptions, prepare
    path = tmp_path / "secret.csv"
    path.write_text(content)
    with pytest.raises(DataError) as raised:
        table = load_csv(path)
        prepare(table.frame, TabularOptions(target="b"))
    message = str(raised.value)
    assert "\n" not in message and SECRET + "x" * 30 not in message and len(message) < 300
    assert "line" in message or "row" in message


def test_a_one_column_file_does_not_list_its_first_line_as_columns(tmp_path):
    from studio.data.tabular import TabularOptions, prepare
    path = tmp_path / "hosts.csv"
    path.write_text(f"127.0.0.1 localhost {SECRET}\n10.0.0.1 router\n10.0.0.2 printer\n")
    with pytest.raises(DataError, match="read as a single column") as raised:
        prepare(load_csv(path).frame, TabularOptions(target="mpg"))
    assert SECRET not in str(raised.value)


def test_an_all_missing_target_is_said_as_such_not_as_one_class(tmp_path):
    from studio.data.tabular import TabularOptions, prepare
    path = tmp_path / "empty_target.csv"
    path.write_text("x,y\n" + "".join(f"{i},\n" for i in range(10)))
    with pytest.raises(DataError, match="target 'y' has no values: every row of it is empty or missing"):
        prepare(load_csv(path).frame, TabularOptions(target="y"))
