"""The project's current trained model: which run holds it, and a job that goes on from it.

A project's runs folder (``NAME.runs/`` beside ``NAME.studio.json``, or the
untitled project's scratch folder) holds one folder per run, each with its
``model.h5`` (weights, optimizer state, epoch count and history). The file
``current.json`` in that folder names the run whose model is the project's
current one: Train and Continue set it when they record a run, Import
records the imported file as a run and sets it, Reset weights clears it.
Reopening the project, in the window or with ``studio train --continue``,
goes on from that model exactly.

The pointer lives beside the runs, not in the project file, so that training
never rewrites the user's project. It comes from a file, so it is checked: one
plain folder name inside the runs folder, never a path.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from studio.core.errors import UserError
from studio.core.files import atomic_write_text
from studio.core.graph import same_model
from studio.core.project import Project
from studio.training.engine import TrainingJob
from studio.training.runs import MODEL_FILE, runs_folder

POINTER = "current.json"
POINTER_FORMAT = "perceptron-studio/current-model"
_RUN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class CurrentModelError(UserError):
    """The current model cannot be used; the message says why, in one line."""


def current_run(project: Project, folder: Path | None = None) -> Path | None:
    """The run folder that holds the project's current model, or None (never trained, or reset)."""
    folder = folder or runs_folder(project)
    pointer = folder / POINTER
    try:
        record = json.loads(pointer.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # none yet, or damaged: the project simply has no current model
    name = record.get("run") if isinstance(record, dict) else None
    if not isinstance(name, str) or not _RUN_NAME.fullmatch(name) or ".." in name:
        return None
    run = folder / name
    if run.resolve().parent != folder.resolve() or not (run / MODEL_FILE).is_file():
        return None
    return run


def model_file(project: Project) -> Path | None:
    """The current model's file, or None."""
    run = current_run(project)
    return run / MODEL_FILE if run is not None else None


def set_current(run_dir: Path) -> None:
    """Make ``run_dir``'s model the current one of the project whose runs folder holds it."""
    run_dir = Path(run_dir)
    if not (run_dir / MODEL_FILE).is_file():
        raise CurrentModelError(f"{run_dir}: the run has no {MODEL_FILE}")
    _write(run_dir.parent, run_dir.name)


def clear_current(project: Project) -> None:
    """Reset weights: the next Continue has nothing to go on from (the runs themselves stay)."""
    folder = runs_folder(project)
    if folder.is_dir():
        _write(folder, None)


def _write(folder: Path, name: str | None) -> None:
    atomic_write_text(folder / POINTER, json.dumps({"format": POINTER_FORMAT, "version": 1, "run": name}) + "\n")


def carry_current(source_folder: Path, project: Project) -> Path | None:
    """Save As to a new name: the current model's run is copied into the new project's runs folder.

    Returns the copy (now current there), or None when the source had no current model.
    """
    source = current_run(project, source_folder)
    if source is None:
        return None
    target_folder = runs_folder(project)
    target_folder.mkdir(parents=True, exist_ok=True)
    target = target_folder / source.name
    if target.resolve() != source.resolve():
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)
    set_current(target)
    return target


def renamed(folder: Path, moved: dict[str, str]) -> None:
    """Runs moved into ``folder`` under other names (``{old: new}``): the pointer follows its run."""
    pointer = folder / POINTER
    try:
        name = json.loads(pointer.read_text(encoding="utf-8")).get("run")
    except (OSError, ValueError, AttributeError):
        return
    if name in moved:
        _write(folder, moved[name])


# -- going on from it ----------------------------------------------------------------------

def resume(project: Project, reporter=None):
    """A job that goes on from the project's current model, or None when it has none.

    Nothing is loaded yet: the job's ``prepare()`` (on the training thread in
    the window) checks and trial-loads the file in the loader child first, as
    for any file from elsewhere (a project and its runs may be someone else's).
    """
    path = model_file(project)
    if path is None:
        return None
    return ContinuedJob(project, path=path, reporter=reporter)


def continue_from(project: Project, model, metadata: dict, reporter=None):
    """A job on ``project`` that goes on from ``model`` (an imported one, or the last job's)."""
    return ContinuedJob(project, model=model, metadata=metadata, reporter=reporter)


class ContinuedJob(TrainingJob):
    """Trains on from a trained model.

    When the project's model is the one trained, the job continues it
    exactly: same weights, optimizer state, epoch count and history, trained
    on with the project's settings, which win over those the model was saved
    with (a changed learning rate is given to its optimizer; a changed
    optimizer starts afresh and ``optimizer_changes`` says why; see
    ``TrainingJob.continue_with``). When the graph was edited since, the job
    trains the edited model afresh except for the layers whose weights still
    fit, which keep them; after ``prepare()``, ``kept`` and ``reset`` name
    those layers (both None for an exact continuation). ``source_run`` is the
    run folder it went on from, if any.
    """

    def __init__(self, project: Project, model=None, metadata: dict | None = None, path: Path | None = None,
                 reporter=None):
        # the caller's project stays as it is (the model's own graph may replace this one's)
        project = project.copy()
        super().__init__(project, reporter)
        self._source = (model, metadata or {}) if model is not None else None
        self._path = path
        self.source_run = path.parent if path is not None else None
        self.kept = self.reset = None

    def continue_with(self, project) -> bool:
        self.kept = self.reset = None  # what an edit cost was said for the run that followed it
        return super().continue_with(project)

    def prepare(self) -> None:
        if self._prepared or self.model is not None:  # going on again (continue_with): the model is loaded
            return super().prepare()
        from studio.core.graph import Graph, GraphError
        from studio.data.errors import DataError
        from studio.training.data_source import load_training_data
        from studio.training.engine import TrainingError
        from studio.training.model_files import ModelFileError
        from studio.training.safe_load import open_untrusted
        if self._source is None and self._path is not None:
            try:
                self._source = open_untrusted(self._path)
            except ModelFileError as exc:
                raise TrainingError(f"the trained model cannot be loaded: {exc}") from None
        if self._source is None:
            return super().prepare()
        model, metadata = self._source
        self._source = None
        if same_model(self.project.graph.to_dict(), metadata.get("graph")):
            try:
                self.project.graph = Graph.from_dict(metadata["graph"])  # the model's own, with its input scaling
                # the model keeps the scaling it was trained with: nothing new goes into the graph
                self.data = load_training_data(self.project)
            except (GraphError, DataError) as exc:
                raise TrainingError(str(exc)) from None
            self.adopt(model, metadata)
            super().prepare()
        else:
            super().prepare()
            self.kept, self.reset = self.carry_weights(model)
