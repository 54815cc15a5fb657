"""The window's side of the training child: the engine runs in ``python -m studio.training.child``, never in the
window's process, so nothing training does (TensorFlow aborting, a crashing kernel, the system running out of
memory) can take the window and its unsaved edits with it. No Qt here: ``studio.ui.worker`` turns the events
into signals.

``RemoteTrainer`` starts the child at once (TensorFlow loads there while the user
edits), sends it each Train or Continue with a copy of the project, and calls
``on_event(name, values)`` on its reader thread for every event the child
reports. When the child dies, the event is ``ended`` with one line that says
how; the weights of its last completed epoch (which it wrote after each epoch)
become the model Continue goes on from, and a new child is started for the
next job. Stop asks the child to stop after the current step execution and
ends it if it has not within ``STOP_GRACE`` seconds.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import signal
import subprocess
import tempfile
import threading
import weakref
from pathlib import Path

from studio.children import module_command
from studio.core.errors import UserError
from studio.training import wire
from studio.training.processes import kill_tree

STOP_GRACE = 5.0    # seconds a stopped job has to end before its child is ended
CLOSE_GRACE = 1.5   # seconds a closing window waits for the child to quit
EARLY_DEATHS = 3    # children killed before they had loaded TensorFlow that are started again, one after another
_SPARE: list["RemoteTrainer"] = []  # an idle child kept by a window that closed, for the next window
_ALL: "weakref.WeakSet[RemoteTrainer]" = weakref.WeakSet()  # ended when the process exits


class CallFailed(UserError):
    """A call the child could not answer: its message, and the child's traceback where it was a bug."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


class RemoteJob:
    """What the window knows of the child's job: its project, run folder and epoch, and whether a model file was
    recorded for it (``model_path``; the model itself stays in the child, the window reads its metadata)."""

    def __init__(self, project, edited_graph: dict):
        self.project, self.edited_graph = project, edited_graph
        self.run_dir: Path | None = None
        self.epoch = 0
        self.kept = self.reset = self.optimizer_changes = None
        self.source_run: Path | None = None  # the run folder it went on from, if any
        self.trained = False  # the child holds a trained model for this job
        self.recorded = False  # a run of it recorded its model file
        self._metadata: dict | None = None
        self._settings = None

    @property
    def settings(self):
        if self._settings is None:
            from studio.training.settings import TrainingSettings
            self._settings = TrainingSettings.for_project(self.project)
        return self._settings

    def metadata(self) -> dict:
        return dict(self._metadata or {})

    @property
    def model_path(self) -> Path | None:
        """The model file its last run recorded (it moves with the run on Save As), or None."""
        from studio.training.runs import MODEL_FILE
        return self.run_dir / MODEL_FILE if self.recorded and self.run_dir is not None else None

    @property
    def history(self) -> dict:
        """The epoch curves of the model as recorded (all its runs, a continuation's earlier epochs too)."""
        return dict(self.metadata().get("history") or {})

    def update(self, state: dict | None) -> None:
        if not isinstance(state, dict):
            return
        self.run_dir = Path(state["run_dir"]) if state.get("run_dir") else None
        self.epoch = int(state.get("epoch") or 0)
        self.kept, self.reset = state.get("kept"), state.get("reset")
        self.optimizer_changes = state.get("optimizer_changes")
        self.source_run = Path(state["source_run"]) if state.get("source_run") else None
        self.trained = bool(state.get("trained"))


class RemoteTrainer:
    """One window's training child. ``on_event(name, values)`` is called on the reader thread."""

    def __init__(self, on_event=None, module: str = "studio.training.child"):
        self.on_event = on_event or (lambda name, values: None)
        self.module = module  # the child's module: the training child, or a host that serves more
        self.folder = Path(tempfile.mkdtemp(prefix="perceptron-studio-training-"))
        self.process: subprocess.Popen | None = None
        self.running = False
        self.ready = threading.Event()
        self.known: dict | None = None  # what the child said of Keras when it was ready (registries.snapshot)
        self.checkpoint: tuple[Path, int] | None = None  # the last epoch the child wrote, in this job
        self._lock = threading.Lock()
        self._stopping: threading.Timer | None = None
        self._stop_killed = False
        self._begun = self._stop_wanted = False  # the job's training has started; Stop was asked
        self._closing = False
        self._early_deaths = 0
        self._calls: dict[int, tuple] = {}  # id -> (answer, progress) of the calls not answered yet
        self._numbers = itertools.count(1)
        _ALL.add(self)
        self.start()

    @classmethod
    def acquire(cls, on_event, module: str = "studio.training.child") -> "RemoteTrainer":
        """An idle child of ``module`` another window left (TensorFlow already loaded), or a new one."""
        while _SPARE:
            trainer = _SPARE.pop()
            if trainer.alive() and trainer.module == module:
                trainer.on_event = on_event
                return trainer
            trainer.close()
        return cls(on_event, module)

    # -- the child ----------------------------------------------------------------------

    def start(self) -> None:
        self.ready.clear()
        log = open(self.folder / "child.log", "ab")
        try:
            process = subprocess.Popen(module_command(self.module, str(self.folder)),
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                       start_new_session=True)
        finally:
            log.close()
        self.process = process
        threading.Thread(target=self._read, args=(process,), name="training-child", daemon=True).start()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send(self, op: str, **values) -> bool:
        process = self.process
        try:
            with self._lock:
                process.stdin.write(wire.dumps({"op": op, **values}))
                process.stdin.flush()
            return True
        except (OSError, ValueError, AttributeError):  # the child is gone: its reader says how
            return False

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            if len(line) > wire.MAX_LINE:
                continue
            try:
                message = wire.loads(line)
            except ValueError:
                continue
            if process is self.process:
                self._event(str(message.pop("event", "")), message)
        code = process.wait()
        if process is not self.process or self._closing:
            return
        self._cancel_stop_timer()
        was_running, self.running = self.running, False
        kind, detail = self._how(code)
        if self.checkpoint is not None:  # kept aside: the next child's first epoch writes a new last-epoch file
            kept = self.folder / "kept-epoch.h5"
            try:
                self.checkpoint[0].replace(kept)
                self.checkpoint = (kept, self.checkpoint[1])
            except OSError:
                pass
        with self._lock:  # the calls sent to this child; those sent after start() below go to the next one
            lost, self._calls = [answer for answer, _progress in self._calls.values()], {}
        killed_loading = not self.ready.is_set() and code is not None and code < 0
        self._early_deaths = self._early_deaths + 1 if not self.ready.is_set() else 0
        if self.ready.is_set() or (killed_loading and self._early_deaths <= EARLY_DEATHS):
            self.start()  # the next job has a child ready
        else:  # it cannot get going (TensorFlow fails to load): the next Train tries again, no loop here
            kind, detail = "no_start", self._log_tail(1) or f"exit status {code}"
            self.process = None
        for answer in lost:  # a call the dead child was answering, or had not begun: answered, never left waiting
            answer(None, (ending(kind, detail), ""))
        self.on_event("ended", {"kind": kind, "detail": detail, "message": ending(kind, detail),
                                "details": self._log_tail(), "running": was_running, "checkpoint": self.checkpoint,
                                "calls": len(lost)})

    def _event(self, name: str, values: dict) -> None:
        if name == "call_progress":
            with self._lock:
                _answer, progress = self._calls.get(values.get("id"), (None, None))
            if progress is not None:
                progress(float(values.get("fraction") or 0.0))
            return
        if name == "answer":
            with self._lock:
                answer, _progress = self._calls.pop(values.get("id"), (None, None))
            if answer is not None:
                failed = (str(values.get("message", "")), str(values.get("details", ""))) if values.get("failed") \
                    else None
                answer(values.get("value"), failed)
            return
        if name == "ready":
            self.known = values.get("known")
            self.ready.set()
        elif name in ("started", "trial_started"):  # training has begun: a Stop is given its grace from now
            self._begun = True
            if self._stop_wanted:
                self._start_stop_timer()
        elif name == "checkpoint":
            self.checkpoint = (Path(values["path"]), int(values["epoch"]))
        elif name in ("finished", "failed", "refused", "finder_done", "finder_failed",
                      "search_done", "search_failed"):
            self._cancel_stop_timer()
            self.running = False
        self.on_event(name, values)

    def _how(self, code: int | None) -> tuple[str, str]:
        """How the child ended: (kind, detail). Kinds: ``stop_overdue`` (detail: the grace in s), ``killed`` and
        ``crashed`` (the signal's name), ``exited`` (the status); ``ending()`` says it in English."""
        if self._stop_killed:
            self._stop_killed = False
            return "stop_overdue", f"{STOP_GRACE:.0f}"
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return ("killed" if -code == getattr(signal, "SIGKILL", 9) else "crashed"), name
        return "exited", str(code)

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = (self.folder / "child.log").read_bytes()[-8192:].decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # -- jobs ---------------------------------------------------------------------------

    def train(self, project, epochs: int, fresh: bool, edited_graph: dict, run_dir: Path | None,
              scratch: Path, has_job: bool = True, has_source: bool = True, source: dict | None = None) -> bool:
        """Send one Train (``fresh``) or Continue; ``has_job`` / ``has_source`` say what the window still goes
        on from (the child drops what the window has forgotten); ``source`` is the model file of the window's
        imported model, loaded again should the child have forgotten it ({path, metadata, own})."""
        return self._begin("train", project, scratch, epochs=int(epochs), fresh=bool(fresh),
                           edited_graph=edited_graph, run_dir=str(run_dir) if run_dir is not None else None,
                           has_job=has_job, has_source=has_source, source=source)

    def find_rate(self, project, scratch: Path) -> bool:
        """Run the learning-rate finder on ``project`` in the child (a host that serves it: studio.tuning.host)."""
        return self._begin("find_rate", project, scratch)

    def search(self, project, settings: dict, scratch: Path) -> bool:
        """Run the hyperparameter search of ``settings`` on ``project`` in the child (studio.tuning.host)."""
        return self._begin("search", project, scratch, settings=settings)

    def _begin(self, op: str, project, scratch: Path, **values) -> bool:
        """Send a job: the project, where its runs go and the window's places; the child is started if gone."""
        if not self.alive():
            self.start()
        self.checkpoint = None
        self.running = True
        self._begun = self._stop_wanted = False
        return self.send(op, project=project.to_dict(), path=str(project.path) if project.path else None,
                         scratch=str(scratch), environment=wire.environment(), **values)

    def call(self, task: str, args: dict, answer, progress=None) -> int:
        """Ask the child for one of its host's tasks; returns the call's number. ``answer(value, failure)`` is
        called once on the reader thread: with the task's value and None, or with None and (message, details)
        when it failed or its child died (then with ``ending()``'s line); ``progress(fraction)`` as it reports."""
        if not self.alive():
            self.start()
        number = next(self._numbers)
        with self._lock:
            self._calls[number] = (answer, progress)
        self.send("call", id=number, task=task, args=args)  # a child gone meanwhile: its reader answers
        return number

    def cancel(self, number: int) -> None:
        """The window no longer waits for call ``number``: it is not answered; the task stops where it looks."""
        with self._lock:
            self._calls.pop(number, None)
        self.send("cancel", id=number)

    def ask(self, task: str, args: dict, progress=None, cancelled=None):
        """``call`` and wait for its answer (on a worker thread, never the GUI's): the value, or ``CallFailed``
        (a user's mistake in one line, a bug with the child's traceback); ``Cancelled`` as soon as
        ``cancelled()`` says so."""
        from studio.data.errors import Cancelled
        answered, box = threading.Event(), []

        def answer(value, failure):
            box.append((value, failure))
            answered.set()
        number = self.call(task, args, answer, progress)
        while not answered.wait(0.1):
            if cancelled is not None and cancelled():
                self.cancel(number)
                raise Cancelled()
        value, failure = box[0]
        if failure is not None:
            raise CallFailed(*failure)
        return value

    def adopt(self, path: Path, metadata: dict | None = None, own: bool = False) -> None:
        """Go on from the model in ``path`` (``own``: one this studio wrote; otherwise checked first)."""
        if not self.alive():
            self.start()
        self.send("adopt", path=str(path), metadata=metadata, own=own)

    def forget(self) -> None:
        self.checkpoint = None
        self.send("forget")

    def stop(self) -> None:
        """Ask the job to stop after its current step execution; its child is ended if it has not within
        STOP_GRACE seconds of its training starting (preparing the data and model is not cut short)."""
        if not self.running:
            return
        self.send("stop")
        self._stop_wanted = True
        if self._begun:
            self._start_stop_timer()

    def _start_stop_timer(self) -> None:
        with self._lock:
            if self._stopping is None:
                self._stopping = threading.Timer(STOP_GRACE, self._stop_overdue, args=(self.process,))
                self._stopping.daemon = True
                self._stopping.start()

    def _stop_overdue(self, process) -> None:
        if self.running and process is self.process:
            self._stop_killed = True
            kill_tree(process)

    def _cancel_stop_timer(self) -> None:
        with self._lock:
            timer, self._stopping = self._stopping, None
        if timer is not None:
            timer.cancel()

    def kill(self) -> None:
        """End the child now (what the tests do to a child mid-epoch, as the system's OOM killer would)."""
        if self.process is not None:
            kill_tree(self.process)

    def release(self) -> None:
        """The window closes: an idle, healthy child waits for the next window; a busy one is ended."""
        if self._closing or any(spare is self for spare in _SPARE):  # let go of already
            return
        if not self.running and not self._calls and self.alive() and self.ready.is_set() and not _SPARE:
            self.forget()
            self.on_event = lambda name, values: None
            _SPARE.append(self)
            return
        self.close()

    def close(self, grace: float = CLOSE_GRACE) -> None:
        self._closing = True
        self._cancel_stop_timer()
        process = self.process
        if process is not None:
            self.send("quit")
            try:
                process.stdin.close()
            except OSError:
                pass
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                pass
            kill_tree(process)
        self.running = False
        shutil.rmtree(self.folder, ignore_errors=True)


ENDINGS = {
    "stop_overdue": "training did not stop within {0} s, so its process was ended",
    "killed": "the training process was killed ({0}; the system may have run out of memory)",
    "crashed": "the training process crashed ({0})",
    "exited": "the training process ended unexpectedly (exit status {0})",
    "no_start": "the training process could not start: {0}",
}


def ending(kind: str, detail: str) -> str:
    """How a child ended, in one line (the window says it in its own language)."""
    return ENDINGS.get(kind, ENDINGS["exited"]).format(detail)


@atexit.register
def close_all(grace: float = 0.5) -> None:
    """The process exits: no child outlives it, no folder of it stays behind."""
    spares = list(_SPARE)  # held only there: cleared first, they would be gone from _ALL before being closed
    _SPARE.clear()
    for trainer in set(_ALL) | set(spares):
        trainer.close(grace)
