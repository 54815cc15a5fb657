"""`studio quick` and files saved by Keras 2 (tf.keras)."""

import json

import numpy as np
from keras2_file import write_keras2_h5

from studio.cli import main
from studio.core.keras_bridge import import_model
from studio.core.project import load_project
from studio.resources import resource
from studio.training.engine import TrainingJob
from studio.training.quick import quick_project
from studio.training.safe_load import open_untrusted


def test_quick_classification_writes_model_project_and_summary(tmp_path, capsys):
    out = tmp_path / "q"
    assert main(["quick", str(resource("datasets", "penguins.csv")), "--target", "species", "--epochs", "40",
                 "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["task"] == "multiclass" and summary["target"] == "species" and summary["rows"] == 333
    assert summary["test"]["accuracy"] >= 0.9 and "loss" in summary["test"]
    project = load_project(out / "quick.studio.json")
    output = project.graph.node("output").config
    assert output["units"] == 3 and output["activation"] == "softmax"
    assert (out / "model.h5").is_file() and (out / "run.json").is_file()


def test_quick_regression_reports_mae(tmp_path, capsys):
    assert main(["quick", str(resource("datasets", "auto_mpg.csv")), "--target", "mpg", "--epochs", "5",
                 "--out", str(tmp_path / "r")]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["task"] == "regression" and summary["test"]["mae"] > 0


def test_quick_matches_a_hand_written_keras_mlp():
    import keras
    project = quick_project(resource("datasets", "iris.csv"), ["species"], epochs=30)
    job = TrainingJob(project)
    job.train()
    studio = job.evaluate()["accuracy"]
    data = job.data
    keras.utils.set_random_seed(42)
    norm = keras.layers.Normalization()
    norm.adapt(data.x_train)
    model = keras.Sequential([keras.Input((4,)), norm, keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(64, activation="relu"), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(data.x_train, data.y_train, validation_data=(data.x_val, data.y_val), epochs=30, batch_size=32,
              callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)], verbose=0)
    reference = model.evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)["accuracy"]
    assert abs(studio - reference) <= 0.01 + 1e-9


def test_quick_unknown_target_exits_2(tmp_path, capsys):
    assert main(["quick", str(resource("datasets", "iris.csv")), "--target", "specie", "--out", str(tmp_path)]) == 2
    assert "did you mean 'species'" in capsys.readouterr().err


def test_a_keras2_h5_opens_trains_and_becomes_a_graph(tmp_path):
    weights = write_keras2_h5(tmp_path / "old.h5")
    model, metadata = open_untrusted(tmp_path / "old.h5")
    assert metadata == {} and model.count_params() == 4 * 8 + 8 + 8 * 3 + 3
    np.testing.assert_array_equal(model.get_layer("dense").get_weights()[0], weights["dense"][0])
    x = np.random.default_rng(0).random((16, 4)).astype("float32")
    model.fit(x, np.arange(16) % 3, epochs=1, verbose=0)  # compiled from its Keras 2 training config
    graph = import_model(model)
    assert [n.class_name for n in graph] == ["Input", "Dense", "Dense"]
    assert graph.node("dense_1").config["activation"] == "softmax"
