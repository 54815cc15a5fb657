"""One rule for whether the data fits the model's inputs: the engine refuses by it, the window warns by it."""

import pytest

from studio.core.advisor import DataFacts, advise, apply_fix
from studio.core.data_fit import InputMappingError, data_mismatches, input_columns, width_mismatches
from studio.core.graph import Graph


def chain(shape):
    g = Graph("m")
    g.add_node("Input", {"shape": shape}, "input_layer")
    g.add_node("Dense", {"units": 1}, "out")
    g.connect("input_layer", "out")
    g.set_outputs(["out"])
    return g


def test_a_single_input_takes_every_feature_and_a_wrong_width_is_named():
    g = chain([4])
    columns = input_columns(g, None, ["breite", "hoehe", "gewicht"])
    assert columns == {"input_layer": [0, 1, 2]}
    (miss,) = width_mismatches(g, columns, ["breite", "hoehe", "gewicht"])
    assert (miss.input, miss.takes, miss.gives) == ("input_layer", 4, 3)
    assert str(miss) == "input 'input_layer' takes 4 features but its columns give 3 (breite, hoehe, gewicht)"
    assert miss.fixed_shape(g) == [3]
    assert data_mismatches(chain([3]), None, ["a", "b", "c"]) == []


def test_a_wrong_mapping_is_an_error_of_its_own_and_no_width_mismatch():
    g = chain([2])
    with pytest.raises(InputMappingError, match="no feature 'z'"):
        input_columns(g, {"input_layer": ["z"]}, ["a", "b"])
    assert data_mismatches(g, {"input_layer": ["z"]}, ["a", "b"]) == []
    assert input_columns(g, {"input_layer": ["city"]}, ["a", "city=Busan", "city=Seoul"]) == {"input_layer": [1, 2]}


def test_the_advisor_reports_the_mismatch_first_as_an_error_with_a_fix():
    g = chain([4])
    facts = DataFacts("regression", feature_names=("breite", "hoehe", "gewicht"))
    finding = advise(g, {"loss": "mean_squared_error"}, facts, {})[0]
    assert (finding.code, finding.node, finding.severity) == ("input_width", "input_layer", "error")
    assert finding.fix_label == "Set input_layer's shape to 3 (the data's features)"
    assert finding.fix_text("ko") == "input_layer의 shape을 3(데이터의 특성 수)로 설정"
    apply_fix(g, {}, finding.fix)
    assert g.node("input_layer").config["shape"] == [3]
    assert not [f for f in advise(g, {}, facts, {}) if f.code == "input_width"]


def test_the_engine_refuses_with_the_same_rule(tmp_path):
    from studio.core.project import Project
    from studio.data.errors import DataError
    from studio.training.data_source import load_training_data
    csv = tmp_path / "d.csv"
    csv.write_text("breite,hoehe,gewicht,y\n" + "".join(f"{i},{i + 1},{i * 2},{i % 2}\n" for i in range(12)))
    project = Project(chain([4]), data={"source": "csv", "path": str(csv), "target": "y"})
    with pytest.raises(DataError) as err:
        load_training_data(project)
    assert str(err.value) == "input 'input_layer' takes 4 features but its columns give 3 (breite, hoehe, gewicht)"


def test_feature_names_are_what_prepare_gives_the_model():
    import pandas as pd
    from studio.data.columns import describe_columns
    from studio.data.tabular import TabularOptions, feature_names, prepare
    frame = pd.DataFrame({"size": [float(i) for i in range(30)], "city": list("ABC") * 10, "id": [1] * 30,
                          "y": [0, 1] * 15})
    options = TabularOptions("y")
    assert feature_names(frame, options, describe_columns(frame)) == prepare(frame, options).feature_names


def test_a_shape_that_is_not_a_list_of_whole_numbers_is_said_as_such():
    """A hand-edited shape "4" (text) once read 'takes 4 features but its columns give 4'."""
    (miss,) = width_mismatches(chain("4"), {"input_layer": [0, 1, 2, 3]}, ["a", "b", "c", "d"])
    assert str(miss) == ("input 'input_layer' has no proper width (its shape ends in '4', not a whole "
                         "number); its columns give 4 features (a, b, c, d)")
    assert miss.fixed_shape(chain("4")) == [4]
