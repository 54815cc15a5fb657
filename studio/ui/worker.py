"""Run the training engine on a worker thread; results come back to the GUI as signals.

The job trains a copy of the project, so the user may keep editing the graph
while it trains and the GUI never touches the model in training. Its end is
reported by the rule every Background task follows (``background.failure``: a
user's mistake in one line, a bug with its traceback). Training keeps one
long-lived thread, unlike the one-shot Background tasks, so that the model and
TensorFlow's state stay on the thread that made them between Train and Continue.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot

from studio.core.loss_defaults import effective_loss
from studio.core.project import Project
from studio.ui.background import failure
from studio.ui.collection import collect_on_gui_thread

SHUTDOWN_WAIT_MS = 1500
_LEFT_RUNNING: list = []  # threads still in a step execution when the window closed


class _Worker(QObject):
    started = Signal(dict)
    progress = Signal(dict)
    epoch_ended = Signal(int, dict)
    finished = Signal(object, object)  # TrainingResult, training.results.Results
    failed = Signal(str, str)          # message, details

    def __init__(self):
        super().__init__()
        self.job = None

    @Slot(object, int)
    def train(self, job, epochs: int) -> None:
        from studio.training.engine import Reporter, TrainingError, epochs_to_continue
        from studio.training.finish import evaluate_and_record
        self.job = job
        job.reporter = Reporter(started=self.started.emit, progress=self.progress.emit,
                                epoch_ended=self.epoch_ended.emit)
        try:
            target, job.target_epochs = getattr(job, "target_epochs", None), None
            if target:  # a job going on from a saved model: its epoch count is known once it is loaded
                try:
                    job.prepare()
                except TrainingError as exc:
                    _discard(job)
                    self.failed.emit(*failure(exc))
                    return
                epochs = epochs_to_continue(job.epoch, target)
            result = job.train(epochs or None)
            if result.reason == "error":
                _discard(job)
                self.failed.emit(*failure(result.error))
                return
            # test metrics, then model + record in job.run_dir as one step and the current model, as studio
            # train; a failed save (RunSaveError: one line, no details) keeps the model elsewhere, says where
            results = evaluate_and_record(job, result)
        except Exception as exc:  # anything else: reported, the application goes on
            _discard(job)
            self.failed.emit(*failure(exc))
            return
        self.finished.emit(result, results)


def _discard(job) -> None:
    """A run that failed leaves no empty folder behind."""
    from studio.training.runs import discard_unrecorded
    discard_unrecorded(getattr(job, "run_dir", None))


class TrainingRunner(QObject):
    """Owns the worker thread; one job at a time."""

    started = Signal(dict)
    progress = Signal(dict)
    epoch_ended = Signal(int, dict)
    finished = Signal(object, object)
    failed = Signal(str, str)
    _train = Signal(object, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.thread: QThread | None = None  # started with the first job
        self.worker = _Worker()
        for name in ("started", "progress", "epoch_ended", "finished", "failed"):
            getattr(self.worker, name).connect(getattr(self, name))
        self._train.connect(self.worker.train)
        self.finished.connect(lambda *a: setattr(self, "running", False))
        self.failed.connect(lambda *a: setattr(self, "running", False))
        self.job = None  # the last TrainingJob, kept so that Continue can resume it
        self.source = None  # (model, metadata) of an imported model: what Continue goes on from
        self.running = False

    def can_continue(self, project: Project) -> bool:
        """Whether Continue has a trained model to go on from: this session's, an imported one, or the
        project's saved one."""
        from studio.training.current_model import model_file
        if self.job is not None and self.job.model is not None or self.source is not None:
            return True
        return model_file(project) is not None

    def reset_weights(self, project: Project) -> None:
        """Forget the trained model: the next run starts from new weights (recorded runs stay)."""
        from studio.training.current_model import clear_current
        if self.running:
            return
        self.job = self.source = None
        clear_current(project)

    def _ensure_thread(self) -> None:
        if self.thread is None:
            # Never a garbage collection on the training thread (studio.ui.collection): with or without a window.
            collect_on_gui_thread()
            self.thread = QThread()
            self.thread.setObjectName("training")
            self.worker.moveToThread(self.thread)
            self.thread.start()

    def train(self, project: Project, epochs: int = 0, fresh: bool = True) -> None:
        """Start a new job on a copy of ``project`` (or continue the last one).

        ``epochs`` is the Epochs box's number: a fresh job trains that many (0: the
        settings'); Continue goes on to it, or that many more once it has been
        reached (studio.training.engine.epochs_to_continue).
        """
        if self.running:
            return
        # pandas and the engine load on first use
        from studio.training.engine import TrainingError, TrainingJob, epochs_to_continue
        from studio.training.runs import new_run_dir
        from studio.training.current_model import continue_from, resume, same_model
        going_on = not fresh and self.job is not None and self.job.model is not None \
            and same_model(project.graph.to_dict(), self.job.edited_graph)
        snapshot = project.copy()
        # the run's record names the loss it trained with, the default included
        snapshot.training["loss"] = effective_loss(snapshot.training, snapshot.graph, snapshot.data)
        if going_on:  # the job of this session, its model unchanged: it trains on with the settings shown now
            job = self.job
            # other settings: a run of its own (the last one's record stays true); also when the run's folder
            # is gone (its Continue failed, or the run was deleted in the Runs list)
            if job.continue_with(snapshot) or (job.run_dir is not None and not job.run_dir.is_dir()):
                try:
                    job.run_dir = new_run_dir(snapshot)
                except TrainingError:
                    job.continue_with(None)  # the job stays as it was
                    raise
            if epochs:
                epochs = epochs_to_continue(job.epoch, epochs)
        else:
            if fresh:
                job = TrainingJob(snapshot)
            elif self.job is not None and self.job.model is not None:  # edited since: the weights that fit stay
                job = continue_from(snapshot, self.job.model, self.job.metadata())
            elif self.source is not None:  # an imported model, in memory
                job = continue_from(snapshot, *self.source)
            else:  # the project's saved model, loaded (safely) on the training thread
                job = resume(snapshot)
                if job is None:
                    raise TrainingError("the project has no trained model to continue; Train first")
            if not fresh:
                job.target_epochs, epochs = epochs or job.settings.epochs, 0
            # The graph as the user made it: training writes the input scaling it learns into the
            # snapshot's (Normalization), which is not a change of the user's model.
            job.edited_graph = project.graph.to_dict()
            job.run_dir = new_run_dir(snapshot)  # None for a project never saved
            self.job = job  # only now: a run folder that cannot be made keeps the trained model of before
        self._ensure_thread()
        self.running = True
        self._train.emit(self.job, epochs)

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Stop a running job and end the thread (the window closes); returns within ``wait_ms``.

        A step execution in TensorFlow cannot be interrupted: if the job has not
        ended in time the thread is left to end on its own (kept referenced, so
        that Qt never destroys a running thread) and False is returned.
        """
        self.stop()
        if self.thread is None:
            return True
        self.thread.quit()
        ended = self.thread.wait(wait_ms)
        if not ended:
            _LEFT_RUNNING.append((self.thread, self.worker))
        self.thread = None
        return ended
