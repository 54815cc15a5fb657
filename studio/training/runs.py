"""Every training run is recorded beside its project so runs can be compared later.

``NAME.studio.json`` keeps its runs in ``NAME.runs/<run id>/``: the settings
snapshot (``run.json``: graph, data and training sections, reason, final
metrics), the per-epoch history (``history.json``) and the model (``model.h5``).

A run folder is written as a whole (``record_run``): the model and the record
are composed in a temporary folder beside it, which then takes its place in one
step, so a folder never holds one run's model with another's record, even when
the process is killed midway. When the folder cannot take them (a full disk, a
folder made read-only meanwhile), the trained model is kept in the temporary
folder of the system instead and the error says where.

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

from studio.core.files import (atomic_write_text, clean_stale, link_or_copy_tree, replace_folder, staging_folder,
                                temp_prefix)
from studio.core.project import SUFFIX, Project
from studio.resources import resource_dir
from studio.training.errors import OutputError, RunSaveError
from studio.training.run_records import read_record, run_order

MODEL_FILE = "model.h5"
RESCUE_PREFIX = "perceptron-studio-rescued-"


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


def use_scratch(folder: Path) -> None:
    """Record untitled runs in ``folder``: the training child writes into the window's scratch folder."""
    global _scratch
    with _scratch_lock:
        _scratch = Path(folder)


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
        # across disks a move is a copy: it is made under a temporary name, so a half-copied run never shows
        staged = target / f"{temp_prefix(destination.name)}{uuid.uuid4().hex[:8]}.tmp"
        shutil.move(str(run), str(staged))
        os.rename(staged, destination)
        moved.append(destination)
        if progress is not None:
            progress((i + 1) / len(runs))
    return moved


def new_run_dir(project: Project, root: Path | None = None) -> Path:
    """A fresh folder for one run (under ``root`` if given); OutputError, in one line, when none can be made.

    What runs killed midway left in the runs folder is removed first (``studio.core.files.clean_stale``).
    """
    base = root or runs_folder(project)
    clean_stale(base)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for i in range(1000):
        folder = base / (stamp if i == 0 else f"{stamp}-{i}")
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"{base}: cannot make a run folder there ({exc.strerror or exc})") from None
    raise OutputError(f"{base}: cannot make a run folder there (1000 runs started in the same second)")


def environment() -> dict:
    """The versions a run was made with, for reports and for reproducing it: where this process has not
    loaded Keras (the window), those of the training child that made the run (``registries.install``)."""
    import platform

    import numpy

    from studio import __version__
    from studio.core import registries
    return {"studio": __version__, "python": platform.python_version(), "platform": platform.platform(),
            **registries.versions(), "numpy": numpy.__version__, "devices": registries.known_devices() or ["CPU"]}


def record_run(run_dir: Path, project: Project, result, metrics: dict, results=None, extra: dict | None = None,
               model=None, model_metadata: dict | None = None) -> None:
    """Write the settings snapshot, history, final metrics (and confusion matrix) of a finished run, and
    ``model`` (with ``model_metadata``) as its model.h5, into ``run_dir`` as one step.

    Raises RunSaveError (one line) when they cannot be written there; ``model``
    is then kept in a folder of the system's temporary folder, which the
    message names (``rescued``), and ``run_dir`` is as it was.
    """
    run_dir = Path(run_dir)
    texts = _record_texts(project, result, metrics, results, extra)
    try:
        _write_whole(run_dir, texts, result.history, model, model_metadata)
    except Exception as exc:  # a full disk, a read-only folder, a file system that refuses: the model is kept
        raise _rescue(run_dir, exc, texts, model, model_metadata) from exc


def run_record(project: Project, result, metrics: dict, results=None, extra: dict | None = None) -> dict:
    """What ``run.json`` says of a finished run: the settings it trained with (graph, data and training
    sections), how it ended, its metrics and environment (and confusion matrix); ``extra`` adds to it
    or overrides it. The window's list of this session's runs holds the same record."""
    record = {
        "format": "perceptron-studio/run", "version": 1,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "project": str(project.path) if project.path else None,
        "reason": result.reason, "epochs": result.epochs_done,
        "error": str(result.error) if result.error else None,
        "metrics": metrics,
        "graph": project.graph.to_dict(), "data": dict(project.data), "training": dict(project.training),
        "environment": environment(),
        "kind": "training",
        **(extra or {}),
    }
    if results is not None and results.confusion is not None:
        record["class_names"] = list(results.class_names)
        record["confusion"] = results.confusion.tolist()
    return record


def _record_texts(project: Project, result, metrics: dict, results, extra: dict | None) -> dict[str, str]:
    """run.json and history.json as text."""
    record, found = finite(run_record(project, result, metrics, results, extra))
    history, in_history = finite(result.history)
    if found or in_history:
        record["non_finite"] = "NaN or infinite values (the loss diverged) are written as null"
    return {"run.json": json.dumps(record, indent=1, ensure_ascii=False, default=str, allow_nan=False),
            "history.json": json.dumps(history, indent=1, allow_nan=False)}


def _write_whole(run_dir: Path, texts: dict[str, str], history: dict, model, model_metadata) -> None:
    """Compose the run beside ``run_dir`` (what it holds already: logs, checkpoints) and swap it in.

    Where no folder can be made beside it (``--out`` at the top of a disk one
    may write to but not its parent), the files are written in place, the
    record last and the previous one removed first: the folder is then, for a
    moment, no run at all, but never a mix of two.
    """
    try:
        staged = staging_folder(run_dir) if _same_disk_as_parent(run_dir) else None
    except PermissionError:
        staged = None
    if staged is None:
        (run_dir / "run.json").unlink(missing_ok=True)
        _write_files(run_dir, texts, history, model, model_metadata)
        return
    try:
        if run_dir.is_dir():
            link_or_copy_tree(run_dir, staged)
        _write_files(staged, texts, history, model, model_metadata)
        replace_folder(staged, run_dir)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def _same_disk_as_parent(folder: Path) -> bool:
    try:
        return not folder.exists() or folder.stat().st_dev == folder.parent.stat().st_dev
    except OSError:
        return False


def _write_files(folder: Path, texts: dict[str, str], history: dict, model, model_metadata) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if model is not None:
        from studio.training.model_files import save_model
        save_model(model, folder / MODEL_FILE, model_metadata)
    atomic_write_text(folder / "history.json", texts["history.json"])
    if not (folder / "tensorboard").exists():  # the TensorBoard callback already wrote them
        write_tensorboard(folder / "tensorboard", history)
    atomic_write_text(folder / "run.json", texts["run.json"])  # last: a folder with a record is a whole run


def _rescue(run_dir: Path, error: BaseException, texts: dict[str, str], model, model_metadata) -> RunSaveError:
    """Keep ``model`` (and the record) in the system's temporary folder; the error that says where."""
    why = _why(error)
    if model is None:
        return RunSaveError(f"cannot write the run record in {run_dir} ({why})")
    from studio.training.model_files import save_model
    rescue = None
    try:
        rescue = Path(tempfile.mkdtemp(prefix=RESCUE_PREFIX))
        save_model(model, rescue / MODEL_FILE, model_metadata)
    except Exception as second:
        if rescue is not None:
            shutil.rmtree(rescue, ignore_errors=True)
        return RunSaveError(f"cannot save the trained model in {run_dir} ({why}), nor in "
                            f"{tempfile.gettempdir()} ({_why(second)}); nothing of it is on disk")
    for name, text in texts.items():
        try:
            atomic_write_text(rescue / name, text)
        except OSError:
            break  # the model is what matters
    return RunSaveError(f"cannot save the run in {run_dir} ({why}); the trained model is kept in "
                        f"{rescue / MODEL_FILE}", rescued=rescue / MODEL_FILE)


def _why(error: BaseException) -> str:
    """The reason of a failed write in a few words ("No space left on device")."""
    from studio.training.model_files import write_failure
    reason = getattr(error, "reason", None) or (write_failure(error) if isinstance(error, OSError) else None)
    lines = str(reason or error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


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
