"""The window's child process: the training child (``studio.training.child``) that also runs the learning-rate
finder, so that the finder's TensorFlow work never runs in the window's process either.

``python -m studio.tuning.host FOLDER``. Besides the training child's commands it takes ``find_rate``
{project, path, environment, scratch} and reports ``finder_progress`` {result} (at most ten times a second),
then ``finder_done`` {result} (the sweep, also recorded as a run) or ``finder_failed`` {message, details}.
Stop ends the sweep after its current batch.

It also takes ``search`` {project, settings, path, environment, scratch}: the hyperparameter search, which reports
``trial_started`` {trial}, ``trial_epoch`` {epoch, logs}, ``trial_ended`` {trial, best} (best: the number of
the best trial so far, or None) and then ``search_done``
{best} (a trial, or None when none finished) or ``search_failed`` {message, details}; Stop ends the trial
running after its current step execution and starts no other.
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
        self.search = None  # the search running now

    def stop_requested(self) -> None:
        super().stop_requested()
        self.finder_stop.set()
        search = self.search
        if search is not None:
            search.stop()

    def queued(self, message: dict) -> None:
        if message.get("op") in ("find_rate", "search"):  # a Stop before this command was for what ran then
            self.finder_stop.clear()
            self.stop_asked = False

    def handle(self, op: str, message: dict) -> None:
        if op == "find_rate":
            self.find_rate(message)
        elif op == "search":
            self.run_search(message)

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

    def best_number(self) -> int | None:
        best = self.search.best if self.search is not None else None
        return best.number if best is not None else None

    def run_search(self, message: dict) -> None:
        from studio.core.errors import failure
        from studio.tuning.search import Search, SearchReporter, TuningSettings
        self.use_places(message)
        reporter = SearchReporter(
            trial_started=lambda trial: self.send("trial_started", trial=dataclasses.asdict(trial)),
            trial_ended=lambda trial: self.send("trial_ended", trial=dataclasses.asdict(trial), best=self.best_number()),
            epoch_ended=lambda epoch, logs: self.send("trial_epoch", epoch=int(epoch), logs=logs))
        try:
            project = child.project_of(message)
            settings = TuningSettings.from_dict(message.get("settings"))
            self.search = Search(project, settings, reporter)
            if self.stop_asked or self.finder_stop.is_set():  # Stop came while it was being made
                self.search.stop()
            best = self.search.run()
        except BaseException as exc:
            text, details = failure(exc)
            self.send("search_failed", message=text, details=details)
            return
        finally:
            self.search = None
            self.stop_asked = False
        self.send("search_done", best=dataclasses.asdict(best) if best is not None else None)


if __name__ == "__main__":
    sys.exit(child.main(host=TuningHost))
