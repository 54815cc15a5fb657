"""Run the training engine off the GUI thread; results come back to the GUI as signals.

Each job is a ``studio.ui.background.Background`` task, so training reports
its end as every other task does: ``finished(result, results)``, or
``failed(message, details)`` by the one rule (``background.failure``: a user's
mistake in one line, a bug with its traceback). Progress goes straight from
the engine's ``Reporter`` to this runner's signals, which Qt queues to the GUI
thread. Stop is the engine's own flag (``TrainingJob.stop``), not
``Background.cancel``: a stopped run still ends with its result, which is shown
and recorded.

The job trains a copy of the project, so the user may keep editing the graph
while it trains and the GUI never touches the model in training. The runner
keeps the last job so that Continue can resume it. Before the first job starts,
garbage collection is turned over to the GUI thread (``studio.ui.collection``).
Each job gets a thread of its own, as every Background task does, where it
used to share one long-lived thread: the engine seeds Keras at every
``train()`` (``keras.utils.set_random_seed``), so Train, Train again and
Continue give the same numbers and layer names either way (compared on
wide_deep when the long-lived thread went).
A step in TensorFlow cannot be interrupted, so ``shutdown`` waits a moment and
then leaves a job still inside one to end on its own thread (kept referenced).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from studio.core.loss_defaults import effective_loss
from studio.core.project import Project
from studio.ui.background import Background
from studio.ui.collection import collect_on_gui_thread

SHUTDOWN_WAIT_MS = 1500
_LEFT_RUNNING: list = []  # tasks still in a step execution when the window closed


def _train(job, epochs: int):
    """The training task: train, evaluate, save, record; returns (TrainingResult, training.results.Results).

    A failure raises (the Background reports it) and leaves no empty run folder behind.
    """
    from studio.training.engine import epochs_to_continue
    from studio.training.finish import evaluate_and_record
    try:
        target, job.target_epochs = getattr(job, "target_epochs", None), None
        if target:  # a job going on from a saved model: its epoch count is known once it is loaded
            job.prepare()
            epochs = epochs_to_continue(job.epoch, target)
        result = job.train(epochs or None)
        if result.reason == "error":
            raise result.error
        # test metrics, then model + record in job.run_dir as one step and the current model, as studio train;
        # a failed save (RunSaveError: one line, no details) keeps the model elsewhere and says where
        results = evaluate_and_record(job, result)
    except Exception:  # reported as failed, the application goes on
        _discard(job)
        raise
    return result, results


def _discard(job) -> None:
    """A run that failed leaves no empty folder behind."""
    from studio.training.runs import discard_unrecorded
    discard_unrecorded(getattr(job, "run_dir", None))


class TrainingRunner(QObject):
    """Runs one job at a time as a Background task and keeps the last one for Continue."""

    started = Signal(dict)
    progress = Signal(dict)
    epoch_ended = Signal(int, dict)
    finished = Signal(object, object)  # TrainingResult, training.results.Results
    failed = Signal(str, str)          # message, details ("" for the user's mistake)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.background: Background | None = None  # made for the first job; see _ensure_thread
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
        if self.background is None:
            # Never a garbage collection on the training thread (studio.ui.collection): with or without a window.
            collect_on_gui_thread()
            # No parent: a task still in a step when the window goes keeps its object (shutdown).
            self.background = Background(name="training")
            self.background.ended.connect(self._ended)  # first: the runner is idle when finished or failed is heard
            self.background.done.connect(self._done)
            self.background.failed.connect(self.failed)

    def _start(self, job, epochs: int) -> None:
        """Train ``job`` on the training thread (``epochs``: 0 for the settings')."""
        from studio.training.engine import Reporter
        job.reporter = Reporter(started=self.started.emit, progress=self.progress.emit,
                                epoch_ended=self.epoch_ended.emit)
        self._ensure_thread()
        self.running = True
        self.background.start(lambda progress, cancelled: _train(job, epochs))

    def _ended(self) -> None:
        self.running = False

    def _done(self, outcome) -> None:
        self.finished.emit(*outcome)

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
        self._start(self.job, epochs)

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Stop a running job (the window closes); returns within ``wait_ms``.

        A step execution in TensorFlow cannot be interrupted: if the job has not
        ended in time its thread is left to end on its own (its Background kept
        referenced, so that what it still emits has a live sender) and False is returned.
        """
        self.stop()
        if self.background is None:
            return True
        ended = self.background.wait(wait_ms / 1000)
        if not ended:  # a later job gets a task of its own; this one still says how its job ended
            _LEFT_RUNNING.append(self.background)
            self.background = None
        return ended
