"""The ``studio`` command.

``studio`` opens the application; ``studio check FILE`` validates a project
and prints its layers; each group of commands lives in a module of its own
(files, train, classroom, tuning, summary, predict, deploy). A user's mistake (any
``studio.core.errors.UserError``) is printed by ``main`` as one line,
``studio COMMAND: message``, and exits non-zero (``common.exit_code``); it
never prints a traceback.
"""

from __future__ import annotations

import argparse
import sys

import studio
from studio.cli import classroom, deploy, files, predict, summary, train, tuning
from studio.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, exit_code

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_UNREADABLE", "build_parser", "main"]

#: The commands in the order ``studio --help`` lists them.
ORDER = ("check", "data", "train", "import", "quick", "inspect", "summary", "predict", "export", "export-model",
         "labs", "lab", "pack", "tune", "lr-find", "report")


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
    adders = {**files.PARSERS, **train.PARSERS, **classroom.PARSERS, **tuning.PARSERS, **summary.PARSERS,
              **predict.PARSERS, **deploy.PARSERS}
    for name in ORDER:
        adders[name](commands)
    parser.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    from studio.core.errors import UserError
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        if args.command is None:
            raise  # the application says its own errors
        print(f"studio {args.command}: {exc}", file=sys.stderr)
        return exit_code(exc)


if __name__ == "__main__":
    sys.exit(main())
