"""What File > Open Recent and the window's remembered layout keep in the settings, read defensively.

QSettings hands back what the settings file holds: a list of one item comes
back as a plain string, a hand-edited or damaged file as anything at all. The
readers here always return the documented type and drop what is not.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION, APPLICATION = "PerceptronStudio", "studio"
RECENT_KEY = "recent"
MAX_RECENT = 8
GEOMETRY_KEY, STATE_KEY = "window/geometry", "window/state"


def settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


def read_recent(store: QSettings | None = None) -> list[str]:
    """The recent project files, newest first: only absolute paths that are not folders, no repeats."""
    value = (store or settings()).value(RECENT_KEY, [])
    if isinstance(value, str):
        value = [value]  # how QSettings returns a list of one
    elif not isinstance(value, (list, tuple)):
        value = []
    recent = []
    for item in value:
        if not isinstance(item, str) or not item or item in recent:
            continue
        path = Path(item)
        if not path.is_absolute() or path.is_dir():
            continue  # junk (e.g. single characters written by an older version)
        recent.append(item)
    return recent[:MAX_RECENT]


def write_recent(recent: list[str], store: QSettings | None = None) -> None:
    store = store or settings()
    store.setValue(RECENT_KEY, [str(p) for p in recent[:MAX_RECENT]])
    store.sync()


def remember_recent(path: str, store: QSettings | None = None) -> list[str]:
    """Put ``path`` (made absolute) first in the recent files; returns the new list."""
    store = store or settings()
    path = os.path.normpath(os.path.abspath(path))  # "a/../x.studio.json" and "x.studio.json" are one entry
    recent = [path, *(p for p in read_recent(store) if p != path)][:MAX_RECENT]
    write_recent(recent, store)
    return recent


def save_window_state(window, store: QSettings | None = None) -> None:
    """Size, position, maximised state and the docks' places and sizes."""
    store = store or settings()
    store.setValue(GEOMETRY_KEY, window.saveGeometry())
    store.setValue(STATE_KEY, window.saveState())
    store.sync()


def restore_window_state(window, store: QSettings | None = None) -> bool:
    """Restore what ``save_window_state`` kept; anything damaged is ignored (the default layout stays)."""
    store = store or settings()
    geometry, state = store.value(GEOMETRY_KEY), store.value(STATE_KEY)
    restored = False
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        restored = bool(window.restoreGeometry(geometry))
    if isinstance(state, QByteArray) and not state.isEmpty():
        restored = bool(window.restoreState(state)) and restored
    return restored


# -- where file dialogs open ------------------------------------------------------------------

FOLDER_KEY = "dialogs/{0}"  # the folder of the last file of each kind the user chose


def start_folder(kind: str, project: Path | None = None, store: QSettings | None = None) -> Path:
    """Where a file dialog for ``kind`` ("project", "model", "csv", ...) opens: the folder of the last file
    of that kind the user chose, else the current project's folder, else ~/Documents (or home)."""
    value = (store or settings()).value(FOLDER_KEY.format(kind), "")
    candidates = [Path(value)] if isinstance(value, str) and value else []
    if project is not None and not _bundled(Path(project)):
        candidates.append(Path(project).parent)
    home = Path.home()
    candidates += [home / "Documents", home]
    for folder in candidates:
        # the program's own folders (a bundled example was opened from there) are never offered: a save
        # there would sit among the program's files, or be lost with its next update
        if folder.is_absolute() and folder.is_dir() and not _bundled(folder):
            return folder
    return home


def _bundled(path: Path) -> bool:
    """A bundled example or lab master: its folder is the program's, not the user's."""
    from studio.resources import resource_dir
    return path.resolve().is_relative_to(resource_dir().resolve())


def remember_folder(kind: str, chosen: str | Path, store: QSettings | None = None) -> None:
    """The next dialog of ``kind`` opens where this file (or folder) was."""
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    (store or settings()).setValue(FOLDER_KEY.format(kind), str(folder))


def dialog_path(kind: str, name: str = "", project: Path | None = None) -> str:
    """The starting path for a QFileDialog: ``name`` (a suggested file name) in ``start_folder``;
    an absolute ``name`` is kept as it is."""
    if name and Path(name).is_absolute():
        return name
    folder = start_folder(kind, project)
    return str(folder / name) if name else str(folder)


def choose_file(parent, kind: str, title: str, filters: str = "", name: str = "", save: bool = False,
                folder: bool = False, project: Path | None = None) -> str:
    """Every file dialog of the studio: opens in a sensible folder (``start_folder``), remembers where the
    user chose. Returns the chosen path, or "" when cancelled."""
    from PySide6.QtWidgets import QFileDialog
    start = dialog_path(kind, name, project)
    if folder:
        chosen = QFileDialog.getExistingDirectory(parent, title, start)
    elif save:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
    else:
        chosen, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
    if chosen:
        remember_folder(kind, chosen)
    return chosen
