"""Hostile model files (issue 15, items 6 and 7): tiny on disk, each declares more memory than any machine has
or walks the HDF5 library in circles. Each is refused with the estimate or a clear line, quickly, before
anything is built or read, in the loader child, in this process and on the CLI."""

import math
import os
import resource
import time

import h5py
import pytest

from studio.cli import main
from studio.training import model_budget, safe_load
from studio.training.model_files import ModelFileError
from studio.training.safe_load import check_budget, inspect_file, open_untrusted, survey
from training import corrupt

MB = 1000 ** 2


def child_peak_bytes() -> int | None:
    """The loader child's peak resident memory (VmHWM), where the system says it."""
    process = safe_load._loader.process
    status = f"/proc/{process.pid}/status" if process is not None else ""
    if not status or not os.path.exists(status):
        return None
    for line in open(status):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def refused(path, *, said: str, within: float, **kwargs) -> str:
    """open_untrusted refuses ``path`` with a message holding ``said`` within ``within`` seconds; the message.

    A fresh loader child takes each file, so its peak memory is this file's (and TensorFlow's, once loaded).
    """
    safe_load.stop_loader()
    start = time.perf_counter()
    with pytest.raises(ModelFileError) as caught:
        open_untrusted(path, **kwargs)
    elapsed = time.perf_counter() - start
    message = str(caught.value)
    assert said in message and str(path) in message, message
    assert "\n" not in message
    assert elapsed < within, f"{path.name} took {elapsed:.1f} s to refuse"
    peak = child_peak_bytes()
    print(f"{path.name}: {path.stat().st_size / 1000:.0f} KB, refused in {elapsed:.2f} s, loader child's peak "
          f"{f'{peak / MB:.0f} MB' if peak else 'gone'}: {message}")
    assert peak is None or peak < 2500 * MB, f"the loader child reached {peak / MB:.0f} MB"
    return message


# -- item 6: memory ---------------------------------------------------------------------------------------------

def test_a_dense_layer_of_250_million_units_is_refused_with_its_estimate_before_it_is_built(tmp_path):
    path = corrupt.h5_declaring_units(tmp_path / "units.h5", 250_000_000)
    assert path.stat().st_size < 40_000
    message = refused(path, said="needs about", within=60)
    assert "196,250,000,000 parameters" in message and "3.1 TB" in message
    assert "the studio refuses files over" in message and "on this machine" in message
    # here too (the parent checks again before it loads): counted in Keras' stateless scope, nothing allocated
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ModelFileError, match="needs about 3.1 TB for its weights"):
        check_budget(survey(path), path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300_000  # KiB


def test_a_huge_declared_dataset_is_refused_before_it_is_read(tmp_path):
    path = corrupt.h5_with_huge_dataset(tmp_path / "dataset.h5", 1 << 40)  # 4.4 TB of float32, none stored
    assert path.stat().st_size < 40_000
    message = refused(path, said="reading its arrays needs about 4.4 TB", within=10)
    assert "'model_weights/d/tiny/d/kernel'" in message and "the studio refuses files over" in message


def test_a_keras_archive_with_a_bloated_configuration_is_refused_unread(tmp_path):
    path = corrupt.keras_with_bloated_config(tmp_path / "config.keras", 32 * 1024 ** 2)
    assert path.stat().st_size < 200_000
    refused(path, said="its config.json is 33.6 MB, far more than any model's", within=10)


def test_a_keras_archive_with_weights_that_unpack_a_thousandfold_is_refused_unread(tmp_path):
    path = corrupt.keras_with_bloated_weights(tmp_path / "weights.keras", 64 * 1024 ** 2)
    assert path.stat().st_size < 200_000
    refused(path, said="'model.weights.h5' unpacks to 67.1 MB", within=10)


def test_a_keras_archive_whose_arrays_its_model_cannot_explain_is_refused(tmp_path):
    path = corrupt.keras_with_padded_arrays(tmp_path / "padded.keras", 64 * 1024 ** 2)  # 256 MiB declared
    assert path.stat().st_size < 200_000
    message = refused(path, said="its model's 15 parameters need at most", within=60)
    assert "268.4 MB of arrays" in message and "'model.weights.h5/padding'" in message


def test_the_estimate_is_the_count_loading_gives_and_leaves_nothing_behind(tmp_path):
    import keras
    from keras.src.backend.common import global_state

    inputs = keras.Input((8, 8, 3), name="image")
    x = keras.layers.Rescaling(1 / 255)(inputs)
    x = keras.layers.Conv2D(4, 3, activation="relu")(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.MaxPooling2D()(x)
    flat = keras.layers.Flatten()(x)
    pooled = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Concatenate()([keras.layers.Dense(6)(flat), keras.layers.Dense(6)(pooled)])
    x = keras.layers.Dropout(0.2)(keras.layers.Normalization(mean=0.0, variance=1.0)(x))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(x))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    for suffix in (".h5", ".keras"):
        path = tmp_path / f"every_layer{suffix}"
        model.save(path)
        pending = list(global_state.get_global_attribute("uninitialized_variables") or [])
        # every variable loading makes: the weights and the dropout's seed state (2 values)
        assert check_budget(survey(path), path) == model.count_params() + 2 == \
            sum(math.prod(v.shape) for v in model.variables)
        assert list(global_state.get_global_attribute("uninitialized_variables") or []) == pending


def test_configurations_of_the_wrong_shape_are_malformed_not_a_traceback():
    for config in ({"class_name": "Sequential", "config": []}, {"class_name": ["Sequential"]},
                   {"class_name": "Sequential", "config": {"layers": {"a": 1}}},
                   {"class_name": "Sequential", "config": {"layers": [{"class_name": ["Dense"]}]}},
                   {"class_name": "Sequential", "module": 5, "config": {}}):
        with pytest.raises(ModelFileError, match="malformed|custom object"):
            safe_load.check_config(config, "f.h5")
    too_many = {"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense"}] * 5001}}
    with pytest.raises(ModelFileError, match="5,001 layers"):
        safe_load.check_config(too_many, "f.h5")


# -- item 7: hangs ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("under", ["model_weights", "/"])
def test_a_group_that_links_to_itself_is_refused_at_once(tmp_path, under):
    path = corrupt.h5_self_linked(tmp_path / "self.h5", under)
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match="links back to .* a cycle"):
        inspect_file(path)
    assert time.perf_counter() - start < 0.5
    refused(path, said="a cycle no model file has", within=10, cancelled=lambda: False)  # as the window opens it


def test_a_group_reached_by_many_paths_is_walked_once(tmp_path):
    path = corrupt.h5_diamonds(tmp_path / "diamonds.h5", depth=40)  # 2**40 paths through 40 groups
    start = time.perf_counter()
    assert inspect_file(path) == ["InputLayer", "Dense"]
    assert time.perf_counter() - start < 0.5


def test_soft_links_are_refused(tmp_path):
    path = tmp_path / "soft.h5"
    corrupt.tiny_model().save(path)
    with h5py.File(path, "a") as f:
        f["model_weights/loop"] = h5py.SoftLink("/model_weights/loop")
    with pytest.raises(ModelFileError, match="'model_weights/loop' is an HDF5 SoftLink"):
        inspect_file(path)


def test_a_file_that_hangs_the_first_look_is_given_up_after_the_first_looks_limit(tmp_path, monkeypatch):
    """The child hangs (as on a file that hangs the HDF5 library): the first look's own limit ends it, not the
    two minutes the whole load may take."""
    path = tmp_path / "model.h5"
    corrupt.tiny_model().save(path)
    monkeypatch.setattr(safe_load, "CHECK_TIMEOUT", 1.0)
    monkeypatch.setenv("STUDIO_TEST_LOADER_HANGS", "1")
    try:
        refused(path, said="a first look at its structure did not finish within 1 s", within=5)
    finally:
        monkeypatch.delenv("STUDIO_TEST_LOADER_HANGS")
        safe_load.stop_loader()
    assert safe_load._loader.process is None
    model, _ = open_untrusted(path)  # a fresh child for the next file
    assert model.count_params() == 15


def test_studio_inspect_says_it_in_one_line(tmp_path, capsys):
    for path, said in ((corrupt.h5_self_linked(tmp_path / "self.h5"), "a cycle"),
                       (corrupt.h5_with_huge_dataset(tmp_path / "dataset.h5", 1 << 40), "needs about 4.4 TB"),
                       (corrupt.h5_declaring_units(tmp_path / "units.h5", 250_000_000), "needs about 3.1 TB")):
        start = time.perf_counter()
        assert main(["inspect", str(path)]) == 2
        elapsed = time.perf_counter() - start
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and said in err and err.startswith("studio inspect: "), err
        assert elapsed < 60
        print(f"studio inspect {path.name}: exit 2 in {elapsed:.2f} s")


def test_a_good_file_still_opens_and_its_first_look_is_quick(tmp_path):
    path = tmp_path / "good.h5"
    corrupt.tiny_model().save(path)
    start = time.perf_counter()
    found = survey(path)
    assert time.perf_counter() - start < 0.5
    assert found.kind == "h5" and found.layers == ["InputLayer", "Dense"] and found.declared.arrays > 0
    assert found.declared.total < model_budget.limit()
    model, _ = open_untrusted(path)
    assert model.count_params() == 15


def test_the_first_looks_limit_does_not_count_the_childs_start(tmp_path, monkeypatch):
    """Python, numpy, h5py and pandas take the child about half a second to import (more on a busy machine):
    that is not the file's time, so a limit shorter than the start still lets a good file through."""
    path = tmp_path / "good.h5"
    corrupt.tiny_model().save(path)
    monkeypatch.setattr(safe_load, "CHECK_TIMEOUT", 0.3)
    safe_load.stop_loader()
    model, _ = open_untrusted(path)
    assert model.count_params() == 15
