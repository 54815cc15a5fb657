"""The ``studio`` command.

``studio`` opens the application; ``studio check FILE`` validates a project
and prints its layers. User errors print one clear message and exit non-zero;
they never print a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import studio

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def layer_table(graph, report) -> str:
    """A plain-text table: name, class, output shape, parameters, then the total."""
    from studio.core.shapes import fmt

    rows = [("Layer", "Class", "Output shape", "Params")]
    for node in graph:
        shape = report.shapes.get(node.name)
        params = "?" if shape is None or shape.params is None else f"{shape.params:,}"
        rows.append((node.name, node.class_name, fmt(shape.shape if shape else None), params))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) if c < 3 else cell.rjust(w)
                               for c, (cell, w) in enumerate(zip(row, widths))))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"Total params: {report.total_params:,}")
    return "\n".join(lines)


def cmd_check(args) -> int:
    from studio.core import registries
    from studio.core.project import ProjectError, load_project
    from studio.core.validation import validate

    from studio.training.settings import project_problems

    try:
        project = load_project(args.file)
    except ProjectError as exc:
        for line in str(exc).splitlines():  # one line for each problem, naming its field
            print(f"studio check: {line}", file=sys.stderr)
        return EXIT_UNREADABLE
    # Activations, initializers and regularizers are checked against Keras' registries.
    for registry in ("activations", "initializers", "regularizers"):
        registries.names(registry)
    report = validate(project.graph)
    print(layer_table(project.graph, report))
    for problem in report.problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    outside = project.data_outside()
    if outside is not None:  # said, not refused: a student's own project may read a CSV from anywhere
        print(f"note: the data file {outside} lies outside the project's folder")
    settings = project_problems(project)  # the data and training sections, as training checks them
    for line in settings:
        print(f"error: {line}", file=sys.stderr)
    if not report.ok or settings:
        count = len(report.errors) + len(settings)
        print(f"{args.file}: {count} error{'s' if count != 1 else ''}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def cmd_data(args) -> int:
    import json
    from pathlib import Path

    from studio.data.csv_file import load_csv
    from studio.data.errors import DataError
    from studio.data.images import load_image_dataset
    from studio.data.summary import csv_summary, image_summary

    try:
        path = Path(args.file)
        if path.suffix.lower() in (".csv", ".tsv", ".txt") or (path.is_file() and path.suffix.lower() != ".npz"):
            table = load_csv(path, encoding=args.encoding, delimiter=args.delimiter, decimal=args.decimal,
                             header=args.header)
            lines, result = csv_summary(table, args.target)
        else:
            lines, result = image_summary(load_image_dataset(args.file))
    except DataError as exc:
        print(f"studio data: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print("\n".join(lines))
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def cmd_train(args) -> int:
    import json
    from pathlib import Path

    from studio.core.project import ProjectError, load_project
    from studio.training.current_model import CurrentModelError, resume, set_current
    from studio.training.engine import OutputError, Reporter, TrainingError, TrainingJob
    from studio.training.model_files import ModelFileError
    from studio.training.runs import discard_unrecorded, finite, new_run_dir

    try:
        project = load_project(args.project)
        if args.epochs is not None and not args.resume:
            project.training["epochs"] = args.epochs
        reporter = Reporter(epoch_ended=_print_epoch)
        if args.resume:
            job = resume(project, reporter=reporter)
            if job is None:
                raise CurrentModelError(f"{project.path}: the project has no trained model to continue yet; "
                                        "train it first (studio train without --continue)")
        else:
            job = TrainingJob(project, reporter)
        job.prepare()
        if args.resume:
            _say_continued(job)
        out = Path(args.out) if args.out else new_run_dir(project)
    except (ProjectError, TrainingError, CurrentModelError, ModelFileError) as exc:
        print(f"studio train: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE if isinstance(exc, (ProjectError, ModelFileError, OutputError)) else EXIT_INVALID
    try:
        with _stop_on_ctrl_c(job):
            outcome = _train_and_record(job, project, out, "studio train", args.epochs if args.resume else None)
    except KeyboardInterrupt:  # a second Ctrl-C: quit at once
        if not args.out:
            discard_unrecorded(out)
        print("studio train: interrupted; nothing was recorded", file=sys.stderr)
        return 130
    if isinstance(outcome, int):
        if not args.out:
            discard_unrecorded(out)  # a failed run leaves no empty folder
        return outcome
    if outcome[0].reason == "stopped":
        print(f"stopped by Ctrl-C after {outcome[0].epochs_done} epochs; the run is recorded", file=sys.stderr)
    if not args.out:
        set_current(out)  # the project's current model: what the window and --continue go on from
    result, test, metrics = outcome
    print(f"model: {out / 'model.h5'}")
    line, found = finite({"reason": result.reason, "epochs": result.epochs_done, **metrics})
    print(json.dumps({**line, **({"non_finite": "NaN or infinite values are written as null"} if found else {})},
                     allow_nan=False))
    return EXIT_OK


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


def cmd_import(args) -> int:
    from pathlib import Path

    from studio.core.keras_bridge import ImportRefused, import_model
    from studio.core.project import ProjectError, save_project
    from studio.training.imported import imported_project, record_import
    from studio.training.model_files import ModelFileError
    from studio.training.safe_load import open_untrusted

    out = Path(args.out)
    if not out.name.endswith(".studio.json"):
        print(f"studio import: {out}: a project file's name ends in .studio.json", file=sys.stderr)
        return EXIT_INVALID
    try:
        model, metadata = open_untrusted(args.model)
        graph = import_model(model, name=model.name)
    except (ModelFileError, ImportRefused) as exc:
        print(f"studio import: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    project, continued, notes = imported_project(model, metadata, graph)
    try:
        save_project(project, out)
        run = record_import(project, model, continued, Path(args.model))
    except (ProjectError, ModelFileError, OSError) as exc:
        print(f"studio import: {exc}", file=sys.stderr)
        return EXIT_INVALID
    for note in notes:
        print(f"note: {note}")
    steps = int(model.optimizer.iterations.numpy()) if getattr(model, "optimizer", None) is not None else 0
    print(f"project: {project.path}  model: {run / 'model.h5'} ({model.count_params():,} parameters, "
          f"{steps:,} optimizer steps taken)")
    print("choose its data (Data tab, or the project's data section), then: studio train --continue "
          f"{project.path}")
    return EXIT_OK


def cmd_quick(args) -> int:
    import json
    from pathlib import Path

    from studio.core.project import save_project
    from studio.data.errors import DataError
    from studio.training.engine import Reporter, TrainingError, TrainingJob
    from studio.training.quick import quick_project

    try:
        project = quick_project(args.data, args.target, epochs=args.epochs, seed=args.seed)
        job = TrainingJob(project, Reporter(epoch_ended=_print_epoch))
        job.prepare()
    except (DataError, TrainingError) as exc:
        print(f"studio quick: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE if isinstance(exc, DataError) else EXIT_INVALID
    out = Path(args.out or f"{Path(args.data).stem}.quick")
    outcome = _train_and_record(job, project, out, "studio quick")
    if isinstance(outcome, int):
        return outcome
    result, test, _ = outcome
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


def _train_and_record(job, project, out, command: str, epochs: int | None = None):
    """Train (``epochs`` more, default the settings'), evaluate, write out/model.h5 and the run record;
    an exit code if training failed."""
    from studio.training.errors import OutputError, RunSaveError
    from studio.training.results import summarize
    from studio.training.runs import record_run, run_metrics

    try:
        job.check_output(out)  # a read-only folder or a full disk is said now, not after the whole training
    except OutputError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    out.mkdir(parents=True, exist_ok=True)
    job.run_dir = out
    for warning in job.data.warnings:
        print(f"note: {warning}")
    result = job.train(epochs)
    if result.reason == "error":
        print(f"{command}: training failed: {result.error}", file=sys.stderr)
        return EXIT_INVALID
    test = job.evaluate()
    metrics = run_metrics(result.final, test)
    try:  # the model and the record as one step; a failed save keeps the model elsewhere and says where
        record_run(out, project, result, metrics, summarize(job, test), model=job.model,
                   model_metadata=job.metadata())
    except RunSaveError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return result, test, metrics


def _print_epoch(epoch: int, logs: dict) -> None:
    shown = "  ".join(f"{k} {v:.4f}" for k, v in logs.items() if k != "learning_rate")
    print(f"epoch {epoch + 1}: {shown}", flush=True)


def cmd_inspect(args) -> int:
    from studio.training.model_files import ModelFileError
    from studio.training.safe_load import open_untrusted

    try:
        model, metadata = open_untrusted(args.model)
    except ModelFileError as exc:
        print(f"studio inspect: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    rows = [("Layer", "Class", "Output shape", "Params")]
    for layer in model.layers:
        shape = getattr(layer, "output", None)
        shape = str(tuple(shape.shape)) if shape is not None else "?"
        rows.append((layer.name, type(layer).__name__, shape, f"{layer.count_params():,}"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    print(f"Total params: {model.count_params():,}")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        print(f"Optimizer: {type(optimizer).__name__}, {int(optimizer.iterations.numpy()):,} steps taken")
    if metadata.get("class_names"):
        print(f"Classes: {', '.join(metadata['class_names'])}")
    return EXIT_OK


def cmd_export(args) -> int:
    from studio.core.project import ProjectError, load_project
    from studio.exports.script import ExportError, export_script

    try:
        project = load_project(args.project)
        path = export_script(project, args.style, args.out)
    except (ProjectError, ExportError) as exc:
        print(f"studio export: {exc}", file=sys.stderr)
        return EXIT_INVALID if isinstance(exc, ExportError) else EXIT_UNREADABLE
    print(f"wrote {path} ({args.style} API); run it with: python {path} --epochs 1")
    return EXIT_OK


def cmd_labs(args) -> int:
    from studio.classroom.labs import LabError, labs_home, list_labs, work_folder

    try:
        labs = list_labs()
    except LabError as exc:
        print(f"studio labs: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    for lab in labs:
        started = " (started)" if work_folder(lab).exists() else ""
        print(f"{lab.number:>2}  {lab.id:<22} {lab.text('title', args.lang)}{started}")
    print(f"Students' copies: {labs_home()}  (set STUDIO_LABS_HOME to change)")
    return EXIT_OK


def cmd_lab(args) -> int:
    from studio.classroom.lab_checks import check_lab
    from studio.classroom.labs import LabError, find_lab, load_lab, project_file, start_lab, work_folder

    try:
        if args.lab == "-":  # an assignment (or any lab folder): the lab.json in --folder
            if not args.folder or args.action != "check":
                print("studio lab: '-' means the lab in --folder, for check", file=sys.stderr)
                return EXIT_INVALID
            lab = load_lab(args.folder)
        else:
            lab = find_lab(args.lab)
        if args.action == "start":
            folder = start_lab(lab, restart=args.restart)
            project = project_file(lab, folder)
            print(f"lab {lab.number}: {lab.text('title', args.lang)}")
            print(f"folder: {folder}" + (f"\nproject: {project}" if project else ""))
            return EXIT_OK
        if args.action == "lesson":
            print(lab.lesson(args.lang))
            return EXIT_OK
        folder = Path(args.folder) if args.folder else work_folder(lab)
        if not folder.is_dir():
            print(f"studio lab: lab {lab.number} is not started yet ({folder} does not exist); run "
                  f"'studio lab start {lab.number}' first", file=sys.stderr)
            return EXIT_UNREADABLE
        result = check_lab(lab, folder)
    except LabError as exc:
        print(f"studio lab: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(result.report(args.lang))
    verdict = ("통과" if result.passed else "아직 통과하지 못했습니다") if args.lang == "ko" else (
        "passed" if result.passed else "not passed yet")
    print(f"lab {lab.number}: {verdict}")
    return EXIT_OK if result.passed else EXIT_INVALID


def cmd_pack(args) -> int:
    from studio.classroom.labs import LabError
    from studio.classroom.packs import create_pack, open_pack

    try:
        if args.action == "create":
            if not args.out:
                print("studio pack: create needs -o FILE.studio-pack", file=sys.stderr)
                return EXIT_INVALID
            instructions = {"en": args.instructions} if args.instructions else None
            path = create_pack(args.file, args.out, args.title, instructions, args.lock or DEFAULT_PACK_LOCKS,
                               args.require or ())
            print(f"wrote {path}")
        else:
            folder = open_pack(args.file, restart=args.restart, told=print,
                               restart_hint="; `--restart` starts it afresh (your work there is moved aside)")
            print(f"folder: {folder}")
            print(f"check it with: studio lab check - --folder {folder}")
    except LabError as exc:
        print(f"studio pack: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK


DEFAULT_PACK_LOCKS = ("data", "training.seed")


def cmd_report(args) -> int:
    from studio.exports.report import ReportError, write_report

    try:
        path = write_report(args.run, args.out)
    except ReportError as exc:
        print(f"studio report: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"wrote {path}")
    return EXIT_OK


def cmd_tune(args) -> int:
    import json

    from studio.core.project import ProjectError, load_project
    from studio.tuning.search import Search, SearchError, SearchReporter, TuningSettings

    def ended(trial):
        shown = ", ".join(f"{k}={_short(v)}" for k, v in trial.hyperparameters.items())
        value = "failed: " + trial.message if trial.objective is None else f"{trial.objective:.4f}"
        print(f"trial {trial.number}: {shown} -> {settings.objective} {value}", flush=True)

    try:
        project = load_project(args.project)
        tuning = dict(project.tuning)
        for key, value in (("max_trials", args.trials), ("max_epochs", args.max_epochs),
                           ("algorithm", args.algorithm), ("objective", args.objective)):
            if value is not None:
                tuning[key] = value
        settings = TuningSettings.from_dict(tuning)
        search = Search(project, settings, SearchReporter(trial_ended=ended))
        best = search.run()
    except (ProjectError, SearchError) as exc:
        print(f"studio tune: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE if isinstance(exc, ProjectError) else EXIT_INVALID
    if best is None:
        print("studio tune: no trial finished", file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps({"best_hyperparameters": best.hyperparameters, "best_objective": best.objective,
                      "objective": settings.objective, "trials": len(search.trials),
                      "best_run": best.run_dir}))
    return EXIT_OK


def cmd_lr_find(args) -> int:
    import json

    from studio.core.project import ProjectError, load_project
    from studio.training.engine import TrainingError
    from studio.tuning.lr_finder import find_learning_rate, record_finder_run

    try:
        project = load_project(args.project)
        result = find_learning_rate(project, args.start, args.end, args.batch_size)
        record_finder_run(project, result)
    except (ProjectError, TrainingError) as exc:
        print(f"studio lr-find: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE if isinstance(exc, ProjectError) else EXIT_INVALID
    for i in range(0, len(result.rates), max(1, len(result.rates) // 20)):
        print(f"rate {result.rates[i]:.3g}: loss {result.smoothed[i]:.4f}")
    if result.suggestion is None:
        print(f"studio lr-find: {result.message}", file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps(result.to_dict()))
    return EXIT_OK


def _short(value):
    return f"{value:.3g}" if isinstance(value, float) else value


def cmd_app(args) -> int:
    if args.self_test:
        from studio.ui.self_test import run_self_test
        return run_self_test()
    from studio.ui.app import run_app
    return run_app(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio", description="Perceptron Studio: build, train and inspect Keras models.")
    parser.add_argument("--version", action="version", version=f"Perceptron Studio {studio.__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="run the whole build-train-save-open flow headlessly; exit 0 when it all works")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser("check", help="validate a project and print its layers",
                                description="Validate a project file and print its layers. Exits 0 "
                                            "when valid, 1 with every problem listed, 2 when the "
                                            "file cannot be read.")
    check.add_argument("file", metavar="FILE.studio.json")
    check.set_defaults(func=cmd_check)

    data = commands.add_parser("data", help="describe a CSV file or a data set",
                               description="Describe a CSV file (what was detected, each column's type "
                                           "and missing values) or a data set such as mnist. The last "
                                           "line is one JSON object. Exits 2 when it cannot be read.")
    data.add_argument("file", metavar="FILE|NAME", help="a CSV file, mnist, fashion_mnist, or an .npz/IDX set")
    data.add_argument("--target", nargs="+", metavar="COL", help="suggest the task for these target columns")
    data.add_argument("--delimiter", help="the field separator (detected when left out)")
    data.add_argument("--encoding", help="the text encoding (detected when left out)")
    data.add_argument("--decimal", choices=[".", ","], help="the decimal mark (detected when left out)")
    header = data.add_mutually_exclusive_group()
    header.add_argument("--header", dest="header", action="store_true", default=None,
                        help="the first row holds column names")
    header.add_argument("--no-header", dest="header", action="store_false", help="the first row is data")
    data.set_defaults(func=cmd_data)
    train = commands.add_parser("train", help="train a project's model",
                                description="Train as the project says; one line per epoch; writes "
                                            "DIR/model.h5 and the run record. The last line is one JSON "
                                            "object with the final train, validation and test metrics.")
    train.add_argument("project", metavar="PROJECT.studio.json")
    train.add_argument("--epochs", type=int, help="override the project's number of epochs")
    train.add_argument("--out", metavar="DIR", help="where to write the model and run record "
                                                    "(default: a new folder in PROJECT.runs/, and the "
                                                    "model becomes the project's current one)")
    train.add_argument("--continue", dest="resume", action="store_true",
                       help="go on from the project's current model (its weights, optimizer state and epoch "
                            "count) instead of new weights; --epochs is then how many more")
    train.set_defaults(func=cmd_train)

    imported = commands.add_parser("import", help="make a project of a Keras model file (.h5 or .keras)",
                                   description="Check the file safely, then write PROJECT.studio.json with "
                                               "its graph and training settings; its weights and optimizer "
                                               "state become the project's current model, which "
                                               "'studio train --continue' goes on from.")
    imported.add_argument("model", metavar="MODEL.h5|MODEL.keras")
    imported.add_argument("-o", "--out", required=True, metavar="PROJECT.studio.json")
    imported.set_defaults(func=cmd_import)

    quick = commands.add_parser("quick", help="train a sensible default model on a CSV file",
                                description="Infer the task from the target, build a default MLP (inputs "
                                            "normalized in the model), train with early stopping, evaluate on "
                                            "the test split. The last line is one JSON object.")
    quick.add_argument("data", metavar="DATA.csv")
    quick.add_argument("--target", nargs="+", required=True, metavar="COL")
    quick.add_argument("--epochs", type=int, default=200, help="at most this many epochs (default 200)")
    quick.add_argument("--out", metavar="DIR", help="where to write model.h5, the project and the run record")
    quick.add_argument("--seed", type=int, default=42)
    quick.set_defaults(func=cmd_quick)

    inspect = commands.add_parser("inspect", help="summarize a model file, safely",
                                  description="Print the layers of an .h5 or .keras model file after "
                                              "checking it is safe to open; exits 2 when it is refused "
                                              "or cannot be read.")
    inspect.add_argument("model", metavar="MODEL.h5|MODEL.keras")
    inspect.set_defaults(func=cmd_inspect)

    export = commands.add_parser("export", help="write a project as a runnable Keras script",
                                 description="Write the project as a standalone Python script: build_model() "
                                             "in the chosen Keras API, load_data() for the same data, and "
                                             "compile and fit under __main__. Sequential needs a straight "
                                             "chain of layers. Exits 1 when it cannot be exported, 2 when "
                                             "the project cannot be read.")
    export.add_argument("project", metavar="PROJECT.studio.json")
    export.add_argument("--style", choices=("sequential", "functional", "subclassing"), default="functional")
    export.add_argument("-o", "--out", required=True, metavar="FILE.py")
    export.set_defaults(func=cmd_export)

    labs = commands.add_parser("labs", help="list the classroom labs",
                               description="List the ten labs and whether each is started.")
    labs.add_argument("--lang", choices=("en", "ko"), default="en")
    labs.set_defaults(func=cmd_labs)
    lab = commands.add_parser("lab", help="start a lab, show its lesson, or check the work",
                              description="start: copy the lab into your labs folder (kept if it exists). "
                                          "lesson: print the lesson. check: run the lab's check on your copy; "
                                          "exits 0 when it passes, 1 with a hint for each failed item.")
    lab.add_argument("action", choices=("start", "lesson", "check"))
    lab.add_argument("lab", metavar="N", help="the lab's number or folder name; '-' with --folder for an assignment")
    lab.add_argument("--lang", choices=("en", "ko"), default="en")
    lab.add_argument("--restart", action="store_true", help="start: keep the old copy aside and start afresh")
    lab.add_argument("--folder", metavar="DIR", help="check: the lab folder (default: your copy)")
    lab.set_defaults(func=cmd_lab)

    pack = commands.add_parser("pack", help="make or open an assignment pack",
                               description="create: pack a saved project (a lab copy brings its lessons and "
                                           "check) with its data, seed, locked settings and check into one file. "
                                           "open: unpack an assignment into your labs folder and print where.")
    pack.add_argument("action", choices=("create", "open"))
    pack.add_argument("file", metavar="PROJECT.studio.json|FILE.studio-pack")
    pack.add_argument("-o", "--out", metavar="FILE.studio-pack", help="create: the pack to write")
    pack.add_argument("--title", help="create: the assignment's title")
    pack.add_argument("--instructions", help="create: what the student should do")
    pack.add_argument("--lock", action="append", metavar="SETTING",
                      help="create: a setting students may not change, e.g. data or training.batch_size "
                           "(default: data and training.seed; repeat for several)")
    pack.add_argument("--require", action="append", metavar="SPLIT.METRIC>=VALUE",
                      help="create: a result the check requires, e.g. test.accuracy>=0.9")
    pack.add_argument("--restart", action="store_true", help="open: keep the old copy aside and start afresh")
    pack.set_defaults(func=cmd_pack)

    tune = commands.add_parser("tune", help="search hyperparameters (layers, neurons, learning rate, ...)",
                               description="Search the hidden layers, neurons, activation, learning rate, batch "
                                           "size, optimizer and dropout of the project's MLP with keras-tuner; the "
                                           "space is the project's tuning section (defaults otherwise). One line "
                                           "per trial; the last line is one JSON object with the best "
                                           "hyperparameters and objective. Each trial is recorded as a run.")
    tune.add_argument("project", metavar="PROJECT.studio.json")
    tune.add_argument("--trials", type=int, help="at most this many trials (default: the project's, else 10)")
    tune.add_argument("--max-epochs", type=int, help="epochs per trial (default: the project's, else 5)")
    tune.add_argument("--algorithm", choices=("random", "hyperband", "bayesian"))
    tune.add_argument("--objective", help="a validation metric, e.g. val_accuracy (default) or val_loss")
    tune.set_defaults(func=cmd_tune)

    finder = commands.add_parser("lr-find", help="suggest a learning rate (range test)",
                                 description="Train one epoch while the learning rate grows exponentially from "
                                             "1e-5 to 10; print the smoothed loss against the rate and, last, "
                                             "one JSON object with the suggested rate (a tenth of the rate at "
                                             "the lowest loss). The project is not changed.")
    finder.add_argument("project", metavar="PROJECT.studio.json")
    finder.add_argument("--start", type=float, default=1e-5)
    finder.add_argument("--end", type=float, default=10.0)
    finder.add_argument("--batch-size", type=int, help="default: the project's")
    finder.set_defaults(func=cmd_lr_find)

    report = commands.add_parser("report", help="write a run's HTML report",
                                 description="Write one self-contained HTML file for a run folder: model summary, "
                                             "curves, final metrics, confusion matrix and environment.")
    report.add_argument("run", metavar="RUN_DIR", help="a run folder, e.g. PROJECT.runs/20261128-093000")
    report.add_argument("-o", "--out", metavar="FILE.html", help="default: RUN_DIR/report.html")
    report.set_defaults(func=cmd_report)
    parser.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
