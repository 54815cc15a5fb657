"""Keras counts as loaded only once its import has finished (the loader thread imports it)."""

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
