"""A model file made into a project: its graph, its training settings and its trained state.

``imported_project`` turns a loaded model (already checked by
``studio.training.safe_load``) into a Project whose ``training`` section holds
the file's optimizer (with its own arguments), loss or losses, metrics and loss
weights, so the window shows and trains exactly what the file was compiled
with. ``record_import`` writes the model as the project's first run and makes
it the current model: Continue then goes on from the file's weights and
optimizer state (its step count goes on from the file's).
"""

from __future__ import annotations

import inspect
import math
import time
from pathlib import Path

from studio.core import registries
from studio.core.project import Project
from studio.training.settings import OPTIMIZERS, canonical_loss

_SKIPPED = {"name", "learning_rate"}  # the name is Keras' own; the rate is always written


def imported_project(model, metadata: dict, graph, path: Path | None = None) -> tuple[Project, dict, list[str]]:
    """(project, metadata for continuing, notes) for ``model`` imported as ``graph``.

    A model the studio wrote carries its own settings in ``metadata``; any
    other file's compile configuration is translated. Notes say, in one line
    each, what could not be carried over.
    """
    notes: list[str] = []
    training = dict(metadata.get("training") or {})
    if not training:
        training, notes = training_from_model(model, graph.outputs)
    project = Project(graph, dict(metadata.get("data") or {}), training, path)
    continued = {**metadata, "graph": graph.to_dict(), "training": training}
    continued.setdefault("epoch", 0)
    return project, continued, notes


def training_from_model(model, outputs: list[str]) -> tuple[dict, list[str]]:
    """The project ``training`` section that compiles like ``model`` was compiled, and notes."""
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        return {}, ["the file holds no training settings (it was saved without compile); the studio's "
                    "defaults apply"]
    config = model.get_compile_config() or {}
    notes: list[str] = []
    training: dict = {}
    # the optimizer object itself: a .keras file's compile config can name another one
    optimizer = _optimizer(registries.keras().optimizers.serialize(model.optimizer), notes)
    if optimizer is not None:
        training["optimizer"] = optimizer
    loss = _per_output(config.get("loss"), outputs)
    if loss is not None:
        try:
            training["loss"] = {o: canonical_loss(v) for o, v in loss.items()} if isinstance(loss, dict) \
                else canonical_loss(loss)
        except ValueError as exc:
            notes.append(f"the file's loss is not one the studio can train with ({exc}); choose one")
    weights = _per_output(config.get("loss_weights"), outputs)
    if isinstance(weights, dict):
        training["loss_weights"] = {o: float(w) for o, w in weights.items() if isinstance(w, (int, float))}
    elif isinstance(weights, (int, float)) and len(outputs) == 1:
        training["loss_weights"] = {outputs[0]: float(weights)}
    metrics = _metrics(config.get("metrics"), outputs)
    if metrics:
        training["metrics"] = metrics
    return training, notes


def _optimizer(serialized, notes: list[str]) -> dict | None:
    if not isinstance(serialized, dict):
        return None
    name = serialized.get("class_name")
    if name not in OPTIMIZERS:
        notes.append(f"the file's optimizer {name!r} is not one the studio offers; Adam is used")
        return None
    config = serialized.get("config") or {}
    keras = registries.keras()
    defaults = {k: p.default for k, p in inspect.signature(getattr(keras.optimizers, name)).parameters.items()
                if p.default is not inspect.Parameter.empty}
    kept: dict = {}
    rate = config.get("learning_rate")
    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and math.isfinite(rate):
        kept["learning_rate"] = _float32_shortest(rate)
    elif isinstance(rate, dict):
        notes.append("the file's learning-rate schedule is not carried over; its current rate is used")
    for key, value in config.items():
        if key in _SKIPPED or key not in defaults or value == defaults[key]:
            continue
        if isinstance(value, bool) or value is None or isinstance(value, str):
            kept[key] = value
        elif isinstance(value, (int, float)):
            kept[key] = _float32_shortest(value) if isinstance(value, float) else value
    return {"class_name": name, "config": kept}


def _float32_shortest(value: float) -> float:
    """0.009999999776482582 (an optimizer's float32 0.01) -> 0.01."""
    for digits in range(1, 18):
        shortened = float(f"{value:.{digits}g}")
        if abs(shortened - value) <= abs(value) * 1e-7:
            return shortened
    return float(value)


def _per_output(value, outputs: list[str]):
    """Keras' list (in output order) or dict of per-output values -> {output: value}; one value as is."""
    if isinstance(value, (list, tuple)) and len(outputs) > 1 and len(value) == len(outputs):
        return dict(zip(outputs, value))
    if isinstance(value, dict) and len(outputs) > 1:
        return {o: value[o] for o in outputs if o in value}
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    return value


def _metrics(value, outputs: list[str]):
    def names(entries):
        found = []
        for entry in entries if isinstance(entries, (list, tuple)) else [entries]:
            if isinstance(entry, str):
                found.append(entry)
            elif isinstance(entry, dict):
                name = (entry.get("config") or {}).get("name") or entry.get("class_name")
                if isinstance(name, str):
                    found.append(name)
        return found
    if value is None:
        return None
    if len(outputs) > 1:
        if isinstance(value, dict):
            return {o: names(value.get(o, [])) for o in outputs}
        if isinstance(value, (list, tuple)) and len(value) == len(outputs) and all(
                isinstance(v, (list, tuple)) for v in value):
            return {o: names(v) for o, v in zip(outputs, value)}
    flat = value[0] if isinstance(value, (list, tuple)) and len(value) == 1 and isinstance(value[0], list) else value
    return names(flat)


def record_import(project: Project, model, metadata: dict, source: Path) -> Path:
    """Write the imported model as a run of ``project`` and make it the current model; returns the run."""
    import json

    from studio.core.files import atomic_write_text
    from studio.training.current_model import MODEL_FILE, set_current
    from studio.training.model_files import save_model
    from studio.training.runs import new_run_dir
    run = new_run_dir(project)
    save_model(model, run / MODEL_FILE, metadata)
    steps = int(model.optimizer.iterations.numpy()) if getattr(model, "optimizer", None) is not None else 0
    record = {"format": "perceptron-studio/run", "version": 1, "kind": "import",
              "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "source": str(source), "reason": "imported",
              "epochs": int(metadata.get("epoch") or 0), "optimizer_steps": steps, "metrics": {},
              "graph": metadata.get("graph"), "data": project.data, "training": project.training}
    atomic_write_text(run / "run.json", json.dumps(record, indent=1, ensure_ascii=False, default=str))
    atomic_write_text(run / "history.json", json.dumps(metadata.get("history") or {}, indent=1))
    set_current(run)
    return run
