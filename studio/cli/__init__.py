"""The ``studio`` command.

``studio`` opens the application; ``studio FILE…`` opens it with a project,
an assignment pack, a model or a CSV file (what a file manager runs on a
double-click; ``studio.ui.window_open``); ``studio check FILE`` validates a project
and prints its layers; each group of commands lives in a module of its own
(files, train, classroom, tuning, summary, predict, deploy). A user's mistake (any
``studio.core.errors.UserError``) is printed by ``main`` as one line,
``studio COMMAND: message``, and exits non-zero (``common.exit_code``); it
never prints a traceback.
"""

from __future__ import annotations

import argparse
import os
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


class StudioParser(argparse.ArgumentParser):
    """The top-level parser: ``studio FILE…`` is the application opening FILE, every other first word a command.

    argparse's subcommands leave no room for a bare file name beside them, so the
    words are looked at first: when the first one that is not an option is no
    command and looks like a path (``looks_like_file``), all such words are the
    files (``args.files``) and the options are parsed alone.
    """

    def parse_known_args(self, args=None, namespace=None):
        words = list(sys.argv[1:] if args is None else args)
        plain = [w for w in words if not w.startswith("-")]
        if plain and plain[0] not in self.commands and looks_like_file(plain[0]):
            namespace, rest = super().parse_known_args([w for w in words if w.startswith("-")], namespace)
            namespace.files = plain
            return namespace, rest
        return super().parse_known_args(words, namespace)


def looks_like_file(word: str) -> bool:
    """A word that is a path rather than a mistyped command: it has a dot or a slash in it, or names a file."""
    return "." in word or "/" in word or os.sep in word or os.path.exists(word)


def build_parser() -> argparse.ArgumentParser:
    parser = StudioParser(
        prog="studio", description="Perceptron Studio: build, train and inspect Keras models.",
        usage="%(prog)s [-h] [--version] [--self-test] [FILE | COMMAND ...]",
        epilog="studio FILE opens the window with FILE: a project (.studio.json), an assignment (.studio-pack), "
               "a Keras model (.h5, .keras) or a CSV file.")
    parser.add_argument("--version", action="version", version=f"Perceptron Studio {studio.__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="run the whole build-train-save-open flow headlessly; exit 0 when it all works")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="studio",
                                    parser_class=argparse.ArgumentParser)
    adders = {**files.PARSERS, **train.PARSERS, **classroom.PARSERS, **tuning.PARSERS, **summary.PARSERS,
              **predict.PARSERS, **deploy.PARSERS}
    for name in ORDER:
        adders[name](commands)
    parser.commands = set(ORDER)
    parser.set_defaults(func=cmd_app, files=[])
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
