"""``studio summary PROJECT|MODEL``: Keras' summary table, its counts, and one JSON line last (issue 17)."""

import json
import re

import keras
from conftest import ROOT

from studio.cli import main

WIDE_DEEP = ROOT / "resources" / "examples" / "wide_deep.studio.json"


def test_summary_of_a_project_counts_the_input_scaling_training_adds(capsys):
    assert main(["summary", str(WIDE_DEEP)]) == 0
    out = capsys.readouterr().out.splitlines()
    # 1,207 in the graph, plus two Normalization layers (2 * 5 + 1 and 2 * 6 + 1 non-trainable weights)
    assert json.loads(out[-1]) == {"total": 1231, "trainable": 1207, "non_trainable": 24}
    text = "\n".join(out)
    assert "Total params: 1,231" in text and "Non-trainable params: 24" in text
    assert re.search(r"^concat\s+Concatenate\s+\(None, 35\)\s+0\s+normalization, hidden2$", text, re.M)
    assert re.search(r"^hidden1\s+Dense\s+\(None, 30\)\s+210\s+normalization_1$", text, re.M)
    header = next(line for line in out if line.startswith("Layer"))
    assert header.index("Output shape") == out[out.index(header) + 2].index("(None")  # aligned columns


def test_summary_of_a_model_file_is_keras_own(tmp_path, capsys):
    inputs = keras.Input((4,), name="x")
    outputs = keras.layers.Dense(3, name="out")(keras.layers.Dense(5, name="hidden")(inputs))
    model = keras.Model(inputs, outputs, name="small")
    path = tmp_path / "small.h5"
    model.save(path)
    assert main(["summary", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert json.loads(out[-1]) == {"total": model.count_params(), "trainable": 43, "non_trainable": 0}
    assert re.search(r"^hidden\s+Dense\s+\(None, 5\)\s+25\s+x$", "\n".join(out), re.M)


def test_summary_of_a_file_that_is_not_a_model_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "broken.h5"
    path.write_bytes(b"not a model")
    assert main(["summary", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("studio summary: ") and len(err.strip().splitlines()) == 1
