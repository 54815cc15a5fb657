"""The window's child process: the training child (``studio.training.child``) that also runs the learning-rate
finder, so that the finder's TensorFlow work never runs in the window's process either.

``python -m studio.tuning.host FOLDER``. Besides the training child's commands it takes ``find_rate``
{project, path, environment, scratch} and reports ``finder_progress`` {result} (at most ten times a second),
then ``finder_done`` {result} (the sweep, also recorded as a run) or ``finder_failed`` {message, details}.
Stop ends the sweep after its current batch.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from pathlib import Path

from studio.training import child

PROGRESS_INTERVAL = 0.1  # seconds between two reports of the sweep


class TuningHost(child.Host):
    def __init__(self, out, folder: Path):
        super().__init__(out, folder)
        self.finder_stop = threading.Event()

    def stop_requested(self) -> None:
        super().stop_requested()
        self.finder_stop.set()

    def queued(self, message: dict) -> None:
        if message.get("op") == "find_rate":  # a Stop before this command was for what ran then
            self.finder_stop.clear()

    def handle(self, op: str, message: dict) -> None:
        if op == "find_rate":
            self.find_rate(message)

    def find_rate(self, message: dict) -> None:
        from studio.core.errors import failure
        from studio.tuning.lr_finder import find_learning_rate, record_finder_run
        self.use_places(message)
        last = [0.0]

        def progress(result) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL:
                last[0] = now
                self.send("finder_progress", result=dataclasses.asdict(result))
        try:
            project = child.project_of(message)
            result = find_learning_rate(project, progress=progress, stop=self.finder_stop)
            record_finder_run(project, result)  # listed with the other runs
        except BaseException as exc:
            text, details = failure(exc)
            self.send("finder_failed", message=text, details=details)
            return
        self.send("finder_done", result=dataclasses.asdict(result))


if __name__ == "__main__":
    sys.exit(child.main(host=TuningHost))
