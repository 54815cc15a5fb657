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
    from studio.exports.deploy import export_current_model, export_model, record_path, result_json

    source = Path(args.source)
    if source.name.endswith(".studio.json"):
        from studio.core.project import load_project
        result = export_current_model(load_project(source), args.format, args.output)
    else:
        from studio.training.safe_load import open_untrusted
        model, metadata = open_untrusted(source)
        result = export_model(model, args.format, args.output, metadata=metadata)
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
