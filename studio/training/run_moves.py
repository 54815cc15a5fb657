"""Runs of an untitled project move beside its file once it is saved; its trained model goes with them.

``studio.training.runs.adopt_scratch_runs`` moves the scratch folder's runs
(a run whose name is taken there gets ``NAME-1``, ``NAME-2``, ...); these
functions keep what pointed at a run pointing at it: the project's current
model, and a job that still trains (it moves once it is recorded).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from studio.core.project import Project
from studio.training.current_model import MODEL_FILE, current_run, set_current
from studio.training.runs import adopt_scratch_runs, scratch_folder


def moved_to(moved: list[Path], name: str) -> Path | None:
    """Where the run once named ``name`` went among ``moved`` (renamed ``NAME-n`` when its name was taken)."""
    same = [p for p in moved if p.name == name] or [p for p in moved if p.name.startswith(f"{name}-")]
    return same[0] if same else None


def adopt_runs(project: Project, progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Move the scratch runs beside the saved ``project``; the trained model stays its current one."""
    current = current_run(project, scratch_folder())
    moved = adopt_scratch_runs(project, progress, cancelled)
    if current is not None:
        went = moved_to(moved, current.name)
        if went is not None:
            set_current(went)
    return moved


def move_run(source: Path, target: Path) -> Path | None:
    """Move one recorded run into the runs folder ``target`` (a free name there); None when ``source``
    holds no record (it failed, or Save As already took it along). Its model becomes the current one."""
    if not (source / "run.json").is_file():
        return None
    target.mkdir(parents=True, exist_ok=True)
    destination, n = target / source.name, 1
    while destination.exists():
        destination, n = target / f"{source.name}-{n}", n + 1
    shutil.move(str(source), str(destination))  # a rename on one disk; a copy across disks
    if (destination / MODEL_FILE).is_file():
        set_current(destination)  # the run just trained is the project's current model
    return destination
