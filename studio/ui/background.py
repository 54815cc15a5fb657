"""Run one function off the GUI thread with progress and cancel; results come back as signals.

This is the one way the window runs work off the GUI thread: file jobs,
checks, searches, loading TensorFlow (``studio.ui.app``) and each training job
(``studio.ui.worker``) are Background tasks.

Each task runs on a thread of its own (a daemon: quitting never waits for it).
A window turns garbage collection over to the GUI thread first
(``studio.ui.collection``), so no collection runs on a task's thread.

The function is called as ``fn(progress, cancelled)``: ``progress(fraction)``
reports, ``cancelled()`` says whether the user pressed Cancel (the studio's
data loaders raise ``Cancelled`` then). Signals emitted from the thread are
queued to the GUI thread by Qt.

``cancel()`` answers at once: ``cancelled`` is emitted on the GUI thread and
whatever the task still returns is dropped, so the window never waits for a
task to notice. Tasks that hold a child process stop it when ``cancelled()``
turns true (``studio.training.safe_load`` kills its loader child).

A task that fails is reported as ``failed(message, details)`` by one rule,
``failure``: a ``UserError`` (the user's mistake) is its one-line message and
no details; anything else is a bug, shown with its traceback.

``BusyIndicator`` is the status-bar line with a progress bar and a Cancel
button that shows while a Background task runs.
"""

from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from studio.core.errors import failure  # noqa: F401  (the rule every task is reported by)
from studio.data.errors import Cancelled




class Background(QObject):
    started = Signal()
    progress = Signal(float)
    done = Signal(object)
    failed = Signal(str, str)   # message, details ("" for a user error such as a bad file)
    cancelled = Signal()
    ended = Signal()            # after done, failed or cancelled, whichever came

    def __init__(self, parent=None, name: str = "studio-background"):
        super().__init__(parent)
        self.name = name  # the thread's name (seen in py-spy and faulthandler dumps)
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._generation = 0  # results of a superseded or cancelled task are dropped
        self._active = False  # a task was started and has not ended (as far as the GUI is concerned)
        for signal in (self.done, self.failed, self.cancelled):
            signal.connect(self._ended)

    @property
    def busy(self) -> bool:
        """A task is running and its result is still wanted."""
        return self._active

    @property
    def thread_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, fn: Callable) -> None:
        """Start ``fn``; a task still running is cancelled and its result ignored."""
        self._cancel.set()
        self._cancel = threading.Event()
        self._generation += 1
        self._active = True
        self._thread = threading.Thread(target=self._run, args=(fn, self._cancel, self._generation),
                                        name=self.name, daemon=True)
        self.started.emit()
        self._thread.start()

    def cancel(self) -> None:
        """Ask the task to stop and say so at once; what it returns later is dropped."""
        self._cancel.set()
        if self._active:
            self._generation += 1
            self.cancelled.emit()

    def wait(self, seconds: float = 30.0) -> bool:
        """Wait at most ``seconds`` for the task's thread; returns whether it has ended."""
        if self._thread is not None:
            self._thread.join(seconds)
        return not self.thread_alive

    def _ended(self, *args) -> None:
        self._active = False
        self.ended.emit()

    def _run(self, fn, cancel: threading.Event, generation: int) -> None:
        current = lambda: generation == self._generation  # noqa: E731
        try:
            result = fn(lambda f: current() and self.progress.emit(float(f)), cancel.is_set)
        except Cancelled:
            if current():
                self.cancelled.emit()
            return
        except Exception as exc:  # a user's mistake in one line, a bug with details: the app goes on
            if current():
                self.failed.emit(*failure(exc))
            return
        if current():
            self.done.emit(result)


class BusyIndicator(QWidget):
    """"Importing model…" [progress] [Cancel], shown in the status bar while a watched task runs.

    ``watch(background, text)`` ties one Background to it; several may be
    watched, the newest started one is shown. The bar is indeterminate until
    the task reports a fraction.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(16)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self._cancel)
        self.current: Background | None = None
        self.hide()

    def watch(self, background: Background, text: str, cancellable: bool = True) -> None:
        def started():
            self.current = background
            self.label.setText(text)
            self.bar.setRange(0, 0)
            self.cancel_button.setVisible(cancellable)
            self.show()

        def progress(fraction: float):
            if self.current is background:
                self.bar.setRange(0, 1000)
                self.bar.setValue(int(1000 * max(0.0, min(1.0, fraction))))

        def ended():
            if self.current is background:
                self.current = None
                self.hide()

        background.started.connect(started)
        background.progress.connect(progress)
        background.ended.connect(ended)

    def _cancel(self) -> None:
        if self.current is not None:
            self.current.cancel()
