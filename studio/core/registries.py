"""Names that Keras' own registries offer, read lazily.

The catalog never keeps a second list of activations, initializers or
regularizers: it asks Keras. Importing Keras loads TensorFlow (seconds), so
nothing here imports it until a caller asks with ``load=True``; callers on a
path that must stay fast (validation while the window starts) pass
``load=False`` and get ``None`` until Keras is loaded. The window never loads
it: its training child sends a ``snapshot`` of what the window lists, which the
window ``install``s.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import inspect
import os
import re
import sys
import tempfile
import threading

_PUBLIC_HELPERS = {"get", "serialize", "deserialize"}
_import_lock = threading.Lock()
_importing = threading.Event()


def keras_loaded() -> bool:
    """True once Keras has been imported, completely, by anyone in this process.

    While another thread is importing Keras, ``keras`` is already in
    ``sys.modules`` but half made: a caller on the GUI thread that read
    ``keras.activations`` then got "partially initialized module" errors.
    """
    module = sys.modules.get("keras")
    return module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", False)


# TensorFlow's C++ start-up notes go straight to file descriptor 2, before its
# log level applies; they are about the build, not about the user's work.
_STARTUP_NOISE = re.compile(
    r"cudart_stub|cuda_platform|cuda_executor|cuInit|absl::InitializeLog|cpu_feature_guard|"
    r"To enable the following instructions|oneDNN custom operations|rebuild TensorFlow|"
    r"TF_ENABLE_ONEDNN_OPTS|computation placer already registered|Unable to register cu")


@contextlib.contextmanager
def _filtered_stderr():
    """Capture fd 2 and write back whatever is not TensorFlow start-up noise."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().decode("utf-8", "replace").splitlines(True)
                    if not _STARTUP_NOISE.search(line)]
            if kept:
                sys.stderr.write("".join(kept))


@contextlib.contextmanager
def _no_collection():
    """No cyclic garbage collection while TensorFlow imports.

    When it is imported on a worker thread, a collection run meanwhile by the
    GUI thread met TensorFlow's half-made objects and segfaulted the process
    (seen in the test suite, one run in five). Collection is process-wide, so it
    is off for the import's few seconds and back on after it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    _importing.set()  # a GUI that collects on a timer (studio.ui.collection) waits too
    try:
        yield
    finally:
        _importing.clear()
        if was_enabled:
            gc.enable()


def importing() -> bool:
    """Whether TensorFlow is being imported right now (no garbage collection should run meanwhile)."""
    return _importing.is_set()


def keras():
    """Import and return Keras (loads TensorFlow on first call, quietly; other callers wait for it)."""
    if keras_loaded():
        return sys.modules["keras"]
    with _import_lock:
        if keras_loaded():
            return sys.modules["keras"]
        return _import_keras()


def _import_keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    with _filtered_stderr(), _no_collection():
        module = importlib.import_module("keras")
        if module.backend.backend() == "tensorflow":
            # Device discovery prints its CUDA notes now, inside the filter, not at the first step.
            importlib.import_module("tensorflow").config.list_physical_devices()
    try:  # Keras' "HDF5 is legacy" warning: the studio chose .h5 on purpose, for its users
        import absl.logging
        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:
        pass
    return module


def devices() -> list[str]:
    """The devices TensorFlow will train on, e.g. ['CPU'] or ['CPU', 'GPU:0']."""
    keras()
    import tensorflow as tf
    found = ["CPU"]
    found += [f"GPU:{i}" for i, _ in enumerate(tf.config.list_physical_devices("GPU"))]
    return found


@functools.cache
def _activation_names() -> tuple[str, ...]:
    module = keras().activations
    names = []
    for name in dir(module):
        if name.startswith("_") or name in _PUBLIC_HELPERS:
            continue
        fn = getattr(module, name)
        required = [
            p for p in inspect.signature(fn).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        # A layer activation is called with the tensor alone; aliases such as
        # swish -> silu serialize to their canonical name and are left out.
        if len(required) == 1 and module.serialize(module.get(name)) == name:
            names.append(name)
    return tuple(sorted(names))


def _constructible_names(module, base) -> dict[str, str]:
    """Map snake_case identifiers that ``module.get`` accepts to class names."""
    names = {}
    for name in dir(module):
        if not name.islower() or name.startswith("_") or name in _PUBLIC_HELPERS:
            continue
        try:
            obj = module.get(name)
        except Exception:  # needs arguments or an optional package (scipy)
            continue
        if isinstance(obj, base):
            names[name] = type(obj).__name__
    return names


@functools.cache
def _initializer_names() -> tuple[str, ...]:
    k = keras()
    return tuple(sorted(_constructible_names(k.initializers, k.initializers.Initializer)))


@functools.cache
def initializer_class_to_name() -> dict[str, str]:
    """Class name (``GlorotUniform``) -> identifier (``glorot_uniform``)."""
    k = keras()
    names = _constructible_names(k.initializers, k.initializers.Initializer)
    return {cls: name for name, cls in sorted(names.items())}


@functools.cache
def _regularizer_names() -> tuple[str, ...]:
    k = keras()
    base = k.regularizers.Regularizer
    return tuple(sorted(
        name for name in dir(k.regularizers)
        if isinstance(getattr(k.regularizers, name), type)
        and issubclass(getattr(k.regularizers, name), base)
        and getattr(k.regularizers, name) is not base
    ))


_REGISTRIES = {
    "activations": _activation_names,
    "initializers": _initializer_names,
    "regularizers": _regularizer_names,
}


def names(registry: str, load: bool = True) -> tuple[str, ...] | None:
    """The names a Keras registry offers, or None if Keras is not loaded yet (nor ``known`` from a process that
    has).

    Args:
        registry: ``"activations"``, ``"initializers"`` or ``"regularizers"``
            (regularizers are class names such as ``L2``).
        load: import Keras if it is not loaded yet.
    """
    if not keras_loaded() and registry in _KNOWN:
        return _KNOWN[registry]
    if not load and not keras_loaded():
        return None
    return _REGISTRIES[registry]()


# -- what a process that has not loaded Keras knows of it ----------------------------------------------
#
# The window never imports TensorFlow (it costs about 780 MB): its training child
# has, and tells it the registries' names, the default learning rates, the versions
# and the devices in its ``ready`` event (``snapshot``); the window ``install``s
# them, and the inspector's lists, validation and run records read them here.

_KNOWN: dict = {}


def snapshot() -> dict:
    """The registries' names, the optimizers' default learning rates and the devices, as plain JSON values
    (loads Keras)."""
    return {**{registry: list(names(registry)) for registry in _REGISTRIES}, "devices": devices(),
            "learning_rates": dict(_learning_rates()), "versions": versions()}


def install(known: dict) -> bool:
    """Answer ``names``, ``default_learning_rate``, ``versions`` and ``known_devices`` from a ``snapshot`` made
    in another process; False (nothing installed) where it is not one."""
    if not isinstance(known, dict):
        return False
    lists = {key: known.get(key) for key in (*_REGISTRIES, "devices")}
    if not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in lists.values()):
        return False
    rates = known.get("learning_rates")
    if not isinstance(rates, dict) or not all(isinstance(k, str) and type(v) is float for k, v in rates.items()):
        return False
    given = known.get("versions")
    if not isinstance(given, dict) or not all(isinstance(given.get(k), str) for k in ("tensorflow", "keras")):
        return False
    _KNOWN.update({key: tuple(value) for key, value in lists.items()})
    _KNOWN["learning_rates"] = dict(rates)
    _KNOWN["versions"] = {k: given[k] for k in ("tensorflow", "keras")}
    return True


def versions() -> dict[str, str]:
    """The TensorFlow and Keras versions training runs with: this process's, or (where it has not loaded them)
    those a ``snapshot`` said; "unknown" while neither is known (never loads Keras)."""
    if keras_loaded():
        return {"tensorflow": sys.modules["tensorflow"].__version__ if "tensorflow" in sys.modules else "none",
                "keras": sys.modules["keras"].__version__}
    return dict(_KNOWN.get("versions") or {"tensorflow": "unknown", "keras": "unknown"})


@functools.cache
def _learning_rates() -> dict[str, float]:
    from studio.core.schema import OPTIMIZERS
    optimizers = keras().optimizers
    return {name: float(inspect.signature(getattr(optimizers, name)).parameters["learning_rate"].default)
            for name in OPTIMIZERS}


def default_learning_rate(class_name: str, load: bool = True) -> float | None:
    """Keras' own default learning rate of an optimizer class (0.01 for SGD, 0.001 for Adam); None for a class
    the studio does not offer, or (``load=False``) while neither this process nor a ``snapshot`` knows it."""
    if not keras_loaded() and "learning_rates" in _KNOWN:
        return _KNOWN["learning_rates"].get(class_name)
    if not load and not keras_loaded():
        return None
    return _learning_rates().get(class_name)


def known_devices() -> list[str] | None:
    """The devices this process's Keras, or the one a ``snapshot`` came from, trains on; None while neither is
    known (never loads Keras)."""
    if keras_loaded():
        return devices()
    return list(_KNOWN["devices"]) if "devices" in _KNOWN else None
