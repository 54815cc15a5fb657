"""Which trained model a user means: a model file, a run folder, or a project's current model.

``trained_model(path)`` takes what the user names and gives the model, the
metadata saved with it (graph, data section, preprocessing, class names) and,
where one is known, the project it was trained for. A model file is always
opened through ``studio.training.safe_load.open_untrusted``: a project and its
runs may be someone else's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.project import SUFFIX, Project, ProjectError, load_project
from studio.training.model_files import ModelFileError
from studio.training.run_records import read_record
from studio.training.runs import MODEL_FILE

MODEL_SUFFIXES = (".h5", ".keras")


class NoTrainedModel(ModelFileError):
    """What the user named holds no trained model that can be used; the message names the file, in one line."""


@dataclass
class TrainedModel:
    """A loaded model, the metadata saved with it, and its project when known.

    Attributes:
        model: the Keras model.
        metadata: what the studio saved with it (``{}`` for a model from elsewhere).
        path: the model file.
        project: the project it was trained for, or None (a lone model file).
    """

    model: Any
    metadata: dict
    path: Path
    project: Project | None = None

    @property
    def preprocessing(self) -> dict:
        value = self.metadata.get("preprocessing")
        return value if isinstance(value, dict) else {}

    @property
    def class_names(self) -> list[str]:
        """The class names in the order of the model's output units (empty for regression)."""
        names = self.preprocessing.get("class_names") or self.metadata.get("class_names") or []
        return [str(n) for n in names] if isinstance(names, list) else []

    @property
    def task(self) -> str | None:
        return self.preprocessing.get("task")


def trained_model(path: str | Path) -> TrainedModel:
    """The trained model ``path`` names: a ``.h5``/``.keras`` file, a run folder or a ``*.studio.json`` project.

    Raises:
        NoTrainedModel: nothing there, or no trained model in it (a project never trained, a run without
            its model file).
        ModelFileError: the model file cannot be loaded (or is refused as unsafe).
        ProjectError: the project file cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise NoTrainedModel(f"{path}: no such file or folder")
    if path.name.endswith(SUFFIX):
        project = load_project(path)
        from studio.training.current_model import model_file
        found = model_file(project)
        if found is None:
            raise NoTrainedModel(f"{path}: the project has no trained model yet; train it first")
        return _open(found, project)
    if path.is_dir():
        found = path / MODEL_FILE
        if not found.is_file():
            raise NoTrainedModel(f"{path}: the folder holds no {MODEL_FILE} (is it a run folder?)")
        return _open(found, run_project(path))
    if path.suffix.lower() in MODEL_SUFFIXES:
        in_run = (path.parent / "run.json").is_file() or path.parent.parent.name.endswith(".runs")
        return _open(path, run_project(path.parent) if in_run else None)
    raise NoTrainedModel(f"{path}: not a model file (.h5 or .keras), a run folder or a project ({SUFFIX})")


def _open(path: Path, project: Project | None) -> TrainedModel:
    from studio.training.safe_load import open_untrusted
    model, metadata = open_untrusted(path)
    return TrainedModel(model, metadata if isinstance(metadata, dict) else {}, path, project)


def run_project(run_dir: Path) -> Project | None:
    """The project a run folder belongs to: ``NAME.studio.json`` beside the ``NAME.runs``
    folder that holds it, else the one its ``run.json`` names (where it was when the run was made); None when
    neither is there or readable."""
    run_dir = Path(run_dir)
    candidates = []
    runs = run_dir.parent
    if runs.name.endswith(".runs"):
        candidates.append(runs.parent / (runs.name[: -len(".runs")] + SUFFIX))
    record = read_record(run_dir)
    recorded = record.get("project") if record else None
    if isinstance(recorded, str) and recorded.endswith(SUFFIX):
        candidates.append(Path(recorded))
    for candidate in candidates:
        if candidate.is_file():
            try:
                return load_project(candidate)
            except ProjectError:
                continue
    return None
