"""Commands that read or write one file: check, data, import, inspect, export and report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from studio.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, add_command


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
    """Validate a project file and print its layers. Exits 0 when valid, 1 with every problem listed, 2 when the file
    cannot be read.
    """
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
    """Describe a CSV file (what was detected, each column's type and missing values) or a data set such as mnist. The
    last line is one JSON object. Exits 2 when it cannot be read.
    """
    from studio.data.csv_file import load_csv
    from studio.data.images import load_image_dataset
    from studio.data.summary import csv_summary, image_summary

    path = Path(args.file)
    if path.suffix.lower() in (".csv", ".tsv", ".txt") or (path.is_file() and path.suffix.lower() != ".npz"):
        table = load_csv(path, encoding=args.encoding, delimiter=args.delimiter, decimal=args.decimal,
                         header=args.header)
        lines, result = csv_summary(table, args.target)
    else:
        lines, result = image_summary(load_image_dataset(args.file))
    print("\n".join(lines))
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def cmd_import(args) -> int:
    """Check the file safely, then write PROJECT.studio.json with its graph and training settings; its weights and
    optimizer state become the project's current model, which 'studio train --continue' goes on from.
    """
    from studio.core.keras_bridge import import_model
    from studio.core.project import ProjectError, save_project
    from studio.training.imported import imported_project, record_import
    from studio.training.model_files import ModelFileError
    from studio.training.safe_load import open_untrusted

    out = Path(args.out)
    if not out.name.endswith(".studio.json"):
        print(f"studio import: {out}: a project file's name ends in .studio.json", file=sys.stderr)
        return EXIT_INVALID
    model, metadata = open_untrusted(args.model)
    project, continued, notes = imported_project(model, metadata, import_model(model, name=model.name))
    try:
        save_project(project, out)
        run = record_import(project, model, continued, Path(args.model))
    except (ProjectError, ModelFileError, OSError) as exc:  # the model was read; its project cannot be written
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


def cmd_inspect(args) -> int:
    """Print the layers of an .h5 or .keras model file after checking it is safe to open; exits 2 when it is refused or
    cannot be read.
    """
    from studio.training.safe_load import open_untrusted

    model, metadata = open_untrusted(args.model)
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
    """Write the project as a standalone Python script: build_model() in the chosen Keras API, load_data() for the same
    data, and compile and fit under __main__. Sequential needs a straight chain of layers. Exits 1 when it cannot be
    exported, 2 when the project cannot be read.
    """
    from studio.core.project import load_project
    from studio.exports.script import export_script

    path = export_script(load_project(args.project), args.style, args.out)
    print(f"wrote {path} ({args.style} API); run it with: python {path} --epochs 1")
    return EXIT_OK


def cmd_report(args) -> int:
    """Write one self-contained HTML file for a run folder: model summary, curves, final metrics, confusion matrix and
    environment.
    """
    from studio.exports.report import write_report

    print(f"wrote {write_report(args.run, args.out)}")
    return EXIT_OK


def _check_parser(commands) -> None:
    check = add_command(commands, "check", cmd_check, "validate a project and print its layers")
    check.add_argument("file", metavar="FILE.studio.json")


def _data_parser(commands) -> None:
    data = add_command(commands, "data", cmd_data, "describe a CSV file or a data set")
    data.add_argument("file", metavar="FILE|NAME", help="a CSV file, mnist, fashion_mnist, or an .npz/IDX set")
    data.add_argument("--target", nargs="+", metavar="COL", help="suggest the task for these target columns")
    data.add_argument("--delimiter", help="the field separator (detected when left out)")
    data.add_argument("--encoding", help="the text encoding (detected when left out)")
    data.add_argument("--decimal", choices=[".", ","], help="the decimal mark (detected when left out)")
    header = data.add_mutually_exclusive_group()
    header.add_argument("--header", dest="header", action="store_true", default=None,
                        help="the first row holds column names")
    header.add_argument("--no-header", dest="header", action="store_false", help="the first row is data")


def _import_parser(commands) -> None:
    imported = add_command(commands, "import", cmd_import,
                           "make a project of a Keras model file (.h5 or .keras)")
    imported.add_argument("model", metavar="MODEL.h5|MODEL.keras")
    imported.add_argument("-o", "--out", required=True, metavar="PROJECT.studio.json")


def _inspect_parser(commands) -> None:
    inspect = add_command(commands, "inspect", cmd_inspect, "summarize a model file, safely")
    inspect.add_argument("model", metavar="MODEL.h5|MODEL.keras")


def _export_parser(commands) -> None:
    export = add_command(commands, "export", cmd_export, "write a project as a runnable Keras script")
    export.add_argument("project", metavar="PROJECT.studio.json")
    export.add_argument("--style", choices=("sequential", "functional", "subclassing"), default="functional")
    export.add_argument("-o", "--out", required=True, metavar="FILE.py")


def _report_parser(commands) -> None:
    report = add_command(commands, "report", cmd_report, "write a run's HTML report")
    report.add_argument("run", metavar="RUN_DIR", help="a run folder, e.g. PROJECT.runs/20261128-093000")
    report.add_argument("-o", "--out", metavar="FILE.html", help="default: RUN_DIR/report.html")


#: How each command's parser is added, by name (``studio.cli.build_parser`` adds them in its order).
PARSERS = {"check": _check_parser, "data": _data_parser, "import": _import_parser, "inspect": _inspect_parser,
           "export": _export_parser, "report": _report_parser}
