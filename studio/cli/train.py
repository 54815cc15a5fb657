"""``studio train`` and ``studio quick``: train a model from the command line, one line per epoch."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from studio.cli.common import EXIT_INVALID, EXIT_OK, add_command
from studio.training.distribute import KINDS


def cmd_train(args) -> int:
    """Train as the project says; one line per epoch; writes DIR/model.h5 and the run record. The last line is one JSON
    object with the final train, validation and test metrics.
    """
    from studio.core.project import load_project
    from studio.training.current_model import CurrentModelError, resume
    from studio.training.engine import Reporter, TrainingJob
    from studio.training.runs import discard_unrecorded, finite, new_run_dir, run_metrics

    project = load_project(args.project)
    if args.epochs is not None and not args.resume:
        project.training["epochs"] = args.epochs
    reporter = Reporter(epoch_ended=_print_epoch)
    placement = _placement(args)
    if args.resume:
        job = resume(project, reporter=reporter)
        if job is None:
            raise CurrentModelError(f"{project.path}: the project has no trained model to continue yet; "
                                    "train it first (studio train without --continue)")
    elif placement is not None:
        job = TrainingJob(project, reporter, strategy=placement.strategy,
                          **({"steps_per_execution": placement.steps_per_execution}
                             if placement.steps_per_execution else {}))
    else:
        job = TrainingJob(project, reporter)
    job.prepare()
    if placement is not None and not placement.chief:
        return _train_as_worker(job, placement)
    if args.resume:
        _say_continued(job)
    out = Path(args.out) if args.out else new_run_dir(project)
    # Ctrl-C stops one process of a multi-worker job at once (the others then end with a message): stopping
    # one worker at the end of its steps would leave the others waiting for it in mid-epoch
    stopping = _stop_on_ctrl_c(job) if placement is None or placement.workers == 1 else _no_handler()
    try:
        with stopping:
            outcome = _train_and_record(job, out, "studio train", args.epochs if args.resume else None,
                                        current=not args.out,  # the project's current model: what --continue uses
                                        placement=placement)
    except KeyboardInterrupt:  # a second Ctrl-C: quit at once
        print("studio train: interrupted; nothing was recorded", file=sys.stderr)
        return 130
    finally:
        if not args.out:
            discard_unrecorded(out)  # a failed run leaves no empty folder
    if isinstance(outcome, int):
        return outcome
    result, results = outcome
    if result.reason == "stopped":
        print(f"stopped by Ctrl-C after {result.epochs_done} epochs; the run is recorded", file=sys.stderr)
    print(f"model: {out / 'model.h5'}")
    metrics = run_metrics(result.final, results.test)
    line, found = finite({"reason": result.reason, "epochs": result.epochs_done, **metrics})
    print(json.dumps({**line, **({"non_finite": "NaN or infinite values are written as null"} if found else {})},
                     allow_nan=False))
    return EXIT_OK


def _placement(args):
    """Where ``--distribute`` trains (None: as always, in this process)."""
    if not args.distribute:
        return None
    from studio.training.distribute import DistributeError, place
    if args.resume:
        raise DistributeError("--continue does not go with --distribute yet: train on in one process "
                              "(studio train --continue), or train afresh under --distribute")
    placement = place(args.distribute)
    print(placement.describe(), flush=True)
    return placement


def _train_as_worker(job, placement) -> int:
    """A worker other than the chief: train in step with the others, then wait while the chief records."""
    from studio.training.distribute import barrier, lost_worker
    result = job.train()
    if result.reason == "error":
        print(f"studio train: worker {placement.index}: training failed: "
              f"{lost_worker(result.error) or result.error}", file=sys.stderr)
        return EXIT_INVALID
    try:
        barrier(placement)
    except Exception as exc:  # the chief ended before recording: it says why
        print(f"studio train: worker {placement.index}: {lost_worker(exc) or exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"worker {placement.index}: trained {result.epochs_done} epochs; the chief records the run", flush=True)
    return EXIT_OK


class _no_handler:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _stop_on_ctrl_c:
    """While training: the first Ctrl-C stops after the current steps (the run is kept, marked "stopped"),
    a second one quits at once."""

    def __init__(self, job):
        self.job = job

    def __enter__(self):
        import signal
        self.previous = signal.getsignal(signal.SIGINT)
        self.asked = False

        def handler(signum, frame):
            if self.asked:
                raise KeyboardInterrupt
            self.asked = True
            self.job.stop()
            print("stopping after the current steps (Ctrl-C again to quit at once)", file=sys.stderr, flush=True)
        try:
            signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread (tests calling main() from a thread): no handler
            self.previous = None
        return self

    def __exit__(self, *exc):
        import signal
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False


def _say_continued(job) -> None:
    if job.reset is None:
        steps = int(job.model.optimizer.iterations.numpy())
        print(f"continuing from epoch {job.epoch} ({steps:,} optimizer steps taken)")
        if job.optimizer_changes:
            print(f"note: the optimizer was changed since the model was trained ({'; '.join(job.optimizer_changes)}); "
                  "its state starts afresh, the weights go on")
    else:
        kept = ", ".join(job.kept) or "none"
        print(f"note: the model was edited since it was trained; layers that kept their weights: {kept}; "
              f"started afresh: {', '.join(job.reset) or 'none'} (the optimizer starts afresh)")


def cmd_quick(args) -> int:
    """Infer the task from the target, build a default MLP (inputs normalized in the model), train with early stopping,
    evaluate on the test split. The last line is one JSON object.
    """
    from studio.core.project import save_project
    from studio.training.engine import Reporter, TrainingJob
    from studio.training.quick import quick_project

    project = quick_project(args.data, args.target, epochs=args.epochs, seed=args.seed)
    job = TrainingJob(project, Reporter(epoch_ended=_print_epoch))
    job.prepare()
    out = Path(args.out or f"{Path(args.data).stem}.quick")
    outcome = _train_and_record(job, out, "studio quick")
    if isinstance(outcome, int):
        return outcome
    result, results = outcome
    test = results.test
    save_project(project, out / "quick.studio.json")
    key = "mae" if job.data.task == "regression" else "accuracy"
    value = test.get("mean_absolute_error") if key == "mae" else test.get("accuracy", test.get("binary_accuracy"))
    summary = {"task": job.data.task, "target": args.target if len(args.target) > 1 else args.target[0],
               "rows": job.data.rows,
               "epochs": result.epochs_done, "reason": result.reason,
               "test": {"loss": test["loss"], key: value}}
    print(f"model: {out / 'model.h5'}  project: {out / 'quick.studio.json'}")
    print(json.dumps(summary))
    return EXIT_OK


def _train_and_record(job, out: Path, command: str, epochs: int | None = None, current: bool = False,
                      placement=None):
    """Train (``epochs`` more, default the settings'), evaluate, write out/model.h5 and the run record
    (``current``: as the project's current model); (TrainingResult, Results), or an exit code if training
    failed. A folder that cannot take the model (OutputError) or a run that cannot be saved (RunSaveError)
    is raised, for ``main`` to say. Under ``placement`` (--distribute) this is the chief: it evaluates and
    records alone, on a plain copy of the trained model, while the other workers wait."""
    from studio.training.distribute import barrier, localize, lost_worker
    from studio.training.finish import evaluate_and_record

    job.check_output(out)  # a read-only folder or a full disk is said now, not after the whole training
    out.mkdir(parents=True, exist_ok=True)
    job.run_dir = out
    for warning in job.data.warnings:
        print(f"note: {warning}")
    result = job.train(epochs)
    if result.reason == "error":
        lost = lost_worker(result.error) if placement is not None else None
        print(f"{command}: training failed: {lost or result.error}", file=sys.stderr)
        return EXIT_INVALID
    if placement is None:
        # the model and the record as one step; a failed save keeps the model elsewhere and says where
        return result, evaluate_and_record(job, result, current=current)
    localize(job)
    try:
        return result, evaluate_and_record(job, result, current=current)
    finally:
        barrier(placement)  # the other workers end now


def _print_epoch(epoch: int, logs: dict) -> None:
    shown = "  ".join(f"{k} {v:.4f}" for k, v in logs.items() if k != "learning_rate")
    print(f"epoch {epoch + 1}: {shown}", flush=True)


def _train_parser(commands) -> None:
    train = add_command(commands, "train", cmd_train, "train a project's model")
    train.add_argument("project", metavar="PROJECT.studio.json")
    train.add_argument("--epochs", type=int, help="override the project's number of epochs")
    train.add_argument("--out", metavar="DIR", help="where to write the model and run record "
                                                    "(default: a new folder in PROJECT.runs/, and the "
                                                    "model becomes the project's current one)")
    train.add_argument("--continue", dest="resume", action="store_true",
                       help="go on from the project's current model (its weights, optimizer state and epoch "
                            "count) instead of new weights; --epochs is then how many more")
    train.add_argument("--distribute", choices=KINDS,
                       help="train under tf.distribute: mirrored (all local GPUs) or multi-worker (the cluster "
                            "in TF_CONFIG, or Slurm's); the batch size is the global batch; only the chief "
                            "writes the run (see docs/scale-out.md)")


def _quick_parser(commands) -> None:
    quick = add_command(commands, "quick", cmd_quick, "train a sensible default model on a CSV file")
    quick.add_argument("data", metavar="DATA.csv")
    quick.add_argument("--target", nargs="+", required=True, metavar="COL")
    quick.add_argument("--epochs", type=int, default=200, help="at most this many epochs (default 200)")
    quick.add_argument("--out", metavar="DIR", help="where to write model.h5, the project and the run record")
    quick.add_argument("--seed", type=int, default=42)


#: How each command's parser is added, by name (``studio.cli.build_parser`` adds them in its order).
PARSERS = {"train": _train_parser, "quick": _quick_parser}
