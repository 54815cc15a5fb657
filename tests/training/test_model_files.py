"""Model files resume training exactly, are written atomically, and untrusted ones are checked."""

import signal
import subprocess
import sys

import h5py
import keras
import numpy as np
import pytest

from studio.training.model_files import ModelFileError, load_model, read_metadata, save_model
from studio.training.safe_load import inspect_file, open_untrusted


def sequential():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5, activation="relu", name="hidden"),
                              keras.layers.Dense(1, name="out")], name="seq")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error",
                  metrics=["mean_absolute_error"], steps_per_execution=4)
    rng = np.random.default_rng(0)
    return model, rng.random((64, 3)).astype("float32"), rng.random((64, 1)).astype("float32")


def multi_io():
    wide, deep = keras.Input((2,), name="wide"), keras.Input((3,), name="deep")
    hidden = keras.layers.Dense(4, activation="relu", name="hidden")(deep)
    main = keras.layers.Dense(1, name="main")(keras.layers.Concatenate(name="concat")([wide, hidden]))
    aux = keras.layers.Dense(1, name="aux")(hidden)
    model = keras.Model([wide, deep], [main, aux], name="wide_deep")
    model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9),
                  loss={"main": "mean_squared_error", "aux": "mean_squared_error"},
                  loss_weights={"main": 0.9, "aux": 0.1}, metrics={"main": ["mean_absolute_error"], "aux": []})
    rng = np.random.default_rng(1)
    x = [rng.random((64, 2)).astype("float32"), rng.random((64, 3)).astype("float32")]
    y = {"main": rng.random((64, 1)).astype("float32"), "aux": rng.random((64, 1)).astype("float32")}
    return model, x, y


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
@pytest.mark.parametrize("make", [sequential, multi_io], ids=["sequential", "multi_io"])
def test_save_load_train_equals_training_on(tmp_path, make, suffix):
    keras.utils.set_random_seed(1)
    model, x, y = make()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    path = save_model(model, tmp_path / f"m{suffix}", {"class_names": ["a"], "epoch": 1})
    loaded, metadata = load_model(path)
    assert metadata["class_names"] == ["a"] and metadata["format"] == "perceptron-studio/model"
    for m in (model, loaded):
        keras.utils.set_random_seed(7)
        m.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert int(loaded.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy()) == 16
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    # Keras' .h5 save must not have stripped the optimizer from the original model's compile config.
    assert "optimizer" in model.get_compile_config()


def test_h5_then_keras_keeps_the_optimizer(tmp_path):
    model, x, y = sequential()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    save_model(model, tmp_path / "a.h5")
    save_model(model, tmp_path / "a.keras")
    loaded, _ = load_model(tmp_path / "a.keras")
    assert int(loaded.optimizer.iterations.numpy()) == 8


def test_plain_keras_can_load_and_train_a_studio_h5(tmp_path):
    model, x, y = sequential()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    save_model(model, tmp_path / "a.h5")
    plain = keras.models.load_model(tmp_path / "a.h5")
    plain.fit(x, y, epochs=1, verbose=0)
    again = keras.models.load_model(tmp_path / "a.h5")
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)


KILL_DURING_SAVE = r"""
import sys, time, keras, numpy as np
from studio.training import model_files
model = keras.Sequential([keras.Input((200,)), keras.layers.Dense(2000), keras.layers.Dense(2000)])
real_save = model.save
def slow_save(path, *a, **k):
    real_save(path, *a, **k)
    print("written", flush=True)
    time.sleep(60)  # killed here, after the new file is written and before it replaces the old one
model.save = slow_save
model_files.save_model(model, sys.argv[1])
"""


def test_a_save_killed_midway_leaves_the_previous_file(tmp_path):
    model, x, y = sequential()
    target = tmp_path / "model.h5"
    save_model(model, target)
    before = target.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", KILL_DURING_SAVE, str(target)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "written"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert target.read_bytes() == before
    loaded, _ = load_model(target)
    assert loaded.count_params() == model.count_params()
    # one temporary file is left (no tmp*/model.h5 beside it), named as the studio's, and the next save removes it
    (left,) = [p for p in tmp_path.iterdir() if p != target]
    assert left.is_file() and left.name.startswith(".model.h5.studio-") and left.stat().st_size > 17_000_000
    save_model(model, tmp_path / "other.h5")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.h5", "other.h5"]


# -- untrusted files -------------------------------------------------------------------

def test_lambda_layer_is_refused_without_running_it(tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2, name="double")(inputs))
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(ModelFileError, match="layer 'double' is a Lambda, refused because it runs arbitrary"):
        open_untrusted(path)


def test_custom_registered_object_is_refused(tmp_path):
    @keras.saving.register_keras_serializable(package="evil")
    class Custom(keras.layers.Layer):
        def call(self, x):
            return x

    inputs = keras.Input((2,))
    model = keras.Model(inputs, Custom(name="custom")(inputs))
    path = tmp_path / "custom.keras"
    model.save(path)
    with pytest.raises(ModelFileError, match="custom object \\(evil>Custom\\)"):
        inspect_file(path)


def test_layer_outside_the_catalog_is_refused(tmp_path):
    inputs = keras.Input((4, 2))
    model = keras.Model(inputs, keras.layers.LSTM(3, name="memory")(inputs))
    path = tmp_path / "lstm.h5"
    model.save(path)
    with pytest.raises(ModelFileError, match="layer 'memory' is a LSTM"):
        open_untrusted(path)


def test_hdf5_external_link_is_refused(tmp_path):
    model, _, _ = sequential()
    path = tmp_path / "linked.h5"
    save_model(model, path)
    with h5py.File(tmp_path / "other.h5", "w") as other:
        other["secret"] = np.zeros(3)
    with h5py.File(path, "a") as f:
        f["model_weights/elsewhere"] = h5py.ExternalLink("other.h5", "/secret")
    with pytest.raises(ModelFileError, match="external link at 'model_weights/elsewhere'"):
        inspect_file(path)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "weights_only"])
def test_damaged_files_give_a_message(tmp_path, damage):
    model, _, _ = sequential()
    path = tmp_path / "model.h5"
    save_model(model, path)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"not a model at all")
    else:
        model.save_weights(tmp_path / "w.weights.h5")
        path = tmp_path / "w.weights.h5"
    with pytest.raises(ModelFileError):
        open_untrusted(path, timeout=60)


def test_open_untrusted_loads_a_good_file(tmp_path):
    model, x, _ = sequential()
    save_model(model, tmp_path / "good.h5", {"class_names": []})
    loaded, metadata = open_untrusted(tmp_path / "good.h5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
    assert read_metadata(tmp_path / "good.h5")["format"] == "perceptron-studio/model"
