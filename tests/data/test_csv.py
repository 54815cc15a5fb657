"""CSV files as people write them, and every bad input with a message that says where."""

import threading

import numpy as np
import pytest

from studio.data.csv_file import load_csv
from studio.data.errors import Cancelled, DataError


def write(tmp_path, text, encoding="utf-8", name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


EUROPEAN = ("Name;Preis;Menge;Stadt\n"
            "Café Müller;1,5;10;Zürich\n"
            "Bäckerei;2,25;;Köln\n"
            "Öl & Essig;-3,0;12;Genève\n"
            "Straße;4,75;NA;München\n")


def test_semicolons_decimal_commas_latin1_and_missing_values_need_no_options(tmp_path):
    table = load_csv(write(tmp_path, EUROPEAN, "latin-1"))
    fmt = table.format
    assert (fmt.delimiter, fmt.decimal, fmt.header) == (";", ",", True)
    assert fmt.encoding in ("cp1252", "latin-1")
    assert set(fmt.detected) == {"encoding", "delimiter", "decimal", "header"}
    frame = table.frame
    assert list(frame.columns) == ["Name", "Preis", "Menge", "Stadt"]
    assert frame["Name"].tolist()[0] == "Café Müller" and frame["Stadt"].tolist()[-1] == "München"
    np.testing.assert_allclose(frame["Preis"], [1.5, 2.25, -3.0, 4.75])
    assert frame["Menge"].isna().tolist() == [False, True, False, True]


@pytest.mark.parametrize("encoding, bom, expected", [
    ("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"), ("utf-16-le", b"\xff\xfe", "utf-16"),
    ("cp1252", b"", "cp1252"),
])
def test_encodings(tmp_path, encoding, bom, expected):
    text = "größe,name\n1.5,Ærø\n2.5,€uro\n"
    path = write(tmp_path, bom + text.encode(encoding))
    table = load_csv(path)
    assert table.format.encoding == expected
    assert list(table.frame.columns) == ["größe", "name"]
    assert table.frame["name"].tolist() == ["Ærø", "€uro"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(tmp_path, delimiter):
    rows = ["a,b,c", "1,x y,3", "4,\"q\",6"]
    table = load_csv(write(tmp_path, "\n".join(r.replace(",", delimiter) for r in rows) + "\n"))
    assert table.format.delimiter == delimiter
    assert table.frame.shape == (2, 3)


def test_no_header_is_detected_and_can_be_overridden(tmp_path):
    path = write(tmp_path, "1,2,3\n4,5,6\n7,8,9\n")
    table = load_csv(path)
    assert not table.format.header and table.rows == 3
    assert list(table.frame.columns) == ["column_1", "column_2", "column_3"]
    forced = load_csv(path, header=True)
    assert forced.rows == 2 and list(forced.frame.columns) == ["1", "2", "3"]


def test_overrides_are_kept(tmp_path):
    path = write(tmp_path, "a;b\n1,5;2\n")
    table = load_csv(path, delimiter=";", decimal=".", encoding="utf-8")
    assert table.format.detected == ["header"]
    assert table.frame["a"].tolist() == ["1,5"]  # read as text, as asked


def test_progress_reports_and_cancel_stops(tmp_path):
    rows = "\n".join(f"{i},{i * 0.5},{i % 3}" for i in range(200_000))
    path = write(tmp_path, "a,b,c\n" + rows + "\n")
    seen = []
    table = load_csv(path, progress=seen.append)
    assert table.rows == 200_000 and len(seen) >= 3
    assert seen == sorted(seen) and seen[-1] == 1.0
    stop = threading.Event()

    def progress(fraction):
        if fraction > 0.2:
            stop.set()  # as a Cancel button in another thread would

    with pytest.raises(Cancelled):
        load_csv(path, progress=progress, cancelled=stop.is_set)


# -- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"a,b,c\n", "has a header row but no data rows"),
    (b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 4, "this is an HDF5 file \\(perhaps a saved model\\)"),
    (b"PK\x03\x04" + b"\x00" * 100, "ZIP archive \\(an Excel .xlsx workbook\\?\\)"),
    (bytes(range(256)) * 8, "this is a binary file"),
])
def test_files_that_are_not_csv(tmp_path, content, message):
    with pytest.raises(DataError, match=message):
        load_csv(write(tmp_path, content))


def test_extra_fields_show_the_line(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n11,12,13\n")
    with pytest.raises(DataError, match=r"line 4 has 4 fields but the header has 3\. Check"):
        load_csv(path)


def test_short_rows_show_the_line(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,3\n4,5\n7,8,9\n")
    with pytest.raises(DataError, match="line 3 has 2 fields but the header has 3$"):
        load_csv(path)
    # An explicitly empty last cell is a missing value, not a short row.
    table = load_csv(write(tmp_path, "a,b,c\n1,2,3\n4,5,\n", name="ok.csv"))
    assert table.frame["c"].isna().tolist() == [False, True]


def test_unterminated_quote(tmp_path):
    path = write(tmp_path, 'a,b\n1,"two\n3,4\n5,6\n')
    with pytest.raises(DataError, match="a quote opened on line 2 is never closed"):
        load_csv(path)


def test_duplicate_column_names(tmp_path):
    with pytest.raises(DataError, match="duplicate column name 'x' \\(columns 1 and 3\\)"):
        load_csv(write(tmp_path, "x,y,x\n1,2,3\n"))


def test_mixed_types_name_the_first_bad_row(tmp_path):
    rows = "\n".join(f"{i},{i * 2}" for i in range(300)) + "\n300,lots\n301,5\n"
    with pytest.raises(DataError, match="column 'b' holds numbers but row 301 \\(line 302\\) has 'lots'"):
        load_csv(write(tmp_path, "a,b\n" + rows))


def test_too_large_for_memory_is_refused_with_the_estimate(tmp_path):
    path = write(tmp_path, "a,b\n" + "1,2\n" * 10_000)
    with pytest.raises(DataError, match="about 10,000 rows x 2 columns would take about 160.0 KB of memory, more than the 1.0 KB"):
        load_csv(path, memory_limit=1000)


def test_folder_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="this is a folder"):
        load_csv(tmp_path)
    with pytest.raises(DataError, match="there is no such file"):
        load_csv(tmp_path / "nope.csv")


def test_infinities_are_read_as_infinite(tmp_path):
    table = load_csv(write(tmp_path, "a,b\n1,inf\n2,1e400\n3,-inf\n4,5\n"))
    values = table.frame["b"].to_numpy()
    assert np.isposinf(values[0]) and np.isposinf(values[1]) and np.isneginf(values[2])
