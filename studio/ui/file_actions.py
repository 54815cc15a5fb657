"""What File > Open Recent and the window's remembered layout keep in the settings, read defensively.

QSettings hands back what the settings file holds: a list of one item comes
back as a plain string, a hand-edited or damaged file as anything at all. The
readers here always return the documented type and drop what is not.
"""

from __future__ import annotations

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
    path = str(Path(path).absolute())
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
