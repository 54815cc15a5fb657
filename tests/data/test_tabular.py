"""From a table to training arrays: typing, task, missing values, splits, weights, scaling."""

import numpy as np
import pandas as pd
import pytest

from studio.data.columns import describe_column
from studio.data.csv_file import load_csv
from studio.data.errors import DataError
from studio.data.split import split_indices
from studio.data.tabular import TabularOptions, prepare
from studio.resources import resource


def frame(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "size": rng.normal(10, 2, n),
        "rooms": rng.integers(1, 6, n).astype(float),
        "city": rng.choice(["Seoul", "Busan", "Incheon"], n),
        "garden": rng.choice(["yes", "no"], n),
        "id": [f"house-{i}" for i in range(n)],
        "country": ["KR"] * n,
        "price": rng.normal(300, 50, n),
        "sold": rng.choice(["yes", "no"], n),
        "kind": rng.choice(["flat", "house", "villa"], n),
        "label": rng.integers(0, 3, n).astype(float),
    })


def test_column_kinds():
    f = frame()
    kinds = {name: describe_column(f[name]).kind for name in f.columns}
    assert kinds == {"size": "numeric", "rooms": "numeric", "city": "categorical", "garden": "boolean",
                     "id": "identifier", "country": "constant", "price": "numeric", "sold": "boolean",
                     "kind": "categorical", "label": "numeric"}
    assert describe_column(pd.Series([True, False, True])).kind == "boolean"
    mixed = describe_column(pd.Series(["1", "2", "3", "4", "x", "6"], name="m"))
    assert mixed.kind == "mixed" and mixed.first_bad == (4, "x")


@pytest.mark.parametrize("target, task, classes", [
    ("price", "regression", []),
    ("sold", "binary", ["no", "yes"]),
    ("kind", "multiclass", ["flat", "house", "villa"]),
    ("label", "multiclass", ["0", "1", "2"]),
])
def test_task_inference_and_class_names(target, task, classes):
    data = prepare(frame(), TabularOptions(target, features=["size", "rooms", "city", "garden"]))
    assert data.task == task and data.class_names == classes
    assert data.feature_names == ["size", "rooms", "city=Busan", "city=Incheon", "city=Seoul", "garden"]
    assert data.train.x.dtype == np.float32 and data.train.x.flags["C_CONTIGUOUS"]
    if classes:
        assert set(np.unique(data.train.y)) <= set(range(len(classes)))


def test_default_features_leave_out_identifiers_and_constants_with_warnings():
    data = prepare(frame(), TabularOptions("price"))
    assert "id" not in " ".join(data.feature_names) and "country" not in " ".join(data.feature_names)
    assert any("'id'" in w and "identifiers" in w for w in data.warnings)
    assert any("'country'" in w and "same value in every row" in w for w in data.warnings)


def test_multilabel_and_multi_output_regression():
    f = frame()
    f["a"], f["b"] = (f["size"] > 10).astype(int), (f["rooms"] > 2).astype(int)
    data = prepare(f, TabularOptions(["a", "b"], features=["price", "city"]))
    assert data.task == "multilabel" and data.class_names == ["a", "b"] and data.train.y.shape[1] == 2
    data = prepare(f, TabularOptions(["size", "price"], features=["rooms"]))
    assert data.task == "regression" and data.train.y.shape[1] == 2


def test_boolean_and_integer_labels():
    f = pd.DataFrame({"x": np.arange(40.0), "flag": [True, False] * 20, "digit": [0, 1, 2, 3] * 10})
    assert prepare(f, TabularOptions("flag", features=["x"])).class_names == ["False", "True"]
    data = prepare(f, TabularOptions("digit", features=["x"]))
    assert data.task == "multiclass" and data.class_names == ["0", "1", "2", "3"]


def test_stratified_split_is_repeatable_and_keeps_proportions():
    y = np.array([0] * 80 + [1] * 20)
    train, val, test = split_indices(100, 0.1, 0.2, seed=7, strata=y)
    assert (len(train), len(val), len(test)) == (70, 10, 20)
    assert sorted(np.concatenate([train, val, test]).tolist()) == list(range(100))
    assert np.bincount(y[test]).tolist() == [16, 4] and np.bincount(y[val]).tolist() == [8, 2]
    again = split_indices(100, 0.1, 0.2, seed=7, strata=y)
    assert all(np.array_equal(a, b) for a, b in zip((train, val, test), again))
    other = split_indices(100, 0.1, 0.2, seed=8, strata=y)
    assert not np.array_equal(test, other[2])


def test_missing_values_policies():
    f = frame(40)
    f.loc[[3, 7], "size"] = np.nan
    f.loc[5, "size"] = np.inf
    f.loc[9, "city"] = None
    f.loc[11, "price"] = np.nan
    dropped = prepare(f, TabularOptions("price", features=["size", "city"]))
    total = len(dropped.train) + len(dropped.validation) + len(dropped.test)
    assert total == 40 - 5
    assert any("1 row(s) without a usable target" in w for w in dropped.warnings)
    filled = prepare(f, TabularOptions("price", features=["size", "city"], missing="median"))
    assert len(filled.train) + len(filled.validation) + len(filled.test) == 39
    for split in (filled.train, filled.validation, filled.test):
        assert np.isfinite(split.x).all()
    train_sizes = f["size"].to_numpy()[filled.train.rows]
    median = float(np.median(train_sizes[np.isfinite(train_sizes)]))
    assert filled.preprocessing["features"][0]["fill"] == pytest.approx(median)
    with pytest.raises(DataError, match="column 'size': 2 missing \\(first at row 4 \\(line 5\\)\\), "
                                        "1 infinite \\(first at row 6"):
        prepare(f, TabularOptions("price", features=["size"], missing="error"))


def test_class_weights_and_sample_weights():
    f = pd.DataFrame({"x": np.arange(100.0), "y": ["a"] * 75 + ["b"] * 25, "w": np.linspace(0.5, 2, 100)})
    data = prepare(f, TabularOptions("y", features=["x"], class_weight="balanced", sample_weight="w"))
    counts = np.bincount(data.train.y)
    assert data.class_weight[0] == pytest.approx(len(data.train) / (2 * counts[0]))
    assert data.class_weight[1] > data.class_weight[0]
    assert data.feature_names == ["x"]
    np.testing.assert_allclose(data.train.sample_weight, f["w"].to_numpy()[data.train.rows])
    given = prepare(f, TabularOptions("y", features=["x"], class_weight={"b": 3.0}))
    assert given.class_weight == {0: 1.0, 1: 3.0}
    with pytest.raises(DataError, match="class weight for 'c': there is no such class; the classes are a, b"):
        prepare(f, TabularOptions("y", features=["x"], class_weight={"c": 2}))


def test_normalization_statistics_come_from_the_training_rows_only():
    f = frame()
    data = prepare(f, TabularOptions("price", features=["size", "rooms"]))
    mean, variance = data.normalization()
    rows = data.train.rows
    assert mean == pytest.approx([f["size"].to_numpy()[rows].mean(), f["rooms"].to_numpy()[rows].mean()], rel=1e-5)
    assert variance[0] == pytest.approx(f["size"].to_numpy()[rows].var(), rel=1e-4)


# -- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("options, message", [
    (TabularOptions("pricee"), "there is no target column 'pricee'; did you mean 'price'\\?"),
    (TabularOptions("kind", task="regression"), "target 'kind' holds text \\('flat', 'house', 'villa'\\); "
                                                "regression needs numbers"),
    (TabularOptions("country"), "target 'country' has only one class \\('KR'\\)"),
    (TabularOptions("id"), "target 'id' has 60 different texts, too many to be classes"),
    (TabularOptions("price", features=["id"]), "column 'id' has 60 different texts; it looks like names"),
    (TabularOptions("price", missing="guess"), "unknown missing-value policy 'guess'"),
    (TabularOptions("price", validation=0.5, test=0.5), "leave nothing to train on"),
])
def test_bad_choices(options, message):
    with pytest.raises(DataError, match=message):
        prepare(frame(), options)


def test_a_single_data_row():
    with pytest.raises(DataError, match="only 1 usable data row; at least 3 are needed"):
        prepare(frame().iloc[:1], TabularOptions("price", features=["size"]))


def test_one_class_after_dropping_rows():
    f = pd.DataFrame({"x": [1.0, 2, 3, 4, np.nan], "y": ["a", "a", "a", "a", "b"]})
    with pytest.raises(DataError, match="target 'y' has only one class \\('a'\\) in the usable rows"):
        prepare(f, TabularOptions("y"))


def test_mixed_types_in_a_feature_name_the_row():
    f = frame()
    f["size"] = f["size"].astype(object)
    f.loc[12, "size"] = "big"
    with pytest.raises(DataError, match="column 'size' holds numbers but row 13 has 'big'"):
        prepare(f, TabularOptions("price"))


def test_shipped_data_sets_prepare_cleanly():
    penguins = prepare(load_csv(resource("datasets", "penguins.csv")).frame, TabularOptions("species"))
    assert penguins.class_names == ["Adelie", "Chinstrap", "Gentoo"] and len(penguins.train) > 200
    mpg = prepare(load_csv(resource("datasets", "auto_mpg.csv")).frame, TabularOptions("mpg"))
    assert mpg.task == "regression" and "origin=Japan" in mpg.feature_names
    iris = prepare(load_csv(resource("datasets", "iris.csv")).frame, TabularOptions("species"))
    assert iris.n_classes == 3 and iris.feature_names[2] == "petal_length"
    diabetes = prepare(load_csv(resource("datasets", "diabetes.csv")).frame, TabularOptions("progression"))
    assert diabetes.task == "regression" and len(diabetes.feature_names) == 10 and not diabetes.warnings
    assert len(diabetes.train) + len(diabetes.validation) + len(diabetes.test) == 442
