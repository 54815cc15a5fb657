"""What follows a training run that ended well, the same for ``studio train`` and the window's Train.

The model is evaluated on the test split, then the model and the run record
are written into the job's run folder as one step (``runs.record_run``), and
that run becomes the project's current model: what Continue and
``studio train --continue`` go on from, also after reopening.
"""

from __future__ import annotations

from studio.training.current_model import set_current
from studio.training.results import Results, summarize
from studio.training.runs import record_run, run_metrics


def evaluate_and_record(job, result, current: bool = True) -> Results:
    """Evaluate ``job``'s model and record ``result`` (its TrainingResult) in ``job.run_dir``; returns what
    the results view shows. Without a run folder nothing is written; ``current=False`` records the run
    without making it the project's current model (``studio train --out DIR``, ``studio quick``).

    Raises RunSaveError (one line) when the run cannot be written; the model is then kept in the
    system's temporary folder, which the message names.
    """
    results = summarize(job, job.evaluate())
    if job.run_dir is not None:
        record_run(job.run_dir, job.project, result, run_metrics(result.final, results.test), results,
                   model=job.model, model_metadata=job.metadata())
        if current:
            set_current(job.run_dir)
    return results
