"""A CSV file streamed from disk learns and encodes what the same file loaded in memory does."""

import numpy as np
import pandas as pd
import pytest

from studio.data.columns import describe_column
from studio.data.csv_file import load_csv
from studio.data.encoding import FeatureEncoder
from studio.data.errors import DataError
from studio.data.streaming import scan_csv, split_of_rows
from studio.data.tabular import TabularOptions, _features, prepare


def _table(path, n=3000, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 100, n).astype(float),
                          "color": rng.choice(["red", "green", "blue"], n),
                          "label": rng.choice(["x", "y", "z"], n)})
    frame.loc[[5, n // 3, n - 2], "a"] = np.nan
    frame.loc[[9, n // 2], "color"] = np.nan
    frame.to_csv(path, index=False)
    return path


def _in_memory(path, options):
    """What prepare's own functions give for the training rows the streamed hash chooses."""
    frame = load_csv(path).frame
    infos = {c: describe_column(frame[c]) for c in frame.columns}
    features = _features(frame, options, infos, [])
    rows = np.arange(len(frame))
    if options.missing == "drop":
        rows = rows[~frame[[f.name for f in features]].isna().any(axis=1).to_numpy()]
    which = split_of_rows(rows, options.validation, options.test, options.seed)
    train = rows[which == 0]
    encoder = FeatureEncoder.fit(frame, features, "mean" if options.missing == "drop" else options.missing, train)
    return frame, rows, which, encoder, encoder.transform(frame, train).astype(np.float64)


@pytest.mark.parametrize("missing", ["mean", "drop", "most_frequent"])
def test_statistics_encoding_and_classes_equal_the_in_memory_ones(tmp_path, missing):
    path = _table(tmp_path / "t.csv")
    options = TabularOptions("label", missing=missing)
    stream = scan_csv(path, options)
    frame, rows, which, encoder, x = _in_memory(path, options)
    assert stream.task == "multiclass"
    assert stream.class_names == prepare(frame, options).class_names == ["x", "y", "z"]
    assert stream.feature_names == encoder.output_names == ["a", "b", "color=blue", "color=green", "color=red"]
    np.testing.assert_allclose(stream.mean, x.mean(axis=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(stream.variance, x.var(axis=0), rtol=1e-5, atol=1e-6)
    for ours, theirs in zip(stream.encoder.to_dict(), encoder.to_dict()):
        assert ours.keys() == theirs.keys() and ours.get("categories") == theirs.get("categories")
        assert ours["fill"] == (theirs["fill"] if isinstance(theirs["fill"], str)
                                else pytest.approx(theirs["fill"], rel=1e-5))
    assert stream.counts == {s: int((which == k).sum()) for k, s in enumerate(("train", "validation", "test"))}
    assert sum(stream.counts.values()) == len(rows) == (2995 if missing == "drop" else 3000)


def test_each_split_streams_exactly_the_rows_its_hash_says_encoded_as_in_memory(tmp_path):
    path = _table(tmp_path / "t.csv", n=2000)
    options = TabularOptions("label", missing="mean", seed=7)
    stream = scan_csv(path, options)
    frame, rows, which, encoder, _ = _in_memory(path, options)
    labels = prepare(frame, options)  # the in-memory class indices of every row, by name
    index = {name: i for i, name in enumerate(labels.class_names)}
    for k, split in enumerate(("train", "validation", "test")):
        batches = list(stream.batches(split, 64, shuffle=False))
        assert all(len(b[0]) == 64 for b in batches[:-1])
        x = np.concatenate([b[0] for b in batches])
        y = np.concatenate([b[1] for b in batches])
        chosen = rows[which == k]
        expected = encoder.transform(frame, chosen)
        np.testing.assert_allclose(x, expected, rtol=1e-5, atol=1e-5)
        assert y.tolist() == [index[v] for v in frame["label"].to_numpy()[chosen]]
        if split == "train":
            in_order = x
    again = np.concatenate([b[0] for b in stream.batches("train", 64, shuffle=True, seed=1)])
    assert not np.array_equal(again, in_order)  # shuffled: the same rows in another order
    assert sorted(map(tuple, again.tolist())) == sorted(map(tuple, in_order.tolist()))


def test_the_split_is_the_same_every_time_and_has_the_asked_shares():
    rows = np.arange(200_000)
    first = split_of_rows(rows, 0.15, 0.15, 42)
    assert np.array_equal(first, split_of_rows(rows, 0.15, 0.15, 42))
    assert not np.array_equal(first, split_of_rows(rows, 0.15, 0.15, 43))
    shares = np.bincount(first, minlength=3) / len(rows)
    np.testing.assert_allclose(shares, [0.7, 0.15, 0.15], atol=0.005)


def test_a_numeric_class_target_and_a_regression_target(tmp_path):
    rng = np.random.default_rng(1)
    n = 1500
    frame = pd.DataFrame({"u": rng.normal(size=n), "grade": rng.integers(1, 4, n), "price": rng.normal(5, 2, n)})
    frame.to_csv(tmp_path / "n.csv", index=False)
    stream = scan_csv(tmp_path / "n.csv", TabularOptions("grade", features=["u", "price"]))
    assert stream.task == "multiclass" and stream.class_names == ["1", "2", "3"]
    y = np.concatenate([b[1] for b in stream.batches("test", 100, shuffle=False)])
    chosen = np.flatnonzero(split_of_rows(np.arange(n), 0.15, 0.15, 42) == 2)
    assert y.tolist() == (frame["grade"].to_numpy()[chosen] - 1).tolist()
    regression = scan_csv(tmp_path / "n.csv", TabularOptions("price", features=["u"]))
    assert regression.task == "regression" and regression.class_names == []


def test_a_bad_cell_in_the_middle_of_the_file_is_one_line_with_its_row_and_column(tmp_path):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"a": rng.normal(size=100_000).round(3), "label": rng.integers(0, 2, 100_000)})
    frame.to_csv(tmp_path / "bad.csv", index=False)
    lines = (tmp_path / "bad.csv").read_text().splitlines()
    lines[70_001] = "oops," + lines[70_001].split(",")[1]  # row 70,001, far past the sample and the first chunk
    (tmp_path / "bad.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as caught:
        scan_csv(tmp_path / "bad.csv", TabularOptions("label"))
    message = str(caught.value)
    assert "column 'a'" in message and "row 70001 (line 70002)" in message and "'oops'" in message
    assert "\n" not in message


def test_too_many_classes_and_missing_values_under_error_are_clear(tmp_path):
    n = 400
    rng = np.random.default_rng(3)
    pd.DataFrame({"a": rng.normal(size=n), "who": [f"p{i}" for i in range(n)]}).to_csv(tmp_path / "ids.csv",
                                                                                      index=False)
    with pytest.raises(DataError, match="target 'who' has 400 different texts"):
        scan_csv(tmp_path / "ids.csv", TabularOptions("who"))
    path = _table(tmp_path / "t.csv", n=500)
    with pytest.raises(DataError, match=r"column 'a': 3 missing \(first at row 6 \(line 7\)\)"):
        scan_csv(path, TabularOptions("label", missing="error"))
