"""What every ``studio`` command shares: the exit codes and how a command is added to the parser."""

from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def exit_code(error) -> int:
    """The exit code for a user's mistake (a ``studio.core.errors.UserError``) that ended a command.

    2: a file or folder could not be read or written as asked (a project, data, a model file, a lab or
    pack, a run folder, a report). 1: it was read, but what it asks cannot be done (settings that cannot
    train, no model to continue, a graph that cannot be exported, a search with no trial).
    """
    from studio.classroom.labs import LabError
    from studio.core.keras_bridge import ImportRefused
    from studio.core.project import ProjectError
    from studio.data.errors import DataError
    from studio.exports.report import ReportError
    from studio.training.errors import OutputError, RunSaveError
    from studio.training.model_files import ModelFileError
    unreadable = (ProjectError, DataError, ModelFileError, ImportRefused, OutputError, RunSaveError, LabError,
                  ReportError)
    return EXIT_UNREADABLE if isinstance(error, unreadable) else EXIT_INVALID


def add_command(commands, name: str, func, help: str):
    """A sub-command of ``studio`` that ``func(args)`` runs, described (``studio NAME --help``) by
    ``func``'s docstring; its arguments are added to the parser it returns."""
    parser = commands.add_parser(name, help=help, description=func.__doc__)
    parser.set_defaults(func=func)
    return parser
