"""``studio predict``: a trained model's predictions for new data (a CSV file, or a folder of images)."""

from __future__ import annotations

import json
import sys

from studio.cli.common import EXIT_INVALID, EXIT_OK, add_command

SHOWN_PROBLEMS = 20  # problem lines printed; the rest are counted


def cmd_predict(args) -> int:
    """Predict with a trained model: MODEL is a model file (.h5 or .keras), a run folder or a project
    (its current trained model). DATA is a CSV file with the model's feature columns (the target columns
    may be missing); each row is encoded exactly as the training rows were. With --images FOLDER instead,
    each image file in FOLDER is predicted (grayscale, resized to the training images' size).

    With -o FILE the table is written to FILE (replaced only when complete) and a short summary is
    printed. Without -o the table is written to standard output as CSV, and the summary goes to standard
    error, so that `studio predict MODEL DATA.csv > out.csv` gives just the table. Each row that cannot be
    predicted (a missing or unknown value, text in a number column) is one line naming its CSV line and
    column; the other rows are still predicted. The summary's last line is one JSON object:
    {"rows": N, "predicted": M, "problems": K, "output": FILE or null}. The exit code is 0 when at least
    one row was predicted, 1 when none could be, 2 when a file cannot be read or written.
    """
    from studio.prediction.model_source import trained_model

    if (args.data is None) == (args.images is None):
        print("studio predict: give either a CSV file or --images FOLDER", file=sys.stderr)
        return EXIT_INVALID
    source = trained_model(args.model)
    if args.images is not None:
        from studio.prediction.images import image_files, predict_images
        table = predict_images(source, image_files(args.images), invert=args.invert)
        noun = "image"
    else:
        from studio.prediction.tabular import predict_csv
        table = predict_csv(source, args.data)
        noun = "row"
    say = sys.stdout if args.output else sys.stderr
    if table.rows:
        if args.output:
            table.to_csv(args.output)
        else:
            table.write(sys.stdout)
            sys.stdout.flush()
    print(f"predicted {table.predicted} of {table.total} {noun}{'s' if table.total != 1 else ''}"
          + (f" into {args.output}" if args.output and table.rows else ""), file=say)
    for problem in table.problems[:SHOWN_PROBLEMS]:
        print(f"  {problem}", file=say)
    if len(table.problems) > SHOWN_PROBLEMS:
        print(f"  ... and {len(table.problems) - SHOWN_PROBLEMS} more problems", file=say)
    print(json.dumps(table.summary(args.output if table.rows else None)), file=say)
    return EXIT_OK if table.rows else EXIT_INVALID


def _predict_parser(commands) -> None:
    predict = add_command(commands, "predict", cmd_predict, "predict new data with a trained model")
    predict.add_argument("model", metavar="MODEL", help="a model file (.h5/.keras), a run folder or a project")
    predict.add_argument("data", metavar="DATA.csv", nargs="?", help="a CSV file with the model's features")
    predict.add_argument("--images", metavar="FOLDER", help="predict each image file in FOLDER instead")
    predict.add_argument("--invert", action="store_true",
                         help="images: dark strokes on a light background (MNIST's are light on dark)")
    predict.add_argument("-o", "--output", metavar="FILE", help="write the table here (default: standard output)")


PARSERS = {"predict": _predict_parser}
