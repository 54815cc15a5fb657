"""CSV predictions: encoded exactly as in training, bad rows reported by line and column, the rest predicted."""

import json

import numpy as np
import pandas as pd
import pytest
from helpers_prediction import colours, colours_model  # noqa: F401 (fixtures)

from studio.cli import main
from studio.data.csv_file import load_csv
from studio.data.tabular import TabularOptions, prepare
from studio.prediction.model_source import TrainedModel
from studio.prediction.tabular import encode_rows, predict_csv, read_table, tabular_spec
from studio.training.data_source import load_training_data


def _training_rows(project):
    """Each training-file row's encoded features, as training made them: {row position: vector}."""
    data = load_training_data(project)
    table = load_csv(project.data_path())
    tab = prepare(table.frame, TabularOptions(target="label", missing="drop"))
    by_row = {}
    for split, x in ((tab.train, data.x_train), (tab.validation, data.x_val), (tab.test, data.x_test)):
        assert np.array_equal(split.x, x)  # the same rows in the same order as load_training_data's
        by_row.update({int(r): v for r, v in zip(split.rows, x)})
    return by_row, table.frame


def _without_label(frame, path, rows=None):
    part = frame.drop(columns=["label"])
    part = part if rows is None else part.iloc[rows]
    part.to_csv(path, index=False)
    return path


def test_predictions_equal_model_predict_on_the_training_arrays(colours, colours_model, tmp_path):
    project, _ = colours
    by_row, frame = _training_rows(project)
    new = _without_label(frame, tmp_path / "new.csv")
    table = predict_csv(colours_model, new)
    assert table.predicted == len(frame) and not table.problems
    assert table.columns == ["line", "predicted", "probability", "probability no", "probability yes"]
    rows = sorted(by_row)
    expected = colours_model.model.predict(np.stack([by_row[r] for r in rows]), verbose=0)
    lines = table.column("line")
    assert lines == [r + 2 for r in range(len(frame))]  # header is line 1
    got = np.array([[row[3], row[4]] for row in table.rows])[[lines.index(r + 2) for r in rows]]
    assert np.abs(got - expected).max() < 1e-6
    assert table.column("predicted") == [["no", "yes"][int(np.argmax(p))] for p in got[np.argsort(rows)]]
    # the Normalization is inside the model: the raw encoded values go in, nothing is scaled twice
    assert "normalization" in [layer.name for layer in colours_model.model.layers]


def test_without_the_saved_preprocessing_it_is_derived_from_the_projects_training_csv(colours, colours_model,
                                                                                        tmp_path):
    project, _ = colours
    _, frame = _training_rows(project)
    new = _without_label(frame, tmp_path / "new.csv")
    bare = TrainedModel(colours_model.model, {}, colours_model.path, project)
    saved, derived = predict_csv(colours_model, new), predict_csv(bare, new)
    assert saved.rows == derived.rows


def test_studio_predict_writes_one_row_per_input_row(colours, tmp_path, capsys):
    project, run = colours
    _, frame = _training_rows(project)
    new = _without_label(frame, tmp_path / "new.csv", rows=list(range(10)))
    out = tmp_path / "predictions.csv"
    assert main(["predict", str(run), str(new), "-o", str(out)]) == 0
    written = pd.read_csv(out)
    assert len(written) == 10 and list(written["line"]) == list(range(2, 12))
    assert set(written["predicted"]) <= {"no", "yes"}
    assert np.allclose(written["probability no"] + written["probability yes"], 1.0, atol=1e-5)
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary == {"rows": 10, "predicted": 10, "problems": 0, "output": str(out)}


def test_without_o_the_table_goes_to_stdout_and_the_summary_to_stderr(colours, tmp_path, capsys):
    project, _ = colours
    _, frame = _training_rows(project)
    new = _without_label(frame, tmp_path / "new.csv", rows=[0, 1, 2])
    assert main(["predict", str(project.path), str(new)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("line,predicted,probability")
    assert len(captured.out.splitlines()) == 4
    assert json.loads(captured.err.strip().splitlines()[-1])["predicted"] == 3


def test_bad_rows_are_reported_by_line_and_column_and_the_others_predicted(colours_model, tmp_path):
    new = tmp_path / "new.csv"
    new.write_text("a,b,colour\n"
                   "0.5,10,red\n"          # line 2: fine
                   "abc,10,red\n"          # line 3: text in a number column
                   "0.1,9,purple\n"        # line 4: a category never seen
                   "0.2,,blue\n"           # line 5: missing under "drop"
                   "-1,11,green\n", encoding="utf-8")  # line 6: fine
    table = predict_csv(colours_model, new)
    assert table.total == 5 and table.column("line") == [2, 6]
    assert [(p.line, p.column) for p in table.problems] == [(3, "a"), (4, "colour"), (5, "b")]
    lines = [str(p) for p in table.problems]
    assert lines[0] == "line 3, column 'a': 'abc' is not a number"
    assert lines[1].startswith("line 4, column 'colour': 'purple' is not a category the model was trained with")
    assert lines[2].startswith("line 5, column 'b': the value is missing")


def test_a_missing_column_is_one_problem_and_nothing_is_predicted(colours, colours_model, tmp_path, capsys):
    project, _ = colours
    new = tmp_path / "new.csv"
    new.write_text("a,colour\n0.5,red\n0.1,blue\n", encoding="utf-8")
    table = predict_csv(colours_model, new)
    assert table.rows == [] and len(table.problems) == 1
    assert str(table.problems[0]).startswith("column 'b': the file has no such column")
    assert main(["predict", str(project.path), str(new), "-o", str(tmp_path / "out.csv")]) == 1
    assert not (tmp_path / "out.csv").exists()
    assert "column 'b'" in capsys.readouterr().out


def test_a_fill_policy_fills_a_missing_value_with_the_training_fill(colours, colours_model, tmp_path):
    spec = tabular_spec(colours_model)
    spec.missing = "mean"
    frame = pd.DataFrame({"a": ["0.5"], "b": [None], "colour": [None]})
    x, rows, problems = encode_rows(spec, frame)
    assert not problems and list(rows) == [0]
    fills = {f["name"]: f["fill"] for f in spec.encoder.features}
    assert x[0, 1] == np.float32(fills["b"])
    colour = spec.encoder.output_names.index(f"colour={fills['colour']}")
    assert x[0, colour] == 1.0 and x[0, 2:].sum() == 1.0


def test_a_categorical_feature_is_encoded_as_in_training_with_some_categories_in_another_order(
        colours, colours_model, tmp_path):
    project, _ = colours
    by_row, frame = _training_rows(project)
    chosen = [r for r in range(len(frame)) if frame["colour"][r] in ("blue", "red")][::-1]  # blue first
    assert frame["colour"][chosen[0]] == "blue"
    new = _without_label(frame, tmp_path / "new.csv", rows=chosen)
    spec = tabular_spec(colours_model)
    text, first_line, decimal = read_table(new, spec.csv_format)
    x, rows, problems = encode_rows(spec, text, first_line, decimal)
    assert not problems and len(rows) == len(chosen)
    assert spec.encoder.output_names == ["a", "b", "colour=blue", "colour=green", "colour=red"]
    for encoded, row in zip(x, chosen):
        assert np.array_equal(encoded, by_row[row])
    assert x[:, 3].sum() == 0 and x[0, 2] == 1.0  # no green at all; the first row is blue


@pytest.mark.parametrize("decimal", [","])
def test_the_projects_csv_format_reads_the_new_file(colours_model, tmp_path, decimal):
    spec = tabular_spec(colours_model)
    new = tmp_path / "new.csv"
    new.write_text("a;b;colour\n0,5;10,25;red\n", encoding="utf-8")
    text, first_line, found = read_table(new, {"delimiter": ";", "decimal": decimal})
    x, rows, problems = encode_rows(spec, text, first_line, found)
    assert not problems and np.allclose(x[0, :2], [0.5, 10.25])


def test_a_feature_that_feeds_no_input_is_named_unused():
    from types import SimpleNamespace

    from studio.prediction.tabular import unused_features
    features = [{"name": "x", "kind": "numeric"}, {"name": "origin", "kind": "categorical", "categories": ["a", "b"]},
                {"name": "y", "kind": "numeric"}]
    spec = SimpleNamespace(encoder=SimpleNamespace(features=features), inputs={"wide": [0], "deep": [0, 3]})
    assert unused_features(spec) == {"origin"}
    spec.inputs = {"all": [0, 2, 3]}
    assert unused_features(spec) == set()  # one of origin's two columns feeds the model
    spec.inputs = None
    assert unused_features(spec) == set()
