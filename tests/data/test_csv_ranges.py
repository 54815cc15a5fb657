"""A large CSV file read as pieces on threads gives what the one-pass read gives, errors included."""

import threading

import numpy as np
import pandas as pd
import pytest

import studio.data.csv_file as csv_file
import studio.data.csv_ranges as csv_ranges
from studio.data.csv_file import load_csv
from studio.data.errors import Cancelled, DataError


@pytest.fixture
def ranges(monkeypatch):
    """Every file is cut into ranges (as a large one is), in three parts even on a one-core machine."""
    monkeypatch.setattr(csv_ranges, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(csv_ranges.os, "cpu_count", lambda: 3)
    used = []
    real = csv_ranges.read_ranges

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        used.append(result is not None)
        return result
    monkeypatch.setattr(csv_ranges, "read_ranges", spy)
    return used


def one_pass(path, monkeypatch, **options):
    with monkeypatch.context() as m:
        m.setattr(csv_ranges, "MIN_PARALLEL_BYTES", float("inf"))
        return load_csv(path, **options)


def write(tmp_path, text, encoding="utf-8", name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def numbers(rows=3000, decimal=".", sep=","):
    rng = np.random.default_rng(1)
    lines = [sep.join(f"{v:.5f}".replace(".", decimal) for v in rng.normal(size=4)) for _ in range(rows)]
    lines[1500] = sep.join(["", "?", "NA", "1"])  # missing values in the middle of the file
    return lines


def assert_same(a, b):
    assert list(a.frame.columns) == list(b.frame.columns) and a.rows == b.rows
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert (a.format.encoding, a.format.delimiter, a.format.decimal, a.format.header) == \
           (b.format.encoding, b.format.delimiter, b.format.decimal, b.format.header)


@pytest.mark.parametrize("encoding, decimal, sep, header", [
    ("utf-8", ".", ",", True), ("utf-8-sig", ".", ",", True), ("utf-8", ".", ",", False),
    ("cp1252", ",", ";", True), ("cp949", ".", ",", True),
])
def test_ranges_read_what_one_pass_reads(tmp_path, monkeypatch, ranges, encoding, decimal, sep, header):
    lines = numbers(decimal=decimal, sep=sep)
    names = {"cp949": ["키", "값", "비율", "b"], "cp1252": ["Größe", "Preis", "Menge", "b"]}
    top = sep.join(names.get(encoding, ["a", "b", "c", "d"]))
    path = write(tmp_path, "\n".join(([top] if header else []) + lines) + "\n", encoding)
    table = load_csv(path)
    assert ranges == [True]
    assert table.rows == 3000 and table.frame.dtypes.iloc[0] == np.float32
    assert_same(table, one_pass(path, monkeypatch))


def test_text_columns_and_crlf_lines_come_back_in_order(tmp_path, monkeypatch, ranges):
    lines = [f"{i},{['red', 'green', 'blue'][i % 3]},{i * 0.25}" for i in range(4000)]
    path = write(tmp_path, "id,colour,x\r\n" + "\r\n".join(lines) + "\r\n")
    table = load_csv(path)
    assert ranges == [True]
    assert table.frame["id"].tolist() == list(range(4000))
    assert table.frame["colour"].tolist()[:4] == ["red", "green", "blue", "red"]
    assert_same(table, one_pass(path, monkeypatch))


def test_a_quote_after_the_sample_means_one_pass(tmp_path, monkeypatch, ranges):
    lines = [f"{i},note {i}" for i in range(30_000)]
    lines[25_000] = '25000,"two\nlines"'  # a newline inside a field: the file cannot be cut anywhere
    path = write(tmp_path, "id,note\n" + "\n".join(lines) + "\n")
    table = load_csv(path)
    assert ranges == [False]  # tried, gave up, read in one pass
    assert table.rows == 30_000 and table.frame["note"][25_000] == "two\nlines"


@pytest.mark.parametrize("bad, message", [
    ("5,x,7,8", r"column 'b' holds numbers but row 2801 \(line 2802\) has 'x'"),
    ("5,6,7,8,9", "line 2802 has 5 fields but the header has 4"),
    ("5,6", "line 2802 has 2 fields but the header has 4"),
])
def test_errors_late_in_the_file_say_what_one_pass_says(tmp_path, monkeypatch, ranges, bad, message):
    lines = numbers()
    lines[2800] = bad
    path = write(tmp_path, "a,b,c,d\n" + "\n".join(lines) + "\n")
    with pytest.raises(DataError, match=message) as first:
        load_csv(path)
    with pytest.raises(DataError) as second:
        one_pass(path, monkeypatch)
    assert str(first.value) == str(second.value)


def test_a_file_not_all_utf8_is_read_again_as_before(tmp_path, monkeypatch, ranges):
    head = "name,x\n" + "".join(f"plain{i},{i}\n" for i in range(20_000))  # more than the sample, all ASCII
    path = tmp_path / "late.csv"
    path.write_bytes(head.encode() + "가나다,1\n".encode("cp949"))
    table = load_csv(path)
    assert ranges == [False]
    assert table.format.encoding == "cp949" and table.frame["name"].iloc[-1] == "가나다"
    assert any("not all utf-8" in note for note in table.notes)


def test_progress_rises_and_cancel_stops_the_threads(tmp_path, monkeypatch, ranges):
    monkeypatch.setattr(csv_ranges, "_POLL_SECONDS", 0.001)
    monkeypatch.setattr(csv_file, "_MAX_CHUNK_ROWS", 2048)
    path = write(tmp_path, "a,b,c\n" + "".join(f"{i},{i * 0.5},{i % 3}\n" for i in range(300_000)))
    seen = []
    table = load_csv(path, progress=seen.append)
    assert table.rows == 300_000 and ranges == [True]
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3
    stop = threading.Event()
    before = threading.active_count()

    def progress(fraction):
        if fraction > 0.1:
            stop.set()  # as a Cancel button in another thread would

    with pytest.raises(Cancelled):
        load_csv(path, progress=progress, cancelled=stop.is_set)
    assert threading.active_count() == before  # no range thread left running


def test_utf16_and_small_files_are_not_cut(tmp_path):
    big = tmp_path / "wide.csv"
    big.write_bytes("a,b\n1,2\n".encode("utf-16"))
    fmt = csv_file.sniff(big)
    assert not csv_ranges.usable(big, fmt, csv_ranges.MIN_PARALLEL_BYTES)
    assert not csv_ranges.usable(big, fmt, 10)


def test_more_rows_than_the_estimate_grow_the_block(tmp_path, monkeypatch, ranges):
    # The row estimate comes from the first MB: long lines there, short ones after, so far more rows.
    text = "a,b\n" + "".join(f"{i},{'x' * 500}\n" for i in range(2500)) + "".join(f"{i},y\n" for i in range(200_000))
    path = write(tmp_path, text)
    table = load_csv(path)
    assert ranges == [True] and table.rows == 202_500
    assert table.frame["a"].iloc[-1] == 199_999 and table.frame["b"].iloc[-1] == "y"
    assert_same(table, one_pass(path, monkeypatch))


def test_many_pieces_come_back_in_file_order(tmp_path, monkeypatch, ranges):
    monkeypatch.setattr(csv_ranges, "PIECE_BYTES", 4096)  # about 400 pieces, parsed three at a time
    path = write(tmp_path, "n,x\n" + "".join(f"{i},{i * 0.5}\n" for i in range(200_000)))
    table = load_csv(path)
    assert ranges == [True]
    np.testing.assert_array_equal(table.frame["n"].to_numpy(), np.arange(200_000, dtype=np.float32))


def test_a_failing_progress_callback_stops_the_threads_too(tmp_path, monkeypatch, ranges):
    monkeypatch.setattr(csv_ranges, "_POLL_SECONDS", 0.0001)
    path = write(tmp_path, "a,b\n" + "".join(f"{i},{i}\n" for i in range(100_000)))
    before = threading.active_count()

    def progress(fraction):
        raise RuntimeError("the window is gone")

    with pytest.raises(RuntimeError, match="the window is gone"):
        load_csv(path, progress=progress)
    assert threading.active_count() == before and ranges == []  # it failed inside the ranges' read
