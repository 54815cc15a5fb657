"""``studio tune`` and ``studio lr-find``: search hyperparameters, suggest a learning rate."""

from __future__ import annotations

import json
import sys

from studio.cli.common import EXIT_INVALID, EXIT_OK, add_command


def cmd_tune(args) -> int:
    """Search the hidden layers, neurons, activation, learning rate, batch size, optimizer and dropout of the project's
    MLP with keras-tuner; the space is the project's tuning section (defaults otherwise). One line per trial; the
    last line is one JSON object with the best hyperparameters and objective. Each trial is recorded as a run.
    """
    from studio.core.project import load_project
    from studio.tuning.search import Search, SearchReporter, TuningSettings

    def ended(trial):
        shown = ", ".join(f"{k}={_short(v)}" for k, v in trial.hyperparameters.items())
        value = "failed: " + trial.message if trial.objective is None else f"{trial.objective:.4f}"
        print(f"trial {trial.number}: {shown} -> {settings.objective} {value}", flush=True)

    project = load_project(args.project)
    tuning = dict(project.tuning)
    for key, value in (("max_trials", args.trials), ("max_epochs", args.max_epochs),
                       ("algorithm", args.algorithm), ("objective", args.objective)):
        if value is not None:
            tuning[key] = value
    settings = TuningSettings.from_dict(tuning)
    role = None
    if args.distributed:
        from studio.tuning.distributed import role_from
        role = role_from()
        print(role.describe(), flush=True)
    search = Search(project, settings, SearchReporter(trial_ended=ended), role=role)
    if role is not None and role.chief:
        return _serve(search)
    best = search.run()
    if role is not None:  # a worker: its own trials; the chief says which was best of all
        print(json.dumps({"tuner": role.tuner_id, "trials": [t.trial_id for t in search.trials],
                          "best_objective": best.objective if best else None}))
        return EXIT_OK
    if best is None:
        print("studio tune: no trial finished", file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps({"best_hyperparameters": best.hyperparameters, "best_objective": best.objective,
                      "objective": settings.objective, "trials": len(search.trials),
                      "best_run": best.run_dir}))
    return EXIT_OK


def _serve(search) -> int:
    """The chief of a distributed search: serve trials until all have ended, then say which was best."""
    best = search.serve()
    if best is None:
        print("studio tune: no trial finished on any worker", file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps(best))
    return EXIT_OK


def cmd_lr_find(args) -> int:
    """Train one epoch while the learning rate grows exponentially from 1e-5 to 10; print the smoothed loss against the
    rate and, last, one JSON object with the suggested rate (a tenth of the rate at the lowest loss). The project is
    not changed.
    """
    from studio.core.project import load_project
    from studio.tuning.lr_finder import find_learning_rate, record_finder_run

    project = load_project(args.project)
    result = find_learning_rate(project, args.start, args.end, args.batch_size)
    record_finder_run(project, result)
    for i in range(0, len(result.rates), max(1, len(result.rates) // 20)):
        print(f"rate {result.rates[i]:.3g}: loss {result.smoothed[i]:.4f}")
    if result.suggestion is None:
        print(f"studio lr-find: {result.message}", file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps(result.to_dict()))
    return EXIT_OK


def _short(value):
    return f"{value:.3g}" if isinstance(value, float) else value


def _tune_parser(commands) -> None:
    tune = add_command(commands, "tune", cmd_tune,
                       "search hyperparameters (layers, neurons, learning rate, ...)")
    tune.add_argument("project", metavar="PROJECT.studio.json")
    tune.add_argument("--trials", type=int, help="at most this many trials (default: the project's, else 10)")
    tune.add_argument("--max-epochs", type=int, help="epochs per trial (default: the project's, else 5)")
    tune.add_argument("--algorithm", choices=("random", "hyperband", "bayesian"))
    tune.add_argument("--objective", help="a validation metric, e.g. val_accuracy (default) or val_loss")
    tune.add_argument("--distributed", action="store_true",
                      help="take part in keras-tuner's distributed search: KERASTUNER_TUNER_ID=chief runs the "
                           "oracle, every other id trains the trials it hands out (KERASTUNER_ORACLE_IP and "
                           "KERASTUNER_ORACLE_PORT say where the chief listens; see docs/scale-out.md)")


def _lr_find_parser(commands) -> None:
    finder = add_command(commands, "lr-find", cmd_lr_find, "suggest a learning rate (range test)")
    finder.add_argument("project", metavar="PROJECT.studio.json")
    finder.add_argument("--start", type=float, default=1e-5)
    finder.add_argument("--end", type=float, default=10.0)
    finder.add_argument("--batch-size", type=int, help="default: the project's")


#: How each command's parser is added, by name (``studio.cli.build_parser`` adds them in its order).
PARSERS = {"tune": _tune_parser, "lr-find": _lr_find_parser}
