"""``studio summary``: the table of Keras' ``model.summary()`` for a project or a model file."""

from __future__ import annotations

import json
from pathlib import Path

from studio.cli.common import EXIT_OK, add_command

HEADER = ("Layer", "Type", "Output shape", "Params", "Connected to")


def summary_table(summary) -> str:
    """The summary as aligned plain text: a row per layer, then the totals (Keras' summary lines)."""
    rows = [HEADER] + [(r.name, r.type, r.output_shape, f"{r.params:,}", ", ".join(r.connected_to) or "-")
                       for r in summary.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = []
    for i, row in enumerate(rows):
        cells = [cell.rjust(w) if c == 3 else cell.ljust(w) for c, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"Total params: {summary.total:,}")
    lines.append(f"Trainable params: {summary.trainable:,}")
    lines.append(f"Non-trainable params: {summary.non_trainable:,}")
    if summary.optimizer is not None:
        lines.append(f"Optimizer params: {summary.optimizer:,}")
    return "\n".join(lines)


def is_project(path) -> bool:
    """A ``.json`` file is a project; anything else is opened as a model file (.h5, .keras)."""
    return Path(path).suffix.lower() == ".json"


def cmd_summary(args) -> int:
    """Print the layers of a project's model (as training builds it: with the input scaling CSV data adds)
    or of an .h5 / .keras model file (checked before it is opened): name, type, output shape, parameters
    and the layers that feed each one, then the parameter counts, equal to Keras' model.summary(). The last
    line is one JSON object: total, trainable and non_trainable (and optimizer, for a compiled model file).
    """
    from studio.core.model_summary import summarize_model, summarize_project

    if is_project(args.path):
        from studio.core.project import load_project
        from studio.data.defaults import data_settings
        project = load_project(args.path)
        summary = summarize_project(project, data_settings(project.data))
        scaled = f" (with the input scaling of {', '.join(summary.scaled_inputs)})" if summary.scaled_inputs else ""
        print(f"Model: {summary.name}, as training builds it{scaled}")
    else:
        from studio.training.safe_load import open_untrusted
        model, _ = open_untrusted(args.path)
        summary = summarize_model(model)
        print(f"Model: {summary.name}, from {args.path}")
    print(summary_table(summary))
    print(json.dumps(summary.totals()))
    return EXIT_OK


def _summary_parser(commands) -> None:
    summary = add_command(commands, "summary", cmd_summary,
                          "print a model's layers and parameter counts (Keras' model.summary())")
    summary.add_argument("path", metavar="PROJECT.studio.json|MODEL.h5|MODEL.keras")


#: How each command's parser is added, by name (``studio.cli.build_parser`` adds them in its order).
PARSERS = {"summary": _summary_parser}
