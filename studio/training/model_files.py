"""Model files (.h5 and .keras) that resume training exactly and carry the studio's metadata.

Keras 3.15 is broken here and the studio must not be:

- its ``.h5`` save writes optimizer variables that the loaded optimizer cannot
  use (``fit()`` then fails with "Unknown variable"), so the studio removes that
  group and writes the optimizer's config and every variable, in order, into a
  ``studio_optimizer`` group it restores on load;
- saving to ``.h5`` pops the optimizer from the model's compile config in place,
  so a later ``.keras`` save of the same model silently loses it; the config is
  put back after every ``.h5`` save.

Both formats still load in plain ``keras.models.load_model``. Writes are
atomic (a temporary file renamed over the target). Untrusted files must go
through ``studio.training.safe_load`` first.

The studio's metadata keeps a SHA-256 checksum of the weights (and of the
optimizer's variables), computed from the model itself when it is saved: a bit
flipped on disk or in a copy that HDF5 and zip do not notice would otherwise
open as a model with silently different weights. ``load_model`` checks it and
warns, in one line naming the file, when it no longer matches; a file without
it (written by Keras itself, or by an earlier studio) opens as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import zipfile
from pathlib import Path

import numpy as np

from studio.core import registries
from studio.core.errors import UserError
from studio.core.files import atomic_write
from studio.training import tf_keras_files
from studio.training.h5_optimizer import with_optimizer_state

METADATA_FORMAT = "perceptron-studio/model"
METADATA_KEY = "studio_metadata"
OPTIMIZER_GROUP = "studio_optimizer"
KERAS_ZIP_ENTRY = "studio.json"
SUFFIXES = (".h5", ".keras")
CHECKSUM_KEY = "checksum"
_NOT_CARRIED = (CHECKSUM_KEY, "warnings")  # about one file: never copied into the next one saved


class _Stderr(logging.Handler):
    """The message alone, on the stderr of the moment (TensorFlow's logging prefixes the root logger's)."""

    def emit(self, record):
        try:
            print(self.format(record), file=sys.stderr, flush=True)
        except Exception:  # a closed stderr: the warning is still in the metadata
            pass


log = logging.getLogger("studio.model_files")
if not log.handlers:
    log.addHandler(_Stderr())
    log.propagate = False


class ModelFileError(UserError):
    """A model file that cannot be written or read; the message says why."""


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ModelFileError(f"{path}: model files end in .h5 or .keras, not {suffix or 'nothing'}")
    return suffix


def save_model(model, path: str | os.PathLike, metadata: dict | None = None) -> Path:
    """Save architecture, weights, optimizer state, compile settings and ``metadata`` (with the checksum)."""
    path = Path(path)
    suffix = _suffix(path)
    carried = {k: v for k, v in (metadata or {}).items() if k not in _NOT_CARRIED}
    meta = json.dumps({"format": METADATA_FORMAT, "version": 1, **carried, CHECKSUM_KEY: checksum(model)},
                      ensure_ascii=False)

    def write(temp: str) -> None:  # the temporary name ends in the suffix: Keras picks the format from it
        if suffix == ".h5":
            _save_h5(model, Path(temp), meta)
        else:
            model.save(temp)
            with zipfile.ZipFile(temp, "a") as archive:
                archive.writestr(KERAS_ZIP_ENTRY, meta)

    try:
        atomic_write(path, write, suffix=suffix)
    except OSError as exc:
        reason = write_failure(exc)
        error = ModelFileError(f"{path}: cannot save ({reason})")
        error.reason = reason  # for a caller that names another place
        raise error from None
    return path


def write_failure(error: OSError) -> str:
    """Why a write failed, in a few words: "No space left on device", also where HDF5 buries it in a
    paragraph ("... errno = 28, error message = 'No space left on device' ...")."""
    if isinstance(error.errno, int) and error.errno > 0:  # h5py's strerror is that paragraph
        return os.strerror(error.errno)
    found = re.search(r"errno = ([0-9]+)", str(error))
    if found:
        return os.strerror(int(found[1]))
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def checksum(model) -> dict:
    """SHA-256 of the model's weights and of its optimizer's variables (None before it has any)."""
    optimizer = getattr(model, "optimizer", None)
    built = optimizer is not None and getattr(optimizer, "built", False)
    return {"algorithm": "sha256", "weights": _digest(model.weights),
            "optimizer": _digest(optimizer.variables) if built else None}


def _digest(variables) -> str:
    digest = hashlib.sha256()
    for variable in variables:
        value = np.ascontiguousarray(np.asarray(variable))
        digest.update(f"{value.dtype.str}{value.shape};".encode("ascii"))
        digest.update(value.reshape(-1).view(np.uint8) if value.dtype.kind in "biufc" else value.tobytes())
    return digest.hexdigest()


def verify(path: Path, model, metadata: dict) -> str | None:
    """Check the loaded ``model`` against the checksum the studio saved; the warning when it does not match.

    The warning goes to the log (one line on stderr) and into ``metadata["warnings"]``.
    """
    expected = metadata.get(CHECKSUM_KEY)
    if not isinstance(expected, dict) or expected.get("algorithm") != "sha256":
        return None  # Keras' own file, or one from before checksums: nothing to compare with
    damaged = []
    if isinstance(expected.get("weights"), str) and _digest(model.weights) != expected["weights"]:
        damaged.append("weights")
    optimizer = getattr(model, "optimizer", None)
    if isinstance(expected.get("optimizer"), str) and optimizer is not None and getattr(optimizer, "built", False) \
            and _digest(optimizer.variables) != expected["optimizer"]:
        damaged.append("optimizer state")
    if not damaged:
        return None
    warning = (f"warning: {path}: the {' and '.join(damaged)} no longer match the checksum saved with them; "
               "the file is damaged and what it gives cannot be trusted")
    log.warning(warning)
    earlier = metadata.get("warnings")
    metadata["warnings"] = (earlier if isinstance(earlier, list) else []) + [warning]
    return warning


def _save_h5(model, path: Path, meta: str) -> None:
    import h5py

    keras = registries.keras()
    compile_config = getattr(model, "_compile_config", None)
    saved = dict(compile_config.config) if compile_config is not None else None
    try:
        model.save(path)
    finally:
        if saved is not None:  # Keras popped "optimizer" from it; put it back
            compile_config.config.clear()
            compile_config.config.update(saved)
    with h5py.File(path, "a") as f:
        if "optimizer_weights" in f:
            del f["optimizer_weights"]  # unusable by a loaded model in Keras 3.15
        f.attrs[METADATA_KEY] = meta
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and optimizer.built:
            group = f.create_group(OPTIMIZER_GROUP)
            group.attrs["config"] = json.dumps(keras.optimizers.serialize(optimizer), default=_json_default)
            for i, variable in enumerate(optimizer.variables):
                group.create_dataset(f"{i:05d}", data=np.asarray(variable))
            group.attrs["count"] = len(optimizer.variables)


def _tf_keras(path: Path, function, *args):
    """``function(*args)`` from studio.training.tf_keras_files, its refusals as ModelFileError."""
    try:
        return function(*args)
    except tf_keras_files.TfKerasFileError as exc:
        raise ModelFileError(f"{path}: {exc}") from None


def _metric_names(metrics):
    """Metrics as Keras 2 files store them ([[{"class_name": "MeanMetricWrapper", "config":
    {"name": "accuracy", ...}}]]) -> plain names Keras 3 can compile."""
    if metrics is None:
        return None
    if isinstance(metrics, dict):
        return {k: _metric_names(v) for k, v in metrics.items()}
    names = []
    for entry in metrics if isinstance(metrics, list) else [metrics]:
        if isinstance(entry, list):
            names += _metric_names(entry)
        elif isinstance(entry, dict):
            names.append(entry.get("config", {}).get("name") or entry.get("class_name"))
        else:
            names.append(entry)
    return names


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def read_metadata(path: str | os.PathLike) -> dict:
    """The studio's metadata in a model file, or {} if it has none."""
    path = Path(path)
    try:
        if _suffix(path) == ".h5":
            import h5py
            with h5py.File(path, "r") as f:
                raw = f.attrs.get(METADATA_KEY)
        else:
            with zipfile.ZipFile(path) as archive:
                raw = archive.read(KERAS_ZIP_ENTRY) if KERAS_ZIP_ENTRY in archive.namelist() else None
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise ModelFileError(f"{path}: cannot read ({exc})") from None
    if raw is None:
        return {}
    try:
        metadata = json.loads(raw if isinstance(raw, str) else raw.decode("utf-8"))
    except (ValueError, AttributeError) as exc:  # UnicodeDecodeError is a ValueError
        raise ModelFileError(f"{path}: the studio's metadata in the file is damaged ({exc})") from None
    if not isinstance(metadata, dict):
        raise ModelFileError(f"{path}: the studio's metadata in the file is damaged (not an object)")
    return metadata


def load_model(path: str | os.PathLike):
    """Load a model file written by the studio or by Keras; returns (model, metadata).

    Only for files already checked by ``studio.training.safe_load``. A studio
    ``.h5`` gets its optimizer back with every variable, so ``fit`` resumes
    exactly; a foreign ``.h5`` gets a fresh optimizer from its training config.
    A studio file whose weights no longer match their checksum is loaded, with
    a warning (see ``verify``).
    """
    path = Path(path)
    model, metadata = _load(path)
    verify(path, model, metadata)
    return model, metadata


def _load(path: Path):
    keras = registries.keras()
    metadata = read_metadata(path)
    if _suffix(path) == ".keras":
        try:
            with zipfile.ZipFile(path) as archive:
                written_by_keras2 = tf_keras_files.is_keras2_archive(archive)
        except (OSError, zipfile.BadZipFile) as exc:
            raise ModelFileError(f"{path}: not a readable .keras archive ({exc})") from None
        if not written_by_keras2:
            return keras.models.load_model(path, safe_mode=True), metadata
        model, state = _tf_keras(path, tf_keras_files.load_archive, path)
        return model, {**metadata, "optimizer_state": state} if state else metadata
    import h5py

    model = keras.models.load_model(path, compile=False, safe_mode=True)
    with h5py.File(path, "r") as f:
        training = f.attrs.get("training_config")
        written_by_keras2 = tf_keras_files.is_keras2_h5(f.attrs)
        group = f.get(OPTIMIZER_GROUP)
        optimizer_config = json.loads(group.attrs["config"]) if group is not None else None
        values = [group[f"{i:05d}"][()] for i in range(int(group.attrs["count"]))] if group is not None else []
    compile_args = {}
    if training is not None:
        config = json.loads(training)
        compile_args = {k: config.get(k) for k in ("loss", "loss_weights")}
        compile_args["metrics"] = _metric_names(config.get("metrics"))
        optimizer_config = optimizer_config or config.get("optimizer_config")
    if optimizer_config is None and not compile_args:
        return model, with_optimizer_state(model, path, metadata)
    if not optimizer_config:
        optimizer = "rmsprop"
    elif written_by_keras2:  # "Custom>Adam" and arguments Keras 3 lacks
        optimizer = _tf_keras(path, tf_keras_files.optimizer_from_config, optimizer_config)
    else:
        optimizer = keras.optimizers.deserialize(optimizer_config)
    model.compile(optimizer=optimizer, steps_per_execution=metadata.get("steps_per_execution", 1),
                  **{k: v for k, v in compile_args.items() if v is not None})
    if values:
        model.optimizer.build(model.trainable_variables)
        if len(values) != len(model.optimizer.variables):
            raise ModelFileError(f"{path}: the optimizer state holds {len(values)} variables but the model "
                                 f"needs {len(model.optimizer.variables)}; the file is damaged")
        for variable, value in zip(model.optimizer.variables, values):
            variable.assign(value)
    elif written_by_keras2:  # tf-keras names its optimizer variables its own way
        state = tf_keras_files.restore_h5_state(model, path)
        if state is not None:
            metadata["optimizer_state"] = state
    else:  # a file Keras wrote: its own optimizer_weights, which Keras' loader drops
        with_optimizer_state(model, path, metadata)
    return model, metadata
