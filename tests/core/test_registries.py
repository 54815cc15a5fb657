"""Keras counts as loaded only once its import has finished; a process that has not loaded it answers from a
snapshot of one that has."""

import importlib.machinery
import sys
import types

from studio.core import registries


def test_a_half_imported_keras_is_not_loaded(monkeypatch):
    half = types.ModuleType("keras")  # what another thread's import leaves in sys.modules meanwhile
    half.__spec__ = importlib.machinery.ModuleSpec("keras", None)
    half.__spec__._initializing = True
    monkeypatch.setitem(sys.modules, "keras", half)
    assert not registries.keras_loaded()
    assert registries.names("activations", load=False) is None  # validation waits instead of failing
    half.__spec__._initializing = False
    assert registries.keras_loaded()


def test_keras_loaded_after_import():
    registries.keras()
    assert registries.keras_loaded()
    assert "relu" in registries.names("activations", load=False)


INSTALLED = """
import json, sys
from studio.core import registries
from studio.training.runs import environment
from studio.training.settings import learning_rate_known
snapshot = json.loads(sys.stdin.read())
refused = [registries.install(bad) for bad in (None, [], {**snapshot, "activations": "relu"},
                                                {**snapshot, "learning_rates": {"SGD": "0.01"}},
                                                {**snapshot, "versions": {"keras": 3}})]
before = registries.names("activations", load=False)
installed = registries.install(snapshot)
print(json.dumps({"refused": refused, "before": before, "installed": installed,
                  "activations": registries.names("activations", load=False),
                  "regularizers": registries.names("regularizers"),
                  "sgd": learning_rate_known("SGD"), "adam": learning_rate_known("Adam"),
                  "devices": registries.known_devices(), "keras": environment()["keras"],
                  "loaded": [m for m in ("keras", "tensorflow") if m in sys.modules]}))
"""


def test_a_process_without_keras_answers_from_a_snapshot_of_one_that_has_it():
    """The window's case: its child's ``ready`` carries the snapshot; nothing in the window imports Keras."""
    import json
    import subprocess

    snapshot = registries.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot  # plain JSON, as the wire carries it
    done = subprocess.run([sys.executable, "-c", INSTALLED], input=json.dumps(snapshot), capture_output=True,
                          text=True, timeout=120, check=True)
    got = json.loads(done.stdout)
    assert got["refused"] == [False] * 5 and got["before"] is None and got["installed"]
    assert got["activations"] == list(registries.names("activations")) and "relu" in got["activations"]
    assert got["regularizers"] == list(registries.names("regularizers"))  # load=True does not load it either
    assert (got["sgd"], got["adam"]) == (0.01, 0.001)  # Keras' own defaults, as this process's Keras says
    assert got["devices"] == registries.devices() and got["keras"] == registries.keras().__version__
    assert got["loaded"] == []
