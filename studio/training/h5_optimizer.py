"""The optimizer state in a plain Keras ``.h5`` file, which Keras 3.15 itself cannot put back.

Keras writes an ``optimizer_weights`` group (for Adam: ``adam/iteration``,
``adam/learning_rate``, ``adam/<model>_<layer>_kernel_momentum``, ... and a
``weight_names`` attribute listing them in the optimizer's order), but its own
loader drops them, so an imported model would restart at step 0. Here the
loaded model's optimizer is built, and each of its variables takes the file's
value with the same name (or, when the names differ, the one at the same place
in ``weight_names``) if the shapes agree. Nothing is read before its shape is
known to fit a variable of the model, so a hostile file cannot make the studio
allocate more than the model itself needs. Whatever cannot be matched is not
half-applied: the optimizer keeps its fresh state and the caller is told why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

GROUP = "optimizer_weights"
MAX_ENTRIES = 100_000  # more names than any model the studio opens has variables


class StateNotKept(Exception):
    """The file's optimizer state cannot be used; the message says why (one line)."""


def restore_optimizer_state(model, path: str | Path) -> dict | None:
    """Put the file's optimizer state into ``model.optimizer``.

    Returns None when the file holds no optimizer state, else
    ``{"kept": True, "steps": N}`` or ``{"kept": False, "steps": 0, "reason": ...,
    "note": "optimizer state not kept: ..."}``. Never raises for a bad file.
    """
    import h5py

    try:
        with h5py.File(path, "r") as f:
            group = f.get(GROUP)
            if not isinstance(group, h5py.Group):
                return None
            _apply(model, group)
    except StateNotKept as exc:
        return not_kept(str(exc))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        return not_kept(f"the file's optimizer_weights cannot be read ({type(exc).__name__}: {exc})")
    return {"kept": True, "steps": int(np.asarray(model.optimizer.iterations))}


def not_kept(reason: str) -> dict:
    return {"kept": False, "steps": 0, "reason": reason, "note": f"optimizer state not kept: {reason}"}


def _entries(group) -> tuple[list[tuple[str, object]], bool]:
    """[(name, dataset)] in the optimizer's order when the file gives one (then True), else by name."""
    import h5py

    names = None
    if "weight_names" in group.attrs:
        attribute = group.attrs.get_id("weight_names")
        if attribute.shape is None or len(attribute.shape) != 1 or attribute.shape[0] > MAX_ENTRIES:
            raise StateNotKept("the file's list of optimizer variables is malformed")
        names = [n.decode("utf-8") if isinstance(n, bytes) else str(n) for n in group.attrs["weight_names"]]
    found: list[tuple[str, object]] = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            found.append((name, obj))
            if len(found) > MAX_ENTRIES:
                raise StateNotKept("the file's optimizer_weights hold more entries than any model has")

    group.visititems(visit)
    if names is None:
        return found, False
    by_name = dict(found)
    missing = [n for n in names if n not in by_name]
    if missing:
        raise StateNotKept(f"the file lists optimizer variable {missing[0]!r} but does not hold it")
    return [(n, by_name[n]) for n in names], True


def _key(name: str) -> str:
    """'adam/sequential_h_kernel_momentum' -> 'sequential_h_kernel_momentum' (the optimizer's own name
    differs between a saved and a loaded model); ':0' suffixes (tf-keras) dropped."""
    name = name.split(":")[0]
    return name.split("/", 1)[1] if "/" in name else name


def _apply(model, group) -> None:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise StateNotKept("the file names no optimizer to put it in (it has no training configuration)")
    entries, ordered = _entries(group)
    if not entries:
        raise StateNotKept("the file's optimizer_weights group is empty")
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    targets = list(optimizer.variables)
    pairs = _match_by_name(targets, entries)
    if pairs is None:
        if not ordered:  # names alone in the file's (alphabetical) order: a moment could land on a velocity
            raise StateNotKept("the names of the file's optimizer variables do not match the model's")
        pairs = _match_by_order(targets, entries)
    for variable, dataset in pairs:
        if dataset.dtype.kind not in "fiub":
            raise StateNotKept(f"{dataset.name} holds {dataset.dtype}, not numbers")
    values = [np.asarray(dataset[()]) for _, dataset in pairs]  # shapes checked: no more than the model's size
    for value in values:
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            raise StateNotKept("the file's optimizer state holds values that are not finite numbers")
    for (variable, _), value in zip(pairs, values):
        variable.assign(value.astype(variable.dtype))


def _shape(variable) -> tuple:
    return tuple(int(d) for d in variable.shape)


def _match_by_name(targets, entries):
    """Every variable of the model's optimizer with the file's entry of the same name and shape, or None."""
    by_key = {}
    for name, dataset in entries:
        by_key.setdefault(_key(name), dataset)
    pairs = []
    for variable in targets:
        dataset = by_key.get(_key(variable.path))
        if dataset is None or tuple(dataset.shape) != _shape(variable):
            return None
        pairs.append((variable, dataset))
    return pairs if len(pairs) == len(by_key) else None


def _match_by_order(targets, entries):
    """The file's entries in order onto the model's optimizer variables, when count and every shape agree."""
    if len(entries) != len(targets):
        raise StateNotKept(f"the file's optimizer has {len(entries)} variables where the model's needs "
                           f"{len(targets)}, and their names do not match")
    for variable, (name, dataset) in zip(targets, entries):
        if tuple(dataset.shape) != _shape(variable):
            raise StateNotKept(f"the file's {name!r} has shape {tuple(dataset.shape)} where the model's "
                               f"{variable.path!r} has {_shape(variable)}")
    return [(variable, dataset) for variable, (_, dataset) in zip(targets, entries)]


def with_optimizer_state(model, path: str | Path, metadata: dict) -> dict:
    """``metadata`` with ``"optimizer_state"`` set from ``restore_optimizer_state`` when the file has any."""
    state = restore_optimizer_state(model, path)
    if state is not None:
        metadata["optimizer_state"] = state
    return metadata
