"""Every Sequential and Functional model the chapter's code builds, saved by Keras 3 as .h5 and .keras, opens
with its parameter count, keeps its training settings, trains on from its own optimizer step, and exports in
every allowed style with the same count; and keras-tuner's best model. (Smaller widths than the book's, same
structures.)"""

import importlib.util

import keras
import numpy as np
import pytest

from studio.core.codegen import sequential_problem
from studio.core.keras_bridge import build_model, import_model
from studio.core.project import Project
from studio.exports.script import script_text
from studio.training.imported import imported_project
from studio.training.model_files import load_model

RNG = np.random.default_rng(0)
X = RNG.random((64, 8)).astype("float32")
Y = X.sum(axis=1, keepdims=True)
IMAGES = RNG.integers(0, 255, (64, 28, 28)).astype("float32")
LABELS = RNG.integers(0, 10, 64)


def mnist_add_form():
    model = keras.Sequential(name="add_form")
    model.add(keras.layers.Flatten(input_shape=[28, 28]))
    model.add(keras.layers.Dense(30, activation="relu"))
    model.add(keras.layers.Dense(10, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    return model, IMAGES, LABELS


def mnist_list_form():
    model = keras.Sequential([keras.layers.InputLayer(shape=[28, 28]), keras.layers.Flatten(),
                              keras.layers.Dense(30, activation="relu"), keras.layers.Dense(10, activation="softmax")],
                             name="list_form")
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.01),
                  metrics=["accuracy"])
    return model, IMAGES, LABELS


def regression_normalized():
    norm = keras.layers.Normalization(input_shape=X.shape[1:])
    norm.adapt(X)
    model = keras.Sequential([norm, keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)],
                             name="housing")
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=1e-3), metrics=["RootMeanSquaredError"])
    return model, X, Y


def wide_deep_one_input():
    inputs = keras.layers.Input(shape=X.shape[1:])
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    hidden = keras.layers.Dense(16, activation="relu")(hidden)
    concat = keras.layers.Concatenate()([inputs, hidden])
    model = keras.Model(inputs=[inputs], outputs=[keras.layers.Dense(1)(concat)], name="wide_deep")
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9))
    return model, X, Y


def wide_deep_two_inputs():
    wide, deep = keras.layers.Input(shape=[5], name="wide"), keras.layers.Input(shape=[6], name="deep")
    norm_wide, norm_deep = keras.layers.Normalization(), keras.layers.Normalization()
    norm_wide.adapt(X[:, :5])
    norm_deep.adapt(X[:, 2:])
    hidden = keras.layers.Dense(16, activation="relu")(norm_deep(deep))
    concat = keras.layers.concatenate([norm_wide(wide), hidden])
    model = keras.Model(inputs=[wide, deep], outputs=[keras.layers.Dense(1, name="output")(concat)], name="two_in")
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=1e-3), metrics=["RootMeanSquaredError"])
    return model, (X[:, :5], X[:, 2:]), Y


def two_outputs_with_loss_weights():
    wide, deep = keras.layers.Input(shape=[5], name="wide"), keras.layers.Input(shape=[6], name="deep")
    hidden = keras.layers.Dense(16, activation="relu")(deep)
    concat = keras.layers.concatenate([wide, hidden])
    output = keras.layers.Dense(1, name="main")(concat)
    aux = keras.layers.Dense(1, name="aux")(hidden)
    model = keras.Model(inputs=[wide, deep], outputs=[output, aux], name="two_out")
    model.compile(loss=("mse", "mse"), loss_weights=(0.9, 0.1), optimizer="adam", metrics=["mae", "mae"])
    return model, (X[:, :5], X[:, 2:]), (Y, Y)


def tuner_best_model():
    """keras-tuner's best model, as the chapter's hyperparameter search returns it (one trial here)."""
    import tempfile

    import keras_tuner as kt

    def build(hp):
        model = keras.Sequential([keras.layers.Input((8,))])
        for _ in range(hp.Int("layers", 1, 2)):
            model.add(keras.layers.Dense(hp.Int("units", 4, 8, step=4), activation="relu"))
        model.add(keras.layers.Dense(1))
        model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=hp.Float("lr", 1e-3, 1e-2,
                                                                                        sampling="log")))
        return model

    with tempfile.TemporaryDirectory() as folder:
        tuner = kt.RandomSearch(build, objective="val_loss", max_trials=1, seed=0, directory=folder,
                                project_name="chapter", overwrite=True)
        tuner.search(X, Y, epochs=1, validation_split=0.25, verbose=0)
        best = tuner.get_best_models(1)[0]
    return best, X, Y


BUILDERS = [mnist_add_form, mnist_list_form, regression_normalized, wide_deep_one_input, wide_deep_two_inputs,
            two_outputs_with_loss_weights, tuner_best_model]


def _import_script(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chapter")
    keras.utils.set_random_seed(0)
    files = {}
    for builder in BUILDERS:
        model, x, y = builder()
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # 8 optimizer steps (more for the tuner's model)
        steps = int(model.optimizer.iterations.numpy())
        for suffix in (".keras", ".h5"):  # Keras' .h5 save drops the optimizer from a later .keras save
            path = folder / f"{builder.__name__}{suffix}"
            model.save(path)
            files[path.name] = (path, model.count_params(), x, y, steps)
    return files


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_a_chapter_model_opens_trains_on_and_exports_with_its_count(saved, tmp_path, builder, suffix):
    path, count, x, y, steps = saved[builder.__name__ + suffix]
    model, metadata = load_model(path)
    assert model.count_params() == count
    graph = import_model(model, name=model.name)
    assert build_model(graph).count_params() == count
    project, continued, notes = imported_project(model, metadata, graph)
    assert project.training["optimizer"]["class_name"] in ("SGD", "Adam") and not notes
    assert set(project.training["loss"].values() if isinstance(project.training["loss"], dict)
               else [project.training["loss"]]) <= {"mean_squared_error", "sparse_categorical_crossentropy"}
    if builder is two_outputs_with_loss_weights:
        assert list(project.training["loss_weights"].values()) == [0.9, 0.1]

    for style in ["functional", "subclassing"] + ([] if sequential_problem(graph) else ["sequential"]):
        script = tmp_path / f"{style}.py"
        script.write_text(script_text(Project(graph), style, with_data=False), encoding="utf-8")
        assert _import_script(script).build_model().count_params() == count, style

    assert int(model.optimizer.iterations.numpy()) == steps >= 8  # the file's optimizer state came with it
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == steps + 8  # and goes on
