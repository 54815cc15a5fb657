"""Model files written by tf-keras 2.11 - 2.21 (``import tf_keras as keras``), opened in Keras 3.

What Keras 3.15 cannot read in them, and the studio must:

- the optimizer: tf-keras stores ``{"class_name": "Custom>Adam", "config": {...,
  "is_legacy_optimizer": false, "jit_compile": false}}``; Keras 3 knows no
  "Custom>Adam" and no such arguments. It is mapped onto Keras' own optimizer
  class of that name (never a class from the file), with the arguments Keras 3
  takes; an argument Keras 3 lacks is dropped only when it changes nothing.
- the optimizer state: ``optimizer_weights`` in an ``.h5`` names its variables
  ``Adam/m/dense/kernel:0`` where Keras 3 says ``..._dense_kernel_momentum``,
  and a ``.keras`` archive lists them without the learning-rate variable
  Keras 3 has; both are put back, shape by shape, or not at all.
- a ``.keras`` archive's layer configs (``batch_input_shape`` and other Keras 2
  arguments): it is read with Keras' own loader for Keras 2 configs, the one
  its ``.h5`` loader uses, in safe mode, after ``studio.training.safe_load``
  has checked every layer against the catalog.

State reports have the form of ``studio.training.h5_optimizer``:
``{"kept": True, "steps": N}`` or ``{"kept": False, "steps": 0, "reason": ...,
"note": ...}``.
"""

from __future__ import annotations

import inspect
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from studio.core import registries
from studio.core.errors import UserError

LEGACY_PREFIX = "Custom>"  # tf-keras' registered name for its own optimizers
# Arguments tf-keras 2.11+ writes that Keras 3 lacks and that do not change what training computes.
HARMLESS = {"is_legacy_optimizer", "jit_compile"}
# tf-keras' names for optimizer slots where Keras 3 uses other words.
SLOTS = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat"}
WEIGHTS_ENTRY = "model.weights.h5"
MAX_WEIGHTS_BYTES = 2 * 1024 ** 3  # unpacked weights of a .keras archive; far beyond any model the studio opens
MAX_RATIO = 200  # unpacked/packed; HDF5 weights barely compress, a zip bomb does


class TfKerasFileError(UserError):
    """A tf-keras file that cannot be opened; the message says why (one line)."""


def is_keras2_h5(attributes) -> bool:
    """True for the root attributes of an .h5 file written by Keras 2 (tf.keras or tf-keras)."""
    version = attributes.get("keras_version")
    version = version.decode("utf-8", "replace") if isinstance(version, bytes) else str(version or "")
    return version.startswith("2.")


def is_keras2_archive(archive: zipfile.ZipFile) -> bool:
    """True for a .keras archive written by tf-keras 2.x (its metadata.json says keras_version 2.*)."""
    try:
        info = archive.getinfo("metadata.json")
        if info.file_size > 1 << 20:
            return False
        metadata = json.loads(archive.read(info))
    except (KeyError, ValueError, zipfile.BadZipFile):
        return False
    return isinstance(metadata, dict) and str(metadata.get("keras_version", "")).startswith("2.")


def optimizer_from_config(config: dict):
    """A Keras 3 optimizer for a stored optimizer config, including tf-keras' "Custom>Adam" form."""
    keras = registries.keras()
    if isinstance(config, str):  # compile(optimizer="sgd") is kept as the string in a .keras archive
        config = {"class_name": config, "config": {}}
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise TfKerasFileError("the optimizer's configuration is malformed")
    class_name = config["class_name"]
    name = class_name[len(LEGACY_PREFIX):] if class_name.startswith(LEGACY_PREFIX) else class_name
    offered = {key.lower(): value for key, value in vars(keras.optimizers).items()
               if isinstance(value, type) and issubclass(value, keras.optimizers.Optimizer)
               and value is not keras.optimizers.Optimizer}
    cls = offered.get(name.lower())  # "sgd" as compile() took it, "SGD" as a config names it
    if cls is None:
        raise TfKerasFileError(f"the optimizer {class_name!r} is not one of Keras' own optimizers")
    accepted = set(inspect.signature(cls.__init__).parameters) - {"self", "kwargs"}
    arguments = {}
    for key, value in (config.get("config") or {}).items():
        if key in accepted:
            arguments[key] = value
        elif key not in HARMLESS and value not in (None, False, 0, 0.0):
            raise TfKerasFileError(f"the optimizer {name} has the setting {key}={value!r}, which Keras 3 "
                                   "does not offer")
    return cls.from_config(arguments)


def not_kept(reason: str) -> dict:
    return {"kept": False, "steps": 0, "reason": reason, "note": f"optimizer state not kept: {reason}"}


def _kept(optimizer) -> dict:
    return {"kept": True, "steps": int(np.asarray(optimizer.iterations))}


def _shape(variable) -> tuple:
    return tuple(int(d) for d in variable.shape)


def _assign(pairs, what: str) -> None:
    """Check every (variable, dataset) first, then assign them all: never half of a state."""
    for variable, dataset in pairs:
        if tuple(dataset.shape) != _shape(variable) or dataset.dtype.kind not in "fiub":
            raise TfKerasFileError(f"{what} {dataset.name!r} does not fit the model's {variable.path!r}")
    values = [np.asarray(dataset[()]) for _, dataset in pairs]
    if any(v.dtype.kind == "f" and not np.isfinite(v).all() for v in values):
        raise TfKerasFileError(f"{what} holds values that are not finite numbers")
    for (variable, _), value in zip(pairs, values):
        variable.assign(value.astype(variable.dtype))


def restore_h5_state(model, path: str | Path) -> dict | None:
    """Put a tf-keras 2.11+ .h5's ``optimizer_weights`` into ``model.optimizer`` (by name).

    Returns None when the file holds no optimizer state, else a state report.
    """
    import h5py

    optimizer = getattr(model, "optimizer", None)
    try:
        with h5py.File(path, "r") as f:
            group = f.get("optimizer_weights")
            if not isinstance(group, h5py.Group):
                return None
            if optimizer is None:
                return not_kept("the file names no optimizer to put it in")
            found = {}

            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    found[name] = obj
                    if len(found) > 100_000:
                        raise TfKerasFileError("the file's optimizer_weights hold more entries than any model has")

            group.visititems(visit)
            if "iteration:0" not in found:
                return not_kept("the file's optimizer_weights have no step count")
            by_slot = {}  # (Keras 3 slot, layer, weight) -> dataset
            for name, dataset in found.items():
                parts = name.split("/")
                if len(parts) == 4 and parts[3].endswith(":0"):
                    _, slot, layer, weight = parts
                    by_slot[(SLOTS.get(slot, slot), layer, weight[:-2])] = dataset
            if not optimizer.built:
                optimizer.build(model.trainable_variables)
            pairs = [(optimizer.iterations, found["iteration:0"])]
            slots = {}
            for variable in model.trainable_variables:
                prefix = variable.path.replace("/", "_") + "_"
                slots[prefix] = tuple(variable.path.split("/")[-2:])  # (layer, weight)
            for variable in optimizer.variables:
                if variable is optimizer.iterations or variable.name == "learning_rate":
                    continue
                match = [(p, lw) for p, lw in slots.items() if variable.name.startswith(p)]
                if len(match) != 1:
                    return not_kept(f"the model's optimizer variable {variable.name!r} has no counterpart in the file")
                prefix, (layer, weight) = match[0]
                dataset = by_slot.get((variable.name[len(prefix):], layer, weight))
                if dataset is None:
                    return not_kept(f"the file has no value for the model's optimizer variable {variable.name!r}")
                pairs.append((variable, dataset))
            _assign(pairs, "the file's optimizer variable")
    except TfKerasFileError as exc:
        return not_kept(str(exc))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        return not_kept(f"the file's optimizer_weights cannot be read ({type(exc).__name__}: {exc})")
    return _kept(optimizer)


def _legacy_config(value):
    """A .keras config as the .h5 format holds it: without the keys Keras 3 would read as its own layout."""
    if isinstance(value, dict):
        return {k: _legacy_config(v) for k, v in value.items()
                if k not in ("module", "registered_name", "build_config", "compile_config")}
    if isinstance(value, list):
        return [_legacy_config(v) for v in value]
    return value


def _metric_names(metrics):
    if isinstance(metrics, dict):
        return {k: _metric_names(v) for k, v in metrics.items()}
    if isinstance(metrics, list):
        return [m.get("config", {}).get("name") if isinstance(m, dict) else m for m in metrics]
    return metrics


def load_archive(path: str | Path):
    """Build, fill and compile the model in a tf-keras 2.x .keras archive; returns (model, state report)."""
    from keras.src.legacy.saving import saving_utils  # Keras' reader of Keras 2 configs (its .h5 path uses it)
    from keras.src.saving import serialization_lib

    import h5py

    path = Path(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        try:
            info = archive.getinfo(WEIGHTS_ENTRY)
        except KeyError:
            raise TfKerasFileError(f"the archive holds no weights ({WEIGHTS_ENTRY})") from None
        if info.file_size > MAX_WEIGHTS_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + (1 << 20):
            raise TfKerasFileError(f"its weights unpack to {info.file_size / 2 ** 20:.0f} MiB, far more "
                                   "than the archive's size allows; refused")
        with serialization_lib.SafeModeScope(True):
            model = saving_utils.model_from_config(_legacy_config(config))
        with tempfile.TemporaryDirectory(prefix="studio-tf-keras-") as folder:
            weights = Path(folder) / WEIGHTS_ENTRY
            with archive.open(info) as source, open(weights, "wb") as target:
                copied = 0
                while chunk := source.read(1 << 20):
                    copied += len(chunk)
                    if copied > info.file_size:  # the directory lied about the size
                        raise TfKerasFileError("the weights are larger than the archive says; refused")
                    target.write(chunk)
            model.load_weights(weights)
            compile_config = config.get("compile_config") or {}
            if not compile_config.get("optimizer"):
                return model, None
            model.compile(optimizer=optimizer_from_config(compile_config["optimizer"]),
                          **{k: v for k, v in (("loss", compile_config.get("loss")),
                                               ("loss_weights", compile_config.get("loss_weights")),
                                               ("metrics", _metric_names(compile_config.get("metrics"))))
                             if v is not None})
            with h5py.File(weights, "r") as f:
                return model, _restore_archive_state(model, f.get("optimizer/vars"))


def _restore_archive_state(model, group) -> dict | None:
    """tf-keras lists the optimizer's variables as vars/0 (step count), vars/1, ... in its own order."""
    import h5py

    if not isinstance(group, h5py.Group) or "0" not in group:
        return None
    optimizer = model.optimizer
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    slots = [v for v in optimizer.variables if v is not optimizer.iterations and v.name != "learning_rate"]
    count = len(group)
    if count > 100_000 or any(str(i) not in group for i in range(count)):
        return not_kept("the file's optimizer variables are not numbered 0, 1, ...")
    pairs = [(optimizer.iterations, group["0"])]
    if slots:  # plain SGD has none in Keras 3 (tf-keras keeps unused momentum slots)
        if len(slots) != count - 1:
            return not_kept(f"the file's optimizer has {count - 1} variables where the model's needs {len(slots)}")
        pairs += [(variable, group[str(i + 1)]) for i, variable in enumerate(slots)]
    try:
        _assign(pairs, "the file's optimizer variable")
    except TfKerasFileError as exc:
        return not_kept(str(exc))
    return _kept(optimizer)
