"""Data the studio puts on the clipboard, and taking it off again before Python exits.

A QMimeData made in Python and left on the clipboard is deleted by Qt's own exit
handler after Python has gone; its PySide wrapper's destructor then calls into the
dead interpreter: a segfault at the end of any process that had copied layers
(every test run did, after passing; seen in gdb as Shiboken::Object::destroy
from __run_exit_handlers). ``put`` registers, once, an exit step that clears the
clipboard while Python can still free the wrapper.
"""

from __future__ import annotations

import atexit

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

_ours: list[QMimeData] = []  # what this process last put on the clipboard


def put(mime: QMimeData) -> None:
    """Put ``mime`` on the clipboard; it is taken off when Python exits if it is still there."""
    QGuiApplication.clipboard().setMimeData(mime)
    if not _ours:
        atexit.register(clear_ours)
    _ours[:] = [mime]


def clear_ours() -> None:
    """Clear the clipboard if it still holds what ``put`` put there: text copied since (the Code tab's, another
    program's) stays."""
    clipboard = QGuiApplication.clipboard() if QGuiApplication.instance() else None
    if clipboard is not None and _ours and clipboard.mimeData() is _ours[0]:
        clipboard.clear()
    _ours.clear()
