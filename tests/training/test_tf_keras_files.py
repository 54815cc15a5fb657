"""Files written by the real tf-keras 2.21 (tests/fixtures/make_tf_keras_fixtures.py) open as File > Import opens them."""

import json
from pathlib import Path

import numpy as np
import pytest

from studio.core.keras_bridge import build_model, import_model
from studio.training import tf_keras_files
from studio.training.model_files import ModelFileError
from studio.training.safe_load import open_untrusted

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf_keras"
LISTING = json.loads((FIXTURES / "fixtures.json").read_text())
PROBE = np.array(LISTING["probe"], dtype="float32")


def test_the_fixtures_are_small_and_made_by_tf_keras_2():
    assert LISTING["tf_keras"].startswith("2.") and len(LISTING["files"]) == 6
    for name in LISTING["files"]:
        assert (FIXTURES / name).stat().st_size < 100_000


@pytest.mark.parametrize("name", sorted(LISTING["files"]))
def test_a_tf_keras_file_opens_with_its_weights_optimizer_and_state(name):
    expected = LISTING["files"][name]
    model, metadata = open_untrusted(FIXTURES / name)
    assert model.count_params() == expected["params"]
    np.testing.assert_allclose(model.predict(PROBE, verbose=0), expected["predictions"], rtol=1e-5, atol=1e-6)
    optimizer = model.optimizer
    assert type(optimizer).__name__ == expected["optimizer"]
    for key, value in expected["optimizer_config"].items():
        assert float(optimizer.get_config()[key]) == pytest.approx(value)
    assert metadata["optimizer_state"] == {"kept": True, "steps": expected["iterations"]}
    assert int(optimizer.iterations.numpy()) == expected["iterations"] == 2
    slots = [v for v in optimizer.variables if v.name.endswith(("_momentum", "_velocity"))]
    assert len(slots) == {"Adam": 8, "SGD": 4 if expected["optimizer_config"].get("momentum") else 0}[expected["optimizer"]]
    assert all(np.abs(v.numpy()).max() > 0 for v in slots)  # the file's moments, not fresh zeros
    rng = np.random.default_rng(3)
    model.fit(rng.random((8, 4)).astype("float32"), np.arange(8) % 3, batch_size=8, epochs=1, verbose=0)
    assert int(optimizer.iterations.numpy()) == expected["iterations"] + 1  # training goes on from the file's step

    graph = import_model(model)
    assert [n.class_name for n in graph] == ["Input"] + expected["layers"]
    rebuilt = build_model(graph)
    assert rebuilt.count_params() == expected["params"]
    model_before_training, _ = open_untrusted(FIXTURES / name)
    rebuilt.set_weights(model_before_training.get_weights())  # the graph's model with the file's weights
    np.testing.assert_allclose(rebuilt.predict(PROBE, verbose=0), expected["predictions"], rtol=1e-5, atol=1e-6)


def test_a_legacy_optimizer_name_maps_only_onto_keras_own_optimizers():
    adam = tf_keras_files.optimizer_from_config({"class_name": "Custom>Adam", "config": {
        "name": "Adam", "learning_rate": 0.02, "beta_1": 0.8, "is_legacy_optimizer": False, "jit_compile": True}})
    assert type(adam).__name__ == "Adam" and adam.get_config()["beta_1"] == pytest.approx(0.8)
    for class_name in ("Custom>MyOptimizer", "Custom>Optimizer", "Custom>__class__", "os.system"):
        with pytest.raises(tf_keras_files.TfKerasFileError, match="not one of Keras' own optimizers"):
            tf_keras_files.optimizer_from_config({"class_name": class_name, "config": {}})
    with pytest.raises(tf_keras_files.TfKerasFileError, match="decay=0.1"):  # dropping it would train differently
        tf_keras_files.optimizer_from_config({"class_name": "Custom>SGD", "config": {"decay": 0.1}})


def test_a_tf_keras_archive_whose_weights_unpack_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tf_keras_files, "MAX_WEIGHTS_BYTES", 1000)
    with pytest.raises(ModelFileError, match="unpack to"):
        open_untrusted(FIXTURES / "mlp_sgd.keras")  # the child process has the real limit; this one refuses


FUNCTIONAL = LISTING["functional"]


def test_the_functional_fixtures_are_the_chapters_wide_and_deep_models():
    assert sorted(FUNCTIONAL) == ["wide_deep.h5", "wide_deep.keras", "wide_deep_two_outputs.h5",
                                  "wide_deep_two_outputs.keras"]


@pytest.mark.parametrize("name", sorted(FUNCTIONAL))
def test_a_tf_keras_functional_model_opens_imports_and_keeps_its_training_settings(name):
    from studio.training.imported import imported_project
    expected = FUNCTIONAL[name]
    model, metadata = open_untrusted(FIXTURES / name)
    assert model.count_params() == expected["params"]
    probe = np.array(expected["probe"], dtype="float32")
    feed = probe if expected["inputs"] == 1 else (probe[:, :5], probe[:, 2:])
    got = model.predict(feed, verbose=0)
    got = got if isinstance(got, (list, tuple)) else [got]
    for output, want in zip(got, expected["predictions"]):
        np.testing.assert_allclose(output, want, rtol=1e-5, atol=1e-6)
    assert type(model.optimizer).__name__ == expected["optimizer"]
    assert int(model.optimizer.iterations.numpy()) == expected["iterations"] == 2  # the file's state came along

    graph = import_model(model)
    assert build_model(graph).count_params() == expected["params"]
    assert len(graph.inputs) == expected["inputs"] and len(graph.outputs) == expected["outputs"]
    project, _, notes = imported_project(model, metadata, graph)
    assert not notes and project.training["optimizer"]["class_name"] == expected["optimizer"]
    if expected["loss_weights"]:
        assert project.training["loss"] == {o: "mean_squared_error" for o in graph.outputs}
        assert project.training["loss_weights"] == dict(zip(graph.outputs, expected["loss_weights"]))
    else:
        assert project.training["loss"] == "mean_squared_error"
        assert project.training["optimizer"]["config"]["momentum"] == 0.9


def test_only_tf_keras_own_model_classes_pass_under_their_module():
    from studio.training.safe_load import check_config
    layers = {"layers": [{"class_name": "Dense", "module": "keras.layers", "config": {"name": "d", "units": 1}}]}
    ok = {"module": "tf_keras.src.engine.functional", "class_name": "Functional", "registered_name": "Functional",
          "config": layers}
    assert check_config(ok, "f.keras") == ["Dense"]
    for module, name in (("tf_keras.src.engine.functional", "MyModel"), ("tf_keras.src.engine.training", "Model"),
                         ("my_package.models", "Functional"), ("tf_keras.src.engine.sequential", "Functional")):
        with pytest.raises(ModelFileError, match="custom object|subclassed"):
            check_config({**ok, "module": module, "class_name": name, "registered_name": name}, "f.keras")
