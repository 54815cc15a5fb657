"""Run one function off the GUI thread with progress and cancel; results come back as signals.

The function is called as ``fn(progress, cancelled)``: ``progress(fraction)``
reports, ``cancelled()`` says whether the user pressed Cancel (the studio's
data loaders raise ``Cancelled`` then). Signals emitted from the thread are
queued to the GUI thread by Qt.
"""

from __future__ import annotations

import threading
import traceback
from typing import Callable

from PySide6.QtCore import QObject, Signal

from studio.data.errors import Cancelled, DataError


class Background(QObject):
    progress = Signal(float)
    done = Signal(object)
    failed = Signal(str, str)   # message, details ("" for a user error such as a bad file)
    cancelled = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._generation = 0  # results of a superseded task are dropped

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, fn: Callable) -> None:
        """Start ``fn``; a task still running is cancelled and its result ignored."""
        self.cancel()
        self._cancel = threading.Event()
        self._generation += 1
        self._thread = threading.Thread(target=self._run, args=(fn, self._cancel, self._generation),
                                        name="studio-background", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, seconds: float = 30.0) -> None:
        if self._thread is not None:
            self._thread.join(seconds)

    def _run(self, fn, cancel: threading.Event, generation: int) -> None:
        current = lambda: generation == self._generation  # noqa: E731
        try:
            result = fn(lambda f: current() and self.progress.emit(float(f)), cancel.is_set)
        except Cancelled:
            if current():
                self.cancelled.emit()
            return
        except DataError as exc:
            if current():
                self.failed.emit(str(exc), "")
            return
        except Exception as exc:  # a bug, not a user error: shown with details, the app goes on
            if current():
                self.failed.emit(str(exc) or type(exc).__name__, traceback.format_exc())
            return
        if current():
            self.done.emit(result)
