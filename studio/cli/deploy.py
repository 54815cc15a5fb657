"""``studio export-model``: a trained model for deployment (h5, keras, SavedModel, TFLite, ONNX), checked."""

from __future__ import annotations

from pathlib import Path

from studio.cli.common import EXIT_OK, add_command


def cmd_export_model(args) -> int:
    """Write a project's current trained model, or a model file, as FORMAT at PATH; then load the export in its
    own runtime and compare its predictions with Keras' on up to 100 rows (the project's test split, or random
    inputs with a fixed seed for a model file). The check is written beside the export (PATH.verify.json) and
    printed; the last line is one JSON object.
    """
    from studio.core.errors import UserError
    from studio.exports.deploy import (DeployError, export_model, record_path, result_json, verification_rows)
    from studio.training.safe_load import open_untrusted

    source = Path(args.source)
    project = None
    if source.name.endswith(".studio.json"):
        from studio.core.project import load_project
        from studio.training.current_model import model_file

        project = load_project(source)
        path = model_file(project)
        if path is None:
            raise DeployError(f"{source}: the project has no trained model yet; train it first (studio train)")
    else:
        path = source
    model, metadata = open_untrusted(path)
    rows, rows_from = None, None
    if project is not None:
        try:
            rows, rows_from = verification_rows(model, project)
        except UserError as exc:  # the data has moved: the export is still checked, on random inputs
            print(f"the project's data cannot be read ({exc}); checking on random inputs instead")
    result = export_model(model, args.format, args.output, rows, rows_from=rows_from, metadata=metadata)
    print(f"wrote {result.path}")
    for name, difference in result.outputs.items():
        print(f"output {name}: largest difference {difference:.3g}")
    print(f"{result.summary()}; recorded in {record_path(result.path)}")
    print(result_json(result))
    return EXIT_OK


def _export_model_parser(commands) -> None:
    from studio.exports.deploy import FORMATS
    parser = add_command(commands, "export-model", cmd_export_model,
                         "export a trained model for deployment (SavedModel, TFLite, ONNX, ...), checked")
    parser.add_argument("source", metavar="PROJECT.studio.json|MODEL")
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("-o", "--output", required=True, metavar="PATH")


PARSERS = {"export-model": _export_model_parser}
