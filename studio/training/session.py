"""One window's training state: the job Continue goes on from and an imported model, and how a Train or a
Continue turns into a job and runs. No Qt: the training child (``studio.training.child``) runs it for the window.

``prepare(project, epochs, fresh)`` decides what the next run is: a new model
(Train), the session's job going on with the settings shown now (Continue,
graph unchanged), the kept weights carried into an edited graph, an imported
model or the project's saved one. ``run(job, epochs, reporter)`` trains it,
evaluates it and records it, as ``studio train`` does.
"""

from __future__ import annotations

from studio.core.loss_defaults import effective_loss
from studio.core.project import Project


class TrainingSession:
    """What one window has trained: ``job`` (the last TrainingJob) and ``source`` (model, metadata) of an
    imported model or of the weights a crashed run left."""

    def __init__(self):
        self.job = None
        self.source = None

    def forget(self) -> None:
        """File > New, Open, Reset weights: nothing trained before is gone on from."""
        self.job = self.source = None

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()

    def has_model(self) -> bool:
        return self.job is not None and self.job.model is not None or self.source is not None

    def prepare(self, project: Project, epochs: int = 0, fresh: bool = True, edited_graph: dict | None = None):
        """The job a Train (``fresh``) or a Continue on ``project`` runs, and how many epochs it trains (0: the
        job's target, known once a saved model is loaded). TrainingError (one line) when there is none to run;
        the session's job is then unchanged.

        ``edited_graph`` is the graph as the user made it (the project's by default).
        """
        from studio.training.current_model import continue_from, resume, same_model
        from studio.training.engine import TrainingError, TrainingJob, epochs_to_continue
        from studio.training.runs import new_run_dir
        edited_graph = edited_graph if edited_graph is not None else project.graph.to_dict()
        going_on = not fresh and self.job is not None and self.job.model is not None \
            and same_model(edited_graph, self.job.edited_graph)
        snapshot = project.copy()
        # the run's record names the loss it trained with, the default included
        snapshot.training["loss"] = effective_loss(snapshot.training, snapshot.graph, snapshot.data)
        if going_on:  # the session's job, its model unchanged: it trains on with the settings shown now
            job = self.job
            # other settings: a run of its own (the last one's record stays true); also when the run's folder
            # is gone (its Continue failed, or the run was deleted in the Runs list)
            if job.continue_with(snapshot) or (job.run_dir is not None and not job.run_dir.is_dir()):
                try:
                    job.run_dir = new_run_dir(snapshot)
                except TrainingError:
                    job.continue_with(None)  # the job stays as it was
                    raise
            return job, epochs_to_continue(job.epoch, epochs) if epochs else epochs
        if fresh:
            job = TrainingJob(snapshot)
        elif self.job is not None and self.job.model is not None:  # edited since: the weights that fit stay
            job = continue_from(snapshot, self.job.model, self.job.metadata())
        elif self.source is not None:  # an imported model, or what a crashed run left
            job = continue_from(snapshot, *self.source)
        else:  # the project's saved model, loaded (safely) when the job is prepared
            job = resume(snapshot)
            if job is None:
                raise TrainingError("the project has no trained model to continue; Train first")
        if not fresh:
            job.target_epochs, epochs = epochs or job.settings.epochs, 0
        # The graph as the user made it: training writes the input scaling it learns into the
        # snapshot's (Normalization), which is not a change of the user's model.
        job.edited_graph = edited_graph
        job.run_dir = new_run_dir(snapshot)
        self.job = job  # only now: a run folder that cannot be made keeps the trained model of before
        return job, epochs

    def run(self, job, epochs: int, reporter=None, callbacks: list | None = None):
        """Train ``job`` (from ``prepare``), then evaluate and record it: (TrainingResult, Results).

        Raises what went wrong (a TrainingError or RunSaveError in one line, or a bug); a failed run leaves
        no empty run folder behind.
        """
        from studio.training.engine import epochs_to_continue
        from studio.training.finish import evaluate_and_record
        from studio.training.runs import discard_unrecorded
        if reporter is not None:
            job.reporter = reporter
        try:
            target, job.target_epochs = getattr(job, "target_epochs", None), None
            if target:  # a job going on from a saved model: its epoch count is known once it is loaded
                job.prepare()
                epochs = epochs_to_continue(job.epoch, target)
            result = job.train(epochs or None, callbacks=callbacks)
            if result.reason == "error":
                raise result.error
            # test metrics, then model + record in job.run_dir as one step and the current model, as studio
            # train; a failed save (RunSaveError: one line) keeps the model elsewhere and says where
            return result, evaluate_and_record(job, result)
        except BaseException:
            discard_unrecorded(getattr(job, "run_dir", None))
            raise
