"""The advisor's facts of a table or an image set, as the Data tab has read it (studio.data.summary.data_facts)."""

import pandas as pd

from studio.core.advisor import DataFacts
from studio.data.columns import describe_columns
from studio.data.summary import data_facts


def _facts(frame, **data):
    return data_facts(data, frame, describe_columns(frame))


def test_a_class_column_gives_its_task_classes_and_the_features():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0.5, 0.1, 0.2, 0.3], "kind": ["x", "y", "z", "x"]})
    facts = _facts(frame, target="kind")
    assert facts == DataFacts("multiclass", 3, "integer", positive=False, feature_names=("a", "b"))


def test_a_regression_target_says_whether_it_is_never_negative():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.5, 5.0, 6.0], "y": [0.1, 2.5, 3.7, 9.2, 1.1, 7.3]})
    assert _facts(frame, target="y").positive
    frame["y"] = -frame["y"]
    facts = _facts(frame, target="y", task="regression")
    assert facts.task == "regression" and facts.classes == 1 and not facts.positive


def test_the_features_the_section_ticks_are_the_ones_named():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0.5, 0.1, 0.2, 0.3], "y": [0, 1, 0, 1]})
    assert _facts(frame, target="y", features=["b"]).feature_names == ("b",)


def test_no_facts_without_a_target_column_or_for_features_that_are_not_there():
    frame = pd.DataFrame({"a": [1.0, 2.0], "y": [0, 1]})
    assert _facts(frame) is None
    assert _facts(frame, target="missing") is None
    assert _facts(frame, target="y", features=["nope"]) is None


def test_an_image_set_gives_its_classes_and_raw_pixels():
    facts = data_facts({"source": "mnist"}, class_names=[str(i) for i in range(10)])
    assert facts.task == "multiclass" and facts.classes == 10 and facts.raw_pixels
    assert data_facts({}) is None
