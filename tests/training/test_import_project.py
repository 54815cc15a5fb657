"""`studio import` makes a project of a model file: its training settings and trained state go on."""

import json
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import pytest

from studio.cli import main
from studio.core.project import load_project, save_project
from studio.training.current_model import current_run
from studio.training.model_files import load_model

STEPS = 63
FIXTURES = Path(__file__).parent.parent / "fixtures" / "tf_keras"


def _csv(folder: Path, rows: int = 126) -> Path:
    rng = np.random.default_rng(0)
    x = rng.random((rows, 3))
    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    frame["y"] = x.sum(axis=1)
    path = folder / "points.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def chapter_models(tmp_path_factory):
    """The chapter's regression MLP (SGD with momentum, 63 steps) and a two-output model with loss weights."""
    folder = tmp_path_factory.mktemp("models")
    keras.utils.set_random_seed(1)
    x = np.random.default_rng(0).random((STEPS * 2, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    mlp = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu", name="hidden"),
                            keras.layers.Dense(1, name="out")], name="regression")
    mlp.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse",
                metrics=["RootMeanSquaredError"])
    mlp.fit(x, y, batch_size=2, epochs=1, verbose=0)
    inputs = keras.Input((3,), name="features")
    hidden = keras.layers.Dense(4, activation="relu", name="hidden")(inputs)
    main_out = keras.layers.Dense(1, name="main_output")(keras.layers.Concatenate(name="wide")([inputs, hidden]))
    aux_out = keras.layers.Dense(1, name="aux_output")(hidden)
    two = keras.Model(inputs, [main_out, aux_out], name="wide_deep")
    two.compile(optimizer="adam", loss=("mse", "mse"), loss_weights=(0.9, 0.1), metrics=["mae", "mae"])
    two.fit(x, (y, y), batch_size=2, epochs=1, verbose=0)
    paths = {}
    for name, model in (("regression", mlp), ("wide_deep", two)):
        for suffix in (".keras", ".h5"):  # Keras' .h5 save drops the optimizer from a later .keras save
            paths[name + suffix] = folder / f"{name}{suffix}"
            model.save(paths[name + suffix])
    return paths


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_import_brings_the_training_settings_and_training_goes_on_from_the_files_step(
        chapter_models, tmp_path, capsys, suffix):
    out = tmp_path / "regression.studio.json"
    assert main(["import", str(chapter_models["regression" + suffix]), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"{STEPS} optimizer steps taken" in said and "studio train --continue" in said
    project = load_project(out)
    training = project.training
    assert training["optimizer"] == {"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}}
    assert training["loss"] == "mean_squared_error" and training["metrics"] == ["RootMeanSquaredError"]
    run = current_run(project)
    assert json.loads((run / "run.json").read_text())["kind"] == "import"

    _csv(tmp_path)  # the student chooses the data, then continues
    project.data = {"source": "csv", "path": "points.csv", "target": "y", "normalize": False,
                    "validation": 0.0, "test": 0.2}
    project.training.update(epochs=1, batch_size=2)
    save_project(project, out)
    assert main(["train", "--continue", "--epochs", "1", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"continuing from epoch 0 ({STEPS} optimizer steps taken)" in said
    model, metadata = load_model(current_run(load_project(out)) / "model.h5")
    taken = int(model.optimizer.iterations.numpy()) - STEPS  # one epoch of about 101 rows, 2 per step
    assert 50 <= taken <= 51 and metadata["epoch"] == 1


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_two_outputs_keep_their_losses_and_loss_weights(chapter_models, tmp_path, suffix):
    out = tmp_path / "wide_deep.studio.json"
    assert main(["import", str(chapter_models["wide_deep" + suffix]), "-o", str(out)]) == 0
    project = load_project(out)
    outputs = project.graph.outputs
    assert len(outputs) == 2
    training = project.training
    assert training["loss"] == {o: "mean_squared_error" for o in outputs}
    assert training["loss_weights"] == dict(zip(outputs, (0.9, 0.1)))
    assert training["optimizer"]["class_name"] == "Adam"
    model, _ = load_model(current_run(project) / "model.h5")
    assert model.count_params() == keras.models.load_model(chapter_models["wide_deep" + suffix], compile=False).count_params()


@pytest.mark.parametrize("name", ["mlp_adam.h5", "mlp_sgd_momentum.keras"])
def test_tf_keras_files_import_with_their_optimizer(tmp_path, name):
    out = tmp_path / "old.studio.json"
    assert main(["import", str(FIXTURES / name), "-o", str(out)]) == 0
    project = load_project(out)
    expected = json.loads((FIXTURES / "fixtures.json").read_text())
    assert project.training["optimizer"]["class_name"] in ("Adam", "SGD")
    if "momentum" in name:
        assert project.training["optimizer"]["config"]["momentum"] == 0.9
    assert project.training["loss"] == "sparse_categorical_crossentropy"
    assert expected  # the fixtures' own record, written by the real tf_keras


def test_a_refused_file_is_one_line_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "model.weights.h5"
    bad.write_bytes(b"not hdf5")
    out = tmp_path / "p.studio.json"
    assert main(["import", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("studio import:") and "\n" not in err and not out.exists()
