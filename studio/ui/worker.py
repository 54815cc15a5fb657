"""The window's training runs in a child process (``studio.training.remote``); its reports come back as signals.

The child trains a copy of the project, so the user may keep editing the graph
while it trains, and nothing it does (TensorFlow aborting, a crash, the system
running out of memory) can take the window with it. Its reports arrive on a
reader thread and are handed to the GUI thread as one queued signal; the
runner keeps the window's view of the job (``RemoteJob``: run folder, epoch, a
metadata of the model file the child recorded; the model itself stays in the child). A failed
run is reported by the rule every Background task follows (a user's mistake in
one line, a bug with its traceback); a child that dies is ``crashed``: one
line, and the weights of its last completed epoch are what Continue goes on from.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.project import Project

CHILD = "studio.service"  # the training child that also runs the finder, the search and the window's calls


class TrainingRunner(QObject):
    """One job at a time, in the window's training child."""

    started = Signal(dict)
    progress = Signal(dict)
    epoch_ended = Signal(int, dict)
    finished = Signal(object, object)  # TrainingResult, training.results.Results
    failed = Signal(str, str)          # message, details
    crashed = Signal(str, bool)        # what happened, in one line; whether Continue can go on from an epoch
    note = Signal(str)                 # a line for the status bar
    finder_progress = Signal(object)   # studio.tuning.lr_finder.FinderResult, so far
    finder_done = Signal(object)       # the whole sweep (recorded as a run)
    finder_failed = Signal(str, str)   # message, details
    trial_started = Signal(object)     # studio.tuning.search.Trial
    trial_epoch = Signal(int, dict)    # an epoch of the trial running
    trial_ended = Signal(object, object)  # the trial, with its objective (None: failed); the best trial's number
    search_done = Signal(object)       # the best trial, or None when none finished
    search_failed = Signal(str, str)   # message, details
    loaded = Signal(list)              # the child has loaded TensorFlow: the devices it trains on
    unavailable = Signal(str)          # the child cannot start (TensorFlow fails to load): why, in one line
    _event = Signal(str, object)       # from the reader thread

    def __init__(self, parent=None):
        super().__init__(parent)
        from studio.training.remote import RemoteTrainer
        from studio.ui.collection import collect_on_gui_thread
        # the reader thread loads trained models (TensorFlow objects): never a garbage collection there
        collect_on_gui_thread()
        self._event.connect(self._on_event)  # queued: the reader thread emits it
        self.remote = RemoteTrainer.acquire(self._arrived, CHILD)
        # not self: the runner is gone when destroyed is emitted; emptied by shutdown (the child may serve
        # another window by then)
        holder = self._holder = [self.remote]
        self.destroyed.connect(lambda *_: holder and _let_go(holder.pop()))
        self._job = None  # the last RemoteJob, kept so that Continue can resume it
        self._previous = None
        self._source = None  # {path, metadata, own}: the file of an imported model or of a crashed run's last epoch
        self.running = False
        self.finding = False  # the learning-rate finder runs in the child
        self.searching = False  # and so does the hyperparameter search
        if self.remote.ready.is_set():  # a child another window left: it said so before this runner listened
            QTimer.singleShot(0, self, lambda: self._on_event("ready", {"known": self.remote.known}))

    # -- the window's view of the child's state ---------------------------------------------

    @property
    def job(self):
        return self._job

    @job.setter
    def job(self, job) -> None:
        """``None``: nothing trained before is gone on from (File > New, Open); the child forgets it too."""
        self._job = job
        if job is None:
            self.remote.forget()

    @property
    def source(self) -> dict | None:
        """The model file Continue goes on from, an imported one or a crashed run's last epoch: {path, metadata,
        own}, or None."""
        return self._source

    @source.setter
    def source(self, value) -> None:
        self._source = value

    def adopt(self, metadata: dict, path, own: bool = False) -> None:
        """Continue goes on from the model in ``path`` (which the child checks and loads itself; ``own``: a file
        the studio wrote), saved with ``metadata``."""
        self._source = {"path": str(path), "metadata": metadata, "own": own}
        self.remote.adopt(path, metadata, own)

    def can_continue(self, project: Project) -> bool:
        """Whether Continue has a trained model to go on from: this session's, an imported one, or the
        project's saved one."""
        from studio.training.current_model import model_file
        if self._job is not None and self._job.trained or self._source is not None:
            return True
        return model_file(project) is not None

    def reset_weights(self, project: Project) -> None:
        """Forget the trained model: the next run starts from new weights (recorded runs stay)."""
        from studio.training.current_model import clear_current
        if self.running:
            return
        self.source = None
        self.job = None
        clear_current(project)

    # -- jobs ---------------------------------------------------------------------------------

    def train(self, project: Project, epochs: int = 0, fresh: bool = True) -> None:
        """Start a new job on a copy of ``project`` (or continue the last one) in the child.

        ``epochs`` is the Epochs box's number: a fresh job trains that many (0: the
        settings'); Continue goes on to it, or that many more once it has been
        reached (studio.training.engine.epochs_to_continue).
        """
        if self.busy:
            return
        from studio.core.loss_defaults import effective_loss
        from studio.training.remote import RemoteJob
        from studio.training.runs import scratch_folder
        from studio.core.graph import same_model
        snapshot = project.copy()
        snapshot.training["loss"] = effective_loss(snapshot.training, snapshot.graph, snapshot.data)
        previous, edited = self._job, project.graph.to_dict()
        self._previous = previous
        if not fresh and previous is not None and previous.trained and same_model(edited, previous.edited_graph):
            previous.project, previous._settings = snapshot, None  # the same job goes on, as in the child
        else:
            self._job = RemoteJob(snapshot, edited)
        self.running = True
        self.remote.train(project, epochs, fresh, edited,
                          previous.run_dir if previous is not None else None, scratch_folder(),
                          has_job=previous is not None and previous.trained, has_source=self._source is not None,
                          source=self._source)

    def stop(self) -> None:
        if self.running:
            self.remote.stop()

    def find_rate(self, project: Project) -> bool:
        """Run the learning-rate finder on a copy of ``project`` in the child; False while it is busy."""
        from studio.training.runs import scratch_folder
        if self.busy:
            return False
        self.finding = True
        self.remote.find_rate(project.copy(), scratch_folder())
        return True

    def stop_finder(self) -> None:
        if self.finding:
            self.remote.send("stop")

    def search(self, project: Project, settings: dict) -> bool:
        """Run the hyperparameter search (``TuningSettings.to_dict()``) on a copy of ``project`` in the child;
        False while it is busy."""
        from studio.training.runs import scratch_folder
        if self.busy:
            return False
        self.searching = True
        self.remote.search(project.copy(), settings, scratch_folder())
        return True

    def stop_search(self) -> None:
        """The trial running stops after its current step execution and no other starts."""
        if self.searching:
            self.remote.stop()

    def call(self, task: str, args: dict, done, failed, convert=None) -> None:
        """Ask the child for one of its tasks (``studio.service``): ``done(value)`` or ``failed(message,
        details)`` is called on the GUI thread; ``convert`` makes the plain value what ``done`` takes, on the
        reader thread. A call does not wait for training: the child answers it on a thread of its own."""
        def answer(value, failure):
            if failure is None and convert is not None:
                from studio.core.errors import failure as failure_of
                try:
                    value = convert(value)
                except Exception as exc:  # a malformed answer is a bug: said with its traceback
                    failure = failure_of(exc)
            self._arrived("answer", {"done": done, "failed": failed, "value": value, "failure": failure})
        self.remote.call(task, args, answer)

    @property
    def busy(self) -> bool:
        """Whether the child is training, finding a learning rate or searching."""
        return self.running or self.finding or self.searching

    def shutdown(self) -> bool:
        """Stop a running job and let its child go (the window closes); returns at once."""
        if not self._holder:
            return True
        self._holder.clear()
        self.remote.on_event = lambda name, values: None
        self.remote.release()
        self.running = False
        return True

    # -- the child's reports --------------------------------------------------------------------

    def _arrived(self, name: str, values: dict) -> None:
        """On the reader thread: a recorded model's metadata is read and results are made arrays here (not on the GUI
        thread), then handed over."""
        from studio.training import wire
        if name == "finished":
            values["loaded"] = _metadata_of(values["model"]) if values.get("model") else None
            values["result"] = wire.result_from_wire(values["result"])
            values["results"] = wire.results_from_wire(values["results"])
        elif name in ("finder_progress", "finder_done"):
            from studio.tuning.lr_finder import FinderResult
            values["result"] = FinderResult(**values["result"])
        elif name in ("trial_started", "trial_ended", "search_done"):
            from studio.tuning.search import Trial
            key = "best" if name == "search_done" else "trial"
            values[key] = Trial(**values[key]) if values.get(key) else None
        elif name == "ended" and values.get("checkpoint"):
            values["loaded"] = _metadata_of(values["checkpoint"][0])
        try:
            self._event.emit(name, values)
        except RuntimeError:  # the runner was deleted (its window closed without shutdown): nobody listens
            if self._holder:
                _let_go(self._holder.pop())

    def _on_event(self, name: str, values: dict) -> None:
        if name == "answer":
            failure = values["failure"]
            return values["failed"](*failure) if failure is not None else values["done"](values["value"])
        if name == "ready":  # the window lists the registries' names and the devices the child knows
            from studio.core import registries
            registries.install(values.get("known"))
            return self.loaded.emit(registries.known_devices() or ["CPU"])
        job = self._job
        if name in ("accepted", "started", "finished", "failed") and job is not None:
            job.update(values.get("job"))
        if name == "started":
            self.started.emit(values["info"])
        elif name == "progress":
            self.progress.emit(values["info"])
        elif name == "epoch_ended":
            self.epoch_ended.emit(int(values["epoch"]), values["logs"])
        elif name == "refused":  # nothing ran: the job of before stays what Continue goes on from
            self._job = self._previous
            self.running = False
            self.failed.emit(str(values.get("message", "")), "")
        elif name == "failed":
            self.running = False
            self.failed.emit(str(values.get("message", "")), str(values.get("details", "")))
        elif name == "finished":
            if job is not None and values.get("loaded") is not None:
                job.recorded, job._metadata = True, values["loaded"]
            self.running = False
            self.finished.emit(values["result"], values["results"])
        elif name in ("finder_progress", "finder_done"):
            if name == "finder_done":
                self.finding = False
            (self.finder_progress if name == "finder_progress" else self.finder_done).emit(values["result"])
        elif name == "finder_failed":
            self.finding = False
            self.finder_failed.emit(str(values.get("message", "")), str(values.get("details", "")))
        elif name == "trial_started":
            self.trial_started.emit(values["trial"])
        elif name == "trial_epoch":
            self.trial_epoch.emit(int(values["epoch"]), values["logs"])
        elif name == "trial_ended":
            self.trial_ended.emit(values["trial"], values.get("best"))
        elif name in ("search_done", "search_failed"):
            self.searching = False
            if name == "search_done":
                self.search_done.emit(values["best"])
            else:
                self.search_failed.emit(str(values.get("message", "")), str(values.get("details", "")))
        elif name == "unadopted":  # the child could not load the model to go on from: Continue cannot either
            self._source = None
            self.note.emit(str(values.get("message", "")))
        elif name == "ended":
            if values.get("kind") == "no_start":
                self.unavailable.emit(str(values.get("detail", "")))
            self._ended(values)

    def _ended(self, values: dict) -> None:
        """The child died. What it left: its last epoch (while training), else the model recorded last."""
        was_running, self.running = bool(values.get("running")), False
        checkpoint, loaded = values.get("checkpoint"), values.get("loaded")  # loaded: the checkpoint's metadata
        job = self._job
        working = was_running or self.finding or self.searching or bool(values.get("calls"))
        how = self._ending(str(values.get("kind", "")), str(values.get("detail", "")), working)
        if self.finding:  # the finder's sweep is what was lost; a trained model stays what it was
            self.finding, was_running = False, False
            self.finder_failed.emit(how[:1].upper() + how[1:], "")
        if self.searching:  # the trial running is lost; those that ended are recorded runs
            self.searching, was_running = False, False
            self.search_failed.emit(how[:1].upper() + how[1:], "")
        if checkpoint and loaded is not None:
            path, epoch = checkpoint
            self.adopt(loaded, path, own=True)
            said = self.tr("{0}; the weights of epoch {1} are kept: Continue goes on from them").format(how, epoch)
        elif job is not None and job.model_path is not None:
            self.adopt(job.metadata(), job.model_path, own=True)
            said = self.tr("{0}; the model trained before is kept: Continue goes on from it").format(how)
        else:
            self.remote.forget()
            said = self.tr("{0}; no epoch had been completed: Train starts again").format(how)
        if job is not None:
            job.trained = False
        if was_running or values.get("kind") == "no_start":
            self.crashed.emit(said, self._source is not None)
        else:  # nothing was training: a new child is ready, nothing was lost; a line, not a box
            self.note.emit(self.tr("{0}; a new one was started, the trained model is kept").format(how)
                           if self._source is not None else
                           self.tr("{0}; a new one was started").format(how))

    def _ending(self, kind: str, detail: str, working: bool = True) -> str:
        """How the child ended, in the window's language; running out of memory is named as a likely cause of
        a kill only where the child was ``working`` (training, finding, searching or answering a call)."""
        endings = {  # studio.training.remote.ENDINGS, in the window's language
            "stop_overdue": self.tr("training did not stop within {0} s, so its process was ended"),
            "killed": self.tr("the training process was killed ({0}; the system may have run out of memory)")
            if working else self.tr("the training process was killed ({0})"),
            "crashed": self.tr("the training process crashed ({0})"),
            "exited": self.tr("the training process ended unexpectedly (exit status {0})"),
            "no_start": self.tr("the training process could not start: {0}"),
        }
        return endings.get(kind, endings["exited"]).format(detail)


def _let_go(remote) -> None:
    remote.on_event = lambda name, values: None
    remote.release()


def _metadata_of(path) -> dict | None:
    """The metadata of a model file the child wrote (read with h5py: no TensorFlow here), or None where it
    cannot be read."""
    from studio.training.model_files import ModelFileError, read_metadata
    try:
        return read_metadata(path)
    except (ModelFileError, OSError):
        return None
