"""Every training run is recorded beside its project so runs can be compared later.

``NAME.studio.json`` keeps its runs in ``NAME.runs/<run id>/``: the settings
snapshot (``run.json``: graph, data and training sections, reason, final
metrics), the per-epoch history (``history.json``) and the model (``model.h5``).

A project without a file of its own (untitled, or a bundled example) records
its runs in a scratch folder of this process (``scratch_folder()``); Save As
moves them beside the saved file (``adopt_scratch_runs``), and File > New or
Open starts a fresh scratch folder (``reset_scratch``), so runs are never lost
and never shown with another project.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

from studio.core.files import atomic_write_text
from studio.core.project import SUFFIX, Project
from studio.resources import resource_dir
from studio.training.run_records import read_record, run_order


_scratch_lock = threading.Lock()
_scratch: Path | None = None   # the current untitled project's runs; made on first use
_old_scratch: list[Path] = []  # earlier ones, removed when the application quits (a job may still write there)


def scratch_folder() -> Path:
    """The runs folder of the project that has no file yet (one per process and per New/Open)."""
    global _scratch
    with _scratch_lock:
        if _scratch is None:
            # only named here: new_run_dir makes it when the first run is recorded
            _scratch = Path(tempfile.gettempdir()) / f"perceptron-studio-{os.getpid()}-{uuid.uuid4().hex[:8]}" \
                / "untitled.runs"
        return _scratch


def reset_scratch() -> None:
    """Start a fresh scratch folder (a new or opened project); the old one is removed at quit."""
    global _scratch
    with _scratch_lock:
        if _scratch is not None:
            _old_scratch.append(_scratch.parent)
        _scratch = None


def remove_scratch_folders() -> None:
    """Delete every scratch folder of this process (the application quits)."""
    global _scratch
    with _scratch_lock:
        folders = _old_scratch + ([_scratch.parent] if _scratch is not None else [])
        _old_scratch.clear()
        _scratch = None
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def has_own_file(project: Project) -> bool:
    """Whether runs go beside the project's file (not for an unsaved project or a bundled example)."""
    return project.path is not None and not project.path.resolve().is_relative_to(resource_dir().resolve())


def saved_runs_folder(path: Path) -> Path:
    """``NAME.runs`` beside ``NAME.studio.json``."""
    name = path.name
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else path.stem
    return path.parent / f"{stem}.runs"


def runs_folder(project: Project) -> Path:
    """Where a project's runs go: beside its file, or the scratch folder until it is saved."""
    return saved_runs_folder(project.path) if has_own_file(project) else scratch_folder()


def adopt_scratch_runs(project: Project, progress: Callable[[float], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Move the scratch folder's runs beside the project's (just saved) file; returns the moved folders.

    Runs whose name is taken there get a suffix; each run is moved whole, so a
    run is either in the scratch folder or beside the project, never half.
    The scratch folder stays this project's until the next New or Open.
    """
    if not has_own_file(project):
        return []
    with _scratch_lock:
        source = _scratch
    if source is None or not source.is_dir():
        return []
    target = saved_runs_folder(project.path)
    runs = sorted((p for p in source.iterdir() if (p / "run.json").is_file()), key=run_order)  # a run still training stays
    moved = []
    for i, run in enumerate(runs):
        if cancelled is not None and cancelled():
            break
        target.mkdir(parents=True, exist_ok=True)
        destination = target / run.name
        n = 1
        while destination.exists():
            destination = target / f"{run.name}-{n}"
            n += 1
        shutil.move(str(run), str(destination))
        moved.append(destination)
        if progress is not None:
            progress((i + 1) / len(runs))
    return moved


def new_run_dir(project: Project, root: Path | None = None) -> Path:
    """A fresh folder for one run (under ``root`` if given)."""
    base = root or runs_folder(project)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for i in range(1000):
        folder = base / (stamp if i == 0 else f"{stamp}-{i}")
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
    raise OSError(f"cannot create a run folder in {base}")


def environment() -> dict:
    """The versions a run was made with, for reports and for reproducing it."""
    import platform

    import numpy

    from studio import __version__
    from studio.core import registries
    keras = registries.keras()
    import tensorflow
    return {"studio": __version__, "python": platform.python_version(), "platform": platform.platform(),
            "tensorflow": tensorflow.__version__, "keras": keras.__version__, "numpy": numpy.__version__,
            "devices": registries.devices()}


def record_run(run_dir: Path, project: Project, result, metrics: dict, results=None, extra: dict | None = None) -> None:
    """Write the settings snapshot, history, final metrics (and confusion matrix) of a finished run."""
    record = {
        "format": "perceptron-studio/run", "version": 1,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "project": str(project.path) if project.path else None,
        "reason": result.reason, "epochs": result.epochs_done,
        "error": str(result.error) if result.error else None,
        "metrics": metrics,
        "graph": project.graph.to_dict(), "data": project.data, "training": project.training,
        "environment": environment(),
        "kind": "training",
        **(extra or {}),
    }
    if results is not None and results.confusion is not None:
        record["class_names"] = list(results.class_names)
        record["confusion"] = results.confusion.tolist()
    record, found = finite(record)
    history, in_history = finite(result.history)
    if found or in_history:
        record["non_finite"] = "NaN or infinite values (the loss diverged) are written as null"
    atomic_write_text(run_dir / "run.json", json.dumps(record, indent=1, ensure_ascii=False, default=str,
                                                        allow_nan=False))
    atomic_write_text(run_dir / "history.json", json.dumps(history, indent=1, allow_nan=False))
    if not (run_dir / "tensorboard").exists():  # the TensorBoard callback already wrote them
        write_tensorboard(run_dir / "tensorboard", result.history)


def discard_unrecorded(run_dir: Path | None) -> None:
    """Remove a run folder whose run never got recorded (training failed or was interrupted): no empty runs."""
    if run_dir is not None and Path(run_dir).is_dir() and not (Path(run_dir) / "run.json").exists():
        shutil.rmtree(run_dir, ignore_errors=True)


def finite(value):
    """``value`` with every NaN and infinity (which JSON has no words for) as None; and whether there were any."""
    found = []

    def clean(item):
        if isinstance(item, float) and not math.isfinite(item):
            found.append(item)
            return None
        if isinstance(item, dict):
            return {k: clean(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [clean(v) for v in item]
        return item
    return clean(value), bool(found)


def write_tensorboard(folder: Path, history: dict, step_name: str = "epoch") -> None:
    """Per-epoch scalars as TensorBoard event files, laid out as Keras' TensorBoard callback does.

    ``train/`` gets ``epoch_loss``, ``epoch_accuracy``, ...; ``validation/`` the
    ``val_`` values under the same names, so TensorBoard draws them together.
    """
    from studio.core import registries
    registries.keras()
    import tensorflow as tf
    for split, prefix in (("train", ""), ("validation", "val_")):
        series = {k[len(prefix):]: v for k, v in history.items()
                  if (k.startswith("val_") if prefix else not k.startswith("val_"))}
        if not series:
            continue
        writer = tf.summary.create_file_writer(str(folder / split))
        with writer.as_default():
            for name, values in series.items():
                for step, value in enumerate(values):
                    tf.summary.scalar(f"{step_name}_{name}", float(value), step=step)
        writer.close()


def delete_run(project: Project, run_dir: str | Path) -> None:
    """Remove one recorded run; refuses anything that is not a run folder of this project."""
    folder = runs_folder(project)
    run_dir = Path(run_dir).resolve()
    if run_dir.parent != folder.resolve() or not (run_dir / "run.json").is_file():
        raise OSError(f"{run_dir} is not a run of this project; nothing was deleted")
    shutil.rmtree(run_dir)


def run_metrics(final: dict, test: dict) -> dict:
    """The metrics a run record keeps: last epoch's training and validation values, and the test split's."""
    return {"train": {k: v for k, v in final.items() if not k.startswith("val_")},
            "validation": {k[4:]: v for k, v in final.items() if k.startswith("val_")},
            "test": test}


def list_runs(project: Project) -> list[dict]:
    """Recorded runs, oldest first, each with its folder under "dir"."""
    folder = runs_folder(project)
    runs = []
    if not folder.is_dir():
        return runs
    for run in sorted((p for p in folder.iterdir() if (p / "run.json").is_file()), key=run_order):
        record = read_record(run)
        if record is None:
            continue  # a damaged record is skipped, never fatal
        record["dir"] = str(run)
        runs.append(record)
    return runs
