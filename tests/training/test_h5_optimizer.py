"""A plain Keras 3 .h5 keeps its optimizer state through the studio's loader (Keras 3.15's own drops it)."""

import h5py
import keras
import numpy as np
import pytest

from studio.training.model_files import load_model

STEPS = 63


@pytest.fixture(scope="module")
def keras_h5(tmp_path_factory):
    """A tiny model trained 63 Adam steps, saved by Keras itself as .h5; and its optimizer's values by path."""
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu", name="hidden"),
                              keras.layers.Dense(1, name="out")], name="tiny")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error")
    rng = np.random.default_rng(0)
    x = rng.random((STEPS * 2, 3)).astype("float32")
    model.fit(x, x.sum(axis=1, keepdims=True), batch_size=2, epochs=1, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == STEPS
    path = tmp_path_factory.mktemp("h5") / "tiny.h5"
    model.save(path)
    values = {v.path.split("/", 1)[1]: np.array(v) for v in model.optimizer.variables}
    return path, values, x


def optimizer_values(model):
    return {v.path.split("/", 1)[1]: np.array(v) for v in model.optimizer.variables}


def test_keras3_h5_optimizer_state_is_kept(keras_h5):
    path, expected, x = keras_h5
    model, metadata = load_model(path)
    assert int(model.optimizer.iterations.numpy()) == STEPS  # was 0: Keras' loader drops the state
    assert metadata["optimizer_state"] == {"kept": True, "steps": STEPS}
    got = optimizer_values(model)
    assert set(got) == set(expected)
    assert any("momentum" in k for k in got) and any("velocity" in k for k in got)
    for key, value in expected.items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)
    model.fit(x[:4], x[:4].sum(axis=1, keepdims=True), batch_size=2, epochs=1, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == STEPS + 2  # training goes on from the file's step


def copy_with(path, tmp_path, change):
    target = tmp_path / "changed.h5"
    target.write_bytes(path.read_bytes())
    with h5py.File(target, "a") as f:
        change(f["optimizer_weights"])
    return target


def momentum_name(group):
    return next(n for n in group.attrs["weight_names"] if "hidden_kernel_momentum" in str(n))


def test_a_state_that_does_not_fit_is_reported_not_kept(keras_h5, tmp_path):
    path, _, _ = keras_h5

    def wrong_shape(group):
        name = momentum_name(group)
        del group[name]
        group.create_dataset(name, data=np.zeros((4, 3), "float32"))

    model, metadata = load_model(copy_with(path, tmp_path, wrong_shape))
    state = metadata["optimizer_state"]
    assert state["kept"] is False and int(model.optimizer.iterations.numpy()) == 0  # nothing half-applied
    assert state["note"].startswith("optimizer state not kept: ")
    assert "(4, 3)" in state["note"] and "(3, 4)" in state["note"]


def test_an_absurd_shape_is_refused_before_it_is_read(keras_h5, tmp_path):
    path, _, _ = keras_h5

    def huge(group):
        name = momentum_name(group)
        del group[name]
        group.create_dataset(name, shape=(200_000, 200_000), dtype="float32", chunks=(1, 1024))  # 160 GB, unwritten

    model, metadata = load_model(copy_with(path, tmp_path, huge))
    assert metadata["optimizer_state"]["kept"] is False
    assert "(200000, 200000)" in metadata["optimizer_state"]["reason"]


def test_a_file_without_optimizer_state_says_nothing(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="out")])
    model.save(tmp_path / "plain.h5")  # not compiled: no optimizer_weights
    _, metadata = load_model(tmp_path / "plain.h5")
    assert "optimizer_state" not in metadata
