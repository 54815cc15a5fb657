"""Recovery files: the open project, written every minute and before training, removed on a clean exit.

Each running studio writes ``<pid>.recovery.json`` in the recovery folder
(``$STUDIO_RECOVERY_DIR``, else ``recovery`` in the platform's user state folder:
``~/.local/state/perceptron-studio`` on Linux, ``%LOCALAPPDATA%`` on Windows,
``~/Library/Application Support`` on macOS; see ``platformdirs``): the whole
project (graph, data, training, tuning), where it was saved, and when. A file
whose process is gone is what a crash or a kill left behind; the next start
offers to recover it. Files are written atomically, so a crash while saving
leaves the previous recovery file, never half of one. Files an older version
left in ``~/.perceptron-studio/recovery`` are still found (and offered).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from studio.core.files import atomic_write_text
from studio.core.project import Project, ProjectError, project_from_dict

FORMAT = "perceptron-studio/recovery"
VERSION = 1
SUFFIX = ".recovery.json"


@dataclass
class Recovery:
    path: Path              # the recovery file
    pid: int
    saved: float            # time.time() when written
    original: str | None    # where the project was saved, if it was
    project: Project

    @property
    def name(self) -> str:
        return Path(self.original).name if self.original else self.project.graph.name


APP_NAME = "perceptron-studio"


def recovery_dir() -> Path:
    """Where this studio writes its recovery file."""
    configured = os.environ.get("STUDIO_RECOVERY_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_state_dir
    return Path(user_state_dir(APP_NAME, appauthor=False)) / "recovery"


def legacy_recovery_dir() -> Path:
    """Where earlier versions wrote recovery files (a hidden folder in the home folder)."""
    return Path.home() / ".perceptron-studio" / "recovery"


def recovery_dirs() -> list[Path]:
    """The folders searched for recovery files: ``recovery_dir()``, then the old default place
    (unless ``$STUDIO_RECOVERY_DIR`` names one folder for all of it)."""
    folders = [recovery_dir()]
    if not os.environ.get("STUDIO_RECOVERY_DIR") and legacy_recovery_dir() != folders[0]:
        folders.append(legacy_recovery_dir())
    return folders


def own_file(pid: int | None = None) -> Path:
    return recovery_dir() / f"{pid or os.getpid()}{SUFFIX}"


def write_recovery(project: Project) -> Path:
    """Write (or replace) this process's recovery file."""
    path = own_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"format": FORMAT, "version": VERSION, "pid": os.getpid(), "saved": time.time(),
              "original": str(project.path) if project.path else None, "project": project.to_dict()}
    atomic_write_text(path, json.dumps(record, ensure_ascii=False))
    return path


def remove_recovery(path: Path | None = None) -> None:
    try:
        (path or own_file()).unlink()
    except FileNotFoundError:
        pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process with that number
        return True
    except OSError:  # Windows: no such process
        return False
    return True


def find_recoveries() -> list[Recovery]:
    """Recovery files left by studios that are no longer running, newest first.

    A damaged recovery file is skipped (and kept, for a person to look at).
    """
    found = []
    paths = [path for folder in recovery_dirs() if folder.is_dir() for path in folder.glob(f"*{SUFFIX}")]
    for path in paths:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if record.get("format") != FORMAT or _alive(int(record["pid"])):
                continue
            original = record.get("original")
            project = project_from_dict(record["project"], str(path),
                                        Path(original) if original else None)
        except (OSError, ValueError, KeyError, TypeError, ProjectError):
            continue
        found.append(Recovery(path, int(record["pid"]), float(record.get("saved", 0)), original, project))
    return sorted(found, key=lambda r: r.saved, reverse=True)
